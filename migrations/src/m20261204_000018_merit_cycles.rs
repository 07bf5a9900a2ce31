//! Merit cycles (issue 20): HR opens a cycle with a name, an effective
//! date, a scope (everyone, or one market) and a budget as a percentage of
//! the scope's annualised full-time payroll, split per site or per market
//! (`merit_budget`, one row per scope and currency, with what proposals
//! use). A merit matrix (`merit_guideline`: rating band × position in band
//! quartile → a range of percent) guides managers' proposals
//! (`merit_proposal`, one per person and cycle). Closing writes every
//! proposal as an approved MERIT pay change in one transaction.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000018_merit_cycles"
    }
}

const UP: &str = r#"
CREATE TABLE merit_cycle (
    id {ID},
    name TEXT NOT NULL,
    effective_on {DATE} NOT NULL,
    status TEXT NOT NULL,
    budget_bp BIGINT NOT NULL,
    budget_by TEXT NOT NULL,
    market TEXT,
    revision BIGINT NOT NULL DEFAULT 0,
    opened_by_id BIGINT NOT NULL REFERENCES employee(id),
    opened_at {TS} NOT NULL,
    closed_by_id BIGINT REFERENCES employee(id),
    closed_at {TS}
)
--;;
CREATE TABLE merit_budget (
    id {ID},
    cycle_id BIGINT NOT NULL REFERENCES merit_cycle(id),
    scope TEXT NOT NULL,
    currency TEXT NOT NULL,
    payroll_minor BIGINT NOT NULL,
    budget_minor BIGINT NOT NULL,
    used_minor BIGINT NOT NULL DEFAULT 0,
    UNIQUE (cycle_id, scope, currency)
)
--;;
CREATE TABLE merit_guideline (
    id {ID},
    cycle_id BIGINT NOT NULL REFERENCES merit_cycle(id),
    min_rating_cp BIGINT NOT NULL,
    max_rating_cp BIGINT NOT NULL,
    compa_quartile INTEGER NOT NULL,
    min_bp BIGINT NOT NULL,
    max_bp BIGINT NOT NULL
)
--;;
CREATE INDEX merit_guideline_cycle ON merit_guideline (cycle_id)
--;;
CREATE TABLE merit_proposal (
    id {ID},
    cycle_id BIGINT NOT NULL REFERENCES merit_cycle(id),
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    budget_id BIGINT NOT NULL REFERENCES merit_budget(id),
    percent_bp BIGINT NOT NULL,
    before_minor BIGINT NOT NULL,
    new_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    charged_minor BIGINT NOT NULL,
    justification TEXT,
    proposed_by_id BIGINT NOT NULL REFERENCES employee(id),
    created_at {TS} NOT NULL,
    updated_at {TS} NOT NULL,
    UNIQUE (cycle_id, employee_id)
)
--;;
CREATE INDEX merit_proposal_proposer ON merit_proposal (proposed_by_id, id)
"#;

const DOWN: &str = r#"
DROP TABLE merit_proposal
--;;
DROP TABLE merit_guideline
--;;
DROP TABLE merit_budget
--;;
DROP TABLE merit_cycle
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
