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

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QuerySelect, Set, Value};

use crate::db::bulk::{insert_rows, CERTIFICATION_COLUMNS, REVIEW_COLUMNS};
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
    kind: &'static str,
    name: String,
    belt: Option<String>,
    language: Option<String>,
    cefr: Option<String>,
    issued_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    status: &'static str,
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
        kind: kind.as_str(),
        name,
        belt: belt.map(|b| b.as_str().to_owned()),
        language,
        cefr: cefr.map(|c| c.as_str().to_owned()),
        issued_on,
        expires_on,
        status: status.unwrap_or(CertificationStatus::Verified).as_str(),
    })
}

/// Imports certificates from CSV `bytes`.
pub async fn import_certifications(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    let rows = match read_rows(bytes, CERT_REQUIRED, CERT_OPTIONAL) {
        Ok(rows) => rows,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let progress = Progress::new(options, rows.len());
    let people = People::load(db).await?;
    let today = Utc::now().date_naive();
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen: HashMap<(i64, &'static str, String, NaiveDate), u64> = HashMap::new();
    let mut certs = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut check = Check {
            line: row.line,
            problems: &mut problems,
        };
        let Some(cert) = parse_cert(&people, row, &mut check, today) else {
            continue;
        };
        let key = (
            cert.employee_id,
            cert.kind,
            cert.name.clone(),
            cert.issued_on,
        );
        if let Some(first) = seen.get(&key) {
            check.fail(
                "name",
                format!(
                    "the same certificate (employee, kind, name, issued_on) is on line {first}"
                ),
            );
            continue;
        }
        seen.insert(key, row.line);
        certs.push(cert);
    }
    if !problems.is_empty() {
        return Ok(ImportOutcome::Rejected(problems));
    }
    let existing: HashMap<(i64, String, String, NaiveDate), certification::Model> =
        certification::Entity::find()
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|c| {
                (
                    (c.employee_id, c.kind.clone(), c.name.clone(), c.issued_on),
                    c,
                )
            })
            .collect();
    let (new, changed) = split_changes(
        certs,
        |cert| {
            existing.get(&(
                cert.employee_id,
                cert.kind.to_owned(),
                cert.name.clone(),
                cert.issued_on,
            ))
        },
        |old, cert| {
            old.belt == cert.belt
                && old.language == cert.language
                && old.cefr == cert.cefr
                && old.expires_on == cert.expires_on
                && old.status == cert.status
        },
        |old| old.id,
    );
    let summary = summarise(rows.len(), new.len(), changed.len(), options);
    if options.dry_run || (new.is_empty() && changed.is_empty()) {
        return Ok(ImportOutcome::Imported(summary));
    }
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let inserts: Vec<Vec<Value>> = new
        .into_iter()
        .map(|c| {
            vec![
                c.employee_id.into(),
                c.kind.into(),
                c.name.into(),
                c.belt.into(),
                c.language.into(),
                c.cefr.into(),
                c.issued_on.into(),
                c.expires_on.into(),
                c.status.into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows(&txn, "certification", CERTIFICATION_COLUMNS, inserts).await?;
    progress.show("writing", summary.created);
    for (id, c) in changed {
        certification::ActiveModel {
            id: Set(id),
            belt: Set(c.belt),
            language: Set(c.language),
            cefr: Set(c.cefr),
            expires_on: Set(c.expires_on),
            status: Set(c.status.to_owned()),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    record_summary(
        &txn,
        "IMPORT_CERTIFICATIONS",
        "certifications",
        options,
        &summary,
    )
    .await?;
    crate::services::eligibility_state::refresh_stale(&txn, db).await?;
    txn.commit().await?;
    progress.show("done", rows.len());
    progress.finish();
    Ok(ImportOutcome::Imported(summary))
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

/// Imports performance reviews from CSV `bytes`.
pub async fn import_reviews(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    let rows = match read_rows(bytes, REVIEW_REQUIRED, REVIEW_OPTIONAL) {
        Ok(rows) => rows,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let progress = Progress::new(options, rows.len());
    let people = People::load(db).await?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen: HashMap<(i64, NaiveDate), u64> = HashMap::new();
    let mut reviews = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut check = Check {
            line: row.line,
            problems: &mut problems,
        };
        let Some(review) = parse_review(&people, row, &mut check) else {
            continue;
        };
        let key = (review.employee_id, review.period_end);
        if let Some(first) = seen.get(&key) {
            check.fail(
                "period_end",
                format!("a review of the same employee and period_end is on line {first}"),
            );
            continue;
        }
        seen.insert(key, row.line);
        reviews.push(review);
    }
    if !problems.is_empty() {
        return Ok(ImportOutcome::Rejected(problems));
    }
    let existing: HashMap<(i64, NaiveDate), performance_review::Model> =
        performance_review::Entity::find()
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|r| ((r.employee_id, r.period_end), r))
            .collect();
    let (new, changed) = split_changes(
        reviews,
        |review| existing.get(&(review.employee_id, review.period_end)),
        |old, review| {
            old.rating == review.rating
                && old.csat == review.csat
                && old.avg_response_seconds == review.avg_response_seconds
                && old.resolution_accuracy == review.resolution_accuracy
                && old.interactions_per_day == review.interactions_per_day
        },
        |old| old.id,
    );
    let summary = summarise(rows.len(), new.len(), changed.len(), options);
    if options.dry_run || (new.is_empty() && changed.is_empty()) {
        return Ok(ImportOutcome::Imported(summary));
    }
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let inserts: Vec<Vec<Value>> = new
        .into_iter()
        .map(|r| {
            vec![
                r.employee_id.into(),
                r.period_end.into(),
                r.rating.into(),
                r.csat.into(),
                r.avg_response_seconds.into(),
                r.resolution_accuracy.into(),
                r.interactions_per_day.into(),
                Option::<i64>::None.into(),
                now.into(),
            ]
        })
        .collect();
    insert_rows(&txn, "performance_review", REVIEW_COLUMNS, inserts).await?;
    progress.show("writing", summary.created);
    for (id, r) in changed {
        performance_review::ActiveModel {
            id: Set(id),
            rating: Set(r.rating),
            csat: Set(r.csat),
            avg_response_seconds: Set(r.avg_response_seconds),
            resolution_accuracy: Set(r.resolution_accuracy),
            interactions_per_day: Set(r.interactions_per_day),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    record_summary(&txn, "IMPORT_REVIEWS", "reviews", options, &summary).await?;
    crate::services::eligibility_state::refresh_stale(&txn, db).await?;
    txn.commit().await?;
    progress.show("done", rows.len());
    progress.finish();
    Ok(ImportOutcome::Imported(summary))
}
