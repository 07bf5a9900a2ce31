//! Future-dated pay changes (issue 20): HR may approve a change that takes
//! effect on a later day. Approved, it is `scheduled` (1) and the pay on
//! the employee row is untouched; on its day the background sweep applies
//! it (`services::pay::apply_due`) and clears the flag. Every row written
//! before is applied already (0).

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000024_scheduled_pay"
    }
}

const UP: &str = r#"
ALTER TABLE pay_change ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0
--;;
CREATE INDEX pay_change_due ON pay_change (effective_on) WHERE scheduled = 1
"#;

const DOWN: &str = r#"
DROP INDEX pay_change_due
--;;
ALTER TABLE pay_change DROP COLUMN scheduled
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, DOWN).await
    }
}
