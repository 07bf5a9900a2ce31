//! Pay basis and FTE (issue 20). Salaries and bands say what they are per:
//! ANNUAL, MONTHLY or HOURLY; people carry an FTE (basis points, 10,000 =
//! full time); each market has standard annual hours (JP: 2,080, 40 hours
//! × 52 weeks) for hourly pay.
//!
//! **What existing data means.** Every amount on record becomes ANNUAL and
//! every person full time. The seeded JP bands are the source article's
//! annual figures ("Salaries start at ¥400,000 annually ..."), and every
//! salary was entered against those bands, so ANNUAL keeps their meaning;
//! the schema's old word "monthly" contradicted the article and is gone.
//! A deployment that entered monthly amounts says so with
//! `upsertSalaryBand(basis: MONTHLY)` and `updateEmployee(payBasis:
//! MONTHLY)`; no amount changes.
//!
//! The compa-ratio histogram's index gains the basis and FTE, so the
//! dashboard still walks it alone (`employee_pay_histogram` replaces
//! `employee_salary_histogram`).

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000017_pay_basis"
    }
}

const UP: &str = r#"
ALTER TABLE salary_band ADD COLUMN pay_basis TEXT NOT NULL DEFAULT 'ANNUAL'
--;;
ALTER TABLE employee ADD COLUMN pay_basis TEXT NOT NULL DEFAULT 'ANNUAL'
--;;
ALTER TABLE employee ADD COLUMN fte_bp BIGINT NOT NULL DEFAULT 10000
--;;
CREATE TABLE market_hours (
    market TEXT PRIMARY KEY,
    annual_hours BIGINT NOT NULL,
    updated_at {TS} NOT NULL
)
--;;
INSERT INTO market_hours (market, annual_hours, updated_at) VALUES ('JP', 2080, CURRENT_TIMESTAMP)
--;;
CREATE INDEX employee_pay_histogram ON employee (job_role_id, market, currency, pay_basis, fte_bp, salary_minor, hired_on)
--;;
DROP INDEX employee_salary_histogram
"#;

const DOWN: &str = r#"
CREATE INDEX employee_salary_histogram ON employee (job_role_id, market, currency, salary_minor, hired_on)
--;;
DROP INDEX employee_pay_histogram
--;;
DROP TABLE market_hours
--;;
ALTER TABLE employee DROP COLUMN fte_bp
--;;
ALTER TABLE employee DROP COLUMN pay_basis
--;;
ALTER TABLE salary_band DROP COLUMN pay_basis
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        // Standard hours belong to the ladder: a change moves its version,
        // so every instance reads them again.
        let triggers = sql::counter_triggers(
            manager.get_database_backend(),
            &[("ladder_version", &["market_hours"])],
        );
        sql::run(manager, &triggers).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, DOWN).await
    }
}
