//! Running totals over the eligibility state, kept by the database, so that
//! today's organisation-wide dashboards add up a few thousand cells instead
//! of scanning a row per employee (issue 14):
//!
//! - `eligibility_cell`: per (role, site, market, manager), how many people
//!   are counted today and how many of them are eligible, fast-track,
//!   not yet, ineligible, without a next step, stalled. A state row counts
//!   when the person was hired on or before the day it was computed
//!   (`counted`); a future hire's row is due on their hire day, so the
//!   cells hold exactly today's figures whenever no row is due.
//! - `course_unblock_count`: per course, how many counted people completing
//!   it would unblock.
//! - `change_counter`: one counter per group of tables, moved by every
//!   change to them, so that in-process caches of the other dashboard
//!   figures are invalidated only by the changes that affect them (a review
//!   changes no headcount).
//!
//! Triggers on `eligibility_state` and `eligibility_unblock` keep the cells
//! and counts; writers never touch them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261126_000007_eligibility_state::{RETURN_IF_PAUSED, UNPAUSED};
use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000008_eligibility_cells"
    }
}

const UP: &str = r#"
ALTER TABLE eligibility_state ADD COLUMN counted INTEGER NOT NULL DEFAULT 0
--;;
CREATE TABLE eligibility_cell (
    job_role_id BIGINT NOT NULL,
    site TEXT NOT NULL,
    market TEXT NOT NULL,
    manager_id BIGINT NOT NULL,
    total BIGINT NOT NULL DEFAULT 0,
    eligible BIGINT NOT NULL DEFAULT 0,
    fast_track BIGINT NOT NULL DEFAULT 0,
    not_yet BIGINT NOT NULL DEFAULT 0,
    ineligible BIGINT NOT NULL DEFAULT 0,
    no_next_step BIGINT NOT NULL DEFAULT 0,
    stalled BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_role_id, site, market, manager_id)
)
--;;
CREATE TABLE course_unblock_count (
    course_id BIGINT PRIMARY KEY,
    people BIGINT NOT NULL DEFAULT 0
)
--;;
CREATE TABLE change_counter (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
)
--;;
INSERT INTO change_counter (name, version) VALUES ('people', 1), ('certifications', 1), ('nominations', 1)
--;;
DELETE FROM eligibility_unblock
"#;

/// Every row is recomputed (by the first read or the sweep), which fills
/// the cells and counts through the triggers.
const RECOMPUTE: &str = "UPDATE eligibility_state SET due = '1900-01-01', revision = revision + 1";

/// Which counter each table moves.
const COUNTED_TABLES: &[(&str, &str)] = &[
    ("employee", "people"),
    ("role_assignment", "people"),
    ("salary_band", "people"),
    ("job_role", "people"),
    ("certification", "certifications"),
    ("nomination", "nominations"),
];

/// The figures a state row adds to its cell (negated to take it away).
fn figures(row: &str, sign: &str) -> [String; 7] {
    let c = format!("{sign}{row}.counted");
    [
        c.clone(),
        format!("{c} * {row}.eligible"),
        format!("{c} * {row}.fast_track"),
        format!("{c} * {row}.not_yet"),
        format!("{c} * {row}.ineligible"),
        format!("{c} * {row}.no_next_step"),
        format!("{c} * {row}.stalled"),
    ]
}

const CELL_COLUMNS: [&str; 7] = [
    "total",
    "eligible",
    "fast_track",
    "not_yet",
    "ineligible",
    "no_next_step",
    "stalled",
];

fn cell_upsert(select: &str) -> String {
    let sets: Vec<String> = CELL_COLUMNS
        .iter()
        .map(|c| format!("{c} = eligibility_cell.{c} + excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO eligibility_cell (job_role_id, site, market, manager_id, {}) {select} \
         ON CONFLICT (job_role_id, site, market, manager_id) DO UPDATE SET {}",
        CELL_COLUMNS.join(", "),
        sets.join(", ")
    )
}

/// The state columns a cell depends on.
const STATE_COLUMNS: &str = "job_role_id, site, market, manager_id, counted, eligible, fast_track, not_yet, ineligible, no_next_step, stalled";

fn sqlite_triggers() -> String {
    let mut script = String::new();
    let add = |row: &str, sign: &str| {
        cell_upsert(&format!(
            "SELECT {row}.job_role_id, {row}.site, {row}.market, COALESCE({row}.manager_id, 0), {} WHERE true",
            figures(row, sign).join(", ")
        ))
    };
    script.push_str(&format!(
        "CREATE TRIGGER eligibility_state_insert_cells AFTER INSERT ON eligibility_state \
         WHEN NEW.counted = 1 BEGIN {}; END\n--;;\n",
        add("NEW", "")
    ));
    // Two triggers, so a row counted for the first time adds and takes
    // away nothing.
    script.push_str(&format!(
        "CREATE TRIGGER eligibility_state_update_cells_old AFTER UPDATE OF {STATE_COLUMNS} ON eligibility_state \
         WHEN OLD.counted = 1 BEGIN {}; END\n--;;\n\
         CREATE TRIGGER eligibility_state_update_cells_new AFTER UPDATE OF {STATE_COLUMNS} ON eligibility_state \
         WHEN NEW.counted = 1 BEGIN {}; END\n--;;\n",
        add("OLD", "-"),
        add("NEW", "")
    ));
    script.push_str(&format!(
        "CREATE TRIGGER eligibility_state_delete_cells AFTER DELETE ON eligibility_state \
         WHEN OLD.counted = 1 BEGIN {}; END\n--;;\n",
        add("OLD", "-")
    ));
    let count = |course: &str, delta: &str| {
        format!(
            "INSERT INTO course_unblock_count (course_id, people) VALUES ({course}, {delta}) \
             ON CONFLICT (course_id) DO UPDATE SET people = course_unblock_count.people + excluded.people"
        )
    };
    script.push_str(&format!(
        "CREATE TRIGGER eligibility_unblock_insert_count AFTER INSERT ON eligibility_unblock BEGIN {}; END\n--;;\n\
         CREATE TRIGGER eligibility_unblock_delete_count AFTER DELETE ON eligibility_unblock BEGIN {}; END\n--;;\n",
        count("NEW.course_id", "1"),
        count("OLD.course_id", "-1")
    ));
    for (table, counter) in COUNTED_TABLES {
        for op in ["INSERT", "UPDATE", "DELETE"] {
            script.push_str(&format!(
                "CREATE TRIGGER {table}_{}_moves_{counter} AFTER {op} ON {table} WHEN {UNPAUSED} \
                 BEGIN UPDATE change_counter SET version = version + 1 WHERE name = '{counter}'; END\n--;;\n",
                op.to_lowercase()
            ));
        }
    }
    script
}

/// PostgreSQL: statement-level triggers over transition tables, summing
/// per cell first and upserting cells in key order (so two transactions
/// take cell locks in the same order).
fn postgres_triggers() -> String {
    let mut script = String::new();
    let part = |rows: &str, sign: &str| {
        format!(
            "SELECT r.job_role_id, r.site, r.market, COALESCE(r.manager_id, 0) AS manager_id, {} FROM {rows} r WHERE r.counted = 1",
            figures("r", sign)
                .iter()
                .zip(CELL_COLUMNS)
                .map(|(f, c)| format!("{f} AS {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let sums: Vec<String> = CELL_COLUMNS.iter().map(|c| format!("SUM({c})")).collect();
    let apply = |parts: &str| {
        cell_upsert(&format!(
            "SELECT job_role_id, site, market, manager_id, {} FROM ({parts}) d \
             GROUP BY job_role_id, site, market, manager_id ORDER BY job_role_id, site, market, manager_id",
            sums.join(", ")
        ))
    };
    script.push_str(&format!(
        "CREATE FUNCTION eligibility_cells() RETURNS trigger AS $$ BEGIN \
         IF TG_OP = 'INSERT' THEN {}; \
         ELSIF TG_OP = 'UPDATE' THEN {}; \
         ELSE {}; END IF; RETURN NULL; END $$ LANGUAGE plpgsql\n--;;\n",
        apply(&part("new_rows", "")),
        apply(&format!(
            "{} UNION ALL {}",
            part("old_rows", "-"),
            part("new_rows", "")
        )),
        apply(&part("old_rows", "-")),
    ));
    for (op, referencing) in [
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ] {
        script.push_str(&format!(
            "CREATE TRIGGER eligibility_state_{}_cells AFTER {op} ON eligibility_state \
             REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION eligibility_cells()\n--;;\n",
            op.to_lowercase()
        ));
    }
    let count = |rows: &str, sign: &str| {
        format!(
            "INSERT INTO course_unblock_count (course_id, people) \
             SELECT course_id, {sign}COUNT(*) FROM {rows} GROUP BY course_id ORDER BY course_id \
             ON CONFLICT (course_id) DO UPDATE SET people = course_unblock_count.people + excluded.people"
        )
    };
    script.push_str(&format!(
        "CREATE FUNCTION course_unblock_counts() RETURNS trigger AS $$ BEGIN \
         IF TG_OP = 'INSERT' THEN {}; ELSE {}; END IF; RETURN NULL; END $$ LANGUAGE plpgsql\n--;;\n\
         CREATE TRIGGER eligibility_unblock_insert_count AFTER INSERT ON eligibility_unblock \
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION course_unblock_counts()\n--;;\n\
         CREATE TRIGGER eligibility_unblock_delete_count AFTER DELETE ON eligibility_unblock \
         REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION course_unblock_counts()\n--;;\n",
        count("new_rows", ""),
        count("old_rows", "-")
    ));
    for counter in ["people", "certifications", "nominations"] {
        script.push_str(&format!(
            "CREATE FUNCTION move_{counter}() RETURNS trigger AS $$ BEGIN {RETURN_IF_PAUSED} \
             UPDATE change_counter SET version = version + 1 WHERE name = '{counter}'; RETURN NULL; END \
             $$ LANGUAGE plpgsql\n--;;\n"
        ));
    }
    for (table, counter) in COUNTED_TABLES {
        script.push_str(&format!(
            "CREATE TRIGGER {table}_moves_{counter} AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION move_{counter}()\n--;;\n"
        ));
    }
    script
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, &postgres_triggers()).await?,
            _ => sql::run(manager, &sqlite_triggers()).await?,
        }
        sql::run(manager, RECOMPUTE).await
    }
}
