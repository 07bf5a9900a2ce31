//! The `employee` table.

use sea_orm::entity::prelude::*;

use super::enums::{AccessRole, EmploymentType, PayBasis, WorkArrangement};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employee")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_number: String,
    pub name: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub access_role: AccessRole,
    pub job_role_id: i64,
    pub manager_id: Option<i64>,
    pub site: String,
    pub market: String,
    pub work_arrangement: WorkArrangement,
    pub employment_type: EmploymentType,
    pub hired_on: Date,
    pub role_since: Date,
    pub salary_minor: i64,
    pub currency: String,
    /// What `salary_minor` is per (migration `m20261204_000017_pay_basis`).
    pub pay_basis: PayBasis,
    /// FTE in basis points: 10,000 is full time, 5,000 half time.
    pub fte_bp: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
