//! The audit trail: every change appends an event (who, what, when, before
//! and after). Rows are append-only in the database itself (triggers refuse
//! UPDATE and DELETE), and nothing here ever writes a password or a hash.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use crate::db::entities::audit_event;
use crate::error::AppResult;

/// Appends one event inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    details: Value,
) -> AppResult<()> {
    audit_event::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.to_string()),
        details: Set(details.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Audit events for HR and ADMIN, newest first, optionally by entity and
/// actor.
pub async fn list(
    db: &crate::db::Db,
    principal: &crate::auth::Principal,
    entity: Option<&str>,
    actor_id: Option<i64>,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<audit_event::Model>, bool, u64)> {
    use crate::db::paging;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    principal.require_hr()?;
    let mut query = audit_event::Entity::find();
    if let Some(entity) = entity {
        query = query.filter(audit_event::Column::Entity.eq(entity));
    }
    if let Some(actor) = actor_id {
        query = query.filter(audit_event::Column::ActorId.eq(actor));
    }
    let total = query.clone().count(&db.conn).await?;
    let (rows, has_next) = paging::keyset(
        &db.conn,
        query,
        audit_event::Column::Id,
        paging::Order::Descending,
        first,
        after,
    )
    .await?;
    Ok((rows, has_next, total))
}
