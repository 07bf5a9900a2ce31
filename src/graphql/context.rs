//! What every resolver may ask of the request: the database, the principal
//! (or UNAUTHENTICATED), and per-request caches of the ladder and of the
//! caller's reporting chain.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::Context;
use tokio::sync::OnceCell;

use crate::auth::policy::{self, Relation};
use crate::auth::Principal;
use crate::db::facts::Ladder;
use crate::db::{scope, Db};
use crate::error::{AppError, AppResult};

/// Per-request state, put into the GraphQL request by the HTTP handler.
pub struct RequestState {
    pub principal: Option<Principal>,
    /// The ladder version read with the token, if any.
    ladder_version: Option<i64>,
    /// The client's address (for login throttling).
    pub client: Option<String>,
    ladder: OnceCell<Arc<Ladder>>,
    chain: OnceCell<Arc<HashSet<i64>>>,
}

impl RequestState {
    pub fn new(principal: Option<Principal>, ladder_version: Option<i64>) -> Self {
        RequestState {
            principal,
            ladder_version,
            client: None,
            ladder: OnceCell::new(),
            chain: OnceCell::new(),
        }
    }
}

impl RequestState {
    /// Records the client's address.
    pub fn with_client(mut self, client: Option<String>) -> Self {
        self.client = client;
        self
    }
}

/// The client's address, if known.
pub fn client<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    ctx.data::<RequestState>().ok()?.client.as_deref()
}

pub fn db<'a>(ctx: &Context<'a>) -> &'a Db {
    ctx.data_unchecked::<Db>()
}

fn state<'a>(ctx: &Context<'a>) -> AppResult<&'a RequestState> {
    ctx.data::<RequestState>()
        .map_err(|_| AppError::internal("request state missing"))
}

/// The caller, or UNAUTHENTICATED.
pub fn principal<'a>(ctx: &Context<'a>) -> AppResult<&'a Principal> {
    state(ctx)?
        .principal
        .as_ref()
        .ok_or(AppError::Unauthenticated)
}

/// The ladder, loaded at most once per request.
pub async fn ladder(ctx: &Context<'_>) -> AppResult<Arc<Ladder>> {
    let state = state(ctx)?;
    let db = db(ctx);
    state
        .ladder
        .get_or_try_init(|| async {
            Ok::<_, AppError>(match state.ladder_version {
                Some(version) => Ladder::at_version(db, version).await?,
                None => Ladder::current(db).await?,
            })
        })
        .await
        .cloned()
}

/// The caller's relation to `employee_id` (see `auth::policy`). A
/// manager's chain is loaded once per request, so a page of nodes costs one
/// statement.
pub async fn relation(ctx: &Context<'_>, employee_id: i64) -> AppResult<Relation> {
    let principal = principal(ctx)?;
    if !policy::needs_chain(principal, employee_id) {
        return Ok(Relation::new(principal, employee_id, false));
    }
    let state = state(ctx)?;
    let db = db(ctx);
    let chain = state
        .chain
        .get_or_try_init(|| async {
            Ok::<_, AppError>(Arc::new(
                scope::chain_ids(&db.conn, principal.employee_id).await?,
            ))
        })
        .await?;
    Ok(policy::relation_in_chain(principal, employee_id, chain))
}

/// Private fields of `employee_id` (salary, hire and role dates, access
/// role, certifications, ...), or FORBIDDEN, as `policy::require_private`
/// says.
pub async fn require_private(ctx: &Context<'_>, employee_id: i64) -> AppResult<()> {
    policy::require_private(relation(ctx, employee_id).await?)
}
