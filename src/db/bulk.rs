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

pub const ASSESSMENT_COLUMNS: &[&str] = &[
    "employee_id",
    "skill_id",
    "level",
    "source",
    "assessed_on",
    "assessor_id",
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
    insert_rows_then(db, table, columns, rows, "").await
}

/// [`insert_rows`] with `tail` (an `ON CONFLICT` clause) after each
/// statement's values.
pub async fn insert_rows_then<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
    tail: &str,
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
        sql.push_str(tail);
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

/// The tables `rungs seed` fills row by row in bulk.
pub const LOADED_TABLES: &[&str] = &[
    "employee",
    "role_assignment",
    "certification",
    "performance_review",
    "skill_assessment",
    "nomination",
];

/// What [`pause_triggers`] took away, for [`resume_triggers`] to put back.
#[must_use = "resume_triggers puts the triggers back before the commit"]
pub struct Paused {
    /// SQLite: the `CREATE TRIGGER` statements of the dropped triggers.
    sqlite: Vec<String>,
    /// PostgreSQL: the tables whose user triggers were disabled.
    postgres: Vec<String>,
    /// PostgreSQL: the foreign keys of those tables that were dropped, as
    /// (table, constraint, definition).
    foreign_keys: Vec<(String, String, String)>,
}

/// Pauses, inside the write transaction `txn` only, the triggers that mark
/// eligibility state stale and move the change counters (see migration
/// `m20261126_000007`): for a bulk loader that then marks what it loaded
/// itself ([`mark_loaded`]). Nobody else ever sees the flag set: it is
/// cleared by [`resume_triggers`] before the commit, and a rollback clears
/// it too.
///
/// The row triggers of `tables` are taken away altogether for the
/// transaction, since even a paused trigger costs a statement per row
/// (SQLite) or a transition table (PostgreSQL). On PostgreSQL their
/// foreign keys are dropped for the transaction too and put back NOT VALID
/// (see [`validate_foreign_keys`]): a key check is a lookup and a row lock
/// per row, two thirds of the time of inserting reviews. Both databases
/// change schemas inside a transaction, so others never see them missing:
/// SQLite drops and recreates them (one writer at a time; readers keep
/// their snapshot); PostgreSQL disables the user triggers of each table,
/// which holds the table's lock until the commit (a bulk load's readers
/// wait for it).
pub async fn pause_triggers<C: ConnectionTrait>(txn: &C, tables: &[&str]) -> Result<Paused, DbErr> {
    set_pause(txn, 1).await?;
    let backend = txn.get_database_backend();
    let mut paused = Paused {
        sqlite: Vec::new(),
        postgres: Vec::new(),
        foreign_keys: Vec::new(),
    };
    if tables.is_empty() {
        return Ok(paused);
    }
    let names: Vec<String> = tables.iter().map(|t| format!("'{t}'")).collect();
    match backend {
        DatabaseBackend::Postgres => {
            for table in tables {
                txn.execute_unprepared(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
                    .await?;
                paused.postgres.push((*table).to_owned());
            }
            let rows = txn
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS name, \
                           pg_get_constraintdef(c.oid) AS def FROM pg_constraint c \
                         WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ({}) ORDER BY 1, 2",
                        names.join(", ")
                    ),
                ))
                .await?;
            for row in rows {
                let table: String = row.try_get("", "tbl")?;
                let name: String = row.try_get("", "name")?;
                let definition: String = row.try_get("", "def")?;
                txn.execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
                    .await?;
                paused.foreign_keys.push((table, name, definition));
            }
        }
        _ => {
            let rows = txn
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({}) ORDER BY name",
                        names.join(", ")
                    ),
                ))
                .await?;
            for row in rows {
                let name: String = row.try_get("", "name")?;
                let sql: String = row.try_get("", "sql")?;
                txn.execute_unprepared(&format!("DROP TRIGGER \"{name}\""))
                    .await?;
                paused.sqlite.push(sql);
            }
        }
    }
    Ok(paused)
}

/// Puts back what [`pause_triggers`] took away and clears the flag; call
/// before committing.
pub async fn resume_triggers<C: ConnectionTrait>(txn: &C, paused: Paused) -> Result<(), DbErr> {
    for sql in &paused.sqlite {
        txn.execute_unprepared(sql).await?;
    }
    for table in &paused.postgres {
        txn.execute_unprepared(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))
            .await?;
    }
    // NOT VALID: the key holds for every later write at once; the rows this
    // transaction loaded are checked by `validate_foreign_keys`, in one
    // pass per key at the end of the load instead of one lookup per row.
    for (table, name, definition) in &paused.foreign_keys {
        txn.execute_unprepared(&format!(
            "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition} NOT VALID"
        ))
        .await?;
    }
    if !paused.postgres.is_empty() {
        // The paused triggers include the ones that tell every instance's
        // caches of changes (`db::notify`): tell them once, at the commit.
        txn.execute_unprepared(
            "SELECT pg_notify('rungs_auth', 'bulk'), pg_notify('rungs_facts', 'bulk')",
        )
        .await?;
    }
    set_pause(txn, 0).await
}

/// PostgreSQL: checks every foreign key that [`resume_triggers`] put back
/// NOT VALID against the rows loaded meanwhile (one anti-join per key); a
/// row that breaks one fails the load here. Nothing to do on SQLite.
pub async fn validate_foreign_keys<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return Ok(());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT c.conrelid::regclass::text AS tbl, c.conname::text AS name FROM pg_constraint c \
             WHERE c.contype = 'f' AND NOT c.convalidated ORDER BY 1, 2"
                .to_owned(),
        ))
        .await?;
    for row in rows {
        let table: String = row.try_get("", "tbl")?;
        let name: String = row.try_get("", "name")?;
        db.execute_unprepared(&format!(
            "ALTER TABLE {table} VALIDATE CONSTRAINT \"{name}\""
        ))
        .await?;
    }
    Ok(())
}

async fn set_pause<C: ConnectionTrait>(txn: &C, paused: i32) -> Result<(), DbErr> {
    txn.execute_raw(Statement::from_string(
        txn.get_database_backend(),
        format!("UPDATE trigger_pause SET paused = {paused} WHERE id = 1"),
    ))
    .await
    .map(|_| ())
}

/// After a load with paused triggers that stored the state of the people
/// it added itself (ids above `loaded_after`): every earlier employee gets
/// a state row if they had none, every earlier row is marked stale (what
/// the load added, such as courses or bands, may change their answers), and
/// every change counter moves.
pub async fn mark_loaded<C: ConnectionTrait>(txn: &C, loaded_after: i64) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    for sql in [
        format!(
            "INSERT INTO eligibility_state (employee_id, job_role_id, site, market, manager_id, hired_on, due, revision) \
             SELECT e.id, e.job_role_id, e.site, e.market, e.manager_id, e.hired_on, '1900-01-01', 1 FROM employee e \
             WHERE e.id <= {loaded_after} AND NOT EXISTS (SELECT 1 FROM eligibility_state s WHERE s.employee_id = e.id)"
        ),
        format!(
            "UPDATE eligibility_state SET due = '1900-01-01', revision = revision + 1 \
             WHERE employee_id <= {loaded_after}"
        ),
        "UPDATE change_counter SET version = version + 1".to_owned(),
        // What the counter triggers of the paused tables would have done.
        "UPDATE data_version SET version = version + 1 WHERE id = 1".to_owned(),
    ] {
        txn.execute_raw(Statement::from_string(backend, sql)).await?;
    }
    Ok(())
}

/// Secondary indexes a bulk load builds once at its end instead of row by
/// row (at 1,000,000 people they cost the SQLite seed 40 s maintained, a
/// few seconds built; see migration `m20261202_000009`).
pub const DEFERRED_INDEXES: &[&str] = &[
    "employee_role_site_hired",
    "employee_site_hired",
    "employee_market_hired",
    "employee_manager_hired",
    "employee_pay_histogram",
    "certification_coverage",
];

/// Drops [`DEFERRED_INDEXES`], first saving their definitions (as the
/// database reports them) in `deferred_index`, in the same transaction: a
/// load that dies before [`restore_indexes`] leaves them there, and the
/// next start-up (`db::migrate`) builds them back.
pub async fn defer_indexes(db: &crate::db::Db) -> Result<(), DbErr> {
    let backend = db.backend();
    let names = DEFERRED_INDEXES
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT indexname::text AS name, indexdef AS definition FROM pg_indexes WHERE indexname IN ({names})"
        ),
        _ => format!(
            "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND name IN ({names})"
        ),
    };
    // A write transaction from the start: a deferred one that reads and
    // then writes fails at once (SQLITE_BUSY) if another connection wrote
    // in between; see `Db::begin_write`.
    let txn = db.begin_write().await?;
    for row in txn
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let name: String = row.try_get("", "name")?;
        let definition: String = row.try_get("", "definition")?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            crate::db::placeholders(
                backend,
                "INSERT INTO deferred_index (name, definition) VALUES (?, ?)",
            ),
            [name.clone().into(), definition.into()],
        ))
        .await?;
        txn.execute_unprepared(&format!("DROP INDEX {name}"))
            .await?;
    }
    txn.commit().await
}

/// Builds every index [`defer_indexes`] dropped (each in a transaction
/// with forgetting its saved definition). One small statement when there
/// is none.
pub async fn restore_indexes(db: &crate::db::Db) -> Result<(), DbErr> {
    let backend = db.backend();
    let saved = db
        .conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT name, definition FROM deferred_index ORDER BY name".to_owned(),
        ))
        .await?;
    for row in saved {
        let name: String = row.try_get("", "name")?;
        let definition: String = row.try_get("", "definition")?;
        let txn = db.begin_write().await?;
        txn.execute_unprepared(&definition).await?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            crate::db::placeholders(backend, "DELETE FROM deferred_index WHERE name = ?"),
            [name.into()],
        ))
        .await?;
        txn.commit().await?;
    }
    Ok(())
}
