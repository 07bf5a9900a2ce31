//! The `nomination` table.

use sea_orm::entity::prelude::*;

use super::enums::NominationStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "nomination")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub nominee_id: i64,
    pub nominated_by_id: i64,
    pub step_id: i64,
    pub target_role_id: i64,
    pub status: NominationStatus,
    pub justification: String,
    pub is_override: bool,
    pub override_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by_id: Option<i64>,
    pub decision_reason: Option<String>,
    pub raise_bp: Option<i64>,
    pub new_salary_minor: Option<i64>,
    pub currency: Option<String>,
    pub effective_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
