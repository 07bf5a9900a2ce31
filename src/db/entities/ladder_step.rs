//! The `ladder_step` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ladder_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub from_role_id: i64,
    pub to_role_id: i64,
    pub fast_track_months: i32,
    pub standard_months: i32,
    pub min_rating: f64,
    pub top_performer_rating: f64,
    pub raise_min_bp: i64,
    pub raise_max_bp: i64,
    /// PROMOTION or LATERAL (migration `m20261204_000020_mobility`).
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
