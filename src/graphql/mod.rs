//! The GraphQL layer: thin resolvers that get the principal, call a service
//! and convert the result. Query and mutation roots are split per area and
//! merged; relations go through DataLoaders.

pub mod context;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod scalars;
pub mod types;

use async_graphql::{EmptySubscription, Schema};

use crate::db::Db;

pub type AppSchema = Schema<query::QueryRoot, mutation::MutationRoot, EmptySubscription>;

/// Builds the schema; `db` becomes schema-wide data.
pub fn build_schema(db: Option<Db>) -> AppSchema {
    let builder = Schema::build(
        query::QueryRoot::default(),
        mutation::MutationRoot::default(),
        EmptySubscription,
    );
    match db {
        Some(db) => builder.data(db).finish(),
        None => builder.finish(),
    }
}

/// The SDL that `rungs schema` prints and `schema.graphql` holds.
pub fn sdl() -> String {
    build_schema(None).sdl()
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
