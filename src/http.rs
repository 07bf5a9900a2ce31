//! HTTP: `POST /graphql`, GraphiQL and queries on `GET /graphql`,
//! subscriptions over WebSocket on `/graphql/ws`, the web app under `/app`
//! (`/` leads there), `/healthz` and `/readyz`.

use async_graphql::futures_util::{future, SinkExt, StreamExt};
use async_graphql::http::{GraphiQLSource, ALL_WEBSOCKET_PROTOCOLS};
use async_graphql_poem::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use poem::http::{header, StatusCode};
use poem::web::websocket::{CloseCode, Message, WebSocket};
use poem::web::{Data, Html};
use poem::{get, handler, EndpointExt, IntoResponse, Request, Response, Route};

use crate::db::Db;
use crate::graphql::context::RequestState;
use crate::graphql::loaders::Loaders;
use crate::graphql::subscription::{connection_data, UNAUTHENTICATED_REASON};
use crate::graphql::{ensure_error_codes, AppSchema};
use crate::services::accounts;
use crate::web;

/// All routes of the service.
pub fn routes(schema: AppSchema, db: Db) -> impl poem::Endpoint {
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
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn execute(
    schema: &AppSchema,
    db: &Db,
    req: &Request,
    gql: async_graphql::Request,
) -> async_graphql::Response {
    let loaders = Loaders::new(db);
    let authenticated = match bearer(req) {
        Some(token) => match accounts::authenticate(db, token).await {
            Ok(found) => found,
            Err(err) => {
                let mut response = async_graphql::Response::from_errors(vec![
                    async_graphql::Error::from(err).into_server_error(Default::default()),
                ]);
                ensure_error_codes(&mut response);
                return response;
            }
        },
        None => None,
    };
    let mut gql = gql;
    let named = gql.operation_name.clone().or_else(|| {
        let doc = gql.parsed_query().ok()?;
        match &doc.operations {
            async_graphql::parser::types::DocumentOperations::Multiple(map) => {
                map.keys().next().map(|name| name.to_string())
            }
            async_graphql::parser::types::DocumentOperations::Single(_) => None,
        }
    });
    let operation = crate::metrics::operation_label(named.as_deref());
    // A mutation may change the ladder, so its own answer must not reuse the
    // ladder version read before it ran.
    let is_mutation = gql.parsed_query().is_ok_and(|doc| {
        doc.operations
            .iter()
            .any(|(_, op)| op.node.ty == async_graphql::parser::types::OperationType::Mutation)
    });
    let started = std::time::Instant::now();
    let (principal, ladder_version) = match authenticated {
        Some(found) => {
            loaders
                .employees
                .feed_one(found.employee.id, found.employee)
                .await;
            let version = (!is_mutation).then_some(found.ladder_version);
            (Some(found.principal), version)
        }
        None => (None, None),
    };
    let gql = gql
        .data(RequestState::new(principal, ladder_version))
        .data(loaders);
    let mut response = schema.execute(gql).await;
    ensure_error_codes(&mut response);
    let codes: Vec<String> = response
        .errors
        .iter()
        .filter_map(|e| {
            e.extensions
                .as_ref()?
                .get("code")
                .map(|c| c.to_string().trim_matches('"').to_owned())
        })
        .collect();
    crate::metrics::record_request(&operation, &codes, started.elapsed());
    response
}

#[handler]
async fn graphql_post(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    req: &Request,
    gql: GraphQLRequest,
) -> GraphQLResponse {
    execute(&schema, &db, req, gql.0).await.into()
}

/// GraphiQL for browsers; otherwise runs a query from the query string.
/// Mutations never run over GET.
#[handler]
async fn graphql_get(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    req: &Request,
    gql: Option<GraphQLRequest>,
) -> Response {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let has_query = req.uri().query().is_some_and(|q| q.contains("query="));
    if wants_html && !has_query {
        return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
    }
    let Some(GraphQLRequest(mut gql)) = gql else {
        return (StatusCode::BAD_REQUEST, "missing query").into_response();
    };
    let is_mutation = gql.parsed_query().is_ok_and(|doc| {
        doc.operations
            .iter()
            .any(|(_, op)| op.node.ty == async_graphql::parser::types::OperationType::Mutation)
    });
    if is_mutation {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are only accepted over POST",
        )
            .into_response();
    }
    GraphQLResponse::from(execute(&schema, &db, req, gql).await).into_response()
}

/// GraphQL subscriptions over WebSocket (graphql-ws). The token comes in
/// the `connection_init` payload; without a live one the socket closes with
/// 4403 (see `graphql::subscription`).
#[handler]
fn graphql_ws(
    schema: Data<&AppSchema>,
    db: Data<&Db>,
    protocol: GraphQLProtocol,
    websocket: WebSocket,
) -> impl IntoResponse {
    let schema = schema.clone();
    let db = db.clone();
    websocket
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let (sink, stream) = socket.split();
            // async-graphql closes a refused `connection_init` with 1002;
            // graphql-ws says 4403 Forbidden, which clients recognise.
            let sink = sink.with(|message: Message| {
                future::ready(Ok::<_, std::io::Error>(match message {
                    Message::Close(Some((CloseCode::Protocol, reason)))
                        if reason == UNAUTHENTICATED_REASON =>
                    {
                        Message::close_with(4403u16, reason)
                    }
                    other => other,
                }))
            });
            GraphQLWebSocket::new_with_pair(sink, stream, schema, protocol)
                .on_connection_init(move |payload| connection_data(db, payload))
                .serve()
        })
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
async fn readyz(db: Data<&Db>) -> Response {
    match db.conn.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
