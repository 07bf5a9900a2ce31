//! Certifications and performance reviews: submitted, verified, recorded.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;

use crate::auth::policy::{self, Relation};
use crate::auth::Principal;
use crate::db::entities::{certification, performance_review};
use crate::db::Db;
use crate::domain::enums::{CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt};
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

pub struct NewCertification {
    pub employee_id: i64,
    pub kind: CertificationKind,
    pub name: String,
    pub belt: Option<SixSigmaBelt>,
    pub language: Option<String>,
    pub cefr: Option<CefrLevel>,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

/// An employee submits their own certificate (PENDING until HR verifies;
/// HR's own too, until another HR user does); HR records anyone else's,
/// already VERIFIED.
pub async fn add_certification(
    db: &Db,
    principal: &Principal,
    input: NewCertification,
) -> AppResult<certification::Model> {
    // Permission first (it needs no statement), so the answer never tells
    // whether an id exists.
    let relation = Relation::new(principal, input.employee_id, false);
    let status = policy::may_add_certification(relation)?;
    let name = validate::text("name", &input.name, 200)?;
    let issued_on = validate::date("issuedOn", input.issued_on)?;
    if issued_on > Utc::now().date_naive() {
        return Err(AppError::bad_input("issuedOn must not be in the future"));
    }
    let expires_on = match input.expires_on {
        Some(date) => Some(validate::date("expiresOn", date)?),
        None => None,
    };
    if expires_on.is_some_and(|e| e <= issued_on) {
        return Err(AppError::bad_input("expiresOn must be after issuedOn"));
    }
    let language = check_kind_fields(
        input.kind,
        input.belt,
        input.language.as_deref(),
        input.cefr,
    )?;
    let txn = db.begin_write().await?;
    if !crate::db::records::employee_exists(&txn, input.employee_id).await? {
        return Err(AppError::not_found("employee"));
    }
    let saved = certification::ActiveModel {
        employee_id: Set(input.employee_id),
        kind: Set(input.kind.into()),
        name: Set(name),
        belt: Set(input.belt.map(Into::into)),
        language: Set(language),
        cefr: Set(input.cefr.map(Into::into)),
        issued_on: Set(issued_on),
        expires_on: Set(expires_on),
        status: Set(status.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "ADD_CERTIFICATION",
        "certification",
        saved.id,
        json!({ "after": cert_json(&saved) }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[saved.employee_id]).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Belts go with SIX_SIGMA, language and CEFR level with LANGUAGE. Returns
/// the normalised ISO 639-1 language code.
pub(crate) fn check_kind_fields(
    kind: CertificationKind,
    belt: Option<SixSigmaBelt>,
    language: Option<&str>,
    cefr: Option<CefrLevel>,
) -> AppResult<Option<String>> {
    match kind {
        CertificationKind::SixSigma if belt.is_none() => {
            return Err(AppError::bad_input(
                "a SIX_SIGMA certification needs a belt",
            ))
        }
        CertificationKind::Language if cefr.is_none() || language.is_none() => {
            return Err(AppError::bad_input(
                "a LANGUAGE certification needs a language and a CEFR level",
            ))
        }
        _ => {}
    }
    if belt.is_some() && kind != CertificationKind::SixSigma {
        return Err(AppError::bad_input(
            "belt belongs to SIX_SIGMA certifications",
        ));
    }
    if (cefr.is_some() || language.is_some()) && kind != CertificationKind::Language {
        return Err(AppError::bad_input(
            "language and cefr belong to LANGUAGE certifications",
        ));
    }
    match language {
        Some(code) => {
            let code = code.trim().to_lowercase();
            if code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()) {
                Ok(Some(code))
            } else {
                Err(AppError::bad_input(
                    "language must be an ISO 639-1 code such as \"ja\" or \"en\"",
                ))
            }
        }
        None => Ok(None),
    }
}

/// HR verifies (or rejects) a PENDING certification, never their own.
pub async fn verify_certification(
    db: &Db,
    principal: &Principal,
    id: i64,
    approve: bool,
) -> AppResult<certification::Model> {
    policy::may_administer(principal)?;
    let txn = db.begin_write().await?;
    let before = certification::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("certification"))?;
    policy::may_verify_certification(principal, before.employee_id)?;
    if CertificationStatus::from(before.status) != CertificationStatus::Pending {
        return Err(AppError::Conflict(format!(
            "this certification is already {}",
            before.status
        )));
    }
    let status = if approve {
        CertificationStatus::Verified
    } else {
        CertificationStatus::Rejected
    };
    let mut active = before.clone().into_active_model();
    active.status = Set(status.into());
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        if approve {
            "VERIFY_CERTIFICATION"
        } else {
            "REJECT_CERTIFICATION"
        },
        "certification",
        id,
        json!({ "before": cert_json(&before), "after": cert_json(&after) }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[after.employee_id]).await?;
    txn.commit().await?;
    Ok(after)
}

fn cert_json(c: &certification::Model) -> serde_json::Value {
    json!({
        "employeeId": c.employee_id, "kind": c.kind, "name": c.name, "belt": c.belt,
        "language": c.language, "cefr": c.cefr, "issuedOn": c.issued_on,
        "expiresOn": c.expires_on, "status": c.status,
    })
}

pub struct NewReview {
    pub employee_id: i64,
    pub period_end: NaiveDate,
    pub rating: f64,
    pub csat: Option<f64>,
    pub avg_response_seconds: Option<i32>,
    pub resolution_accuracy: Option<f64>,
    pub interactions_per_day: Option<f64>,
}

pub(crate) fn in_range(
    field: &str,
    value: Option<f64>,
    min: f64,
    max: f64,
) -> AppResult<Option<f64>> {
    match value {
        Some(v) if !v.is_finite() || v < min || v > max => Err(AppError::bad_input(format!(
            "{field} must be between {min} and {max}"
        ))),
        other => Ok(other),
    }
}

/// A manager records a review for someone in their chain; HR for anyone.
/// Nobody reviews themselves.
pub async fn record_review(
    db: &Db,
    principal: &Principal,
    input: NewReview,
) -> AppResult<performance_review::Model> {
    policy::may_record_review(policy::relation(&db.conn, principal, input.employee_id).await?)?;
    let period_end = validate::date("periodEnd", input.period_end)?;
    let rating = in_range("rating", Some(input.rating), 1.0, 5.0)?.unwrap_or(input.rating);
    let csat = in_range("csat", input.csat, 0.0, 100.0)?;
    let accuracy = in_range("resolutionAccuracy", input.resolution_accuracy, 0.0, 100.0)?;
    let interactions = in_range(
        "interactionsPerDay",
        input.interactions_per_day,
        0.0,
        10_000.0,
    )?;
    if input
        .avg_response_seconds
        .is_some_and(|s| !(0..=86_400).contains(&s))
    {
        return Err(AppError::bad_input(
            "avgResponseSeconds must be between 0 and 86400",
        ));
    }
    let txn = db.begin_write().await?;
    if !crate::db::records::employee_exists(&txn, input.employee_id).await? {
        return Err(AppError::not_found("employee"));
    }
    let saved = performance_review::ActiveModel {
        employee_id: Set(input.employee_id),
        period_end: Set(period_end),
        rating: Set(rating),
        csat: Set(csat),
        avg_response_seconds: Set(input.avg_response_seconds),
        resolution_accuracy: Set(accuracy),
        interactions_per_day: Set(interactions),
        recorded_by_id: Set(Some(principal.employee_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "RECORD_REVIEW",
        "performance_review",
        saved.id,
        json!({ "after": {
            "employeeId": saved.employee_id, "periodEnd": saved.period_end, "rating": saved.rating,
            "csat": saved.csat, "avgResponseSeconds": saved.avg_response_seconds,
            "resolutionAccuracy": saved.resolution_accuracy, "interactionsPerDay": saved.interactions_per_day,
        }}),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[saved.employee_id]).await?;
    txn.commit().await?;
    Ok(saved)
}
