//! HTTP: `POST /graphql`, GraphiQL and queries on `GET /graphql`,
//! subscriptions over WebSocket on `/graphql/ws`, the web app under `/app`
//! (`/` leads there), `/healthz` and `/readyz`.

use std::sync::Arc;

use async_graphql::http::{GraphiQLSource, ALL_WEBSOCKET_PROTOCOLS};
use async_graphql::Executor;
use async_graphql_poem::GraphQLProtocol;
use poem::http::{header, StatusCode};
use poem::web::websocket::{WebSocket, WebSocketConfig};
use poem::web::{Data, Html};
use poem::{get, handler, EndpointExt, IntoResponse, Request, Response, Route};

use crate::db::Db;
use crate::graphql::context::RequestState;
use crate::graphql::loaders::Loaders;
use crate::graphql::{ensure_error_codes, AppSchema};
use crate::services::accounts;
use crate::web;
use crate::ws::{self, OpenSockets, WsLimits};

/// All routes of the service.
pub fn routes(schema: AppSchema, db: Db, settings: HttpSettings) -> impl poem::Endpoint {
    Route::new()
        .at("/graphql", get(graphql_get).post(graphql_post))
        .at("/graphql/ws", get(graphql_ws))
        .at("/", get(web::root))
        .at("/app", get(web::index))
        .at("/app/", get(web::index))
        .at("/app/:file", get(web::asset_file))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/metrics", get(metrics))
        .data(schema)
        .data(db)
        .data(settings)
        .data(OpenSockets::default())
}

/// How the HTTP layer behaves.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// No GraphiQL (introspection and suggestions are off in the schema).
    pub production: bool,
    /// Longest a GraphQL request may run before it is answered TIMEOUT.
    pub request_timeout: std::time::Duration,
    /// Limits of `/graphql/ws` sockets.
    pub ws: WsLimits,
    /// Origins besides the server's own that may open `/graphql/ws`
    /// (`scheme://host[:port]`, as browsers send them).
    pub allowed_origins: Arc<Vec<String>>,
    /// Set once shutdown has begun: `/readyz` answers 503 so a load
    /// balancer stops sending new requests, while they are still served
    /// for the drain period (see `Application::run_until`).
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// How long the instance keeps serving after shutdown began, with
    /// `/readyz` down, before it stops accepting connections.
    pub drain: std::time::Duration,
    /// Started with `--demo`: the sign-in page shows the demo accounts.
    pub demo: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            production: false,
            request_timeout: EXECUTION_TIMEOUT,
            ws: WsLimits::default(),
            allowed_origins: Arc::default(),
            draining: Arc::default(),
            drain: std::time::Duration::ZERO,
            demo: false,
        }
    }
}

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Longest a request may run, by default.
pub const EXECUTION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The media type a response is written in, from the request's `Accept`
/// (GraphQL over HTTP): `application/graphql-response+json` when the client
/// accepts it (with status codes that say what went wrong), else
/// `application/json` (always 200 once the request is a GraphQL request).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Media {
    GraphqlResponse,
    Json,
}

fn negotiate(req: &Request) -> Option<Media> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Media::Json);
    };
    let mut json = false;
    for part in accept.split(',') {
        let media = part
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let refused = part
            .split(';')
            .skip(1)
            .any(|p| p.trim().replace(' ', "") == "q=0");
        if refused {
            continue;
        }
        match media.as_str() {
            "application/graphql-response+json" => return Some(Media::GraphqlResponse),
            "application/json" | "application/*" | "*/*" => json = true,
            _ => {}
        }
    }
    json.then_some(Media::Json)
}

/// A GraphQL response as HTTP.
fn respond(media: Media, response: &async_graphql::Response) -> Response {
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let (status, content_type) = match media {
        Media::GraphqlResponse if request_error => (
            StatusCode::BAD_REQUEST,
            "application/graphql-response+json; charset=utf-8",
        ),
        Media::GraphqlResponse => (
            StatusCode::OK,
            "application/graphql-response+json; charset=utf-8",
        ),
        Media::Json => (StatusCode::OK, "application/json; charset=utf-8"),
    };
    // A request error (parse, validation, variables) never started
    // execution, so the result has no `data` entry at all. Serialised
    // straight from the response, so keys keep the selection's order.
    #[derive(serde::Serialize)]
    struct RequestErrors<'a> {
        errors: &'a [async_graphql::ServerError],
    }
    let body = if request_error {
        serde_json::to_vec(&RequestErrors {
            errors: &response.errors,
        })
    } else {
        serde_json::to_vec(response)
    }
    .unwrap_or_else(|_| b"{}".to_vec());
    // Answers may hold personal data: never stored by a cache, never
    // sniffed as another type.
    Response::builder()
        .status(status)
        .content_type(content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(body)
}

/// A GraphQL response holding one request error, with its code.
fn error_response(message: &str) -> async_graphql::Response {
    let mut response =
        async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(message, None)]);
    ensure_error_codes(&mut response);
    response
}

/// 406: neither media type the API speaks is acceptable to the client.
fn not_acceptable() -> Response {
    tracing::info!(transport = "http", status = 406, "graphql request refused");
    (
        StatusCode::NOT_ACCEPTABLE,
        "accepts application/graphql-response+json or application/json",
    )
        .into_response()
}

/// A request that never reached GraphQL execution, answered as GraphQL
/// (and logged: every request to `/graphql` gets its line).
fn refuse(status: StatusCode, media: Media, message: &str) -> Response {
    tracing::info!(
        transport = "http",
        status = status.as_u16(),
        reason = message,
        "graphql request refused"
    );
    let response = error_response(message);
    let mut answer = respond(media, &response);
    answer.set_status(status);
    answer
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Runs one GraphQL request and writes exactly one log line and one
/// metrics sample for it, whatever path it takes (a dead token, a cost
/// refusal, a timeout, an answer).
async fn execute(
    schema: &AppSchema,
    db: &Db,
    req: &Request,
    mut gql: async_graphql::Request,
    timeout: std::time::Duration,
) -> async_graphql::Response {
    let started = std::time::Instant::now();
    let resolved = schema.resolve_persisted(&mut gql);
    schema.prepare(&mut gql);
    let operation = crate::graphql::operation_label(&mut gql);
    let (mut response, principal_id) = match resolved {
        Ok(()) => run(schema, db, req, gql, timeout).await,
        Err(error) => (async_graphql::Response::from_errors(vec![error]), None),
    };
    ensure_error_codes(&mut response);
    let codes = crate::graphql::error_codes(&response);
    let elapsed = started.elapsed();
    crate::metrics::record_request(&operation, &codes, elapsed);
    if codes.iter().any(|c| c == "TIMEOUT") {
        tracing::warn!(operation = %operation, "request timed out");
    }
    tracing::info!(
        transport = "http",
        request_id = %request_id(),
        operation = %operation,
        principal = principal_id,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        errors = %codes.join(","),
        "graphql request"
    );
    response
}

/// Authenticates the bearer token, then executes within `timeout`; the
/// answer and the principal's id (for the log line).
async fn run(
    schema: &AppSchema,
    db: &Db,
    req: &Request,
    mut gql: async_graphql::Request,
    timeout: std::time::Duration,
) -> (async_graphql::Response, Option<i64>) {
    // A mutation may change the ladder, so its own answer must not reuse the
    // ladder version read before it ran; nor kept facts (`db::kept`).
    let is_mutation = crate::graphql::is_mutation(&mut gql);
    let authenticated = match bearer(req) {
        Some(token) => match accounts::authenticate(db, token).await {
            Ok(found) => found,
            Err(err) => {
                let error = async_graphql::Error::from(err).into_server_error(Default::default());
                return (async_graphql::Response::from_errors(vec![error]), None);
            }
        },
        None => None,
    };
    let (principal, ladder_version, me) = match authenticated {
        Some(found) => {
            let version = (!is_mutation).then_some(found.ladder_version);
            (Some(found.principal), version, Some(found.employee))
        }
        None => (None, None, None),
    };
    let principal_id = principal.as_ref().map(|p| p.employee_id);
    // A query reads from the read replica when there is one and it may
    // serve this principal (`db::replica`); its loaders then keep no facts
    // (what they would keep could be older than a notification already
    // heard).
    let replica = if is_mutation {
        None
    } else {
        db.for_query(principal_id)
    };
    let loaders = match (&replica, is_mutation) {
        (Some(on_replica), _) => Loaders::new(on_replica),
        (None, true) => Loaders::new(db),
        (None, false) => Loaders::for_query(db),
    };
    if let Some(me) = me {
        loaders.employees.feed_one(me.id, me);
    }
    let client = match req.remote_addr().0 {
        poem::Addr::SocketAddr(addr) => Some(addr.ip().to_string()),
        _ => None,
    };
    let mut gql = gql
        .data(RequestState::new(principal, ladder_version).with_client(client))
        .data(loaders);
    if let Some(on_replica) = replica {
        gql = gql.data(on_replica);
    }
    let response = match tokio::time::timeout(timeout, schema.execute(gql)).await {
        Ok(response) => response,
        Err(_) => async_graphql::Response::from_errors(vec![async_graphql::Error::from(
            crate::error::AppError::Timeout(format!(
                "the request ran longer than {} ms: ask for less, or for a smaller page",
                timeout.as_millis()
            )),
        )
        .into_server_error(Default::default())]),
    };
    if is_mutation {
        // Its client reads what it wrote without waiting for the
        // notification: this process settles what it keeps (`db::kept`),
        // outside the time limit, so a committed write never answers
        // TIMEOUT for the wait (also when the answer timed out after the
        // write committed); and it reads from the primary until the replica
        // has it (see `db::replica`).
        db.settle_kept().await;
        if let Some(id) = principal_id {
            db.note_write(id).await;
        }
    }
    (response, principal_id)
}

/// A short random id for one request's log line.
fn request_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}

/// `POST /graphql`: JSON bodies only (a form post cannot smuggle a
/// mutation: a CSRF guard), at most 1 MiB, one operation per request (no
/// batches), at most 10 s of execution.
#[handler]
async fn graphql_post(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    settings: Data<&HttpSettings>,
    req: &Request,
    body: poem::Body,
) -> Response {
    let Some(media) = negotiate(req) else {
        return not_acceptable();
    };
    let is_json = req
        .content_type()
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|ct| ct.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "POST /graphql takes a JSON body (Content-Type: application/json)",
        );
    }
    let bytes = match body.into_bytes_limit(MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                "the request body is larger than 1 MiB",
            );
        }
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "the request body could not be read",
            )
        }
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "the request body is not JSON",
            )
        }
    };
    if value.is_array() {
        return refuse(
            StatusCode::BAD_REQUEST,
            media,
            "batched requests are not accepted: send one operation per request",
        );
    }
    let gql: async_graphql::Request = match serde_json::from_value(value) {
        Ok(gql) => gql,
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "a GraphQL request is an object with a string `query`, and optional `variables` (object) and `operationName` (string)",
            )
        }
    };
    respond(
        media,
        &execute(&schema, &db, req, gql, settings.request_timeout).await,
    )
}

/// GraphiQL for browsers (off in production); otherwise runs a query from
/// the query string. Mutations never run over GET (405).
#[handler]
async fn graphql_get(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    settings: Data<&HttpSettings>,
    req: &Request,
) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let query_string = req.uri().query().unwrap_or_default();
    let has_query = query_string.split('&').any(|kv| kv.starts_with("query="));
    if wants_html && !has_query {
        if settings.production {
            return StatusCode::NOT_FOUND.into_response();
        }
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response();
    }
    let Some(media) = negotiate(req) else {
        return not_acceptable();
    };
    let mut gql = match async_graphql::http::parse_query_string(query_string) {
        Ok(gql) => gql,
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "expected ?query=...&variables=...&operationName=...",
            )
        }
    };
    // A hashed query is resolved first, so a stored mutation is refused
    // over GET like one sent as text (a miss is answered by `execute`).
    if schema.resolve_persisted(&mut gql).is_err() {
        return respond(
            media,
            &execute(&schema, &db, req, gql, settings.request_timeout).await,
        );
    }
    schema.prepare(&mut gql);
    let is_mutation = crate::graphql::is_mutation(&mut gql);
    if is_mutation {
        let mut refused = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "mutations are only accepted over POST",
        );
        refused
            .headers_mut()
            .insert(header::ALLOW, poem::http::HeaderValue::from_static("POST"));
        return refused;
    }
    respond(
        media,
        &execute(&schema, &db, req, gql, settings.request_timeout).await,
    )
}

/// Whether a browser page at `Origin` may open a socket: its own origin
/// (the `Host` it asked for), or one of the configured ones. Clients that
/// are not browsers send no Origin and are let in (the token still
/// decides).
fn origin_allowed(req: &Request, allowed: &[String]) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// GraphQL subscriptions over WebSocket (graphql-ws). The token comes in
/// the `connection_init` payload; without a live one the socket closes with
/// 4403 (see `graphql::subscription`). A page from another origin is
/// refused (403) before the upgrade; the socket's limits are in `ws`.
#[handler]
fn graphql_ws(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    settings: Data<&HttpSettings>,
    sockets: Data<&OpenSockets>,
    req: &Request,
    protocol: GraphQLProtocol,
    websocket: WebSocket,
) -> Response {
    if !origin_allowed(req, &settings.allowed_origins) {
        return (StatusCode::FORBIDDEN, "this origin may not open a socket").into_response();
    }
    let schema = schema.clone();
    let db = db.clone();
    let sockets = sockets.clone();
    let limits = settings.ws;
    let config = WebSocketConfig::default()
        .max_message_size(Some(ws::MAX_MESSAGE_BYTES))
        .max_frame_size(Some(ws::MAX_MESSAGE_BYTES));
    websocket
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .config(config)
        .on_upgrade(move |socket| ws::serve(socket, schema, db, protocol.0, limits, sockets))
        .into_response()
}

#[handler]
fn metrics(db: Data<&Db>) -> Response {
    Response::builder()
        .content_type("text/plain; version=0.0.4")
        .body(crate::metrics::render(&db))
}

#[handler]
fn healthz() -> &'static str {
    "ok"
}

#[handler]
async fn readyz(db: Data<&Db>, settings: Data<&HttpSettings>) -> Response {
    let draining = settings.draining.load(std::sync::atomic::Ordering::Acquire);
    let primary = match db.primary().ping().await {
        Ok(()) => "ok",
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            "down"
        }
    };
    let mut body = serde_json::json!({
        "status": if draining { "draining" } else if primary == "ok" { "ready" } else { "unavailable" },
        "primary": primary,
    });
    if let Some(replica) = &db.replica {
        body["replica"] = replica.health().as_str().into();
        body["replicaLagBytes"] = replica.lag_bytes().into();
    }
    let status = if draining || primary != "ok" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body.to_string())
}
