//! Live events across instances (issue 17): every audit row about a
//! nomination (created, approved, rejected, withdrawn) sends a notification
//! on channel `rungs_events` when its transaction commits, with the audit
//! row's id and the nomination's id as payload (`"<audit id>:<nomination
//! id>"`), never the row itself. Each instance re-reads the nomination and
//! decides who may see it (see `rungs::db::notify`). The audit log is
//! append-only, so it doubles as the cursor an instance catches up from
//! after its listener was disconnected. Nothing on SQLite (one process).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000012_events_notify"
    }
}

const UP: &str = r#"
CREATE FUNCTION rungs_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rungs_events', NEW.id::text || ':' || NEW.entity_id);
    RETURN NULL;
END
$$
--;;
CREATE TRIGGER audit_event_notify_event AFTER INSERT ON audit_event
    FOR EACH ROW WHEN (NEW.entity = 'nomination') EXECUTE FUNCTION rungs_notify_event()
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
