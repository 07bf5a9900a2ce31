//! The `merit_guideline` table: one cell of a merit cycle's matrix
//! (issue 20).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "merit_guideline")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    /// Ratings in hundredths (4.5 is 450), from (inclusive)...
    pub min_rating_cp: i64,
    /// ... to (exclusive, inclusive at 5.00).
    pub max_rating_cp: i64,
    /// 1 to 4: the quarter of the band the pay sits in.
    pub compa_quartile: i32,
    pub min_bp: i64,
    pub max_bp: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
