//! Progression: the engine's answer for one employee, as GraphQL.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::NaiveDate;

use crate::db::entities::employee;
use crate::db::facts::Ladder;
use crate::domain::eligibility;
use crate::graphql::context;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{EligibilityStatus, GapKind, PromotionTrack};
use crate::graphql::types::ladder::{LadderStep, Money, Role, SalaryBand};
use crate::services::progression;

pub struct Progression {
    result: eligibility::Progression,
    ladder: Arc<Ladder>,
    role_id: i64,
    currency: String,
    market: String,
}

impl Progression {
    /// Loads the facts through the operation's batch loaders and asks the engine.
    pub async fn load(
        ctx: &Context<'_>,
        employee: &employee::Model,
        as_of: NaiveDate,
    ) -> Result<Progression> {
        let loaders = ctx.data_unchecked::<Loaders>();
        let ladder = context::ladder(ctx).await?;
        let facts = loaders
            .facts
            .load_one(employee.id)
            .await?
            .unwrap_or_default();
        let result = progression::evaluate(&ladder, employee, &facts, as_of);
        Ok(Progression {
            result,
            ladder,
            role_id: employee.job_role_id,
            currency: employee.currency.clone(),
            market: employee.market.clone(),
        })
    }
}

/// Where one person stands on every ladder step out of their role on a
/// date, as the eligibility engine decides it.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl Progression {
    /// The date evaluated (the `asOf` argument, default today, UTC).
    async fn as_of(&self) -> Date {
        Date(self.result.as_of)
    }
    /// The person's current job role (the steps start from it).
    async fn current_role(&self) -> Result<Role> {
        self.ladder
            .role(self.role_id)
            .cloned()
            .map(Role)
            .ok_or_else(|| crate::error::AppError::internal("unknown role").into())
    }
    /// Whole calendar months in the current role as of `asOf`.
    async fn months_in_role(&self) -> i32 {
        self.result.months_in_role as i32
    }
    /// Whole calendar months since the hire date as of `asOf`.
    async fn months_of_service(&self) -> i32 {
        self.result.months_of_service as i32
    }
    /// Mean rating of the last two reviews on or before `asOf`.
    async fn rating(&self) -> Option<f64> {
        self.result.rating
    }
    /// At least one option is ELIGIBLE.
    async fn eligible(&self) -> bool {
        self.result.eligible
    }
    /// ELIGIBLE for more than 6 months with no open nomination: a retention risk.
    async fn stalled(&self) -> bool {
        self.result.stalled
    }
    /// One option per ladder step out of the current role.
    async fn options(&self) -> Vec<PromotionOption> {
        self.result
            .options
            .iter()
            .take(crate::graphql::cost::bound::STEPS_PER_ROLE)
            .filter_map(|option| {
                PromotionOption::new(&self.ladder, option.clone(), &self.currency, &self.market)
            })
            .collect()
    }
}

/// One possible next role and where the employee stands for it.
pub struct PromotionOption {
    step: LadderStep,
    target_role: Role,
    result: eligibility::OptionResult,
    currency: String,
    target_band: Option<SalaryBand>,
}

impl PromotionOption {
    /// The engine's verdict on one step, with the step, its target role
    /// and the target band in `market` (for someone paid in `currency`).
    pub fn new(
        ladder: &Ladder,
        result: eligibility::OptionResult,
        currency: &str,
        market: &str,
    ) -> Option<PromotionOption> {
        let step = ladder.step(result.step_id)?.clone();
        let target = ladder.role(step.to_role_id)?.clone();
        let target_band = ladder
            .band(target.id, market)
            .cloned()
            .map(SalaryBand::from);
        Some(PromotionOption {
            step: LadderStep(step),
            target_role: Role(target),
            result,
            currency: currency.to_owned(),
            target_band,
        })
    }
}

/// One ladder step out of the current role and where the person stands
/// for it.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl PromotionOption {
    /// The ladder step, with its thresholds and requirements.
    async fn step(&self) -> &LadderStep {
        &self.step
    }
    /// The role the step leads to.
    async fn target_role(&self) -> &Role {
        &self.target_role
    }
    /// ELIGIBLE, NOT_YET (only tenure missing) or INELIGIBLE.
    async fn status(&self) -> EligibilityStatus {
        self.result.status.into()
    }
    /// Null when there is no rating to place the person on a track.
    async fn track(&self) -> Option<PromotionTrack> {
        self.result.track.map(Into::into)
    }
    /// NOT_YET: the date tenure will be enough. ELIGIBLE: the date it became
    /// true. INELIGIBLE: null.
    async fn eligible_on(&self) -> Option<Date> {
        self.result.eligible_on.map(Date)
    }
    /// Exactly what is missing.
    async fn gaps(&self) -> Vec<Gap> {
        Gap::all(&self.result.gaps)
    }
    /// The pay range of the target role in the person's market (pay
    /// transparency: the EU directive 2023/970 asks that workers know the
    /// ranges that apply to them); null without a band there.
    async fn target_band(&self) -> Option<&SalaryBand> {
        self.target_band.as_ref()
    }
    /// Pay on promotion at the step's minimum raise, clamped into the target
    /// band, exact to the minor unit.
    async fn projected_salary(&self) -> Option<Money> {
        self.result
            .projected_salary
            .map(|minor| Money::new(minor, &self.currency))
    }
    /// Pay on promotion in full: the projected base pay, the target band's
    /// bonus target on it and its equity guideline (leadership bands); null
    /// without a projected base pay.
    async fn projected_total_pay(&self) -> Option<TotalPay> {
        let base = self.result.projected_salary?;
        let band = self
            .target_band
            .as_ref()
            .filter(|b| b.model.currency == self.currency);
        let bonus = band
            .and_then(|b| b.model.bonus_target_bp)
            .and_then(|bp| crate::domain::money::apply_raise(base, bp).map(|with| with - base))
            .map(|minor| Money::new(minor, &self.currency));
        Some(TotalPay {
            base: Money::new(base, &self.currency),
            bonus_target: bonus,
            equity_units: band
                .and_then(|b| b.model.equity_units)
                .map(|u| i32::try_from(u).unwrap_or(i32::MAX)),
        })
    }
    /// Things to watch: a required certificate expiring before `eligibleOn`,
    /// a salary above the target band, no band for the target role.
    async fn warnings(&self) -> &[String] {
        let warnings = &self.result.warnings;
        &warnings[..warnings.len().min(crate::graphql::cost::bound::STRINGS)]
    }
}

/// One thing missing for a ladder step.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct Gap {
    /// What is missing: tenure, performance, a certificate, a language or
    /// a skill level.
    pub kind: GapKind,
    /// The gap in words, e.g. "needs a Six Sigma Yellow Belt or higher; has
    /// none". Words for people: no enum names, dates as "26 Dec 2026".
    pub message: String,
}

impl Gap {
    /// The engine's gaps, as GraphQL.
    pub fn all(gaps: &[eligibility::Gap]) -> Vec<Gap> {
        gaps.iter()
            .take(crate::graphql::cost::bound::GAPS)
            .map(|g| Gap {
                kind: g.kind.into(),
                message: g.message.clone(),
            })
            .collect()
    }
}

/// Pay in full: base, the bonus target on it, and equity units. A value
/// with no id of its own.
#[derive(async_graphql::SimpleObject)]
pub struct TotalPay {
    /// Base pay.
    pub base: Money,
    /// The bonus target on that base (leadership bands); null without one.
    pub bonus_target: Option<Money>,
    /// Equity units granted with it (leadership bands); null without.
    pub equity_units: Option<i32>,
}
