//! Notifications from PostgreSQL: triggers (migration
//! `m20261202_000010_auth_notify`) send one on channel [`AUTH_CHANNEL`]
//! whenever a session, an employee or the ladder changes, whoever changed
//! it (another instance, an import, a DBA's script); others (migration
//! `m20261204_000011_facts_notify`) send one on [`FACTS_CHANNEL`] whenever
//! a certificate, review, skill assessment or nomination changes. This
//! process listens on a connection of its own and empties the session cache
//! (see `auth::sessions`) or the kept facts (see `db::kept`) on each. The
//! caches are live only while the listener is subscribed; when the
//! connection drops they are turned off at once (a notification may have
//! been missed) and the listener reconnects.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::DatabaseBackend;

use crate::auth::sessions::SessionCache;
use crate::db::kept::{KeptFacts, FACTS_CHANNEL};
use crate::db::Db;

/// The channel the triggers notify.
pub const AUTH_CHANNEL: &str = "rungs_auth";

/// Starts listening (PostgreSQL only; on SQLite the cache stays off and
/// nothing is started). The task runs until aborted.
pub fn spawn_listener(db: &Db) -> Option<tokio::task::JoinHandle<()>> {
    if db.backend() != DatabaseBackend::Postgres {
        return None;
    }
    let options = db.conn.get_postgres_connection_pool().connect_options();
    let cache = db.sessions.clone();
    let facts = db.facts.clone();
    Some(tokio::spawn(async move {
        // A pool of one, so the listener takes no connection from requests.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .connect_lazy_with((*options).clone());
        loop {
            listen(&pool, &cache, &facts).await;
            cache.set_live(false);
            facts.set_live(false);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

/// Subscribes and empties the cache on every notification until the
/// connection fails.
async fn listen(pool: &sea_orm::sqlx::PgPool, cache: &Arc<SessionCache>, facts: &Arc<KeptFacts>) {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(err) => {
            tracing::warn!(error = %err, "notification listener cannot connect");
            return;
        }
    };
    if let Err(err) = listener.listen_all([AUTH_CHANNEL, FACTS_CHANNEL]).await {
        tracing::warn!(error = %err, "notification listener cannot subscribe");
        return;
    }
    cache.set_live(true);
    facts.set_live(true);
    tracing::debug!("listening for session changes");
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.channel() == FACTS_CHANNEL => facts.clear(),
            Ok(Some(_)) => cache.clear(),
            // The connection dropped: what was sent meanwhile is lost.
            Ok(None) => return,
            Err(err) => {
                tracing::warn!(error = %err, "notification listener lost its connection");
                return;
            }
        }
    }
}
