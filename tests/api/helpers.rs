#![allow(dead_code)]
//! Spawns the real application on a random port with a fresh database per
//! test (SQLite by default; PostgreSQL when `DATABASE_URL` names one), and
//! offers `app.gql(query, variables, as_user)`.

pub use rungs::graphql::ids::Kind;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveEnum, ActiveModelTrait, ConnectionTrait, Database, Set, Statement};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

use rungs::auth::{password, token};
use rungs::db::entities::{
    certification, employee, login_session, performance_review, role_assignment,
};
use rungs::db::facts::Ladder;
use rungs::db::Db;
use rungs::startup::Application;

/// An enum column's value from its stored text (tests write the texts).
fn stored<E: ActiveEnum<Value = String>>(text: &str) -> E {
    E::try_from_value(&text.to_owned()).expect("a stored enum text")
}

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";

static COUNTER: AtomicU64 = AtomicU64::new(0);
static HASH: OnceCell<String> = OnceCell::const_new();

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub token: String,
}

impl User {
    /// The employee's global id, as the API writes it.
    pub fn gid(&self) -> String {
        gid(Kind::Employee, self.id)
    }
}

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// ADMIN, no manager.
    pub admin: User,
    /// HR.
    pub hr: User,
    /// MANAGER (Operations Manager) above `manager`.
    pub top: User,
    /// MANAGER (Team Lead) of `employee`.
    pub manager: User,
    /// EMPLOYEE (CSR) reporting to `manager`.
    pub employee: User,
    /// EMPLOYEE (CSR) outside everyone's chain but HR's.
    pub outsider: User,
    /// MANAGER (Team Lead) of `outsider`, in another chain.
    pub other_manager: User,
}

/// What a test person looks like; every field has a sensible default.
#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub access_role: &'static str,
    pub role: &'static str,
    pub manager: Option<i64>,
    pub site: &'static str,
    pub market: &'static str,
    pub hired_on: NaiveDate,
    pub role_since: NaiveDate,
    pub salary: i64,
    pub currency: &'static str,
}

impl Default for Person {
    fn default() -> Self {
        let date = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        Person {
            name: "Test Person".into(),
            access_role: "EMPLOYEE",
            role: "CSR",
            manager: None,
            site: "Tokyo",
            market: "JP",
            hired_on: date,
            role_since: date,
            salary: 450_000,
            currency: "JPY",
        }
    }
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn unique() -> String {
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        Utc::now().timestamp_micros()
    )
}

/// The prefix of this run's database names: `RUNGS_TEST_DB_PREFIX`, else
/// `rungs_test`. `.ci/run` gives each run its own, so it can drop exactly
/// what that run left if a test process was killed before it cleaned up.
fn prefix() -> String {
    std::env::var("RUNGS_TEST_DB_PREFIX").unwrap_or_else(|_| "rungs_test".into())
}

/// A fresh database: a new SQLite file, or a new PostgreSQL database next to
/// the one `DATABASE_URL` names. [`TestApp`] drops it when the test ends,
/// whether it passed or failed.
async fn fresh_database_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let name = format!("{}_{}", prefix(), unique());
            let admin = Database::connect(url.as_str())
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .expect("create test database");
            let _ = admin.close().await;
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("rungs-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!(
                "sqlite://{}/{}_{}.db?mode=rwc",
                dir.display(),
                prefix(),
                unique()
            )
        }
    }
}

/// Removes the database of `database_url` (see [`fresh_database_url`]).
/// Runs from `Drop`, so on a thread of its own with its own runtime: the
/// test's runtime may be gone, and a panicking test must clean up too.
fn drop_database(database_url: &str) {
    if let Some(path) = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
    {
        let remove = |path: &str| {
            for suffix in ["", "-wal", "-shm", ".migrate.lock"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        };
        remove(path);
        // The test's runtime (its server, its background sweep) ends just
        // after this guard: a write in that moment recreates `-wal` and
        // `-shm` beside the removed file. Remove them again once it is over.
        let path = path.to_owned();
        std::thread::spawn(move || {
            for wait in [200, 1_000, 3_000] {
                std::thread::sleep(std::time::Duration::from_millis(wait));
                remove(&path);
            }
        });
        return;
    }
    let Ok(admin_url) = std::env::var("DATABASE_URL") else {
        return;
    };
    let Some(name) = database_url.rsplit('/').next().map(str::to_owned) else {
        return;
    };
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime to drop the test database");
        runtime.block_on(async move {
            let admin = Database::connect(admin_url.as_str()).await?;
            // FORCE ends the connections the test's pools still hold.
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ))
                .await?;
            admin.close().await
        })
    })
    .join();
    if let Ok(Err(err)) = dropped {
        eprintln!("could not drop the test database: {err}");
    }
}

/// A fresh database (see [`fresh_database_url`]) for a test that starts
/// its own processes on it; dropped with the guard.
pub struct FreshDatabase {
    pub url: String,
}

impl FreshDatabase {
    pub async fn new() -> FreshDatabase {
        FreshDatabase {
            url: fresh_database_url().await,
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        drop_database(&self.url);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop_database(&self.database_url);
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(false, rungs::http::EXECUTION_TIMEOUT).await
    }

    /// The same, in production mode (no introspection, suggestions or GraphiQL).
    pub async fn spawn_production() -> TestApp {
        TestApp::spawn_with(true, rungs::http::EXECUTION_TIMEOUT).await
    }

    /// The same with a short execution timeout.
    pub async fn spawn_with_timeout(timeout: std::time::Duration) -> TestApp {
        TestApp::spawn_with(false, timeout).await
    }

    async fn spawn_with(production: bool, timeout: std::time::Duration) -> TestApp {
        TestApp::spawn_configured(move |app| app.production(production).request_timeout(timeout))
            .await
    }

    /// The same, with the application configured by `configure` (limits).
    pub async fn spawn_configured(configure: impl FnOnce(Application) -> Application) -> TestApp {
        let database_url = fresh_database_url().await;
        let app = Application::build(&database_url, 8, "127.0.0.1:0")
            .await
            .expect("application builds");
        let app = configure(app);
        let address = format!("http://{}", app.address);
        let db = app.db.clone();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::new();
        let mut test = TestApp {
            address,
            database_url,
            db,
            client,
            admin: placeholder(),
            hr: placeholder(),
            top: placeholder(),
            manager: placeholder(),
            employee: placeholder(),
            outsider: placeholder(),
            other_manager: placeholder(),
        };
        test.admin = test
            .person(Person {
                name: "Ada Admin".into(),
                access_role: "ADMIN",
                role: "HR_GENERALIST",
                ..Default::default()
            })
            .await;
        test.hr = test
            .person(Person {
                name: "Hana HR".into(),
                access_role: "HR",
                role: "HR_GENERALIST",
                manager: Some(test.admin.id),
                ..Default::default()
            })
            .await;
        test.top = test
            .person(Person {
                name: "Toru Top".into(),
                access_role: "MANAGER",
                role: "OPERATIONS_MANAGER",
                ..Default::default()
            })
            .await;
        test.manager = test
            .person(Person {
                name: "Mika Manager".into(),
                access_role: "MANAGER",
                role: "TEAM_LEAD",
                manager: Some(test.top.id),
                ..Default::default()
            })
            .await;
        test.employee = test
            .person(Person {
                name: "Emi Employee".into(),
                manager: Some(test.manager.id),
                ..Default::default()
            })
            .await;
        test.other_manager = test
            .person(Person {
                name: "Oto Other".into(),
                access_role: "MANAGER",
                role: "TEAM_LEAD",
                site: "Osaka",
                ..Default::default()
            })
            .await;
        test.outsider = test
            .person(Person {
                name: "Olly Outsider".into(),
                manager: Some(test.other_manager.id),
                site: "Osaka",
                ..Default::default()
            })
            .await;
        test
    }

    /// Inserts a person straight into the database (with a role-history
    /// row and a live session) and returns them signed in.
    pub async fn person(&self, p: Person) -> User {
        let hash = HASH
            .get_or_init(|| async { password::hash(PASSWORD.to_owned()).await.expect("hash") })
            .await
            .clone();
        let ladder = Ladder::load(&self.db.conn).await.expect("ladder");
        let role = ladder.role_by_code(p.role).expect("role").id;
        let id = unique();
        let email = format!(
            "{}.{}@test.example",
            p.name.to_lowercase().replace(' ', "."),
            id
        );
        let now = Utc::now();
        let model = employee::ActiveModel {
            employee_number: Set(format!("T{id}")),
            name: Set(p.name.clone()),
            email: Set(email.clone()),
            password_hash: Set(Some(hash)),
            access_role: Set(stored(p.access_role)),
            job_role_id: Set(role),
            manager_id: Set(p.manager),
            site: Set(p.site.into()),
            market: Set(p.market.into()),
            work_arrangement: Set(stored("ONSITE")),
            employment_type: Set(stored("FULL_TIME")),
            hired_on: Set(p.hired_on),
            role_since: Set(p.role_since),
            salary_minor: Set(p.salary),
            currency: Set(p.currency.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db.conn)
        .await
        .expect("insert person");
        role_assignment::ActiveModel {
            employee_id: Set(model.id),
            job_role_id: Set(role),
            started_on: Set(p.role_since),
            ended_on: Set(None),
            salary_minor: Set(p.salary),
            currency: Set(p.currency.into()),
            ..Default::default()
        }
        .insert(&self.db.conn)
        .await
        .expect("insert history");
        let raw = token::generate();
        login_session::ActiveModel {
            token_hash: Set(token::digest(&raw)),
            employee_id: Set(model.id),
            created_at: Set(now),
            expires_at: Set(now + Duration::hours(8)),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db.conn)
        .await
        .expect("insert session");
        User {
            id: model.id,
            email,
            token: raw,
        }
    }

    /// A verified (or other status) certificate, straight into the database.
    #[allow(clippy::too_many_arguments)]
    pub async fn cert(
        &self,
        who: &User,
        kind: &str,
        belt: Option<&str>,
        lang: Option<(&str, &str)>,
        issued: &str,
        expires: Option<&str>,
        status: &str,
    ) {
        certification::ActiveModel {
            employee_id: Set(who.id),
            kind: Set(stored(kind)),
            name: Set(format!("{kind} certificate")),
            belt: Set(belt.map(stored)),
            language: Set(lang.map(|l| l.0.into())),
            cefr: Set(lang.map(|l| stored(l.1))),
            issued_on: Set(date(issued)),
            expires_on: Set(expires.map(date)),
            status: Set(stored(status)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db.conn)
        .await
        .expect("insert certification");
    }

    /// A review, straight into the database.
    pub async fn review(&self, who: &User, period_end: &str, rating: f64) {
        performance_review::ActiveModel {
            employee_id: Set(who.id),
            period_end: Set(date(period_end)),
            rating: Set(rating),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db.conn)
        .await
        .expect("insert review");
    }

    /// Sends a GraphQL request and returns the whole JSON response.
    pub async fn gql(&self, query: &str, variables: Value, as_user: Option<&User>) -> Value {
        self.gql_at(
            &self.address,
            query,
            variables,
            as_user.map(|u| u.token.as_str()),
        )
        .await
    }

    /// The same against the server at `base` (another process).
    pub async fn gql_at(
        &self,
        base: &str,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> Value {
        let mut request = self
            .client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        response.json().await.expect("JSON response")
    }

    /// Like `gql` but panics on errors and returns `data`.
    pub async fn data(&self, query: &str, variables: Value, as_user: Option<&User>) -> Value {
        let body = self.gql(query, variables, as_user).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Starts another instance of the service on this app's database (as a
    /// second machine would run it) and returns its address.
    pub async fn second_instance(&self) -> String {
        let app = Application::build(&self.database_url, 8, "127.0.0.1:0")
            .await
            .expect("second instance builds");
        let address = format!("http://{}", app.address);
        tokio::spawn(app.run_until(std::future::pending()));
        address
    }

    /// The statement counter of the server at `base` (its `/metrics`).
    pub async fn statements_at(&self, base: &str) -> u64 {
        let text = self
            .client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|l| l.strip_prefix("rungs_db_statements_total "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .expect("a statement counter")
    }

    /// Signs in through the API.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt employee { id } } }",
            json!({ "e": email, "p": password }),
            None,
        )
        .await
    }

    /// Counts rows of a table (to prove that refused requests change nothing).
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .conn
            .query_one_raw(Statement::from_string(
                self.db.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

fn placeholder() -> User {
    User {
        id: 0,
        email: String::new(),
        token: String::new(),
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(body: &Value) -> String {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error, got {body}"))
        .to_owned()
}

/// Today's date (UTC), as the server sees it.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `n` calendar months before today (the day clamped to the month's end).
pub fn months_ago(n: u32) -> NaiveDate {
    today()
        .checked_sub_months(chrono::Months::new(n))
        .expect("date in range")
}

/// `n` days after today (negative: before).
pub fn days_from_today(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

/// `rungs serve` from the built binary, as a separate process; killed (and
/// reaped) when dropped.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free local port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until `base` answers `/readyz`.
async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not become ready");
}

impl TestApp {
    /// `rungs serve` on this test's database, as a separate process on a
    /// free port, ready.
    pub async fn server_process(&self) -> ServerProcess {
        self.server_process_on(free_port()).await
    }

    /// The same on `port` (to restart on the same address).
    pub async fn server_process_on(&self, port: u16) -> ServerProcess {
        self.server_process_with(port, &[]).await
    }

    /// The same with extra environment variables (settings).
    pub async fn server_process_with(&self, port: u16, env: &[(&str, &str)]) -> ServerProcess {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_rungs"))
            .args([
                "serve",
                "--database-url",
                &self.database_url,
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server process starts");
        let server = ServerProcess {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
        };
        wait_ready(&self.client, &server.base).await;
        server
    }

    /// Nominates `nominee` for Team Lead as `by`; returns the PENDING
    /// nomination's id.
    pub async fn nominate(&self, by: &User, nominee: &User) -> String {
        let data = self
            .data(
                "mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"ready\"}) { id status } }",
                json!({ "id": nominee.gid() }),
                Some(by),
            )
            .await;
        assert_eq!(data["nominate"]["status"], "PENDING");
        data["nominate"]["id"].as_str().expect("an id").to_owned()
    }

    /// Row counts of `tables`, in order (to prove that refused requests
    /// change nothing).
    pub async fn counts(&self, tables: &[&str]) -> Vec<i64> {
        let mut all = Vec::with_capacity(tables.len());
        for table in tables {
            all.push(self.count(table).await);
        }
        all
    }

    /// A CSR under `manager` who is ELIGIBLE for Team Lead today on the fast
    /// track: 14 months in role, two reviews at 4.5, verified leadership
    /// training.
    pub async fn eligible_csr(&self, name: &str, manager: i64) -> User {
        self.eligible_csr_at(name, manager, "Tokyo").await
    }

    /// The same at `site`.
    pub async fn eligible_csr_at(&self, name: &str, manager: i64, site: &'static str) -> User {
        let who = self
            .person(Person {
                name: name.into(),
                manager: Some(manager),
                site,
                hired_on: months_ago(36),
                role_since: months_ago(14),
                ..Default::default()
            })
            .await;
        self.review(&who, &months_ago(4).to_string(), 4.5).await;
        self.review(&who, &months_ago(1).to_string(), 4.5).await;
        self.cert(
            &who,
            "LEADERSHIP_TRAINING",
            None,
            None,
            &months_ago(6).to_string(),
            None,
            "VERIFIED",
        )
        .await;
        who
    }
}

/// A graphql-ws client socket.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/graphql/ws` (subprotocol graphql-transport-ws), sending `Origin`
/// when given; the HTTP status when the upgrade is refused.
pub async fn ws_connect(app: &TestApp, origin: Option<&str>) -> Result<Socket, u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/graphql/ws", app.address.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(other) => panic!("WebSocket connects: {other}"),
    }
}

/// Sends one JSON message.
pub async fn ws_send(socket: &mut Socket, message: Value) {
    use futures::SinkExt;
    socket
        .send(tokio_tungstenite::tungstenite::Message::text(
            message.to_string(),
        ))
        .await
        .expect("send");
}

/// A graphql-ws subscriber signed in as `user`, subscribed to `query` under
/// the operation id `id`, and registered on the server before it returns
/// (a query sent after the subscription completes only once the server has
/// polled the subscription).
pub async fn ws_subscribe(app: &TestApp, user: &User, id: &str, query: &str) -> Socket {
    let mut socket = ws_connect(app, None).await.expect("WebSocket connects");
    ws_send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", user.token) } }),
    )
    .await;
    assert_eq!(ws_receive(&mut socket).await["type"], "connection_ack");
    ws_send(
        &mut socket,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    ws_send(
        &mut socket,
        json!({ "id": "ready", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
    )
    .await;
    loop {
        let message = ws_receive(&mut socket).await;
        if message["id"] == "ready" && message["type"] == "complete" {
            return socket;
        }
    }
}

/// The next JSON message, or the close frame as `{"close": code}`.
pub async fn ws_receive(socket: &mut Socket) -> Value {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .expect("a frame");
        match message {
            Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON"),
            Message::Close(frame) => {
                return json!({ "close": frame.map(|f| u16::from(f.code)) });
            }
            _ => continue,
        }
    }
}

impl TestApp {
    /// This app's `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits (up to 5 s) until this app's notification listener is
    /// subscribed (PostgreSQL).
    pub async fn wait_listening(&self) {
        let start = std::time::Instant::now();
        while !self.db.facts.is_live() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "listener never subscribed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// Asserts that `metrics` counted the operation `probe` exactly once.
pub fn counted_once(metrics: &str, probe: &str) {
    let lines: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("rungs_graphql_requests_total") && l.contains(probe))
        .collect();
    assert_eq!(lines.len(), 1, "{probe}: {lines:?}");
    assert!(lines[0].ends_with(" 1"), "{probe}: {lines:?}");
}

/// The global id of a row of `kind` (ids are opaque to clients; tests
/// that start from a database row id build it the way the API does).
pub fn gid(kind: Kind, id: i64) -> String {
    rungs::graphql::ids::of(kind, id).0
}

/// The row id behind a global id the API answered (for tests that go on to
/// the database itself).
pub fn row_id(global: &str) -> i64 {
    let (_, key) = rungs::graphql::ids::decode(global).expect("a global id");
    key.parse().expect("a row id")
}

/// `query` with every row id written as a string literal (`employeeId:
/// "3"`, `updateEmployee(id: "999999"`) turned into the global id of the
/// type the argument names, so tables of cases can keep reading plainly.
pub fn with_global_ids(query: &str) -> String {
    const BY_ARGUMENT: &[(&str, Kind)] = &[
        ("employeeId", Kind::Employee),
        ("nomineeId", Kind::Employee),
        ("managerId", Kind::Employee),
        ("trainerId", Kind::Employee),
        ("skillId", Kind::Skill),
        ("courseId", Kind::Course),
        ("sessionId", Kind::CourseSession),
    ];
    const BY_OPERATION: &[(&str, Kind)] = &[
        ("updateEmployee", Kind::Employee),
        ("employee", Kind::Employee),
        ("verifyCertification", Kind::Certification),
        ("approveNomination", Kind::Nomination),
        ("rejectNomination", Kind::Nomination),
        ("withdrawNomination", Kind::Nomination),
        ("nomination", Kind::Nomination),
        ("upsertSkill", Kind::Skill),
        ("upsertCourse", Kind::Course),
        ("course", Kind::Course),
        ("courseSession", Kind::CourseSession),
        ("cancelEnrolment", Kind::Enrolment),
        ("completeEnrolment", Kind::Enrolment),
        ("decidePayChange", Kind::PayChange),
    ];
    let mut out = String::with_capacity(query.len() + 64);
    let mut rest = query;
    while let Some(at) = rest.find(": \"") {
        let (before, after) = rest.split_at(at);
        let digits: String = after[3..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let closes = after[3 + digits.len()..].starts_with('"');
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &before[name_start..];
        let kind = if name == "id" {
            // The field the argument belongs to: the nearest name before
            // an opening parenthesis.
            before.rfind('(').and_then(|open| {
                let head = &before[..open];
                let start = head
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |i| i + 1);
                let op = &head[start..];
                BY_OPERATION.iter().find(|(o, _)| *o == op).map(|(_, k)| *k)
            })
        } else {
            BY_ARGUMENT
                .iter()
                .find(|(a, _)| *a == name)
                .map(|(_, k)| *k)
        };
        out.push_str(before);
        match (kind, digits.parse::<i64>(), closes) {
            (Some(kind), Ok(id), true) => {
                out.push_str(&format!(": \"{}\"", gid(kind, id)));
                rest = &after[3 + digits.len() + 1..];
            }
            _ => {
                out.push_str(": \"");
                rest = &after[3..];
            }
        }
    }
    out.push_str(rest);
    out
}
