//! The database: connection set-up for SQLite and PostgreSQL, sea-orm
//! entities, and query functions that return domain facts (including the
//! row scopes every read goes through).

pub mod audience;
pub mod bulk;
pub mod entities;
pub mod facts;
pub mod scope;

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    FromQueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

/// A connection pool with the write-transaction policy of Rungs.
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// The ladder as last read, with its version (see `facts::Ladder::current`).
    pub(crate) ladder_cache: LadderCache,
    /// Other data derived from the database, keyed by name, each with the
    /// `Versions` it was computed at (see `derived`).
    derived: Arc<Mutex<Vec<Derived>>>,
}

/// The ladder with the `ladder_version` it was read at.
pub(crate) type LadderCache = Arc<RwLock<Option<(i64, Arc<facts::Ladder>)>>>;

struct Derived {
    key: String,
    heavy: bool,
    versions: Versions,
    value: Arc<dyn Any + Send + Sync>,
}

/// The change counters the database keeps (see migration
/// `m20261126_000004_data_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct Versions {
    pub data: i64,
    pub ladder: i64,
}

/// How many derived values a process keeps: a few heavy ones (snapshots of
/// a whole organisation) and more light ones (small aggregates).
const HEAVY_CAPACITY: usize = 2;
const LIGHT_CAPACITY: usize = 24;

impl Db {
    /// Both change counters, in one statement.
    pub async fn versions(&self) -> Result<Versions, sea_orm::DbErr> {
        let statement = Statement::from_string(
            self.backend(),
            "SELECT (SELECT version FROM data_version WHERE id = 1) AS data, \
                    (SELECT version FROM ladder_version WHERE id = 1) AS ladder"
                .to_owned(),
        );
        Ok(Versions::find_by_statement(statement)
            .one(&self.conn)
            .await?
            .unwrap_or(Versions { data: 0, ladder: 0 }))
    }

    /// A derived value computed at `versions`, if this process has one.
    pub fn derived<T: Any + Send + Sync>(&self, key: &str, versions: Versions) -> Option<Arc<T>> {
        let cache = self.derived.lock().ok()?;
        let found = cache
            .iter()
            .find(|d| d.key == key && d.versions == versions)?;
        found.value.clone().downcast::<T>().ok()
    }

    /// Keeps a derived value (the oldest goes when the cache is full).
    pub fn keep_derived<T: Any + Send + Sync>(
        &self,
        key: &str,
        versions: Versions,
        heavy: bool,
        value: Arc<T>,
    ) {
        if let Ok(mut cache) = self.derived.lock() {
            cache.retain(|d| d.key != key && d.versions == versions);
            let capacity = if heavy {
                HEAVY_CAPACITY
            } else {
                LIGHT_CAPACITY
            };
            if cache.iter().filter(|d| d.heavy == heavy).count() >= capacity {
                if let Some(oldest) = cache.iter().position(|d| d.heavy == heavy) {
                    cache.remove(oldest);
                }
            }
            cache.push(Derived {
                key: key.to_owned(),
                heavy,
                versions,
                value,
            });
        }
    }
}

/// SQL statements issued by this process (all pools), for `/metrics` and the
/// benchmark's statement counts.
pub static STATEMENTS: AtomicU64 = AtomicU64::new(0);
/// Statements that failed.
pub static STATEMENT_ERRORS: AtomicU64 = AtomicU64::new(0);

impl Db {
    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// Begins a transaction that will write.
    ///
    /// On SQLite this is `BEGIN IMMEDIATE`: the write lock is taken at once,
    /// waiting out other writers (in this process or another) for up to the
    /// busy timeout. A deferred transaction that reads and then writes could
    /// instead fail with `SQLITE_BUSY` when another connection wrote in
    /// between, because the busy handler cannot help a lock upgrade. On
    /// PostgreSQL it is a plain `BEGIN`; row locks and conditional updates do
    /// the rest.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, sea_orm::DbErr> {
        self.conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }
}

/// Connects to `url` (`sqlite://...` or `postgres://...`).
///
/// SQLite runs in WAL mode with `synchronous = FULL`: every committed
/// promotion or salary change is on disk before the client hears "ok", even
/// across a power cut (NORMAL would only survive a process crash), foreign
/// keys on, and a 5 s busy timeout for writers from other processes.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("cache_size", "-2000")
                // Sorts and temporary b-trees (GROUP BY, window functions over
                // 100,000s of rows) spill to disk instead of growing the heap.
                .pragma("temp_store", "file")
        });
    let mut conn = Database::connect(options).await?;
    conn.set_metric_callback(|info| {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
        tracing::trace!(target: "rungs::sql", ms = info.elapsed.as_secs_f64() * 1000.0, sql = %info.statement.sql, "statement");
        if info.failed {
            STATEMENT_ERRORS.fetch_add(1, Ordering::Relaxed);
        }
    });
    Ok(Db {
        conn,
        ladder_cache: Arc::new(RwLock::new(None)),
        derived: Arc::new(Mutex::new(Vec::new())),
    })
}

/// Applies pending migrations.
pub async fn migrate(db: &Db) -> Result<(), sea_orm::DbErr> {
    use migrations::MigratorTrait;
    migrations::Migrator::up(&db.conn, None).await
}

/// `text` with its `?` placeholders numbered `$1, $2, ...` for PostgreSQL
/// (SQLite takes them as they are).
pub fn placeholders(backend: sea_orm::DatabaseBackend, text: &str) -> String {
    if backend != sea_orm::DatabaseBackend::Postgres {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}
