//! Logging in and out, tokens, and passwords.

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{error_code, TestApp, User, PASSWORD};

#[tokio::test]
async fn a_user_logs_in_and_reads_their_own_profile_with_the_token() {
    let app = TestApp::spawn().await;
    let body = app.login(&app.employee.email, PASSWORD).await;
    let token = body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert!(token.len() >= 22, "token too short for 128 bits");
    let user = User {
        id: app.employee.id,
        email: app.employee.email.clone(),
        token,
    };
    let me = app
        .data(
            "{ me { id name email accessRole } }",
            json!({}),
            Some(&user),
        )
        .await;
    assert_eq!(me["me"]["id"], app.employee.gid());
    assert_eq!(me["me"]["accessRole"], "EMPLOYEE");
}

#[tokio::test]
async fn the_email_is_case_insensitive_at_login() {
    let app = TestApp::spawn().await;
    let body = app
        .login(&app.employee.email.to_uppercase(), PASSWORD)
        .await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_error() {
    let app = TestApp::spawn().await;
    let wrong = app
        .login(&app.employee.email, "not the password at all")
        .await;
    let unknown = app
        .login("nobody@test.example", "not the password at all")
        .await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let app = TestApp::spawn().await;
    let body = app.login(&app.employee.email, PASSWORD).await;
    let token = body["data"]["login"]["token"].as_str().unwrap();
    let rows = app
        .db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.backend(),
            "SELECT token_hash FROM login_session".to_owned(),
        ))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let stored: String = row.try_get("", "token_hash").unwrap();
        assert_ne!(stored, token);
    }
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = TestApp::spawn().await;
    let body = app
        .data("mutation { logout }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(body["logout"], true);
    let after = app
        .gql("{ me { id } }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_expired_or_made_up_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    app.db
        .conn
        .execute_raw(Statement::from_sql_and_values(
            app.db.backend(),
            match app.db.backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "UPDATE login_session SET expires_at = $1 WHERE employee_id = $2"
                }
                _ => "UPDATE login_session SET expires_at = ? WHERE employee_id = ?",
            },
            [
                (Utc::now() - Duration::minutes(1)).into(),
                app.employee.id.into(),
            ],
        ))
        .await
        .unwrap();
    let expired = app
        .gql("{ me { id } }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(error_code(&expired), "UNAUTHENTICATED");
    let fake = User {
        token: "made-up-token".into(),
        ..app.manager.clone()
    };
    let body = app.gql("{ me { id } }", json!({}), Some(&fake)).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn changing_the_password_checks_the_rules_and_signs_out_other_sessions() {
    let app = TestApp::spawn().await;
    let second = app.login(&app.employee.email, PASSWORD).await;
    let second = User {
        token: second["data"]["login"]["token"]
            .as_str()
            .unwrap()
            .to_owned(),
        ..app.employee.clone()
    };
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

    let refused = [
        (
            "wrong current password".to_owned(),
            "a perfectly fine passphrase".to_owned(),
        ),
        (PASSWORD.to_owned(), "too short".to_owned()),
        (PASSWORD.to_owned(), "x".repeat(129)),
        (PASSWORD.to_owned(), app.employee.email.clone()),
        (PASSWORD.to_owned(), "Emi Employee".to_owned()),
    ];
    for (current, new) in refused {
        let body = app
            .gql(
                change,
                json!({ "c": current, "n": new }),
                Some(&app.employee),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{new}: {body}");
    }
    let ok = app
        .data(
            change,
            json!({ "c": PASSWORD, "n": "a perfectly fine passphrase" }),
            Some(&app.employee),
        )
        .await;
    assert_eq!(ok["changePassword"], true);

    let this_session = app
        .gql("{ me { id } }", json!({}), Some(&app.employee))
        .await;
    assert!(this_session.get("errors").is_none(), "{this_session}");
    let other_session = app.gql("{ me { id } }", json!({}), Some(&second)).await;
    assert_eq!(error_code(&other_session), "UNAUTHENTICATED");
    assert_eq!(
        error_code(&app.login(&app.employee.email, PASSWORD).await),
        "UNAUTHENTICATED"
    );
    assert!(app
        .login(&app.employee.email, "a perfectly fine passphrase")
        .await["data"]["login"]["token"]
        .is_string());
}
