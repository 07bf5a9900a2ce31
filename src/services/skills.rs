//! The skill catalogue (HR maintains it), proficiency levels, and skill
//! assessments: self-assessments by the person, counted assessments by
//! their reporting chain (MANAGER) or HR; an assessment of yourself is SELF
//! whatever your access role (`policy::may_assess_skill`). Every assessment
//! is kept; the latest counted one is the person's level.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::{proficiency_level, skill, skill_assessment};
use crate::db::Db;
use crate::domain::enums::AssessmentSource;
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

/// The five proficiency levels, lowest first.
pub async fn proficiency_levels(db: &Db) -> AppResult<Vec<proficiency_level::Model>> {
    Ok(proficiency_level::Entity::find()
        .order_by_asc(proficiency_level::Column::Level)
        .all(&db.conn)
        .await?)
}

pub struct SkillInput {
    pub id: Option<i64>,
    pub name: String,
    pub category: String,
    pub description: String,
}

/// HR creates a skill, or renames / re-describes one (with `id`).
pub async fn upsert_skill(
    db: &Db,
    principal: &Principal,
    input: SkillInput,
) -> AppResult<skill::Model> {
    principal.require_hr()?;
    let name = validate::text("name", &input.name, 100)?;
    let category = validate::text("category", &input.category, 100)?;
    let description = validate::text("description", &input.description, 1000)?;
    let txn = db.begin_write().await?;
    let clash = skill::Entity::find()
        .filter(skill::Column::Name.eq(name.as_str()))
        .one(&txn)
        .await?;
    if clash.as_ref().is_some_and(|c| Some(c.id) != input.id) {
        return Err(AppError::Conflict(format!(
            "a skill named \"{}\" already exists",
            validate::clip(&name)
        )));
    }
    let (before, saved) = match input.id {
        Some(id) => {
            let existing = skill::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::not_found("skill"))?;
            let before = skill_json(&existing);
            let mut active = existing.into_active_model();
            active.name = Set(name);
            active.category = Set(category);
            active.description = Set(description);
            (Some(before), active.update(&txn).await?)
        }
        None => (
            None,
            skill::ActiveModel {
                name: Set(name),
                category: Set(category),
                description: Set(description),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        ),
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "UPSERT_SKILL",
        "skill",
        saved.id,
        json!({ "before": before, "after": skill_json(&saved) }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

fn skill_json(s: &skill::Model) -> serde_json::Value {
    json!({ "name": s.name, "category": s.category, "description": s.description })
}

pub struct AssessmentInput {
    pub employee_id: i64,
    pub skill_id: i64,
    pub level: i32,
    pub assessed_on: NaiveDate,
    pub note: Option<String>,
}

/// Records an assessment (never overwriting an earlier one).
pub async fn assess_skill(
    db: &Db,
    principal: &Principal,
    input: AssessmentInput,
) -> AppResult<skill_assessment::Model> {
    if !(1..=5).contains(&input.level) {
        return Err(AppError::bad_input("level must be between 1 and 5"));
    }
    let assessed_on = validate::date("assessedOn", input.assessed_on)?;
    if assessed_on > Utc::now().date_naive() {
        return Err(AppError::bad_input("assessedOn must not be in the future"));
    }
    let note = match input.note.as_deref() {
        Some(text) if !text.trim().is_empty() => Some(validate::text("note", text, 1000)?),
        _ => None,
    };
    let txn = db.begin_write().await?;
    // Permission first, so the answer never tells whether an id exists.
    let source =
        policy::may_assess_skill(policy::relation(&txn, principal, input.employee_id).await?)?;
    if !crate::db::records::employee_exists(&txn, input.employee_id).await? {
        return Err(AppError::not_found("employee"));
    }
    if skill::Entity::find_by_id(input.skill_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(AppError::not_found("skill"));
    }
    let saved = record_assessment(
        &txn,
        input.employee_id,
        input.skill_id,
        input.level,
        source,
        assessed_on,
        Some(principal.employee_id),
        note,
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[input.employee_id]).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Inserts an assessment and its audit event inside the caller's
/// transaction (also used when a course is completed).
#[allow(clippy::too_many_arguments)]
pub async fn record_assessment<C: ConnectionTrait>(
    txn: &C,
    employee_id: i64,
    skill_id: i64,
    level: i32,
    source: AssessmentSource,
    assessed_on: NaiveDate,
    assessor_id: Option<i64>,
    note: Option<String>,
) -> AppResult<skill_assessment::Model> {
    let saved = skill_assessment::ActiveModel {
        employee_id: Set(employee_id),
        skill_id: Set(skill_id),
        level: Set(level),
        source: Set(source.into()),
        assessed_on: Set(assessed_on),
        assessor_id: Set(assessor_id),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        assessor_id,
        "ASSESS_SKILL",
        "skill_assessment",
        saved.id,
        json!({ "after": {
            "employeeId": saved.employee_id, "skillId": saved.skill_id, "level": saved.level,
            "source": saved.source, "assessedOn": saved.assessed_on,
        }}),
    )
    .await?;
    Ok(saved)
}

pub use crate::db::records::assessments_of;
