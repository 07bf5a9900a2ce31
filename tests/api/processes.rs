//! Two `rungs serve` processes against one database: this test's in-process
//! server and the real binary as a child process. Tokens, throttling and
//! one-time decisions live in the database, so both agree.

use futures::future::join_all;
use serde_json::json;

use crate::helpers::{error_code, TestApp, PASSWORD};

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

#[tokio::test]
async fn a_login_on_one_process_is_valid_on_the_other_and_logout_on_either_ends_it() {
    let app = TestApp::spawn().await;
    let second = app.server_process().await;
    let body = app
        .gql_at(
            &second.base,
            LOGIN,
            json!({ "e": app.employee.email, "p": PASSWORD }),
            None,
        )
        .await;
    let token = body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = app
        .gql_at(&app.address, "{ me { name } }", json!({}), Some(&token))
        .await;
    assert_eq!(me["data"]["me"]["name"], "Emi Employee");
    app.gql_at(&app.address, "mutation { logout }", json!({}), Some(&token))
        .await;
    let after = app
        .gql_at(&second.base, "{ me { name } }", json!({}), Some(&token))
        .await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
}

#[tokio::test]
async fn login_throttling_counts_failures_across_both_processes() {
    let app = TestApp::spawn().await;
    let second = app.server_process().await;
    for i in 0..5 {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.base.clone()
        };
        let body = app
            .gql_at(
                &base,
                LOGIN,
                json!({ "e": app.employee.email, "p": "not the password" }),
                None,
            )
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    for base in [&app.address, &second.base] {
        let body = app
            .gql_at(
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
    let second = app.server_process().await;
    let nominee = app.eligible_csr("Pat Promoted", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let approve = "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { status } }";
    let attempts = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.base.clone()
        };
        let id = id.clone();
        let token = app.hr.token.clone();
        let app = &app;
        async move {
            app.gql_at(&base, approve, json!({ "id": id }), Some(&token))
                .await
        }
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

#[tokio::test]
async fn three_processes_migrating_one_empty_database_at_once_all_succeed() {
    use sea_orm::ConnectionTrait;
    let database = crate::helpers::FreshDatabase::new().await;
    let url = database.url.clone();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_rungs"))
                .args(["migrate", "--database-url", &url])
                .env("RUST_LOG", "error")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("rungs migrate starts")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("rungs migrate ends");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let db = rungs::db::connect(&url, 2).await.expect("connect");
    let applied = db
        .conn
        .query_one_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT COUNT(*) AS n, COUNT(DISTINCT version) AS d FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let n: i64 = applied.try_get("", "n").unwrap();
    let d: i64 = applied.try_get("", "d").unwrap();
    assert!(n > 0);
    assert_eq!(n, d, "each migration applied once");
    db.conn.close().await.unwrap();
}
