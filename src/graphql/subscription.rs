//! The subscription root: `nominationChanged`, served over WebSocket at
//! `/graphql/ws` (graphql-ws, subprotocol `graphql-transport-ws`; the older
//! `graphql-ws` subprotocol is accepted too).
//!
//! Authorization works like the query's: browsers cannot set headers on a
//! WebSocket, so the client sends its token in the `connection_init`
//! payload (`{"Authorization": "Bearer <token>"}`; the keys `authorization`
//! and `token` are accepted too). Without a live token the server closes
//! the connection (code 4403) before acknowledging it. Since the token is
//! never a cookie, another site cannot open an authorized socket on a
//! user's behalf.
//!
//! Each event goes through two checks before it is sent:
//! 1. `services::nominations::may_see` with the subscriber's principal (the
//!    same rule as the `nomination(id)` query), so a subscriber only ever
//!    hears about nominations they may read;
//! 2. the token is authenticated again; when it has been revoked, has
//!    expired, or its access role has changed, the subscription completes
//!    and the client must connect again.
//!
//! Fields under the event resolve with the connection's request state, so
//! a manager's reporting chain is read once per subscription, not per event.
//!
//! Events are per process: see `crate::events`.

use async_graphql::futures_util::stream::{self, Stream};
use async_graphql::{Context, Data, Subscription};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use crate::auth::Principal;
use crate::db::entities::nomination;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::events::{Event, EventBus};
use crate::graphql::context::{self, RequestState};
use crate::graphql::loaders::Loaders;
use crate::graphql::types::nomination::Nomination;
use crate::services::{accounts, nominations};

/// The close reason when `connection_init` carries no live token (the
/// HTTP layer sends it with close code 4403, as graphql-ws prescribes).
pub const UNAUTHENTICATED_REASON: &str =
    "Forbidden: connection_init needs a live token ({\"Authorization\": \"Bearer <token>\"})";

/// The event bus of the schema (always present: `build_schema` puts one in).
pub fn event_bus<'a>(ctx: &Context<'a>) -> AppResult<&'a EventBus> {
    ctx.data::<EventBus>()
        .map_err(|_| AppError::internal("event bus missing from the schema"))
}

/// The raw token a WebSocket connection was opened with.
struct ConnectionToken(String);

/// The token in a `connection_init` payload, without its `Bearer ` prefix.
pub fn token_from_payload(payload: &serde_json::Value) -> Option<&str> {
    let value = ["Authorization", "authorization", "token"]
        .iter()
        .find_map(|key| payload.get(*key)?.as_str())?
        .trim();
    let token = match value.split_once(char::is_whitespace) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        None if value.eq_ignore_ascii_case("bearer") => "",
        _ => value,
    };
    (!token.is_empty()).then_some(token)
}

/// What a WebSocket connection's operations run with, or an error that
/// closes the connection: the principal, loaders and the token to check
/// again on every event.
pub async fn connection_data(db: Db, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let Some(token) = token_from_payload(&payload) else {
        return Err(async_graphql::Error::new(UNAUTHENTICATED_REASON));
    };
    let principal = match accounts::authenticate(&db, token).await {
        Ok(Some(found)) => found.principal,
        Ok(None) => return Err(async_graphql::Error::new(UNAUTHENTICATED_REASON)),
        Err(err) => return Err(err.into()),
    };
    let mut data = Data::default();
    data.insert(ConnectionToken(token.to_owned()));
    data.insert(Loaders::new(&db));
    // No pinned ladder version: a subscription lives long, so each event
    // reads the ladder as it is then.
    data.insert(RequestState::new(Some(principal), None));
    Ok(data)
}

#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// A nomination was created, approved, rejected or withdrawn (as
    /// committed). Each subscriber hears only about nominations they may
    /// see: HR and ADMIN all; a MANAGER those of their reporting chain and
    /// those they made; an EMPLOYEE their own. Over WebSocket at
    /// `/graphql/ws` (graphql-ws), with the token in the `connection_init`
    /// payload. Events are per server process.
    async fn nomination_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Nomination>>> {
        let principal = context::principal(ctx)?.clone();
        let token = ctx
            .data::<ConnectionToken>()
            .map_err(|_| AppError::Unauthenticated)?
            .0
            .clone();
        let watch = Watch {
            db: context::db(ctx).clone(),
            token,
            principal,
            receiver: event_bus(ctx)?.subscribe(),
        };
        Ok(stream::unfold(watch, |mut watch| async move {
            let item = watch.next().await?;
            Some((item.map(Nomination).map_err(Into::into), watch))
        }))
    }
}

/// One subscriber's view of the bus.
struct Watch {
    db: Db,
    token: String,
    principal: Principal,
    receiver: Receiver<Event>,
}

enum Delivery {
    Send,
    Skip,
    /// The token is no longer live or no longer means the same principal.
    End,
}

impl Watch {
    /// The next event this subscriber may see; `None` ends the stream.
    async fn next(&mut self) -> Option<AppResult<nomination::Model>> {
        loop {
            let changed = match self.receiver.recv().await {
                Ok(Event::NominationChanged(changed)) => changed,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a subscriber fell behind; events skipped");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            match self.delivery(&changed).await {
                Ok(Delivery::Send) => return Some(Ok(changed)),
                Ok(Delivery::Skip) => continue,
                Ok(Delivery::End) => return None,
                Err(err) => return Some(Err(err)),
            }
        }
    }

    /// Visibility first (no query for HR or an employee), then whether the
    /// token still stands for the same principal.
    async fn delivery(&self, changed: &nomination::Model) -> AppResult<Delivery> {
        if !nominations::may_see(&self.db, &self.principal, changed).await? {
            return Ok(Delivery::Skip);
        }
        match accounts::authenticate(&self.db, &self.token).await? {
            Some(now) if now.principal == self.principal => Ok(Delivery::Send),
            _ => Ok(Delivery::End),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::token_from_payload;
    use serde_json::json;

    #[test]
    fn the_token_comes_from_any_accepted_key_with_or_without_bearer() {
        assert_eq!(
            token_from_payload(&json!({ "Authorization": "Bearer abc" })),
            Some("abc")
        );
        assert_eq!(
            token_from_payload(&json!({ "authorization": "bearer  abc " })),
            Some("abc")
        );
        assert_eq!(token_from_payload(&json!({ "token": "abc" })), Some("abc"));
        assert_eq!(token_from_payload(&json!({ "token": "Bearer " })), None);
        assert_eq!(token_from_payload(&json!({ "token": 42 })), None);
        assert_eq!(token_from_payload(&json!({})), None);
        assert_eq!(token_from_payload(&json!(null)), None);
    }
}
