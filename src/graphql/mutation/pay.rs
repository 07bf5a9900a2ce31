use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{Gender, PayChangeReason};
use crate::graphql::types::merit::{MeritBudgetBy, MeritCycle, MeritProposal};
use crate::graphql::types::pay::PayChange;
use crate::services::{merit, pay};

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
    /// The day it applies from: today (the default), earlier (not before
    /// the current role), or up to 366 days ahead (approved, it is
    /// `scheduled` until then).
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
    /// promotion; HR decides it. One open proposal per person, and none
    /// while a change is scheduled for them (CONFLICT).
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

    /// HR approves (the pay changes at once, or on its `effectiveOn` when
    /// that is later: `scheduled` until then) or rejects (a note is
    /// needed) a proposed pay change; never for your own pay nor a change
    /// you proposed. A change already decided is CONFLICT.
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

    /// HR: opens a merit cycle. Its budgets are `budgetPercent` of the
    /// annualised full-time payroll of the people in scope (hired by
    /// `effectiveOn`, in `market` if given), per site or market. Audited.
    async fn open_merit_cycle(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The cycle.")] input: MeritCycleInput,
    ) -> Result<MeritCycle> {
        let principal = context::principal(ctx)?;
        let matrix = input.matrix.map(|cells| {
            cells
                .into_iter()
                .map(|c| crate::domain::merit::Guideline {
                    min_rating_cp: (c.min_rating * 100.0).round() as i64,
                    max_rating_cp: (c.max_rating * 100.0).round() as i64,
                    quartile: u8::try_from(c.compa_quartile).unwrap_or(0),
                    min_bp: crate::domain::money::percent_to_basis_points(c.min_percent)
                        .unwrap_or(-1),
                    max_bp: crate::domain::money::percent_to_basis_points(c.max_percent)
                        .unwrap_or(i64::MAX),
                })
                .collect()
        });
        let cycle = merit::open(
            context::db(ctx),
            principal,
            merit::OpenInput {
                name: input.name,
                effective_on: input.effective_on.0,
                budget_percent: input.budget_percent,
                budget_by: input.budget_by.into(),
                market: input.market,
                matrix,
            },
        )
        .await?;
        Ok(MeritCycle(cycle))
    }

    /// A manager (for people in their reporting chain) or HR proposes a
    /// merit raise in an open cycle, never for their own pay. Outside the
    /// matrix's guideline it needs a justification; it never takes a
    /// budget below zero (CONFLICT). Proposing again for the same person
    /// replaces the proposal.
    async fn propose_merit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The merit cycle's global id.")] cycle_id: ID,
        #[graphql(desc = "The employee's global id.")] employee_id: ID,
        #[graphql(desc = "The raise in percent, 0 to 100, at most two decimals.")] percent: f64,
        #[graphql(desc = "Why, when outside the guideline (at most 2,000 characters).")]
        justification: Option<String>,
    ) -> Result<MeritProposal> {
        let principal = context::principal(ctx)?;
        let input = merit::ProposeInput {
            cycle_id: ids::parse("cycleId", Kind::MeritCycle, &cycle_id)?,
            employee_id: ids::parse("employeeId", Kind::Employee, &employee_id)?,
            percent,
            justification,
        };
        Ok(MeritProposal(
            merit::propose(context::db(ctx), principal, input).await?,
        ))
    }

    /// HR closes a merit cycle on or after its effective date: every
    /// proposal becomes an approved MERIT pay change from that date, in one
    /// transaction, or nothing changes. Someone whose pay is in the cycle,
    /// or who proposed in it, does not close it. Audited.
    async fn close_merit_cycle(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The merit cycle's global id.")] id: ID,
    ) -> Result<MeritCycle> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::MeritCycle, &id)?;
        let today = Utc::now().date_naive();
        Ok(MeritCycle(
            merit::close(context::db(ctx), principal, id, today).await?,
        ))
    }
}

/// A merit cycle to open.
#[derive(InputObject)]
pub struct MeritCycleInput {
    /// Its name, e.g. "2027 merit review" (at most 200 characters).
    pub name: String,
    /// The day the new pay applies from.
    pub effective_on: Date,
    /// The budget in percent of the scope's annualised full-time payroll,
    /// 0 to 100, at most two decimals.
    pub budget_percent: f64,
    /// One budget per site or per market (default SITE).
    #[graphql(default_with = "MeritBudgetBy::Site")]
    pub budget_by: MeritBudgetBy,
    /// Only this market's people; omitted: everyone.
    pub market: Option<String>,
    /// The matrix; omitted: the default (ratings 4.5–5, 3.5–4.5, 2.5–3.5
    /// and below × four quarters of the band).
    pub matrix: Option<Vec<MeritGuidelineInput>>,
}

/// One cell of a merit matrix.
#[derive(InputObject)]
pub struct MeritGuidelineInput {
    /// Ratings from (inclusive), 1 to 5.
    pub min_rating: f64,
    /// Ratings to (exclusive; 5 is included in the top band), above
    /// `minRating`.
    pub max_rating: f64,
    /// 1 to 4: the quarter of the band the pay sits in (1 lowest).
    pub compa_quartile: i32,
    /// The smallest raise guided, in percent (0 to 100).
    pub min_percent: f64,
    /// The largest raise guided, in percent, not below `minPercent`.
    pub max_percent: f64,
}
