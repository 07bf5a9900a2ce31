//! The ladder and the salary bands: read by everyone (pay transparency),
//! changed by HR.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::{job_role, ladder_step, salary_band, step_requirement, step_skill};
use crate::db::facts::Ladder;
use crate::db::Db;
use crate::domain::enums::{CefrLevel, CertificationKind, SixSigmaBelt};
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

/// Salary bands, optionally for one role code and/or market.
pub async fn salary_bands(
    db: &Db,
    ladder: &Ladder,
    role_code: Option<&str>,
    market: Option<&str>,
) -> AppResult<Vec<salary_band::Model>> {
    let mut query = salary_band::Entity::find().order_by_asc(salary_band::Column::Id);
    if let Some(code) = role_code {
        match ladder.role_by_code(code) {
            Some(role) => query = query.filter(salary_band::Column::JobRoleId.eq(role.id)),
            None => return Ok(vec![]),
        }
    }
    if let Some(market) = market {
        query = query.filter(salary_band::Column::Market.eq(market.trim().to_uppercase()));
    }
    Ok(query.all(&db.conn).await?)
}

pub struct BandInput {
    pub role_code: String,
    pub market: String,
    pub currency: String,
    pub min: String,
    pub max: String,
    pub midpoint: Option<String>,
    /// Leadership: bonus target in percent of base pay.
    pub bonus_target_percent: Option<f64>,
    /// Leadership: equity guideline (units, vesting months, cliff months).
    pub equity: Option<(i32, i32, i32)>,
    /// What the amounts are per.
    pub basis: crate::domain::enums::PayBasis,
}

/// Creates or replaces the band of (role, market).
pub async fn upsert_salary_band(
    db: &Db,
    principal: &Principal,
    input: BandInput,
) -> AppResult<salary_band::Model> {
    policy::may_administer(principal)?;
    let market = validate::market(&input.market)?;
    let currency = validate::currency(&input.currency)?;
    let min = validate::amount("min", &input.min, &currency)?;
    let max = validate::amount("max", &input.max, &currency)?;
    if min > max {
        return Err(AppError::bad_input("min must not be greater than max"));
    }
    let midpoint = match &input.midpoint {
        Some(text) => validate::amount("midpoint", text, &currency)?,
        None => money::default_midpoint(min, max),
    };
    if midpoint < min || midpoint > max {
        return Err(AppError::bad_input("midpoint must lie between min and max"));
    }
    let bonus_bp = input
        .bonus_target_percent
        .map(|p| {
            money::percent_to_basis_points(p)
                .filter(|bp| (0..=10_000).contains(bp))
                .ok_or_else(|| {
                    AppError::bad_input(
                        "bonusTargetPercent: between 0 and 100, at most two decimals",
                    )
                })
        })
        .transpose()?;
    let equity = input
        .equity
        .map(|(units, vesting, cliff)| {
            crate::domain::equity::Schedule::new(
                chrono::NaiveDate::MIN,
                i64::from(units),
                vesting,
                cliff,
            )
            .map_err(|e| AppError::bad_input(format!("equityGuideline.{e}")))?;
            Ok::<_, AppError>((i64::from(units), vesting, cliff))
        })
        .transpose()?;
    let txn = db.begin_write().await?;
    let role = job_role::Entity::find()
        .filter(job_role::Column::Code.eq(input.role_code.trim()))
        .one(&txn)
        .await?
        .ok_or_else(|| unknown_role(&input.role_code))?;
    let existing = salary_band::Entity::find()
        .filter(salary_band::Column::JobRoleId.eq(role.id))
        .filter(salary_band::Column::Market.eq(market.as_str()))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(band_json);
    let saved = match existing {
        Some(band) => {
            let mut active = band.into_active_model();
            active.currency = Set(currency);
            active.min_minor = Set(min);
            active.max_minor = Set(max);
            active.midpoint_minor = Set(midpoint);
            active.bonus_target_bp = Set(bonus_bp);
            active.equity_units = Set(equity.map(|e| e.0));
            active.equity_vesting_months = Set(equity.map(|e| e.1));
            active.equity_cliff_months = Set(equity.map(|e| e.2));
            active.pay_basis = Set(input.basis.into());
            active.update(&txn).await?
        }
        None => {
            salary_band::ActiveModel {
                job_role_id: Set(role.id),
                market: Set(market),
                currency: Set(currency),
                min_minor: Set(min),
                max_minor: Set(max),
                midpoint_minor: Set(midpoint),
                bonus_target_bp: Set(bonus_bp),
                pay_basis: Set(input.basis.into()),
                equity_units: Set(equity.map(|e| e.0)),
                equity_vesting_months: Set(equity.map(|e| e.1)),
                equity_cliff_months: Set(equity.map(|e| e.2)),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "UPSERT_SALARY_BAND",
        "salary_band",
        saved.id,
        json!({ "before": before, "after": band_json(&saved) }),
    )
    .await?;
    txn.commit().await?;
    // The triggers marked everyone it affects stale; recompute them now.
    crate::services::eligibility_state::recompute_soon(db);
    Ok(saved)
}

/// Sets the standard annual hours of a market (HR and ADMIN): an hourly
/// rate times these is a year full time. Moves the ladder's version, so
/// every answer that compares hourly pay changes at once.
pub async fn set_standard_hours(
    db: &Db,
    principal: &Principal,
    market: &str,
    annual_hours: i32,
) -> AppResult<crate::db::entities::market_hours::Model> {
    use crate::db::entities::market_hours;
    policy::may_administer(principal)?;
    let market = validate::market(market)?;
    if !(1..=8_784).contains(&annual_hours) {
        return Err(AppError::bad_input(
            "annualHours: between 1 and 8784 (the hours in a leap year), e.g. 2080 for 40 hours a week",
        ));
    }
    let txn = db.begin_write().await?;
    let existing = market_hours::Entity::find_by_id(market.clone())
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(|m| m.annual_hours);
    let now = chrono::Utc::now();
    let saved = match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.annual_hours = Set(i64::from(annual_hours));
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            market_hours::ActiveModel {
                market: Set(market.clone()),
                annual_hours: Set(i64::from(annual_hours)),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "SET_STANDARD_HOURS",
        "market_hours",
        0,
        json!({ "market": market, "before": before, "after": annual_hours }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

fn band_json(band: &salary_band::Model) -> serde_json::Value {
    json!({
        "jobRoleId": band.job_role_id, "market": band.market, "currency": band.currency,
        "minMinor": band.min_minor, "maxMinor": band.max_minor, "midpointMinor": band.midpoint_minor,
        "bonusTargetBp": band.bonus_target_bp, "equityUnits": band.equity_units,
        "equityVestingMonths": band.equity_vesting_months, "equityCliffMonths": band.equity_cliff_months,
        "payBasis": band.pay_basis.as_str(),
    })
}

pub fn unknown_role(code: &str) -> AppError {
    AppError::bad_input(format!(
        "unknown job role \"{}\"",
        validate::clip(code.trim())
    ))
}

pub struct RequirementInput {
    pub kind: CertificationKind,
    pub min_belt: Option<SixSigmaBelt>,
    pub min_cefr: Option<CefrLevel>,
    pub count: i32,
}

pub struct StepInput {
    pub from_role_code: String,
    pub to_role_code: String,
    pub fast_track_months: Option<i32>,
    pub standard_months: Option<i32>,
    pub min_rating: Option<f64>,
    pub top_performer_rating: Option<f64>,
    pub raise_min_percent: Option<f64>,
    pub raise_max_percent: Option<f64>,
    pub requirements: Option<Vec<RequirementInput>>,
    /// (skill id, minimum level); given, they replace the old ones.
    pub skill_requirements: Option<Vec<(i64, i32)>>,
    /// PROMOTION or LATERAL; omitted keeps the step's (a new one: PROMOTION).
    pub kind: Option<&'static str>,
}

fn percent_bp(field: &str, value: f64) -> AppResult<i64> {
    money::percent_to_basis_points(value).ok_or_else(|| {
        AppError::bad_input(format!(
            "{field} must be a percentage from 0 to 1000 with at most two decimals"
        ))
    })
}

/// A raise bound of a step: a percentage from 0 to 100 (`MAX_RAISE_BP`).
fn raise_bp(field: &str, value: f64) -> AppResult<i64> {
    let bp = percent_bp(field, value)?;
    if bp > money::MAX_RAISE_BP {
        return Err(AppError::bad_input(format!(
            "{field} must be at most {}",
            money::MAX_RAISE_BP / 100
        )));
    }
    Ok(bp)
}

fn rating(field: &str, value: f64) -> AppResult<f64> {
    if value.is_finite() && (1.0..=5.0).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(format!(
            "{field} must be between 1.0 and 5.0"
        )))
    }
}

fn months(field: &str, value: i32) -> AppResult<i32> {
    if (0..=600).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(format!(
            "{field} must be between 0 and 600"
        )))
    }
}

/// Creates or changes the step between two roles. Omitted thresholds keep
/// their current value (or the seeded default for a new step); given
/// requirements replace the old ones.
pub async fn upsert_ladder_step(
    db: &Db,
    principal: &Principal,
    input: StepInput,
) -> AppResult<ladder_step::Model> {
    policy::may_administer(principal)?;
    let txn = db.begin_write().await?;
    let ladder = Ladder::load(&txn).await?;
    let from = ladder
        .role_by_code(input.from_role_code.trim())
        .ok_or_else(|| unknown_role(&input.from_role_code))?
        .id;
    let to = ladder
        .role_by_code(input.to_role_code.trim())
        .ok_or_else(|| unknown_role(&input.to_role_code))?
        .id;
    if from == to {
        return Err(AppError::bad_input("a step must lead to another role"));
    }
    let existing = ladder.step_between(from, to).cloned();
    check_bounds(&ladder, from, existing.is_none(), &input)?;
    let before = existing
        .as_ref()
        .map(|s| step_json(s, ladder.requirements_of(s.id), ladder.skills_of(s.id)));
    if let Some(needs) = &input.skill_requirements {
        check_skill_needs(&ladder, needs)?;
    }
    let active = step_model(existing, from, to, &input)?;
    let saved = active.save(&txn).await?;
    let step_id = *saved.id.as_ref();
    if let Some(requirements) = input.requirements {
        replace_requirements(&txn, step_id, requirements).await?;
    }
    if let Some(needs) = input.skill_requirements {
        replace_skill_needs(&txn, step_id, needs).await?;
    }
    let after_ladder = Ladder::load(&txn).await?;
    let saved = after_ladder
        .step(step_id)
        .cloned()
        .ok_or_else(|| AppError::internal("step vanished inside its transaction"))?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "UPSERT_LADDER_STEP",
        "ladder_step",
        step_id,
        json!({ "before": before, "after": step_json(&saved, after_ladder.requirements_of(step_id), after_ladder.skills_of(step_id)) }),
    )
    .await?;
    txn.commit().await?;
    // The triggers marked everyone it affects stale; recompute them now.
    crate::services::eligibility_state::recompute_soon(db);
    Ok(saved)
}

/// Skill requirements of a step: levels 1-5, skills that exist, each once.
fn check_skill_needs(ladder: &Ladder, needs: &[(i64, i32)]) -> AppResult<()> {
    for (i, (skill_id, level)) in needs.iter().enumerate() {
        if !(1..=5).contains(level) {
            return Err(AppError::bad_input(
                "skill requirement minLevel must be between 1 and 5",
            ));
        }
        if ladder.skill(*skill_id).is_none() {
            return Err(AppError::not_found("skill"));
        }
        if needs[..i].iter().any(|(other, _)| other == skill_id) {
            return Err(AppError::bad_input(
                "a skill may be required only once per step",
            ));
        }
    }
    Ok(())
}

/// The step as it will be saved: the existing one (or the seeded defaults
/// for a new one) with the input's values, checked one by one and against
/// each other.
fn step_model(
    existing: Option<ladder_step::Model>,
    from: i64,
    to: i64,
    input: &StepInput,
) -> AppResult<ladder_step::ActiveModel> {
    let mut active = match existing {
        Some(step) => step.into_active_model(),
        None => ladder_step::ActiveModel {
            from_role_id: Set(from),
            to_role_id: Set(to),
            fast_track_months: Set(12),
            standard_months: Set(18),
            min_rating: Set(3.0),
            top_performer_rating: Set(4.0),
            raise_min_bp: Set(2000),
            raise_max_bp: Set(3000),
            kind: Set("PROMOTION".to_owned()),
            ..Default::default()
        },
    };
    if let Some(kind) = input.kind {
        active.kind = Set(kind.to_owned());
        // A lateral move has no raise unless one is given (and refused).
        if kind == "LATERAL"
            && input.raise_min_percent.is_none()
            && input.raise_max_percent.is_none()
        {
            active.raise_min_bp = Set(0);
            active.raise_max_bp = Set(0);
        }
    }
    if let Some(v) = input.fast_track_months {
        active.fast_track_months = Set(months("fastTrackMonths", v)?);
    }
    if let Some(v) = input.standard_months {
        active.standard_months = Set(months("standardMonths", v)?);
    }
    if let Some(v) = input.min_rating {
        active.min_rating = Set(rating("minRating", v)?);
    }
    if let Some(v) = input.top_performer_rating {
        active.top_performer_rating = Set(rating("topPerformerRating", v)?);
    }
    if let Some(v) = input.raise_min_percent {
        active.raise_min_bp = Set(raise_bp("raiseMinPercent", v)?);
    }
    if let Some(v) = input.raise_max_percent {
        active.raise_max_bp = Set(raise_bp("raiseMaxPercent", v)?);
    }
    let (fast, standard) = (
        *active.fast_track_months.as_ref(),
        *active.standard_months.as_ref(),
    );
    if fast > standard {
        return Err(AppError::bad_input(
            "fastTrackMonths must not exceed standardMonths",
        ));
    }
    if *active.min_rating.as_ref() > *active.top_performer_rating.as_ref() {
        return Err(AppError::bad_input(
            "minRating must not exceed topPerformerRating",
        ));
    }
    if *active.raise_min_bp.as_ref() > *active.raise_max_bp.as_ref() {
        return Err(AppError::bad_input(
            "raiseMinPercent must not exceed raiseMaxPercent",
        ));
    }
    if active.kind.as_ref() == "LATERAL" && *active.raise_max_bp.as_ref() > 0 {
        return Err(AppError::bad_input(
            "a LATERAL step has no raise: pay stays inside the target band (raiseMaxPercent 0)",
        ));
    }
    Ok(active)
}

/// Replaces the step's certificate and language requirements (checked
/// first: count 1-10, a belt only on SIX_SIGMA, a CEFR level only on
/// LANGUAGE).
async fn replace_requirements(
    txn: &sea_orm::DatabaseTransaction,
    step_id: i64,
    requirements: Vec<RequirementInput>,
) -> AppResult<()> {
    for r in &requirements {
        if !(1..=10).contains(&r.count) {
            return Err(AppError::bad_input(
                "requirement count must be between 1 and 10",
            ));
        }
        if r.min_belt.is_some() && r.kind != CertificationKind::SixSigma {
            return Err(AppError::bad_input(
                "minBelt belongs to SIX_SIGMA requirements",
            ));
        }
        if r.min_cefr.is_some() && r.kind != CertificationKind::Language {
            return Err(AppError::bad_input(
                "minCefr belongs to LANGUAGE requirements",
            ));
        }
    }
    step_requirement::Entity::delete_many()
        .filter(step_requirement::Column::StepId.eq(step_id))
        .exec(txn)
        .await?;
    for r in requirements {
        step_requirement::ActiveModel {
            step_id: Set(step_id),
            kind: Set(r.kind.into()),
            min_belt: Set(r.min_belt.map(Into::into)),
            min_cefr: Set(r.min_cefr.map(Into::into)),
            required_count: Set(r.count),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Replaces the step's skill requirements (checked by [`check_skill_needs`]).
async fn replace_skill_needs(
    txn: &sea_orm::DatabaseTransaction,
    step_id: i64,
    needs: Vec<(i64, i32)>,
) -> AppResult<()> {
    step_skill::Entity::delete_many()
        .filter(step_skill::Column::StepId.eq(step_id))
        .exec(txn)
        .await?;
    for (skill_id, min_level) in needs {
        step_skill::ActiveModel {
            step_id: Set(step_id),
            skill_id: Set(skill_id),
            min_level: Set(min_level),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn step_json(
    step: &ladder_step::Model,
    requirements: &[step_requirement::Model],
    skills: &[step_skill::Model],
) -> serde_json::Value {
    json!({
        "fromRoleId": step.from_role_id, "toRoleId": step.to_role_id,
        "fastTrackMonths": step.fast_track_months, "standardMonths": step.standard_months,
        "minRating": step.min_rating, "topPerformerRating": step.top_performer_rating,
        "raiseMinBp": step.raise_min_bp, "raiseMaxBp": step.raise_max_bp,
        "requirements": requirements.iter().map(|r| json!({
            "kind": r.kind, "minBelt": r.min_belt, "minCefr": r.min_cefr, "count": r.required_count
        })).collect::<Vec<_>>(),
        "skillRequirements": skills.iter().map(|s| json!({
            "skillId": s.skill_id, "minLevel": s.min_level
        })).collect::<Vec<_>>(),
    })
}

/// A role has at most `bounds::STEPS_PER_ROLE` steps out of it, and a step
/// at most `bounds::REQUIREMENTS_PER_STEP` certificate and as many skill
/// requirements: the lists the API returns stay within their declared
/// bounds.
fn check_bounds(ladder: &Ladder, from: i64, new_step: bool, input: &StepInput) -> AppResult<()> {
    use crate::domain::bounds::{REQUIREMENTS_PER_STEP, STEPS_PER_ROLE};
    if new_step && ladder.steps_from(from).count() >= STEPS_PER_ROLE {
        return Err(AppError::bad_input(format!(
            "a role has at most {STEPS_PER_ROLE} steps out of it"
        )));
    }
    let too_many = |n: Option<usize>| n.is_some_and(|n| n > REQUIREMENTS_PER_STEP);
    if too_many(input.requirements.as_ref().map(Vec::len))
        || too_many(input.skill_requirements.as_ref().map(Vec::len))
    {
        return Err(AppError::bad_input(format!(
            "a step has at most {REQUIREMENTS_PER_STEP} certificate and {REQUIREMENTS_PER_STEP} skill requirements"
        )));
    }
    Ok(())
}
