//! Read statements on PostgreSQL without sqlx's ping on release (issue 15).
//!
//! A profile of `employee(id:)` under load (`scripts/profile_page.sh`,
//! release build, PostgreSQL) showed every statement costing two round
//! trips: sqlx 0.9 returns a connection to its pool through a task that
//! first *pings* it (a Sync message and its ReadyForQuery), whatever the
//! pool's options say (`test_before_acquire` governs only the acquire side,
//! already limited in `db::connect_with`). That ping was 13.7 % of the
//! server's CPU samples, and as much work again for PostgreSQL, for every
//! statement a read sends.
//!
//! [`Readers`] keeps a few of the pool's connections checked out for good
//! and lends one per statement: no release, so no ping. It runs the
//! statements sea-orm builds, unchanged (`ConnectionTrait`), for the batch
//! loaders of queries. A connection that fails is given back to sqlx (which
//! then closes it) and replaced on the next lease. A lease dropped in the
//! middle of a statement (a cancelled request) is kept: sqlx waits for the
//! server's ReadyForQuery before its next statement on that connection
//! (`PgConnection::wait_until_ready`), so it starts clean. Writes and
//! transactions stay on the pool, and SQLite keeps its pool too.

use std::sync::Mutex;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{PgPool, Postgres};
use sea_orm::{DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Connections lent to read statements, taken from `pool` as needed (at
/// most `size`) and never given back while they work.
pub struct Readers {
    pool: PgPool,
    idle: Mutex<Vec<PoolConnection<Postgres>>>,
    permits: Semaphore,
}

struct Lease<'a> {
    readers: &'a Readers,
    conn: Option<PoolConnection<Postgres>>,
    broken: bool,
    _permit: SemaphorePermit<'a>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if self.broken {
                // Back to sqlx, which pings it, fails, and closes it.
                drop(conn);
            } else {
                self.readers
                    .idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(conn);
            }
        }
    }
}

fn query_err(err: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(err.into()))
}

/// An error that says the connection itself is unusable (rather than the
/// statement wrong).
fn breaks_connection(err: &sea_orm::sqlx::Error) -> bool {
    match err {
        sea_orm::sqlx::Error::Io(_)
        | sea_orm::sqlx::Error::Tls(_)
        | sea_orm::sqlx::Error::Protocol(_)
        | sea_orm::sqlx::Error::PoolClosed
        | sea_orm::sqlx::Error::WorkerCrashed => true,
        // The server's last word before it closes the connection: class 57P
        // (shut down by an administrator, a crash, a restart) or 08
        // (connection exception).
        sea_orm::sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("57P") || code.starts_with("08")),
        _ => false,
    }
}

impl Readers {
    /// At most `size` of `pool`'s connections (keep some for writes).
    pub fn new(pool: PgPool, size: usize) -> Self {
        Readers {
            pool,
            idle: Mutex::new(Vec::with_capacity(size)),
            permits: Semaphore::new(size.max(1)),
        }
    }

    async fn lease(&self) -> Result<Lease<'_>, DbErr> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| DbErr::Custom("the readers are closed".into()))?;
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self
                .pool
                .acquire()
                .await
                .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(e.into())))?,
        };
        Ok(Lease {
            readers: self,
            conn: Some(conn),
            broken: false,
            _permit: permit,
        })
    }

    async fn rows(&self, stmt: &Statement) -> Result<Vec<QueryResult>, DbErr> {
        // A read is safe to run again: once more on a fresh connection when
        // the first one turns out dead (the server restarted, a proxy cut
        // it), as the pool would have replaced it.
        // After a restart every idle connection, lent or pooled, is dead:
        // each attempt discards one, so at most the pool's size plus one.
        let attempts = self.pool.options().get_max_connections() as usize + 1;
        let mut attempt = 1;
        loop {
            match self.rows_once(stmt).await {
                Err((err, true)) if attempt < attempts => {
                    tracing::info!(error = %err, attempt, "a lent connection broke; reading again on another");
                    attempt += 1;
                }
                other => return other.map_err(|(err, _)| err),
            }
        }
    }

    /// The rows, or the error and whether it broke the connection.
    async fn rows_once(&self, stmt: &Statement) -> Result<Vec<QueryResult>, (DbErr, bool)> {
        let values = stmt
            .values
            .clone()
            .unwrap_or_else(|| sea_orm::sea_query::Values(Vec::new()));
        let mut lease = self.lease().await.map_err(|e| (e, false))?;
        let Some(conn) = lease.conn.as_mut() else {
            return Err((DbErr::Custom("no connection".into()), false));
        };
        let query = sea_orm::sqlx::query_with(
            sea_orm::sqlx::AssertSqlSafe(stmt.sql.as_str()),
            SqlxValues(values),
        );
        match query.fetch_all(&mut **conn).await {
            Ok(rows) => {
                crate::db::count_statement(false);
                Ok(rows.into_iter().map(QueryResult::from).collect())
            }
            Err(err) => {
                crate::db::count_statement(true);
                lease.broken = breaks_connection(&err);
                Err((query_err(err), lease.broken))
            }
        }
    }
}

#[sea_orm::prelude::async_trait::async_trait]
impl sea_orm::ConnectionTrait for Readers {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Postgres
    }

    async fn execute_raw(&self, _stmt: Statement) -> Result<ExecResult, DbErr> {
        Err(DbErr::Custom("the readers only read".into()))
    }

    async fn execute_unprepared(&self, _sql: &str) -> Result<ExecResult, DbErr> {
        Err(DbErr::Custom("the readers only read".into()))
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        Ok(self.rows(&stmt).await?.into_iter().next())
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.rows(&stmt).await
    }
}
