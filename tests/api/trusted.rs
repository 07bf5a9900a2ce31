//! `rungs serve --persisted-only` (issue 18): only trusted documents run,
//! over HTTP and WebSocket; the web app's own operations are trusted.

use serde_json::{json, Value};

use rungs::graphql::trusted::TrustedDocuments;

use crate::helpers::{error_code, ws_connect, ws_receive, ws_send, TestApp, PASSWORD};

/// The web app's operation called `name`, exactly as its script sends it.
fn web_app_operation(name: &str) -> String {
    let manifest: Value = serde_json::from_str(&TrustedDocuments::web_app().manifest()).unwrap();
    manifest["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in the web app's operations"))["body"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// POSTs `extensions.persistedQuery` with the SHA-256 of `hashed`, and
/// `query` as the text when given (Apollo's protocol).
async fn post_persisted(app: &TestApp, token: &str, query: Option<&str>, hashed: &str) -> Value {
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(hashed.as_bytes()));
    let mut body =
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    if let Some(query) = query {
        body["query"] = json!(query);
    }
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
}

async fn persisted_only() -> TestApp {
    TestApp::spawn_configured(|app| app.persisted_only(TrustedDocuments::web_app())).await
}

#[tokio::test]
async fn only_the_web_apps_operations_run_by_text_or_by_hash() {
    // Arrange
    let app = persisted_only().await;
    let login = web_app_operation("Login");
    let progression = web_app_operation("MyProgression");

    // Act and assert: the app's own sign-in and home page run.
    let signed_in = app
        .gql(
            &login,
            json!({ "email": app.employee.email, "password": PASSWORD }),
            None,
        )
        .await;
    assert!(
        signed_in["data"]["login"]["token"].is_string(),
        "{signed_in}"
    );
    let home = app.gql(&progression, json!({}), Some(&app.employee)).await;
    assert!(home["data"]["me"]["progression"].is_object(), "{home}");

    // By hash alone, as Apollo's persisted-queries link sends it.
    let hashed = post_persisted(&app, &app.employee.token, None, &progression).await;
    assert!(hashed["data"]["me"]["progression"].is_object(), "{hashed}");

    // Anything else is refused before it runs, whoever asks.
    for query in [
        "{ me { id salary { amount } } }",
        "{ __typename }",
        "{ __schema { types { name } } }",
    ] {
        let refused = app.gql(query, json!({}), Some(&app.hr)).await;
        assert_eq!(
            error_code(&refused),
            "PERSISTED_QUERY_NOT_IN_LIST",
            "{refused}"
        );
        assert!(refused["data"].is_null(), "{refused}");
    }
    // Registering a text with its hash does not list it.
    let text = "{ me { name } }";
    let register = post_persisted(&app, &app.hr.token, Some(text), text).await;
    assert_eq!(
        error_code(&register),
        "PERSISTED_QUERY_NOT_IN_LIST",
        "{register}"
    );
}

#[tokio::test]
async fn over_websocket_only_the_web_apps_subscription_runs() {
    let app = persisted_only().await;
    let mut socket = ws_connect(&app, None).await.unwrap();
    ws_send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", app.hr.token) } }),
    )
    .await;
    assert_eq!(ws_receive(&mut socket).await["type"], "connection_ack");
    ws_send(
        &mut socket,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ me { id salary { amount } } }" } }),
    )
    .await;
    let refused = ws_receive(&mut socket).await;
    assert_eq!(refused["id"], "1", "{refused}");
    assert_eq!(
        ws_receive(&mut socket).await,
        json!({ "id": "1", "type": "complete" })
    );
    assert!(refused["payload"]["data"].is_null(), "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST",
        "{refused}"
    );
    // The app's own subscription and readiness probe (live.js) run.
    let manifest: Value = serde_json::from_str(&TrustedDocuments::web_app().manifest()).unwrap();
    let subscription = manifest["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["type"] == "subscription")
        .expect("the app's subscription")["body"]
        .clone();
    ws_send(
        &mut socket,
        json!({ "id": "2", "type": "subscribe", "payload": { "query": subscription } }),
    )
    .await;
    ws_send(
        &mut socket,
        json!({ "id": "ready", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
    )
    .await;
    let ready = ws_receive(&mut socket).await;
    assert_eq!(
        ready["id"], "ready",
        "the subscription answered first: {ready}"
    );
    assert_eq!(
        ready["payload"]["data"]["me"]["id"],
        app.hr.gid(),
        "{ready}"
    );
}

#[test]
fn the_checked_in_trusted_documents_are_the_web_apps() {
    let checked_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/trusted-documents.json"
    ))
    .expect("trusted-documents.json at the repository root");
    assert_eq!(
        checked_in,
        TrustedDocuments::web_app().manifest(),
        "trusted-documents.json drifted from the web app: run `rungs trusted-documents > trusted-documents.json`"
    );
}
