//! The pay history says what its amounts are per (issue 20): every
//! `pay_change` row carries the pay basis and FTE of its `before` amount
//! (`before_basis`, `before_fte_bp`) and of its `after` amount
//! (`pay_basis`, `fte_bp`). A change of someone's basis or FTE is a row of
//! its own (reason TERMS_CHANGE, the amount unchanged), so the pay and the
//! terms someone had on any past day both come from the history, and the
//! pay-gap report compares what people earned then as full-time annual
//! equivalents of then.
//!
//! **What existing rows mean.** Before this migration the history did not
//! record terms, and a change of basis or FTE left no row. Every existing
//! row takes its person's terms of today (the only terms on record): exact
//! for everyone whose basis and FTE never changed, which the history
//! cannot tell apart from the others.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000023_pay_terms_history"
    }
}

const UP: &str = r#"
ALTER TABLE pay_change ADD COLUMN before_basis TEXT NOT NULL DEFAULT 'ANNUAL'
--;;
ALTER TABLE pay_change ADD COLUMN before_fte_bp BIGINT NOT NULL DEFAULT 10000
--;;
ALTER TABLE pay_change ADD COLUMN pay_basis TEXT NOT NULL DEFAULT 'ANNUAL'
--;;
ALTER TABLE pay_change ADD COLUMN fte_bp BIGINT NOT NULL DEFAULT 10000
--;;
UPDATE pay_change SET
    before_basis = (SELECT e.pay_basis FROM employee e WHERE e.id = pay_change.employee_id),
    before_fte_bp = (SELECT e.fte_bp FROM employee e WHERE e.id = pay_change.employee_id),
    pay_basis = (SELECT e.pay_basis FROM employee e WHERE e.id = pay_change.employee_id),
    fte_bp = (SELECT e.fte_bp FROM employee e WHERE e.id = pay_change.employee_id)
"#;

const DOWN: &str = r#"
DELETE FROM pay_change WHERE reason = 'TERMS_CHANGE'
--;;
ALTER TABLE pay_change DROP COLUMN fte_bp
--;;
ALTER TABLE pay_change DROP COLUMN pay_basis
--;;
ALTER TABLE pay_change DROP COLUMN before_fte_bp
--;;
ALTER TABLE pay_change DROP COLUMN before_basis
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
