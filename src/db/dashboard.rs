//! Dashboard aggregates the database computes on its own (no engine).

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

/// A compa-ratio group as the database summarises it: count, extremes,
/// people outside the band, and the two order statistics either side of
/// each quartile (interpolated by the caller).
#[derive(Debug, Clone, FromQueryResult)]
pub struct CompaRow {
    pub key: String,
    pub n: i64,
    pub min: f64,
    pub max: f64,
    pub below_min: i64,
    pub above_max: i64,
    pub p25_lo: f64,
    pub p25_hi: f64,
    pub p50_lo: f64,
    pub p50_hi: f64,
    pub p75_lo: f64,
    pub p75_hi: f64,
}

/// Compa-ratios (salary / band midpoint) of everyone hired on or before
/// `as_of` whose role and market have a band in their salary's currency,
/// grouped by the employee expression `key` (over alias `e`), filtered by
/// `scope_filter` (a condition on `e.id`, or empty).
pub async fn compa_ratios<C: ConnectionTrait>(
    db: &C,
    as_of: NaiveDate,
    key: &str,
    scope_filter: &str,
) -> Result<Vec<CompaRow>, DbErr> {
    let backend = db.get_database_backend();
    let float = match backend {
        sea_orm::DatabaseBackend::Postgres => "DOUBLE PRECISION",
        _ => "REAL",
    };
    // Order statistic k of a quartile q (in percent): floor and ceiling of
    // q * (n - 1), in integer arithmetic.
    let at = |q: u32| {
        format!(
            "MAX(CASE WHEN i = (n - 1) * {q} / 100 THEN ratio END) AS p{q}_lo, \
             MAX(CASE WHEN i = ((n - 1) * {q} + 99) / 100 THEN ratio END) AS p{q}_hi"
        )
    };
    let sql = format!(
        "WITH r AS (\
           SELECT {key} AS key, CAST(e.salary_minor AS {float}) / b.midpoint_minor AS ratio, \
             CASE WHEN e.salary_minor < b.min_minor THEN 1 ELSE 0 END AS below, \
             CASE WHEN e.salary_minor > b.max_minor THEN 1 ELSE 0 END AS above \
           FROM employee e JOIN salary_band b ON b.job_role_id = e.job_role_id \
             AND b.market = e.market AND b.currency = e.currency \
           WHERE e.hired_on <= '{}' AND b.midpoint_minor > 0{scope_filter}), \
         ranked AS (\
           SELECT key, ratio, below, above, \
             ROW_NUMBER() OVER (PARTITION BY key ORDER BY ratio) - 1 AS i, \
             COUNT(*) OVER (PARTITION BY key) AS n FROM r) \
         SELECT key, COUNT(*) AS n, MIN(ratio) AS min, MAX(ratio) AS max, \
           SUM(below) AS below_min, SUM(above) AS above_max, {}, {}, {} \
         FROM ranked GROUP BY key",
        as_of.format("%Y-%m-%d"),
        at(25),
        at(50),
        at(75)
    );
    CompaRow::find_by_statement(Statement::from_string(backend, sql))
        .all(db)
        .await
}
