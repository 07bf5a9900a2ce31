//! `rungs bench`: builds organisations in fresh databases and prints the
//! figures of the performance targets, for SQLite and PostgreSQL:
//!
//! - seed time for N employees;
//! - `dashboard { eligibility(groupBy: SITE) }`: median latency cold (first
//!   request for an `asOf`, nothing cached) and warm (cached snapshot), at N
//!   and at N/10 (how cost grows);
//! - the full dashboard, every field, cold and warm;
//! - `employees(first: 100)` with role, manager, certifications and
//!   `progression { eligible }`: median latency and SQL statements issued;
//! - `employee(id) { plan(targetRoleCode: "TEAM_LEAD") }` for CSRs:
//!   median latency and SQL statements;
//! - `me { progression { options { status } } }` throughput with 32
//!   concurrent clients, p50/p99, errors, next to a `{ __typename }`
//!   baseline in the same run;
//! - peak memory (VmHWM) of the server process.
//!
//! The server runs as a child process (`rungs serve`) so that its memory is
//! its own; this process is the load generator. Medians come from repeated
//! requests in one run; the machine is shared, so compare ratios.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _};
use chrono::{Days, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde_json::{json, Value};

use crate::auth::token;
use crate::db::entities::enums as stored;
use crate::db::entities::{employee, login_session};
use crate::db::{self, Db};
use crate::domain::enums::{AccessRole, EmploymentType, WorkArrangement};
use crate::error::AppError;
use crate::services::employees::{self, NewEmployee};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Employees in the large organisation.
    #[arg(long, default_value_t = 100_000)]
    pub employees: usize,
    /// PostgreSQL server to create the benchmark databases on.
    #[arg(
        long,
        env = "RUNGS_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
    /// Only SQLite.
    #[arg(long)]
    pub skip_postgres: bool,
    /// Repetitions behind each median.
    #[arg(long, default_value_t = 15)]
    pub runs: usize,
    /// Seconds of sustained load for the throughput figures.
    #[arg(long, default_value_t = 10)]
    pub load_seconds: u64,
    /// Concurrent clients for the throughput figures.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Reviews recorded per second (one client) while another client asks
    /// the dashboard back to back, for the "dashboard under writes" figures.
    #[arg(long, default_value_t = 10)]
    pub writes_per_second: u32,
    /// Only the dashboards at scale (for `--employees 1000000`): seed time,
    /// today's eligibility just after a (re)start and just after a write,
    /// the dashboards under a write stream, and peak memory.
    #[arg(long)]
    pub dashboards_only: bool,
    /// Only merit cycles at scale (issue 20): opening a cycle over every
    /// employee, and closing it with a proposal for each (one pay change
    /// per person, one transaction).
    #[arg(long)]
    pub merit_only: bool,
    /// Only internal mobility at scale (issue 21): an employee's list of
    /// the open openings with their standing, and an opening's ranked
    /// applicants (500), through the API.
    #[arg(long)]
    pub mobility_only: bool,
}

const BENCH_PASSWORD: &str = "benchmark-password-2026";

const ELIGIBILITY_BY_SITE: &str = "query($d: Date) { dashboard(asOf: $d) { eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible stalled } } }";
const FULL_DASHBOARD: &str = "query($d: Date) { dashboard(asOf: $d) { \
    byRole: headcount(groupBy: ROLE) { key count } bySite: headcount(groupBy: SITE) { key count } \
    byMarket: headcount(groupBy: MARKET) { key count } byManager: headcount(groupBy: MANAGER) { key count } \
    eRole: eligibility(groupBy: ROLE) { key total eligible fastTrack notYet ineligible stalled } \
    eSite: eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible stalled } \
    eMarket: eligibility(groupBy: MARKET) { key total eligible } eManager: eligibility(groupBy: MANAGER) { key total eligible } \
    certificationCoverage { kind level holders share } \
    cRole: compaRatios(groupBy: ROLE) { key count min p25 median p75 max belowMin aboveMax } \
    cMarket: compaRatios(groupBy: MARKET) { key count min p25 median p75 max belowMin aboveMax } \
    nominationFunnel { pending approved rejected withdrawn medianDaysToDecision } \
    leadershipCoverage { site csrs teamLeads neededAtMost15 neededAt10 understaffed } \
    promotionVelocity { roleCode promotions medianMonthsToPromotion } \
    courseImpact { course { title } peopleUnblocked seatsLeft nextSessionOn } } }";
const PLAN: &str = "query($id: ID!) { employee(id: $id) { plan(targetRoleCode: \"TEAM_LEAD\") { \
    status eligibleOn summary actions { kind description dueOn seatsLeft closes { kind message } } } } }";
const SOME_CSRS: &str = "{ employees(first: 20, filter: { roleCode: \"CSR\" }) { nodes { id } } }";
const EMPLOYEE_PAGE: &str = "{ employees(first: 100) { nodes { id name role { code } manager { name } certifications { kind status } progression { eligible } } } }";
const ME_PROGRESSION: &str = "{ me { progression { options { status } } } }";
const TYPENAME: &str = "{ __typename }";

struct Server {
    child: std::process::Child,
    base: String,
    client: reqwest::Client,
}

impl Server {
    async fn start(database_url: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let exe = std::env::current_exe()?;
        let child = std::process::Command::new(exe)
            .args([
                "serve",
                "--database-url",
                database_url,
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("starting the server")?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(64)
                .build()?,
        };
        for _ in 0..200 {
            if let Ok(r) = server
                .client
                .get(format!("{}/readyz", server.base))
                .send()
                .await
            {
                if r.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(anyhow!("the server did not become ready"))
    }

    async fn gql(&self, query: &str, variables: Value, token: &str) -> anyhow::Result<Value> {
        let response = self
            .client
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?;
        Ok(response.json().await?)
    }

    async fn statements(&self) -> anyhow::Result<u64> {
        let text = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await?
            .text()
            .await?;
        text.lines()
            .find_map(|l| l.strip_prefix("rungs_db_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .ok_or_else(|| anyhow!("no statement counter in /metrics"))
    }

    /// Peak resident memory of the server, in MiB.
    fn peak_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    crate::services::dashboard::percentile(&values, 0.5)
}

async fn timed(server: &Server, query: &str, variables: Value, token: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let body = server.gql(query, variables, token).await?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if body.get("errors").is_some() {
        return Err(anyhow!("benchmark query failed: {body}"));
    }
    Ok(ms)
}

/// Cold: a different `asOf` each time (nothing cached). Warm: the same one.
async fn cold_and_warm(
    server: &Server,
    query: &str,
    token: &str,
    runs: usize,
) -> anyhow::Result<(f64, f64)> {
    let today = Utc::now().date_naive();
    let mut cold = Vec::new();
    for i in 0..runs.clamp(3, 7) {
        let day = today
            .checked_sub_days(Days::new(i as u64 + 1))
            .unwrap_or(today);
        cold.push(timed(server, query, json!({ "d": day.to_string() }), token).await?);
    }
    let mut warm = Vec::new();
    timed(server, query, json!({ "d": today.to_string() }), token).await?;
    for _ in 0..runs {
        warm.push(timed(server, query, json!({ "d": today.to_string() }), token).await?);
    }
    Ok((median(cold), median(warm)))
}

struct Load {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    requests: u64,
}

/// `query` from `args.clients` clients for `args.load_seconds` (an empty
/// token: no `Authorization` header).
async fn load(server: &Server, query: &'static str, tokens: &[String], args: &BenchArgs) -> Load {
    let (clients, seconds) = (args.clients, args.load_seconds);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let client = server.client.clone();
        let url = format!("{}/graphql", server.base);
        let token = tokens[i % tokens.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let body = json!({ "query": query }).to_string();
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut request = client.post(&url);
                if !token.is_empty() {
                    request = request.bearer_auth(&token);
                }
                let result = request
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let ok = match result {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(b) => !b.windows(9).any(|w| w == b"\"errors\":"),
                        Err(_) => false,
                    },
                    _ => false,
                };
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((latencies, e)) = task.await {
            all.extend(latencies);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Load {
        per_second: all.len() as f64 / elapsed,
        p50_ms: crate::services::dashboard::percentile(&all, 0.5),
        p99_ms: crate::services::dashboard::percentile(&all, 0.99),
        errors,
        requests: all.len() as u64,
    }
}

const RECORD_REVIEW: &str =
    "mutation($input: RecordReviewInput!) { recordReview(input: $input) { id } }";

/// Latencies of a dashboard query asked back to back while another client
/// records `args.writes_per_second` reviews, for `args.load_seconds`.
struct UnderWrites {
    reads: Vec<f64>,
    writes: Vec<f64>,
    write_errors: u64,
}

async fn under_writes(
    server: &Server,
    query: &str,
    token: &str,
    employee_ids: &[String],
    args: &BenchArgs,
) -> anyhow::Result<UnderWrites> {
    let (per_second, seconds) = (args.writes_per_second, args.load_seconds);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let today = Utc::now().date_naive();
    let writer = {
        let client = server.client.clone();
        let url = format!("{}/graphql", server.base);
        let token = token.to_owned();
        let ids = employee_ids.to_vec();
        let interval = Duration::from_secs_f64(1.0 / f64::from(per_second.max(1)));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            let mut writes = Vec::new();
            let mut errors = 0u64;
            let mut i = 0usize;
            while Instant::now() < deadline && !ids.is_empty() {
                ticks.tick().await;
                // A new (employee, period) pair every time.
                let id = &ids[i % ids.len()];
                let period_end = today - chrono::Days::new(1 + (i / ids.len()) as u64);
                i += 1;
                let body = json!({ "query": RECORD_REVIEW, "variables": { "input": {
                    "employeeId": id, "periodEnd": period_end.to_string(), "rating": 3.5 + (i % 3) as f64 * 0.5,
                } } });
                let started = Instant::now();
                let ok = match client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) => r
                        .json::<Value>()
                        .await
                        .map(|v| v.get("errors").is_none())
                        .unwrap_or(false),
                    Err(_) => false,
                };
                writes.push(started.elapsed().as_secs_f64() * 1000.0);
                errors += u64::from(!ok);
            }
            (writes, errors)
        })
    };
    let mut reads = Vec::new();
    let day = json!({ "d": today.to_string() });
    while Instant::now() < deadline {
        reads.push(timed(server, query, day.clone(), token).await?);
    }
    let (writes, write_errors) = writer.await.unwrap_or_default();
    Ok(UnderWrites {
        reads,
        writes,
        write_errors,
    })
}

fn describe_under_writes(label: &str, figures: &UnderWrites, per_second: u32) {
    let mut reads = figures.reads.clone();
    reads.sort_by(f64::total_cmp);
    let over = reads.iter().filter(|ms| **ms > 100.0).count();
    println!(
        "{label} under {per_second} writes/s: {} answers, p50 {:.1} ms, p95 {:.1} ms, {:.0}% over 100 ms",
        reads.len(),
        crate::services::dashboard::percentile(&reads, 0.5),
        crate::services::dashboard::percentile(&reads, 0.95),
        100.0 * over as f64 / reads.len().max(1) as f64
    );
    println!(
        "  recordReview meanwhile: {} writes, median {:.1} ms, {} errors",
        figures.writes.len(),
        median(figures.writes.clone()),
        figures.write_errors
    );
}

/// An HR account to sign in with, and live sessions for some employees.
async fn accounts(db: &Db, clients: usize) -> anyhow::Result<(String, Vec<String>)> {
    let email = format!("bench.hr.{}@rungs.example", std::process::id());
    employees::create(
        db,
        None,
        NewEmployee {
            employee_number: None,
            name: "Bench HR".into(),
            email: email.clone(),
            access_role: AccessRole::Hr,
            role_code: "HR_GENERALIST".into(),
            manager_id: None,
            site: "Tokyo".into(),
            market: "JP".into(),
            work_arrangement: WorkArrangement::Onsite,
            employment_type: EmploymentType::FullTime,
            hired_on: Utc::now().date_naive(),
            role_since: None,
            salary: "600000".into(),
            currency: "JPY".into(),
            pay_basis: crate::domain::enums::PayBasis::Annual,
            fte: 1.0,
            initial_password: Some(BENCH_PASSWORD.into()),
        },
    )
    .await
    .map_err(AppError::into_anyhow)?;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
    let ids: Vec<i64> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .filter(employee::Column::AccessRole.eq(stored::AccessRole::Employee))
        .limit(clients as u64)
        .into_tuple()
        .all(&db.conn)
        .await?;
    let mut tokens = Vec::new();
    let now = Utc::now();
    for id in ids {
        let raw = token::generate();
        login_session::ActiveModel {
            token_hash: Set(token::digest(&raw)),
            employee_id: Set(id),
            created_at: Set(now),
            expires_at: Set(now + chrono::Duration::hours(1)),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&db.conn)
        .await?;
        tokens.push(raw);
    }
    Ok((email, tokens))
}

async fn login(server: &Server, email: &str) -> anyhow::Result<String> {
    let body = server
        .client
        .post(format!("{}/graphql", server.base))
        .json(&json!({ "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }", "variables": { "e": email, "p": BENCH_PASSWORD } }))
        .send()
        .await?
        .json::<Value>()
        .await?;
    body["data"]["login"]["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("bench login failed: {body}"))
}

/// A fresh database URL for `backend` ("sqlite" or "postgres").
async fn fresh_database(backend: &str, args: &BenchArgs, label: &str) -> anyhow::Result<String> {
    let name = format!("rungs_bench_{}_{label}", std::process::id());
    if backend == "postgres" {
        let admin = sea_orm::Database::connect(args.postgres_url.as_str()).await?;
        let stmt = |sql: String| Statement::from_string(admin.get_database_backend(), sql);
        admin
            .execute_raw(stmt(format!("DROP DATABASE IF EXISTS {name}")))
            .await?;
        admin
            .execute_raw(stmt(format!("CREATE DATABASE {name}")))
            .await?;
        let _ = admin.close().await;
        let base = args
            .postgres_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&args.postgres_url);
        Ok(format!("{base}/{name}"))
    } else {
        let path = std::env::temp_dir().join(format!("{name}.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        Ok(format!("sqlite://{}?mode=rwc", path.display()))
    }
}

async fn drop_database(backend: &str, args: &BenchArgs, url: &str) {
    let name = url.rsplit_once('/').map(|(_, n)| n).unwrap_or_default();
    if backend == "postgres" {
        if let Ok(admin) = sea_orm::Database::connect(args.postgres_url.as_str()).await {
            let _ = admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ))
                .await;
        }
    } else if let Some(path) = url
        .strip_prefix("sqlite://")
        .and_then(|p| p.split('?').next())
    {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

async fn seeded(
    backend: &str,
    args: &BenchArgs,
    employees: usize,
    label: &str,
) -> anyhow::Result<(String, f64, String, Vec<String>)> {
    let url = fresh_database(backend, args, label).await?;
    let db = db::connect_for_load(&url, 4).await?;
    db::migrate(&db).await?;
    let report = crate::seed::seed(&db, employees, 42, Utc::now().date_naive())
        .await
        .map_err(AppError::into_anyhow)?;
    let (email, tokens) = accounts(&db, args.clients).await?;
    let _ = db.conn.close().await;
    Ok((url, report.seconds, email, tokens))
}

/// The ids of up to 20 CSRs.
async fn some_csrs(server: &Server, token: &str) -> anyhow::Result<Vec<String>> {
    let csrs = server.gql(SOME_CSRS, json!({}), token).await?;
    Ok(csrs["data"]["employees"]["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// `--merit-only`: open a merit cycle over everyone (targets: <= 5 s at
/// 100,000), then close it with a 3 % proposal for each person but the
/// closer (targets: <= 30 s on SQLite, <= 60 s on PostgreSQL). The
/// proposals are written with one statement (the managers' work is not
/// what is measured); opening and closing run the service functions the
/// API calls.
async fn merit_at_scale(args: &BenchArgs, backend: &str) -> anyhow::Result<()> {
    use crate::services::merit;
    println!(
        "\n== {backend}: merit cycle over {} employees ==",
        args.employees
    );
    let (url, seed_seconds, email, _) = seeded(backend, args, args.employees, "merit").await?;
    println!("seed {} employees: {seed_seconds:.1} s", args.employees);
    let db = db::connect(&url, 8).await?;
    let hr = employee::Entity::find()
        .filter(employee::Column::Email.eq(email.as_str()))
        .one(&db.conn)
        .await?
        .ok_or_else(|| anyhow!("bench HR account missing"))?;
    let principal = crate::auth::Principal {
        employee_id: hr.id,
        access_role: AccessRole::Hr,
        session_id: 0,
    };
    let today = Utc::now().date_naive();
    let started = Instant::now();
    let cycle = merit::open(
        &db,
        &principal,
        merit::OpenInput {
            name: "Bench merit cycle".into(),
            effective_on: today,
            budget_percent: 100.0,
            budget_by: merit::BudgetBy::Site,
            market: None,
            matrix: None,
        },
    )
    .await
    .map_err(AppError::into_anyhow)?;
    let open_seconds = started.elapsed().as_secs_f64();
    let backend_kind = db.backend();
    let proposer = employee::Entity::find()
        .filter(employee::Column::Id.ne(hr.id))
        .one(&db.conn)
        .await?
        .ok_or_else(|| anyhow!("nobody to propose"))?
        .id;
    let now = Utc::now();
    let sql = db::placeholders(
        backend_kind,
        "INSERT INTO merit_proposal (cycle_id, employee_id, budget_id, percent_bp, before_minor, new_minor, \
           currency, charged_minor, justification, proposed_by_id, created_at, updated_at) \
         SELECT ?, e.id, b.id, 300, e.salary_minor, e.salary_minor + (e.salary_minor * 3 + 50) / 100, \
           e.currency, 0, NULL, ?, ?, ? \
         FROM employee e JOIN merit_budget b ON b.cycle_id = ? AND b.scope = e.site AND b.currency = e.currency \
         WHERE e.hired_on <= ? AND e.id <> ?",
    );
    let proposals = db
        .conn
        .execute_raw(Statement::from_sql_and_values(
            backend_kind,
            sql,
            [
                cycle.id.into(),
                proposer.into(),
                now.into(),
                now.into(),
                cycle.id.into(),
                today.into(),
                hr.id.into(),
            ],
        ))
        .await?
        .rows_affected();
    let started = Instant::now();
    merit::close(&db, &principal, cycle.id, today)
        .await
        .map_err(AppError::into_anyhow)?;
    let close_seconds = started.elapsed().as_secs_f64();
    let target = if backend == "sqlite" { 30.0 } else { 60.0 };
    println!(
        "open a merit cycle over {} employees: {open_seconds:.2} s (target: <= 5 s)",
        args.employees
    );
    println!("close it: {proposals} pay changes in one transaction: {close_seconds:.2} s (target: <= {target:.0} s)");
    let _ = db.conn.close().await;
    drop_database(backend, args, &url).await;
    Ok(())
}

const OPENINGS_PAGE: &str =
    "query($after: String) { openings(first: 100, after: $after, filter: { status: OPEN }) { \
    totalCount pageInfo { endCursor hasNextPage } nodes { id site role { code } \
    myStanding { status eligibleOn gaps { kind message } } } } }";
const RANKED_APPLICANTS: &str =
    "query($id: ID!) { node(id: $id) { ... on Opening { applications(first: 100) { \
    totalCount nodes { status applicant { name } standing { status eligibleOn } } } } } }";

const SLATES_TOKYO: &str =
    "{ successionSlates(site: \"Tokyo\") { roleCode successors { readiness employee { name } } } }";
const NINE_BOX_TOKYO: &str = "{ nineBox(site: \"Tokyo\") { count employees { name } } }";
const BENCH_STRENGTH: &str = "{ dashboard { benchStrength { site readyNow atRisk } } }";

/// `--mobility-only` (issue 21): with `rungs seed`'s openings (one per 500
/// people, at most 200, the first with 500 applications), the medians of
/// an employee's list of open openings with their standing (every page,
/// targets <= 50 ms) and of the first opening's ranked applicants (all 500
/// ranked, first page returned; target <= 100 ms), through the API.
async fn mobility_at_scale(args: &BenchArgs, backend: &str) -> anyhow::Result<()> {
    use crate::db::entities::opening;
    use sea_orm::{PaginatorTrait, QueryOrder};
    println!(
        "\n== {backend}: internal mobility at {} employees ==",
        args.employees
    );
    let (url, seed_seconds, email, tokens) =
        seeded(backend, args, args.employees, "mobility").await?;
    println!("seed {} employees: {seed_seconds:.1} s", args.employees);
    let db = db::connect(&url, 2).await?;
    let openings = opening::Entity::find().count(&db.conn).await?;
    let first = opening::Entity::find()
        .order_by_asc(opening::Column::Id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| anyhow!("the seed posted no opening"))?;
    let _ = db.conn.close().await;
    let server = Server::start(&url).await?;
    let hr = login(&server, &email).await?;
    let employee = tokens
        .first()
        .ok_or_else(|| anyhow!("no employee account"))?;
    let every_page = || async {
        let started = Instant::now();
        let mut after = Value::Null;
        let mut pages = 0;
        loop {
            let body = server
                .gql(OPENINGS_PAGE, json!({ "after": after }), employee)
                .await?;
            if body.get("errors").is_some() {
                return Err(anyhow!("openings failed: {body}"));
            }
            pages += 1;
            let info = &body["data"]["openings"]["pageInfo"];
            if info["hasNextPage"] != true {
                break;
            }
            after = info["endCursor"].clone();
        }
        Ok::<_, anyhow::Error>((started.elapsed().as_secs_f64() * 1000.0, pages))
    };
    every_page().await?;
    let mut list = Vec::new();
    let mut pages = 0;
    for _ in 0..args.runs.max(3) {
        let (ms, n) = every_page().await?;
        list.push(ms);
        pages = n;
    }
    let id = crate::graphql::ids::of(crate::graphql::ids::Kind::Opening, first.id);
    let vars = json!({ "id": id.to_string() });
    let probe = server.gql(RANKED_APPLICANTS, vars.clone(), &hr).await?;
    let ranked = probe["data"]["node"]["applications"]["totalCount"].clone();
    let mut applicants = Vec::new();
    for _ in 0..args.runs.max(3) {
        applicants.push(timed(&server, RANKED_APPLICANTS, vars.clone(), &hr).await?);
    }
    println!(
        "an employee's open openings with their standing ({openings} openings, {pages} pages of 100): median {:.1} ms (target: <= 50 ms)",
        median(list)
    );
    println!(
        "an opening's ranked applicants ({ranked} ranked, first 100 returned): median {:.1} ms (target: <= 100 ms)",
        median(applicants)
    );
    // Succession as HR: one site's slates and 9-box, and every site's
    // bench (the engine over every CSR; no target in the issue).
    for (label, query, vars) in [
        ("successionSlates(site: Tokyo)", SLATES_TOKYO, json!({})),
        ("nineBox(site: Tokyo)", NINE_BOX_TOKYO, json!({})),
        (
            "dashboard { benchStrength } (every site)",
            BENCH_STRENGTH,
            json!({}),
        ),
    ] {
        let probe = server.gql(query, vars.clone(), &hr).await?;
        if probe.get("errors").is_some() {
            return Err(anyhow!("{label} failed: {probe}"));
        }
        let mut times = Vec::new();
        for _ in 0..args.runs.clamp(3, 5) {
            times.push(timed(&server, query, vars.clone(), &hr).await?);
        }
        println!("{label}: median {:.1} ms", median(times));
    }
    drop(server);
    drop_database(backend, args, &url).await;
    Ok(())
}

/// `--dashboards-only`: the issue-14 figures at any size, one backend.
async fn dashboards_at_scale(args: &BenchArgs, backend: &str) -> anyhow::Result<()> {
    println!(
        "\n== {backend}: dashboards at {} employees ==",
        args.employees
    );
    let (url, seed_seconds, email, _) = seeded(backend, args, args.employees, "scale").await?;
    println!("seed {} employees: {seed_seconds:.1} s", args.employees);
    let today = json!({ "d": Utc::now().date_naive().to_string() });
    // Just after a restart: a fresh process, nothing in memory.
    let server = Server::start(&url).await?;
    let hr = login(&server, &email).await?;
    after_restart(&server, &hr, &today, args.runs).await?;
    let ids = some_csrs(&server, &hr).await?;
    after_writes(&server, &hr, &ids, &today, args.runs).await?;
    full_dashboard_twice(&server, &hr, &today).await;
    let eligibility_writes = under_writes(&server, ELIGIBILITY_BY_SITE, &hr, &ids, args).await?;
    describe_under_writes(
        "eligibility(SITE) today",
        &eligibility_writes,
        args.writes_per_second,
    );
    match under_writes(&server, FULL_DASHBOARD, &hr, &ids, args).await {
        Ok(figures) => {
            describe_under_writes("full dashboard today", &figures, args.writes_per_second)
        }
        Err(err) => println!("full dashboard today under writes: failed ({err})"),
    }
    match server.peak_mib() {
        Some(mib) => println!("server peak memory (VmHWM): {mib:.1} MiB (target: <= 300 MiB)"),
        None => println!("server peak memory: unavailable"),
    }
    drop(server);
    drop_database(backend, args, &url).await;
    Ok(())
}

/// Today's eligibility by site from a fresh server: the first answer and
/// the median of `runs` more.
async fn after_restart(
    server: &Server,
    hr: &str,
    today: &Value,
    runs: usize,
) -> anyhow::Result<()> {
    let first = timed(server, ELIGIBILITY_BY_SITE, today.clone(), hr).await?;
    let mut again = Vec::new();
    for _ in 0..runs {
        again.push(timed(server, ELIGIBILITY_BY_SITE, today.clone(), hr).await?);
    }
    println!(
        "eligibility(SITE) today just after a restart: first {first:.1} ms, then median {:.1} ms (target: <= 1000 ms)",
        median(again)
    );
    Ok(())
}

/// Today's eligibility by site just after a review is recorded for one of
/// `ids`, `runs` times.
async fn after_writes(
    server: &Server,
    hr: &str,
    ids: &[String],
    today: &Value,
    runs: usize,
) -> anyhow::Result<()> {
    let mut after_write = Vec::new();
    let mut write_ms = Vec::new();
    for (i, id) in ids.iter().cycle().take(runs).enumerate() {
        let period_end = Utc::now().date_naive() - Days::new(200 + i as u64);
        write_ms.push(
            timed(
                server,
                RECORD_REVIEW,
                json!({ "input": { "employeeId": id, "periodEnd": period_end.to_string(), "rating": 4.0 } }),
                hr,
            )
            .await?,
        );
        after_write.push(timed(server, ELIGIBILITY_BY_SITE, today.clone(), hr).await?);
    }
    println!(
        "eligibility(SITE) today just after a write: median {:.1} ms (target: <= 200 ms); recordReview median {:.1} ms",
        median(after_write),
        median(write_ms)
    );
    Ok(())
}

/// The full dashboard for today, twice. The first computes every aggregate
/// the database keeps no running total for (headcount, coverage,
/// compa-ratios, velocity...); at a million people that may exceed the
/// request timeout, so a failure is reported, not returned.
async fn full_dashboard_twice(server: &Server, hr: &str, today: &Value) {
    let full = match timed(server, FULL_DASHBOARD, today.clone(), hr).await {
        Ok(ms) => format!("{ms:.1} ms"),
        Err(err) => format!("failed ({err})"),
    };
    let full_again = match timed(server, FULL_DASHBOARD, today.clone(), hr).await {
        Ok(ms) => format!("{ms:.1} ms"),
        Err(err) => format!("failed ({err})"),
    };
    println!("full dashboard today: first {full}, then {full_again}");
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let backends: Vec<&str> = if args.skip_postgres {
        vec!["sqlite"]
    } else {
        vec!["sqlite", "postgres"]
    };
    if args.dashboards_only {
        for backend in backends {
            dashboards_at_scale(&args, backend).await?;
        }
        return Ok(());
    }
    if args.merit_only {
        for backend in backends {
            merit_at_scale(&args, backend).await?;
        }
        return Ok(());
    }
    if args.mobility_only {
        for backend in backends {
            mobility_at_scale(&args, backend).await?;
        }
        return Ok(());
    }
    let small = (args.employees / 10).max(100);
    println!("rungs bench: {} employees (and {small} for scaling), {} runs per median, {} clients for {} s", args.employees, args.runs, args.clients, args.load_seconds);
    for backend in backends {
        println!("\n== {backend} ==");
        let small = scaling(backend, &args, small).await?;
        let figures = large(backend, &args).await?;
        report(backend, &args, &small, &figures);
    }
    Ok(())
}

/// Eligibility by site in the small organisation (N/10), for how cost
/// grows.
struct Scaling {
    employees: usize,
    seed_seconds: f64,
    cold: f64,
    warm: f64,
}

async fn scaling(backend: &str, args: &BenchArgs, employees: usize) -> anyhow::Result<Scaling> {
    let (url, seed_seconds, email, _) = seeded(backend, args, employees, "small").await?;
    let (cold, warm) = {
        let server = Server::start(&url).await?;
        let hr = login(&server, &email).await?;
        cold_and_warm(&server, ELIGIBILITY_BY_SITE, &hr, args.runs).await?
    };
    drop_database(backend, args, &url).await;
    Ok(Scaling {
        employees,
        seed_seconds,
        cold,
        warm,
    })
}

/// Latencies and SQL statements of repeated requests.
#[derive(Default)]
struct Counted {
    ms: Vec<f64>,
    statements: Vec<u64>,
}

impl Counted {
    async fn measure(
        &mut self,
        server: &Server,
        query: &str,
        variables: Value,
        token: &str,
    ) -> anyhow::Result<()> {
        let before = server.statements().await?;
        self.ms.push(timed(server, query, variables, token).await?);
        self.statements.push(server.statements().await? - before);
        Ok(())
    }

    fn median_ms(&self) -> f64 {
        median(self.ms.clone())
    }

    fn median_statements(&self) -> f64 {
        median(self.statements.iter().map(|s| *s as f64).collect())
    }
}

/// The figures of the large organisation (N employees).
struct Figures {
    seed_seconds: f64,
    cold: f64,
    warm: f64,
    full_cold: f64,
    full_warm: f64,
    page: Counted,
    plan: Counted,
    me: Load,
    baseline: Load,
    anonymous: Load,
    eligibility_writes: UnderWrites,
    dashboard_writes: UnderWrites,
    peak: Option<f64>,
    /// The server's peak memory after each phase.
    peaks: Vec<(&'static str, Option<f64>)>,
}

async fn large(backend: &str, args: &BenchArgs) -> anyhow::Result<Figures> {
    let (url, seed_seconds, email, tokens) = seeded(backend, args, args.employees, "large").await?;
    let server = Server::start(&url).await?;
    let hr = login(&server, &email).await?;
    let mut peaks = vec![("idle", server.peak_mib())];
    let (cold, warm) = cold_and_warm(&server, ELIGIBILITY_BY_SITE, &hr, args.runs).await?;
    peaks.push(("eligibility", server.peak_mib()));
    let (full_cold, full_warm) = cold_and_warm(&server, FULL_DASHBOARD, &hr, args.runs).await?;
    peaks.push(("full dashboard", server.peak_mib()));
    let mut page = Counted::default();
    for _ in 0..args.runs {
        page.measure(&server, EMPLOYEE_PAGE, json!({}), &hr).await?;
    }
    peaks.push(("employee page", server.peak_mib()));
    let csr_ids = some_csrs(&server, &hr).await?;
    let mut plan = Counted::default();
    for i in 0..args.runs {
        let Some(id) = csr_ids.get(i % csr_ids.len().max(1)) else {
            break;
        };
        plan.measure(&server, PLAN, json!({ "id": id }), &hr)
            .await?;
    }
    let me = load(&server, ME_PROGRESSION, &tokens, args).await;
    peaks.push(("progression load", server.peak_mib()));
    let baseline = load(&server, TYPENAME, &tokens, args).await;
    let anonymous = load(&server, TYPENAME, &[String::new()], args).await;
    let eligibility_writes =
        under_writes(&server, ELIGIBILITY_BY_SITE, &hr, &csr_ids, args).await?;
    let dashboard_writes = under_writes(&server, FULL_DASHBOARD, &hr, &csr_ids, args).await?;
    peaks.push(("under writes", server.peak_mib()));
    let peak = server.peak_mib();
    drop(server);
    drop_database(backend, args, &url).await;
    Ok(Figures {
        seed_seconds,
        cold,
        warm,
        full_cold,
        full_warm,
        page,
        plan,
        me,
        baseline,
        anonymous,
        eligibility_writes,
        dashboard_writes,
        peak,
        peaks,
    })
}

/// Prints one backend's figures against their targets.
fn report(backend: &str, args: &BenchArgs, small: &Scaling, f: &Figures) {
    println!(
        "seed {} employees                     {:>9.1} s   (target: < {} s)",
        args.employees,
        f.seed_seconds,
        if backend == "sqlite" { 30 } else { 60 }
    );
    println!(
        "seed {} employees                      {:>9.1} s",
        small.employees, small.seed_seconds
    );
    println!("eligibility(SITE) {:>6}: cold median {:>7.1} ms, warm median {:>7.1} ms (target: < 300 ms)", args.employees, f.cold, f.warm);
    println!(
        "eligibility(SITE) {:>6}: cold median {:>7.1} ms, warm median {:>7.1} ms",
        small.employees, small.cold, small.warm
    );
    println!(
        "  growth x{:.1} employees -> cold x{:.2}, warm x{:.2} (linear or better: <= x{:.1})",
        args.employees as f64 / small.employees as f64,
        f.cold / small.cold.max(0.001),
        f.warm / small.warm.max(0.001),
        args.employees as f64 / small.employees as f64
    );
    println!("full dashboard {:>6}:    cold median {:>7.1} ms, warm median {:>7.1} ms (target: < 1000 ms)", args.employees, f.full_cold, f.full_warm);
    println!("employees(first: 100) page:  median {:>7.1} ms (target: < 25 ms), SQL statements {} (median; target: <= 8)", f.page.median_ms(), f.page.median_statements());
    println!(
        "plan(TEAM_LEAD) for a CSR:   median {:>7.1} ms, SQL statements {} (median)",
        f.plan.median_ms(),
        f.plan.median_statements()
    );
    println!("me {{ progression }} x{} clients: {:>7.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors of {} (target: >= 2000 req/s, 0 errors)", args.clients, f.me.per_second, f.me.p50_ms, f.me.p99_ms, f.me.errors, f.me.requests);
    println!("{{ __typename }} x{} clients:    {:>7.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors of {}", args.clients, f.baseline.per_second, f.baseline.p50_ms, f.baseline.p99_ms, f.baseline.errors, f.baseline.requests);
    println!(
        "  progression / baseline throughput: {:.2} (target: >= 0.3)",
        f.me.per_second / f.baseline.per_second.max(0.001)
    );
    println!(
        "{{ __typename }} without a token: {:>7.0} req/s, p50 {:.1} ms, {} errors of {}",
        f.anonymous.per_second, f.anonymous.p50_ms, f.anonymous.errors, f.anonymous.requests
    );
    println!(
        "  with a token / without: {:.2} (target: >= 0.5)",
        f.baseline.per_second / f.anonymous.per_second.max(0.001)
    );
    describe_under_writes(
        "eligibility(SITE) today",
        &f.eligibility_writes,
        args.writes_per_second,
    );
    describe_under_writes(
        "full dashboard today",
        &f.dashboard_writes,
        args.writes_per_second,
    );
    match f.peak {
        Some(mib) => {
            println!("server peak memory (VmHWM):  {mib:>7.1} MiB (target: <= 150 MiB)")
        }
        None => println!("server peak memory: unavailable"),
    }
    let phases: Vec<String> = f
        .peaks
        .iter()
        .map(|(phase, mib)| format!("{phase} {:.0}", mib.unwrap_or(0.0)))
        .collect();
    println!("  peak after each phase (MiB): {}", phases.join(", "));
}
