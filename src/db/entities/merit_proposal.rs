//! The `merit_proposal` table: a manager's merit raise for one person in
//! one cycle (issue 20).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "merit_proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub employee_id: i64,
    pub budget_id: i64,
    pub percent_bp: i64,
    pub before_minor: i64,
    pub new_minor: i64,
    pub currency: String,
    /// The annualised full-time increase charged to the budget.
    pub charged_minor: i64,
    pub justification: Option<String>,
    pub proposed_by_id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
