//! The `employee` table.

use sea_orm::entity::prelude::*;

use super::enums::{AccessRole, EmploymentType, WorkArrangement};

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
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
