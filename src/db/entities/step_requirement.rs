//! The `step_requirement` table.

use sea_orm::entity::prelude::*;

use super::enums::{CefrLevel, CertificationKind, SixSigmaBelt};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "step_requirement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub step_id: i64,
    pub kind: CertificationKind,
    pub min_belt: Option<SixSigmaBelt>,
    pub min_cefr: Option<CefrLevel>,
    pub required_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
