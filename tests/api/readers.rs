//! On PostgreSQL the batch loaders of queries read through connections lent
//! without sqlx's ping on release (`db::readers`, issue 15). A lent
//! connection the server dropped is replaced, and the read answered, rather
//! than failing the request.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::json;

use crate::helpers::TestApp;

const ONE: &str =
    "query($id: ID!) { employee(id: $id) { id name manager { name } certifications { kind } } }";

fn count_employees() -> Statement {
    Statement::from_string(
        DatabaseBackend::Postgres,
        "SELECT count(*) AS n FROM employee",
    )
}

#[tokio::test]
async fn a_lent_connection_the_server_dropped_is_replaced_and_the_read_answered() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return;
    }
    // Warm: the lent connections exist and have served queries.
    for _ in 0..5 {
        let one = app
            .data(ONE, json!({ "id": app.employee.gid() }), Some(&app.hr))
            .await;
        assert!(one["employee"]["manager"]["name"].is_string(), "{one}");
    }
    let before = app
        .db
        .reader
        .query_all_raw(count_employees())
        .await
        .unwrap();
    let people: i64 = before[0].try_get("", "n").unwrap();

    // Act: the server drops every connection to this database but the one
    // asking (a restart, a failover, a proxy's idle timeout).
    app.db
        .conn
        .execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ))
        .await
        .unwrap();

    // Assert: each read through the lent connections still answers.
    for _ in 0..5 {
        let rows = app
            .db
            .reader
            .query_all_raw(count_employees())
            .await
            .unwrap();
        assert_eq!(rows[0].try_get::<i64>("", "n").unwrap(), people);
    }
}
