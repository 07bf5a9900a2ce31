//! Total pay for leadership (issue 20; the article: "Leadership positions
//! often include stock options and bonuses"): a band may carry a bonus
//! target (basis points of base pay) and an equity guideline (units and a
//! vesting schedule); people hold a bonus target of their own.
//!
//! Seeded defaults, for the JP leadership bands: Team Lead a 10 % bonus
//! target; Operations Manager 15 % and 2,000 units over 48 months with a
//! 12-month cliff. HR changes them with `upsertSalaryBand`.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000016_leadership_pay"
    }
}

const UP: &str = r#"
ALTER TABLE salary_band ADD COLUMN bonus_target_bp BIGINT
--;;
ALTER TABLE salary_band ADD COLUMN equity_units BIGINT
--;;
ALTER TABLE salary_band ADD COLUMN equity_vesting_months INTEGER
--;;
ALTER TABLE salary_band ADD COLUMN equity_cliff_months INTEGER
--;;
UPDATE salary_band SET bonus_target_bp = 1000
WHERE market = 'JP' AND job_role_id IN (SELECT id FROM job_role WHERE code = 'TEAM_LEAD')
--;;
UPDATE salary_band SET bonus_target_bp = 1500, equity_units = 2000, equity_vesting_months = 48, equity_cliff_months = 12
WHERE market = 'JP' AND job_role_id IN (SELECT id FROM job_role WHERE code = 'OPERATIONS_MANAGER')
--;;
CREATE TABLE employee_bonus (
    employee_id BIGINT PRIMARY KEY REFERENCES employee(id),
    bonus_target_bp BIGINT NOT NULL,
    set_by_id BIGINT REFERENCES employee(id),
    updated_at {TS} NOT NULL
)
"#;

const DOWN: &str = r#"
DROP TABLE employee_bonus
--;;
ALTER TABLE salary_band DROP COLUMN equity_cliff_months
--;;
ALTER TABLE salary_band DROP COLUMN equity_vesting_months
--;;
ALTER TABLE salary_band DROP COLUMN equity_units
--;;
ALTER TABLE salary_band DROP COLUMN bonus_target_bp
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
