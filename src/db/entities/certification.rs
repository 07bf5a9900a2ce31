//! The `certification` table.

use sea_orm::entity::prelude::*;

use super::enums::{CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub kind: CertificationKind,
    pub name: String,
    pub belt: Option<SixSigmaBelt>,
    pub language: Option<String>,
    pub cefr: Option<CefrLevel>,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub status: CertificationStatus,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
