//! Multi-row INSERTs for bulk loads (the synthetic organisation, imports),
//! chunked under the bound-parameter limits (SQLite 32,766; PostgreSQL
//! 65,535).

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

/// Columns of the bulk-loaded tables, in the order the loaders build rows.
pub const EMPLOYEE_COLUMNS: &[&str] = &[
    "id",
    "employee_number",
    "name",
    "email",
    "password_hash",
    "access_role",
    "job_role_id",
    "manager_id",
    "site",
    "market",
    "work_arrangement",
    "employment_type",
    "hired_on",
    "role_since",
    "salary_minor",
    "currency",
    "created_at",
    "updated_at",
];
pub const ROLE_ASSIGNMENT_COLUMNS: &[&str] = &[
    "employee_id",
    "job_role_id",
    "started_on",
    "ended_on",
    "salary_minor",
    "currency",
];
pub const CERTIFICATION_COLUMNS: &[&str] = &[
    "employee_id",
    "kind",
    "name",
    "belt",
    "language",
    "cefr",
    "issued_on",
    "expires_on",
    "status",
    "created_at",
];
pub const REVIEW_COLUMNS: &[&str] = &[
    "employee_id",
    "period_end",
    "rating",
    "csat",
    "avg_response_seconds",
    "resolution_accuracy",
    "interactions_per_day",
    "recorded_by_id",
    "created_at",
];

/// Most parameters in one statement.
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` (each with one value per column) into `table`.
pub async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), DbErr> {
    if rows.is_empty() || columns.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let per_chunk = (MAX_PARAMS / columns.len()).max(1);
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_chunk).collect();
        let mut sql = String::with_capacity(head.len() + chunk.len() * columns.len() * 6);
        sql.push_str(&head);
        let mut values = Vec::with_capacity(chunk.len() * columns.len());
        let mut n = 0usize;
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for (j, value) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(',');
                }
                n += 1;
                match backend {
                    DatabaseBackend::Postgres => {
                        sql.push('$');
                        sql.push_str(&n.to_string());
                    }
                    _ => sql.push('?'),
                }
                values.push(value);
            }
            sql.push(')');
        }
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// After inserting explicit ids on PostgreSQL, moves the identity sequence
/// past them (SQLite's AUTOINCREMENT follows by itself).
pub async fn sync_sequence<C: ConnectionTrait>(db: &C, table: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}

/// The largest id in `table` (0 when empty).
pub async fn max_id<C: ConnectionTrait>(db: &C, table: &str) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}"),
        ))
        .await?;
    match row {
        Some(row) => row.try_get::<i64>("", "m"),
        None => Ok(0),
    }
}

/// Pauses, inside the write transaction `txn` only, the triggers that mark
/// eligibility state stale and move the change counters (see migration
/// `m20261126_000007`): for a bulk loader that then marks what it loaded
/// itself ([`mark_loaded`]). Nobody else ever sees the flag set: it is
/// cleared by [`resume_triggers`] before the commit, and a rollback clears
/// it too.
pub async fn pause_triggers<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    set_pause(txn, 1).await
}

/// Clears [`pause_triggers`]; call before committing.
pub async fn resume_triggers<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    set_pause(txn, 0).await
}

async fn set_pause<C: ConnectionTrait>(txn: &C, paused: i32) -> Result<(), DbErr> {
    txn.execute_raw(Statement::from_string(
        txn.get_database_backend(),
        format!("UPDATE trigger_pause SET paused = {paused} WHERE id = 1"),
    ))
    .await
    .map(|_| ())
}

/// After a load with paused triggers: every employee without a state row
/// gets one, every row is marked stale, and every change counter moves.
pub async fn mark_loaded<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    for sql in [
        "INSERT INTO eligibility_state (employee_id, job_role_id, site, market, manager_id, hired_on, due, revision) \
         SELECT e.id, e.job_role_id, e.site, e.market, e.manager_id, e.hired_on, '1900-01-01', 1 FROM employee e \
         WHERE NOT EXISTS (SELECT 1 FROM eligibility_state s WHERE s.employee_id = e.id)",
        "UPDATE eligibility_state SET due = '1900-01-01', revision = revision + 1",
        "UPDATE change_counter SET version = version + 1",
    ] {
        txn.execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await?;
    }
    Ok(())
}
