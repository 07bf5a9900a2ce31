//! The `market_hours` table: each market's standard annual hours, which
//! turn an hourly rate into an annual full-time equivalent
//! (`domain::pay_basis`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "market_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub market: String,
    pub annual_hours: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
