use async_graphql::{Context, InputObject, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{CefrLevel, CertificationKind, SixSigmaBelt};
use crate::graphql::types::training::{Course, CourseSession, Enrolment, Skill, SkillAssessment};
use crate::services::{skills, training};

#[derive(Default)]
pub struct TrainingMutation;

/// A skill of the catalogue to create or change.
#[derive(InputObject)]
pub struct SkillInput {
    /// Given: change that skill; omitted: create one.
    pub id: Option<ID>,
    /// The skill's name, unique (at most 100 characters).
    pub name: String,
    /// The group it belongs to, e.g. "Tools" (at most 100 characters).
    pub category: String,
    /// What having the skill means (at most 1,000 characters).
    pub description: String,
}

/// One assessment of one person's skill.
#[derive(InputObject)]
pub struct AssessSkillInput {
    /// Who is assessed: yourself (SELF), someone in your chain (MANAGER),
    /// or anyone for HR.
    pub employee_id: ID,
    /// The skill assessed.
    pub skill_id: ID,
    /// 1 - 5.
    pub level: i32,
    /// The date the level applies from; not in the future.
    pub assessed_on: Date,
    /// A comment (at most 1,000 characters).
    pub note: Option<String>,
}

/// The certificate completing a course creates (VERIFIED, issued on the
/// completion day); the same rules as `addCertification`.
#[derive(InputObject)]
pub struct CertificationAwardInput {
    /// The certificate kind.
    pub kind: CertificationKind,
    /// Defaults to the course title.
    pub name: Option<String>,
    /// Required for SIX_SIGMA.
    pub belt: Option<SixSigmaBelt>,
    /// ISO 639-1 code, required for LANGUAGE.
    pub language: Option<String>,
    /// Required for LANGUAGE.
    pub cefr: Option<CefrLevel>,
    /// 1 - 120; omitted: the certificate does not expire.
    pub validity_months: Option<i32>,
}

/// The skill level completing a course records.
#[derive(InputObject)]
pub struct SkillAwardInput {
    /// The skill assessed.
    pub skill_id: ID,
    /// 1 - 5.
    pub level: i32,
}

/// A course to create or change; it awards a certificate, a skill level, or
/// both.
#[derive(InputObject)]
pub struct CourseInput {
    /// Given: change that course; omitted: create one.
    pub id: Option<ID>,
    /// The title, unique (at most 200 characters).
    pub title: String,
    /// What the course covers (at most 2,000 characters).
    pub description: String,
    /// The certificate completion creates (VERIFIED).
    pub awards_certification: Option<CertificationAwardInput>,
    /// The skill level completion records.
    pub awards_skill: Option<SkillAwardInput>,
}

/// A session of a course to schedule.
#[derive(InputObject)]
pub struct ScheduleSessionInput {
    /// The course.
    pub course_id: ID,
    /// The first day.
    pub starts_on: Date,
    /// The last day, not before `startsOn`; completions default to it.
    pub ends_on: Date,
    /// 1 - 1000 seats.
    pub capacity: i32,
    /// An employee whose job role is Training Specialist.
    pub trainer_id: Option<ID>,
    /// Where it takes place (at most 200 characters).
    pub location: Option<String>,
}

fn optional_id(
    field: &str,
    kind: Kind,
    id: &Option<ID>,
) -> Result<Option<i64>, crate::error::AppError> {
    ids::parse_opt(field, kind, id.as_ref())
}

#[Object]
impl TrainingMutation {
    /// HR: add a skill to the catalogue or change one.
    async fn upsert_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: SkillInput,
    ) -> Result<Skill> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let saved = skills::upsert_skill(
            context::db(ctx),
            principal,
            skills::SkillInput {
                id: optional_id("id", Kind::Skill, &input.id)?,
                name: input.name,
                category: input.category,
                description: input.description,
            },
        )
        .await?;
        Ok(Skill(saved))
    }

    /// Assess a skill. Your own: a SELF assessment (shown, never counted).
    /// A manager for someone in their chain (MANAGER) or HR (HR): counted.
    /// Every assessment is kept; the latest counted one is the level.
    async fn assess_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: AssessSkillInput,
    ) -> Result<SkillAssessment> {
        let principal = context::principal(ctx)?;
        let saved = skills::assess_skill(
            context::db(ctx),
            principal,
            skills::AssessmentInput {
                employee_id: ids::parse("employeeId", Kind::Employee, &input.employee_id)?,
                skill_id: ids::parse("skillId", Kind::Skill, &input.skill_id)?,
                level: input.level,
                assessed_on: input.assessed_on.0,
                note: input.note,
            },
        )
        .await?;
        Ok(SkillAssessment(saved))
    }

    /// HR: create or change a course (it awards a certificate, a skill
    /// level, or both).
    async fn upsert_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: CourseInput,
    ) -> Result<Course> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let saved = training::upsert_course(
            context::db(ctx),
            principal,
            training::CourseInput {
                id: optional_id("id", Kind::Course, &input.id)?,
                title: input.title,
                description: input.description,
                certification: input
                    .awards_certification
                    .map(|c| training::CertAwardInput {
                        kind: c.kind.into(),
                        name: c.name,
                        belt: c.belt.map(Into::into),
                        language: c.language,
                        cefr: c.cefr.map(Into::into),
                        validity_months: c.validity_months,
                    }),
                skill: match input.awards_skill {
                    Some(s) => Some((
                        ids::parse("awardsSkill.skillId", Kind::Skill, &s.skill_id)?,
                        s.level,
                    )),
                    None => None,
                },
            },
        )
        .await?;
        Ok(Course(saved))
    }

    /// HR: schedule a session of a course.
    async fn schedule_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: ScheduleSessionInput,
    ) -> Result<CourseSession> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let saved = training::schedule_session(
            context::db(ctx),
            principal,
            training::SessionInput {
                course_id: ids::parse("courseId", Kind::Course, &input.course_id)?,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                capacity: input.capacity,
                trainer_id: optional_id("trainerId", Kind::Employee, &input.trainer_id)?,
                location: input.location,
            },
        )
        .await?;
        Ok(CourseSession(saved))
    }

    /// Enrol yourself (or, as a manager, someone in your chain; as HR,
    /// anyone) in a session: a seat while one is free, else the waitlist.
    /// A second enrolment in the same session is a CONFLICT. After the
    /// session's first day, only HR may enrol.
    async fn enrol(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course session's global id.")] session_id: ID,
        #[graphql(desc = "Whom to enrol (default: yourself).")] employee_id: Option<ID>,
    ) -> Result<Enrolment> {
        let principal = context::principal(ctx)?;
        let session_id = ids::parse("sessionId", Kind::CourseSession, &session_id)?;
        let employee_id = optional_id("employeeId", Kind::Employee, &employee_id)?
            .unwrap_or(principal.employee_id);
        let saved = training::enrol(context::db(ctx), principal, session_id, employee_id).await?;
        Ok(Enrolment(saved))
    }

    /// Cancel a seat or a waitlist place (the person, their reporting chain
    /// or HR; once the session is over, HR only); a freed seat goes to the
    /// first person waiting. An enrolment you may not see is NOT_FOUND,
    /// like a missing one.
    async fn cancel_enrolment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The enrolment's global id.")] id: ID,
    ) -> Result<Enrolment> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Enrolment, &id)?;
        Ok(Enrolment(
            training::cancel_enrolment(context::db(ctx), principal, id).await?,
        ))
    }

    /// HR or the session's trainer: record that an ENROLLED person completed
    /// the course on `completedOn` (default: the session's last day). Creates
    /// the course's certificate VERIFIED and records its skill level. Nobody
    /// completes their own enrolment (FORBIDDEN).
    async fn complete_enrolment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The enrolment's global id.")] id: ID,
        #[graphql(desc = "The completion day (default: the session's last day).")]
        completed_on: Option<Date>,
    ) -> Result<Enrolment> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Enrolment, &id)?;
        Ok(Enrolment(
            training::complete_enrolment(
                context::db(ctx),
                principal,
                id,
                completed_on.map(|d| d.0),
            )
            .await?,
        ))
    }
}
