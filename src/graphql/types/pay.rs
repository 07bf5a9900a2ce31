//! Pay changes as GraphQL (issue 20). A pay change is the person's pay:
//! whoever sees their salary sees it (`Employee.payHistory`, `node`).

use async_graphql::{Context, Object, Result, ID};

use crate::db::entities::pay_change;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{PayBasis, PayChangeReason, PayChangeStatus};
use crate::graphql::types::ladder::Money;

#[derive(Clone)]
pub struct PayChange(pub pay_change::Model);

async fn employee(ctx: &Context<'_>, id: i64) -> Result<Option<Employee>> {
    Ok(ctx
        .data_unchecked::<Loaders>()
        .employees
        .load_one(id)
        .await?
        .map(Employee))
}

/// One change of someone's pay: a promotion, or a change without one
/// (merit, market adjustment, correction) that a manager proposed and HR
/// decided, or a change of pay basis or FTE (TERMS_CHANGE, the amount
/// unchanged). Each amount says what it is per.
#[Object]
impl PayChange {
    /// The pay change's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::PayChange, self.0.id)
    }
    /// Whose pay.
    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        employee(ctx, self.0.employee_id)
            .await?
            .ok_or_else(|| crate::error::AppError::internal("employee missing").into())
    }
    /// Why it changed.
    async fn reason(&self) -> PayChangeReason {
        self.0.reason.into()
    }
    /// PROPOSED, APPROVED or REJECTED.
    async fn status(&self) -> PayChangeStatus {
        self.0.status.into()
    }
    /// The pay before.
    async fn before(&self) -> Money {
        Money::new(self.0.before_minor, &self.0.currency)
    }
    /// The pay after (once approved).
    async fn after(&self) -> Money {
        Money::new(self.0.after_minor, &self.0.currency)
    }
    /// What `before` is per: a year, a month or an hour.
    async fn before_basis(&self) -> PayBasis {
        self.0.before_basis.into()
    }
    /// The full-time equivalent `before` was for (1 full time, 0.5 half
    /// time).
    async fn before_fte(&self) -> f64 {
        crate::domain::pay_basis::fte_number(self.0.before_fte_bp)
    }
    /// What `after` is per.
    async fn after_basis(&self) -> PayBasis {
        self.0.pay_basis.into()
    }
    /// The full-time equivalent `after` is for.
    async fn after_fte(&self) -> f64 {
        crate::domain::pay_basis::fte_number(self.0.fte_bp)
    }
    /// APPROVED for a later day and not applied yet: the pay becomes
    /// `after` on `effectiveOn`.
    async fn scheduled(&self) -> bool {
        self.0.scheduled == 1
    }
    /// The day the new pay applies from.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }
    /// Who proposed it (the nominator, for a promotion); null for history
    /// recorded without one.
    async fn proposed_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        match self.0.proposed_by_id {
            Some(id) => employee(ctx, id).await,
            None => Ok(None),
        }
    }
    /// Who decided it (HR); null while PROPOSED.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        match self.0.decided_by_id {
            Some(id) => employee(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The proposer's note, then HR's.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Why HR set pay outside the band, when it did.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
}

/// One group of the pay-gap report: people in the same role and market,
/// paid in one currency. A value with no id of its own.
pub struct PayGapBucket(pub crate::services::pay::PayGapBucket);

/// One group of the pay-gap report: people in the same role and market,
/// paid in one currency. A value with no id of its own.
#[Object]
impl PayGapBucket {
    /// The role's code, e.g. "CSR".
    async fn role_code(&self) -> &str {
        &self.0.role_code
    }
    /// The market code, e.g. "JP".
    async fn market(&self) -> &str {
        &self.0.market
    }
    /// The currency everyone in the group is paid in.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Women in the group.
    async fn women(&self) -> i32 {
        self.0.women as i32
    }
    /// Men in the group.
    async fn men(&self) -> i32 {
        self.0.men as i32
    }
    /// (mean pay of men − mean pay of women) / mean pay of men, in percent;
    /// null without both.
    async fn mean_gap_percent(&self) -> Option<f64> {
        self.0.mean_gap_percent
    }
    /// The same with medians.
    async fn median_gap_percent(&self) -> Option<f64> {
        self.0.median_gap_percent
    }
    /// The mean gap in total pay: base plus the bonus target (equity units
    /// have no price in Rungs and are left out).
    async fn mean_total_gap_percent(&self) -> Option<f64> {
        self.0.mean_total_gap_percent
    }
    /// The same with medians.
    async fn median_total_gap_percent(&self) -> Option<f64> {
        self.0.median_total_gap_percent
    }
}

#[derive(Clone)]
pub struct EquityGrant(pub crate::db::entities::equity_grant::Model);

/// Units of equity granted on a day, vesting over whole calendar months
/// after a cliff (for example 48 months with a 12-month cliff: nothing for a
/// year, a quarter on the first anniversary, then monthly). Same visibility
/// as salary.
#[Object]
impl EquityGrant {
    /// The grant's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::EquityGrant, self.0.id)
    }
    /// The day of the grant; vesting counts from it.
    async fn granted_on(&self) -> Date {
        Date(self.0.granted_on)
    }
    /// Units granted.
    async fn units(&self) -> i32 {
        i32::try_from(self.0.units).unwrap_or(i32::MAX)
    }
    /// Months until every unit has vested.
    async fn vesting_months(&self) -> i32 {
        self.0.vesting_months
    }
    /// Months before anything vests.
    async fn cliff_months(&self) -> i32 {
        self.0.cliff_months
    }
    /// Units vested on `asOf` (default today, UTC).
    async fn vested_units(
        &self,
        #[graphql(desc = "The day, an ISO 8601 date; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<i32> {
        let as_of = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        let schedule = crate::domain::equity::Schedule::new(
            self.0.granted_on,
            self.0.units,
            self.0.vesting_months,
            self.0.cliff_months,
        )
        .map_err(|e| crate::error::AppError::internal(format!("stored grant: {e}")))?;
        Ok(i32::try_from(schedule.vested_on(as_of)).unwrap_or(i32::MAX))
    }
}
