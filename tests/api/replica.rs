//! Reads from a PostgreSQL read replica (issue 17). The full test needs a
//! real streaming replica: `scripts/replica.sh` makes one (a second cluster
//! from `pg_basebackup` on port 5433) and runs these tests with
//! `RUNGS_TEST_REPLICA_URL` set to it; without it that test returns at
//! once. The replica-down test needs PostgreSQL only.

use std::time::{Duration, Instant};

use rungs::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};
use serde_json::{json, Value};

use crate::helpers::{free_port, TestApp, User};

/// Another instance on `app`'s database that reads from `replica_url`,
/// allowing `max_lag_bytes`; its address.
async fn instance_with_replica(app: &TestApp, replica_url: &str, max_lag_bytes: u64) -> String {
    let instance = Application::build(&app.database_url, 4, "127.0.0.1:0")
        .await
        .expect("instance builds")
        .read_replica(replica_url, 4, max_lag_bytes)
        .await
        .expect("replica configured");
    let address = format!("http://{}", instance.address);
    tokio::spawn(instance.run_until(std::future::pending()));
    address
}

async fn readyz(app: &TestApp, base: &str) -> (u16, Value) {
    let response = app
        .client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn until_replica(app: &TestApp, base: &str, health: &str) {
    let start = Instant::now();
    loop {
        let (_, body) = readyz(app, base).await;
        if body["replica"] == health {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "replica never {health}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The ratings of `who`'s reviews as `reader` sees them through `base`.
async fn ratings(app: &TestApp, base: &str, reader: &User, who: &User) -> Vec<f64> {
    let body = app
        .gql_at(
            base,
            "query($id: ID!) { employee(id: $id) { reviews { rating } } }",
            json!({ "id": who.gid() }),
            Some(&reader.token),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["employee"]["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rating"].as_f64().unwrap())
        .collect()
}

async fn run(conn: &DatabaseConnection, sql: &str) {
    conn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, sql))
        .await
        .unwrap();
}

#[tokio::test]
async fn with_the_replica_down_reads_go_to_the_primary_and_readyz_says_so() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return; // a replica is PostgreSQL only
    }
    // Nothing listens there.
    let nowhere = format!("postgres://postgres@127.0.0.1:{}/test", free_port());
    let base = instance_with_replica(&app, &nowhere, 1 << 20).await;
    until_replica(&app, &base, "down").await;
    let (status, body) = readyz(&app, &base).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["primary"], "ok", "{body}");
    app.review(&app.employee, "2026-06-30", 4.0).await;
    assert_eq!(
        ratings(&app, &base, &app.hr, &app.employee).await,
        vec![4.0]
    );
}

#[tokio::test]
async fn queries_read_the_replica_a_writer_reads_its_writes_and_lag_sends_reads_to_the_primary() {
    let Ok(replica_server) = std::env::var("RUNGS_TEST_REPLICA_URL") else {
        return; // run by scripts/replica.sh
    };
    let app = TestApp::spawn().await;
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    let replica_url = format!("{}/{name}", replica_server.trim_end_matches('/'));
    let base = instance_with_replica(&app, &replica_url, 64 * 1024).await;
    until_replica(&app, &base, "ok").await;
    let replica = Database::connect(replica_url.as_str()).await.unwrap();

    // Replay paused: the replica stands still while the primary moves on.
    run(&replica, "SELECT pg_wal_replay_pause()").await;
    let review = app
        .gql_at(
            &base,
            "mutation($input: RecordReviewInput!) { recordReview(input: $input) { id } }",
            json!({ "input": { "employeeId": app.employee.gid(), "periodEnd": "2026-06-30", "rating": 4.0 } }),
            Some(&app.manager.token),
        )
        .await;
    assert!(review.get("errors").is_none(), "{review}");
    // The writer reads its own write (from the primary) ...
    assert_eq!(
        ratings(&app, &base, &app.manager, &app.employee).await,
        vec![4.0]
    );
    // ... while HR's query is served by the replica, which has not replayed
    // it.
    assert!(ratings(&app, &base, &app.hr, &app.employee)
        .await
        .is_empty());

    // More WAL than the instance allows: the replica is lagging, every read
    // goes to the primary, and the instance stays ready.
    run(
        app.db.primary(),
        "SELECT pg_logical_emit_message(false, 'rungs-test', repeat('x', 200000))",
    )
    .await;
    until_replica(&app, &base, "lagging").await;
    let (status, body) = readyz(&app, &base).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["replicaLagBytes"].as_u64().unwrap() > 64 * 1024,
        "{body}"
    );
    assert_eq!(
        ratings(&app, &base, &app.hr, &app.employee).await,
        vec![4.0]
    );

    // Replay resumed: the replica catches up and serves again.
    run(&replica, "SELECT pg_wal_replay_resume()").await;
    until_replica(&app, &base, "ok").await;
    assert_eq!(
        ratings(&app, &base, &app.hr, &app.employee).await,
        vec![4.0]
    );
}
