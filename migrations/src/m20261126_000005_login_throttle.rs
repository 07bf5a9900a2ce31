//! Login throttling state, in the database so that it holds across any
//! number of server processes: one row per account (email) and per client
//! address, with the failures in the current window and the back-off.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000005_login_throttle"
    }
}

const UP: &str = r#"
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start {TS} NOT NULL,
    blocked_until {TS},
    backoff_seconds BIGINT NOT NULL
)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await
    }
}
