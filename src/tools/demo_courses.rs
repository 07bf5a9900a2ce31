//! The skills-and-training setup that `--demo` and `rungs seed` add to
//! their organisations (a fresh database has none of it): skill
//! requirements on the steps out of CSR, and a course catalogue with
//! upcoming sessions.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::db::bulk::insert_rows;
use crate::db::facts::Ladder;
use crate::error::{AppError, AppResult};

/// (target role code, skill name, minimum level) on the steps out of CSR.
pub const SKILL_REQUIREMENTS: &[(&str, &str, i32)] = &[
    ("TEAM_LEAD", "Coaching", 3),
    ("TEAM_LEAD", "Conflict resolution", 3),
    ("QUALITY_ANALYST", "Process optimization", 3),
    ("TRAINING_SPECIALIST", "Coaching", 3),
];

/// A course certificate: (kind, name, belt, language, cefr, validity months).
type CertSpec = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<i32>,
);

/// A course and its sessions: (days from today to the start, length in
/// days, capacity).
struct CourseSpec {
    title: &'static str,
    description: &'static str,
    cert: Option<CertSpec>,
    skill: Option<(&'static str, i32)>,
    sessions: &'static [(u64, u64, i32)],
}

const COURSES: &[CourseSpec] = &[
    CourseSpec {
        title: "Bar Raiser",
        description:
            "Internal leadership training for future team leads: hiring bar, coaching, feedback",
        cert: Some((
            "LEADERSHIP_TRAINING",
            "Bar Raiser",
            None,
            None,
            None,
            Some(36),
        )),
        skill: Some(("Coaching", 3)),
        sessions: &[(47, 3, 4), (110, 3, 12)],
    },
    CourseSpec {
        title: "Conflict resolution workshop",
        description: "Two days of escalation role-play with live feedback",
        cert: None,
        skill: Some(("Conflict resolution", 3)),
        sessions: &[(20, 1, 10), (75, 1, 10)],
    },
    CourseSpec {
        title: "Lean Six Sigma Yellow Belt",
        description: "DMAIC basics on real support processes; exam on the last day",
        cert: Some((
            "SIX_SIGMA",
            "Six Sigma Yellow Belt",
            Some("YELLOW"),
            None,
            None,
            Some(24),
        )),
        skill: Some(("Process optimization", 3)),
        sessions: &[(30, 4, 8)],
    },
    CourseSpec {
        title: "Coaching fundamentals",
        description: "How to run a coaching session that moves a CSR's metrics",
        cert: None,
        skill: Some(("Coaching", 3)),
        sessions: &[(14, 1, 10)],
    },
    CourseSpec {
        title: "Business English B2",
        description: "Twelve weeks of business English to CEFR B2, with the exam",
        cert: Some((
            "LANGUAGE",
            "Business English B2",
            None,
            Some("en"),
            Some("B2"),
            None,
        )),
        skill: None,
        sessions: &[(60, 84, 15)],
    },
];

/// Skill ids by name.
pub fn skill_ids(ladder: &Ladder) -> HashMap<String, i64> {
    ladder
        .skills
        .iter()
        .map(|s| (s.name.clone(), s.id))
        .collect()
}

fn ids_of(rows: &[sea_orm::QueryResult]) -> AppResult<Vec<(String, i64)>> {
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<String>("", "title")?,
                row.try_get::<i64>("", "id")?,
            ))
        })
        .collect()
}

/// The ids of the courses there are, by title.
async fn course_ids<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<String, i64>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, title FROM course".to_owned(),
        ))
        .await?;
    Ok(ids_of(&rows)?.into_iter().collect())
}

fn skill_id(skills: &HashMap<String, i64>, name: &str) -> AppResult<i64> {
    skills
        .get(name)
        .copied()
        .ok_or_else(|| AppError::internal(format!("skill {name} missing")))
}

/// Adds the skill requirements (to steps that have none) and the courses
/// (those not there yet) with their sessions, `trainer_id` running them.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    ladder: &Ladder,
    today: NaiveDate,
    trainer_id: Option<i64>,
) -> AppResult<()> {
    let skills = skill_ids(ladder);
    add_skill_needs(db, ladder, &skills).await?;
    let existing = course_ids(db).await?;
    let new: Vec<&CourseSpec> = COURSES
        .iter()
        .filter(|c| !existing.contains_key(c.title))
        .collect();
    let now = Utc::now();
    let rows = new
        .iter()
        .map(|c| course_row(c, &skills, now))
        .collect::<AppResult<Vec<_>>>()?;
    insert_rows(db, "course", COURSE_COLUMNS, rows).await?;
    let ids = course_ids(db).await?;
    let schedule = Schedule {
        today,
        trainer_id,
        now,
    };
    let sessions = new
        .iter()
        .filter_map(|c| ids.get(c.title).map(|&id| schedule.rows(id, c)))
        .flatten()
        .collect();
    insert_rows(db, "course_session", SESSION_COLUMNS, sessions).await?;
    Ok(())
}

/// `SKILL_REQUIREMENTS` on the steps out of CSR that have no skill
/// requirement yet.
async fn add_skill_needs<C: ConnectionTrait>(
    db: &C,
    ladder: &Ladder,
    skills: &HashMap<String, i64>,
) -> AppResult<()> {
    let csr = ladder
        .role_by_code("CSR")
        .ok_or_else(|| AppError::internal("role CSR missing"))?
        .id;
    let mut needs = Vec::new();
    for (role, name, level) in SKILL_REQUIREMENTS {
        let Some(target) = ladder.role_by_code(role) else {
            continue;
        };
        let Some(step) = ladder.step_between(csr, target.id) else {
            continue;
        };
        if ladder.skills_of(step.id).is_empty() {
            needs.push(vec![
                step.id.into(),
                skill_id(skills, name)?.into(),
                (*level).into(),
            ]);
        }
    }
    insert_rows(
        db,
        "step_skill",
        &["step_id", "skill_id", "min_level"],
        needs,
    )
    .await?;
    Ok(())
}

const COURSE_COLUMNS: &[&str] = &[
    "title",
    "description",
    "cert_kind",
    "cert_name",
    "cert_belt",
    "cert_language",
    "cert_cefr",
    "validity_months",
    "skill_id",
    "skill_level",
    "created_at",
];

/// A course's row (`COURSE_COLUMNS`).
fn course_row(
    c: &CourseSpec,
    skills: &HashMap<String, i64>,
    now: DateTime<Utc>,
) -> AppResult<Vec<Value>> {
    let (kind, name, belt, language, cefr, validity) = match c.cert {
        Some((kind, name, belt, language, cefr, validity)) => {
            (Some(kind), Some(name), belt, language, cefr, validity)
        }
        None => (None, None, None, None, None, None),
    };
    let (skill_id, level) = match c.skill {
        Some((name, level)) => (Some(skill_id(skills, name)?), Some(level)),
        None => (None, None),
    };
    let text = |v: Option<&str>| -> Value { v.map(str::to_owned).into() };
    Ok(vec![
        c.title.into(),
        c.description.into(),
        text(kind),
        text(name),
        text(belt),
        text(language),
        text(cefr),
        validity.into(),
        skill_id.into(),
        level.into(),
        now.into(),
    ])
}

const SESSION_COLUMNS: &[&str] = &[
    "course_id",
    "starts_on",
    "ends_on",
    "capacity",
    "trainer_id",
    "location",
    "created_at",
];

/// When the sessions are: counted from `today`, run by `trainer_id`,
/// recorded `now`.
struct Schedule {
    today: NaiveDate,
    trainer_id: Option<i64>,
    now: DateTime<Utc>,
}

impl Schedule {
    /// The session rows (`SESSION_COLUMNS`) of course `c`, whose id is
    /// `course_id`.
    fn rows(&self, course_id: i64, c: &CourseSpec) -> Vec<Vec<Value>> {
        let today = self.today;
        c.sessions
            .iter()
            .map(|&(start, length, capacity)| {
                let starts = today.checked_add_days(Days::new(start)).unwrap_or(today);
                let ends = starts.checked_add_days(Days::new(length)).unwrap_or(starts);
                vec![
                    course_id.into(),
                    starts.into(),
                    ends.into(),
                    capacity.into(),
                    self.trainer_id.into(),
                    Some("Osaka training room".to_owned()).into(),
                    self.now.into(),
                ]
            })
            .collect()
    }
}
