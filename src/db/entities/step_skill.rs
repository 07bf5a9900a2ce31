//! The `step_skill` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "step_skill")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub step_id: i64,
    pub skill_id: i64,
    pub min_level: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
