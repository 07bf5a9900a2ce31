//! The persistent eligibility state (tables `eligibility_state` and
//! `eligibility_unblock`, migration `m20261126_000007`): which rows are
//! due, writing computed rows, and the aggregates dashboards read for today.
//!
//! Dates are formatted into the SQL from `NaiveDate`s and ids from `i64`s;
//! texts (sites, markets, options) are bound.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement, Value};

use crate::domain::eligibility::EmployeeFacts;

/// One computed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRow {
    pub employee_id: i64,
    pub job_role_id: i64,
    pub site: String,
    pub market: String,
    pub manager_id: Option<i64>,
    pub hired_on: NaiveDate,
    /// Hired on or before `computed_on`: counts in today's figures.
    pub counted: bool,
    pub eligible: bool,
    pub fast_track: bool,
    pub not_yet: bool,
    pub ineligible: bool,
    pub no_next_step: bool,
    pub stalled: bool,
    /// Some option is INELIGIBLE (a course may unblock it).
    pub blocked: bool,
    /// `domain::eligibility_state::encode_options`.
    pub options: String,
    pub computed_on: NaiveDate,
    /// The first day the answer may change without a write; `None`: never.
    pub due: Option<NaiveDate>,
    /// The revision read before computing (see [`write`]).
    pub revision: i64,
}

/// `due` of a row no dated fact will change.
const NEVER: &str = "9999-12-31";

pub(crate) fn day(date: NaiveDate) -> String {
    format!("'{}'", date.format("%Y-%m-%d"))
}

/// A due row: its id and the revision it had when read.
#[derive(Debug, Clone, Copy, FromQueryResult)]
pub struct Due {
    pub employee_id: i64,
    pub revision: i64,
}

/// Up to `limit` rows that must be recomputed before answering for
/// `today`: stale ones (a write marked them) and those whose `due` day has
/// come. In no particular order: ordering by id would walk the whole
/// table instead of the `due` index (35 ms at 100,000 on SQLite).
pub async fn due<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<Due>, DbErr> {
    let sql = format!(
        "SELECT employee_id, revision FROM eligibility_state WHERE due <= {} LIMIT {limit}",
        day(today)
    );
    Due::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// A stale row for every employee without one (a bulk load that paused the
/// triggers and stopped before marking what it loaded); returns how many.
pub async fn insert_missing<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let sql = format!(
        "INSERT INTO eligibility_state (employee_id, job_role_id, site, market, manager_id, hired_on, due, revision) \
         SELECT e.id, e.job_role_id, e.site, e.market, e.manager_id, e.hired_on, '{STALE}', 1 FROM employee e \
         WHERE NOT EXISTS (SELECT 1 FROM eligibility_state s WHERE s.employee_id = e.id)"
    );
    Ok(db
        .execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .rows_affected())
}

/// Every stale row (marked by a write, not yet recomputed), lowest id first.
pub async fn stale<C: ConnectionTrait>(db: &C) -> Result<Vec<Due>, DbErr> {
    let sql = format!(
        "SELECT employee_id, revision FROM eligibility_state WHERE due = '{STALE}' ORDER BY employee_id"
    );
    Due::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// `due` of a stale row (what the triggers write).
pub const STALE: &str = "1900-01-01";

/// One employee as the engine needs them (the state, the snapshot).
#[derive(Debug, Clone, FromQueryResult)]
pub struct PersonRow {
    pub id: i64,
    pub job_role_id: i64,
    pub manager_id: Option<i64>,
    pub site: String,
    pub market: String,
    pub hired_on: NaiveDate,
    pub role_since: NaiveDate,
    pub salary_minor: i64,
    pub currency: String,
    pub pay_basis: crate::db::entities::enums::PayBasis,
    pub fte_bp: i64,
}

impl PersonRow {
    /// The engine's view of this person with `facts` (the ladder gives
    /// their market's standard hours).
    pub fn with<'a>(
        &self,
        facts: &'a crate::db::facts::Facts,
        ladder: &crate::db::facts::Ladder,
    ) -> EmployeeFacts<'a> {
        EmployeeFacts {
            hired_on: self.hired_on,
            role_since: self.role_since,
            salary_minor: self.salary_minor,
            currency: self.currency.clone(),
            pay: crate::domain::pay_basis::PayTerms {
                basis: self.pay_basis.into(),
                fte_bp: self.fte_bp,
                annual_hours: ladder.annual_hours(&self.market),
            },
            certifications: &facts.certifications,
            reviews: &facts.reviews,
            skills: &facts.skills,
            has_open_nomination: facts.open_nomination,
        }
    }
}

/// The employee rows of `ids`.
pub async fn people<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Vec<PersonRow>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, job_role_id, manager_id, site, market, hired_on, role_since, salary_minor, currency, pay_basis, fte_bp \
         FROM employee WHERE id IN ({}) ORDER BY id",
        id_list(ids)
    );
    PersonRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Whether [`write`] may overwrite a row someone changed since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Inside the write transaction that changed the facts (it holds the
    /// row): always write.
    Holder,
    /// A recomputation outside that transaction: write a row only if its
    /// `revision` is still the one read before computing.
    IfUnchanged,
}

const COLUMNS: &[&str] = &[
    "employee_id",
    "job_role_id",
    "site",
    "market",
    "manager_id",
    "hired_on",
    "counted",
    "eligible",
    "fast_track",
    "not_yet",
    "ineligible",
    "no_next_step",
    "stalled",
    "blocked",
    "options",
    "computed_on",
    "due",
    "revision",
];

/// Rows per statement (18 parameters each, under SQLite's 32,766).
const WRITE_CHUNK: usize = 1_000;

/// A row's values, in the order of `COLUMNS`.
fn row_values(row: &StateRow) -> [Value; 18] {
    let flag = |b: bool| Value::from(i32::from(b));
    [
        Value::from(row.employee_id),
        Value::from(row.job_role_id),
        Value::from(row.site.clone()),
        Value::from(row.market.clone()),
        Value::from(row.manager_id),
        Value::from(row.hired_on),
        flag(row.counted),
        flag(row.eligible),
        flag(row.fast_track),
        flag(row.not_yet),
        flag(row.ineligible),
        flag(row.no_next_step),
        flag(row.stalled),
        flag(row.blocked),
        Value::from(row.options.clone()),
        Value::from(row.computed_on),
        Value::from(
            row.due
                .unwrap_or_else(|| NEVER.parse().expect("a valid date")),
        ),
        Value::from(row.revision),
    ]
}

/// Inserts the rows of a bulk load's new people, with multi-row INSERTs
/// that return nothing. A row may already be there: an instance starting
/// (or its sweep) between the load's commit of the employees and this one
/// marks them stale with [`insert_missing`]. The load's computed row then
/// replaces it, and moves its revision so a recomputation already under
/// way for it is not written over it.
pub async fn insert_new<C: ConnectionTrait>(db: &C, rows: &[StateRow]) -> Result<(), DbErr> {
    let values: Vec<Vec<Value>> = rows.iter().map(|r| row_values(r).into()).collect();
    let updates: Vec<String> = COLUMNS[1..COLUMNS.len() - 1]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let on_conflict = format!(
        " ON CONFLICT (employee_id) DO UPDATE SET {}, revision = eligibility_state.revision + 1",
        updates.join(", ")
    );
    crate::db::bulk::insert_rows_then(db, "eligibility_state", COLUMNS, values, &on_conflict).await
}

/// Writes computed rows; returns the ids actually written (under
/// [`Guard::IfUnchanged`], rows changed meanwhile are left, still due).
pub async fn write<C: ConnectionTrait>(
    db: &C,
    rows: &[StateRow],
    guard: Guard,
) -> Result<Vec<i64>, DbErr> {
    let backend = db.get_database_backend();
    let updates: Vec<String> = COLUMNS[1..COLUMNS.len() - 1]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // A guarded write moves the revision too, so of two recomputations
    // racing for one row (two instances, or two days around midnight) only
    // the first is written.
    let condition = match guard {
        Guard::Holder => "",
        Guard::IfUnchanged => {
            ", revision = eligibility_state.revision + 1 WHERE eligibility_state.revision = excluded.revision"
        }
    };
    let mut written = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(WRITE_CHUNK) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * COLUMNS.len());
        let mut tuples = Vec::with_capacity(chunk.len());
        for (i, row) in chunk.iter().enumerate() {
            let base = i * COLUMNS.len();
            let marks: Vec<String> = (1..=COLUMNS.len())
                .map(|k| match backend {
                    sea_orm::DatabaseBackend::Postgres => format!("${}", base + k),
                    _ => "?".to_owned(),
                })
                .collect();
            tuples.push(format!("({})", marks.join(", ")));
            values.extend(row_values(row));
        }
        let sql = format!(
            "INSERT INTO eligibility_state ({}) VALUES {} ON CONFLICT (employee_id) DO UPDATE SET {}{condition} \
             RETURNING employee_id",
            COLUMNS.join(", "),
            tuples.join(", "),
            updates.join(", ")
        );
        let returned = db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        for row in returned {
            written.push(row.try_get::<i64>("", "employee_id")?);
        }
    }
    Ok(written)
}

/// Replaces the courses that would unblock each of `ids` with `pairs`
/// (employee id, course id) belonging to them.
pub async fn write_unblocks<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    pairs: &[(i64, i64)],
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in ids.chunks(10_000) {
        db.execute_raw(Statement::from_string(
            backend,
            format!(
                "DELETE FROM eligibility_unblock WHERE employee_id IN ({})",
                id_list(chunk)
            ),
        ))
        .await?;
    }
    for chunk in pairs.chunks(10_000) {
        let tuples: Vec<String> = chunk.iter().map(|(e, c)| format!("({e}, {c})")).collect();
        db.execute_raw(Statement::from_string(
            backend,
            format!(
                "INSERT INTO eligibility_unblock (employee_id, course_id) VALUES {}",
                tuples.join(", ")
            ),
        ))
        .await?;
    }
    Ok(())
}

/// What a dashboard groups by, as a column of `eligibility_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupColumn {
    Role,
    Site,
    Market,
    Manager,
}

impl GroupColumn {
    fn sql(self) -> &'static str {
        match self {
            GroupColumn::Role => "CAST(job_role_id AS TEXT)",
            GroupColumn::Site => "site",
            GroupColumn::Market => "market",
            GroupColumn::Manager => "COALESCE(CAST(manager_id AS TEXT), 'none')",
        }
    }
}

/// One group's counts.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Counts {
    pub key: String,
    /// The manager's name (MANAGER groupings only).
    pub label: Option<String>,
    pub total: i64,
    pub eligible: i64,
    pub fast_track: i64,
    pub not_yet: i64,
    pub ineligible: i64,
    pub no_next_step: i64,
    pub stalled: i64,
}

/// Counts per group of everyone hired on or before `today`: for everyone
/// (`scope_filter` empty), summed from the running totals per cell (a few
/// thousand rows whatever the headcount); within a scope (an SQL condition
/// on `employee_id`), counted over the state rows. The rows must be current
/// for `today` (nothing due). The first `limit` groups in byte order of
/// their key.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    group: GroupColumn,
    scope_filter: &str,
    limit: usize,
) -> Result<Vec<Counts>, DbErr> {
    let figures = [
        "total",
        "eligible",
        "fast_track",
        "not_yet",
        "ineligible",
        "no_next_step",
        "stalled",
    ];
    let order = crate::db::dashboard::byte_order(db.get_database_backend());
    let from = if scope_filter.is_empty() {
        let column = match group {
            GroupColumn::Manager => {
                "CASE WHEN manager_id = 0 THEN 'none' ELSE CAST(manager_id AS TEXT) END"
            }
            _ => group.sql(),
        };
        let sums = figures.map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"));
        format!(
            "SELECT {column} AS key, MAX(manager_id) AS manager_id, {} FROM eligibility_cell \
                 GROUP BY {column} HAVING SUM(total) > 0 ORDER BY {column}{order} LIMIT {limit}",
            sums.join(", ")
        )
    } else {
        let sums: Vec<String> = figures[1..]
            .iter()
            .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
            .collect();
        let column = group.sql();
        format!(
            "SELECT {column} AS key, MAX(manager_id) AS manager_id, COUNT(*) AS total, {} \
                 FROM eligibility_state WHERE hired_on <= {}{scope_filter} GROUP BY {column} \
                 ORDER BY {column}{order} LIMIT {limit}",
            sums.join(", "),
            day(today)
        )
    };
    // Managers are named in the same statement (one join per group, not
    // thousands of ids sent back).
    let sql = match group {
        GroupColumn::Manager => format!(
            "SELECT g.*, e.name AS label FROM ({from}) g LEFT JOIN employee e ON e.id = g.manager_id"
        ),
        _ => format!("SELECT g.*, CAST(NULL AS TEXT) AS label FROM ({from}) g"),
    };
    Counts::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct CourseCount {
    pub course_id: i64,
    pub people: i64,
}

/// How many people in scope each course would unblock today (for everyone,
/// from the running counts).
pub async fn course_counts<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    scope_filter: &str,
) -> Result<Vec<CourseCount>, DbErr> {
    if scope_filter.is_empty() {
        let sql = "SELECT course_id, people FROM course_unblock_count WHERE people > 0".to_owned();
        return CourseCount::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .all(db)
        .await;
    }
    let sql = format!(
        "SELECT u.course_id, COUNT(*) AS people FROM eligibility_unblock u \
         JOIN eligibility_state s ON s.employee_id = u.employee_id \
         WHERE s.hired_on <= {}{scope_filter} GROUP BY u.course_id",
        day(today)
    );
    CourseCount::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// Every stored row of `ids` (for the agreement tests).
pub async fn stored<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Vec<StoredRow>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT s.employee_id, s.eligible, s.fast_track, s.not_yet, s.ineligible, s.no_next_step, s.stalled, \
           s.options, s.due, (SELECT {} FROM eligibility_unblock u WHERE u.employee_id = s.employee_id) AS unblocks \
         FROM eligibility_state s WHERE s.employee_id IN ({}) ORDER BY s.employee_id",
        match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres =>
                "string_agg(CAST(u.course_id AS TEXT), ',' ORDER BY u.course_id)",
            _ => "group_concat(u.course_id, ',')",
        },
        id_list(ids)
    );
    StoredRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// A row as stored.
#[derive(Debug, Clone, FromQueryResult)]
pub struct StoredRow {
    pub employee_id: i64,
    pub eligible: i32,
    pub fast_track: i32,
    pub not_yet: i32,
    pub ineligible: i32,
    pub no_next_step: i32,
    pub stalled: i32,
    pub options: String,
    pub due: NaiveDate,
    pub unblocks: Option<String>,
}

/// A stored row's site and options (succession's bench, issue 21).
#[derive(Debug, Clone, FromQueryResult)]
pub struct SiteOptions {
    pub employee_id: i64,
    pub site: String,
    pub options: String,
}

/// The site and options of everyone hired by `today` on one of `roles`
/// (at `site` when given), with `filter` (an ` AND ...` over
/// `employee_id`, or nothing).
pub async fn site_options<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    roles: &[i64],
    site: Option<&str>,
    filter: &str,
) -> Result<Vec<SiteOptions>, DbErr> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT employee_id, site, options FROM eligibility_state \
         WHERE job_role_id IN ({}) AND hired_on <= {}{}{filter}",
        id_list(roles),
        day(today),
        if site.is_some() { " AND site = ?" } else { "" }
    );
    let values: Vec<sea_orm::Value> = site.map(|s| s.to_owned().into()).into_iter().collect();
    SiteOptions::find_by_statement(Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(backend, &sql),
        values,
    ))
    .all(db)
    .await
}
