//! PostgreSQL notifications for the session cache (issue 15): every change
//! to `login_session` (logout, password change, expiry edits), `employee`
//! (access role, or anything a cached `me` holds) or `ladder_version`
//! sends a notification on channel `rungs_auth`, whoever makes it. Each
//! instance's listener empties its cache of verified tokens on it (see
//! `rungs::db::notify`). Statement triggers: an import updating 10,000
//! employees sends one notification, and PostgreSQL folds identical ones
//! within a transaction. Nothing on SQLite, where the cache stays off.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000010_auth_notify"
    }
}

const UP: &str = r#"
CREATE FUNCTION rungs_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rungs_auth', TG_TABLE_NAME);
    RETURN NULL;
END
$$
--;;
CREATE TRIGGER login_session_notify_auth AFTER UPDATE OR DELETE ON login_session
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
--;;
CREATE TRIGGER employee_notify_auth AFTER UPDATE OR DELETE ON employee
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
--;;
CREATE TRIGGER ladder_version_notify_auth AFTER UPDATE ON ladder_version
    FOR EACH STATEMENT EXECUTE FUNCTION rungs_notify_auth()
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
