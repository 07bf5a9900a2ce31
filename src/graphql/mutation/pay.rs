use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{Gender, PayChangeReason};
use crate::graphql::types::pay::PayChange;
use crate::services::pay;

#[derive(Default)]
pub struct PayMutation;

/// A change of someone's pay without a promotion.
#[derive(InputObject)]
pub struct PayChangeInput {
    /// Whose pay (someone in your reporting chain; HR: anyone; never
    /// yourself).
    pub employee_id: ID,
    /// MERIT, MARKET_ADJUSTMENT or CORRECTION (promotions and lateral moves
    /// change pay through their own decisions).
    pub reason: PayChangeReason,
    /// The new pay, an exact decimal string in the person's currency, e.g.
    /// "495000"; inside the band of their role unless HR overrides.
    pub new_salary: String,
    /// The day it applies from: today (the default) or earlier.
    pub effective_on: Option<Date>,
    /// Why, in words (at most 2,000 characters).
    pub note: Option<String>,
    /// HR only: pay outside the band, and why (at most 2,000 characters).
    pub override_reason: Option<String>,
}

/// Equity to grant.
#[derive(InputObject)]
pub struct EquityGrantInput {
    /// To whom (never yourself).
    pub employee_id: ID,
    /// The day of the grant; vesting counts from it.
    pub granted_on: Date,
    /// Units, 1 to 1,000,000,000.
    pub units: i32,
    /// Months until every unit has vested, 1 to 120 (default 48).
    #[graphql(default = 48)]
    pub vesting_months: i32,
    /// Months before anything vests, 0 to `vestingMonths` (default 12).
    #[graphql(default = 12)]
    pub cliff_months: i32,
    /// Why, in words (at most 2,000 characters).
    pub note: Option<String>,
}

#[Object]
impl PayMutation {
    /// HR grants equity on a vesting schedule (never to themselves);
    /// audited. A schedule that does not add up is BAD_USER_INPUT.
    async fn grant_equity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to grant.")] input: EquityGrantInput,
    ) -> Result<crate::graphql::types::pay::EquityGrant> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("input.employeeId", Kind::Employee, &input.employee_id)?;
        let row = pay::grant_equity(
            context::db(ctx),
            principal,
            pay::EquityGrantInput {
                employee_id,
                granted_on: input.granted_on.0,
                units: i64::from(input.units),
                vesting_months: input.vesting_months,
                cliff_months: input.cliff_months,
                note: input.note,
            },
        )
        .await?;
        Ok(crate::graphql::types::pay::EquityGrant(row))
    }

    /// A manager (for their chain) or HR proposes a pay change without a
    /// promotion; HR decides it. One open proposal per person (CONFLICT).
    async fn propose_pay_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to propose.")] input: PayChangeInput,
    ) -> Result<PayChange> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("input.employeeId", Kind::Employee, &input.employee_id)?;
        let proposed = pay::propose(
            context::db(ctx),
            principal,
            pay::PayChangeInput {
                employee_id,
                reason: input.reason.into(),
                new_salary: input.new_salary,
                effective_on: input.effective_on.map(|d| d.0),
                note: input.note,
                override_reason: input.override_reason,
            },
            Utc::now().date_naive(),
        )
        .await?;
        Ok(PayChange(proposed))
    }

    /// HR approves (the pay changes at once) or rejects (a note is needed)
    /// a proposed pay change; never for your own pay nor a change you
    /// proposed. A change already decided is CONFLICT.
    async fn decide_pay_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pay change's global id.")] id: ID,
        #[graphql(desc = "True to approve, false to reject.")] approve: bool,
        #[graphql(
            desc = "For the person and the proposer; required to reject (at most 2,000 characters)."
        )]
        note: Option<String>,
    ) -> Result<PayChange> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::PayChange, &id)?;
        Ok(PayChange(
            pay::decide(context::db(ctx), principal, id, approve, note).await?,
        ))
    }

    /// Declare your gender (or, as HR, someone's), for the pay-gap report
    /// only: the person and HR read it; the audit log records that it
    /// changed, never what it is.
    async fn declare_gender(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "WOMAN, MAN, OTHER or UNDISCLOSED.")] gender: Gender,
        #[graphql(desc = "Whose (default: yourself; someone else: HR only).")] employee_id: Option<
            ID,
        >,
    ) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        let employee_id = match employee_id {
            Some(id) => ids::parse("employeeId", Kind::Employee, &id)?,
            None => principal.employee_id,
        };
        Ok(Employee(
            pay::declare_gender(context::db(ctx), principal, employee_id, gender.into()).await?,
        ))
    }
}
