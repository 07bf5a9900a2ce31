//! Settings from flags and the environment (clap with `env`).

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://rungs.db?mode=rwc";

#[derive(Parser, Debug)]
#[command(
    name = "rungs",
    version,
    about = "Career mobility and skills tracking: a GraphQL API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// SQLite (sqlite://FILE?mode=rwc) or PostgreSQL (postgres://...) URL.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Connections in the pool.
    #[arg(long, env = "RUNGS_DB_POOL", default_value_t = 8)]
    pub db_pool: u32,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "RUNGS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Seed the demo organisation if the database has no employees, and
    /// print its logins.
    #[cfg(feature = "tools")]
    #[arg(long, env = "RUNGS_DEMO")]
    pub demo: bool,
    /// Log format.
    #[arg(long, env = "RUNGS_LOG_FORMAT", value_enum, default_value = "pretty")]
    pub log_format: LogFormat,
    /// Production mode: introspection, field suggestions and GraphiQL off.
    /// Also on when RUNGS_ENV=production.
    #[arg(long)]
    pub production: bool,
    /// Longest a GraphQL request may run, in milliseconds.
    #[arg(long, env = "RUNGS_REQUEST_TIMEOUT_MS", default_value_t = 10_000)]
    pub request_timeout_ms: u64,
    /// Most connections open at once; one more is closed at once.
    #[arg(long, env = "RUNGS_MAX_CONNECTIONS", default_value_t = 4_096)]
    pub max_connections: usize,
    /// Seconds a client has, from a request's first byte, to send it whole
    /// and be answered (a new connection counts from when it is accepted).
    #[arg(long, env = "RUNGS_CLIENT_TIMEOUT_SECS", default_value_t = 30)]
    pub client_timeout_secs: u64,
    /// Seconds an idle keep-alive connection stays open.
    #[arg(long, env = "RUNGS_KEEP_ALIVE_SECS", default_value_t = 30)]
    pub keep_alive_secs: u64,
    /// Most operations running at once on one `/graphql/ws` socket.
    #[arg(long, env = "RUNGS_WS_MAX_OPERATIONS", default_value_t = 20)]
    pub ws_max_operations: usize,
    /// Most `/graphql/ws` sockets one person may hold open.
    #[arg(long, env = "RUNGS_WS_MAX_SOCKETS", default_value_t = 8)]
    pub ws_max_sockets: usize,
    /// Origins besides the server's own that may open `/graphql/ws`
    /// (comma-separated `scheme://host[:port]`).
    #[arg(long, env = "RUNGS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// A PostgreSQL streaming replica that queries read from while it keeps
    /// up (writes, subscriptions and a client's reads just after its own
    /// writes use the primary).
    #[arg(long, env = "RUNGS_READ_DATABASE_URL")]
    pub read_database_url: Option<String>,
    /// PostgreSQL: keep every employee's row, certificates and facts in
    /// memory (read at start and every 5 minutes, changes heard at once),
    /// so reading anyone's record or progression sends no statement. Costs
    /// memory: about 0.8 KiB per employee, packed (see the README).
    #[arg(long, env = "RUNGS_KEEP_ORGANISATION")]
    pub keep_organisation: bool,
    /// Connections in the replica's pool.
    #[arg(long, env = "RUNGS_READ_DB_POOL", default_value_t = 8)]
    pub read_db_pool: u32,
    /// Most bytes of WAL the replica may be behind before reads go to the
    /// primary.
    #[arg(long, env = "RUNGS_READ_MAX_LAG_BYTES", default_value_t = crate::db::replica::DEFAULT_MAX_LAG_BYTES)]
    pub read_max_lag_bytes: u64,
    /// Milliseconds to keep serving after SIGTERM with `/readyz` answering
    /// 503 (set it above the load balancer's health-check interval).
    #[arg(long, env = "RUNGS_DRAIN_MS", default_value_t = 0)]
    pub drain_ms: u64,
    /// Run only trusted documents: the web app's own operations and those
    /// of `--trusted-documents`; anything else is PERSISTED_QUERY_NOT_IN_LIST.
    #[arg(long, env = "RUNGS_PERSISTED_ONLY")]
    pub persisted_only: bool,
    /// More trusted documents for `--persisted-only`: Apollo's persisted
    /// query manifest, or a JSON object of SHA-256 to text (relay-compiler).
    #[arg(long, env = "RUNGS_TRUSTED_DOCUMENTS", requires = "persisted_only")]
    pub trusted_documents: Option<std::path::PathBuf>,
}

impl ServeArgs {
    /// `--production`, or `RUNGS_ENV=production`.
    pub fn is_production(&self) -> bool {
        self.production
            || std::env::var("RUNGS_ENV").is_ok_and(|v| v.eq_ignore_ascii_case("production"))
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve GraphQL (applies pending migrations first).
    Serve(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate(DatabaseArgs),
    /// Create an account; the password is read from standard input.
    CreateUser(CreateUserArgs),
    /// Add a deterministic synthetic organisation (for demos and benchmarks).
    #[cfg(feature = "tools")]
    Seed(SeedArgs),
    /// Build organisations in fresh databases and print the performance figures.
    #[cfg(feature = "tools")]
    Bench(crate::bench::BenchArgs),
    /// Print the web app's operations as Apollo's persisted query manifest
    /// (the trusted documents of `serve --persisted-only`).
    TrustedDocuments,
    /// Print the GraphQL schema (SDL).
    Schema {
        /// Print the Apollo Federation 2 subgraph SDL instead (what
        /// `_service { sdl }` answers), for composing a supergraph offline
        /// (a production server does not serve it).
        #[arg(long)]
        federation: bool,
    },
    /// Import employees, certifications or reviews from a CSV file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export reports to standard output.
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Employees (idempotent on employee_number; see the README for columns).
    Employees(ImportArgs),
    /// Certifications (natural key: employee, kind, name, issued_on).
    Certifications(ImportArgs),
    /// Performance reviews (natural key: employee, period_end).
    Reviews(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The CSV file (UTF-8, header line first).
    pub file: std::path::PathBuf,
    /// Check every row and report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// One row per employee and ladder step: status, track, eligible_on, gaps.
    Eligibility(ExportEligibilityArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct ExportEligibilityArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Evaluation date (YYYY-MM-DD; default today, UTC).
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
}

#[derive(Args, Debug)]
pub struct CreateUserArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// EMPLOYEE, MANAGER, HR or ADMIN.
    #[arg(long, default_value = "EMPLOYEE")]
    pub access_role: String,
    /// Job role code.
    #[arg(long, default_value = "CSR")]
    pub role: String,
    #[arg(long, default_value = "HQ")]
    pub site: String,
    #[arg(long, default_value = "JP")]
    pub market: String,
    /// Annual salary as a decimal string (the account is paid on an ANNUAL
    /// basis, full time; `updateEmployee` changes either).
    #[arg(long, default_value = "400000")]
    pub salary: String,
    #[arg(long, default_value = "JPY")]
    pub currency: String,
    /// Read the password from standard input (required: never on the command line).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// How many employees to add.
    #[arg(long)]
    pub employees: usize,
    /// Seed of the generator: the same seed gives the same organisation.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}
