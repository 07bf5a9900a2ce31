//! The database: connection set-up for SQLite and PostgreSQL, sea-orm
//! entities, and query functions that return domain facts (including the
//! row scopes every read goes through).

pub mod accounts;
pub mod audience;
pub mod bulk;
pub mod dashboard;
pub mod eligibility_state;
pub mod entities;
pub mod facts;
pub mod kept;
pub mod notify;
pub mod packed;
pub mod paging;
pub mod records;
pub mod replica;
pub mod scope;
pub mod throttle;
pub mod wal_watch;

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    /// Where this handle reads: the primary, or for a query served by a
    /// read replica the replica (see [`Db::for_query`]).
    pub conn: DatabaseConnection,
    /// The primary: writes (`begin_write`) always go here.
    primary: DatabaseConnection,
    /// The read replica, when one is configured (PostgreSQL only).
    pub replica: Option<Arc<replica::Replica>>,
    /// The ladder as last read, with its version (see `facts::Ladder::current`).
    pub(crate) ladder_cache: LadderCache,
    /// Other data derived from the database, keyed by name, each with the
    /// `Versions` it was computed at (see `derived`).
    derived: Arc<Mutex<Vec<Derived>>>,
    /// Held while this process brings the eligibility state up to date, so
    /// concurrent readers wait for one recomputation instead of each doing
    /// it (see `services::eligibility_state`).
    pub(crate) state_lock: Arc<tokio::sync::Mutex<()>>,
    /// Verified tokens, trusted while `notify` hears every change.
    pub sessions: Arc<crate::auth::sessions::SessionCache>,
    /// Employees' facts kept for queries, trusted while `notify` hears
    /// every change (see `kept`).
    pub facts: Arc<kept::KeptFacts>,
    /// Employees' rows kept for queries (see `kept`).
    pub kept_employees: Arc<kept::KeptEmployees>,
    /// Employees' certificates kept for queries (see `kept`).
    pub kept_certifications: Arc<kept::KeptCertifications>,
    /// Waits for this process's own notifications (see `kept::Settle`).
    pub(crate) settle: Arc<kept::Settle>,
    /// `--keep-organisation`: every employee is kept (see [`Db::warm_kept`]).
    keep_organisation: Arc<AtomicBool>,
    /// SQLite (a file): the wal-index header, which tells whether anything
    /// was committed since (see `wal_watch`); none on PostgreSQL.
    pub(crate) wal_watch: Option<Arc<wal_watch::WalWatch>>,
    /// The header the kept tokens and facts were kept under (SQLite).
    wal_seen: Arc<Mutex<Option<wal_watch::Stamp>>>,
}

/// The ladder with the `ladder_version` it was read at.
pub(crate) type LadderCache = Arc<RwLock<Option<(i64, Arc<facts::Ladder>)>>>;

struct Derived {
    key: String,
    heavy: bool,
    /// The versions of what it depends on when it was computed.
    stamp: Vec<i64>,
    value: Arc<dyn Any + Send + Sync>,
}

/// The change counters the database keeps (migrations
/// `m20261126_000004_data_version` and `m20261126_000008`): `data` moves on
/// any change to facts, `ladder` on the ladder; the others each on one
/// group of tables, so a value derived from few tables survives changes to
/// the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct Versions {
    pub data: i64,
    pub ladder: i64,
    /// Employees, their role history, job roles and salary bands.
    pub people: i64,
    pub certifications: i64,
    pub nominations: i64,
}

/// What a derived value depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dep {
    Data,
    Ladder,
    People,
    Certifications,
    Nominations,
}

impl Versions {
    /// The versions of `deps`, in order.
    pub fn stamp(&self, deps: &[Dep]) -> Vec<i64> {
        deps.iter()
            .map(|d| match d {
                Dep::Data => self.data,
                Dep::Ladder => self.ladder,
                Dep::People => self.people,
                Dep::Certifications => self.certifications,
                Dep::Nominations => self.nominations,
            })
            .collect()
    }
}

/// How many derived values a process keeps: a few heavy ones (snapshots of
/// a whole organisation) and more light ones (small aggregates).
const HEAVY_CAPACITY: usize = 2;

/// How long a mutation waits for its own notifications (see
/// [`Db::settle_kept`]) before forgetting everything kept instead.
const SETTLE_WAIT: Duration = Duration::from_secs(2);
const LIGHT_CAPACITY: usize = 24;

impl Db {
    /// Forgets what queries keep between requests (facts, rows,
    /// certificates): after a mutation of this process, whose client reads
    /// what it wrote at once, without waiting for the database's
    /// notification (see `kept`).
    pub fn forget_kept(&self) {
        self.facts.clear();
        self.kept_employees.clear();
        self.kept_certifications.clear();
    }

    /// After a mutation of this process: returns once the listener heard
    /// every notification of what the mutation changed, so its client reads
    /// what it wrote while everyone else's kept records stay (see
    /// `kept::Settle`). When it cannot tell within [`SETTLE_WAIT`], forgets
    /// everything kept, sessions included, as a mutation used to.
    pub async fn settle_kept(&self) {
        use sea_orm::ConnectionTrait;
        if self.backend() != DatabaseBackend::Postgres
            || (!self.kept_employees.is_live() && !self.sessions.is_live())
        {
            return;
        }
        let (nonce, payload, heard) = self.settle.begin();
        let sent = self
            .primary
            .execute_raw(sea_orm::Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [kept::SETTLE_CHANNEL.into(), payload.into()],
            ))
            .await
            .is_ok();
        let settled = sent && matches!(tokio::time::timeout(SETTLE_WAIT, heard).await, Ok(Ok(())));
        if !settled {
            self.settle.abandon(nonce);
            self.sessions.clear();
            self.forget_kept();
        }
    }

    /// On SQLite, at the start of every request with a token: verified
    /// tokens and facts kept hold only while the database's wal-index
    /// header is the one they were kept under (see `wal_watch`). A
    /// different header (anyone committed anything) empties both; none
    /// (unreadable, or being written) turns them off until one is read
    /// again. Nothing on PostgreSQL, where notifications do this.
    pub fn follow_wal(&self) {
        let Some(watch) = &self.wal_watch else {
            return;
        };
        let stamp = watch.stamp();
        let mut seen = self.wal_seen.lock().unwrap_or_else(|e| e.into_inner());
        if *seen == stamp && stamp.is_some() == self.sessions.is_live() {
            return;
        }
        match stamp {
            Some(_) if self.sessions.is_live() => {
                self.sessions.clear();
                self.facts.clear();
            }
            live => {
                self.sessions.set_live(live.is_some());
                self.facts.set_live(live.is_some());
            }
        }
        *seen = stamp;
    }

    /// Turns what queries keep on (the listener hears every change) or off
    /// (it may have missed one), emptying it either way.
    pub fn set_kept_live(&self, live: bool) {
        self.facts.set_live(live);
        self.kept_employees.set_live(live);
        self.kept_certifications.set_live(live);
    }

    /// `--keep-organisation` (issue 15): keeps every employee's row,
    /// certificates and facts for queries, read when the caches go live and
    /// again every `kept::ORGANISATION_REFRESH`. `employee(id:)` and
    /// `progression` for anyone then answer without a statement, at the
    /// cost of the memory they take (the README gives the figures).
    pub fn keep_organisation(&self) {
        self.keep_organisation.store(true, Ordering::Release);
        let (ttl, capacity) = (kept::ORGANISATION_TTL, kept::ORGANISATION_CAPACITY);
        self.facts.resize(ttl, capacity);
        self.kept_employees.resize(ttl, capacity);
        self.kept_certifications.resize(ttl, capacity);
    }

    /// Whether `--keep-organisation` is on.
    pub fn keeps_organisation(&self) -> bool {
        self.keep_organisation.load(Ordering::Acquire)
    }

    /// Reads every employee's row, certificates and facts into what queries
    /// keep, a chunk at a time. Returns how many were kept; nothing while
    /// the kept records are not live.
    pub async fn warm_kept(&self) -> Result<usize, sea_orm::DbErr> {
        use sea_orm::{
            ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
        };
        const CHUNK: u64 = 1_000;
        let mut after = 0i64;
        let mut kept = 0usize;
        let everyone = entities::employee::Entity::find().count(&self.conn).await? as usize;
        self.kept_employees.reserve(everyone);
        self.kept_certifications.reserve(everyone);
        self.facts.reserve(everyone);
        while self.kept_employees.is_live() {
            let ids: Vec<i64> = entities::employee::Entity::find()
                .select_only()
                .column(entities::employee::Column::Id)
                .filter(entities::employee::Column::Id.gt(after))
                .order_by_asc(entities::employee::Column::Id)
                .limit(CHUNK)
                .into_tuple()
                .all(&self.conn)
                .await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let generations = (
                self.kept_employees.generation(),
                self.kept_certifications.generation(),
                self.facts.generation(),
            );
            let rows = records::employees_by_id(&self.conn, &ids).await?;
            let certifications = records::certifications_by_employee(&self.conn, &ids).await?;
            let facts = facts::facts_of(&self.conn, &ids).await?;
            self.kept_employees
                .keep(rows.iter().map(|(id, row)| (*id, row)), generations.0);
            self.kept_certifications.keep(
                certifications.iter().map(|(id, list)| (*id, list)),
                generations.1,
            );
            self.facts
                .keep(facts.iter().map(|(id, f)| (*id, f)), generations.2);
            kept += rows.len();
            after = last;
        }
        Ok(kept)
    }

    /// Every change counter, in one statement.
    pub async fn versions(&self) -> Result<Versions, sea_orm::DbErr> {
        let counter = |name: &str| {
            format!("(SELECT version FROM change_counter WHERE name = '{name}') AS {name}")
        };
        let statement = Statement::from_string(
            self.backend(),
            format!(
                "SELECT (SELECT version FROM data_version WHERE id = 1) AS data, \
                        (SELECT version FROM ladder_version WHERE id = 1) AS ladder, {}, {}, {}",
                counter("people"),
                counter("certifications"),
                counter("nominations")
            ),
        );
        Ok(Versions::find_by_statement(statement)
            .one(&self.conn)
            .await?
            .unwrap_or(Versions {
                data: 0,
                ladder: 0,
                people: 0,
                certifications: 0,
                nominations: 0,
            }))
    }

    /// A derived value computed at `stamp` (see [`Versions::stamp`]), if
    /// this process has one.
    pub fn derived<T: Any + Send + Sync>(&self, key: &str, stamp: &[i64]) -> Option<Arc<T>> {
        let cache = self.derived.lock().ok()?;
        let found = cache.iter().find(|d| d.key == key && d.stamp == stamp)?;
        found.value.clone().downcast::<T>().ok()
    }

    /// Keeps a derived value (the oldest goes when the cache is full).
    pub fn keep_derived<T: Any + Send + Sync>(
        &self,
        key: &str,
        stamp: Vec<i64>,
        heavy: bool,
        value: Arc<T>,
    ) {
        if let Ok(mut cache) = self.derived.lock() {
            cache.retain(|d| d.key != key);
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
                stamp,
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
        self.primary
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }
}

impl Db {
    /// The primary's connection pool.
    pub fn primary(&self) -> &DatabaseConnection {
        &self.primary
    }

    /// This handle reading from the primary.
    pub fn on_primary(&self) -> Db {
        Db {
            conn: self.primary.clone(),
            ..self.clone()
        }
    }

    /// A handle reading from the read replica, for a query by `principal`,
    /// when the replica may serve it now (see [`replica::Replica::serves`]);
    /// `None` means read from the primary.
    pub fn for_query(&self, principal: Option<i64>) -> Option<Db> {
        let replica = self.replica.as_ref()?;
        replica.serves(principal).then(|| Db {
            conn: replica.conn.clone(),
            ..self.clone()
        })
    }

    /// After `principal`'s mutation: their queries read from the primary
    /// until the replica has replayed what they wrote.
    pub async fn note_write(&self, principal: i64) {
        let Some(replica) = &self.replica else {
            return;
        };
        match replica::current_wal_position(&self.primary).await {
            Ok(lsn) => replica.wrote(principal, lsn),
            // Unknown: as if the replica were behind for good (reads go to
            // the primary until the note is forgotten).
            Err(_) => replica.wrote(principal, u64::MAX),
        }
    }

    /// Adds a read replica at `url` (PostgreSQL only), connected lazily so
    /// a replica that is down at start-up does not stop the service.
    pub async fn attach_replica(
        &mut self,
        url: &str,
        max_connections: u32,
        max_lag_bytes: u64,
    ) -> Result<(), sea_orm::DbErr> {
        if self.backend() != DatabaseBackend::Postgres || !url.starts_with("postgres") {
            return Err(sea_orm::DbErr::Custom(
                "a read replica needs PostgreSQL for both the primary and the replica".into(),
            ));
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(0)
            .connect_lazy(true)
            .connect_timeout(replica::CHECK_TIMEOUT)
            .acquire_timeout(Duration::from_secs(2))
            .test_before_acquire_if_idle_for(Duration::from_secs(30))
            .sqlx_logging(false);
        let mut conn = Database::connect(options).await?;
        conn.set_metric_callback(|info| {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                STATEMENT_ERRORS.fetch_add(1, Ordering::Relaxed);
            }
        });
        self.replica = Some(Arc::new(replica::Replica::new(conn, max_lag_bytes)));
        Ok(())
    }

    /// Starts the replica monitor, if there is a replica.
    pub fn spawn_replica_monitor(&self) -> Option<tokio::task::JoinHandle<()>> {
        let replica = self.replica.clone()?;
        let primary = self.primary.clone();
        Some(tokio::spawn(async move {
            loop {
                replica.check(&primary).await;
                tokio::time::sleep(replica::POLL).await;
            }
        }))
    }
}

/// Connects to `url` (`sqlite://...` or `postgres://...`).
///
/// SQLite runs in WAL mode with `synchronous = FULL`: every committed
/// promotion or salary change is on disk before the client hears "ok", even
/// across a power cut (NORMAL would only survive a process crash), foreign
/// keys on, and a 5 s busy timeout for writers from other processes.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sea_orm::DbErr> {
    connect_with(url, max_connections, false).await
}

/// Connects for a bulk load of generated data (`rungs seed`, the bench):
/// on SQLite a 256 MiB page cache (the load's B-trees stay in memory
/// instead of being re-read page by page) and no foreign-key checks, since
/// the generator only writes references to rows it wrote before (a check
/// per row was a fifth of the load). PostgreSQL keeps its checks; see
/// `bulk::pause_triggers`.
pub async fn connect_for_load(url: &str, max_connections: u32) -> Result<Db, sea_orm::DbErr> {
    connect_with(url, max_connections, true).await
}

async fn connect_with(
    url: &str,
    max_connections: u32,
    bulk_load: bool,
) -> Result<Db, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings every connection it takes from the pool by default: a
        // second round trip for each statement outside a transaction (on
        // PostgreSQL a Sync message and its ReadyForQuery). Only a
        // connection idle long enough to have been dropped by the server, a
        // proxy or a firewall is pinged now; a connection that fails anyway
        // fails its statement, which the caller reports as for any other
        // database error.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(!bulk_load)
                .busy_timeout(Duration::from_secs(5))
                .pragma("cache_size", if bulk_load { "-262144" } else { "-2000" })
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
    let mut db = Db {
        primary: conn.clone(),
        conn,
        replica: None,
        ladder_cache: Arc::new(RwLock::new(None)),
        derived: Arc::new(Mutex::new(Vec::new())),
        state_lock: Arc::new(tokio::sync::Mutex::new(())),
        sessions: Arc::default(),
        facts: Arc::default(),
        kept_employees: Arc::default(),
        kept_certifications: Arc::default(),
        settle: Arc::default(),
        keep_organisation: Arc::default(),
        wal_watch: None,
        wal_seen: Arc::default(),
    };
    if db.backend() == DatabaseBackend::Sqlite {
        db.wal_watch = sqlite_file(&db)
            .await?
            .map(|path| Arc::new(wal_watch::WalWatch::new(&path)));
    }
    Ok(db)
}

/// The PostgreSQL advisory lock that migrations run under ("rungsmig").
pub const MIGRATION_LOCK: i64 = 0x7275_6e67_736d_6967;

/// Applies pending migrations (and builds back any index a bulk load left
/// dropped, see `bulk::defer_indexes`), one process at a time: several `rungs serve`
/// or `rungs migrate` processes starting together on one database migrate
/// it once (the first takes the lock and migrates, the others wait and then
/// find nothing pending). On PostgreSQL the lock is an advisory lock held
/// on a connection of its own (outside the pool, so any pool size works);
/// on SQLite it is an exclusive `flock` on `<database file>.migrate.lock`.
pub async fn migrate(db: &Db) -> Result<(), sea_orm::DbErr> {
    use migrations::MigratorTrait;
    match db.backend() {
        DatabaseBackend::Postgres => {
            use sea_orm::sqlx::Connection;
            let err =
                |e: sea_orm::sqlx::Error| sea_orm::DbErr::Custom(format!("migration lock: {e}"));
            let options = db.conn.get_postgres_connection_pool().connect_options();
            let mut holder = sea_orm::sqlx::PgConnection::connect_with(&options)
                .await
                .map_err(err)?;
            sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut holder)
                .await
                .map_err(err)?;
            let result = migrations::Migrator::up(&db.conn, None).await;
            let result = match result {
                Ok(()) => bulk::restore_indexes(db).await,
                failed => failed,
            };
            // Closing the session releases the lock.
            let _ = holder.close().await;
            result
        }
        _ => {
            let _lock = sqlite_migration_lock(db).await?;
            migrations::Migrator::up(&db.conn, None).await?;
            bulk::restore_indexes(db).await
        }
    }
}

/// The SQLite database's file (none in memory).
async fn sqlite_file(db: &Db) -> Result<Option<String>, sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    let row = db
        .conn
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?;
    let path: String = match row {
        Some(row) => row.try_get("", "file")?,
        None => String::new(),
    };
    Ok((!path.is_empty()).then_some(path))
}

/// An exclusive lock on a file beside the SQLite database, held until the
/// returned file is dropped (none for an in-memory database).
async fn sqlite_migration_lock(db: &Db) -> Result<Option<std::fs::File>, sea_orm::DbErr> {
    let Some(path) = sqlite_file(db).await? else {
        return Ok(None);
    };
    let lock_path = format!("{path}.migrate.lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        lock_exclusive(&file)?;
        Ok::<_, std::io::Error>(Some(file))
    })
    .await
    .map_err(|e| sea_orm::DbErr::Custom(format!("migration lock: {e}")))?
    .map_err(|e| sea_orm::DbErr::Custom(format!("migration lock: {e}")))
}

#[cfg(unix)]
fn lock_exclusive(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this function's caller owns; the lock
    // ends when the file is closed.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
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
