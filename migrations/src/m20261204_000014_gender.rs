//! Gender for the pay-gap report (issue 20, EU Pay Transparency Directive
//! 2023/970): optional, self-declared or entered by HR, in its own table so
//! that no employee read, cache, export or audit payload can carry it by
//! accident. Only the person and HR read it.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000014_gender"
    }
}

const UP: &str = r#"
CREATE TABLE employee_gender (
    employee_id BIGINT PRIMARY KEY REFERENCES employee(id),
    gender TEXT NOT NULL,
    declared_by_id BIGINT NOT NULL REFERENCES employee(id),
    updated_at {TS} NOT NULL
)
"#;

const DOWN: &str = r#"
DROP TABLE employee_gender
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
