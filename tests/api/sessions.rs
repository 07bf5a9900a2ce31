//! Verified tokens kept by each instance (issue 15): a revocation or an
//! access-role change made anywhere (another instance, a DBA's script) is
//! seen by every instance at once, cache or not (on PostgreSQL through
//! notifications, on SQLite through the wal-index header).

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const ME: &str = "{ me { id accessRole } }";

/// Asks `base` with `token` until `done` holds of the answer (at most
/// 2 s) and returns how long that took.
async fn until(app: &TestApp, base: &str, token: &str, done: impl Fn(&Value) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let body = app.gql_at(base, ME, json!({}), Some(token)).await;
        if done(&body) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "still answered {body} after 2 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn refused(body: &Value) -> bool {
    body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
}

/// Two reads of `me` (the second one answered from the cache where the
/// cache is on).
async fn read_twice(app: &TestApp, base: &str, token: &str) {
    for _ in 0..2 {
        let body = app.gql_at(base, ME, json!({}), Some(token)).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
}

#[tokio::test]
async fn a_revocation_or_a_new_access_role_anywhere_is_seen_by_every_instance_at_once() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    if app.db.backend() == DatabaseBackend::Postgres {
        // The listener subscribes in the background; the cache is on once
        // it does (on SQLite it never is: there is no notification).
        let start = Instant::now();
        while !app.db.sessions.is_live() {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "listener never subscribed"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    // A logout on one instance: the other refuses the token.
    let token = app.employee.token.clone();
    read_twice(&app, &other, &token).await;
    read_twice(&app, &app.address, &token).await;
    // On SQLite the cache is on once a request read the database's
    // wal-index header (`db::wal_watch`).
    assert!(app.db.sessions.is_live(), "the token cache is on");
    let body = app
        .gql("mutation { logout }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(body["data"]["logout"], true, "{body}");
    assert_eq!(
        error_code(&app.gql(ME, json!({}), Some(&app.employee)).await),
        "UNAUTHENTICATED",
        "the instance that logged out refuses the token at once"
    );
    let took = until(&app, &other, &token, refused).await;
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // A revocation behind the API's back: both instances refuse the token.
    let token = app.outsider.token.clone();
    read_twice(&app, &other, &token).await;
    read_twice(&app, &app.address, &token).await;
    let conn = &app.db.conn;
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        format!(
            "UPDATE login_session SET revoked_at = expires_at WHERE employee_id = {}",
            app.outsider.id
        ),
    ))
    .await
    .unwrap();
    if app.db.backend() == DatabaseBackend::Sqlite {
        // No notification to wait for: the very next request refuses it.
        for base in [other.as_str(), app.address.as_str()] {
            let body = app.gql_at(base, ME, json!({}), Some(&token)).await;
            assert!(refused(&body), "{body}");
        }
    }
    for base in [other.as_str(), app.address.as_str()] {
        let took = until(&app, base, &token, refused).await;
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }

    // HR makes a manager HR on one instance: the other knows at once.
    let token = app.manager.token.clone();
    read_twice(&app, &other, &token).await;
    let body = app
        .gql(
            "mutation($id: ID!) { updateEmployee(id: $id, input: { accessRole: HR }) { id } }",
            json!({ "id": app.manager.gid() }),
            Some(&app.admin),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let took = until(&app, &other, &token, |b| {
        b["data"]["me"]["accessRole"] == "HR"
    })
    .await;
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[tokio::test]
async fn on_sqlite_a_kept_token_and_progression_cost_no_statement_until_anyone_commits_anything() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Sqlite {
        return;
    }
    let server = app.server_process().await;
    let token = app.employee.token.clone();
    const PROGRESSION: &str = "{ me { id progression { options { status } } } }";
    let ask = || async {
        app.gql_at(&server.base, PROGRESSION, json!({}), Some(&token))
            .await
    };

    // A read verifies the token and reads the facts; the next one is
    // answered from the process's caches (once the process's start-up sweep, which writes, is
    // done: at most 5 s).
    let start = Instant::now();
    loop {
        assert!(ask().await.get("errors").is_none());
        let before = app.statements_at(&server.base).await;
        let body = ask().await;
        assert!(body.get("errors").is_none(), "{body}");
        if app.statements_at(&server.base).await == before {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a second read with the same token still costs statements after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A commit from another process (this test's own connection) that
    // revokes the token: refused by the very next request.
    let conn = &app.db.conn;
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        format!(
            "UPDATE login_session SET revoked_at = expires_at WHERE employee_id = {}",
            app.employee.id
        ),
    ))
    .await
    .unwrap();
    let body = ask().await;
    assert!(refused(&body), "{body}");
}
