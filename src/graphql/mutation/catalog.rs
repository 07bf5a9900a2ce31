use async_graphql::{Context, InputObject, Object, Result};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::enums::{CefrLevel, CertificationKind, SixSigmaBelt};
use crate::graphql::types::ladder::{LadderStep, SalaryBand};
use crate::services::catalog;

#[derive(Default)]
pub struct CatalogMutation;

/// The band of one job role in one market.
#[derive(InputObject)]
pub struct SalaryBandInput {
    /// Job role code, e.g. "CSR".
    pub role_code: String,
    /// Market code, e.g. "JP" (2 to 10 letters, digits or '-').
    pub market: String,
    /// ISO 4217 code of the amounts, e.g. "JPY".
    pub currency: String,
    /// Band minimum: an exact decimal string with at most the currency's
    /// decimal places, e.g. "400000".
    pub min: String,
    /// Band maximum, not below `min`; same format.
    pub max: String,
    /// Between min and max; defaults to halfway between them.
    pub midpoint: Option<String>,
    /// Leadership bands: bonus target in percent of base pay (0 to 100, at
    /// most two decimals); omitted: none.
    pub bonus_target_percent: Option<f64>,
    /// Leadership bands: equity granted on promotion into the band;
    /// omitted: none.
    pub equity_guideline: Option<EquityGuidelineInput>,
    /// What the amounts are per (default ANNUAL). Salaries on another
    /// basis are compared with the band as annualised full-time
    /// equivalents.
    #[graphql(default_with = "crate::graphql::types::enums::PayBasis::Annual")]
    pub basis: crate::graphql::types::enums::PayBasis,
}

/// A market's standard hours. A value with no id of its own.
#[derive(async_graphql::SimpleObject)]
pub struct MarketHours {
    /// Market code, e.g. "JP".
    pub market: String,
    /// Standard hours in a year.
    pub standard_annual_hours: i32,
}

/// Equity a band grants on promotion into it.
#[derive(InputObject)]
pub struct EquityGuidelineInput {
    /// Units, 1 to 1,000,000,000.
    pub units: i32,
    /// Months until every unit has vested, 1 to 120.
    pub vesting_months: i32,
    /// Months before anything vests, 0 to `vestingMonths`.
    pub cliff_months: i32,
}

/// A certificate or language requirement of a ladder step.
#[derive(InputObject)]
pub struct RequirementInput {
    /// The kind of certificate that meets it.
    pub kind: CertificationKind,
    /// Lowest belt that counts; SIX_SIGMA only (omitted: any belt).
    pub min_belt: Option<SixSigmaBelt>,
    /// Lowest CEFR level that counts; LANGUAGE only (omitted: any level).
    pub min_cefr: Option<CefrLevel>,
    /// How many are needed, 1 - 10 (for LANGUAGE: distinct languages).
    #[graphql(default = 1)]
    pub count: i32,
}

/// A ladder step to create or change. Omitted thresholds keep their value;
/// a new step starts from 12 and 18 months, ratings 3.0 and 4.0, raises of
/// 20 to 30 percent, and no requirements.
#[derive(InputObject)]
pub struct LadderStepInput {
    /// Code of the role the step starts from.
    pub from_role_code: String,
    /// Code of the role it leads to (another role).
    pub to_role_code: String,
    /// Months in role a top performer needs, 0 - 600, at most
    /// `standardMonths`.
    pub fast_track_months: Option<i32>,
    /// Months in role anyone meeting the bar needs, 0 - 600.
    pub standard_months: Option<i32>,
    /// Performance bar (mean of the last two ratings), 1.0 - 5.0, at most
    /// `topPerformerRating`.
    pub min_rating: Option<f64>,
    /// Mean rating that makes a top performer, 1.0 - 5.0.
    pub top_performer_rating: Option<f64>,
    /// Percent, 0 - 100, at most two decimals; at most `raiseMaxPercent`.
    pub raise_min_percent: Option<f64>,
    /// Percent, 0 - 100 (at most 100: pay at most doubles on promotion).
    pub raise_max_percent: Option<f64>,
    /// Replaces the step's requirements when given.
    pub requirements: Option<Vec<RequirementInput>>,
    /// Replaces the step's skill requirements when given (none by default).
    pub skill_requirements: Option<Vec<SkillRequirementInput>>,
    /// PROMOTION (a step up, with a raise) or LATERAL (a move across: no
    /// raise, raises then default to 0); omitted keeps the step's kind (a
    /// new step: PROMOTION).
    pub kind: Option<crate::graphql::types::mobility::StepKind>,
}

/// A skill a ladder step asks for, at a minimum level.
#[derive(InputObject)]
pub struct SkillRequirementInput {
    /// The skill's id (each skill once per step).
    pub skill_id: async_graphql::ID,
    /// 1 - 5.
    pub min_level: i32,
}

#[Object]
impl CatalogMutation {
    /// HR: create or replace the band of a role in a market. The audit
    /// event keeps the band before and after.
    async fn upsert_salary_band(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: SalaryBandInput,
    ) -> Result<SalaryBand> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let band = catalog::upsert_salary_band(
            context::db(ctx),
            principal,
            catalog::BandInput {
                role_code: input.role_code,
                market: input.market,
                currency: input.currency,
                min: input.min,
                max: input.max,
                midpoint: input.midpoint,
                bonus_target_percent: input.bonus_target_percent,
                equity: input
                    .equity_guideline
                    .map(|g| (g.units, g.vesting_months, g.cliff_months)),
                basis: input.basis.into(),
            },
        )
        .await?;
        Ok(band.into())
    }

    /// HR: the standard hours in a year of a market (an hourly rate × these
    /// hours is what a year full time is compared with). Answers that
    /// compare hourly pay change at once. Audited.
    async fn set_standard_hours(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Market code, e.g. \"JP\".")] market: String,
        #[graphql(desc = "Hours in a year, 1 to 8784 (2080 is 40 hours a week).")]
        annual_hours: i32,
    ) -> Result<MarketHours> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let saved =
            catalog::set_standard_hours(context::db(ctx), principal, &market, annual_hours).await?;
        Ok(MarketHours {
            market: saved.market,
            standard_annual_hours: i32::try_from(saved.annual_hours).unwrap_or(i32::MAX),
        })
    }

    /// HR: create or change a ladder step; answers change at once. The
    /// audit event keeps the step before and after.
    async fn upsert_ladder_step(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: LadderStepInput,
    ) -> Result<LadderStep> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let step = catalog::upsert_ladder_step(
            context::db(ctx),
            principal,
            catalog::StepInput {
                from_role_code: input.from_role_code,
                to_role_code: input.to_role_code,
                fast_track_months: input.fast_track_months,
                standard_months: input.standard_months,
                min_rating: input.min_rating,
                top_performer_rating: input.top_performer_rating,
                raise_min_percent: input.raise_min_percent,
                raise_max_percent: input.raise_max_percent,
                kind: input.kind.map(|k| k.as_str()),
                requirements: input.requirements.map(|list| {
                    list.into_iter()
                        .map(|r| catalog::RequirementInput {
                            kind: r.kind.into(),
                            min_belt: r.min_belt.map(Into::into),
                            min_cefr: r.min_cefr.map(Into::into),
                            count: r.count,
                        })
                        .collect()
                }),
                skill_requirements: match input.skill_requirements {
                    Some(list) => Some(
                        list.iter()
                            .map(|r| {
                                Ok((
                                    ids::parse("skillId", Kind::Skill, &r.skill_id)?,
                                    r.min_level,
                                ))
                            })
                            .collect::<Result<Vec<_>, crate::error::AppError>>()?,
                    ),
                    None => None,
                },
            },
        )
        .await?;
        Ok(LadderStep(step))
    }
}
