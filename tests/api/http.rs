//! Health, readiness, GraphiQL and GraphQL over GET.

use serde_json::json;

use crate::helpers::{error_code, TestApp};

#[tokio::test]
async fn health_and_readiness_answer_200() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn a_browser_gets_graphiql_on_get_graphql() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("graphiql"),
        "not GraphiQL: {}",
        &body[..200.min(body.len())]
    );
}

#[tokio::test]
async fn queries_run_over_get_but_mutations_do_not() {
    let app = TestApp::spawn().await;
    let ok = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ me { name } }")])
        .bearer_auth(&app.employee.token)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(body["data"]["me"]["name"], "Emi Employee");

    let before = app.count("login_session").await;
    let refused = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "mutation { logout }")])
        .bearer_auth(&app.employee.token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 405);
    assert_eq!(app.count("login_session").await, before);
    let still = app
        .gql("{ me { name } }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(still["data"]["me"]["name"], "Emi Employee");
}

#[tokio::test]
async fn malformed_queries_and_unknown_fields_answer_bad_user_input() {
    let app = TestApp::spawn().await;
    let body = app
        .gql("{ me { nosuchfield } }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app.gql("{ me { ", json!({}), Some(&app.employee)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(
            "query($d: Date) { me { tenure(asOf: $d) { monthsInRole } } }",
            json!({ "d": "2026-02-30" }),
            Some(&app.employee),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}
