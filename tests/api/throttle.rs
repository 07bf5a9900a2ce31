//! Accounts under attack: login throttling per account and per client
//! address, kept in the database.

use std::time::Instant;

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{error_code, TestApp, PASSWORD};

#[tokio::test]
async fn five_failures_rate_limit_the_account_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let body = app
            .login(&app.employee.email, "wrong password, again")
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let body = app.login(&app.employee.email, PASSWORD).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    let other = app.login(&app.manager.email, PASSWORD).await;
    assert!(
        other["data"]["login"]["token"].is_string(),
        "another account is not affected: {other}"
    );
}

#[tokio::test]
async fn unknown_emails_are_throttled_exactly_like_real_ones() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        app.login("nobody.here@test.example", "wrong password, again")
            .await;
        app.login(&app.employee.email, "wrong password, again")
            .await;
    }
    let unknown = app
        .login("nobody.here@test.example", "wrong password, again")
        .await;
    let known = app
        .login(&app.employee.email, "wrong password, again")
        .await;
    assert_eq!(error_code(&unknown), "RATE_LIMITED");
    assert_eq!(error_code(&known), "RATE_LIMITED");
    assert_eq!(
        unknown["errors"][0]["message"],
        known["errors"][0]["message"]
    );
}

#[tokio::test]
async fn aliased_attempts_in_one_request_each_count() {
    let app = TestApp::spawn().await;
    let aliases: String = (0..6)
        .map(|i| format!("a{i}: login(email: $e, password: \"wrong password {i}\") {{ token }} "))
        .collect();
    let body = app
        .gql(
            &format!("mutation($e: String!) {{ {aliases} }}"),
            json!({ "e": app.employee.email }),
            None,
        )
        .await;
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "UNAUTHENTICATED").count(),
        5,
        "{body}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "RATE_LIMITED").count(),
        1,
        "{body}"
    );
}

#[tokio::test]
async fn the_back_off_ends_doubles_and_a_success_resets_it() {
    let app = TestApp::spawn().await;
    let key = format!("account:{}", app.employee.email);
    let backoff = |app: &TestApp| {
        let key = key.clone();
        let db = app.db.clone();
        async move {
            let row = db
                .conn
                .query_one_raw(sea_orm::Statement::from_string(
                    db.backend(),
                    format!(
                        "SELECT backoff_seconds FROM login_throttle WHERE throttle_key = '{key}'"
                    ),
                ))
                .await
                .unwrap();
            row.map(|r| r.try_get::<i64>("", "backoff_seconds").unwrap())
        }
    };
    let expire = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            db.conn
                .execute_unprepared("UPDATE login_throttle SET blocked_until = NULL")
                .await
                .unwrap();
        }
    };
    for _ in 0..5 {
        app.login(&app.employee.email, "wrong password, again")
            .await;
    }
    assert_eq!(
        backoff(&app).await,
        Some(120),
        "blocked for 60 s, next block 120 s"
    );
    assert_eq!(
        error_code(&app.login(&app.employee.email, PASSWORD).await),
        "RATE_LIMITED"
    );
    expire(&app).await;
    for _ in 0..5 {
        app.login(&app.employee.email, "wrong password, again")
            .await;
    }
    assert_eq!(backoff(&app).await, Some(240), "the back-off doubles");
    expire(&app).await;
    let ok = app.login(&app.employee.email, PASSWORD).await;
    assert!(ok["data"]["login"]["token"].is_string(), "{ok}");
    assert_eq!(
        backoff(&app).await,
        Some(60),
        "a success resets the account to the first back-off"
    );
    let again = app.login(&app.employee.email, PASSWORD).await;
    assert!(again["data"]["login"]["token"].is_string(), "{again}");
}

#[tokio::test]
async fn one_client_address_is_limited_across_emails() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        app.login(&format!("guess{i}@test.example"), "wrong password, again")
            .await;
    }
    let body = app.login(&app.manager.email, PASSWORD).await;
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
}

#[tokio::test]
async fn a_failed_login_takes_about_as_long_for_unknown_and_known_emails() {
    let app = TestApp::spawn().await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..4 {
        let t = Instant::now();
        app.login(&app.employee.email, &format!("wrong password {i}"))
            .await;
        known.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        app.login("nobody.here@test.example", &format!("wrong password {i}"))
            .await;
        unknown.push(t.elapsed().as_secs_f64());
    }
    known.sort_by(f64::total_cmp);
    unknown.sort_by(f64::total_cmp);
    let ratio = known[2] / unknown[2];
    assert!(
        (0.5..2.0).contains(&ratio),
        "known {known:?} vs unknown {unknown:?}"
    );
}
