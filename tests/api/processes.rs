//! Two `rungs serve` processes against one database: this test's in-process
//! server and the real binary as a child process. Tokens, throttling and
//! one-time decisions live in the database, so both agree.

use std::process::Child;

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{error_code, free_port, start_server_process, wait_ready, TestApp, PASSWORD};

/// The second process, killed when dropped.
struct Second {
    child: Child,
    url: String,
}

impl Drop for Second {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn second_process(app: &TestApp) -> Second {
    let port = free_port();
    let second = Second {
        child: start_server_process(&app.database_url, port),
        url: format!("http://127.0.0.1:{port}"),
    };
    wait_ready(&app.client, &second.url).await;
    second
}

async fn gql_at(
    app: &TestApp,
    base: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let mut request = app
        .client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

#[tokio::test]
async fn a_login_on_one_process_is_valid_on_the_other_and_logout_on_either_ends_it() {
    let app = TestApp::spawn().await;
    let second = second_process(&app).await;
    let body = gql_at(
        &app,
        &second.url,
        LOGIN,
        json!({ "e": app.employee.email, "p": PASSWORD }),
        None,
    )
    .await;
    let token = body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = gql_at(
        &app,
        &app.address,
        "{ me { name } }",
        json!({}),
        Some(&token),
    )
    .await;
    assert_eq!(me["data"]["me"]["name"], "Emi Employee");
    gql_at(
        &app,
        &app.address,
        "mutation { logout }",
        json!({}),
        Some(&token),
    )
    .await;
    let after = gql_at(
        &app,
        &second.url,
        "{ me { name } }",
        json!({}),
        Some(&token),
    )
    .await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
}

#[tokio::test]
async fn login_throttling_counts_failures_across_both_processes() {
    let app = TestApp::spawn().await;
    let second = second_process(&app).await;
    for i in 0..5 {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.url.clone()
        };
        let body = gql_at(
            &app,
            &base,
            LOGIN,
            json!({ "e": app.employee.email, "p": "not the password" }),
            None,
        )
        .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    for base in [&app.address, &second.url] {
        let body = gql_at(
            &app,
            base,
            LOGIN,
            json!({ "e": app.employee.email, "p": PASSWORD }),
            None,
        )
        .await;
        assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    }
}

#[tokio::test]
async fn concurrent_approvals_through_both_processes_promote_once() {
    let app = TestApp::spawn().await;
    let second = second_process(&app).await;
    let nominee = app.eligible_csr("Pat Promoted", app.manager.id).await;
    let nominated = app
        .data(
            "mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"ready\"}) { id } }",
            json!({ "id": nominee.gid() }),
            Some(&app.manager),
        )
        .await;
    let id = nominated["nominate"]["id"].as_str().unwrap().to_owned();
    let approve = "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { status } }";
    let attempts = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.url.clone()
        };
        let id = id.clone();
        let token = app.hr.token.clone();
        let app = &app;
        async move { gql_at(app, &base, approve, json!({ "id": id }), Some(&token)).await }
    });
    let answers = join_all(attempts).await;
    let approved = answers
        .iter()
        .filter(|a| a["data"]["approveNomination"]["status"] == "APPROVED")
        .count();
    let conflicts = answers
        .iter()
        .filter(|a| a.get("errors").is_some() && error_code(a) == "CONFLICT")
        .count();
    assert_eq!((approved, conflicts), (1, 19), "{answers:?}");
    assert_eq!(
        app.count("role_assignment").await,
        8 + 1,
        "one new history row"
    );
}
