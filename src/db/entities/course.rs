//! The `course` table.

use sea_orm::entity::prelude::*;

use super::enums::{CefrLevel, CertificationKind, SixSigmaBelt};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub cert_kind: Option<CertificationKind>,
    pub cert_name: Option<String>,
    pub cert_belt: Option<SixSigmaBelt>,
    pub cert_language: Option<String>,
    pub cert_cefr: Option<CefrLevel>,
    pub validity_months: Option<i32>,
    pub skill_id: Option<i64>,
    pub skill_level: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
