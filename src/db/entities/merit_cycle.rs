//! The `merit_cycle` table (issue 20).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "merit_cycle")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub effective_on: Date,
    /// OPEN or CLOSED.
    pub status: String,
    /// Budget, in basis points of the scope's annualised payroll.
    pub budget_bp: i64,
    /// SITE or MARKET: how the budget is split.
    pub budget_by: String,
    /// Only this market's people, when set.
    pub market: Option<String>,
    /// Moves with every proposal (serialises them with closing).
    pub revision: i64,
    pub opened_by_id: i64,
    pub opened_at: DateTimeUtc,
    pub closed_by_id: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
