//! Query functions that return domain facts: the ladder (roles, steps,
//! requirements, salary bands) and each employee's certifications and
//! reviews, in the shapes the eligibility engine takes.

use std::collections::HashMap;

use chrono::NaiveDate;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use crate::db::entities::{
    employee, job_role, ladder_step, market_hours, salary_band, skill, step_requirement, step_skill,
};
use crate::domain::eligibility::{
    CertFact, Requirement, ReviewFact, SkillFact, SkillRequirement, StepRules,
};
use crate::domain::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt,
};
use crate::domain::money::Band;
use crate::domain::pay_basis::PayTerms;

/// The whole ladder as of now: small (tens of rows), loaded once per request.
#[derive(Debug, Clone, Default)]
pub struct Ladder {
    pub roles: Vec<job_role::Model>,
    pub steps: Vec<ladder_step::Model>,
    pub requirements: HashMap<i64, Vec<step_requirement::Model>>,
    pub bands: Vec<salary_band::Model>,
    /// The skill catalogue, by name.
    pub skills: Vec<skill::Model>,
    /// Skill requirements per step id.
    pub step_skills: HashMap<i64, Vec<step_skill::Model>>,
    /// Standard annual hours by market (`domain::pay_basis`).
    pub market_hours: HashMap<String, i64>,
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
        let skills = skill::Entity::find()
            .order_by_asc(skill::Column::Name)
            .all(db)
            .await?;
        let mut step_skills: HashMap<i64, Vec<step_skill::Model>> = HashMap::new();
        for need in step_skill::Entity::find()
            .order_by_asc(step_skill::Column::Id)
            .all(db)
            .await?
        {
            step_skills.entry(need.step_id).or_default().push(need);
        }
        let market_hours = market_hours::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.market, m.annual_hours))
            .collect();
        Ok(Ladder {
            roles,
            steps,
            requirements,
            bands,
            skills,
            step_skills,
            market_hours,
        })
    }

    /// The ladder as of now: re-read only when `ladder_version` moved since
    /// this process last read it (one small statement otherwise).
    pub async fn current(db: &crate::db::Db) -> Result<std::sync::Arc<Ladder>, DbErr> {
        let version = ladder_version(&db.conn).await?;
        Ladder::at_version(db, version).await
    }

    /// The ladder at a version just read from the database.
    pub async fn at_version(
        db: &crate::db::Db,
        version: i64,
    ) -> Result<std::sync::Arc<Ladder>, DbErr> {
        // On a miss the ladder is read from the primary: a replica may not
        // have replayed the version just read with the token yet.
        Ladder::at_version_on(db, db.primary(), version).await
    }

    /// [`Ladder::at_version`], reading through `conn` on a miss: inside a
    /// write transaction, so the transaction never waits for a second
    /// connection from the pool (which writers queued behind it may hold).
    pub async fn at_version_on<C: ConnectionTrait>(
        db: &crate::db::Db,
        conn: &C,
        version: i64,
    ) -> Result<std::sync::Arc<Ladder>, DbErr> {
        if let Ok(cache) = db.ladder_cache.read() {
            if let Some((cached, ladder)) = cache.as_ref() {
                if *cached == version {
                    return Ok(ladder.clone());
                }
            }
        }
        let ladder = std::sync::Arc::new(Ladder::load(conn).await?);
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

    pub fn skill(&self, id: i64) -> Option<&skill::Model> {
        self.skills.iter().find(|s| s.id == id)
    }

    /// The ids of the skills some step asks for, sorted, once each.
    pub fn required_skills(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .step_skills
            .values()
            .flatten()
            .map(|need| need.skill_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn skills_of(&self, step_id: i64) -> &[step_skill::Model] {
        self.step_skills
            .get(&step_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn band(&self, role_id: i64, market: &str) -> Option<&salary_band::Model> {
        self.bands
            .iter()
            .find(|b| b.job_role_id == role_id && b.market == market)
    }

    /// The standard annual hours of `market` (2,080 when none is on
    /// record).
    pub fn annual_hours(&self, market: &str) -> i64 {
        self.market_hours
            .get(market)
            .copied()
            .unwrap_or(crate::domain::pay_basis::DEFAULT_ANNUAL_HOURS)
    }

    /// How `person` is paid: their basis and FTE, and their market's hours.
    pub fn pay_terms(&self, person: &employee::Model) -> PayTerms {
        PayTerms {
            basis: person.pay_basis.into(),
            fte_bp: person.fte_bp,
            annual_hours: self.annual_hours(&person.market),
        }
    }

    /// The band of `role_id` in `market` on its own basis (full time).
    pub fn band_fact(&self, model: &salary_band::Model) -> Band {
        band_fact(model, self.annual_hours(&model.market))
    }

    /// The band of `role_id` in the person's market and currency, on the
    /// band's own basis (for [`crate::domain::pay_basis::compa_ratio`]).
    pub fn band_own(&self, role_id: i64, person: &employee::Model) -> Option<Band> {
        self.band(role_id, &person.market)
            .filter(|b| b.currency == person.currency)
            .map(|b| self.band_fact(b))
    }

    /// The band of `role_id` in the person's market as the engine sees it,
    /// carried into the person's own terms (basis and FTE, see
    /// `domain::pay_basis`), if it is in their currency (pay in another
    /// currency is never compared with it).
    pub fn band_in(&self, role_id: i64, person: &employee::Model) -> Option<Band> {
        self.band(role_id, &person.market)
            .filter(|b| b.currency == person.currency)
            .and_then(|b| self.pay_terms(person).band(&self.band_fact(b)))
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
            skill_requirements: self
                .skills_of(step.id)
                .iter()
                .map(|need| SkillRequirement {
                    skill_id: need.skill_id,
                    skill_name: self
                        .skill(need.skill_id)
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    min_level: need.min_level.clamp(0, 5) as u8,
                })
                .collect(),
            target_band: self
                .band(step.to_role_id, market)
                .map(|b| self.band_fact(b)),
        }
    }
}

/// The ladder's change counter, read on `db` (a transaction sees its own
/// changes).
pub async fn ladder_version<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
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
        kind: model.kind.into(),
        min_belt: model.min_belt.map(Into::into),
        min_cefr: model.min_cefr.map(Into::into),
        count: model.required_count.max(0) as u32,
    }
}

/// A band on its own basis; `annual_hours` are its market's.
pub fn band_fact(model: &salary_band::Model, annual_hours: i64) -> Band {
    Band {
        min: model.min_minor,
        max: model.max_minor,
        midpoint: model.midpoint_minor,
        currency: model.currency.clone(),
        basis: model.pay_basis.into(),
        annual_hours,
    }
}

/// Separators of folded facts: ASCII unit (between fields) and record
/// (between items) separators, which validated text never contains.
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// SQL pieces for folding rows into one text column, per backend.
pub struct Fold {
    pub agg: &'static str,
    pub unit: &'static str,
    pub record: &'static str,
}

impl Fold {
    pub fn for_backend(backend: sea_orm::DatabaseBackend) -> Fold {
        match backend {
            sea_orm::DatabaseBackend::Postgres => Fold {
                agg: "string_agg",
                unit: "chr(31)",
                record: "chr(30)",
            },
            _ => Fold {
                agg: "group_concat",
                unit: "char(31)",
                record: "char(30)",
            },
        }
    }

    /// An expression folding the reviews of alias `r`.
    pub fn reviews(&self) -> String {
        let Fold { agg, unit, record } = self;
        format!("{agg}(CAST(r.period_end AS TEXT) || {unit} || CAST(r.rating AS TEXT), {record})")
    }

    /// An expression folding the certificates of alias `c`.
    pub fn certs(&self) -> String {
        self.certs_with("c.name")
    }

    /// The same without names (which only explain gaps): for dashboards.
    pub fn certs_without_names(&self) -> String {
        self.certs_with("''")
    }

    /// An expression folding the skill assessments of alias `a`.
    pub fn skills(&self) -> String {
        let Fold { agg, unit, record } = self;
        format!(
            "{agg}(CAST(a.skill_id AS TEXT) || {unit} || CAST(a.level AS TEXT) || {unit} || a.source \
             || {unit} || CAST(a.assessed_on AS TEXT) || {unit} || CAST(a.id AS TEXT), {record})"
        )
    }

    fn certs_with(&self, name: &str) -> String {
        let Fold { agg, unit, record } = self;
        format!(
            "{agg}(c.kind || {unit} || COALESCE(c.belt, '') || {unit} || COALESCE(c.language, '') || {unit} \
             || COALESCE(c.cefr, '') || {unit} || CAST(c.issued_on AS TEXT) || {unit} \
             || COALESCE(CAST(c.expires_on AS TEXT), '') || {unit} || c.status || {unit} || {name}, {record})"
        )
    }
}

/// `YYYY-MM-DD`, fast (the hot path of dashboards parses millions).
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Unfolds `Fold::reviews`.
pub fn unfold_reviews(folded: Option<&str>) -> Vec<ReviewFact> {
    folded
        .unwrap_or_default()
        .split(RECORD)
        .filter_map(|item| {
            let (day, rating) = item.split_once(UNIT)?;
            Some(ReviewFact {
                period_end: parse_ymd(day)?,
                rating: rating.parse().ok()?,
            })
        })
        .collect()
}

/// Unfolds `Fold::certs`.
pub fn unfold_certs(folded: Option<&str>) -> Vec<CertFact> {
    folded
        .unwrap_or_default()
        .split(RECORD)
        .filter_map(|item| {
            let mut parts = item.splitn(8, UNIT);
            let kind = CertificationKind::parse(parts.next()?)?;
            let belt = SixSigmaBelt::parse(parts.next()?);
            let language = Some(parts.next()?)
                .filter(|l| !l.is_empty())
                .map(str::to_owned);
            let cefr = CefrLevel::parse(parts.next()?);
            let issued_on = parse_ymd(parts.next()?)?;
            let expires_on = parse_ymd(parts.next()?);
            let status = CertificationStatus::parse(parts.next()?)?;
            let name = parts.next().unwrap_or_default().to_owned();
            Some(CertFact {
                kind,
                name,
                belt,
                language,
                cefr,
                status,
                issued_on,
                expires_on,
            })
        })
        .collect()
}

/// Unfolds `Fold::skills`.
pub fn unfold_skills(folded: Option<&str>) -> Vec<SkillFact> {
    folded
        .unwrap_or_default()
        .split(RECORD)
        .filter_map(|item| {
            let mut parts = item.splitn(5, UNIT);
            let skill_id = parts.next()?.parse().ok()?;
            let level = parts.next()?.parse().ok()?;
            let source = AssessmentSource::parse(parts.next()?)?;
            let assessed_on = parse_ymd(parts.next()?)?;
            let seq = parts.next()?.parse().ok()?;
            Some(SkillFact {
                skill_id,
                level,
                source,
                assessed_on,
                seq,
            })
        })
        .collect()
}

/// What the engine needs about one employee besides their own row.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub certifications: Vec<CertFact>,
    pub reviews: Vec<ReviewFact>,
    pub skills: Vec<SkillFact>,
    pub open_nomination: bool,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct FactsRow {
    employee_id: i64,
    reviews: Option<String>,
    certs: Option<String>,
    skills: Option<String>,
    open_nominations: i64,
}

/// Every certificate, review and the open-nomination flag of `ids`, in one
/// statement per 10,000 ids (facts folded per employee by the database).
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Facts>, DbErr> {
    use sea_orm::FromQueryResult;
    let fold = Fold::for_backend(db.get_database_backend());
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(10_000) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT e.id AS employee_id, \
               (SELECT {} FROM performance_review r WHERE r.employee_id = e.id) AS reviews, \
               (SELECT {} FROM certification c WHERE c.employee_id = e.id) AS certs, \
               (SELECT {} FROM skill_assessment a WHERE a.employee_id = e.id) AS skills, \
               (SELECT COUNT(*) FROM nomination n WHERE n.nominee_id = e.id AND n.status = 'PENDING') \
                 AS open_nominations \
             FROM employee e WHERE e.id IN ({})",
            fold.reviews(),
            fold.certs(),
            fold.skills(),
            list.join(",")
        );
        let rows = FactsRow::find_by_statement(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .all(db)
        .await?;
        for row in rows {
            out.insert(
                row.employee_id,
                Facts {
                    certifications: unfold_certs(row.certs.as_deref()),
                    reviews: unfold_reviews(row.reviews.as_deref()),
                    skills: unfold_skills(row.skills.as_deref()),
                    open_nomination: row.open_nominations > 0,
                },
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_fast_and_strictly() {
        assert_eq!(
            parse_ymd("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_ymd("2026-02-30"), None);
        assert_eq!(parse_ymd("2026-2-3"), None);
        assert_eq!(parse_ymd("abcd-ef-gh"), None);
    }

    #[test]
    fn folded_facts_unfold() {
        let reviews = unfold_reviews(Some("2025-03-31\u{1f}4.5\u{1e}2025-06-30\u{1f}3"));
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews[1].rating, 3.0);
        let certs = unfold_certs(Some(
            "LANGUAGE\u{1f}\u{1f}ja\u{1f}C1\u{1f}2025-01-01\u{1f}\u{1f}VERIFIED\u{1f}JLPT, N1 | kanji",
        ));
        assert_eq!(certs[0].language.as_deref(), Some("ja"));
        assert_eq!(certs[0].expires_on, None);
        assert_eq!(certs[0].name, "JLPT, N1 | kanji");
    }
}
