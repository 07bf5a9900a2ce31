//! The `performance_review` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "performance_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub period_end: Date,
    pub rating: f64,
    pub csat: Option<f64>,
    pub avg_response_seconds: Option<i32>,
    pub resolution_accuracy: Option<f64>,
    pub interactions_per_day: Option<f64>,
    pub recorded_by_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
