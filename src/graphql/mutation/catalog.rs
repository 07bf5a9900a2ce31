use async_graphql::{Context, InputObject, Object, Result};

use crate::graphql::context;
use crate::graphql::types::enums::{CefrLevel, CertificationKind, SixSigmaBelt};
use crate::graphql::types::ladder::{LadderStep, SalaryBand};
use crate::services::{catalog, validate};

#[derive(Default)]
pub struct CatalogMutation;

#[derive(InputObject)]
pub struct SalaryBandInput {
    pub role_code: String,
    pub market: String,
    pub currency: String,
    pub min: String,
    pub max: String,
    /// Defaults to halfway between min and max.
    pub midpoint: Option<String>,
}

#[derive(InputObject)]
pub struct RequirementInput {
    pub kind: CertificationKind,
    pub min_belt: Option<SixSigmaBelt>,
    pub min_cefr: Option<CefrLevel>,
    #[graphql(default = 1)]
    pub count: i32,
}

#[derive(InputObject)]
pub struct LadderStepInput {
    pub from_role_code: String,
    pub to_role_code: String,
    pub fast_track_months: Option<i32>,
    pub standard_months: Option<i32>,
    pub min_rating: Option<f64>,
    pub top_performer_rating: Option<f64>,
    /// Percent, 0 - 100.
    pub raise_min_percent: Option<f64>,
    /// Percent, 0 - 100 (at most 100: pay at most doubles on promotion).
    pub raise_max_percent: Option<f64>,
    /// Replaces the step's requirements when given.
    pub requirements: Option<Vec<RequirementInput>>,
    /// Replaces the step's skill requirements when given (none by default).
    pub skill_requirements: Option<Vec<SkillRequirementInput>>,
}

#[derive(InputObject)]
pub struct SkillRequirementInput {
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
        input: SalaryBandInput,
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
            },
        )
        .await?;
        Ok(band.into())
    }

    /// HR: create or change a ladder step; answers change at once. The
    /// audit event keeps the step before and after.
    async fn upsert_ladder_step(
        &self,
        ctx: &Context<'_>,
        input: LadderStepInput,
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
                            .map(|r| Ok((validate::id("skillId", &r.skill_id)?, r.min_level)))
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
