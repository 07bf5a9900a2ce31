//! The login-throttle rows (`login_throttle`): one per key, never deleted.
//! The rules that read and change them are in `services::throttle`.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, FromQueryResult, Statement, Value};

/// One key's record.
#[derive(Debug, FromQueryResult)]
pub struct ThrottleRow {
    pub failures: i32,
    pub window_start: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
    pub backoff_seconds: i64,
}

/// Creates the key's row if needed (with `first_backoff_seconds`) and locks
/// it, in one statement (an upsert that always writes, so PostgreSQL holds
/// the row lock until the transaction ends; SQLite's write transaction
/// holds the database). The row is never deleted, so it cannot vanish
/// between two statements.
pub async fn lock_row(
    txn: &DatabaseTransaction,
    key: &str,
    now: DateTime<Utc>,
    first_backoff_seconds: i64,
) -> Result<Option<ThrottleRow>, DbErr> {
    let backend = txn.get_database_backend();
    ThrottleRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(
            backend,
            "INSERT INTO login_throttle (throttle_key, failures, window_start, blocked_until, backoff_seconds) \
             VALUES (?, 0, ?, NULL, ?) \
             ON CONFLICT (throttle_key) DO UPDATE SET throttle_key = excluded.throttle_key \
             RETURNING failures, window_start, blocked_until, backoff_seconds",
        ),
        [key.into(), now.into(), first_backoff_seconds.into()],
    ))
    .one(txn)
    .await
}

/// Writes the key's record back.
pub async fn store(txn: &DatabaseTransaction, key: &str, row: &ThrottleRow) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    let values: Vec<Value> = vec![
        row.failures.into(),
        row.window_start.into(),
        row.blocked_until.into(),
        row.backoff_seconds.into(),
        key.into(),
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
    Ok(())
}
