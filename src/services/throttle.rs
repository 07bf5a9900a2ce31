//! Login throttling. After 5 failed sign-ins for one email within 15
//! minutes, that email answers RATE_LIMITED for a back-off (1 minute, then
//! doubling on each new block up to 1 hour; a successful sign-in resets it):
//! slowed down, never locked for good. The same for one client address
//! after 20 failures. Keys are the email as typed (normalised), whether or
//! not an account exists, so the answers cannot tell who has an account.
//! State lives in the database: it holds across server processes.
//!
//! An attempt is charged (counted as a failure) under the row lock before
//! argon2 runs, and a success takes it back, so parallel guesses cannot
//! slip past the count. `changePassword` is charged against the same
//! account key.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseTransaction;

use crate::db::throttle::{self, ThrottleRow};
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

async fn lock_row(
    txn: &DatabaseTransaction,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<ThrottleRow> {
    let row = throttle::lock_row(txn, key, now, FIRST_BACKOFF_SECONDS).await?;
    row.ok_or_else(|| AppError::internal("the throttle upsert returned no row"))
}

async fn store(txn: &DatabaseTransaction, key: &str, row: &ThrottleRow) -> AppResult<()> {
    Ok(throttle::store(txn, key, row).await?)
}

fn rate_limited() -> AppError {
    AppError::RateLimited("too many failed sign-ins: wait a few minutes and try again".into())
}

/// What [`charge`] did, so that a success can take it back.
pub struct Charged {
    /// Per key: whether this attempt's charge blocked it.
    blocked: Vec<bool>,
}

/// Charges one attempt against every key, before the password is checked:
/// RATE_LIMITED when a key is blocked now. Otherwise the attempt counts as
/// a failure, and the one that reaches a key's limit blocks the key for its
/// back-off (which then doubles) while it is still checked itself. Every
/// attempt counts until [`record_success`] takes it back, so N parallel
/// guesses count N whatever order they finish in, and at most `limit` are
/// ever checked. Call inside one write transaction: the rows stay locked
/// until it commits.
pub async fn charge(
    txn: &DatabaseTransaction,
    keys: &[(String, i32)],
    now: DateTime<Utc>,
) -> AppResult<Charged> {
    // Decide over every key first: a refusal charges nothing.
    let mut rows = Vec::with_capacity(keys.len());
    for (key, limit) in keys {
        let row = lock_row(txn, key, now).await?;
        if row.blocked_until.is_some_and(|until| until > now) {
            return Err(rate_limited());
        }
        rows.push((key, *limit, row));
    }
    let mut blocked = Vec::with_capacity(rows.len());
    for (key, limit, mut row) in rows {
        if now - row.window_start >= Duration::minutes(WINDOW_MINUTES) {
            row.failures = 0;
            row.window_start = now;
        }
        row.failures += 1;
        let blocks = row.failures >= limit;
        if blocks {
            let backoff = row.backoff_seconds.max(FIRST_BACKOFF_SECONDS);
            row.blocked_until = Some(now + Duration::seconds(backoff));
            row.backoff_seconds = (backoff * 2).min(MAX_BACKOFF_SECONDS);
            row.failures = 0;
            row.window_start = now;
        }
        store(txn, key, &row).await?;
        blocked.push(blocks);
    }
    Ok(Charged { blocked })
}

/// A successful sign-in clears the account's record (the first key) and
/// takes the attempt back from the others (the client address), undoing a
/// block this very attempt set.
pub async fn record_success(
    txn: &DatabaseTransaction,
    keys: &[(String, i32)],
    charged: &Charged,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (i, (key, limit)) in keys.iter().enumerate() {
        let mut row = lock_row(txn, key, now).await?;
        if i == 0 {
            row.failures = 0;
            row.blocked_until = None;
            row.backoff_seconds = FIRST_BACKOFF_SECONDS;
        } else if charged.blocked.get(i).copied().unwrap_or(false) {
            row.failures = limit - 1;
            row.blocked_until = None;
            row.backoff_seconds = (row.backoff_seconds / 2).max(FIRST_BACKOFF_SECONDS);
        } else {
            row.failures = (row.failures - 1).max(0);
        }
        store(txn, key, &row).await?;
    }
    Ok(())
}
