//! The `pay_change` table: the pay history (issue 20).

use sea_orm::entity::prelude::*;

use super::enums::{PayBasis, PayChangeReason, PayChangeStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pay_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub reason: PayChangeReason,
    pub status: PayChangeStatus,
    pub before_minor: i64,
    pub after_minor: i64,
    pub currency: String,
    pub effective_on: Date,
    pub proposed_by_id: Option<i64>,
    pub decided_by_id: Option<i64>,
    pub note: Option<String>,
    pub override_reason: Option<String>,
    pub nomination_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    /// What `before_minor` is per, and the FTE it was for.
    pub before_basis: PayBasis,
    pub before_fte_bp: i64,
    /// What `after_minor` is per, and the FTE it is for.
    pub pay_basis: PayBasis,
    pub fte_bp: i64,
    /// 1: APPROVED for a later day and not applied yet (the sweep applies
    /// it on `effective_on`); 0 otherwise.
    pub scheduled: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
