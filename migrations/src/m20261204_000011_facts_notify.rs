//! PostgreSQL notifications for the kept facts (issue 15): every change to
//! `certification`, `performance_review`, `skill_assessment` or `nomination`
//! (what an employee's progression reads besides their own row) sends a
//! notification on channel `rungs_facts`, whoever makes it. Each instance's
//! listener empties its kept facts on it (see `rungs::db::kept`). Statement
//! triggers: a write of 10,000 rows sends one notification, and PostgreSQL
//! folds identical ones within a transaction. Nothing on SQLite, where the
//! facts are not kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000011_facts_notify"
    }
}

const UP: &str = r#"
CREATE FUNCTION rungs_notify_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rungs_facts', TG_TABLE_NAME);
    RETURN NULL;
END
$$
--;;
CREATE TRIGGER certification_notify_facts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certification
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
--;;
CREATE TRIGGER performance_review_notify_facts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON performance_review
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
--;;
CREATE TRIGGER skill_assessment_notify_facts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON skill_assessment
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
--;;
CREATE TRIGGER nomination_notify_facts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON nomination
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_facts()
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, UP).await,
            _ => Ok(()),
        }
    }
}
