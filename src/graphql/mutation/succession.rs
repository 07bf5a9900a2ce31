//! Succession (issue 21): potential and confirmed successors.

use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::employee::Employee;
use crate::graphql::types::succession::{PotentialLevel, Readiness, SuccessionSlate};
use crate::services::succession;

#[derive(Default)]
pub struct SuccessionMutation;

/// A successor to confirm on a slate.
#[derive(InputObject)]
pub struct SuccessorInput {
    /// The site whose seat it is.
    pub site: String,
    /// TEAM_LEAD or OPERATIONS_MANAGER.
    pub role_code: String,
    /// Who would take it.
    pub employee_id: ID,
    /// How soon, as the manager or HR judges it.
    pub readiness: Readiness,
}

#[Object]
impl SuccessionMutation {
    /// Confirms someone on a site's slate with a readiness (again: the
    /// readiness changes). A manager above them or HR; nobody confirms
    /// themselves. Audited. Returns the slate as it stands today.
    async fn confirm_successor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slate, the person and their readiness.")] input: SuccessorInput,
    ) -> Result<SuccessionSlate> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("employeeId", Kind::Employee, &input.employee_id)?;
        let confirmation = succession::Confirmation {
            site: input.site,
            role_code: input.role_code,
            employee_id,
            readiness: input.readiness.into(),
        };
        Ok(SuccessionSlate(
            succession::confirm(
                context::db(ctx),
                principal,
                confirmation,
                Utc::now().date_naive(),
            )
            .await?,
        ))
    }

    /// Takes someone off a site's slate (a manager above them or HR; not
    /// oneself). Audited. Returns the slate as it stands today: the engine
    /// may still suggest them.
    async fn remove_successor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The site whose seat it is.")] site: String,
        #[graphql(desc = "TEAM_LEAD or OPERATIONS_MANAGER.")] role_code: String,
        #[graphql(desc = "Who to take off the slate.")] employee_id: ID,
    ) -> Result<SuccessionSlate> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("employeeId", Kind::Employee, &employee_id)?;
        Ok(SuccessionSlate(
            succession::remove(
                context::db(ctx),
                principal,
                &site,
                &role_code,
                employee_id,
                Utc::now().date_naive(),
            )
            .await?,
        ))
    }

    /// Records someone's potential for the 9-box, dated today (the history
    /// keeps every assessment). A manager above them or HR; nobody assesses
    /// their own. Audited.
    async fn assess_potential(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose potential.")] employee_id: ID,
        #[graphql(desc = "LOW, MEDIUM or HIGH.")] potential: PotentialLevel,
    ) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("employeeId", Kind::Employee, &employee_id)?;
        Ok(Employee(
            succession::assess_potential(
                context::db(ctx),
                principal,
                employee_id,
                potential.into(),
            )
            .await?,
        ))
    }
}
