//! Roles, ladder steps, requirements, salary bands and money.

use crate::graphql::ids::{self, Kind};
use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject, ID};

use crate::db::entities::{job_role, ladder_step, salary_band, step_requirement};
use crate::db::facts::requirement_fact;
use crate::domain::money;
use crate::graphql::context;
use crate::graphql::types::enums::{CefrLevel, CertificationKind, SixSigmaBelt};

/// An exact amount of money, never a float: stored as integer minor units
/// and sent as a decimal string with exactly the currency's number of
/// decimal places (JPY "400000", USD "52000.50").
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject, Clone, Debug)]
pub struct Money {
    /// The amount as an exact decimal string in the currency's major unit
    /// with all its minor-unit digits: "400000" (JPY), "52000.50" (USD).
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: &str) -> Self {
        Money {
            amount: money::format_amount(minor, currency),
            currency: currency.to_owned(),
        }
    }
}

/// A job role: where someone stands on the ladder.
pub struct Role(pub job_role::Model);

/// A job role: where someone stands on the ladder (CSR, TEAM_LEAD, ...).
#[Object]
impl Role {
    /// The role's global id (keyed by its code, which does not change).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Role, &self.0.code)
    }
    /// Stable code used in inputs and filters, e.g. "CSR", "TEAM_LEAD".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Human-readable title, e.g. "Customer Service Representative".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 1 for CSR, 2 for Team Lead and its peers, 3 for Operations Manager.
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// The ladder steps out of this role.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<LadderStep>> {
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .steps_from(self.0.id)
            .take(crate::graphql::cost::bound::STEPS_PER_ROLE)
            .cloned()
            .map(LadderStep)
            .collect())
    }
}

/// Looks a role up in the request's ladder.
pub async fn role_by_id(ctx: &Context<'_>, id: i64) -> Result<Role> {
    let ladder = context::ladder(ctx).await?;
    ladder
        .role(id)
        .cloned()
        .map(Role)
        .ok_or_else(|| crate::error::AppError::internal("unknown role id").into())
}

/// A move from one role to another and what it takes.
pub struct LadderStep(pub ladder_step::Model);

/// A move from one job role to another and what it takes; HR changes it
/// with `upsertLadderStep`.
#[Object]
impl LadderStep {
    /// The step's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::LadderStep, self.0.id)
    }
    /// The role the step starts from.
    async fn from(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.from_role_id).await
    }
    /// The role the step leads to.
    async fn to(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.to_role_id).await
    }
    /// PROMOTION (a step up, with a raise) or LATERAL (a move across to
    /// another department: no raise, pay stays inside the target band).
    async fn kind(&self) -> crate::graphql::types::mobility::StepKind {
        crate::graphql::types::mobility::StepKind::of(&self.0.kind)
    }
    /// Months in the current role after which a top performer is eligible.
    async fn fast_track_months(&self) -> i32 {
        self.0.fast_track_months
    }
    /// Months in the current role after which anyone meeting the bar is eligible.
    async fn standard_months(&self) -> i32 {
        self.0.standard_months
    }
    /// Performance bar: mean rating of the last two reviews.
    async fn min_rating(&self) -> f64 {
        self.0.min_rating
    }
    /// Mean rating of the last two reviews that makes a top performer.
    async fn top_performer_rating(&self) -> f64 {
        self.0.top_performer_rating
    }
    /// Smallest raise on promotion, in percent (the default raise).
    async fn raise_min_percent(&self) -> f64 {
        self.0.raise_min_bp as f64 / 100.0
    }
    /// Largest raise on promotion, in percent.
    async fn raise_max_percent(&self) -> f64 {
        self.0.raise_max_bp as f64 / 100.0
    }
    /// Skills the step asks for, at a minimum level (none by default).
    async fn skill_requirements(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::training::SkillRequirement>> {
        let ladder = context::ladder(ctx).await?;
        Ok(crate::graphql::types::training::skill_requirements(
            &ladder, self.0.id,
        ))
    }
    /// Certificates and languages the step asks for (VERIFIED and
    /// unexpired on the evaluation date).
    async fn requirements(&self, ctx: &Context<'_>) -> Result<Vec<Requirement>> {
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .requirements_of(self.0.id)
            .iter()
            .take(crate::graphql::cost::bound::REQUIREMENTS_PER_STEP)
            .cloned()
            .map(Requirement)
            .collect())
    }
}

/// A certification or language requirement of a step.
pub struct Requirement(pub step_requirement::Model);

/// A certificate or language requirement of a ladder step.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl Requirement {
    /// The kind of certificate that meets it.
    async fn kind(&self) -> CertificationKind {
        requirement_fact(&self.0).kind.into()
    }
    /// Lowest belt that counts (SIX_SIGMA).
    async fn min_belt(&self) -> Option<SixSigmaBelt> {
        requirement_fact(&self.0).min_belt.map(Into::into)
    }
    /// Lowest CEFR level that counts (LANGUAGE).
    async fn min_cefr(&self) -> Option<CefrLevel> {
        requirement_fact(&self.0).min_cefr.map(Into::into)
    }
    /// How many are needed (for LANGUAGE: distinct languages).
    async fn count(&self) -> i32 {
        self.0.required_count
    }
    /// The requirement in words.
    async fn description(&self) -> String {
        crate::domain::eligibility::describe_requirement(&requirement_fact(&self.0))
    }
}

/// The pay range of a role in a market.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SalaryBand {
    #[graphql(skip)]
    pub model: salary_band::Model,
    /// Market code, e.g. "JP".
    pub market: String,
    /// Lowest pay of the band, in the band's currency, per `basis`.
    pub min: Money,
    /// The band's midpoint (the compa-ratio's denominator).
    pub midpoint: Money,
    /// Highest pay of the band; promotion pay is capped here.
    pub max: Money,
}

impl From<salary_band::Model> for SalaryBand {
    fn from(model: salary_band::Model) -> Self {
        SalaryBand {
            market: model.market.clone(),
            min: Money::new(model.min_minor, &model.currency),
            midpoint: Money::new(model.midpoint_minor, &model.currency),
            max: Money::new(model.max_minor, &model.currency),
            model,
        }
    }
}

#[ComplexObject]
impl SalaryBand {
    /// The band's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::SalaryBand, self.model.id)
    }
    /// The job role the band is for.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.model.job_role_id).await
    }
    /// Bonus target of the band, in percent of base pay (leadership
    /// bands); null without one.
    async fn bonus_target_percent(&self) -> Option<f64> {
        self.model.bonus_target_bp.map(|bp| bp as f64 / 100.0)
    }
    /// What the band's amounts are per: a year, a month or an hour.
    async fn basis(&self) -> crate::graphql::types::enums::PayBasis {
        self.model.pay_basis.into()
    }
    /// The band as a full-time equivalent per year (HOURLY × the market's
    /// standard annual hours, MONTHLY × 12): what people's annualised
    /// salaries are compared with.
    async fn annualised(&self, ctx: &Context<'_>) -> Result<AnnualisedBand> {
        let ladder = crate::graphql::context::ladder(ctx).await?;
        let band = ladder.band_fact(&self.model);
        let terms = crate::domain::pay_basis::PayTerms::full_time(band.basis, band.annual_hours);
        let annual = |minor: i64| {
            terms
                .annualise(minor)
                .map(|a| Money::new(a, &band.currency))
                .ok_or_else(|| async_graphql::Error::new("the annualised amount is too large"))
        };
        Ok(AnnualisedBand {
            min: annual(band.min)?,
            midpoint: annual(band.midpoint)?,
            max: annual(band.max)?,
            standard_annual_hours: i32::try_from(band.annual_hours).unwrap_or(i32::MAX),
        })
    }
    /// Equity granted on promotion into the band; null without one.
    async fn equity_guideline(&self) -> Option<EquityGuideline> {
        Some(EquityGuideline {
            units: i32::try_from(self.model.equity_units?).unwrap_or(i32::MAX),
            vesting_months: self.model.equity_vesting_months?,
            cliff_months: self.model.equity_cliff_months?,
        })
    }
}

/// A band as full-time equivalents per year. A value with no id of its
/// own.
#[derive(SimpleObject, Clone, Debug)]
pub struct AnnualisedBand {
    /// The minimum, per year full time.
    pub min: Money,
    /// The midpoint, per year full time.
    pub midpoint: Money,
    /// The maximum, per year full time.
    pub max: Money,
    /// The market's standard hours in a year (turns an hourly rate into a
    /// year).
    pub standard_annual_hours: i32,
}

/// Equity a band grants on promotion into it: units vesting over whole
/// calendar months after a cliff. A value with no id of its own.
#[derive(SimpleObject, Clone, Debug)]
pub struct EquityGuideline {
    /// Units granted.
    pub units: i32,
    /// Months until every unit has vested.
    pub vesting_months: i32,
    /// Months before anything vests.
    pub cliff_months: i32,
}
