//! Skills, courses, sessions, enrolments and development plans.

use crate::graphql::ids::{self, Kind};
use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject, ID};

use crate::db::entities::{
    course, course_session, enrolment, proficiency_level, skill, skill_assessment,
};
use crate::db::facts::Ladder;
use crate::domain::{enums as domain, plan};
use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::{
    AssessmentSource, CefrLevel, CertificationKind, EligibilityStatus, EnrolmentStatus,
    PlanActionKind, SixSigmaBelt,
};
use crate::graphql::types::ladder::Role;
use crate::graphql::types::progression::Gap;
use crate::services::training;

/// A skill of the catalogue HR maintains.
pub struct Skill(pub skill::Model);

/// A skill of the catalogue HR maintains, e.g. "Active listening".
#[Object]
impl Skill {
    /// The skill's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Skill, self.0.id)
    }
    /// The skill's name, unique in the catalogue.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The group it belongs to, e.g. "Customer interaction", "Tools".
    async fn category(&self) -> &str {
        &self.0.category
    }
    /// What having the skill means.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// Looks a skill up in the request's ladder (the catalogue is cached with it).
pub async fn skill_by_id(ctx: &Context<'_>, id: i64) -> Result<Skill> {
    let ladder = context::ladder(ctx).await?;
    ladder
        .skill(id)
        .cloned()
        .map(Skill)
        .ok_or_else(|| AppError::internal(format!("unknown skill {id}")).into())
}

/// One of the five proficiency levels.
pub struct ProficiencyLevel(pub proficiency_level::Model);

/// One of the five proficiency levels skills are assessed at.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl ProficiencyLevel {
    /// 1 (lowest) to 5.
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// The level's name, e.g. "Proficient".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What someone at this level can do.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// A skill a ladder step asks for, at a minimum level.
pub struct SkillRequirement {
    pub skill: skill::Model,
    pub min_level: i32,
}

/// A skill a ladder step asks for, at a minimum level.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl SkillRequirement {
    /// The skill required.
    async fn skill(&self) -> Skill {
        Skill(self.skill.clone())
    }
    /// The lowest counted level (1 - 5) that meets it.
    async fn min_level(&self) -> i32 {
        self.min_level
    }
}

/// The skill requirements of a step, from the ladder.
pub fn skill_requirements(ladder: &Ladder, step_id: i64) -> Vec<SkillRequirement> {
    ladder
        .skills_of(step_id)
        .iter()
        .take(crate::graphql::cost::bound::REQUIREMENTS_PER_STEP)
        .filter_map(|need| {
            Some(SkillRequirement {
                skill: ladder.skill(need.skill_id)?.clone(),
                min_level: need.min_level,
            })
        })
        .collect()
}

/// One assessment of one skill; never overwritten.
pub struct SkillAssessment(pub skill_assessment::Model);

/// One assessment of one skill; never overwritten.
#[Object]
impl SkillAssessment {
    /// The assessment's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::SkillAssessment, self.0.id)
    }
    /// The skill assessed.
    async fn skill(&self, ctx: &Context<'_>) -> Result<Skill> {
        skill_by_id(ctx, self.0.skill_id).await
    }
    /// The level given, 1 - 5.
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// Who assessed: SELF, MANAGER, HR, or COURSE (a completed course).
    async fn source(&self) -> AssessmentSource {
        self.0.source.into()
    }
    /// Whether it counts towards eligibility (everything but SELF).
    async fn counts(&self) -> bool {
        domain::AssessmentSource::from(self.0.source).counts()
    }
    /// The date the level applies from (for COURSE: the completion date).
    async fn assessed_on(&self) -> Date {
        Date(self.0.assessed_on)
    }
    /// Who recorded it (for COURSE: whoever recorded the completion); null
    /// when nobody is on record.
    async fn assessed_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.assessor_id else {
            return Ok(None);
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.employees.load_one(id).await?.map(Employee))
    }
    /// The assessor's note, if any.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Where a person stands in one skill on a date.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct EmployeeSkill {
    /// The skill.
    pub skill: Skill,
    /// The counted level: the latest assessment by a manager, HR or a
    /// completed course on or before the date; null if none.
    pub level: Option<i32>,
    /// The latest self-assessment on or before the date.
    pub self_level: Option<i32>,
    /// Date of the counted assessment.
    pub assessed_on: Option<Date>,
}

/// The certificate completing a course creates (VERIFIED).
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CertificationAward {
    /// The certificate kind.
    pub kind: CertificationKind,
    /// The certificate's name (by default the course title).
    pub name: String,
    /// The belt, for SIX_SIGMA.
    pub belt: Option<SixSigmaBelt>,
    /// ISO 639-1 code, for LANGUAGE.
    pub language: Option<String>,
    /// The CEFR level, for LANGUAGE.
    pub cefr: Option<CefrLevel>,
    /// Months the certificate stays valid; null: it does not expire.
    pub validity_months: Option<i32>,
}

/// The skill level completing a course records (a COURSE assessment).
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct SkillAward {
    /// The skill assessed.
    pub skill: Skill,
    /// The level recorded, 1 - 5.
    pub level: i32,
}

/// What completing a course gives: a certificate, a skill level, or both.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CourseAward {
    /// The certificate completion creates; null if none.
    pub certification: Option<CertificationAward>,
    /// The skill level completion records; null if none.
    pub skill: Option<SkillAward>,
}

/// A course of the catalogue.
pub struct Course(pub course::Model);

/// A course of the catalogue: completing it awards a certificate, a skill
/// level, or both.
#[Object]
impl Course {
    /// The course's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Course, self.0.id)
    }
    /// The course's title, unique in the catalogue.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the course covers.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// What completing it gives.
    async fn awards(&self, ctx: &Context<'_>) -> Result<CourseAward> {
        let ladder = context::ladder(ctx).await?;
        let award = training::award_of(&self.0);
        Ok(CourseAward {
            certification: award.cert.as_ref().map(|c| CertificationAward {
                kind: c.kind.into(),
                name: c.name.clone(),
                belt: c.belt.map(Into::into),
                language: c.language.clone(),
                cefr: c.cefr.map(Into::into),
                validity_months: self.0.validity_months,
            }),
            skill: award.skill.and_then(|(id, level)| {
                Some(SkillAward {
                    skill: Skill(ladder.skill(id)?.clone()),
                    level: i32::from(level),
                })
            }),
        })
    }
    /// Sessions ending on or after `from` (default: all), earliest first.
    async fn sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sessions ending on or after this day (default: all).")] from: Option<
            Date,
        >,
    ) -> Result<Vec<CourseSession>> {
        context::principal(ctx)?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let rows = loaders
            .course_sessions
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|s| from.is_none_or(|from| s.ends_on >= from.0))
            .take(crate::graphql::cost::bound::COURSES)
            .map(CourseSession)
            .collect())
    }
}

/// A dated session of a course.
pub struct CourseSession(pub course_session::Model);

impl CourseSession {
    async fn counts(&self, ctx: &Context<'_>) -> Result<training::SeatCount> {
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.seats.load_one(self.0.id).await?.unwrap_or_default())
    }
}

/// A course session by id, through the request's loader.
async fn session_by_id(ctx: &Context<'_>, id: i64) -> Result<Option<CourseSession>> {
    let loaders = ctx.data_unchecked::<Loaders>();
    Ok(loaders.sessions.load_one(id).await?.map(CourseSession))
}

/// A dated session of a course, with a fixed number of seats and a
/// waitlist.
#[Object]
impl CourseSession {
    /// The session's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::CourseSession, self.0.id)
    }
    /// The course this is a session of.
    async fn course(&self, ctx: &Context<'_>) -> Result<Course> {
        let loaders = ctx.data_unchecked::<Loaders>();
        loaders
            .courses
            .load_one(self.0.course_id)
            .await?
            .map(Course)
            .ok_or_else(|| AppError::not_found("course").into())
    }
    /// The first day. After it, only HR may enrol people.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    /// The last day; completion (and what the course awards) is dated this
    /// day by default.
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }
    /// Seats, 1 - 1000.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }
    /// Capacity minus seats held (ENROLLED or COMPLETED), never negative.
    async fn seats_left(&self, ctx: &Context<'_>) -> Result<i32> {
        let taken = self.counts(ctx).await?.taken;
        Ok((i64::from(self.0.capacity) - taken).max(0) as i32)
    }
    /// People WAITLISTED for a seat.
    async fn waitlist_length(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(self.counts(ctx).await?.waitlisted as i32)
    }
    /// A Training Specialist who runs it and may record completions.
    async fn trainer(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.trainer_id else {
            return Ok(None);
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.employees.load_one(id).await?.map(Employee))
    }
    /// Where it takes place, as HR wrote it; null if not given.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// The roster, seats and waitlist in order: HR and the trainer only.
    async fn enrolments(&self, ctx: &Context<'_>) -> Result<Vec<Enrolment>> {
        let principal = context::principal(ctx)?;
        training::may_view_roster(context::db(ctx), principal, &self.0).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let rows = loaders
            .rosters
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .take(crate::graphql::cost::bound::ROSTER)
            .map(Enrolment)
            .collect())
    }
}

/// A person's place in a session.
pub struct Enrolment(pub enrolment::Model);

/// A person's place in a session: a seat, a waitlist place, cancelled or
/// completed.
#[Object]
impl Enrolment {
    /// The enrolment's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Enrolment, self.0.id)
    }
    /// The session enrolled in.
    async fn session(&self, ctx: &Context<'_>) -> Result<CourseSession> {
        session_by_id(ctx, self.0.session_id)
            .await?
            .ok_or_else(|| AppError::not_found("session").into())
    }
    /// The person enrolled.
    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        let loaders = ctx.data_unchecked::<Loaders>();
        loaders
            .employees
            .load_one(self.0.employee_id)
            .await?
            .map(Employee)
            .ok_or_else(|| AppError::not_found("employee").into())
    }
    /// ENROLLED, WAITLISTED, CANCELLED or COMPLETED.
    async fn status(&self) -> EnrolmentStatus {
        self.0.status.into()
    }
    /// 1 for the first in line; null unless WAITLISTED.
    async fn waitlist_position(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        if domain::EnrolmentStatus::from(self.0.status) != domain::EnrolmentStatus::Waitlisted {
            return Ok(None);
        }
        let loaders = ctx.data_unchecked::<Loaders>();
        let line = loaders
            .waitlists
            .load_one(self.0.session_id)
            .await?
            .unwrap_or_default();
        Ok(line
            .iter()
            .position(|&id| id == self.0.id)
            .map(|i| i as i32 + 1))
    }
    /// The day the course was completed (what it awards is dated so); null
    /// unless COMPLETED.
    async fn completed_on(&self) -> Option<Date> {
        self.0.completed_on.map(Date)
    }
}

/// One thing to do in a plan.
pub struct PlanAction(pub plan::PlanAction);

/// One thing to do in a development plan.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl PlanAction {
    /// What kind of action it is.
    async fn kind(&self) -> PlanActionKind {
        self.0.kind.into()
    }
    /// In words, for people: "take Bar Raiser: the session starting 12 Jan
    /// 2027 (4 seats left), completed 15 Jan 2027".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// When it is done; null when nothing scheduled can do it.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    /// The gaps it closes.
    async fn closes(&self) -> Vec<Gap> {
        Gap::all(&self.0.closes)
    }
    /// The course session to take, for TAKE_COURSE (and a renewal by course).
    async fn session(&self, ctx: &Context<'_>) -> Result<Option<CourseSession>> {
        let Some(id) = self.0.session_id else {
            return Ok(None);
        };
        session_by_id(ctx, id).await
    }
    /// Free seats in that session when the plan was made.
    async fn seats_left(&self) -> Option<i32> {
        self.0.seats_left.map(|n| n as i32)
    }
}

/// A dated plan towards one role: what closes each gap, and from when the
/// person could be ELIGIBLE.
pub struct Plan {
    pub plan: plan::Plan,
    pub ladder: Arc<Ladder>,
}

impl Plan {
    fn target(&self) -> Option<&crate::db::entities::job_role::Model> {
        let step = self.ladder.step(self.plan.step_id)?;
        self.ladder.role(step.to_role_id)
    }
}

/// A dated plan towards one role: what closes each gap, and from when the
/// person could be ELIGIBLE.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl Plan {
    /// The role the plan leads to.
    async fn target_role(&self) -> Result<Role> {
        self.target()
            .cloned()
            .map(Role)
            .ok_or_else(|| AppError::internal("unknown role").into())
    }
    /// Where the person stands today (the plan's `asOf`).
    async fn status(&self) -> EligibilityStatus {
        self.plan.now.status.into()
    }
    /// What is missing today.
    async fn gaps(&self) -> Vec<Gap> {
        Gap::all(&self.plan.now.gaps)
    }
    /// Ordered by due date; empty when already ELIGIBLE.
    async fn actions(&self) -> Vec<PlanAction> {
        self.plan
            .actions
            .iter()
            .take(crate::graphql::cost::bound::GAPS)
            .cloned()
            .map(PlanAction)
            .collect()
    }
    /// The earliest date the step is ELIGIBLE if every action is taken (for
    /// someone ELIGIBLE already: since when). Null when some gap has no
    /// action yet (no course scheduled).
    async fn eligible_on(&self) -> Option<Date> {
        self.plan.eligible_on.map(Date)
    }
    /// The plan in one sentence.
    async fn summary(&self) -> String {
        self.plan
            .summary(self.target().map_or("", |r| r.title.as_str()))
    }
}

/// A course and how many people completing it would unblock.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CourseImpact {
    /// A course whose completion would unblock someone.
    pub course: Course,
    /// People in scope for whom completing it would turn some INELIGIBLE
    /// step into NOT_YET or ELIGIBLE.
    pub people_unblocked: i32,
    /// Free seats in sessions starting on or after the dashboard's date.
    pub seats_left: i32,
    /// The first such session's start.
    pub next_session_on: Option<Date>,
}
