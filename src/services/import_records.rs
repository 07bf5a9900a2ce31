//! `rungs import certifications|reviews FILE.csv`: an employee's
//! certificates and performance reviews from a spreadsheet. The employee is
//! named by employee number or email and must already be in the database
//! (import employees first).
//!
//! Idempotent on natural keys: a certificate is (employee, kind, name,
//! issued_on), a review is (employee, period_end). A row whose key exists
//! updates that record when another field differs and is skipped when
//! nothing does; two rows with the same key in one file are a problem. The
//! field rules are those of `services::records` (kind-specific fields,
//! ranges of ratings and KPIs). Certificates imported without a status are
//! VERIFIED (HR's own records, as when HR records one through the API).

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set, Value};

use crate::db::bulk::{insert_rows, CERTIFICATION_COLUMNS, REVIEW_COLUMNS};
use crate::db::entities::enums as stored;
use crate::db::entities::{certification, employee, performance_review};
use crate::db::Db;
use crate::domain::enums::{CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt};
use crate::error::AppResult;
use crate::services::import::{
    read_rows, Check, EmployeeRef, ImportOptions, ImportOutcome, ImportSummary, Problem, Progress,
    Row,
};
use crate::services::records::{check_kind_fields, in_range};
use crate::services::{audit, validate};

/// Certificate columns: required, then optional.
pub const CERT_REQUIRED: &[&str] = &["employee", "kind", "name", "issued_on"];
pub const CERT_OPTIONAL: &[&str] = &["belt", "language", "cefr", "expires_on", "status"];
/// Review columns: required, then optional.
pub const REVIEW_REQUIRED: &[&str] = &["employee", "period_end", "rating"];
pub const REVIEW_OPTIONAL: &[&str] = &[
    "csat",
    "avg_response_seconds",
    "resolution_accuracy",
    "interactions_per_day",
];

/// Employee ids by number and by email.
struct People {
    by_number: HashMap<String, i64>,
    by_email: HashMap<String, i64>,
}

impl People {
    async fn load(db: &Db) -> AppResult<People> {
        let all: Vec<(i64, String, String)> = employee::Entity::find()
            .select_only()
            .column(employee::Column::Id)
            .column(employee::Column::EmployeeNumber)
            .column(employee::Column::Email)
            .into_tuple()
            .all(&db.conn)
            .await?;
        let mut people = People {
            by_number: HashMap::with_capacity(all.len()),
            by_email: HashMap::with_capacity(all.len()),
        };
        for (id, number, email) in all {
            people.by_number.insert(number, id);
            people.by_email.insert(email, id);
        }
        Ok(people)
    }

    fn resolve(&self, check: &mut Check, value: &str) -> Option<i64> {
        let value = check.required("employee", value)?;
        let found = match EmployeeRef::parse(value) {
            EmployeeRef::Email(e) => self.by_email.get(&e),
            EmployeeRef::Number(n) => self.by_number.get(&n),
        };
        if found.is_none() {
            check.fail(
                "employee",
                format!(
                    "no employee with number or email \"{}\" in the database (import employees first)",
                    validate::clip(value)
                ),
            );
        }
        found.copied()
    }
}

/// A certificate row as it will be written.
#[derive(Debug, Clone, PartialEq)]
struct Cert {
    employee_id: i64,
    kind: stored::CertificationKind,
    name: String,
    belt: Option<stored::SixSigmaBelt>,
    language: Option<String>,
    cefr: Option<stored::CefrLevel>,
    issued_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    status: stored::CertificationStatus,
}

fn parse_cert(people: &People, row: &Row, check: &mut Check, today: NaiveDate) -> Option<Cert> {
    let employee_id = people.resolve(check, row.get(0));
    let kind = check.required("kind", row.get(1)).and_then(|v| {
        check.choice(
            "kind",
            v,
            CertificationKind::parse,
            "SIX_SIGMA, LANGUAGE, LEADERSHIP_TRAINING, OTHER",
        )
    });
    let name = check.app("name", validate::text("name", row.get(2), 200));
    let issued_on = check
        .required("issued_on", row.get(3))
        .and_then(|v| check.date("issued_on", v));
    let belt = check.optional_choice(
        "belt",
        row.get(4),
        SixSigmaBelt::parse,
        "WHITE, YELLOW, GREEN, BLACK, MASTER_BLACK",
    );
    let language = Some(row.get(5)).filter(|l| !l.is_empty());
    let cefr = check.optional_choice(
        "cefr",
        row.get(6),
        CefrLevel::parse,
        "A1, A2, B1, B2, C1, C2",
    );
    let expires_on = check.optional_date("expires_on", row.get(7));
    let status = check.optional_choice(
        "status",
        row.get(8),
        CertificationStatus::parse,
        "PENDING, VERIFIED, REJECTED",
    );
    let (kind, issued_on, belt, cefr, expires_on, status) = (
        kind?,
        issued_on?,
        belt.ok()?,
        cefr.ok()?,
        expires_on.ok()?,
        status.ok()?,
    );
    if issued_on > today {
        check.fail("issued_on", "issuedOn must not be in the future");
        return None;
    }
    if expires_on.is_some_and(|e| e <= issued_on) {
        check.fail("expires_on", "expiresOn must be after issuedOn");
        return None;
    }
    let name = name?;
    let column = match kind {
        CertificationKind::SixSigma => "belt",
        CertificationKind::Language => "language",
        _ if belt.is_some() => "belt",
        _ => "language",
    };
    let language = check.app(column, check_kind_fields(kind, belt, language, cefr))?;
    Some(Cert {
        employee_id: employee_id?,
        kind: kind.into(),
        name,
        belt: belt.map(Into::into),
        language,
        cefr: cefr.map(Into::into),
        issued_on,
        expires_on,
        status: status.unwrap_or(CertificationStatus::Verified).into(),
    })
}

/// Splits incoming records into new ones and (row id, record) pairs that
/// differ from the stored row; records equal to their stored row drop out.
fn split_changes<'m, T, M: 'm>(
    incoming: Vec<T>,
    stored: impl Fn(&T) -> Option<&'m M>,
    same: impl Fn(&M, &T) -> bool,
    id: impl Fn(&M) -> i64,
) -> (Vec<T>, Vec<(i64, T)>) {
    let mut new = Vec::new();
    let mut changed = Vec::new();
    for record in incoming {
        match stored(&record) {
            None => new.push(record),
            Some(old) if !same(old, &record) => changed.push((id(old), record)),
            Some(_) => {}
        }
    }
    (new, changed)
}

fn summarise(
    rows: usize,
    created: usize,
    updated: usize,
    options: &ImportOptions,
) -> ImportSummary {
    ImportSummary {
        rows,
        created,
        updated,
        unchanged: rows - created - updated,
        dry_run: options.dry_run,
    }
}

async fn record_summary(
    txn: &sea_orm::DatabaseTransaction,
    action: &str,
    what: &str,
    options: &ImportOptions,
    summary: &ImportSummary,
) -> AppResult<()> {
    audit::record(
        txn,
        None,
        action,
        "import",
        what,
        summary.audit_details(&options.source),
    )
    .await
}

/// A review row as it will be written.
#[derive(Debug, Clone, PartialEq)]
struct Review {
    employee_id: i64,
    period_end: NaiveDate,
    rating: f64,
    csat: Option<f64>,
    avg_response_seconds: Option<i32>,
    resolution_accuracy: Option<f64>,
    interactions_per_day: Option<f64>,
}

fn parse_review(people: &People, row: &Row, check: &mut Check) -> Option<Review> {
    let employee_id = people.resolve(check, row.get(0));
    let period_end = check
        .required("period_end", row.get(1))
        .and_then(|v| check.date("period_end", v));
    let rating = match check.required("rating", row.get(2)) {
        Some(v) => check
            .optional_number("rating", v)
            .ok()
            .flatten()
            .and_then(|r| check.app("rating", in_range("rating", Some(r), 1.0, 5.0)))
            .flatten(),
        None => None,
    };
    let mut metric = |column: &str, field: &str, index: usize, max: f64| {
        check
            .optional_number(column, row.get(index))
            .ok()
            .and_then(|v| check.app(column, in_range(field, v, 0.0, max)))
    };
    let csat = metric("csat", "csat", 3, 100.0);
    let seconds = metric("avg_response_seconds", "avgResponseSeconds", 4, 86_400.0);
    let accuracy = metric("resolution_accuracy", "resolutionAccuracy", 5, 100.0);
    let interactions = metric("interactions_per_day", "interactionsPerDay", 6, 10_000.0);
    let seconds = match seconds? {
        Some(s) if s.fract() != 0.0 => {
            check.fail("avg_response_seconds", "must be a whole number of seconds");
            return None;
        }
        other => other.map(|s| s as i32),
    };
    Some(Review {
        employee_id: employee_id?,
        period_end: period_end?,
        rating: rating?,
        csat: csat?,
        avg_response_seconds: seconds,
        resolution_accuracy: accuracy?,
        interactions_per_day: interactions?,
    })
}

/// What the certificate and review importers differ in: columns, cell
/// checks, the natural key, the stored row and how a record is written.
trait Record: Sized {
    /// The stored rows.
    type Entity: EntityTrait;
    /// The natural key: two rows of a file with the same key are a problem,
    /// and a row whose key is stored updates that row.
    type Key: Eq + Hash;
    const REQUIRED: &'static [&'static str];
    const OPTIONAL: &'static [&'static str];
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// The audit action and what was imported.
    const ACTION: &'static str;
    const WHAT: &'static str;

    fn parse(people: &People, row: &Row, check: &mut Check, today: NaiveDate) -> Option<Self>;
    fn key(&self) -> Self::Key;
    /// The problem of a row whose key is on line `first` already.
    fn repeated(check: &mut Check, first: u64);
    fn stored_key(stored: &Model<Self>) -> Self::Key;
    fn stored_id(stored: &Model<Self>) -> i64;
    /// Whether the stored row already holds every field of the record.
    fn same(&self, stored: &Model<Self>) -> bool;
    /// The values of an INSERT, in the order of `COLUMNS`.
    fn values(self, now: DateTime<Utc>) -> Vec<Value>;
    /// Updates stored row `id` to the record.
    async fn update(self, id: i64, txn: &DatabaseTransaction) -> AppResult<()>;
}

type Model<R> = <<R as Record>::Entity as EntityTrait>::Model;

/// Imports certificates from CSV `bytes`.
pub async fn import_certifications(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    import_file::<Cert>(db, bytes, options).await
}

/// Imports performance reviews from CSV `bytes`.
pub async fn import_reviews(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    import_file::<Review>(db, bytes, options).await
}

/// Reads and checks the file, then (unless it is a dry run or nothing
/// changes) writes it in one transaction.
async fn import_file<R: Record>(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    let rows = match read_rows(bytes, R::REQUIRED, R::OPTIONAL) {
        Ok(rows) => rows,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let progress = Progress::new(options, rows.len());
    let records = match check_rows::<R>(db, &rows).await? {
        Ok(records) => records,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let changes = Changes::<R>::against_database(db, records).await?;
    let summary = summarise(
        rows.len(),
        changes.new.len(),
        changes.changed.len(),
        options,
    );
    if options.dry_run || changes.is_empty() {
        return Ok(ImportOutcome::Imported(summary));
    }
    changes.write(db, &summary, options, &progress).await?;
    progress.show("done", rows.len());
    progress.finish();
    Ok(ImportOutcome::Imported(summary))
}

/// The cells of every row, and no key twice in the file: the records, or
/// every problem.
async fn check_rows<R: Record>(db: &Db, rows: &[Row]) -> AppResult<Result<Vec<R>, Vec<Problem>>> {
    let people = People::load(db).await?;
    let today = Utc::now().date_naive();
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen: HashMap<R::Key, u64> = HashMap::new();
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let mut check = Check {
            line: row.line,
            problems: &mut problems,
        };
        let Some(record) = R::parse(&people, row, &mut check, today) else {
            continue;
        };
        let key = record.key();
        if let Some(first) = seen.get(&key) {
            R::repeated(&mut check, *first);
            continue;
        }
        seen.insert(key, row.line);
        records.push(record);
    }
    Ok(if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    })
}

/// The records of a checked file that are new, and those that change a
/// stored row (with its id).
struct Changes<R> {
    new: Vec<R>,
    changed: Vec<(i64, R)>,
}

impl<R: Record> Changes<R> {
    async fn against_database(db: &Db, records: Vec<R>) -> AppResult<Changes<R>> {
        let existing: HashMap<R::Key, Model<R>> = R::Entity::find()
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|stored| (R::stored_key(&stored), stored))
            .collect();
        let (new, changed) = split_changes(
            records,
            |record| existing.get(&record.key()),
            |old, record| record.same(old),
            R::stored_id,
        );
        Ok(Changes { new, changed })
    }

    fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty()
    }

    /// Inserts the new records, updates the changed ones and records the
    /// audit event, in one transaction.
    async fn write(
        self,
        db: &Db,
        summary: &ImportSummary,
        options: &ImportOptions,
        progress: &Progress<'_>,
    ) -> AppResult<()> {
        let now = Utc::now();
        let txn = db.begin_write().await?;
        let inserts: Vec<Vec<Value>> = self.new.into_iter().map(|r| r.values(now)).collect();
        insert_rows(&txn, R::TABLE, R::COLUMNS, inserts).await?;
        progress.show("writing", summary.created);
        for (id, record) in self.changed {
            record.update(id, &txn).await?;
        }
        record_summary(&txn, R::ACTION, R::WHAT, options, summary).await?;
        crate::services::eligibility_state::refresh_stale(&txn, db).await?;
        txn.commit().await?;
        Ok(())
    }
}

impl Record for Cert {
    type Entity = certification::Entity;
    type Key = (i64, stored::CertificationKind, String, NaiveDate);
    const REQUIRED: &'static [&'static str] = CERT_REQUIRED;
    const OPTIONAL: &'static [&'static str] = CERT_OPTIONAL;
    const TABLE: &'static str = "certification";
    const COLUMNS: &'static [&'static str] = CERTIFICATION_COLUMNS;
    const ACTION: &'static str = "IMPORT_CERTIFICATIONS";
    const WHAT: &'static str = "certifications";

    fn parse(people: &People, row: &Row, check: &mut Check, today: NaiveDate) -> Option<Self> {
        parse_cert(people, row, check, today)
    }

    fn key(&self) -> Self::Key {
        (
            self.employee_id,
            self.kind,
            self.name.clone(),
            self.issued_on,
        )
    }

    fn repeated(check: &mut Check, first: u64) {
        check.fail(
            "name",
            format!("the same certificate (employee, kind, name, issued_on) is on line {first}"),
        );
    }

    fn stored_key(c: &certification::Model) -> Self::Key {
        (c.employee_id, c.kind, c.name.clone(), c.issued_on)
    }

    fn stored_id(c: &certification::Model) -> i64 {
        c.id
    }

    fn same(&self, old: &certification::Model) -> bool {
        old.belt == self.belt
            && old.language == self.language
            && old.cefr == self.cefr
            && old.expires_on == self.expires_on
            && old.status == self.status
    }

    fn values(self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            self.employee_id.into(),
            self.kind.into(),
            self.name.into(),
            self.belt.into(),
            self.language.into(),
            self.cefr.into(),
            self.issued_on.into(),
            self.expires_on.into(),
            self.status.into(),
            now.into(),
        ]
    }

    async fn update(self, id: i64, txn: &DatabaseTransaction) -> AppResult<()> {
        certification::ActiveModel {
            id: Set(id),
            belt: Set(self.belt),
            language: Set(self.language),
            cefr: Set(self.cefr),
            expires_on: Set(self.expires_on),
            status: Set(self.status),
            ..Default::default()
        }
        .update(txn)
        .await?;
        Ok(())
    }
}

impl Record for Review {
    type Entity = performance_review::Entity;
    type Key = (i64, NaiveDate);
    const REQUIRED: &'static [&'static str] = REVIEW_REQUIRED;
    const OPTIONAL: &'static [&'static str] = REVIEW_OPTIONAL;
    const TABLE: &'static str = "performance_review";
    const COLUMNS: &'static [&'static str] = REVIEW_COLUMNS;
    const ACTION: &'static str = "IMPORT_REVIEWS";
    const WHAT: &'static str = "reviews";

    fn parse(people: &People, row: &Row, check: &mut Check, _today: NaiveDate) -> Option<Self> {
        parse_review(people, row, check)
    }

    fn key(&self) -> Self::Key {
        (self.employee_id, self.period_end)
    }

    fn repeated(check: &mut Check, first: u64) {
        check.fail(
            "period_end",
            format!("a review of the same employee and period_end is on line {first}"),
        );
    }

    fn stored_key(r: &performance_review::Model) -> Self::Key {
        (r.employee_id, r.period_end)
    }

    fn stored_id(r: &performance_review::Model) -> i64 {
        r.id
    }

    fn same(&self, old: &performance_review::Model) -> bool {
        old.rating == self.rating
            && old.csat == self.csat
            && old.avg_response_seconds == self.avg_response_seconds
            && old.resolution_accuracy == self.resolution_accuracy
            && old.interactions_per_day == self.interactions_per_day
    }

    fn values(self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            self.employee_id.into(),
            self.period_end.into(),
            self.rating.into(),
            self.csat.into(),
            self.avg_response_seconds.into(),
            self.resolution_accuracy.into(),
            self.interactions_per_day.into(),
            Option::<i64>::None.into(),
            now.into(),
        ]
    }

    async fn update(self, id: i64, txn: &DatabaseTransaction) -> AppResult<()> {
        performance_review::ActiveModel {
            id: Set(id),
            rating: Set(self.rating),
            csat: Set(self.csat),
            avg_response_seconds: Set(self.avg_response_seconds),
            resolution_accuracy: Set(self.resolution_accuracy),
            interactions_per_day: Set(self.interactions_per_day),
            ..Default::default()
        }
        .update(txn)
        .await?;
        Ok(())
    }
}
