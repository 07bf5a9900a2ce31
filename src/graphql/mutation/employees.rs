use async_graphql::{Context, InputObject, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{AccessRole, EmploymentType, WorkArrangement};
use crate::services::{employees, validate};

#[derive(Default)]
pub struct EmployeeMutation;

#[derive(InputObject)]
pub struct CreateEmployeeInput {
    /// Generated ("E000042") when omitted.
    pub employee_number: Option<String>,
    pub name: String,
    pub email: String,
    #[graphql(default_with = "AccessRole::Employee")]
    pub access_role: AccessRole,
    pub role_code: String,
    pub manager_id: Option<ID>,
    pub site: String,
    /// Market code, e.g. "JP".
    pub market: String,
    #[graphql(default_with = "WorkArrangement::Onsite")]
    pub work_arrangement: WorkArrangement,
    #[graphql(default_with = "EmploymentType::FullTime")]
    pub employment_type: EmploymentType,
    pub hired_on: Date,
    /// Defaults to `hiredOn`.
    pub role_since: Option<Date>,
    /// Decimal string in the currency's minor unit, e.g. "400000".
    pub salary: String,
    /// ISO 4217 code, e.g. "JPY".
    pub currency: String,
    /// Without one the account cannot sign in until a password is set.
    pub initial_password: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEmployeeInput {
    pub name: Option<String>,
    pub email: Option<String>,
    /// ADMIN only.
    pub access_role: Option<AccessRole>,
    pub manager_id: Option<ID>,
    pub site: Option<String>,
    pub market: Option<String>,
    pub work_arrangement: Option<WorkArrangement>,
    pub employment_type: Option<EmploymentType>,
}

#[Object]
impl EmployeeMutation {
    /// HR and ADMIN. Creates the employee and their first role-history row.
    async fn create_employee(
        &self,
        ctx: &Context<'_>,
        input: CreateEmployeeInput,
    ) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let new = employees::NewEmployee {
            employee_number: input.employee_number,
            name: input.name,
            email: input.email,
            access_role: input.access_role.into(),
            role_code: input.role_code,
            manager_id: input
                .manager_id
                .map(|id| validate::id("managerId", &id))
                .transpose()?,
            site: input.site,
            market: input.market,
            work_arrangement: input.work_arrangement.into(),
            employment_type: input.employment_type.into(),
            hired_on: input.hired_on.0,
            role_since: input.role_since.map(|d| d.0),
            salary: input.salary,
            currency: input.currency,
            initial_password: input.initial_password,
        };
        Ok(Employee(
            employees::create(context::db(ctx), Some(principal), new).await?,
        ))
    }

    /// HR and ADMIN (changing `accessRole`, or an ADMIN's account: ADMIN
    /// only).
    async fn update_employee(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateEmployeeInput,
    ) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let id = validate::id("id", &id)?;
        let changes = employees::EmployeeChanges {
            name: input.name,
            email: input.email,
            access_role: input.access_role.map(Into::into),
            manager_id: input
                .manager_id
                .map(|id| validate::id("managerId", &id))
                .transpose()?,
            site: input.site,
            market: input.market,
            work_arrangement: input.work_arrangement.map(Into::into),
            employment_type: input.employment_type.map(Into::into),
        };
        Ok(Employee(
            employees::update(context::db(ctx), principal, id, changes).await?,
        ))
    }
}
