//! Training: the course catalogue (HR), sessions with dates, capacity and a
//! trainer, enrolments with a first-come waitlist, and completion recorded
//! by HR or the session's trainer, which awards what the course awards (a
//! VERIFIED certificate with the course's validity, and/or a skill level).
//!
//! Seats are counted inside a write transaction that holds the session
//! (SQLite: BEGIN IMMEDIATE; PostgreSQL: the session row locked FOR UPDATE),
//! so two people can never take the last seat at once.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::enums as stored;
use crate::db::entities::{
    certification, course, course_session, employee, enrolment, job_role, skill,
};
use crate::db::Db;
use crate::domain::enrolment as enrolment_rules;
use crate::domain::enums::{
    AssessmentSource, CefrLevel, CertificationKind, EnrolmentStatus, SixSigmaBelt,
};
use crate::domain::plan::{CertAward, CourseAward, CourseOffer};
use crate::error::{AppError, AppResult};
use crate::services::{audit, records, skills, validate};

/// The job role whose holders may run sessions and record completions.
pub const TRAINER_ROLE: &str = "TRAINING_SPECIALIST";

/// What each course awards, in the plan's shape.
pub fn award_of(c: &course::Model) -> CourseAward {
    CourseAward {
        course_id: c.id,
        title: c.title.clone(),
        cert: c.cert_kind.map(|kind| CertAward {
            kind: kind.into(),
            name: c.cert_name.clone().unwrap_or_else(|| c.title.clone()),
            belt: c.cert_belt.map(Into::into),
            language: c.cert_language.clone(),
            cefr: c.cert_cefr.map(Into::into),
            validity_months: c.validity_months.map(|m| m.max(0) as u32),
        }),
        skill: c
            .skill_id
            .zip(c.skill_level)
            .map(|(id, level)| (id, level.clamp(0, 5) as u8)),
    }
}

/// Every course's award (the catalogue is small).
pub async fn course_awards<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CourseAward>> {
    Ok(course::Entity::find()
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(award_of)
        .collect())
}

pub async fn courses(db: &Db) -> AppResult<Vec<course::Model>> {
    Ok(course::Entity::find()
        .order_by_asc(course::Column::Title)
        .all(&db.conn)
        .await?)
}

/// Sessions of a course (or of all courses) ending on or after `from`,
/// earliest first.
pub async fn sessions(
    db: &Db,
    course_id: Option<i64>,
    from: Option<NaiveDate>,
) -> AppResult<Vec<course_session::Model>> {
    let mut query = course_session::Entity::find()
        .order_by_asc(course_session::Column::StartsOn)
        .order_by_asc(course_session::Column::Id);
    if let Some(id) = course_id {
        query = query.filter(course_session::Column::CourseId.eq(id));
    }
    if let Some(from) = from {
        query = query.filter(course_session::Column::EndsOn.gte(from));
    }
    Ok(query.all(&db.conn).await?)
}

pub use crate::db::records::{seat_counts, SeatCount};

/// The sessions ending on or after `as_of`, as offers to `employee_id`
/// (seats left, and whether they hold a seat already).
pub async fn offers_for(
    db: &Db,
    employee_id: i64,
    as_of: NaiveDate,
) -> AppResult<Vec<CourseOffer>> {
    let awards: HashMap<i64, CourseAward> = course_awards(&db.conn)
        .await?
        .into_iter()
        .map(|a| (a.course_id, a))
        .collect();
    let upcoming = sessions(db, None, Some(as_of)).await?;
    let ids: Vec<i64> = upcoming.iter().map(|s| s.id).collect();
    let counts = seat_counts(&db.conn, &ids).await?;
    let mine: Vec<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::EmployeeId.eq(employee_id))
        .filter(enrolment::Column::Status.eq(stored::EnrolmentStatus::Enrolled))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|e| e.session_id)
        .collect();
    Ok(upcoming
        .into_iter()
        .filter_map(|s| {
            let award = awards.get(&s.course_id)?.clone();
            let taken = counts.get(&s.id).copied().unwrap_or_default().taken;
            Some(CourseOffer {
                award,
                session_id: s.id,
                starts_on: s.starts_on,
                ends_on: s.ends_on,
                seats_left: (i64::from(s.capacity) - taken).max(0),
                enrolled: mine.contains(&s.id),
            })
        })
        .collect())
}

/// Free seats in sessions starting on or after `as_of`, and the first such
/// session's start, per course.
pub async fn upcoming_seats(
    db: &Db,
    as_of: NaiveDate,
) -> AppResult<HashMap<i64, (i64, Option<NaiveDate>)>> {
    let upcoming: Vec<course_session::Model> = sessions(db, None, Some(as_of))
        .await?
        .into_iter()
        .filter(|s| s.starts_on >= as_of)
        .collect();
    let ids: Vec<i64> = upcoming.iter().map(|s| s.id).collect();
    let counts = seat_counts(&db.conn, &ids).await?;
    let mut out: HashMap<i64, (i64, Option<NaiveDate>)> = HashMap::new();
    for s in upcoming {
        let taken = counts.get(&s.id).copied().unwrap_or_default().taken;
        let entry = out.entry(s.course_id).or_insert((0, None));
        entry.0 += (i64::from(s.capacity) - taken).max(0);
        entry.1 = Some(entry.1.map_or(s.starts_on, |d| d.min(s.starts_on)));
    }
    Ok(out)
}

pub struct CertAwardInput {
    pub kind: CertificationKind,
    pub name: Option<String>,
    pub belt: Option<SixSigmaBelt>,
    pub language: Option<String>,
    pub cefr: Option<CefrLevel>,
    pub validity_months: Option<i32>,
}

pub struct CourseInput {
    pub id: Option<i64>,
    pub title: String,
    pub description: String,
    pub certification: Option<CertAwardInput>,
    /// (skill id, level).
    pub skill: Option<(i64, i32)>,
}

/// HR creates a course, or changes one (with `id`). A course awards a
/// certificate, a skill level, or both.
pub async fn upsert_course(
    db: &Db,
    principal: &Principal,
    input: CourseInput,
) -> AppResult<course::Model> {
    principal.require_hr()?;
    let fields = CourseFields::check(&input)?;
    let txn = db.begin_write().await?;
    fields.check_against_database(&txn, input.id).await?;
    let existing = match input.id {
        Some(id) => Some(
            course::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::not_found("course"))?,
        ),
        None => None,
    };
    let before = existing.as_ref().map(course_json);
    let mut active = match existing {
        Some(c) => c.into_active_model(),
        None => course::ActiveModel {
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    };
    fields.set_on(&mut active);
    let saved = active.save(&txn).await?;
    let saved = course::Entity::find_by_id(*saved.id.as_ref())
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("course vanished inside its transaction"))?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "UPSERT_COURSE",
        "course",
        saved.id,
        json!({ "before": before, "after": course_json(&saved) }),
    )
    .await?;
    txn.commit().await?;
    // The triggers marked everyone it affects stale; recompute them now.
    crate::services::eligibility_state::recompute_soon(db);
    Ok(saved)
}

/// A course's fields, checked.
struct CourseFields {
    title: String,
    description: String,
    cert: Option<CertFields>,
    /// (skill id, level).
    skill: Option<(i64, i32)>,
}

/// The certificate a course awards, checked.
struct CertFields {
    kind: CertificationKind,
    name: String,
    belt: Option<SixSigmaBelt>,
    language: Option<String>,
    cefr: Option<CefrLevel>,
    validity_months: Option<i32>,
}

impl CourseFields {
    /// The checks that need no database, in the order they are reported.
    fn check(input: &CourseInput) -> AppResult<CourseFields> {
        let title = validate::text("title", &input.title, 200)?;
        let description = validate::text("description", &input.description, 2000)?;
        if input.certification.is_none() && input.skill.is_none() {
            return Err(AppError::bad_input(
                "a course awards a certification, a skill level, or both",
            ));
        }
        let cert = match &input.certification {
            Some(c) => Some(CertFields::check(c, &title)?),
            None => None,
        };
        if let Some((_, level)) = input.skill {
            if !(1..=5).contains(&level) {
                return Err(AppError::bad_input("skill level must be between 1 and 5"));
            }
        }
        Ok(CourseFields {
            title,
            description,
            cert,
            skill: input.skill,
        })
    }

    /// The skill exists, and no other course (than `id`) has the title.
    async fn check_against_database(
        &self,
        txn: &DatabaseTransaction,
        id: Option<i64>,
    ) -> AppResult<()> {
        if let Some((skill_id, _)) = self.skill {
            if skill::Entity::find_by_id(skill_id)
                .one(txn)
                .await?
                .is_none()
            {
                return Err(AppError::not_found("skill"));
            }
        }
        let clash = course::Entity::find()
            .filter(course::Column::Title.eq(self.title.as_str()))
            .one(txn)
            .await?;
        if clash.as_ref().is_some_and(|c| Some(c.id) != id) {
            return Err(AppError::Conflict(format!(
                "a course titled \"{}\" already exists",
                validate::clip(&self.title)
            )));
        }
        Ok(())
    }

    fn set_on(self, active: &mut course::ActiveModel) {
        let cert = self.cert.as_ref();
        active.title = Set(self.title);
        active.description = Set(self.description);
        active.cert_kind = Set(cert.map(|c| c.kind.into()));
        active.cert_name = Set(cert.map(|c| c.name.clone()));
        active.cert_belt = Set(cert.and_then(|c| c.belt.map(Into::into)));
        active.cert_language = Set(cert.and_then(|c| c.language.clone()));
        active.cert_cefr = Set(cert.and_then(|c| c.cefr.map(Into::into)));
        active.validity_months = Set(cert.and_then(|c| c.validity_months));
        active.skill_id = Set(self.skill.map(|(id, _)| id));
        active.skill_level = Set(self.skill.map(|(_, level)| level));
    }
}

impl CertFields {
    /// The same rules as a recorded certificate; the name defaults to the
    /// course's title.
    fn check(c: &CertAwardInput, title: &str) -> AppResult<CertFields> {
        let name = match c.name.as_deref() {
            Some(name) => validate::text("certification.name", name, 200)?,
            None => title.to_owned(),
        };
        let language = records::check_kind_fields(c.kind, c.belt, c.language.as_deref(), c.cefr)?;
        if c.validity_months.is_some_and(|m| !(1..=120).contains(&m)) {
            return Err(AppError::bad_input(
                "validityMonths must be between 1 and 120",
            ));
        }
        Ok(CertFields {
            kind: c.kind,
            name,
            belt: c.belt,
            language,
            cefr: c.cefr,
            validity_months: c.validity_months,
        })
    }
}

fn course_json(c: &course::Model) -> serde_json::Value {
    json!({
        "title": c.title, "certKind": c.cert_kind, "certName": c.cert_name, "certBelt": c.cert_belt,
        "certLanguage": c.cert_language, "certCefr": c.cert_cefr, "validityMonths": c.validity_months,
        "skillId": c.skill_id, "skillLevel": c.skill_level,
    })
}

pub struct SessionInput {
    pub course_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: i32,
    pub trainer_id: Option<i64>,
    pub location: Option<String>,
}

/// Whether the principal is the trainer of `session_id` and still holds the
/// trainer job role.
pub(crate) async fn is_session_trainer<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    session_id: i64,
) -> AppResult<bool> {
    let Some(session) = course_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    Ok(session.trainer_id == Some(principal.employee_id)
        && is_trainer(db, principal.employee_id).await?)
}

/// Whether `employee_id` holds the trainer job role.
async fn is_trainer<C: ConnectionTrait>(db: &C, employee_id: i64) -> AppResult<bool> {
    Ok(trainer_status(db, employee_id).await? == Some(true))
}

/// Whether `employee_id` holds the trainer job role; `None`: no such employee.
async fn trainer_status<C: ConnectionTrait>(db: &C, employee_id: i64) -> AppResult<Option<bool>> {
    let Some(person) = employee::Entity::find_by_id(employee_id).one(db).await? else {
        return Ok(None);
    };
    let role = job_role::Entity::find_by_id(person.job_role_id)
        .one(db)
        .await?;
    Ok(Some(role.is_some_and(|r| r.code == TRAINER_ROLE)))
}

/// HR schedules a session of a course.
pub async fn schedule_session(
    db: &Db,
    principal: &Principal,
    input: SessionInput,
) -> AppResult<course_session::Model> {
    principal.require_hr()?;
    let starts_on = validate::date("startsOn", input.starts_on)?;
    let ends_on = validate::date("endsOn", input.ends_on)?;
    if ends_on < starts_on {
        return Err(AppError::bad_input("endsOn must not be before startsOn"));
    }
    if !(1..=1000).contains(&input.capacity) {
        return Err(AppError::bad_input("capacity must be between 1 and 1000"));
    }
    let location = match input.location.as_deref() {
        Some(text) if !text.trim().is_empty() => Some(validate::text("location", text, 200)?),
        _ => None,
    };
    let txn = db.begin_write().await?;
    if course::Entity::find_by_id(input.course_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(AppError::not_found("course"));
    }
    if let Some(trainer) = input.trainer_id {
        match trainer_status(&txn, trainer).await? {
            None => return Err(AppError::not_found("employee")),
            Some(false) => {
                return Err(AppError::bad_input(
                    "the trainer must be an employee whose job role is Training Specialist",
                ))
            }
            Some(true) => {}
        }
    }
    let saved = course_session::ActiveModel {
        course_id: Set(input.course_id),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        capacity: Set(input.capacity),
        trainer_id: Set(input.trainer_id),
        location: Set(location),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "SCHEDULE_SESSION",
        "course_session",
        saved.id,
        json!({ "after": {
            "courseId": saved.course_id, "startsOn": saved.starts_on, "endsOn": saved.ends_on,
            "capacity": saved.capacity, "trainerId": saved.trainer_id, "location": saved.location,
        }}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Reads the session inside `txn`, locking its row on PostgreSQL so seat
/// counts cannot race (SQLite's BEGIN IMMEDIATE already serialises writers).
async fn lock_session(
    txn: &DatabaseTransaction,
    session_id: i64,
) -> AppResult<course_session::Model> {
    crate::db::records::lock_course_session(txn, session_id)
        .await?
        .ok_or_else(|| AppError::not_found("session"))
}

/// Locks the session of `row` and reads the enrolment again under that lock
/// (every writer of a session's enrolments takes it first), so a status
/// checked afterwards cannot be stale on PostgreSQL.
async fn locked_enrolment(
    txn: &DatabaseTransaction,
    row: enrolment::Model,
) -> AppResult<(course_session::Model, enrolment::Model)> {
    let session = lock_session(txn, row.session_id).await?;
    let fresh = enrolment::Entity::find_by_id(row.id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment"))?;
    Ok((session, fresh))
}

/// Enrols `employee_id` in a session: a seat while there is one, else the
/// waitlist. The person, their reporting chain or HR may do it; only HR
/// once the session has started.
pub async fn enrol(
    db: &Db,
    principal: &Principal,
    session_id: i64,
    employee_id: i64,
) -> AppResult<enrolment::Model> {
    let txn = db.begin_write().await?;
    // Permission first, so the answer never tells whether an id exists.
    policy::may_enrol(policy::relation(&txn, principal, employee_id).await?)?;
    if !crate::db::records::employee_exists(&txn, employee_id).await? {
        return Err(AppError::not_found("employee"));
    }
    let session = lock_session(&txn, session_id).await?;
    let today = Utc::now().date_naive();
    if session.starts_on < today && !policy::may_change_running_session(principal) {
        return Err(AppError::bad_input(
            "this session has already started; ask HR to enrol late",
        ));
    }
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::SessionId.eq(session_id))
        .filter(enrolment::Column::EmployeeId.eq(employee_id))
        .filter(enrolment::Column::Status.ne(stored::EnrolmentStatus::Cancelled))
        .one(&txn)
        .await?;
    if let Some(existing) = existing {
        return Err(AppError::Conflict(format!(
            "already {} in this session",
            existing.status.as_str().to_lowercase()
        )));
    }
    let taken = seat_counts(&txn, &[session_id])
        .await?
        .get(&session_id)
        .map_or(0, |c| c.taken);
    let status = enrolment_rules::status_on_enrol(taken, i64::from(session.capacity));
    let now = Utc::now();
    let saved = enrolment::ActiveModel {
        session_id: Set(session_id),
        employee_id: Set(employee_id),
        status: Set(status.into()),
        completed_on: Set(None),
        enrolled_by_id: Set(Some(principal.employee_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "ENROL",
        "enrolment",
        saved.id,
        json!({ "after": { "sessionId": session_id, "employeeId": employee_id, "status": saved.status } }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

async fn set_status(
    txn: &DatabaseTransaction,
    row: enrolment::Model,
    status: EnrolmentStatus,
    completed_on: Option<NaiveDate>,
) -> AppResult<enrolment::Model> {
    let mut active = row.into_active_model();
    active.status = Set(status.into());
    if completed_on.is_some() {
        active.completed_on = Set(completed_on);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(txn).await?)
}

/// Cancels an enrolment (a seat or a waitlist place). A freed seat goes to
/// the first person on the waitlist.
pub async fn cancel_enrolment(
    db: &Db,
    principal: &Principal,
    id: i64,
) -> AppResult<enrolment::Model> {
    let txn = db.begin_write().await?;
    let row = enrolment::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment"))?;
    let relation = policy::relation(&txn, principal, row.employee_id).await?;
    if let Err(refused) = policy::may_cancel_enrolment(relation) {
        // Only the session's trainer sees an enrolment they may not cancel;
        // to anyone else it is as missing as an id that does not exist.
        let trainer = is_session_trainer(&txn, principal, row.session_id).await?;
        return Err(if policy::may_see_enrolment(relation, trainer) {
            refused
        } else {
            policy::hidden("enrolment")
        });
    }
    let (session, row) = locked_enrolment(&txn, row).await?;
    if session.ends_on < Utc::now().date_naive() && !policy::may_change_running_session(principal) {
        return Err(AppError::bad_input(
            "this session is over; ask HR to correct its enrolments",
        ));
    }
    let status = EnrolmentStatus::from(row.status);
    if !enrolment_rules::can_transition(status, EnrolmentStatus::Cancelled) {
        return Err(AppError::Conflict(format!(
            "this enrolment is already {}",
            row.status
        )));
    }
    let session_id = row.session_id;
    let cancelled = set_status(&txn, row, EnrolmentStatus::Cancelled, None).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "CANCEL_ENROLMENT",
        "enrolment",
        id,
        json!({ "before": { "status": status.as_str() }, "after": { "status": cancelled.status } }),
    )
    .await?;
    if enrolment_rules::frees_seat(status) {
        let next = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.eq(session_id))
            .filter(enrolment::Column::Status.eq(stored::EnrolmentStatus::Waitlisted))
            .order_by_asc(enrolment::Column::Id)
            .one(&txn)
            .await?;
        if let Some(next) = next {
            let promoted = set_status(&txn, next, EnrolmentStatus::Enrolled, None).await?;
            audit::record(
                &txn,
                Some(principal.employee_id),
                "PROMOTE_FROM_WAITLIST",
                "enrolment",
                promoted.id,
                json!({ "before": { "status": "WAITLISTED" }, "after": { "status": promoted.status } }),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(cancelled)
}

/// HR or the session's trainer (a Training Specialist) records that an
/// ENROLLED person completed the course on `completed_on` (default: the
/// session's last day). The course's certificate is created VERIFIED,
/// issued that day, valid for the course's validity; its skill level is
/// recorded as a COURSE assessment of that day.
pub async fn complete_enrolment(
    db: &Db,
    principal: &Principal,
    id: i64,
    completed_on: Option<NaiveDate>,
) -> AppResult<enrolment::Model> {
    let txn = db.begin_write().await?;
    let (session, row) = enrolment_to_complete(&txn, principal, id).await?;
    let day = validate::date("completedOn", completed_on.unwrap_or(session.ends_on))?;
    if day < session.starts_on {
        return Err(AppError::bad_input(
            "completedOn must not be before the session starts",
        ));
    }
    if day > Utc::now().date_naive() {
        return Err(AppError::bad_input("completedOn must not be in the future"));
    }
    let c = course::Entity::find_by_id(session.course_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("course"))?;
    let awarded = Completion {
        employee_id: row.employee_id,
        course: &c,
        day,
        recorded_by: principal.employee_id,
    }
    .award(&txn)
    .await?;
    let done = set_status(&txn, row, EnrolmentStatus::Completed, Some(day)).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "COMPLETE_ENROLMENT",
        "enrolment",
        id,
        json!({ "after": {
            "status": done.status, "completedOn": day, "courseId": c.id,
            "certificationId": awarded.certification_id, "assessmentId": awarded.assessment_id,
        }}),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[done.employee_id]).await?;
    txn.commit().await?;
    Ok(done)
}

/// The enrolment `id` with its (locked) session, if the principal may
/// complete it and it is ENROLLED.
async fn enrolment_to_complete(
    txn: &DatabaseTransaction,
    principal: &Principal,
    id: i64,
) -> AppResult<(course_session::Model, enrolment::Model)> {
    let holds_trainer_role = is_trainer(txn, principal.employee_id).await?;
    policy::may_complete_enrolments(principal, holds_trainer_role)?;
    let row = enrolment::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment"))?;
    let (session, row) = locked_enrolment(txn, row).await?;
    let relation = policy::relation(txn, principal, row.employee_id).await?;
    let session_trainer = holds_trainer_role && session.trainer_id == Some(principal.employee_id);
    if !policy::may_see_enrolment(relation, session_trainer) {
        return Err(policy::hidden("enrolment"));
    }
    policy::may_complete_enrolment(relation, session_trainer)?;
    if !enrolment_rules::can_transition(row.status.into(), EnrolmentStatus::Completed) {
        return Err(AppError::Conflict(format!(
            "only an ENROLLED person can complete; this enrolment is {}",
            row.status
        )));
    }
    Ok((session, row))
}

/// A person's completion of a course on `day`, recorded by `recorded_by`.
struct Completion<'a> {
    employee_id: i64,
    course: &'a course::Model,
    day: NaiveDate,
    recorded_by: i64,
}

/// The ids of what a completion awarded.
struct Awarded {
    certification_id: Option<i64>,
    assessment_id: Option<i64>,
}

impl Completion<'_> {
    /// Records what the course awards: a VERIFIED certificate and/or a
    /// COURSE skill assessment.
    async fn award(&self, txn: &DatabaseTransaction) -> AppResult<Awarded> {
        let award = award_of(self.course);
        let mut certification_id = None;
        if let Some(cert) = award.cert_on(self.day) {
            let saved = certification::ActiveModel {
                employee_id: Set(self.employee_id),
                kind: Set(cert.kind.into()),
                name: Set(cert.name.clone()),
                belt: Set(cert.belt.map(Into::into)),
                language: Set(cert.language.clone()),
                cefr: Set(cert.cefr.map(Into::into)),
                issued_on: Set(cert.issued_on),
                expires_on: Set(cert.expires_on),
                status: Set(stored::CertificationStatus::Verified),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            certification_id = Some(saved.id);
        }
        let mut assessment_id = None;
        if let Some((skill_id, level)) = award.skill {
            let saved = skills::record_assessment(
                txn,
                self.employee_id,
                skill_id,
                i32::from(level),
                AssessmentSource::Course,
                self.day,
                Some(self.recorded_by),
                Some(format!("completed {}", self.course.title)),
            )
            .await?;
            assessment_id = Some(saved.id);
        }
        Ok(Awarded {
            certification_id,
            assessment_id,
        })
    }
}

/// Whether `principal` may read the roster of a session: HR, and its
/// trainer (who must still hold the trainer job role, as for completions);
/// else FORBIDDEN. The roster itself comes through the request's loader.
pub async fn may_view_roster(
    db: &Db,
    principal: &Principal,
    session: &course_session::Model,
) -> AppResult<()> {
    let trainer = !principal.is_hr()
        && session.trainer_id == Some(principal.employee_id)
        && is_trainer(&db.conn, principal.employee_id).await?;
    policy::may_view_roster(principal, trainer)
}
