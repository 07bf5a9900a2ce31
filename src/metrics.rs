//! Process metrics in the Prometheus text format (`GET /metrics`): GraphQL
//! requests by operation and outcome, a latency histogram, errors by
//! `extensions.code`, SQL statements, the database pool, login failures.
//!
//! Operation names come from clients, so they are sanitised and capped in
//! number (the rest count as `other`): a client cannot blow up the series.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::db::{Db, STATEMENTS, STATEMENT_ERRORS};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Distinct operation names kept before the rest count as `other`.
const MAX_OPERATIONS: usize = 200;

pub static LOGIN_FAILURES: AtomicU64 = AtomicU64::new(0);

#[derive(Default)]
struct Registry {
    requests: BTreeMap<(String, &'static str), u64>,
    /// The operation names in `requests`.
    operations: std::collections::BTreeSet<String>,
    errors: BTreeMap<String, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

/// A label-safe operation name.
pub fn operation_label(name: Option<&str>) -> String {
    let cleaned: String = name
        .unwrap_or("anonymous")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect();
    if cleaned.is_empty() {
        "anonymous".into()
    } else {
        cleaned
    }
}

/// Records one GraphQL request.
pub fn record_request(operation: &str, error_codes: &[String], elapsed: Duration) {
    let Ok(mut guard) = REGISTRY.lock() else {
        return;
    };
    let registry = guard.get_or_insert_with(Registry::default);
    let outcome = if error_codes.is_empty() {
        "ok"
    } else {
        "error"
    };
    let operation =
        if registry.operations.contains(operation) || registry.operations.len() < MAX_OPERATIONS {
            operation.to_owned()
        } else {
            "other".into()
        };
    registry.operations.insert(operation.clone());
    *registry.requests.entry((operation, outcome)).or_default() += 1;
    for code in error_codes {
        *registry.errors.entry(code.clone()).or_default() += 1;
    }
    let seconds = elapsed.as_secs_f64();
    for (i, bound) in BUCKETS.iter().enumerate() {
        if seconds <= *bound {
            registry.buckets[i] += 1;
        }
    }
    registry.count += 1;
    registry.sum_seconds += seconds;
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// One metric without labels: HELP, TYPE and its value.
fn scalar(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    let _ = writeln!(out, "{name} {value}");
}

/// The exposition text.
pub fn render(db: &Db) -> String {
    let mut out = String::new();
    for (name, kind, help, value) in process_metrics(db) {
        scalar(&mut out, name, kind, help, value);
    }
    let guard = REGISTRY.lock();
    let empty = Registry::default();
    let registry = match guard.as_ref() {
        Ok(g) => g.as_ref().unwrap_or(&empty),
        Err(_) => &empty,
    };
    render_requests(&mut out, registry);
    render_errors(&mut out, registry);
    render_latency(&mut out, registry);
    out
}

/// The metrics without labels: name, type, help and value.
fn process_metrics(db: &Db) -> [(&'static str, &'static str, &'static str, u64); 8] {
    let (size, idle) = pool_state(db);
    [
        (
            "rungs_db_statements_total",
            "counter",
            "SQL statements issued by this process.",
            STATEMENTS.load(Ordering::Relaxed),
        ),
        (
            "rungs_db_statement_errors_total",
            "counter",
            "SQL statements that failed.",
            STATEMENT_ERRORS.load(Ordering::Relaxed),
        ),
        (
            "rungs_connections_refused_total",
            "counter",
            "Connections closed at once because the connection cap was reached.",
            crate::connections::REFUSED.load(Ordering::Relaxed),
        ),
        (
            "rungs_connections_evicted_total",
            "counter",
            "Connections that had sent nothing, closed to make room at the cap.",
            crate::connections::EVICTED.load(Ordering::Relaxed),
        ),
        (
            "rungs_connections_timed_out_total",
            "counter",
            "Connections closed because the client was too slow or idle too long.",
            crate::connections::TIMED_OUT.load(Ordering::Relaxed),
        ),
        (
            "rungs_db_pool_connections",
            "gauge",
            "Connections open in the pool.",
            u64::from(size),
        ),
        (
            "rungs_db_pool_in_use",
            "gauge",
            "Connections in use.",
            u64::from(size.saturating_sub(idle)),
        ),
        (
            "rungs_login_failures_total",
            "counter",
            "Failed logins.",
            LOGIN_FAILURES.load(Ordering::Relaxed),
        ),
    ]
}

fn render_requests(out: &mut String, registry: &Registry) {
    let _ = writeln!(
        out,
        "# HELP rungs_graphql_requests_total GraphQL requests by operation name and outcome."
    );
    let _ = writeln!(out, "# TYPE rungs_graphql_requests_total counter");
    for ((operation, outcome), n) in &registry.requests {
        let _ = writeln!(
            out,
            "rungs_graphql_requests_total{{operation=\"{}\",outcome=\"{outcome}\"}} {n}",
            escape(operation)
        );
    }
}

fn render_errors(out: &mut String, registry: &Registry) {
    let _ = writeln!(
        out,
        "# HELP rungs_graphql_errors_total GraphQL errors by extensions.code."
    );
    let _ = writeln!(out, "# TYPE rungs_graphql_errors_total counter");
    for (code, n) in &registry.errors {
        let _ = writeln!(
            out,
            "rungs_graphql_errors_total{{code=\"{}\"}} {n}",
            escape(code)
        );
    }
}

fn render_latency(out: &mut String, registry: &Registry) {
    let _ = writeln!(
        out,
        "# HELP rungs_graphql_request_duration_seconds GraphQL request latency."
    );
    let _ = writeln!(
        out,
        "# TYPE rungs_graphql_request_duration_seconds histogram"
    );
    for (i, bound) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            out,
            "rungs_graphql_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
            registry.buckets[i]
        );
    }
    let _ = writeln!(
        out,
        "rungs_graphql_request_duration_seconds_bucket{{le=\"+Inf\"}} {}",
        registry.count
    );
    let _ = writeln!(
        out,
        "rungs_graphql_request_duration_seconds_sum {}",
        registry.sum_seconds
    );
    let _ = writeln!(
        out,
        "rungs_graphql_request_duration_seconds_count {}",
        registry.count
    );
}

fn pool_state(db: &Db) -> (u32, u32) {
    match db.backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.conn.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => {
            let pool = db.conn.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_sanitised() {
        assert_eq!(operation_label(Some("MyQuery")), "MyQuery");
        assert_eq!(operation_label(Some("bad\"} label")), "badlabel");
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("!!!")), "anonymous");
    }
}
