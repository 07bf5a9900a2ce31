//! `rungs import employees FILE.csv`: creates and updates employees from a
//! spreadsheet, idempotent on the employee number.
//!
//! Columns: `employee_number,name,email,access_role,role_code,manager,site,
//! market,work_arrangement,employment_type,hired_on,role_since,salary,
//! currency`. `access_role`, `manager`, `work_arrangement`,
//! `employment_type` and `role_since` may be empty: a new employee then gets
//! EMPLOYEE, no manager, ONSITE, FULL_TIME and `role_since = hired_on`; an
//! existing one keeps their values, except `manager`, where empty means "no
//! manager" (the file describes the reporting lines).
//!
//! The manager is named by employee number or email, of a row anywhere in
//! the file or of someone already in the database. Checked across rows:
//! duplicate numbers and emails, emails held by someone else, unknown
//! managers and cycles of managers (whether they close in the file or
//! through people already in the database). Field rules are those of
//! `services::validate` and the domain parsers, as for the API.
//!
//! Writing: new people in multi-row INSERTs (managers before their reports,
//! so foreign keys hold statement by statement) with their first
//! role-history row; changed people one UPDATE each (a new role closes the
//! open role-history row and opens one); unchanged people are not touched.
//! One audit event (actor none: the command line) summarises the import,
//! and only when something changed.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, Value};
use serde_json::json;

use crate::db::bulk::{
    insert_rows, max_id, sync_sequence, EMPLOYEE_COLUMNS, ROLE_ASSIGNMENT_COLUMNS,
};
use crate::db::entities::{employee, role_assignment};
use crate::db::facts::Ladder;
use crate::db::Db;
use crate::domain::enums::{AccessRole, EmploymentType, WorkArrangement};
use crate::error::AppResult;
use crate::services::import::{
    cycles, read_rows, Check, EmployeeRef, ImportOptions, ImportOutcome, ImportSummary, Problem,
    Progress,
};
use crate::services::{audit, validate};

/// Required columns, in this order (indexes below).
pub const REQUIRED: &[&str] = &[
    "employee_number",
    "name",
    "email",
    "role_code",
    "site",
    "market",
    "hired_on",
    "salary",
    "currency",
];
/// Optional columns.
pub const OPTIONAL: &[&str] = &[
    "access_role",
    "manager",
    "work_arrangement",
    "employment_type",
    "role_since",
];

const NUMBER: usize = 0;
const NAME: usize = 1;
const EMAIL: usize = 2;
const ROLE_CODE: usize = 3;
const SITE: usize = 4;
const MARKET: usize = 5;
const HIRED_ON: usize = 6;
const SALARY: usize = 7;
const CURRENCY: usize = 8;
const ACCESS_ROLE: usize = 9;
const MANAGER: usize = 10;
const WORK_ARRANGEMENT: usize = 11;
const EMPLOYMENT_TYPE: usize = 12;
const ROLE_SINCE: usize = 13;

/// A row whose every cell is valid on its own.
#[derive(Debug, Clone)]
struct Parsed {
    line: u64,
    number: String,
    name: String,
    email: String,
    access_role: Option<AccessRole>,
    job_role_id: i64,
    manager: Option<EmployeeRef>,
    site: String,
    market: String,
    work_arrangement: Option<WorkArrangement>,
    employment_type: Option<EmploymentType>,
    hired_on: NaiveDate,
    role_since: Option<NaiveDate>,
    salary_minor: i64,
    currency: String,
}

/// Where a manager is: already in the database, or new in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ManagerAt {
    Existing(i64),
    New(usize),
}

/// A row as it will be written.
#[derive(Debug, Clone)]
struct Target {
    line: u64,
    number: String,
    name: String,
    email: String,
    access_role: &'static str,
    job_role_id: i64,
    manager: Option<String>,
    site: String,
    market: String,
    work_arrangement: &'static str,
    employment_type: &'static str,
    hired_on: NaiveDate,
    role_since: NaiveDate,
    salary_minor: i64,
    currency: String,
    /// Index into the existing employees.
    existing: Option<usize>,
}

fn parse_row(
    ladder: &Ladder,
    row: &crate::services::import::Row,
    check: &mut Check,
) -> Option<Parsed> {
    let number = check.app(
        "employee_number",
        validate::text("employee_number", row.get(NUMBER), 50),
    );
    let name = check.app("name", validate::text("name", row.get(NAME), 200));
    let email = check.app("email", validate::email(row.get(EMAIL)));
    let job_role_id = check
        .required("role_code", row.get(ROLE_CODE))
        .and_then(|code| {
            let role = ladder.role_by_code(code).map(|r| r.id);
            if role.is_none() {
                let codes: Vec<&str> = ladder.roles.iter().map(|r| r.code.as_str()).collect();
                check.fail(
                    "role_code",
                    format!(
                        "unknown job role \"{}\" (one of {})",
                        validate::clip(code),
                        codes.join(", ")
                    ),
                );
            }
            role
        });
    let site = check.app("site", validate::text("site", row.get(SITE), 100));
    let market = check.app("market", validate::market(row.get(MARKET)));
    let hired_on = check
        .required("hired_on", row.get(HIRED_ON))
        .and_then(|v| check.date("hired_on", v));
    let currency = check.app("currency", validate::currency(row.get(CURRENCY)));
    let salary_minor = match (&currency, check.required("salary", row.get(SALARY))) {
        (Some(currency), Some(salary)) => {
            check.app("salary", validate::amount("salary", salary, currency))
        }
        _ => None,
    };
    let access_role = check.optional_choice(
        "access_role",
        row.get(ACCESS_ROLE),
        AccessRole::parse,
        "EMPLOYEE, MANAGER, HR, ADMIN",
    );
    let manager = match row.get(MANAGER) {
        "" => None,
        value => Some(EmployeeRef::parse(value)),
    };
    let work_arrangement = check.optional_choice(
        "work_arrangement",
        row.get(WORK_ARRANGEMENT),
        WorkArrangement::parse,
        "ONSITE, REMOTE, HYBRID",
    );
    let employment_type = check.optional_choice(
        "employment_type",
        row.get(EMPLOYMENT_TYPE),
        EmploymentType::parse,
        "FULL_TIME, PART_TIME, GIG",
    );
    let role_since = check.optional_date("role_since", row.get(ROLE_SINCE));
    if let (Some(hired), Ok(Some(since))) = (hired_on, role_since) {
        if since < hired {
            check.fail("role_since", "must not be before hired_on");
            return None;
        }
    }
    Some(Parsed {
        line: row.line,
        number: number?,
        name: name?,
        email: email?,
        access_role: access_role.ok()?,
        job_role_id: job_role_id?,
        manager,
        site: site?,
        market: market?,
        work_arrangement: work_arrangement.ok()?,
        employment_type: employment_type.ok()?,
        hired_on: hired_on?,
        role_since: role_since.ok()?,
        salary_minor: salary_minor?,
        currency: currency?,
    })
}

fn describe(reference: &EmployeeRef) -> String {
    match reference {
        EmployeeRef::Email(e) => format!("email \"{}\"", validate::clip(e)),
        EmployeeRef::Number(n) => format!("employee number \"{}\"", validate::clip(n)),
    }
}

/// Imports employees from CSV `bytes`.
pub async fn import_employees(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    let rows = match read_rows(bytes, REQUIRED, OPTIONAL) {
        Ok(rows) => rows,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let progress = Progress::new(options.progress, rows.len() * 2);
    let ladder = Ladder::load(&db.conn).await?;
    let mut problems: Vec<Problem> = Vec::new();

    // 1. Cells, and the numbers and emails of the file (first line of each).
    let mut number_line: HashMap<String, u64> = HashMap::new();
    let mut email_number: HashMap<String, String> = HashMap::new();
    let mut email_line: HashMap<String, u64> = HashMap::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut check = Check {
            line: row.line,
            problems: &mut problems,
        };
        let number = row.get(NUMBER);
        let email = row.get(EMAIL).to_lowercase();
        let mut duplicate = false;
        if !number.is_empty() {
            if let Some(first) = number_line.get(number) {
                check.fail(
                    "employee_number",
                    format!(
                        "duplicate employee number \"{}\" (first on line {first})",
                        validate::clip(number)
                    ),
                );
                duplicate = true;
            } else {
                number_line.insert(number.to_owned(), row.line);
            }
        }
        if !email.is_empty() {
            if let Some(first) = email_line.get(&email) {
                check.fail(
                    "email",
                    format!(
                        "duplicate email \"{}\" (first on line {first})",
                        validate::clip(&email)
                    ),
                );
                duplicate = true;
            } else {
                email_line.insert(email.clone(), row.line);
                email_number.insert(email, number.to_owned());
            }
        }
        if let Some(p) = parse_row(&ladder, row, &mut check) {
            if !duplicate {
                parsed.push(p);
            }
        }
        if i % 5_000 == 0 {
            progress.show("checking", i);
        }
    }

    // 2. Against the database: emails held by others, managers.
    let existing = employee::Entity::find().all(&db.conn).await?;
    let by_number: HashMap<&str, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, e)| (e.employee_number.as_str(), i))
        .collect();
    let by_email: HashMap<&str, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, e)| (e.email.as_str(), i))
        .collect();
    let by_id: HashMap<i64, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    let mut targets: Vec<Target> = Vec::with_capacity(parsed.len());
    for p in parsed {
        let mut check = Check {
            line: p.line,
            problems: &mut problems,
        };
        if let Some(&holder) = by_email.get(p.email.as_str()) {
            let holder = &existing[holder];
            if holder.employee_number != p.number
                && !number_line.contains_key(holder.employee_number.as_str())
            {
                check.fail(
                    "email",
                    format!(
                        "\"{}\" already belongs to employee {}",
                        validate::clip(&p.email),
                        holder.employee_number
                    ),
                );
                continue;
            }
        }
        let manager = match &p.manager {
            None => None,
            Some(reference) => {
                let found = match reference {
                    EmployeeRef::Email(e) => email_number.get(e).cloned().or_else(|| {
                        by_email
                            .get(e.as_str())
                            .map(|&i| existing[i].employee_number.clone())
                    }),
                    EmployeeRef::Number(n) => (number_line.contains_key(n)
                        || by_number.contains_key(n.as_str()))
                    .then(|| n.clone()),
                };
                match found {
                    Some(number) => Some(number),
                    None => {
                        check.fail(
                            "manager",
                            format!(
                                "no employee with {} in this file or the database",
                                describe(reference)
                            ),
                        );
                        continue;
                    }
                }
            }
        };
        let current = by_number.get(p.number.as_str()).copied();
        let old = current.map(|i| &existing[i]);
        targets.push(Target {
            line: p.line,
            access_role: p
                .access_role
                .or_else(|| old.and_then(|o| AccessRole::parse(&o.access_role)))
                .unwrap_or(AccessRole::Employee)
                .as_str(),
            work_arrangement: p
                .work_arrangement
                .or_else(|| old.and_then(|o| WorkArrangement::parse(&o.work_arrangement)))
                .unwrap_or(WorkArrangement::Onsite)
                .as_str(),
            employment_type: p
                .employment_type
                .or_else(|| old.and_then(|o| EmploymentType::parse(&o.employment_type)))
                .unwrap_or(EmploymentType::FullTime)
                .as_str(),
            role_since: p
                .role_since
                .or_else(|| {
                    old.map(|o| o.role_since)
                        .filter(|since| *since >= p.hired_on)
                })
                .unwrap_or(p.hired_on),
            number: p.number,
            name: p.name,
            email: p.email,
            job_role_id: p.job_role_id,
            manager,
            site: p.site,
            market: p.market,
            hired_on: p.hired_on,
            salary_minor: p.salary_minor,
            currency: p.currency,
            existing: current,
        });
    }

    // 3. Cycles of managers, over the organisation as it would be.
    let target_of: HashMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.number.as_str(), i))
        .collect();
    let mut node_of: HashMap<&str, usize> = by_number.clone();
    let mut node_target: Vec<Option<usize>> = vec![None; existing.len()];
    for (i, t) in targets.iter().enumerate() {
        match node_of.get(t.number.as_str()) {
            Some(&n) => node_target[n] = Some(i),
            None => {
                node_of.insert(t.number.as_str(), node_target.len());
                node_target.push(Some(i));
            }
        }
    }
    let next: Vec<Option<usize>> = (0..node_target.len())
        .map(|n| match node_target[n] {
            Some(t) => targets[t]
                .manager
                .as_deref()
                .and_then(|m| node_of.get(m).copied()),
            None => existing
                .get(n)
                .and_then(|e| e.manager_id)
                .and_then(|id| by_id.get(&id).copied())
                .and_then(|m| node_of.get(existing[m].employee_number.as_str()).copied())
                .filter(|_| !number_line.contains_key(existing[n].employee_number.as_str())),
        })
        .collect();
    for cycle in cycles(&next) {
        let members: Vec<usize> = cycle.iter().filter_map(|&n| node_target[n]).collect();
        if members.is_empty() {
            continue;
        }
        let path: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&n| match node_target[n] {
                Some(t) => format!("{} (line {})", targets[t].number, targets[t].line),
                None => format!(
                    "{} (in the database)",
                    existing
                        .get(n)
                        .map(|e| e.employee_number.as_str())
                        .unwrap_or("?")
                ),
            })
            .collect();
        for t in members {
            problems.push(Problem {
                line: targets[t].line,
                column: "manager".into(),
                reason: format!("managers form a cycle: {}", path.join(" -> ")),
            });
        }
    }
    if !problems.is_empty() {
        progress.finish();
        problems.sort_by_key(|p| p.line);
        return Ok(ImportOutcome::Rejected(problems));
    }

    // 4. What changes.
    let mut new: Vec<usize> = Vec::new();
    let mut changed: Vec<usize> = Vec::new();
    let manager_at = |t: &Target| -> Option<ManagerAt> {
        let m = t.manager.as_deref()?;
        match by_number.get(m) {
            Some(&i) => Some(ManagerAt::Existing(existing[i].id)),
            None => target_of.get(m).map(|&i| ManagerAt::New(i)),
        }
    };
    for (i, t) in targets.iter().enumerate() {
        match t.existing {
            None => new.push(i),
            Some(e) => {
                let old = &existing[e];
                let same = old.name == t.name
                    && old.email == t.email
                    && old.access_role == t.access_role
                    && old.job_role_id == t.job_role_id
                    && manager_at(t) == old.manager_id.map(ManagerAt::Existing)
                    && old.site == t.site
                    && old.market == t.market
                    && old.work_arrangement == t.work_arrangement
                    && old.employment_type == t.employment_type
                    && old.hired_on == t.hired_on
                    && old.role_since == t.role_since
                    && old.salary_minor == t.salary_minor
                    && old.currency == t.currency;
                if !same {
                    changed.push(i);
                }
            }
        }
    }
    let summary = ImportSummary {
        rows: targets.len(),
        created: new.len(),
        updated: changed.len(),
        unchanged: targets.len() - new.len() - changed.len(),
        dry_run: options.dry_run,
    };
    if options.dry_run || (new.is_empty() && changed.is_empty()) {
        progress.finish();
        return Ok(ImportOutcome::Imported(summary));
    }

    // 5. Managers before their reports among the new people.
    let mut depth: HashMap<usize, usize> = HashMap::new();
    for &start in &new {
        let mut chain = Vec::new();
        let mut node = start;
        let base = loop {
            if let Some(&d) = depth.get(&node) {
                break d + 1;
            }
            chain.push(node);
            match manager_at(&targets[node]) {
                Some(ManagerAt::New(m)) if chain.len() <= targets.len() => node = m,
                _ => break 0,
            }
        };
        for (k, n) in chain.iter().rev().enumerate() {
            depth.insert(*n, base + k);
        }
    }
    new.sort_by_key(|i| (depth.get(i).copied().unwrap_or(0), *i));

    // 6. Write.
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let first_id = max_id(&txn, "employee").await? + 1;
    let mut new_id: HashMap<usize, i64> = HashMap::with_capacity(new.len());
    for (k, &i) in new.iter().enumerate() {
        new_id.insert(i, first_id + k as i64);
    }
    let id_of_manager = |t: &Target| -> Option<i64> {
        match manager_at(t)? {
            ManagerAt::Existing(id) => Some(id),
            ManagerAt::New(i) => new_id.get(&i).copied(),
        }
    };
    let mut written = targets.len() - new.len() - changed.len();
    let mut history: Vec<Vec<Value>> = Vec::with_capacity(new.len());
    for chunk in new.chunks(5_000) {
        let mut rows = Vec::with_capacity(chunk.len());
        for &i in chunk {
            let t = &targets[i];
            let id = new_id.get(&i).copied().unwrap_or_default();
            rows.push(vec![
                id.into(),
                t.number.clone().into(),
                t.name.clone().into(),
                t.email.clone().into(),
                Option::<String>::None.into(),
                t.access_role.into(),
                t.job_role_id.into(),
                id_of_manager(t).into(),
                t.site.clone().into(),
                t.market.clone().into(),
                t.work_arrangement.into(),
                t.employment_type.into(),
                t.hired_on.into(),
                t.role_since.into(),
                t.salary_minor.into(),
                t.currency.clone().into(),
                now.into(),
                now.into(),
            ]);
            history.push(history_row(id, t));
        }
        insert_rows(&txn, "employee", EMPLOYEE_COLUMNS, rows).await?;
        written += chunk.len();
        progress.show("writing", targets.len() + written);
    }
    sync_sequence(&txn, "employee").await?;
    for (k, &i) in changed.iter().enumerate() {
        let t = &targets[i];
        let Some(old) = t.existing.and_then(|e| existing.get(e)) else {
            continue;
        };
        employee::ActiveModel {
            id: Set(old.id),
            name: Set(t.name.clone()),
            email: Set(t.email.clone()),
            access_role: Set(t.access_role.to_owned()),
            job_role_id: Set(t.job_role_id),
            manager_id: Set(id_of_manager(t)),
            site: Set(t.site.clone()),
            market: Set(t.market.clone()),
            work_arrangement: Set(t.work_arrangement.to_owned()),
            employment_type: Set(t.employment_type.to_owned()),
            hired_on: Set(t.hired_on),
            role_since: Set(t.role_since),
            salary_minor: Set(t.salary_minor),
            currency: Set(t.currency.clone()),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        if old.job_role_id != t.job_role_id {
            role_assignment::Entity::update_many()
                .col_expr(role_assignment::Column::EndedOn, Expr::value(t.role_since))
                .filter(role_assignment::Column::EmployeeId.eq(old.id))
                .filter(role_assignment::Column::EndedOn.is_null())
                .exec(&txn)
                .await?;
            history.push(history_row(old.id, t));
        }
        if k % 1_000 == 0 {
            progress.show("writing", targets.len() + written + k);
        }
    }
    insert_rows(&txn, "role_assignment", ROLE_ASSIGNMENT_COLUMNS, history).await?;
    audit::record(
        &txn,
        None,
        "IMPORT_EMPLOYEES",
        "import",
        "employees",
        json!({
            "source": options.source,
            "rows": summary.rows,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
        }),
    )
    .await?;
    crate::services::eligibility_state::refresh_stale(&txn, db).await?;
    txn.commit().await?;
    progress.show("done", targets.len() * 2);
    progress.finish();
    Ok(ImportOutcome::Imported(summary))
}

fn history_row(employee_id: i64, t: &Target) -> Vec<Value> {
    vec![
        employee_id.into(),
        t.job_role_id.into(),
        t.role_since.into(),
        Option::<NaiveDate>::None.into(),
        t.salary_minor.into(),
        t.currency.clone().into(),
    ]
}
