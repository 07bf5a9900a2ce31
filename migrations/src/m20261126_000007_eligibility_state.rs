//! The persistent eligibility state (issue 14): one row per employee with
//! the engine's answer for the day it was computed (`computed_on`), and the
//! first day it may change without any write (`due`).
//!
//! The database itself marks rows stale: triggers on every table the
//! answer depends on set `due` to 1900-01-01 (always due) and move
//! `revision`, so no writer (API, import, seed, a DBA's script) can leave a
//! row claiming to be current when it is not. Writers through the API then
//! recompute their employee's row in the same transaction; readers recompute
//! whatever is still due before they aggregate. `revision` lets a
//! background recomputation write its answer only if nothing changed the
//! row since it read it.
//!
//! What marks whom:
//! - employee (insert, or a change of role, manager, site, market, dates,
//!   salary or currency): that employee, whose grouping columns are copied;
//! - certification, performance_review, skill_assessment: their employee;
//! - nomination: the nominee (an open nomination stops STALLED);
//! - ladder_step, step_requirement, step_skill: everyone on the step's
//!   from-role; salary_band: everyone on a role with a step into the band's
//!   role;
//! - course (what a course awards): everyone with an INELIGIBLE option
//!   (`blocked`), whose `courseImpact` it may change.
//!
//! `trigger_pause.paused` lets a bulk loader (`rungs seed`) skip the
//! marking inside its own transaction: it sets the flag first and clears
//! it before committing, so no other transaction ever sees it set, and it
//! marks what it loaded stale itself (a crash rolls the flag back too).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000007_eligibility_state"
    }
}

const UP: &str = r#"
CREATE TABLE eligibility_state (
    employee_id BIGINT PRIMARY KEY REFERENCES employee(id) ON DELETE CASCADE,
    job_role_id BIGINT NOT NULL,
    site TEXT NOT NULL,
    market TEXT NOT NULL,
    manager_id BIGINT,
    hired_on {DATE} NOT NULL,
    eligible INTEGER NOT NULL DEFAULT 0,
    fast_track INTEGER NOT NULL DEFAULT 0,
    not_yet INTEGER NOT NULL DEFAULT 0,
    ineligible INTEGER NOT NULL DEFAULT 0,
    no_next_step INTEGER NOT NULL DEFAULT 0,
    stalled INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0,
    options TEXT NOT NULL DEFAULT '',
    computed_on {DATE},
    due {DATE} NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0
)
--;;
CREATE INDEX eligibility_state_due ON eligibility_state(due)
--;;
CREATE INDEX eligibility_state_role ON eligibility_state(job_role_id)
--;;
CREATE TABLE eligibility_unblock (
    employee_id BIGINT NOT NULL REFERENCES employee(id) ON DELETE CASCADE,
    course_id BIGINT NOT NULL,
    PRIMARY KEY (employee_id, course_id)
)
--;;
INSERT INTO eligibility_state (employee_id, job_role_id, site, market, manager_id, hired_on, due, revision)
SELECT id, job_role_id, site, market, manager_id, hired_on, '1900-01-01', 1 FROM employee
--;;
CREATE TABLE trigger_pause (
    id INTEGER PRIMARY KEY,
    paused INTEGER NOT NULL
)
--;;
INSERT INTO trigger_pause (id, paused) VALUES (1, 0)
"#;

/// SQLite: the WHEN condition of a trigger a bulk loader may pause.
pub const UNPAUSED: &str = "(SELECT paused FROM trigger_pause WHERE id = 1) = 0";

/// PostgreSQL: the first statement of a trigger function a bulk loader may
/// pause.
pub const RETURN_IF_PAUSED: &str =
    "IF (SELECT paused FROM trigger_pause WHERE id = 1) = 1 THEN RETURN NULL; END IF;";

/// Sets a row stale.
const STALE: &str = "due = '1900-01-01', revision = eligibility_state.revision + 1";

/// Which state rows a change of `table` marks stale, as a WHERE condition
/// over the changed rows `{rows}` (NEW or OLD in SQLite, a transition table
/// in PostgreSQL).
fn targets(table: &str, rows: &str, row_level: bool) -> String {
    // A row-level trigger names the changed row's columns directly
    // (NEW.employee_id); a statement-level one selects from its table.
    let ids = |column: &str| {
        if row_level {
            format!("employee_id = {rows}.{column}")
        } else {
            format!("employee_id IN (SELECT {column} FROM {rows})")
        }
    };
    let steps = |join: &str| {
        if row_level {
            format!("job_role_id IN (SELECT from_role_id FROM ladder_step WHERE {join})")
        } else {
            format!(
                "job_role_id IN (SELECT s.from_role_id FROM ladder_step s JOIN {rows} r ON {join})"
            )
        }
    };
    let r = if row_level { rows } else { "r" };
    match table {
        "certification" | "performance_review" | "skill_assessment" => ids("employee_id"),
        "nomination" => ids("nominee_id"),
        "ladder_step" if row_level => format!("job_role_id = {rows}.from_role_id"),
        "ladder_step" => format!("job_role_id IN (SELECT from_role_id FROM {rows})"),
        "step_requirement" | "step_skill" if row_level => steps(&format!("id = {r}.step_id")),
        "step_requirement" | "step_skill" => steps(&format!("s.id = {r}.step_id")),
        "salary_band" if row_level => steps(&format!("to_role_id = {r}.job_role_id")),
        "salary_band" => steps(&format!("s.to_role_id = {r}.job_role_id")),
        _ => unreachable!("no stale rule for {table}"),
    }
}

const FACT_TABLES: &[&str] = &[
    "certification",
    "performance_review",
    "skill_assessment",
    "nomination",
    "ladder_step",
    "step_requirement",
    "step_skill",
    "salary_band",
];

/// The employee columns the state depends on or groups by.
const EMPLOYEE_COLUMNS: &str =
    "job_role_id, manager_id, site, market, hired_on, role_since, salary_minor, currency";

/// What a course awards.
const COURSE_COLUMNS: &str =
    "cert_kind, cert_belt, cert_language, cert_cefr, validity_months, skill_id, skill_level";

/// Upserts `{r}`'s state row as stale, copying its grouping columns.
fn employee_upsert(source: &str) -> String {
    format!(
        "INSERT INTO eligibility_state (employee_id, job_role_id, site, market, manager_id, hired_on, due, revision) \
         {source} ON CONFLICT (employee_id) DO UPDATE SET job_role_id = excluded.job_role_id, \
         site = excluded.site, market = excluded.market, manager_id = excluded.manager_id, \
         hired_on = excluded.hired_on, {STALE}"
    )
}

fn sqlite_triggers() -> String {
    let mut script = String::new();
    for table in FACT_TABLES {
        for (op, rows) in [
            ("INSERT", &["NEW"][..]),
            ("UPDATE", &["NEW", "OLD"][..]),
            ("DELETE", &["OLD"][..]),
        ] {
            let body: String = rows
                .iter()
                .map(|r| {
                    format!(
                        "UPDATE eligibility_state SET {STALE} WHERE {};",
                        targets(table, r, true)
                    )
                })
                .collect();
            script.push_str(&format!(
                "CREATE TRIGGER {table}_{}_stales_eligibility AFTER {op} ON {table} WHEN {UNPAUSED} \
                 BEGIN {body} END\n--;;\n",
                op.to_lowercase()
            ));
        }
    }
    let values = "VALUES (NEW.id, NEW.job_role_id, NEW.site, NEW.market, NEW.manager_id, NEW.hired_on, '1900-01-01', 1)";
    script.push_str(&format!(
        "CREATE TRIGGER employee_insert_stales_eligibility AFTER INSERT ON employee WHEN {UNPAUSED} \
         BEGIN {}; END\n--;;\n",
        employee_upsert(values)
    ));
    script.push_str(&format!(
        "CREATE TRIGGER employee_update_stales_eligibility AFTER UPDATE OF {EMPLOYEE_COLUMNS} ON employee \
         WHEN {UNPAUSED} BEGIN {}; END\n--;;\n",
        employee_upsert(values)
    ));
    for op in ["INSERT", "DELETE", &format!("UPDATE OF {COURSE_COLUMNS}")] {
        let name = op.split(' ').next().unwrap_or(op).to_lowercase();
        script.push_str(&format!(
            "CREATE TRIGGER course_{name}_stales_eligibility AFTER {op} ON course WHEN {UNPAUSED} \
             BEGIN UPDATE eligibility_state SET {STALE} WHERE blocked = 1; END\n--;;\n"
        ));
    }
    script
}

/// PostgreSQL: statement-level triggers with transition tables, so a bulk
/// insert of a million reviews marks each employee in one UPDATE.
fn postgres_triggers() -> String {
    let mut script = String::new();
    for table in FACT_TABLES {
        let function = format!("stale_eligibility_{table}");
        script.push_str(&format!(
            "CREATE FUNCTION {function}() RETURNS trigger AS $$ BEGIN {RETURN_IF_PAUSED} \
             IF TG_OP IN ('INSERT', 'UPDATE') THEN UPDATE eligibility_state SET {STALE} WHERE {}; END IF; \
             IF TG_OP IN ('UPDATE', 'DELETE') THEN UPDATE eligibility_state SET {STALE} WHERE {}; END IF; \
             RETURN NULL; END $$ LANGUAGE plpgsql\n--;;\n",
            targets(table, "new_rows", false),
            targets(table, "old_rows", false),
        ));
        for (op, referencing) in [
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ] {
            script.push_str(&format!(
                "CREATE TRIGGER {table}_{}_stales_eligibility AFTER {op} ON {table} \
                 REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()\n--;;\n",
                op.to_lowercase()
            ));
        }
    }
    let select = "SELECT n.id, n.job_role_id, n.site, n.market, n.manager_id, n.hired_on, DATE '1900-01-01', 1 FROM new_rows n";
    let changed = format!(
        "{select} JOIN old_rows o ON o.id = n.id WHERE ({}) IS DISTINCT FROM ({})",
        prefixed("o", EMPLOYEE_COLUMNS),
        prefixed("n", EMPLOYEE_COLUMNS)
    );
    script.push_str(&format!(
        "CREATE FUNCTION stale_eligibility_employee() RETURNS trigger AS $$ BEGIN {RETURN_IF_PAUSED} \
         IF TG_OP = 'INSERT' THEN {}; ELSE {}; END IF; RETURN NULL; END $$ LANGUAGE plpgsql\n--;;\n",
        employee_upsert(select),
        employee_upsert(&changed)
    ));
    for (op, referencing) in [
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ] {
        script.push_str(&format!(
            "CREATE TRIGGER employee_{}_stales_eligibility AFTER {op} ON employee \
             REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION stale_eligibility_employee()\n--;;\n",
            op.to_lowercase()
        ));
    }
    script.push_str(&format!(
        "CREATE FUNCTION stale_eligibility_course() RETURNS trigger AS $$ BEGIN {RETURN_IF_PAUSED} \
         UPDATE eligibility_state SET {STALE} WHERE blocked = 1; RETURN NULL; END $$ LANGUAGE plpgsql\n--;;\n\
         CREATE TRIGGER course_stales_eligibility AFTER INSERT OR DELETE OR UPDATE OF {COURSE_COLUMNS} ON course \
         FOR EACH STATEMENT EXECUTE FUNCTION stale_eligibility_course()\n--;;\n"
    ));
    script
}

fn prefixed(alias: &str, columns: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, &postgres_triggers()).await,
            _ => sql::run(manager, &sqlite_triggers()).await,
        }
    }
}
