//! The `successor` table (issue 21): confirmed successors.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "successor")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site: String,
    pub job_role_id: i64,
    pub employee_id: i64,
    /// READY_NOW, ONE_TO_TWO_YEARS or THREE_PLUS_YEARS.
    pub readiness: String,
    pub confirmed_by_id: i64,
    pub confirmed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
