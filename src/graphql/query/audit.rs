use async_graphql::{Context, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::audit::AuditEvent;
use crate::graphql::types::connection::{page_args, AuditEventConnection};
use crate::services::audit;

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first (HR and ADMIN). Filter by entity
    /// ("employee", "nomination", ...) and by actor.
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
        #[graphql(
            desc = "Only events about this kind of record (\"employee\", \"nomination\", ...)."
        )]
        entity: Option<String>,
        #[graphql(desc = "Only events by this person (an employee's global id).")] actor_id: Option<
            ID,
        >,
    ) -> Result<AuditEventConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let actor = actor_id
            .map(|id| ids::parse("actorId", Kind::Employee, &id))
            .transpose()?;
        let (rows, has_next, total) = audit::list(
            context::db(ctx),
            principal,
            entity.as_deref(),
            actor,
            first,
            after_id,
        )
        .await?;
        Ok(AuditEventConnection::new(
            rows.into_iter().map(|e| (e.id, AuditEvent(e))).collect(),
            has_next,
            after_id.is_some(),
            total,
        ))
    }
}
