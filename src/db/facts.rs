//! Query functions that return domain facts: the ladder (roles, steps,
//! requirements, salary bands) and each employee's certifications and
//! reviews, in the shapes the eligibility engine takes.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::db::entities::{
    certification, job_role, ladder_step, nomination, performance_review, salary_band,
    step_requirement,
};
use crate::domain::eligibility::{CertFact, Requirement, ReviewFact, StepRules};
use crate::domain::enums::{
    CefrLevel, CertificationKind, CertificationStatus, NominationStatus, SixSigmaBelt,
};
use crate::domain::money::Band;

/// The whole ladder as of now: small (tens of rows), loaded once per request.
#[derive(Debug, Clone, Default)]
pub struct Ladder {
    pub roles: Vec<job_role::Model>,
    pub steps: Vec<ladder_step::Model>,
    pub requirements: HashMap<i64, Vec<step_requirement::Model>>,
    pub bands: Vec<salary_band::Model>,
}

impl Ladder {
    pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Ladder, DbErr> {
        let roles = job_role::Entity::find()
            .order_by_asc(job_role::Column::Level)
            .order_by_asc(job_role::Column::Id)
            .all(db)
            .await?;
        let steps = ladder_step::Entity::find()
            .order_by_asc(ladder_step::Column::Id)
            .all(db)
            .await?;
        let mut requirements: HashMap<i64, Vec<step_requirement::Model>> = HashMap::new();
        for requirement in step_requirement::Entity::find()
            .order_by_asc(step_requirement::Column::Id)
            .all(db)
            .await?
        {
            requirements
                .entry(requirement.step_id)
                .or_default()
                .push(requirement);
        }
        let bands = salary_band::Entity::find()
            .order_by_asc(salary_band::Column::Id)
            .all(db)
            .await?;
        Ok(Ladder {
            roles,
            steps,
            requirements,
            bands,
        })
    }

    /// The ladder as of now: re-read only when `ladder_version` moved since
    /// this process last read it (one small statement otherwise).
    pub async fn current(db: &crate::db::Db) -> Result<std::sync::Arc<Ladder>, DbErr> {
        let version = ladder_version(&db.conn).await?;
        if let Ok(cache) = db.ladder_cache.read() {
            if let Some((cached, ladder)) = cache.as_ref() {
                if *cached == version {
                    return Ok(ladder.clone());
                }
            }
        }
        let ladder = std::sync::Arc::new(Ladder::load(&db.conn).await?);
        if let Ok(mut cache) = db.ladder_cache.write() {
            *cache = Some((version, ladder.clone()));
        }
        Ok(ladder)
    }

    pub fn role(&self, id: i64) -> Option<&job_role::Model> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn role_by_code(&self, code: &str) -> Option<&job_role::Model> {
        self.roles.iter().find(|r| r.code == code)
    }

    pub fn step(&self, id: i64) -> Option<&ladder_step::Model> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Ladder steps out of a role, in id order.
    pub fn steps_from(&self, role_id: i64) -> impl Iterator<Item = &ladder_step::Model> {
        self.steps.iter().filter(move |s| s.from_role_id == role_id)
    }

    pub fn step_between(&self, from_role_id: i64, to_role_id: i64) -> Option<&ladder_step::Model> {
        self.steps
            .iter()
            .find(|s| s.from_role_id == from_role_id && s.to_role_id == to_role_id)
    }

    pub fn requirements_of(&self, step_id: i64) -> &[step_requirement::Model] {
        self.requirements
            .get(&step_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn band(&self, role_id: i64, market: &str) -> Option<&salary_band::Model> {
        self.bands
            .iter()
            .find(|b| b.job_role_id == role_id && b.market == market)
    }

    /// The rules of every step out of `role_id`, with the target band of
    /// `market`, in the engine's shape.
    pub fn step_rules(&self, role_id: i64, market: &str) -> Vec<StepRules> {
        self.steps_from(role_id)
            .map(|step| self.rules_for(step, market))
            .collect()
    }

    pub fn rules_for(&self, step: &ladder_step::Model, market: &str) -> StepRules {
        let target = self.role(step.to_role_id);
        StepRules {
            step_id: step.id,
            target_role_code: target.map(|r| r.code.clone()).unwrap_or_default(),
            target_role_title: target.map(|r| r.title.clone()).unwrap_or_default(),
            fast_track_months: step.fast_track_months.max(0) as u32,
            standard_months: step.standard_months.max(0) as u32,
            min_rating: step.min_rating,
            top_performer_rating: step.top_performer_rating,
            raise_min_bp: step.raise_min_bp,
            raise_max_bp: step.raise_max_bp,
            requirements: self
                .requirements_of(step.id)
                .iter()
                .map(requirement_fact)
                .collect(),
            target_band: self.band(step.to_role_id, market).map(band_fact),
        }
    }
}

async fn ladder_version<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM ladder_version WHERE id = 1".to_owned(),
        ))
        .await?;
    match row {
        Some(row) => row.try_get::<i64>("", "version"),
        None => Ok(0),
    }
}

pub fn requirement_fact(model: &step_requirement::Model) -> Requirement {
    Requirement {
        kind: CertificationKind::parse(&model.kind).unwrap_or(CertificationKind::Other),
        min_belt: model.min_belt.as_deref().and_then(SixSigmaBelt::parse),
        min_cefr: model.min_cefr.as_deref().and_then(CefrLevel::parse),
        count: model.required_count.max(0) as u32,
    }
}

pub fn band_fact(model: &salary_band::Model) -> Band {
    Band {
        min: model.min_minor,
        max: model.max_minor,
        midpoint: model.midpoint_minor,
        currency: model.currency.clone(),
    }
}

pub fn cert_fact(model: &certification::Model) -> CertFact {
    CertFact {
        kind: CertificationKind::parse(&model.kind).unwrap_or(CertificationKind::Other),
        name: model.name.clone(),
        belt: model.belt.as_deref().and_then(SixSigmaBelt::parse),
        language: model.language.clone(),
        cefr: model.cefr.as_deref().and_then(CefrLevel::parse),
        status: CertificationStatus::parse(&model.status).unwrap_or(CertificationStatus::Pending),
        issued_on: model.issued_on,
        expires_on: model.expires_on,
    }
}

pub fn review_fact(model: &performance_review::Model) -> ReviewFact {
    ReviewFact {
        period_end: model.period_end,
        rating: model.rating,
    }
}

/// Everything the engine needs about some employees besides their own row.
#[derive(Debug, Default)]
pub struct EmployeeRecords {
    pub certifications: HashMap<i64, Vec<CertFact>>,
    pub reviews: HashMap<i64, Vec<ReviewFact>>,
    pub open_nominations: std::collections::HashSet<i64>,
}

/// Loads the certifications, reviews and open nominations of `ids` in three
/// statements (chunked to stay under SQLite's bound-variable limit).
pub async fn employee_records<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<EmployeeRecords, DbErr> {
    let mut records = EmployeeRecords::default();
    for chunk in ids.chunks(10_000) {
        for cert in certification::Entity::find()
            .filter(certification::Column::EmployeeId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            records
                .certifications
                .entry(cert.employee_id)
                .or_default()
                .push(cert_fact(&cert));
        }
        for review in performance_review::Entity::find()
            .filter(performance_review::Column::EmployeeId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            records
                .reviews
                .entry(review.employee_id)
                .or_default()
                .push(review_fact(&review));
        }
        for open in nomination::Entity::find()
            .filter(nomination::Column::NomineeId.is_in(chunk.iter().copied()))
            .filter(nomination::Column::Status.eq(NominationStatus::Pending.as_str()))
            .all(db)
            .await?
        {
            records.open_nominations.insert(open.nominee_id);
        }
    }
    Ok(records)
}
