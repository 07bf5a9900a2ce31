use async_graphql::{Context, InputObject, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{AccessRole, EmploymentType, PayBasis, WorkArrangement};
use crate::services::employees;

#[derive(Default)]
pub struct EmployeeMutation;

/// A new employee, their job role, pay and (optionally) a sign-in.
#[derive(InputObject)]
pub struct CreateEmployeeInput {
    /// Generated ("E000042") when omitted.
    pub employee_number: Option<String>,
    /// Full name (at most 200 characters).
    pub name: String,
    /// Work email, the sign-in name; unique, stored lower-case.
    pub email: String,
    /// What the person may do in Rungs; ADMIN only by an ADMIN.
    #[graphql(default_with = "AccessRole::Employee")]
    pub access_role: AccessRole,
    /// Job role code, e.g. "CSR".
    pub role_code: String,
    /// The direct manager's id; omitted: nobody.
    pub manager_id: Option<ID>,
    /// The site the person works at (at most 100 characters).
    pub site: String,
    /// Market code, e.g. "JP".
    pub market: String,
    /// On site, remote or hybrid.
    #[graphql(default_with = "WorkArrangement::Onsite")]
    pub work_arrangement: WorkArrangement,
    /// Full-time, part-time or gig.
    #[graphql(default_with = "EmploymentType::FullTime")]
    pub employment_type: EmploymentType,
    /// The hire date.
    pub hired_on: Date,
    /// The date the job role started, not before `hiredOn` (default).
    pub role_since: Option<Date>,
    /// Salary, per `payBasis`, as an exact decimal string with at most the
    /// currency's decimal places, e.g. "4800000" (JPY a year), "26.50" (USD
    /// an hour).
    pub salary: String,
    /// ISO 4217 code, e.g. "JPY".
    pub currency: String,
    /// What `salary` is per (default ANNUAL).
    #[graphql(default_with = "PayBasis::Annual")]
    pub pay_basis: PayBasis,
    /// Full-time equivalent in (0, 1], at most four decimals (default 1:
    /// full time; 0.5 is half time).
    #[graphql(default = 1.0)]
    pub fte: f64,
    /// The first password (12 to 128 characters, not the email or name).
    /// Without one the account cannot sign in: no mutation sets a first
    /// password later.
    pub initial_password: Option<String>,
}

/// Changes to an employee: omitted (or null) fields stay as they are.
#[derive(InputObject)]
pub struct UpdateEmployeeInput {
    /// New full name.
    pub name: Option<String>,
    /// New work email (the sign-in name); unique.
    pub email: Option<String>,
    /// New access role; ADMIN only.
    pub access_role: Option<AccessRole>,
    /// New direct manager's id (not the person or anyone below them).
    pub manager_id: Option<ID>,
    /// New site.
    pub site: Option<String>,
    /// New market code, e.g. "JP" (the salary's currency stays).
    pub market: Option<String>,
    /// New work arrangement.
    pub work_arrangement: Option<WorkArrangement>,
    /// New employment type.
    pub employment_type: Option<EmploymentType>,
    /// A new basis for the salary on record; the amount stays (propose a
    /// pay change for a new amount).
    pub pay_basis: Option<PayBasis>,
    /// A new full-time equivalent in (0, 1]; the amount stays.
    pub fte: Option<f64>,
}

#[Object]
impl EmployeeMutation {
    /// HR and ADMIN (an ADMIN account: ADMIN only). Creates the employee
    /// and their first role-history row.
    async fn create_employee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: CreateEmployeeInput,
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
                .map(|id| ids::parse("managerId", Kind::Employee, &id))
                .transpose()?,
            site: input.site,
            market: input.market,
            work_arrangement: input.work_arrangement.into(),
            employment_type: input.employment_type.into(),
            hired_on: input.hired_on.0,
            role_since: input.role_since.map(|d| d.0),
            salary: input.salary,
            currency: input.currency,
            pay_basis: input.pay_basis.into(),
            fte: input.fte,
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
        #[graphql(desc = "The employee's global id.")] id: ID,
        #[graphql(desc = "What to create or change.")] input: UpdateEmployeeInput,
    ) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let id = ids::parse("id", Kind::Employee, &id)?;
        let changes = employees::EmployeeChanges {
            name: input.name,
            email: input.email,
            access_role: input.access_role.map(Into::into),
            manager_id: input
                .manager_id
                .map(|id| ids::parse("managerId", Kind::Employee, &id))
                .transpose()?,
            site: input.site,
            market: input.market,
            work_arrangement: input.work_arrangement.map(Into::into),
            employment_type: input.employment_type.map(Into::into),
            pay_basis: input.pay_basis.map(Into::into),
            fte: input.fte,
        };
        Ok(Employee(
            employees::update(context::db(ctx), principal, id, changes).await?,
        ))
    }
}
