//! A version counter for the ladder and salary bands. Every write to roles,
//! steps, requirements or bands bumps it in the same transaction, so each
//! server process can keep the ladder in memory and re-read it only when
//! the version moved: one tiny statement per request instead of four, and
//! correct across any number of processes.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000003_ladder_version"
    }
}

const UP: &str = r#"
CREATE TABLE ladder_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
)
--;;
INSERT INTO ladder_version (id, version) VALUES (1, 1)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await
    }
}
