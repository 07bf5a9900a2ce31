//! The `opening` table (issue 21).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opening")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_role_id: i64,
    pub site: String,
    pub market: String,
    pub work_arrangement: super::enums::WorkArrangement,
    pub seats: i32,
    pub filled: i32,
    pub closes_on: Date,
    /// OPEN, FILLED or CLOSED.
    pub status: String,
    /// Days before their `eligibleOn` a NOT_YET person may apply; none:
    /// ELIGIBLE people only.
    pub not_yet_window_days: Option<i32>,
    pub posted_by_id: i64,
    /// Whom the person hired reports to.
    pub hiring_manager_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
