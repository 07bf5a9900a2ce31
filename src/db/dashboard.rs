//! The dashboards' SQL: aggregates the database computes on its own, and
//! the chunks of people and folded facts the engine path reads. Dates are
//! formatted from `NaiveDate`s and ids from `i64`s; nothing from a request
//! is formatted into the SQL.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, FromQueryResult, Statement,
};

use crate::db::eligibility_state::PersonRow;
use crate::db::facts::Fold;

/// How many people hired by the day earn one salary in one role, market,
/// currency, basis and FTE (and, when grouped by site or manager, share that `key`).
#[derive(Debug, FromQueryResult)]
pub struct SalaryCount {
    pub key: Option<String>,
    pub job_role_id: i64,
    pub market: String,
    pub currency: String,
    pub pay_basis: crate::db::entities::enums::PayBasis,
    pub fte_bp: i64,
    pub salary_minor: i64,
    pub n: i64,
}

/// The salary histogram of everyone hired on or before `as_of` (filtered by
/// `scope_filter`, a condition on `e.id`, or empty), one row per distinct
/// (`key`, role, market, currency, salary), handed to `each` as the
/// database streams it. Grouped without `key` the database walks
/// `employee_pay_histogram` in order; the rows are as many as distinct
/// salaries, not people, and none is kept here.
pub async fn salary_histogram(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    key: Option<&str>,
    scope_filter: &str,
    each: impl FnMut(SalaryCount),
) -> Result<(), DbErr> {
    let (select_key, group_key) = match key {
        Some(key) => (format!("{key} AS key"), format!("{key}, ")),
        None => ("CAST(NULL AS TEXT) AS key".to_owned(), String::new()),
    };
    let sql = format!(
        "SELECT {select_key}, e.job_role_id, e.market, e.currency, e.pay_basis, e.fte_bp, \
                e.salary_minor, COUNT(*) AS n \
         FROM employee e WHERE e.hired_on <= {}{scope_filter} \
         GROUP BY {group_key}e.job_role_id, e.market, e.currency, e.pay_basis, e.fte_bp, \
                  e.salary_minor",
        day(as_of)
    );
    for_each_row(db, sql, each).await
}

/// Hands each row of `sql` to `each` as the database streams it: memory
/// stays one row, whatever the count.
async fn for_each_row<T: FromQueryResult + Send>(
    db: &DatabaseConnection,
    sql: String,
    mut each: impl FnMut(T),
) -> Result<(), DbErr> {
    use futures::TryStreamExt;
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let mut rows = T::find_by_statement(statement).stream(db).await?;
    while let Some(row) = rows.try_next().await? {
        each(row);
    }
    Ok(())
}

/// `ORDER BY` in byte order on both databases (as Rust sorts strings), so
/// that a `LIMIT` keeps the groups a sort in Rust would keep first.
pub fn byte_order(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => " COLLATE \"C\"",
        _ => "",
    }
}

/// `'YYYY-MM-DD'`.
fn day(date: NaiveDate) -> String {
    format!("'{}'", date.format("%Y-%m-%d"))
}

async fn rows<C: ConnectionTrait, T: FromQueryResult>(
    db: &C,
    sql: String,
) -> Result<Vec<T>, DbErr> {
    T::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// `AND <column> IN (everyone below manager)` for a chain, nothing for
/// everyone.
pub fn chain_filter(chain: Option<i64>, column: &str) -> String {
    match chain {
        None => String::new(),
        Some(id) => format!(" AND {column} IN ({})", crate::db::scope::chain_ids_sql(id)),
    }
}

/// Facts folded into one text column per employee by the database (see
/// `db::facts::Fold`): one row per person instead of one per review and
/// certificate, which is what makes a cold snapshot cheap to ship.
#[derive(Debug, FromQueryResult)]
struct FoldedRow {
    employee_id: i64,
    folded: Option<String>,
}

/// Folded reviews (up to `as_of`) and VERIFIED certificates (issued by then;
/// expired ones too: they explain since when someone has been eligible) of
/// the people in `chain` (or everyone) with ids in `first..=last`, and
/// their counted skill assessments (not self-assessments) of
/// `required_skills` up to `as_of` (`None`: every date, future ones too):
/// three statements, run concurrently.
pub async fn folded_facts(
    db: &crate::db::Db,
    chain: Option<i64>,
    as_of: Option<NaiveDate>,
    (first, last): (i64, i64),
    required_skills: &[i64],
) -> Result<[HashMap<i64, String>; 3], DbErr> {
    // Every date is on or before the last day there is.
    let last_day = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let day = day(as_of.unwrap_or(last_day));
    let fold = Fold::for_backend(db.backend());
    let reviews_sql = format!(
        "SELECT r.employee_id, {} AS folded FROM performance_review r \
         WHERE r.employee_id BETWEEN {first} AND {last} AND r.period_end <= {day}{} \
         GROUP BY r.employee_id",
        fold.reviews(),
        chain_filter(chain, "r.employee_id")
    );
    let certs_sql = format!(
        "SELECT c.employee_id, {} AS folded FROM certification c \
         WHERE c.employee_id BETWEEN {first} AND {last} AND c.status = 'VERIFIED' \
           AND c.issued_on <= {day}{} GROUP BY c.employee_id",
        fold.certs_without_names(),
        chain_filter(chain, "c.employee_id")
    );
    // Only the skills some step asks for can change a verdict; with none
    // required (a fresh ladder) the statement is skipped.
    let skills_sql = (!required_skills.is_empty()).then(|| {
        let list: Vec<String> = required_skills.iter().map(i64::to_string).collect();
        format!(
            "SELECT a.employee_id, {} AS folded FROM skill_assessment a \
             WHERE a.employee_id BETWEEN {first} AND {last} AND a.source <> 'SELF' \
               AND a.skill_id IN ({}) AND a.assessed_on <= {day}{} GROUP BY a.employee_id",
            fold.skills(),
            list.join(","),
            chain_filter(chain, "a.employee_id")
        )
    });
    let skills_rows = async {
        match skills_sql {
            Some(sql) => rows::<_, FoldedRow>(&db.conn, sql).await,
            None => Ok(Vec::new()),
        }
    };
    let (reviews, certs, skills) = tokio::try_join!(
        rows::<_, FoldedRow>(&db.conn, reviews_sql),
        rows::<_, FoldedRow>(&db.conn, certs_sql),
        skills_rows,
    )?;
    let unfold = |rows: Vec<FoldedRow>| -> HashMap<i64, String> {
        rows.into_iter()
            .filter_map(|r| Some((r.employee_id, r.folded?)))
            .collect()
    };
    Ok([unfold(reviews), unfold(certs), unfold(skills)])
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: i64,
}

/// Everyone with a PENDING nomination and an id in `first..=last`.
pub async fn open_nominees_between<C: ConnectionTrait>(
    db: &C,
    (first, last): (i64, i64),
) -> Result<HashSet<i64>, DbErr> {
    let sql = format!(
        "SELECT nominee_id AS id FROM nomination WHERE status = 'PENDING' AND nominee_id BETWEEN {first} AND {last}"
    );
    Ok(rows::<_, IdRow>(db, sql)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Everyone in `chain` (or everyone) with a PENDING nomination.
pub async fn open_nominees<C: ConnectionTrait>(
    db: &C,
    chain: Option<i64>,
) -> Result<HashSet<i64>, DbErr> {
    let sql = format!(
        "SELECT nominee_id AS id FROM nomination WHERE status = 'PENDING'{}",
        chain_filter(chain, "nomination.nominee_id")
    );
    Ok(rows::<_, IdRow>(db, sql)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// The next `limit` people in `chain` (or everyone) hired on or before
/// `as_of` with ids above `after`, by id.
pub async fn people_after<C: ConnectionTrait>(
    db: &C,
    chain: Option<i64>,
    as_of: NaiveDate,
    after: i64,
    limit: usize,
) -> Result<Vec<PersonRow>, DbErr> {
    rows(
        db,
        format!(
            "SELECT id, job_role_id, manager_id, site, market, hired_on, role_since, salary_minor, currency, pay_basis, fte_bp \
             FROM employee WHERE id > {after} AND hired_on <= {}{} ORDER BY id LIMIT {limit}",
            day(as_of),
            chain_filter(chain, "employee.id")
        ),
    )
    .await
}

/// A count under a key.
#[derive(Debug, FromQueryResult)]
pub struct CountRow {
    pub key: String,
    pub n: i64,
}

/// Headcount hired on or before `as_of` per `group` (employee columns),
/// keyed by `key` (an expression over them): the first `limit` keys in
/// byte order. Grouped by plain columns, the database counts from an index.
pub async fn headcount<C: ConnectionTrait>(
    db: &C,
    chain: Option<i64>,
    as_of: NaiveDate,
    (group, key): (&str, &str),
    limit: usize,
) -> Result<Vec<CountRow>, DbErr> {
    rows(
        db,
        format!(
            "SELECT {key} AS key, COUNT(*) AS n FROM employee WHERE hired_on <= {}{} \
             GROUP BY {group} ORDER BY {key}{} LIMIT {limit}",
            day(as_of),
            chain_filter(chain, "employee.id"),
            byte_order(db.get_database_backend())
        ),
    )
    .await
}

/// Holders of a certificate kind and level.
#[derive(Debug, FromQueryResult)]
pub struct CoverageRow {
    pub kind: String,
    pub level: Option<String>,
    pub n: i64,
}

/// People holding each kind and level (VERIFIED and valid on `as_of`), and
/// the headcount.
pub async fn coverage<C: ConnectionTrait>(
    db: &C,
    chain: Option<i64>,
    as_of: NaiveDate,
) -> Result<(Vec<CoverageRow>, i64), DbErr> {
    let day = day(as_of);
    let valid = format!(
        "status = 'VERIFIED' AND issued_on <= {day} AND (expires_on IS NULL OR expires_on > {day}){}",
        chain_filter(chain, "certification.employee_id")
    );
    let counted: Vec<CoverageRow> = rows(
        db,
        format!(
            "SELECT kind, COALESCE(belt, cefr) AS level, COUNT(DISTINCT employee_id) AS n \
             FROM certification WHERE {valid} GROUP BY kind, COALESCE(belt, cefr)"
        ),
    )
    .await?;
    let total: Vec<CountRow> = rows(
        db,
        format!(
            "SELECT 'all' AS key, COUNT(*) AS n FROM employee WHERE hired_on <= {day}{}",
            chain_filter(chain, "employee.id")
        ),
    )
    .await?;
    Ok((counted, total.first().map(|r| r.n).unwrap_or(0)))
}

/// A decided nomination's dates.
#[derive(Debug, FromQueryResult)]
pub struct Decided {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

/// Nominations created on or before `as_of` by status; the dates of those
/// approved or rejected are handed to `decided` as the database streams
/// them (a million-person organisation has hundreds of thousands).
pub async fn nominations(
    db: &DatabaseConnection,
    chain: Option<i64>,
    as_of: NaiveDate,
    decided: impl FnMut(Decided),
) -> Result<Vec<CountRow>, DbErr> {
    let end = day(as_of.succ_opt().unwrap_or(as_of));
    let filter = chain_filter(chain, "nomination.nominee_id");
    let counted = rows(
        db,
        format!("SELECT status AS key, COUNT(*) AS n FROM nomination WHERE created_at < {end}{filter} GROUP BY status"),
    )
    .await?;
    for_each_row(
        db,
        format!(
            "SELECT created_at, decided_at FROM nomination WHERE decided_at IS NOT NULL AND created_at < {end} \
             AND status IN ('APPROVED', 'REJECTED'){filter}"
        ),
        decided,
    )
    .await?;
    Ok(counted)
}

/// Headcount of one role at one site.
#[derive(Debug, FromQueryResult)]
pub struct SiteRoleRow {
    pub site: String,
    pub job_role_id: i64,
    pub n: i64,
}

/// Headcount hired on or before `as_of` per site of the roles `roles`.
pub async fn per_site<C: ConnectionTrait>(
    db: &C,
    chain: Option<i64>,
    as_of: NaiveDate,
    roles: [i64; 2],
) -> Result<Vec<SiteRoleRow>, DbErr> {
    rows(
        db,
        format!(
            "SELECT site, job_role_id, COUNT(*) AS n FROM employee WHERE hired_on <= {} AND job_role_id IN ({}, {}){} \
             GROUP BY site, job_role_id",
            day(as_of),
            roles[0],
            roles[1],
            chain_filter(chain, "employee.id")
        ),
    )
    .await
}

/// A person's first promotion: the second role in their history.
#[derive(Debug, FromQueryResult)]
pub struct FirstPromotion {
    pub job_role_id: i64,
    pub hired_on: NaiveDate,
    pub started_on: NaiveDate,
}

/// Everyone's first promotion on or before `as_of`, handed to `each` as
/// the database streams them.
pub async fn first_promotions(
    db: &DatabaseConnection,
    chain: Option<i64>,
    as_of: NaiveDate,
    each: impl FnMut(FirstPromotion),
) -> Result<(), DbErr> {
    for_each_row(
        db,
        format!(
            "SELECT ranked.job_role_id, employee.hired_on, ranked.started_on FROM (\
               SELECT employee_id, job_role_id, started_on, ROW_NUMBER() OVER (\
                 PARTITION BY employee_id ORDER BY started_on, id) AS rn FROM role_assignment) ranked \
             JOIN employee ON employee.id = ranked.employee_id \
             WHERE ranked.rn = 2 AND ranked.started_on <= {}{}",
            day(as_of),
            chain_filter(chain, "employee.id")
        ),
        each,
    )
    .await
}
