//! Live application events across instances (issue 21): the audit rows
//! about applications (made, moved, accepted) and the one row that rejects
//! those still in progress when an opening closes or fills
//! (`REJECT_APPLICATIONS`, naming them all) notify channel `rungs_events`
//! as the nominations' do (migration `m20261204_000012_events_notify`), so every
//! instance delivers `applicationChanged`. Nothing on SQLite (one process).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000021_application_events"
    }
}

const UP: &str = r#"
DROP TRIGGER audit_event_notify_event ON audit_event
--;;
CREATE TRIGGER audit_event_notify_event AFTER INSERT ON audit_event
    FOR EACH ROW WHEN (NEW.entity IN ('nomination', 'application')
                       OR NEW.action = 'REJECT_APPLICATIONS')
    EXECUTE FUNCTION rungs_notify_event()
"#;

const DOWN: &str = r#"
DROP TRIGGER audit_event_notify_event ON audit_event
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => sql::run(manager, DOWN).await,
            _ => Ok(()),
        }
    }
}
