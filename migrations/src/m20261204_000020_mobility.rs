//! Internal mobility (issue 21): openings people apply to, and ladder
//! steps that are PROMOTION or LATERAL.
//!
//! - `ladder_step.kind`: every step so far is a PROMOTION, except the
//!   seeded moves from CSR into HR, logistics and vendor management, which
//!   the article calls transitions to other departments: LATERAL, with no
//!   raise (pay stays inside the target band). Raises HR had set on those
//!   three steps are replaced by 0; rolling back sets every LATERAL step to
//!   the seeded 20-30 %, not to what it was before.
//! - `opening`: a role at a site and market, its work arrangement, seats
//!   (`filled` never passes `seats`: a CHECK and a guarded update), a
//!   closing date, who posted it and the hiring manager the person will
//!   report to, and how many days before their `eligibleOn` a NOT_YET
//!   person may apply (none: ELIGIBLE only).
//! - `application`: one person's application to one opening and where it
//!   stands; at most one active (APPLIED, SHORTLISTED or OFFERED) per
//!   person and opening (a partial unique index).

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000020_mobility"
    }
}

const UP: &str = r#"
ALTER TABLE ladder_step ADD COLUMN kind TEXT NOT NULL DEFAULT 'PROMOTION'
--;;
UPDATE ladder_step SET kind = 'LATERAL', raise_min_bp = 0, raise_max_bp = 0
WHERE from_role_id IN (SELECT id FROM job_role WHERE code = 'CSR')
  AND to_role_id IN (SELECT id FROM job_role
                     WHERE code IN ('HR_GENERALIST', 'LOGISTICS_COORDINATOR', 'VENDOR_MANAGER'))
--;;
CREATE TABLE opening (
    id {ID},
    job_role_id BIGINT NOT NULL REFERENCES job_role (id),
    site TEXT NOT NULL,
    market TEXT NOT NULL,
    work_arrangement TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats > 0),
    filled INTEGER NOT NULL DEFAULT 0 CHECK (filled >= 0 AND filled <= seats),
    closes_on {DATE} NOT NULL,
    status TEXT NOT NULL DEFAULT 'OPEN',
    not_yet_window_days INTEGER,
    posted_by_id BIGINT NOT NULL REFERENCES employee (id),
    hiring_manager_id BIGINT NOT NULL REFERENCES employee (id),
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX opening_by_status ON opening (status, id)
--;;
CREATE TABLE application (
    id {ID},
    opening_id BIGINT NOT NULL REFERENCES opening (id),
    employee_id BIGINT NOT NULL REFERENCES employee (id),
    status TEXT NOT NULL,
    note TEXT,
    reason TEXT,
    created_at {TS} NOT NULL,
    decided_at {TS},
    decided_by_id BIGINT REFERENCES employee (id)
)
--;;
CREATE UNIQUE INDEX application_active ON application (opening_id, employee_id)
    WHERE status IN ('APPLIED', 'SHORTLISTED', 'OFFERED')
--;;
CREATE INDEX application_by_opening ON application (opening_id, id)
--;;
CREATE INDEX application_by_employee ON application (employee_id, id)
"#;

const DOWN: &str = r#"
DROP TABLE application
--;;
DROP TABLE opening
--;;
UPDATE ladder_step SET raise_min_bp = 2000, raise_max_bp = 3000 WHERE kind = 'LATERAL'
--;;
ALTER TABLE ladder_step DROP COLUMN kind
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
