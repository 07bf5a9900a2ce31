//! A PostgreSQL streaming replica for reads (issue 17):
//! `--read-database-url` / `RUNGS_READ_DATABASE_URL`.
//!
//! - Queries (GraphQL query operations over HTTP) read from the replica
//!   while it is [`Health::Ok`]. Mutations, subscriptions, token checks,
//!   write transactions (`Db::begin_write`) and the background sweep use the
//!   primary.
//! - A client reads its own writes: after a principal's mutation, this
//!   process notes the primary's WAL position (`pg_current_wal_lsn()`), and
//!   that principal's queries go to the primary until the replica has
//!   replayed past it.
//! - A monitor polls both every [`POLL`]: the replica's replayed position
//!   and the primary's current one. A replica that does not answer within
//!   [`CHECK_TIMEOUT`] is [`Health::Down`]; one more than `max_lag_bytes`
//!   behind is [`Health::Lagging`]; either way every read goes to the
//!   primary until it is back. Until the first check succeeds, reads go to
//!   the primary.
//! - `/readyz` reports both (see `http::readyz`); a replica that is down
//!   does not make the instance unready, since the primary serves its reads.
//!
//! Several instances may share one replica; each monitors it on its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// How often the monitor checks the replica.
pub const POLL: Duration = Duration::from_millis(100);

/// How long a check may take before the replica counts as down.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// How long a principal's write is remembered at most (the replica is
/// lagging or down if it has not replayed it by then, and then every read
/// goes to the primary anyway).
const REMEMBER_WRITE: Duration = Duration::from_secs(60);

/// Most principals remembered at once; beyond it the oldest are forgotten
/// only once the replica has replayed them or [`REMEMBER_WRITE`] passed.
const MAX_WRITERS: usize = 100_000;

/// The default most bytes of WAL the replica may be behind.
pub const DEFAULT_MAX_LAG_BYTES: u64 = 16 * 1024 * 1024;

/// What the monitor last found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// Not checked yet.
    Unknown,
    Ok,
    Lagging,
    Down,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Unknown => "unknown",
            Health::Ok => "ok",
            Health::Lagging => "lagging",
            Health::Down => "down",
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            1 => Health::Ok,
            2 => Health::Lagging,
            3 => Health::Down,
            _ => Health::Unknown,
        }
    }

    fn to_u8(self) -> u8 {
        match self {
            Health::Unknown => 0,
            Health::Ok => 1,
            Health::Lagging => 2,
            Health::Down => 3,
        }
    }
}

/// The replica's connection pool and what is known of it.
pub struct Replica {
    pub conn: DatabaseConnection,
    max_lag_bytes: u64,
    health: AtomicU8,
    replayed: AtomicU64,
    lag_bytes: AtomicU64,
    /// Principal → (WAL position of their latest write, when).
    writes: Mutex<HashMap<i64, (u64, Instant)>>,
}

impl Replica {
    pub fn new(conn: DatabaseConnection, max_lag_bytes: u64) -> Self {
        Replica {
            conn,
            max_lag_bytes,
            health: AtomicU8::new(Health::Unknown.to_u8()),
            replayed: AtomicU64::new(0),
            lag_bytes: AtomicU64::new(0),
            writes: Mutex::new(HashMap::new()),
        }
    }

    pub fn health(&self) -> Health {
        Health::from_u8(self.health.load(Ordering::Acquire))
    }

    /// Bytes of WAL the replica was behind at the last check.
    pub fn lag_bytes(&self) -> u64 {
        self.lag_bytes.load(Ordering::Acquire)
    }

    /// Whether a query by `principal` may read from the replica now.
    pub fn serves(&self, principal: Option<i64>) -> bool {
        if self.health() != Health::Ok {
            return false;
        }
        let Some(principal) = principal else {
            return true;
        };
        let Ok(mut writes) = self.writes.lock() else {
            return false;
        };
        match writes.get(&principal) {
            None => true,
            Some((lsn, _)) if *lsn <= self.replayed.load(Ordering::Acquire) => {
                writes.remove(&principal);
                true
            }
            Some(_) => false,
        }
    }

    /// Notes that `principal` wrote, up to the primary's WAL position `lsn`.
    pub fn wrote(&self, principal: i64, lsn: u64) {
        if let Ok(mut writes) = self.writes.lock() {
            if writes.len() >= MAX_WRITERS {
                let replayed = self.replayed.load(Ordering::Acquire);
                writes.retain(|_, (l, at)| *l > replayed && at.elapsed() < REMEMBER_WRITE);
            }
            writes.insert(principal, (lsn, Instant::now()));
        }
    }

    /// One check: the replica's replayed position against the primary's.
    pub async fn check(&self, primary: &DatabaseConnection) {
        let found = tokio::time::timeout(CHECK_TIMEOUT, positions(primary, &self.conn)).await;
        let health = match found {
            Ok(Ok((current, replayed))) => {
                let lag = current.saturating_sub(replayed);
                self.replayed.store(replayed, Ordering::Release);
                self.lag_bytes.store(lag, Ordering::Release);
                if lag > self.max_lag_bytes {
                    Health::Lagging
                } else {
                    Health::Ok
                }
            }
            Ok(Err(err)) => {
                if self.health() != Health::Down {
                    tracing::warn!(error = %err, "the read replica does not answer: reads go to the primary");
                }
                Health::Down
            }
            Err(_) => Health::Down,
        };
        let before = Health::from_u8(self.health.swap(health.to_u8(), Ordering::AcqRel));
        if before != health && health != Health::Down {
            tracing::info!(
                health = health.as_str(),
                lag_bytes = self.lag_bytes(),
                "read replica"
            );
        }
        if let Ok(mut writes) = self.writes.lock() {
            let replayed = self.replayed.load(Ordering::Acquire);
            writes.retain(|_, (l, at)| *l > replayed && at.elapsed() < REMEMBER_WRITE);
        }
    }
}

/// The primary's current WAL position and the replica's replayed one (a
/// server that is not in recovery reports its current position).
async fn positions(
    primary: &DatabaseConnection,
    replica: &DatabaseConnection,
) -> Result<(u64, u64), DbErr> {
    let replayed = wal_position(
        replica,
        "SELECT COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text AS lsn",
    )
    .await?;
    let current = current_wal_position(primary).await?;
    Ok((current, replayed))
}

/// The primary's current WAL position.
pub async fn current_wal_position<C: ConnectionTrait>(primary: &C) -> Result<u64, DbErr> {
    wal_position(primary, "SELECT pg_current_wal_lsn()::text AS lsn").await
}

async fn wal_position<C: ConnectionTrait>(conn: &C, sql: &str) -> Result<u64, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?
        .ok_or_else(|| DbErr::Custom("no WAL position".into()))?;
    let text: String = row.try_get("", "lsn")?;
    parse_lsn(&text).ok_or_else(|| DbErr::Custom("an unreadable WAL position".into()))
}

/// `"16/B374D848"` → 0x16_B374D848.
pub fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    let high = u64::from_str_radix(high, 16).ok()?;
    let low = u64::from_str_radix(low, 16).ok()?;
    (high <= u64::from(u32::MAX) && low <= u64::from(u32::MAX)).then_some((high << 32) | low)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wal_positions_parse_as_postgresql_writes_them() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some(0x16_B374_D848));
        assert_eq!(parse_lsn("1/1"), Some((1 << 32) + 1));
        assert_eq!(parse_lsn("16B374D848"), None);
        assert_eq!(parse_lsn("x/1"), None);
    }

    #[test]
    fn health_round_trips() {
        for h in [Health::Unknown, Health::Ok, Health::Lagging, Health::Down] {
            assert_eq!(Health::from_u8(h.to_u8()), h);
        }
    }
}
