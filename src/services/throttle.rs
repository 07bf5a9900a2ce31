//! Login throttling. After 5 failed sign-ins for one email within 15
//! minutes, that email answers RATE_LIMITED for a back-off (1 minute, then
//! doubling on each new block up to 1 hour; a successful sign-in resets it):
//! slowed down, never locked for good. The same for one client address
//! after 20 failures. Keys are the email as typed (normalised), whether or
//! not an account exists, so the answers cannot tell who has an account.
//! State lives in the database: it holds across server processes.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, FromQueryResult, Statement, Value,
};

use crate::error::{AppError, AppResult};

pub const WINDOW_MINUTES: i64 = 15;
pub const ACCOUNT_LIMIT: i32 = 5;
pub const ADDRESS_LIMIT: i32 = 20;
pub const FIRST_BACKOFF_SECONDS: i64 = 60;
pub const MAX_BACKOFF_SECONDS: i64 = 3600;

/// The keys one attempt counts against.
pub fn keys(email: &str, client: Option<&str>) -> Vec<(String, i32)> {
    let mut keys = vec![(format!("account:{email}"), ACCOUNT_LIMIT)];
    if let Some(client) = client {
        keys.push((format!("address:{client}"), ADDRESS_LIMIT));
    }
    keys
}

#[derive(Debug, FromQueryResult)]
struct Row {
    failures: i32,
    window_start: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
    backoff_seconds: i64,
}

async fn lock_row(txn: &DatabaseTransaction, key: &str, now: DateTime<Utc>) -> AppResult<Row> {
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(
            backend,
            "INSERT INTO login_throttle (throttle_key, failures, window_start, blocked_until, backoff_seconds) \
             VALUES (?, 0, ?, NULL, ?) ON CONFLICT (throttle_key) DO NOTHING",
        ),
        [key.into(), now.into(), FIRST_BACKOFF_SECONDS.into()],
    ))
    .await?;
    let lock = if backend == DatabaseBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(
            backend,
            &format!(
                "SELECT failures, window_start, blocked_until, backoff_seconds FROM login_throttle WHERE throttle_key = ?{lock}"
            ),
        ),
        [key.into()],
    ))
    .one(txn)
    .await?;
    row.ok_or_else(|| AppError::internal("throttle row vanished"))
}

/// RATE_LIMITED when any key is blocked now.
pub async fn check(
    txn: &DatabaseTransaction,
    keys: &[(String, i32)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (key, _) in keys {
        let row = lock_row(txn, key, now).await?;
        if row.blocked_until.is_some_and(|until| until > now) {
            return Err(AppError::RateLimited(
                "too many failed sign-ins: wait a few minutes and try again".into(),
            ));
        }
    }
    Ok(())
}

/// Counts a failure against every key, blocking those that reach their limit.
pub async fn record_failure(
    txn: &DatabaseTransaction,
    keys: &[(String, i32)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let backend = txn.get_database_backend();
    for (key, limit) in keys {
        let row = lock_row(txn, key, now).await?;
        let in_window = now - row.window_start < Duration::minutes(WINDOW_MINUTES);
        let (mut failures, mut window_start) = if in_window {
            (row.failures + 1, row.window_start)
        } else {
            (1, now)
        };
        let mut blocked_until = row.blocked_until;
        let mut backoff = row.backoff_seconds.max(FIRST_BACKOFF_SECONDS);
        if failures >= *limit {
            blocked_until = Some(now + Duration::seconds(backoff));
            backoff = (backoff * 2).min(MAX_BACKOFF_SECONDS);
            failures = 0;
            window_start = now;
        }
        let values: Vec<Value> = vec![
            failures.into(),
            window_start.into(),
            blocked_until.into(),
            backoff.into(),
            key.as_str().into(),
        ];
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            crate::db::placeholders(
                backend,
                "UPDATE login_throttle SET failures = ?, window_start = ?, blocked_until = ?, backoff_seconds = ? WHERE throttle_key = ?",
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// A successful sign-in clears the account's record (not the address's).
pub async fn record_success(txn: &DatabaseTransaction, email: &str) -> AppResult<()> {
    let backend = txn.get_database_backend();
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(backend, "DELETE FROM login_throttle WHERE throttle_key = ?"),
        [format!("account:{email}").into()],
    ))
    .await?;
    Ok(())
}
