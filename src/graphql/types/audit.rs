//! Audit events as GraphQL (HR and ADMIN only, enforced by the service).

use crate::graphql::ids::{self, Kind};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::db::entities::audit_event;
use crate::graphql::loaders::Loaders;
use crate::graphql::types::employee::Employee;

#[derive(Clone)]
pub struct AuditEvent(pub audit_event::Model);

/// One entry of the append-only audit log: who changed what, when, with
/// the before and after.
#[Object]
impl AuditEvent {
    /// The event's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::AuditEvent, self.0.id)
    }
    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Null for the command line and for failed logins.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        match self.0.actor_id {
            Some(id) => Ok(ctx
                .data_unchecked::<Loaders>()
                .employees
                .load_one(id)
                .await?
                .map(Employee)),
            None => Ok(None),
        }
    }
    /// What happened, e.g. LOGIN, CREATE_EMPLOYEE, APPROVE_NOMINATION, PROMOTE.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of record it concerns, e.g. "employee", "nomination",
    /// "certification", "salary_band", "session" (sign-ins).
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    /// The id of that record, as text; "-" when there is none (a failed
    /// sign-in).
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    /// The record's global id, for `node(id:)`; null when the record is
    /// not an object of the API (a sign-in session) or there is none.
    async fn subject_id(&self) -> Option<ID> {
        let kind = match self.0.entity.as_str() {
            "employee" => Kind::Employee,
            "nomination" => Kind::Nomination,
            "certification" => Kind::Certification,
            "performance_review" => Kind::PerformanceReview,
            "course" => Kind::Course,
            "course_session" => Kind::CourseSession,
            "enrolment" => Kind::Enrolment,
            "ladder_step" => Kind::LadderStep,
            "salary_band" => Kind::SalaryBand,
            "skill" => Kind::Skill,
            "skill_assessment" => Kind::SkillAssessment,
            _ => return None,
        };
        let id = self.0.entity_id.parse::<i64>().ok()?;
        Some(ids::of(kind, id))
    }
    /// JSON text with what changed (before and after).
    async fn details(&self) -> &str {
        &self.0.details
    }
}
