//! Limits on what a request may cost, the HTTP contract (media types and
//! status codes), production mode, and errors that reveal nothing.

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post_raw(
    app: &TestApp,
    content_type: Option<&str>,
    accept: Option<&str>,
    body: Vec<u8>,
) -> (u16, String, String) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .body(body)
        .bearer_auth(&app.hr.token);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, media, response.text().await.unwrap())
}

fn json_body(query: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "query": query })).unwrap()
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat((1 << 20) + 10);
    let body =
        serde_json::to_vec(&json!({ "query": "{ me { id } }", "variables": { "pad": padding } }))
            .unwrap();
    let (status, _, _) = post_raw(&app, Some("application/json"), None, body).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn form_posts_and_bodies_without_a_json_content_type_are_refused() {
    let app = TestApp::spawn().await;
    let before = app.count("login_session").await;
    for content_type in [
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let (status, _, body) = post_raw(
            &app,
            content_type,
            None,
            b"query=mutation%20%7B%20logout%20%7D".to_vec(),
        )
        .await;
        assert_eq!(status, 415, "{content_type:?}: {body}");
    }
    assert_eq!(app.count("login_session").await, before);
    let still = app.gql("{ me { id } }", json!({}), Some(&app.hr)).await;
    assert!(still.get("errors").is_none());
}

#[tokio::test]
async fn batched_requests_are_refused() {
    let app = TestApp::spawn().await;
    let batch =
        serde_json::to_vec(&json!([{ "query": "{ me { id } }" }, { "query": "{ me { id } }" }]))
            .unwrap();
    let (status, _, body) = post_raw(&app, Some("application/json"), None, batch).await;
    assert_eq!(status, 400);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn deep_wide_and_directive_heavy_queries_are_refused_before_running() {
    let app = TestApp::spawn().await;
    let deep = "{ me { manager { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }";
    let aliases: String = (0..100).map(|i| format!("a{i}: me {{ id }} ")).collect();
    let wide = format!("{{ {aliases} }}");
    let directives = "query($t: Boolean! = true) { me @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) { id } }";
    for query in [deep, wide.as_str(), directives] {
        let body = app.gql(query, json!({}), Some(&app.hr)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert!(body["data"].is_null());
    }
    let dashboard = "{ dashboard { eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible stalled } compaRatios(groupBy: ROLE) { key count min p25 median p75 max belowMin aboveMax } nominationFunnel { pending approved rejected withdrawn medianDaysToDecision } } }";
    let ok = app.gql(dashboard, json!({}), Some(&app.hr)).await;
    assert!(ok.get("errors").is_none(), "{ok}");
}

#[tokio::test]
async fn the_graphql_response_media_type_is_negotiated_with_status_codes() {
    let app = TestApp::spawn().await;
    let (status, media, _) = post_raw(
        &app,
        Some("application/json"),
        Some(GRAPHQL_RESPONSE),
        json_body("{ me { id } }"),
    )
    .await;
    assert_eq!((status, media.starts_with(GRAPHQL_RESPONSE)), (200, true));
    for bad in [
        "{ me { ",
        "{ nosuchfield }",
        "query($n: Int!) { me { id } }",
    ] {
        let (status, media, body) = post_raw(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            json_body(bad),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(media.starts_with(GRAPHQL_RESPONSE));
    }
    let (status, _, body) = post_raw(
        &app,
        Some("application/json"),
        Some(GRAPHQL_RESPONSE),
        json_body("{ auditEvents(first: 1) { totalCount } }"),
    )
    .await;
    assert_eq!(status, 200, "a field error is not a request error: {body}");
    let (status, media, _) = post_raw(
        &app,
        Some("application/json"),
        Some("application/json"),
        json_body("{ me { "),
    )
    .await;
    assert_eq!((status, media.starts_with("application/json")), (200, true));
    let (status, _, _) = post_raw(
        &app,
        Some("application/json"),
        Some("text/plain"),
        json_body("{ me { id } }"),
    )
    .await;
    assert_eq!(status, 406);
}

#[tokio::test]
async fn production_mode_hides_the_schema_and_graphiql() {
    let app = TestApp::spawn_production().await;
    let introspection = app
        .gql("{ __schema { types { name } } }", json!({}), Some(&app.hr))
        .await;
    assert!(
        introspection["data"]["__schema"].is_null(),
        "{introspection}"
    );
    assert!(
        !introspection.to_string().contains("Employee"),
        "{introspection}"
    );
    let typo = app.gql("{ me { nam } }", json!({}), Some(&app.hr)).await;
    assert!(!typo.to_string().contains("Did you mean"), "{typo}");
    // Nor does the federation's subgraph SDL, which would map it all too.
    for who in [None, Some(&app.hr)] {
        let sdl = app.gql("{ _service { sdl } }", json!({}), who).await;
        assert!(sdl["data"].is_null(), "{sdl}");
        assert!(!sdl.to_string().contains("Employee"), "{sdl}");
    }
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let works = app.gql("{ me { name } }", json!({}), Some(&app.hr)).await;
    assert_eq!(works["data"]["me"]["name"], "Hana HR");

    let dev = TestApp::spawn().await;
    let typo = dev.gql("{ me { nam } }", json!({}), Some(&dev.hr)).await;
    assert!(typo.to_string().contains("Did you mean"), "{typo}");
}

#[tokio::test]
async fn a_database_failure_answers_internal_and_reveals_nothing() {
    let app = TestApp::spawn().await;
    app.db
        .conn
        .execute_unprepared("DROP TABLE performance_review")
        .await
        .unwrap();
    let body = app
        .gql(
            "{ me { name reviews { rating } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(error_code(&body), "INTERNAL", "{body}");
    let text = body.to_string().to_lowercase();
    for leak in [
        "performance_review",
        "select",
        "sqlx",
        "sea_orm",
        "dberr",
        "no such table",
        "relation",
        "src/",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
    assert_eq!(body["errors"][0]["message"], "internal error");
}

#[tokio::test]
async fn a_request_running_past_the_timeout_is_cut_off_with_timeout() {
    let app = TestApp::spawn_with_timeout(std::time::Duration::from_millis(20)).await;
    rungs::seed::seed(&app.db, 5_000, 2, chrono::Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();
    let started = std::time::Instant::now();
    let body = app
        .gql(
            "{ dashboard(asOf: \"2026-05-31\") { eligibility(groupBy: MANAGER) { key total } promotionVelocity { roleCode } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&body), "TIMEOUT", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ran longer than"), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn variable_errors_are_request_errors_with_400_and_no_data() {
    let app = TestApp::spawn().await;
    for body in [
        json!({ "query": "query($id: ID!) { employee(id: $id) { id } }", "variables": {} }),
        json!({ "query": "query($id: ID!) { employee(id: $id) { id } }", "variables": { "id": null } }),
        json!({ "query": "query($d: Date) { me { progression(asOf: $d) { eligible } } }", "variables": { "d": "2026-02-30" } }),
        json!({ "query": "{ me { progression(asOf: \"2026-13-01\") { eligible } } }" }),
        json!({ "query": "query($n: Int) { employees(first: $n) { totalCount } }", "variables": { "n": "abc" } }),
        json!({ "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": { "ids": [null] } }),
        json!({ "query": "query($s: NominationStatus) { nominations(status: $s) { totalCount } }", "variables": { "s": "NOPE" } }),
        json!({ "query": "mutation($i: RecordReviewInput!) { recordReview(input: $i) { id } }", "variables": { "i": { "rating": 3.0 } } }),
        json!({ "query": "query($f: EmployeeFilter) { employees(filter: $f) { totalCount } }", "variables": { "f": { "site": 7 } } }),
    ] {
        let (status, media, text) = post_raw(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{body}: {text}");
        assert!(media.starts_with(GRAPHQL_RESPONSE));
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert!(answer.get("data").is_none(), "{answer}");
        assert_eq!(error_code(&answer), "BAD_USER_INPUT", "{answer}");
    }
    // A valid date still answers.
    let body = json!({ "query": "query($d: Date) { me { progression(asOf: $d) { eligible } } }", "variables": { "d": "2026-02-28" } });
    let (status, _, text) = post_raw(
        &app,
        Some("application/json"),
        Some(GRAPHQL_RESPONSE),
        serde_json::to_vec(&body).unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn a_stored_enum_text_outside_the_enum_answers_internal_and_reveals_nothing() {
    let app = TestApp::spawn().await;
    app.cert(
        &app.employee,
        "LEADERSHIP_TRAINING",
        None,
        None,
        "2024-01-01",
        None,
        "VERIFIED",
    )
    .await;
    app.db
        .conn
        .execute_unprepared("UPDATE certification SET status = 'SORTA_VERIFIED'")
        .await
        .unwrap();
    app.db
        .conn
        .execute_unprepared(&format!(
            "UPDATE employee SET work_arrangement = 'moon' WHERE id = {}",
            app.outsider.id
        ))
        .await
        .unwrap();
    let certs = app
        .gql(
            "{ me { name certifications { status } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    let outsider = app
        .gql(
            "query($id: ID!) { employee(id: $id) { name workArrangement } }",
            json!({ "id": app.outsider.gid() }),
            Some(&app.hr),
        )
        .await;
    for body in [certs, outsider] {
        assert_eq!(error_code(&body), "INTERNAL", "{body}");
        assert_eq!(body["errors"][0]["message"], "internal error", "{body}");
        let text = body.to_string().to_lowercase();
        for leak in [
            "sorta_verified",
            "moon",
            "unexpected value",
            "certificationstatus",
            "workarrangement enum",
            "dberr",
            "sea_orm",
        ] {
            assert!(!text.contains(leak), "{leak} leaked: {body}");
        }
    }
    // Everyone else still loads.
    let works = app
        .gql("{ me { workArrangement } }", json!({}), Some(&app.hr))
        .await;
    assert_eq!(works["data"]["me"]["workArrangement"], "ONSITE", "{works}");
}

#[tokio::test]
async fn readers_and_the_session_cache_never_hold_a_password_hash() {
    use sea_orm::{EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let stored = rungs::db::entities::employee::Entity::find_by_id(app.employee.id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.password_hash.is_some(),
        "the test user has a password"
    );
    let read = rungs::db::records::employees_without_secrets()
        .filter(sea_orm::ColumnTrait::eq(
            &rungs::db::entities::employee::Column::Id,
            app.employee.id,
        ))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.password_hash, None);
    assert_eq!((read.id, &read.email), (stored.id, &stored.email));
    let authenticated = rungs::services::accounts::authenticate(&app.db, &app.employee.token)
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!(authenticated.employee.password_hash, None);
    assert_eq!(authenticated.employee.email, stored.email);
}
