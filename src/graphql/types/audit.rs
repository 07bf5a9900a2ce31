//! Audit events as GraphQL (HR and ADMIN only, enforced by the service).

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
    /// The event's id (later events have larger ids).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
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
    /// e.g. LOGIN, CREATE_EMPLOYEE, APPROVE_NOMINATION, PROMOTE.
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
    /// JSON text with what changed (before and after).
    async fn details(&self) -> &str {
        &self.0.details
    }
}
