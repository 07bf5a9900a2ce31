//! The `skill_assessment` table.

use sea_orm::entity::prelude::*;

use super::enums::AssessmentSource;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub skill_id: i64,
    pub level: i32,
    pub source: AssessmentSource,
    pub assessed_on: Date,
    pub assessor_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
