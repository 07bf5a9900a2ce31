//! Equity grants (issue 20): units granted on a day with a vesting schedule
//! (months, cliff); what has vested on any day is computed, never stored
//! (`rungs::domain::equity`).

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000015_equity"
    }
}

const UP: &str = r#"
CREATE TABLE equity_grant (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    granted_on {DATE} NOT NULL,
    units BIGINT NOT NULL,
    vesting_months INTEGER NOT NULL,
    cliff_months INTEGER NOT NULL,
    granted_by_id BIGINT NOT NULL REFERENCES employee(id),
    note TEXT,
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX equity_grant_employee ON equity_grant(employee_id, granted_on, id)
"#;

const DOWN: &str = r#"
DROP TABLE equity_grant
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
