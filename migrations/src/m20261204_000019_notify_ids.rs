//! Notifications that name the changed employees (issue 15): a change to
//! one person's row, certificate, review, skill assessment or nomination
//! makes every instance forget that person's kept records only, where it
//! used to empty the whole cache, so a normal stream of writes no longer
//! turns every kept record cold.
//!
//! - Statement triggers with transition tables: the payload is
//!   `"<table>:<id>,<id>,…"` (the employee ids, at most 100), or the bare
//!   table name when a statement touched more (an import, a merit cycle's
//!   close), which empties the cache as before.
//! - Same channels as before (`rungs_auth` for `employee`, `rungs_facts`
//!   for the facts' tables); `TRUNCATE` sends the bare table name (now on
//!   `employee` and `login_session` too, which sent nothing).
//! - Nothing on SQLite, where nothing is kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000019_notify_ids"
    }
}

/// The function, then per table: the insert, update and delete triggers
/// (with their transition tables) in place of the statement trigger.
fn script() -> String {
    let mut out = String::from(
        r#"
CREATE FUNCTION rungs_notify_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    ids text;
BEGIN
    -- TG_ARGV[0]: the channel; TG_ARGV[1]: the column holding the employee id.
    IF TG_OP = 'UPDATE' THEN
        EXECUTE format('SELECT count(*), string_agg(x::text, '','') FROM (SELECT DISTINCT x FROM '
            '(SELECT %1$I AS x FROM changed UNION ALL SELECT %1$I FROM changed_old) u LIMIT 101) t',
            TG_ARGV[1]) INTO n, ids;
    ELSE
        EXECUTE format('SELECT count(*), string_agg(x::text, '','') FROM '
            '(SELECT DISTINCT %1$I AS x FROM changed LIMIT 101) t', TG_ARGV[1]) INTO n, ids;
    END IF;
    IF n = 0 THEN
        RETURN NULL;
    ELSIF n > 100 THEN
        PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME);
    ELSE
        PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME || ':' || ids);
    END IF;
    RETURN NULL;
END
$$
--;;
DROP TRIGGER employee_notify_auth ON employee
--;;
CREATE TRIGGER employee_notify_auth_update AFTER UPDATE ON employee
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_ids('rungs_auth', 'id')
--;;
CREATE TRIGGER employee_notify_auth_delete AFTER DELETE ON employee
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_ids('rungs_auth', 'id')
--;;
CREATE TRIGGER employee_notify_auth_truncate AFTER TRUNCATE ON employee
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
--;;
CREATE TRIGGER login_session_notify_auth_truncate AFTER TRUNCATE ON login_session
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
"#,
    );
    for (table, column) in [
        ("certification", "employee_id"),
        ("performance_review", "employee_id"),
        ("skill_assessment", "employee_id"),
        ("nomination", "nominee_id"),
    ] {
        out.push_str(&format!(
            r#"--;;
DROP TRIGGER {table}_notify_facts ON {table}
--;;
CREATE TRIGGER {table}_notify_facts_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_ids('rungs_facts', '{column}')
--;;
CREATE TRIGGER {table}_notify_facts_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_ids('rungs_facts', '{column}')
--;;
CREATE TRIGGER {table}_notify_facts_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_ids('rungs_facts', '{column}')
--;;
CREATE TRIGGER {table}_notify_facts_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
"#
        ));
    }
    out
}

/// The statement triggers of migrations 000010 and 000011 again.
fn down_script() -> String {
    let mut out = String::from(
        r#"
DROP TRIGGER employee_notify_auth_update ON employee
--;;
DROP TRIGGER employee_notify_auth_delete ON employee
--;;
DROP TRIGGER employee_notify_auth_truncate ON employee
--;;
DROP TRIGGER login_session_notify_auth_truncate ON login_session
--;;
CREATE TRIGGER employee_notify_auth AFTER UPDATE OR DELETE ON employee
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
"#,
    );
    for table in [
        "certification",
        "performance_review",
        "skill_assessment",
        "nomination",
    ] {
        for event in ["insert", "update", "delete", "truncate"] {
            out.push_str(&format!(
                "--;;\nDROP TRIGGER {table}_notify_facts_{event} ON {table}\n"
            ));
        }
        out.push_str(&format!(
            r#"--;;
CREATE TRIGGER {table}_notify_facts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
"#
        ));
    }
    out.push_str("--;;\nDROP FUNCTION rungs_notify_ids()\n");
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, &script()).await,
            _ => Ok(()),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, &down_script()).await,
            _ => Ok(()),
        }
    }
}
