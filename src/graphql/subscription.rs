//! The subscription root: `nominationChanged` and `applicationChanged`, served over WebSocket at
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
//! Each event is checked for every subscriber of the process at once: its
//! audience (the managers above the nominee, and which subscribers' login
//! sessions are still live, with the access role they have now) is loaded
//! once per event, in two statements (`db::audience`), and each subscriber
//! then decides in memory:
//! 1. when its session has been revoked, has expired, or its access role
//!    has changed, the subscription completes and the client must connect
//!    again;
//! 2. otherwise it hears of the nomination only if it may read it (the
//!    same rule as the `nomination(id)` query): HR and ADMIN all, the
//!    nominee, the nominator, and managers above the nominee.
//!
//! Fields under the event resolve with the connection's request state, so
//! a manager's reporting chain is read once per subscription, not per event.
//!
//! Events are per process: see `crate::events`. The socket's own limits
//! (init timeout, operations per socket, sockets per person) are in
//! `crate::ws`.

use async_graphql::futures_util::stream::{self, Stream};
use async_graphql::{Context, Data, Subscription};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use std::sync::Arc;

use crate::auth::{policy, Principal};
use crate::db::entities::nomination;
use crate::db::{audience, Db};
use crate::error::{AppError, AppResult};
use crate::events::{ApplicationChange, Event, EventBus, Published, SessionGuard};
use crate::graphql::context::{self, RequestState};
use crate::graphql::types::mobility::Application;
use crate::graphql::types::nomination::Nomination;
use crate::services::accounts;
use crate::ws::{OpenSockets, WsLimits, TOO_MANY_SOCKETS_REASON};

/// The close reason when `connection_init` carries no live token (the
/// HTTP layer sends it with close code 4403, as graphql-ws prescribes).
pub const UNAUTHENTICATED_REASON: &str =
    "Forbidden: connection_init needs a live token ({\"Authorization\": \"Bearer <token>\"})";

/// The event bus of the schema (always present: `build_schema` puts one in).
pub fn event_bus<'a>(ctx: &Context<'a>) -> AppResult<&'a EventBus> {
    ctx.data::<EventBus>()
        .map_err(|_| AppError::internal("event bus missing from the schema"))
}

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
/// closes the connection: the principal and the person's socket
/// slot (at most `limits.max_sockets_per_person` at once).
pub async fn connection_data(
    db: Db,
    payload: serde_json::Value,
    sockets: OpenSockets,
    limits: WsLimits,
) -> async_graphql::Result<Data> {
    let Some(token) = token_from_payload(&payload) else {
        return Err(async_graphql::Error::new(UNAUTHENTICATED_REASON));
    };
    let principal = match accounts::authenticate(&db, token).await {
        Ok(Some(found)) => found.principal,
        Ok(None) => return Err(async_graphql::Error::new(UNAUTHENTICATED_REASON)),
        Err(err) => return Err(err.into()),
    };
    let Some(slot) = sockets.try_open(principal.employee_id, limits.max_sockets_per_person) else {
        return Err(async_graphql::Error::new(TOO_MANY_SOCKETS_REASON));
    };
    let mut data = Data::default();
    data.insert(slot);
    // No pinned ladder version: a subscription lives long, so each event
    // reads the ladder as it is then.
    data.insert(RequestState::new(Some(principal), None));
    Ok(data)
}

#[derive(Default)]
pub struct SubscriptionRoot;

/// Live events over WebSocket at `/graphql/ws` (graphql-ws); the token
/// goes in the `connection_init` payload.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// A nomination was created, approved, rejected or withdrawn (as
    /// committed). Each subscriber hears only about nominations they may
    /// read (as with `nomination(id)`): HR and ADMIN all; a MANAGER those
    /// of their reporting chain and those they made; an EMPLOYEE their own.
    /// Over WebSocket at `/graphql/ws` (graphql-ws), with the token in the
    /// `connection_init` payload. Events are per server process.
    async fn nomination_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Nomination>>> {
        let watch = Watch::new(ctx, Interest::Nominations)?;
        Ok(stream::unfold(watch, |mut watch| async move {
            let item = watch.next().await?;
            Some((
                item.and_then(|change| match change {
                    Change::Nomination(row) => Ok(Nomination(row)),
                    Change::Application(_) => Err(AppError::internal("an application event")),
                })
                .map_err(Into::into),
                watch,
            ))
        }))
    }

    /// An application was made, shortlisted, offered, accepted, declined,
    /// rejected or withdrawn, one by one or with the others when its opening
    /// closed or its last seat was filled (as committed). Each subscriber
    /// hears only about applications they may read: the applicant, the
    /// opening's hiring manager and whoever posted it, and HR. Same socket,
    /// token and rules of ending as `nominationChanged`.
    async fn application_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Application>>> {
        let watch = Watch::new(ctx, Interest::Applications)?;
        Ok(stream::unfold(watch, |mut watch| async move {
            let item = watch.next().await?;
            Some((
                item.and_then(|change| match change {
                    Change::Application(change) => Ok(Application::of(change.application)),
                    Change::Nomination(_) => Err(AppError::internal("a nomination event")),
                })
                .map_err(Into::into),
                watch,
            ))
        }))
    }
}

/// Which events a subscription listens to.
#[derive(Clone, Copy)]
enum Interest {
    Nominations,
    Applications,
}

/// An event a subscriber may see.
enum Change {
    Nomination(nomination::Model),
    Application(ApplicationChange),
}

/// One subscriber's view of the bus.
struct Watch {
    db: Db,
    bus: EventBus,
    principal: Principal,
    interest: Interest,
    receiver: Receiver<Arc<Published>>,
    _session: SessionGuard,
}

enum Delivery {
    Send,
    Skip,
    /// The session is no longer live or no longer means the same principal.
    End,
}

impl Watch {
    fn new(ctx: &Context<'_>, interest: Interest) -> AppResult<Watch> {
        let principal = context::principal(ctx)?.clone();
        let bus = event_bus(ctx)?;
        // Registered before listening, so every event heard checks this
        // session too.
        let session = bus.register_session(principal.session_id);
        Ok(Watch {
            db: context::db(ctx).clone(),
            bus: bus.clone(),
            principal,
            interest,
            receiver: bus.subscribe(),
            _session: session,
        })
    }

    /// The next event this subscriber may see; `None` ends the stream.
    async fn next(&mut self) -> Option<AppResult<Change>> {
        loop {
            let published = match self.receiver.recv().await {
                Ok(published) => published,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a subscriber fell behind; events skipped");
                    continue;
                }
                Err(RecvError::Closed) => return None,
            };
            let change = match (&published.event, self.interest) {
                (Event::NominationChanged(row), Interest::Nominations) => {
                    Change::Nomination(row.clone())
                }
                (Event::ApplicationChanged(change), Interest::Applications) => {
                    Change::Application(change.clone())
                }
                _ => continue,
            };
            match self.delivery(&published, &change).await {
                Ok(Delivery::Send) => return Some(Ok(change)),
                Ok(Delivery::Skip) => continue,
                Ok(Delivery::End) => return None,
                Err(err) => return Some(Err(err)),
            }
        }
    }

    /// The event's audience is loaded once, by whichever subscriber gets
    /// there first; the rest is decided in memory.
    async fn delivery(&self, published: &Published, change: &Change) -> AppResult<Delivery> {
        let subject = match change {
            Change::Nomination(row) => row.nominee_id,
            Change::Application(change) => change.application.employee_id,
        };
        let audience = published
            .audience
            .get_or_try_init(|| async {
                let sessions = self.bus.sessions();
                Ok::<_, AppError>(Arc::new(
                    audience::load(&self.db.conn, subject, &sessions).await?,
                ))
            })
            .await?;
        match audience.live.get(&self.principal.session_id) {
            Some(now) if *now == self.principal => {}
            _ => return Ok(Delivery::End),
        }
        let me = &self.principal;
        let may = match change {
            Change::Nomination(row) => {
                let above = audience.managers_above.contains(&me.employee_id);
                let relation = policy::Relation::new(me, row.nominee_id, above);
                policy::may_see_nomination(me, relation, row.nominated_by_id)
            }
            Change::Application(change) => policy::may_see_application(
                me,
                change.application.employee_id,
                change.posted_by_id,
                change.hiring_manager_id,
            ),
        };
        Ok(if may { Delivery::Send } else { Delivery::Skip })
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
