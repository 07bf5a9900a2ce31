//! `rungs import employees FILE.csv`: creates and updates employees from a
//! spreadsheet, idempotent on the employee number.
//!
//! Columns: `employee_number,name,email,access_role,role_code,manager,site,
//! market,work_arrangement,employment_type,hired_on,role_since,salary,
//! currency,pay_basis,fte`. `access_role`, `manager`, `work_arrangement`,
//! `employment_type`, `role_since`, `pay_basis` and `fte` may be empty (or
//! absent, for the last two): a new employee then gets EMPLOYEE, no
//! manager, ONSITE, FULL_TIME, `role_since = hired_on`, ANNUAL and 1; an
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
//! and only when something changed. A changed salary, pay basis or FTE of
//! someone already on record is also a row of their pay history (reason
//! CORRECTION, or TERMS_CHANGE when only the basis or FTE moved; decided by
//! nobody: the command line), effective on `role_since` when the role
//! changed and today otherwise; a salary in another currency is not one
//! (the history compares amounts in one currency).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, Value,
};

use crate::db::bulk::{
    insert_rows, max_id, sync_sequence, EMPLOYEE_COLUMNS, ROLE_ASSIGNMENT_COLUMNS,
};
use crate::db::entities::enums as stored;
use crate::db::entities::{employee, role_assignment};
use crate::db::facts::Ladder;
use crate::db::Db;
use crate::domain::enums::{AccessRole, EmploymentType, PayBasis, WorkArrangement};
use crate::error::AppResult;
use crate::services::import::{
    cycles, read_rows, Check, EmployeeRef, ImportOptions, ImportOutcome, ImportSummary, Invalid,
    Problem, Progress,
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
    "pay_basis",
    "fte",
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
const PAY_BASIS: usize = 14;
const FTE: usize = 15;

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
    pay_basis: Option<PayBasis>,
    fte_bp: Option<i64>,
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
    access_role: stored::AccessRole,
    job_role_id: i64,
    manager: Option<String>,
    site: String,
    market: String,
    work_arrangement: stored::WorkArrangement,
    employment_type: stored::EmploymentType,
    hired_on: NaiveDate,
    role_since: NaiveDate,
    salary_minor: i64,
    currency: String,
    pay_basis: stored::PayBasis,
    fte_bp: i64,
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
        .and_then(|code| job_role_id(ladder, check, code));
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
    let optional = OptionalCells::parse(row, check);
    if let (Some(hired), Ok(Some(since))) = (hired_on, optional.role_since) {
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
        access_role: optional.access_role.ok()?,
        job_role_id: job_role_id?,
        manager: optional.manager,
        site: site?,
        market: market?,
        work_arrangement: optional.work_arrangement.ok()?,
        employment_type: optional.employment_type.ok()?,
        hired_on: hired_on?,
        role_since: optional.role_since.ok()?,
        salary_minor: salary_minor?,
        currency: currency?,
        pay_basis: optional.pay_basis.ok()?,
        fte_bp: optional.fte_bp.ok()?,
    })
}

/// The id of the job role with `code`, or a problem listing the codes.
fn job_role_id(ladder: &Ladder, check: &mut Check, code: &str) -> Option<i64> {
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
}

/// The cells a row may leave empty (`Err`: checked, and a problem).
struct OptionalCells {
    access_role: Result<Option<AccessRole>, Invalid>,
    manager: Option<EmployeeRef>,
    work_arrangement: Result<Option<WorkArrangement>, Invalid>,
    employment_type: Result<Option<EmploymentType>, Invalid>,
    role_since: Result<Option<NaiveDate>, Invalid>,
    pay_basis: Result<Option<PayBasis>, Invalid>,
    fte_bp: Result<Option<i64>, Invalid>,
}

impl OptionalCells {
    fn parse(row: &crate::services::import::Row, check: &mut Check) -> OptionalCells {
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
        let pay_basis = check.optional_choice(
            "pay_basis",
            row.get(PAY_BASIS),
            PayBasis::parse,
            "ANNUAL, MONTHLY, HOURLY",
        );
        let fte_bp = match row.get(FTE) {
            "" => Ok(None),
            value => match crate::domain::pay_basis::parse_fte(value) {
                Some(bp) => Ok(Some(bp)),
                None => {
                    check.fail(
                        "fte",
                        format!(
                            "\"{}\" is not an FTE: more than 0 and at most 1, at most 4 decimals (0.5)",
                            validate::clip(value)
                        ),
                    );
                    Err(Invalid)
                }
            },
        };
        OptionalCells {
            pay_basis,
            fte_bp,
            access_role,
            manager,
            work_arrangement,
            employment_type,
            role_since,
        }
    }
}

fn describe(reference: &EmployeeRef) -> String {
    match reference {
        EmployeeRef::Email(e) => format!("email \"{}\"", validate::clip(e)),
        EmployeeRef::Number(n) => format!("employee number \"{}\"", validate::clip(n)),
    }
}

/// The employee numbers and emails of the file, each with its first line.
#[derive(Default)]
struct FileKeys {
    number_line: HashMap<String, u64>,
    email_number: HashMap<String, String>,
    email_line: HashMap<String, u64>,
}

/// The employees already in the database, indexed.
struct Existing<'a> {
    rows: &'a [employee::Model],
    by_number: HashMap<&'a str, usize>,
    by_email: HashMap<&'a str, usize>,
    by_id: HashMap<i64, usize>,
}

impl<'a> Existing<'a> {
    fn index(rows: &'a [employee::Model]) -> Self {
        Existing {
            rows,
            by_number: rows
                .iter()
                .enumerate()
                .map(|(i, e)| (e.employee_number.as_str(), i))
                .collect(),
            by_email: rows
                .iter()
                .enumerate()
                .map(|(i, e)| (e.email.as_str(), i))
                .collect(),
            by_id: rows.iter().enumerate().map(|(i, e)| (e.id, i)).collect(),
        }
    }
}

/// Imports employees from CSV `bytes`: every row is checked (cells, then
/// against the database, then manager cycles over the organisation as it
/// would be) before anything is written; a file with any problem changes
/// nothing.
pub async fn import_employees(
    db: &Db,
    bytes: &[u8],
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    let rows = match read_rows(bytes, REQUIRED, OPTIONAL) {
        Ok(rows) => rows,
        Err(problems) => return Ok(ImportOutcome::Rejected(problems)),
    };
    let progress = Progress::new(options, rows.len() * 2);
    let ladder = Ladder::load(&db.conn).await?;
    let mut problems: Vec<Problem> = Vec::new();
    let (parsed, file) = check_cells(&ladder, &rows, &mut problems, &progress);
    let existing_rows = employee::Entity::find().all(&db.conn).await?;
    let existing = Existing::index(&existing_rows);
    let targets = check_against_database(parsed, &file, &existing, &mut problems);
    check_cycles(&targets, &file, &existing, &mut problems);
    if !problems.is_empty() {
        progress.finish();
        problems.sort_by_key(|p| p.line);
        return Ok(ImportOutcome::Rejected(problems));
    }
    let managers = Managers::new(&targets, &existing);
    let (mut new, changed) = changes(&targets, &existing, &managers);
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
    managers_first(&mut new, &targets, &managers);
    let plan = Writes {
        targets: &targets,
        existing: &existing,
        managers: &managers,
        new: &new,
        changed: &changed,
        progress: &progress,
    };
    let txn = db.begin_write().await?;
    plan.write(&txn).await?;
    audit::record(
        &txn,
        None,
        "IMPORT_EMPLOYEES",
        "import",
        "employees",
        summary.audit_details(&options.source),
    )
    .await?;
    crate::services::eligibility_state::refresh_stale(&txn, db).await?;
    txn.commit().await?;
    progress.show("done", targets.len() * 2);
    progress.finish();
    Ok(ImportOutcome::Imported(summary))
}

/// Step 1: cells, and the numbers and emails of the file (first line of each):
/// the rows that parse and are not repeats.
fn check_cells(
    ladder: &Ladder,
    rows: &[crate::services::import::Row],
    problems: &mut Vec<Problem>,
    progress: &Progress<'_>,
) -> (Vec<Parsed>, FileKeys) {
    let mut file = FileKeys::default();
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut check = Check {
            line: row.line,
            problems,
        };
        let duplicate = file.note(row, &mut check);
        if let Some(p) = parse_row(ladder, row, &mut check) {
            if !duplicate {
                parsed.push(p);
            }
        }
        if i % 5_000 == 0 {
            progress.show("checking", i);
        }
    }
    (parsed, file)
}

impl FileKeys {
    /// Notes the row's number and email; true when either was on an earlier
    /// line (a problem is recorded).
    fn note(&mut self, row: &crate::services::import::Row, check: &mut Check<'_>) -> bool {
        let number = row.get(NUMBER);
        let email = row.get(EMAIL).to_lowercase();
        let mut duplicate = false;
        if !number.is_empty() {
            if let Some(first) = self.number_line.get(number) {
                check.fail(
                    "employee_number",
                    format!(
                        "duplicate employee number \"{}\" (first on line {first})",
                        validate::clip(number)
                    ),
                );
                duplicate = true;
            } else {
                self.number_line.insert(number.to_owned(), row.line);
            }
        }
        if !email.is_empty() {
            if let Some(first) = self.email_line.get(&email) {
                check.fail(
                    "email",
                    format!(
                        "duplicate email \"{}\" (first on line {first})",
                        validate::clip(&email)
                    ),
                );
                duplicate = true;
            } else {
                self.email_line.insert(email.clone(), row.line);
                self.email_number.insert(email, number.to_owned());
            }
        }
        duplicate
    }
}

/// Step 2: against the database: emails held by others, managers that exist.
fn check_against_database(
    parsed: Vec<Parsed>,
    file: &FileKeys,
    existing: &Existing<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::with_capacity(parsed.len());
    for p in parsed {
        let mut check = Check {
            line: p.line,
            problems,
        };
        if let Some(&holder) = existing.by_email.get(p.email.as_str()) {
            let holder = &existing.rows[holder];
            if holder.employee_number != p.number
                && !file
                    .number_line
                    .contains_key(holder.employee_number.as_str())
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
            Some(reference) => match manager_number(reference, file, existing) {
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
            },
        };
        let current = existing.by_number.get(p.number.as_str()).copied();
        targets.push(target(p, manager, current, existing));
    }
    targets
}

/// The employee number a manager reference names, in the file or the
/// database.
fn manager_number(
    reference: &EmployeeRef,
    file: &FileKeys,
    existing: &Existing<'_>,
) -> Option<String> {
    match reference {
        EmployeeRef::Email(e) => file.email_number.get(e).cloned().or_else(|| {
            existing
                .by_email
                .get(e.as_str())
                .map(|&i| existing.rows[i].employee_number.clone())
        }),
        EmployeeRef::Number(n) => (file.number_line.contains_key(n)
            || existing.by_number.contains_key(n.as_str()))
        .then(|| n.clone()),
    }
}

/// The row as it will be written: what the file leaves empty keeps the
/// database's value, or the default for a new person.
fn target(
    p: Parsed,
    manager: Option<String>,
    current: Option<usize>,
    existing: &Existing<'_>,
) -> Target {
    let old = current.map(|i| &existing.rows[i]);
    Target {
        line: p.line,
        access_role: p
            .access_role
            .or_else(|| old.map(|o| o.access_role.into()))
            .unwrap_or(AccessRole::Employee)
            .into(),
        work_arrangement: p
            .work_arrangement
            .or_else(|| old.map(|o| o.work_arrangement.into()))
            .unwrap_or(WorkArrangement::Onsite)
            .into(),
        employment_type: p
            .employment_type
            .or_else(|| old.map(|o| o.employment_type.into()))
            .unwrap_or(EmploymentType::FullTime)
            .into(),
        role_since: p
            .role_since
            .or_else(|| {
                old.map(|o| o.role_since)
                    .filter(|since| *since >= p.hired_on)
            })
            .unwrap_or(p.hired_on),
        pay_basis: p
            .pay_basis
            .or_else(|| old.map(|o| o.pay_basis.into()))
            .unwrap_or(PayBasis::Annual)
            .into(),
        fte_bp: p
            .fte_bp
            .or_else(|| old.map(|o| o.fte_bp))
            .unwrap_or(crate::domain::pay_basis::FULL_TIME_BP),
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
    }
}

/// Step 3: cycles of managers, over the organisation as it would be: a problem
/// on each line of the file that takes part in one.
fn check_cycles(
    targets: &[Target],
    file: &FileKeys,
    existing: &Existing<'_>,
    problems: &mut Vec<Problem>,
) {
    let mut node_of: HashMap<&str, usize> = existing.by_number.clone();
    let mut node_target: Vec<Option<usize>> = vec![None; existing.rows.len()];
    for (i, t) in targets.iter().enumerate() {
        match node_of.get(t.number.as_str()) {
            Some(&n) => node_target[n] = Some(i),
            None => {
                node_of.insert(t.number.as_str(), node_target.len());
                node_target.push(Some(i));
            }
        }
    }
    let rows = existing.rows;
    let next: Vec<Option<usize>> = (0..node_target.len())
        .map(|n| match node_target[n] {
            Some(t) => targets[t]
                .manager
                .as_deref()
                .and_then(|m| node_of.get(m).copied()),
            None => rows
                .get(n)
                .and_then(|e| e.manager_id)
                .and_then(|id| existing.by_id.get(&id).copied())
                .and_then(|m| node_of.get(rows[m].employee_number.as_str()).copied())
                .filter(|_| {
                    !file
                        .number_line
                        .contains_key(rows[n].employee_number.as_str())
                }),
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
                    rows.get(n)
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
}

/// Where each row's manager is.
struct Managers<'a> {
    existing: &'a Existing<'a>,
    target_of: HashMap<&'a str, usize>,
}

impl<'a> Managers<'a> {
    fn new(targets: &'a [Target], existing: &'a Existing<'a>) -> Self {
        Managers {
            existing,
            target_of: targets
                .iter()
                .enumerate()
                .map(|(i, t)| (t.number.as_str(), i))
                .collect(),
        }
    }

    fn of(&self, t: &Target) -> Option<ManagerAt> {
        let m = t.manager.as_deref()?;
        match self.existing.by_number.get(m) {
            Some(&i) => Some(ManagerAt::Existing(self.existing.rows[i].id)),
            None => self.target_of.get(m).map(|&i| ManagerAt::New(i)),
        }
    }
}

/// Step 4: what changes: the rows to create and the rows to update.
fn changes(
    targets: &[Target],
    existing: &Existing<'_>,
    managers: &Managers<'_>,
) -> (Vec<usize>, Vec<usize>) {
    let mut new: Vec<usize> = Vec::new();
    let mut changed: Vec<usize> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        match t.existing {
            None => new.push(i),
            Some(e) => {
                let old = &existing.rows[e];
                let same = old.name == t.name
                    && old.email == t.email
                    && old.access_role == t.access_role
                    && old.job_role_id == t.job_role_id
                    && managers.of(t) == old.manager_id.map(ManagerAt::Existing)
                    && old.site == t.site
                    && old.market == t.market
                    && old.work_arrangement == t.work_arrangement
                    && old.employment_type == t.employment_type
                    && old.hired_on == t.hired_on
                    && old.role_since == t.role_since
                    && old.salary_minor == t.salary_minor
                    && old.currency == t.currency
                    && old.pay_basis == t.pay_basis
                    && old.fte_bp == t.fte_bp;
                if !same {
                    changed.push(i);
                }
            }
        }
    }
    (new, changed)
}

/// Step 5: managers before their reports among the new people.
fn managers_first(new: &mut [usize], targets: &[Target], managers: &Managers<'_>) {
    let mut depth: HashMap<usize, usize> = HashMap::new();
    for &start in new.iter() {
        let mut chain = Vec::new();
        let mut node = start;
        let base = loop {
            if let Some(&d) = depth.get(&node) {
                break d + 1;
            }
            chain.push(node);
            match managers.of(&targets[node]) {
                Some(ManagerAt::New(m)) if chain.len() <= targets.len() => node = m,
                _ => break 0,
            }
        };
        for (k, n) in chain.iter().rev().enumerate() {
            depth.insert(*n, base + k);
        }
    }
    new.sort_by_key(|i| (depth.get(i).copied().unwrap_or(0), *i));
}

/// Step 6: the writes of a checked file.
struct Writes<'a> {
    targets: &'a [Target],
    existing: &'a Existing<'a>,
    managers: &'a Managers<'a>,
    new: &'a [usize],
    changed: &'a [usize],
    progress: &'a Progress<'a>,
}

impl Writes<'_> {
    /// Inserts the new people (managers first, in chunks), updates the
    /// changed ones and writes the role history, in `txn`.
    async fn write(&self, txn: &DatabaseTransaction) -> AppResult<()> {
        let now = Utc::now();
        let first_id = max_id(txn, "employee").await? + 1;
        let new_id: HashMap<usize, i64> = self
            .new
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, first_id + k as i64))
            .collect();
        let mut history = self.insert_new(txn, &new_id, now).await?;
        sync_sequence(txn, "employee").await?;
        self.update_changed(txn, &new_id, now, &mut history).await?;
        insert_rows(txn, "role_assignment", ROLE_ASSIGNMENT_COLUMNS, history).await?;
        Ok(())
    }

    fn manager_id(&self, t: &Target, new_id: &HashMap<usize, i64>) -> Option<i64> {
        match self.managers.of(t)? {
            ManagerAt::Existing(id) => Some(id),
            ManagerAt::New(i) => new_id.get(&i).copied(),
        }
    }

    /// The new people; their first role history rows.
    async fn insert_new(
        &self,
        txn: &DatabaseTransaction,
        new_id: &HashMap<usize, i64>,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<Vec<Value>>> {
        let targets = self.targets;
        let mut written = targets.len() - self.new.len() - self.changed.len();
        let mut history: Vec<Vec<Value>> = Vec::with_capacity(self.new.len());
        let columns: Vec<&str> = EMPLOYEE_COLUMNS
            .iter()
            .chain(&["pay_basis", "fte_bp"])
            .copied()
            .collect();
        for chunk in self.new.chunks(5_000) {
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
                    self.manager_id(t, new_id).into(),
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
                    t.pay_basis.into(),
                    t.fte_bp.into(),
                ]);
                history.push(history_row(id, t));
            }
            insert_rows(txn, "employee", &columns, rows).await?;
            written += chunk.len();
            self.progress.show("writing", targets.len() + written);
        }
        Ok(history)
    }

    /// The changed people; a role change closes the open role history row
    /// and adds one to `history`.
    async fn update_changed(
        &self,
        txn: &DatabaseTransaction,
        new_id: &HashMap<usize, i64>,
        now: DateTime<Utc>,
        history: &mut Vec<Vec<Value>>,
    ) -> AppResult<()> {
        let targets = self.targets;
        let written = targets.len() - self.changed.len();
        let mut pay_rows = Vec::new();
        for (k, &i) in self.changed.iter().enumerate() {
            let t = &targets[i];
            let Some(old) = t.existing.and_then(|e| self.existing.rows.get(e)) else {
                continue;
            };
            employee::ActiveModel {
                id: Set(old.id),
                name: Set(t.name.clone()),
                email: Set(t.email.clone()),
                access_role: Set(t.access_role),
                job_role_id: Set(t.job_role_id),
                manager_id: Set(self.manager_id(t, new_id)),
                site: Set(t.site.clone()),
                market: Set(t.market.clone()),
                work_arrangement: Set(t.work_arrangement),
                employment_type: Set(t.employment_type),
                hired_on: Set(t.hired_on),
                role_since: Set(t.role_since),
                salary_minor: Set(t.salary_minor),
                currency: Set(t.currency.clone()),
                pay_basis: Set(t.pay_basis),
                fte_bp: Set(t.fte_bp),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(txn)
            .await?;
            if let Some(row) = pay_history_row(old, t, now) {
                pay_rows.push(row);
            }
            if old.job_role_id != t.job_role_id {
                role_assignment::Entity::update_many()
                    .col_expr(role_assignment::Column::EndedOn, Expr::value(t.role_since))
                    .filter(role_assignment::Column::EmployeeId.eq(old.id))
                    .filter(role_assignment::Column::EndedOn.is_null())
                    .exec(txn)
                    .await?;
                history.push(history_row(old.id, t));
            }
            if k % 1_000 == 0 {
                self.progress.show("writing", targets.len() + written + k);
            }
        }
        insert_rows(txn, "pay_change", PAY_CHANGE_COLUMNS, pay_rows).await?;
        Ok(())
    }
}

const PAY_CHANGE_COLUMNS: &[&str] = &[
    "employee_id",
    "reason",
    "status",
    "before_minor",
    "after_minor",
    "currency",
    "effective_on",
    "note",
    "created_at",
    "decided_at",
    "before_basis",
    "before_fte_bp",
    "pay_basis",
    "fte_bp",
];

/// The row of pay history for `old` becoming `t`, if their pay (in the
/// same currency), basis or FTE changed.
fn pay_history_row(old: &employee::Model, t: &Target, now: DateTime<Utc>) -> Option<Vec<Value>> {
    let pay_moved = old.salary_minor != t.salary_minor;
    let terms_moved = old.pay_basis != t.pay_basis || old.fte_bp != t.fte_bp;
    if old.currency != t.currency || !(pay_moved || terms_moved) {
        return None;
    }
    let reason = if pay_moved {
        stored::PayChangeReason::Correction
    } else {
        stored::PayChangeReason::TermsChange
    };
    let effective_on = if old.job_role_id != t.job_role_id {
        t.role_since
    } else {
        now.date_naive()
    };
    Some(vec![
        old.id.into(),
        reason.into(),
        stored::PayChangeStatus::Approved.into(),
        old.salary_minor.into(),
        t.salary_minor.into(),
        t.currency.clone().into(),
        effective_on.into(),
        "from an import".into(),
        now.into(),
        now.into(),
        old.pay_basis.into(),
        old.fte_bp.into(),
        t.pay_basis.into(),
        t.fte_bp.into(),
    ])
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
