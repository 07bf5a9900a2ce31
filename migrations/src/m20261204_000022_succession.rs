//! Succession (issue 21): potential assessed by managers for the 9-box,
//! with history, and the successors confirmed for a site's leadership
//! seats.
//!
//! - `potential_assessment`: one row per assessment (LOW, MEDIUM or HIGH),
//!   never updated; someone's potential is their latest.
//! - `successor`: a person confirmed on the slate of a role (Team Lead,
//!   Operations Manager) at a site, with the readiness the manager or HR
//!   confirmed; one row per site, role and person, replaced when it is
//!   confirmed again. Suggestions are not stored: the engine makes them.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000022_succession"
    }
}

const UP: &str = r#"
CREATE TABLE potential_assessment (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee (id),
    potential TEXT NOT NULL CHECK (potential IN ('LOW', 'MEDIUM', 'HIGH')),
    assessed_by_id BIGINT NOT NULL REFERENCES employee (id),
    assessed_on {DATE} NOT NULL,
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX potential_by_employee ON potential_assessment (employee_id, assessed_on, id)
--;;
CREATE TABLE successor (
    id {ID},
    site TEXT NOT NULL,
    job_role_id BIGINT NOT NULL REFERENCES job_role (id),
    employee_id BIGINT NOT NULL REFERENCES employee (id),
    readiness TEXT NOT NULL
        CHECK (readiness IN ('READY_NOW', 'ONE_TO_TWO_YEARS', 'THREE_PLUS_YEARS')),
    confirmed_by_id BIGINT NOT NULL REFERENCES employee (id),
    confirmed_at {TS} NOT NULL
)
--;;
CREATE UNIQUE INDEX successor_once ON successor (site, job_role_id, employee_id)
"#;

const DOWN: &str = r#"
DROP TABLE successor
--;;
DROP TABLE potential_assessment
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
