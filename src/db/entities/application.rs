//! The `application` table (issue 21).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub opening_id: i64,
    pub employee_id: i64,
    /// APPLIED, SHORTLISTED, OFFERED, ACCEPTED, DECLINED, REJECTED or
    /// WITHDRAWN.
    pub status: String,
    pub note: Option<String>,
    /// Why it was last moved, when someone said.
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
