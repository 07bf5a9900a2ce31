//! The `merit_budget` table: one merit cycle's budget for one scope (a
//! site or a market) and currency (issue 20).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "merit_budget")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub scope: String,
    pub currency: String,
    /// The scope's annualised full-time payroll when the cycle opened.
    pub payroll_minor: i64,
    pub budget_minor: i64,
    /// What proposals use: their annualised increases.
    pub used_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
