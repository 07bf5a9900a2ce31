//! Automatic persisted queries (Apollo's protocol): a hash the server does
//! not know is answered PERSISTED_QUERY_NOT_FOUND; the text sent once with
//! its hash is kept and the hash alone then runs it, over POST and GET; a
//! stored mutation is still refused over GET.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{error_code, TestApp};

fn hash(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, body: Value) -> Value {
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.employee.token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn get(app: &TestApp, extensions: &Value) -> (u16, Value) {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("extensions", extensions.to_string())])
        .header("Accept", "application/json")
        .bearer_auth(&app.employee.token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_hash_is_a_miss_until_its_text_is_sent_then_runs_alone_over_post_and_get() {
    let app = TestApp::spawn().await;
    let query = "query Me { me { name } }";
    let miss = post(&app, json!({ "extensions": persisted(&hash(query)) })).await;
    assert_eq!(error_code(&miss), "PERSISTED_QUERY_NOT_FOUND", "{miss}");
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");

    let first = post(
        &app,
        json!({ "query": query, "extensions": persisted(&hash(query)) }),
    )
    .await;
    assert_eq!(first["data"]["me"]["name"], "Emi Employee", "{first}");
    let again = post(&app, json!({ "extensions": persisted(&hash(query)) })).await;
    assert_eq!(again["data"]["me"]["name"], "Emi Employee", "{again}");
    let (status, over_get) = get(&app, &persisted(&hash(query))).await;
    assert_eq!(status, 200, "{over_get}");
    assert_eq!(over_get["data"]["me"]["name"], "Emi Employee", "{over_get}");
}

#[tokio::test]
async fn a_wrong_hash_is_refused_and_a_stored_mutation_is_not_run_over_get() {
    let app = TestApp::spawn().await;
    let wrong = post(
        &app,
        json!({ "query": "{ me { name } }", "extensions": persisted(&hash("{ me { id } }")) }),
    )
    .await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT", "{wrong}");
    assert!(wrong.get("data").is_none_or(Value::is_null), "{wrong}");

    let mutation = "mutation { __typename }";
    let stored = post(
        &app,
        json!({ "query": mutation, "extensions": persisted(&hash(mutation)) }),
    )
    .await;
    assert!(stored.get("errors").is_none(), "{stored}");
    let (status, _) = get(&app, &persisted(&hash(mutation))).await;
    assert_eq!(status, 405);
}
