//! Accounts: log in, log out, change a password, and turn a bearer token
//! into the `Principal` a request acts as.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use crate::auth::{password, token, Principal};
use crate::db::entities::{employee, login_session};
use crate::db::Db;
use crate::domain::enums::AccessRole;
use crate::error::{AppError, AppResult};
use crate::services::{audit, throttle};

/// What a successful login hands back.
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub employee: employee::Model,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated
}

/// Normalises an email for storage and lookup.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks the password; unknown emails cost the same argon2 work as a wrong
/// password and get the same error.
///
/// Throttled (see `throttle`): a blocked email or client address answers
/// RATE_LIMITED before any password work.
pub async fn login(
    db: &Db,
    email: &str,
    password_text: &str,
    client: Option<&str>,
) -> AppResult<LoginOutcome> {
    let email: String = normalize_email(email).chars().take(320).collect();
    let keys = throttle::keys(&email, client);
    let charged = charge_attempt(db, &keys, &email).await?;
    let found = employee::Entity::find()
        .filter(employee::Column::Email.eq(email.as_str()))
        .one(&db.conn)
        .await?;
    let stored = found.as_ref().and_then(|e| e.password_hash.clone());
    let ok = password::verify(password_text.to_owned(), stored).await?;
    let txn = db.begin_write().await?;
    let Some(employee) = found.filter(|_| ok) else {
        audit::record(
            &txn,
            None,
            "LOGIN_FAILED",
            "session",
            "-",
            json!({ "email": email }),
        )
        .await?;
        txn.commit().await?;
        crate::metrics::LOGIN_FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(invalid_credentials());
    };
    throttle::record_success(&txn, &keys, &charged, Utc::now()).await?;
    let raw = token::generate();
    let now = Utc::now();
    let expires_at = now + Duration::hours(token::TOKEN_LIFETIME_HOURS);
    let session = login_session::ActiveModel {
        token_hash: Set(token::digest(&raw)),
        employee_id: Set(employee.id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(employee.id),
        "LOGIN",
        "session",
        session.id,
        json!({ "expiresAt": expires_at }),
    )
    .await?;
    txn.commit().await?;
    Ok(LoginOutcome {
        token: raw,
        expires_at,
        employee,
    })
}

pub use crate::auth::sessions::Authenticated;

/// The principal behind a bearer token, if the token is live: who it
/// belongs to, their employee row (so the request need not read it again)
/// and the ladder version (so the ladder cache check costs nothing extra),
/// all in one statement, or none when this process verified the token
/// lately and has heard of no change since (see `auth::sessions`).
pub async fn authenticate(db: &Db, raw_token: &str) -> AppResult<Option<Authenticated>> {
    let digest = token::digest(raw_token);
    let now = Utc::now();
    db.follow_wal();
    if let Some(found) = db.sessions.get(&digest, now) {
        return Ok(Some(found));
    }
    let generation = db.sessions.generation();
    let Some(crate::db::accounts::LiveSession {
        employee,
        session_id,
        expires_at,
        ladder_version,
    }) = crate::db::accounts::live_session(&db.conn, &digest, now).await?
    else {
        return Ok(None);
    };
    let access_role: AccessRole = employee.access_role.into();
    let found = Authenticated {
        principal: Principal {
            employee_id: employee.id,
            access_role,
            session_id,
        },
        employee,
        ladder_version,
        expires_at,
    };
    db.sessions.keep(digest, found.clone(), generation);
    Ok(Some(found))
}

/// Revokes the caller's token.
pub async fn logout(db: &Db, principal: &Principal) -> AppResult<()> {
    let txn = db.begin_write().await?;
    login_session::Entity::update_many()
        .col_expr(
            login_session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(login_session::Column::Id.eq(principal.session_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "LOGOUT",
        "session",
        principal.session_id,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    db.sessions.clear();
    Ok(())
}

/// Charges one sign-in attempt (see `throttle::charge`) in its own write
/// transaction, before any password work; a refusal is audited.
async fn charge_attempt(
    db: &Db,
    keys: &[(String, i32)],
    email: &str,
) -> AppResult<throttle::Charged> {
    let txn = db.begin_write().await?;
    match throttle::charge(&txn, keys, Utc::now()).await {
        Ok(charged) => {
            txn.commit().await?;
            Ok(charged)
        }
        Err(limited @ AppError::RateLimited(_)) => {
            audit::record(
                &txn,
                None,
                "LOGIN_RATE_LIMITED",
                "session",
                "-",
                json!({ "email": email }),
            )
            .await?;
            txn.commit().await?;
            Err(limited)
        }
        Err(other) => Err(other),
    }
}

/// Changes the caller's password after checking the current one (charged
/// against the account's sign-in throttle, like a login), and
/// revokes every other session of the account.
pub async fn change_password(
    db: &Db,
    principal: &Principal,
    current: &str,
    new_password: &str,
    client: Option<&str>,
) -> AppResult<()> {
    let me = employee::Entity::find_by_id(principal.employee_id)
        .one(&db.conn)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let keys = throttle::keys(&me.email, client);
    let charged = charge_attempt(db, &keys, &me.email).await?;
    if !password::verify(current.to_owned(), me.password_hash.clone()).await? {
        return Err(AppError::bad_input("the current password is wrong"));
    }
    {
        let txn = db.begin_write().await?;
        throttle::record_success(&txn, &keys, &charged, Utc::now()).await?;
        txn.commit().await?;
    }
    password::check_policy(new_password, &me.email, &me.name)?;
    let hashed = password::hash(new_password.to_owned()).await?;
    let txn = db.begin_write().await?;
    let id = me.id;
    let mut active = me.into_active_model();
    active.password_hash = Set(Some(hashed));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    login_session::Entity::update_many()
        .col_expr(
            login_session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(login_session::Column::EmployeeId.eq(id))
        .filter(login_session::Column::Id.ne(principal.session_id))
        .filter(login_session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(id),
        "CHANGE_PASSWORD",
        "employee",
        id,
        json!({ "otherSessionsRevoked": true }),
    )
    .await?;
    txn.commit().await?;
    db.sessions.clear();
    Ok(())
}
