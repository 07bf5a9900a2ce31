//! The application: connect, migrate, build the schema, bind, serve. Tests
//! build it on port 0 against any database URL and run the real thing.

use std::net::SocketAddr;

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::Server;

use crate::connections::{ConnectionLimits, LimitedAcceptor};
use crate::db::{self, Db};
use crate::events::EventBus;
use crate::graphql::build_schema_with;
use crate::http::{routes, HttpSettings};

pub struct Application {
    pub db: Db,
    /// The process's event bus (services publish, subscriptions listen);
    /// on PostgreSQL it is fed by every instance's changes, see
    /// `crate::events`.
    pub events: EventBus,
    pub address: SocketAddr,
    /// Production mode, the request timeout, socket limits.
    pub settings: HttpSettings,
    /// Connections: how many, and how long a client may take.
    pub connections: ConnectionLimits,
    acceptor: poem::listener::TcpAcceptor,
    /// `--persisted-only`: the only operations served.
    trusted: Option<crate::graphql::trusted::TrustedDocuments>,
}

impl Application {
    /// Connects to the database, applies migrations and binds `bind`.
    pub async fn build(database_url: &str, pool: u32, bind: &str) -> anyhow::Result<Self> {
        let db = db::connect(database_url, pool).await?;
        db::migrate(&db).await?;
        let acceptor = TcpListener::bind(bind.to_owned()).into_acceptor().await?;
        let address = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().copied())
            .ok_or_else(|| anyhow::anyhow!("no local address"))?;
        Ok(Application {
            db,
            events: EventBus::new(),
            address,
            settings: HttpSettings::default(),
            connections: ConnectionLimits::default(),
            acceptor,
            trusted: None,
        })
    }

    /// Switches production mode on or off.
    pub fn production(mut self, on: bool) -> Self {
        self.settings.production = on;
        self
    }

    /// Sets the longest a GraphQL request may run.
    pub fn request_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.settings.request_timeout = timeout;
        self
    }

    /// Sets the connection limits.
    pub fn connection_limits(mut self, limits: ConnectionLimits) -> Self {
        self.connections = limits;
        self
    }

    /// Sets the limits of `/graphql/ws` sockets.
    pub fn ws_limits(mut self, limits: crate::ws::WsLimits) -> Self {
        self.settings.ws = limits;
        self
    }

    /// Reads queries from a PostgreSQL streaming replica at `url` (see
    /// `db::replica`), with a pool of `pool` connections, while it is at
    /// most `max_lag_bytes` of WAL behind.
    pub async fn read_replica(
        mut self,
        url: &str,
        pool: u32,
        max_lag_bytes: u64,
    ) -> anyhow::Result<Self> {
        self.db.attach_replica(url, pool, max_lag_bytes).await?;
        Ok(self)
    }

    /// A demo server: the sign-in page names the demo accounts.
    pub fn demo(mut self, demo: bool) -> Self {
        self.settings.demo = demo;
        self
    }

    /// After shutdown begins, keeps serving for `drain` with `/readyz`
    /// answering 503, so a load balancer moves traffic away first.
    pub fn drain(mut self, drain: std::time::Duration) -> Self {
        self.settings.drain = drain;
        self
    }

    /// Runs only `documents` (`--persisted-only`, `graphql::trusted`).
    pub fn persisted_only(mut self, documents: crate::graphql::trusted::TrustedDocuments) -> Self {
        self.trusted = Some(documents);
        self
    }

    /// Origins besides the server's own that may open `/graphql/ws`.
    pub fn allowed_origins(mut self, origins: Vec<String>) -> Self {
        self.settings.allowed_origins = std::sync::Arc::new(origins);
        self
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests
    /// (at most 10 s) and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut schema = build_schema_with(
            Some(self.db.clone()),
            self.events.clone(),
            self.settings.production,
        );
        if let Some(documents) = self.trusted {
            schema = schema.persisted_only(documents);
        }
        let app = routes(schema, self.db.clone(), self.settings.clone());
        let sweep = tokio::spawn(crate::services::eligibility_state::sweep(self.db.clone()));
        let listener = crate::db::notify::spawn_listener(&self.db, &self.events);
        let monitor = self.db.spawn_replica_monitor();
        let draining = self.settings.draining.clone();
        let drain = self.settings.drain;
        let shutdown = async move {
            shutdown.await;
            draining.store(true, std::sync::atomic::Ordering::Release);
            if !drain.is_zero() {
                tracing::info!(ms = drain.as_millis(), "draining: /readyz answers 503");
                tokio::time::sleep(drain).await;
            }
        };
        let acceptor = LimitedAcceptor::new(self.acceptor, self.connections);
        let result = Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(app, shutdown, Some(std::time::Duration::from_secs(10)))
            .await;
        sweep.abort();
        if let Some(listener) = listener {
            listener.abort();
        }
        if let Some(monitor) = monitor {
            monitor.abort();
        }
        // sqlx's close waits for every checked-out connection: a request
        // task still running after the graceful-shutdown timeout would hold
        // the process up forever. The process is ending; its sockets close
        // with it.
        let closing = async {
            let _ = self.db.primary().close_by_ref().await;
            if let Some(replica) = &self.db.replica {
                let _ = replica.conn.close_by_ref().await;
            }
        };
        if tokio::time::timeout(std::time::Duration::from_secs(5), closing)
            .await
            .is_err()
        {
            tracing::warn!("connections still in use 5 s into shutdown; exiting without them");
        }
        result
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
