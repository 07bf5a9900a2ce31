//! Pay history (issue 20): every change of someone's pay is a row of
//! `pay_change`, promotions included: old and new pay, why, from when, who
//! proposed it and who decided. A change without a promotion is PROPOSED by
//! a manager (or HR) and decided by HR; `pay_change_one_open` keeps one
//! open proposal per person.
//!
//! Existing data keeps its meaning: each role-history row after a person's
//! first is a promotion that changed their pay from the previous row's
//! salary to its own, on its start date, approved; the nomination that
//! granted it, when there is one, names who proposed and decided it.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000013_pay_changes"
    }
}

const UP: &str = r#"
CREATE TABLE pay_change (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    before_minor BIGINT NOT NULL,
    after_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    effective_on {DATE} NOT NULL,
    proposed_by_id BIGINT REFERENCES employee(id),
    decided_by_id BIGINT REFERENCES employee(id),
    note TEXT,
    override_reason TEXT,
    nomination_id BIGINT REFERENCES nomination(id),
    created_at {TS} NOT NULL,
    decided_at {TS}
)
--;;
CREATE UNIQUE INDEX pay_change_one_open ON pay_change(employee_id) WHERE status = 'PROPOSED'
--;;
CREATE INDEX pay_change_employee ON pay_change(employee_id, effective_on, id)
--;;
INSERT INTO pay_change (employee_id, reason, status, before_minor, after_minor, currency, effective_on,
                        proposed_by_id, decided_by_id, note, nomination_id, created_at, decided_at)
SELECT h.employee_id, 'PROMOTION', 'APPROVED', h.before_minor, h.salary_minor, h.currency, h.started_on,
       n.nominated_by_id, n.decided_by_id, 'from the role history', n.id,
       COALESCE(n.decided_at, n.created_at, h.started_at_ts), n.decided_at
FROM (
    SELECT r.employee_id, r.started_on, r.salary_minor, r.currency, r.job_role_id,
           LAG(r.salary_minor) OVER (PARTITION BY r.employee_id ORDER BY r.started_on, r.id) AS before_minor,
           {NOW} AS started_at_ts
    FROM role_assignment r
) h
LEFT JOIN nomination n
  ON n.nominee_id = h.employee_id AND n.status = 'APPROVED'
 AND n.target_role_id = h.job_role_id AND n.effective_on = h.started_on
WHERE h.before_minor IS NOT NULL
"#;

const DOWN: &str = r#"
DROP TABLE pay_change
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let now = match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => "now()",
            _ => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        };
        sql::run(manager, &UP.replace("{NOW}", now)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, DOWN).await
    }
}
