//! Covering indexes for the organisation-wide dashboard figures that have
//! no running total (issue 14, at 1,000,000 employees):
//!
//! - `employee_salary_histogram`: compa-ratios count people per role,
//!   market, currency and salary; the database walks this index in order
//!   instead of sorting every employee (5 s to 0.15 s per grouping at a
//!   million people on SQLite).
//! - the single-column indexes on employee role, site, market and manager
//!   are replaced by ones ending in `hired_on` (the role's with `site`
//!   before it, as `employee_*_hired`; a new name, since SQLite's other
//!   pooled connections may still see the old one), so a
//!   headcount per site, market or manager, and the CSRs and Team Leads per
//!   site, are counted from the index alone (leadership coverage 3.7 s to
//!   0.1 s, headcount per site 0.5 s to 0.1 s).
//! - `certification_coverage`: holders per kind and level (the level being
//!   `COALESCE(belt, cefr)`, as the dashboard groups) walk the index in
//!   (kind, level, employee) order, so counting distinct holders sorts no
//!   certificate (3.2 s to 0.7 s).
//! - `deferred_index`: the definitions of indexes a bulk load dropped and
//!   has not built back yet (`rungs::db::bulk::defer_indexes`), so a load
//!   that dies midway leaves them for the next start-up to build.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000009_dashboard_indexes"
    }
}

const UP: &str = r#"
CREATE INDEX employee_role_site_hired ON employee (job_role_id, site, hired_on)
--;;
DROP INDEX employee_role
--;;
CREATE INDEX employee_site_hired ON employee (site, hired_on)
--;;
DROP INDEX employee_site
--;;
CREATE INDEX employee_market_hired ON employee (market, hired_on)
--;;
DROP INDEX employee_market
--;;
CREATE INDEX employee_manager_hired ON employee (manager_id, hired_on)
--;;
DROP INDEX employee_manager
--;;
CREATE INDEX employee_salary_histogram ON employee (job_role_id, market, currency, salary_minor, hired_on)
--;;
CREATE INDEX certification_coverage ON certification (kind, (COALESCE(belt, cefr)), employee_id, status, issued_on, expires_on)
--;;
CREATE TABLE deferred_index (name TEXT PRIMARY KEY, definition TEXT NOT NULL)
"#;

const DOWN: &str = r#"
DROP TABLE deferred_index
--;;
DROP INDEX certification_coverage
--;;
DROP INDEX employee_salary_histogram
--;;
CREATE INDEX employee_role ON employee (job_role_id)
--;;
DROP INDEX employee_role_site_hired
--;;
CREATE INDEX employee_site ON employee (site)
--;;
DROP INDEX employee_site_hired
--;;
CREATE INDEX employee_market ON employee (market)
--;;
DROP INDEX employee_market_hired
--;;
CREATE INDEX employee_manager ON employee (manager_id)
--;;
DROP INDEX employee_manager_hired
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
