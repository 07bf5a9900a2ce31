//! The web app under `/app` and the `nominationChanged` subscription over
//! WebSocket (graphql-ws): who hears what, and that a dead token is refused
//! or ends the subscription.

use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::{ws_connect, ws_receive as receive, ws_send as send, Socket, TestApp, User};

// ---------------------------------------------------------------- /app

#[tokio::test]
async fn app_serves_html_with_a_strict_content_security_policy() {
    let app = TestApp::spawn().await;
    for path in ["/app", "/app/"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        let content_type = headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "script-src 'self'",
            "connect-src 'self';",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{csp} lacks {part}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let body = response.text().await.unwrap();
        assert!(body.contains(r#"<script type="module" src="/app/app.js">"#));
        // Only a server started with --demo names the demo accounts.
        assert!(!body.contains("data-demo"), "not a demo server: {path}");
    }
}

#[tokio::test]
async fn the_root_leads_to_the_app() {
    let app = TestApp::spawn().await;
    let manual = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = manual
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/app");

    let followed = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(followed.url().path(), "/app");
    assert!(followed
        .text()
        .await
        .unwrap()
        .contains("<title>Rungs</title>"));
}

#[tokio::test]
async fn scripts_styles_and_images_have_their_content_types() {
    let app = TestApp::spawn().await;
    for (file, expected) in [
        ("app.js", "text/javascript"),
        ("live.js", "text/javascript"),
        ("charts.js", "text/javascript"),
        ("style.css", "text/css"),
        ("icon.svg", "image/svg+xml"),
    ] {
        let response = app
            .client
            .get(format!("{}/app/{file}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{file}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        assert!(content_type.starts_with(expected), "{file}: {content_type}");
        assert!(response.headers().contains_key("content-security-policy"));
    }
    let missing = app
        .client
        .get(format!("{}/app/nope.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

// ---------------------------------------------------------------- graphql-ws

const SUBSCRIPTION: &str = "subscription { nominationChanged { id status nominee { id } \
    nominatedBy { id } targetRole { code } } }";

const NOMINATE: &str = "mutation($input: NominateInput!) { nominate(input: $input) { id } }";

/// A graphql-ws client connection.
struct Subscriber {
    socket: Socket,
}

async fn open(app: &TestApp) -> Socket {
    ws_connect(app, None).await.expect("WebSocket connects")
}

impl Subscriber {
    /// Connects with `payload` as `connection_init`, subscribes to
    /// `nominationChanged` and waits until the server has registered it: a
    /// query sent after the subscription completes only after the server
    /// has polled the subscription once.
    async fn connect(app: &TestApp, user: &User) -> Subscriber {
        let mut socket = open(app).await;
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", user.token) } }),
        )
        .await;
        assert_eq!(receive(&mut socket).await["type"], "connection_ack");
        send(
            &mut socket,
            json!({ "id": "n", "type": "subscribe", "payload": { "query": SUBSCRIPTION } }),
        )
        .await;
        send(
            &mut socket,
            json!({ "id": "ready", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
        )
        .await;
        loop {
            let message = receive(&mut socket).await;
            if message["id"] == "ready" && message["type"] == "complete" {
                break;
            }
        }
        Subscriber { socket }
    }

    /// The next event's nomination (panics on anything else).
    async fn event(&mut self) -> Value {
        let message = receive(&mut self.socket).await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], "n", "{message}");
        assert!(message["payload"].get("errors").is_none(), "{message}");
        message["payload"]["data"]["nominationChanged"].clone()
    }
}

async fn nominate(app: &TestApp, by: &User, nominee: &User, hr_override: bool) -> String {
    let mut input = json!({
        "nomineeId": nominee.gid(),
        "targetRoleCode": "TEAM_LEAD",
        "justification": "coaches the new joiners",
    });
    if hr_override {
        input["override"] = json!(true);
        input["overrideReason"] = json!("covering a vacancy");
    }
    let data = app
        .data(NOMINATE, json!({ "input": input }), Some(by))
        .await;
    data["nominate"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_connection_without_a_live_token_is_closed_with_4403() {
    let app = TestApp::spawn().await;
    for payload in [
        json!({}),
        json!({ "Authorization": "Bearer not-a-token" }),
        json!({ "token": "" }),
    ] {
        let mut socket = open(&app).await;
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": payload }),
        )
        .await;
        let answer = receive(&mut socket).await;
        assert_eq!(answer["close"], 4403, "{payload}: {answer}");
    }
    // Subscribing before the handshake is refused too.
    let mut socket = open(&app).await;
    send(
        &mut socket,
        json!({ "id": "n", "type": "subscribe", "payload": { "query": SUBSCRIPTION } }),
    )
    .await;
    let answer = receive(&mut socket).await;
    assert!(answer.get("close").is_some(), "{answer}");
    assert_ne!(answer["close"], u16::from(CloseCode::Normal));
}

#[tokio::test]
async fn the_token_is_accepted_under_each_documented_key() {
    let app = TestApp::spawn().await;
    for payload in [
        json!({ "Authorization": format!("Bearer {}", app.employee.token) }),
        json!({ "authorization": format!("Bearer {}", app.employee.token) }),
        json!({ "token": app.employee.token }),
    ] {
        let mut socket = open(&app).await;
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": payload }),
        )
        .await;
        assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    }
}

#[tokio::test]
async fn each_subscriber_hears_only_about_nominations_they_may_see() {
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Yuna Ready", app.manager.id).await;
    let mut as_nominee = Subscriber::connect(&app, &nominee).await;
    let mut as_manager = Subscriber::connect(&app, &app.manager).await;
    let mut as_top = Subscriber::connect(&app, &app.top).await;
    let mut as_hr = Subscriber::connect(&app, &app.hr).await;
    let mut as_colleague = Subscriber::connect(&app, &app.employee).await;
    let mut as_other_manager = Subscriber::connect(&app, &app.other_manager).await;
    let mut as_outsider = Subscriber::connect(&app, &app.outsider).await;

    // The manager nominates; HR approves.
    let first = nominate(&app, &app.manager, &nominee, false).await;
    app.data(
        "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { id } }",
        json!({ "id": first }),
        Some(&app.hr),
    )
    .await;
    for (who, subscriber) in [
        ("nominee", &mut as_nominee),
        ("manager", &mut as_manager),
        ("manager's manager", &mut as_top),
        ("HR", &mut as_hr),
    ] {
        let pending = subscriber.event().await;
        assert_eq!(pending["id"], first.as_str(), "{who}");
        assert_eq!(pending["status"], "PENDING", "{who}");
        assert_eq!(pending["nominee"]["id"], nominee.gid(), "{who}");
        assert_eq!(pending["nominatedBy"]["id"], app.manager.gid(), "{who}");
        assert_eq!(pending["targetRole"]["code"], "TEAM_LEAD", "{who}");
        let approved = subscriber.event().await;
        assert_eq!(approved["id"], first.as_str(), "{who}");
        assert_eq!(approved["status"], "APPROVED", "{who}");
    }

    // HR nominates the outsider (an override). Events reach each subscriber
    // in order, so for those who may not see the first nomination this is
    // the first event they get.
    let second = nominate(&app, &app.hr, &app.outsider, true).await;
    for (who, subscriber) in [
        ("outsider", &mut as_outsider),
        ("outsider's manager", &mut as_other_manager),
        ("HR", &mut as_hr),
    ] {
        let event = subscriber.event().await;
        assert_eq!(event["id"], second.as_str(), "{who}");
        assert_eq!(event["status"], "PENDING", "{who}");
    }
    // A colleague in the same team hears about neither; a nomination of
    // their own is the first thing they hear.
    let third = nominate(&app, &app.hr, &app.employee, true).await;
    let event = as_colleague.event().await;
    assert_eq!(event["id"], third.as_str());
}

#[tokio::test]
async fn signing_out_ends_the_subscription() {
    let app = TestApp::spawn().await;
    let mut subscriber = Subscriber::connect(&app, &app.employee).await;
    app.data("mutation { logout }", json!({}), Some(&app.employee))
        .await;
    // The next event the employee could see completes the subscription
    // instead of reaching them.
    nominate(&app, &app.hr, &app.employee, true).await;
    let message = receive(&mut subscriber.socket).await;
    assert_eq!(message["type"], "complete", "{message}");
    assert_eq!(message["id"], "n");
}
