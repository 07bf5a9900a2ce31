//! The GraphQL layer: thin resolvers that get the principal, call a service
//! and convert the result. Query and mutation roots are split per area and
//! merged; relations go through batch loaders. The subscription root
//! (`nominationChanged`) listens to the app's event bus.

pub mod batch;
pub mod context;
pub mod cost;
pub mod documents;
pub mod ids;
pub mod loaders;
pub mod mutation;
pub mod order;
pub mod persisted;
pub mod query;
pub mod scalars;
pub mod subscription;
pub mod trusted;
pub mod types;
pub mod variables;

use std::sync::Arc;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Data, Executor, Request, Response, Schema};

use crate::db::Db;
use crate::events::EventBus;
use crate::graphql::loaders::Loaders;

/// The schema as async-graphql builds it, without the request guard.
pub type BareSchema =
    Schema<query::QueryRoot, mutation::MutationRoot, subscription::SubscriptionRoot>;

/// The schema every transport executes: each request passes the cost model
/// and the variable check ([`cost::check_request`]) before it is validated,
/// then runs on the bare schema. HTTP (`crate::http`) and WebSocket
/// (`crate::ws`, through async-graphql's protocol handler) both execute
/// through this type, so neither can skip the guard.
#[derive(Clone)]
pub struct AppSchema {
    schema: BareSchema,
    model: Arc<cost::CostModel>,
    db: Option<Db>,
    documents: documents::Documents,
    persisted: persisted::PersistedQueries,
    /// `--persisted-only`: the only operations this server runs.
    trusted: Option<Arc<trusted::TrustedDocuments>>,
}

impl AppSchema {
    /// Runs only `documents` (`rungs serve --persisted-only`).
    pub fn persisted_only(mut self, documents: trusted::TrustedDocuments) -> Self {
        self.trusted = Some(Arc::new(documents));
        self
    }

    /// The SDL of the served schema.
    pub fn sdl_with_options(&self, options: async_graphql::SDLExportOptions) -> String {
        self.schema.sdl_with_options(options)
    }

    /// Puts the request's parsed document in place, from the process's
    /// cache of lately parsed documents when it can ([`documents`]). The
    /// transports call it before they look at the document; execution calls
    /// it again, which then does nothing.
    pub fn prepare(&self, request: &mut Request) {
        self.documents.prepare(request);
    }

    /// Resolves an automatic persisted query ([`persisted`]): the transports
    /// call it first; execution calls it again, which then gives the same
    /// answer without doing it again.
    pub fn resolve_persisted(
        &self,
        request: &mut Request,
    ) -> Result<(), async_graphql::ServerError> {
        struct Resolved(Result<(), async_graphql::ServerError>);
        if let Some(trusted) = &self.trusted {
            return trusted.admit(request);
        }
        // Most requests send no persisted query: nothing to mark or redo.
        if !request.extensions.contains_key("persistedQuery") {
            return Ok(());
        }
        if let Some(done) = request
            .data
            .get(&std::any::TypeId::of::<Resolved>())
            .and_then(|d| d.downcast_ref::<Resolved>())
        {
            return done.0.clone();
        }
        let result = self.persisted.resolve(request);
        request.data.insert(Resolved(result.clone()));
        result
    }
}

impl AppSchema {
    /// The operation's loaders: the ones the transport put in (with the
    /// signed-in person's row fed), else new ones. Each operation has its
    /// own, so nothing is answered from an earlier operation's reads.
    fn loaders(&self, request: &mut Request, query: bool) -> Option<Loaders> {
        let given = request
            .data
            .get(&std::any::TypeId::of::<Loaders>())
            .and_then(|data| data.downcast_ref::<Loaders>())
            .cloned();
        if given.is_some() {
            return given;
        }
        let db = self.db.as_ref()?;
        let loaders = if query {
            Loaders::for_query(db)
        } else {
            Loaders::new(db)
        };
        request.data.insert(loaders.clone());
        Some(loaders)
    }
}

impl Executor for AppSchema {
    async fn execute(&self, mut request: Request) -> Response {
        if let Err(error) = self.resolve_persisted(&mut request) {
            return Response::from_errors(vec![error]);
        }
        self.prepare(&mut request);
        if let Err(error) = cost::check_request(&self.model, &mut request) {
            return Response::from_errors(vec![error]);
        }
        let mutation = is_mutation(&mut request);
        let keys = order::root_keys(&mut request);
        let mut response = match self.loaders(&mut request, !mutation) {
            Some(loaders) => {
                batch::Dispatching::new(self.schema.execute(request), loaders.dispatcher()).await
            }
            None => self.schema.execute(request).await,
        };
        if let Some(keys) = &keys {
            order::reorder(&mut response, keys);
        }
        // After a mutation, `http::execute` settles what this process keeps
        // (`Db::settle_kept`), outside the request's time limit.
        response
    }

    /// A WebSocket operation (query, mutation or subscription). Each gets
    /// one log line and one metrics sample, written when its stream ends
    /// (answered, completed, or stopped by the client), and every error
    /// carries a code as over HTTP.
    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let resolved = self.resolve_persisted(&mut request);
        self.prepare(&mut request);
        let mut log = OperationLog::new(
            operation_label(&mut request),
            session_data.as_deref().and_then(principal_id),
        );
        let stream = match resolved {
            Ok(()) => self.guarded_stream(request, session_data),
            Err(error) => stream::once(async move { Response::from_errors(vec![error]) }).boxed(),
        };
        stream
            .map(move |mut response| {
                ensure_error_codes(&mut response);
                log.note(&response);
                response
            })
            .boxed()
    }
}

impl AppSchema {
    fn guarded_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if let Err(error) = cost::check_request(&self.model, &mut request) {
            return stream::once(async move { Response::from_errors(vec![error]) }).boxed();
        }
        // A subscription's events follow writes whose notification may not
        // have arrived yet: they read the database.
        let loaders = self.loaders(&mut request, false);
        let keys = order::root_keys(&mut request).unwrap_or_default();
        let forget = is_mutation(&mut request).then(|| self.db.clone()).flatten();
        let stream = self
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .then(move |mut response| {
                order::reorder(&mut response, &keys);
                // As over HTTP: after its own mutation this process waits
                // until what it changed is forgotten (see `db::kept`).
                let settle = forget.clone();
                async move {
                    if let Some(db) = settle {
                        db.settle_kept().await;
                    }
                    response
                }
            })
            .boxed();
        match loaders {
            Some(loaders) => {
                let dispatcher = loaders.dispatcher();
                batch::DispatchingStream::new(stream, dispatcher, Box::new(move || loaders.clear()))
                    .boxed()
            }
            None => stream,
        }
    }
}

/// The signed-in person of a WebSocket connection, if any.
fn principal_id(data: &Data) -> Option<i64> {
    data.get(&std::any::TypeId::of::<context::RequestState>())?
        .downcast_ref::<context::RequestState>()?
        .principal
        .as_ref()
        .map(|p| p.employee_id)
}

/// One operation's log line and metrics sample, written when it is
/// dropped: after the last answer, or when the client stops it.
struct OperationLog {
    operation: String,
    principal: Option<i64>,
    started: std::time::Instant,
    answers: u64,
    codes: Vec<String>,
}

impl OperationLog {
    fn new(operation: String, principal: Option<i64>) -> Self {
        OperationLog {
            operation,
            principal,
            started: std::time::Instant::now(),
            answers: 0,
            codes: Vec::new(),
        }
    }

    fn note(&mut self, response: &Response) {
        self.answers += 1;
        self.codes.extend(error_codes(response));
    }
}

impl Drop for OperationLog {
    fn drop(&mut self) {
        let elapsed = self.started.elapsed();
        crate::metrics::record_request(&self.operation, &self.codes, elapsed);
        tracing::info!(
            transport = "ws",
            operation = %self.operation,
            principal = self.principal,
            duration_ms = elapsed.as_secs_f64() * 1000.0,
            answers = self.answers,
            errors = %self.codes.join(","),
            "graphql request"
        );
    }
}

/// The `extensions.code` of each error of `response`, in order.
pub fn error_codes(response: &Response) -> Vec<String> {
    response
        .errors
        .iter()
        .filter_map(|e| {
            e.extensions
                .as_ref()?
                .get("code")
                .map(|c| c.to_string().trim_matches('"').to_owned())
        })
        .collect()
}

/// The metrics and log label of a request: its operation name, or the
/// first named operation of its document.
pub fn operation_label(request: &mut Request) -> String {
    let named = request.operation_name.clone().or_else(|| {
        let doc = request.parsed_query().ok()?;
        match &doc.operations {
            async_graphql::parser::types::DocumentOperations::Multiple(map) => {
                map.keys().next().map(|name| name.to_string())
            }
            async_graphql::parser::types::DocumentOperations::Single(_) => None,
        }
    });
    crate::metrics::operation_label(named.as_deref())
}

/// Whether the request's document holds a mutation.
pub fn is_mutation(request: &mut Request) -> bool {
    request.parsed_query().is_ok_and(|doc| {
        doc.operations
            .iter()
            .any(|(_, op)| op.node.ty == async_graphql::parser::types::OperationType::Mutation)
    })
}

/// Builds the schema with an event bus of its own; `db` becomes
/// schema-wide data (`None` is enough to print the SDL).
pub fn build_schema(db: Option<Db>) -> AppSchema {
    build_schema_with(db, EventBus::new(), false)
}

/// Builds the schema; `db` and the app's event bus become schema-wide data.
/// In production, introspection and field suggestions ("did you mean ...")
/// are off: they map the API for an attacker.
/// Every request passes the cost model ([`cost::check_request`]) before it is
/// validated, over HTTP and WebSocket alike.
pub fn build_schema_with(db: Option<Db>, events: EventBus, production: bool) -> AppSchema {
    let model = cost::CostModel::from_sdl(&sdl_without_guard())
        .unwrap_or_else(|missing| panic!("the cost model cannot read the schema: {missing}"))
        .serving_subgraph_sdl(!production);
    let mut builder = builder().data(events);
    if production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    let schema = match db.clone() {
        Some(db) => builder.data(db).finish(),
        None => builder.finish(),
    };
    AppSchema {
        schema,
        model: Arc::new(model),
        db,
        documents: documents::Documents::default(),
        persisted: persisted::PersistedQueries::default(),
        trusted: None,
    }
}

pub(crate) fn builder() -> async_graphql::SchemaBuilder<
    query::QueryRoot,
    mutation::MutationRoot,
    subscription::SubscriptionRoot,
> {
    Schema::build(
        query::QueryRoot::default(),
        mutation::MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
}

/// The SDL that `rungs schema` prints and `schema.graphql` holds (with
/// `@specifiedBy` on the scalars that have a specification).
///
/// Apollo Federation's own fields and types (`_service`, `_entities`,
/// `_Any`, `_Entity`, `_Service`) are left out: they are for a federation
/// gateway, which reads the subgraph's SDL from `_service { sdl }`, not part
/// of the API clients are written against.
pub fn sdl() -> String {
    let full = build_schema(None)
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by());
    without_federation(&full)
}

/// The Apollo Federation 2 subgraph SDL (with `@key` and `@link`), as
/// `_service { sdl }` answers it outside production.
pub fn federation_sdl() -> String {
    build_schema(None).sdl_with_options(async_graphql::SDLExportOptions::new().federation())
}

/// `sdl` without the federation's fields and type definitions.
fn without_federation(sdl: &str) -> String {
    let federation_type = |block: &str| {
        let definition = block.lines().find(|l| {
            ["scalar ", "union ", "type "]
                .iter()
                .any(|keyword| l.starts_with(keyword))
        });
        definition.is_some_and(|d| {
            ["scalar _Any", "union _Entity", "type _Service"]
                .iter()
                .any(|name| d.starts_with(name))
        })
    };
    let blocks: Vec<String> = sdl
        .split("\n\n")
        .filter(|block| !federation_type(block))
        .map(|block| {
            block
                .lines()
                .filter(|l| !l.starts_with("\t_service:") && !l.starts_with("\t_entities("))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let mut text = blocks.join("\n\n");
    if sdl.ends_with('\n') && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The SDL of the schema's types, read by the cost model.
pub(crate) fn sdl_without_guard() -> String {
    builder().finish().sdl()
}

/// Every error carries `extensions.code`. Errors raised by our resolvers
/// already have one; the rest come from parsing and validation of the
/// request (unknown fields, bad variables, impossible dates), which are the
/// client's input problems: `BAD_USER_INPUT`.
pub fn ensure_error_codes(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_USER_INPUT");
        }
    }
}
