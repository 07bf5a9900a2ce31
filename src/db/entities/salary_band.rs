//! The `salary_band` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "salary_band")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_role_id: i64,
    pub market: String,
    pub currency: String,
    pub min_minor: i64,
    pub max_minor: i64,
    pub midpoint_minor: i64,
    /// Bonus target, in basis points of base pay (leadership bands).
    pub bonus_target_bp: Option<i64>,
    /// Equity guideline: units granted on promotion into the band...
    pub equity_units: Option<i64>,
    /// ... vesting over these months ...
    pub equity_vesting_months: Option<i32>,
    /// ... after this cliff.
    pub equity_cliff_months: Option<i32>,
    /// What the amounts are per (migration `m20261204_000017_pay_basis`).
    pub pay_basis: super::enums::PayBasis,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
