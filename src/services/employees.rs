//! Employees: one by id, the listing (in the principal's scope, the SQL
//! twin of `policy::may_view_private`), and HR's creates and updates (with
//! manager-cycle and duplicate-email checks).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use crate::auth::{password, policy, Principal};
use crate::db::entities::{employee, role_assignment};
use crate::db::facts::Ladder;
use crate::db::{paging, scope, Db};
use crate::domain::enums::{AccessRole, EmploymentType, WorkArrangement};
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

/// One employee, if the principal may see them (self, a manager above, HR,
/// ADMIN: `policy::may_view_private`); anyone else is NOT_FOUND, exactly
/// like an id that does not exist.
pub async fn get(db: &Db, principal: &Principal, id: i64) -> AppResult<employee::Model> {
    check_view(db, principal, id).await?;
    employee::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))
}

/// Refuses, as not found, an employee the principal may not see in full
/// (the check of [`get`], for callers that read the row through a batch
/// loader).
pub async fn check_view(db: &Db, principal: &Principal, id: i64) -> AppResult<()> {
    let relation = policy::relation(&db.conn, principal, id).await?;
    if !policy::may_view_private(relation) {
        return Err(policy::hidden("employee"));
    }
    Ok(())
}

/// Filters of the `employees` listing (all optional).
#[derive(Debug, Default, Clone)]
pub struct EmployeeFilter {
    pub role_code: Option<String>,
    pub site: Option<String>,
    pub market: Option<String>,
    pub manager_id: Option<i64>,
    pub eligible_for: Option<String>,
    pub search: Option<String>,
    /// Stalled today (eligibility state), or not.
    pub stalled: Option<bool>,
    /// The status of the best option today (eligibility state).
    pub best_status: Option<crate::domain::enums::EligibilityStatus>,
}

impl EmployeeFilter {
    /// Whether the filter reads today's eligibility state.
    fn reads_state(&self) -> bool {
        self.stalled.is_some() || self.best_status.is_some()
    }
}

/// The SQL condition restricting rows to what `principal` may see.
pub fn visible_condition(principal: &Principal) -> Condition {
    if principal.is_hr() {
        return Condition::all();
    }
    let me = Condition::all().add(employee::Column::Id.eq(principal.employee_id));
    if principal.is_manager() {
        Condition::any()
            .add(me)
            .add(scope::in_chain("employee.id", principal.employee_id))
    } else {
        me
    }
}

/// Longest `search` text.
pub const MAX_SEARCH_CHARS: usize = 100;

/// `search` is at most 100 characters and holds no control characters
/// (a NUL byte would end the pattern early on SQLite and match everyone),
/// as `validate::text` checks; blank means no search. LIKE's wildcards in
/// it are escaped where the condition is built.
pub fn check_search(search: Option<&str>) -> AppResult<()> {
    match search.filter(|s| !s.trim().is_empty()) {
        Some(search) => validate::text("filter.search", search, MAX_SEARCH_CHARS).map(drop),
        None => Ok(()),
    }
}

/// The condition of a filter (everything but `eligibleFor`, which needs the
/// engine), or `None` when the filter names an unknown role (no rows).
fn filter_condition(ladder: &Ladder, filter: &EmployeeFilter) -> Option<Condition> {
    let mut cond = Condition::all();
    if let Some(code) = &filter.role_code {
        cond = cond.add(employee::Column::JobRoleId.eq(ladder.role_by_code(code)?.id));
    }
    if let Some(site) = &filter.site {
        cond = cond.add(employee::Column::Site.eq(site.as_str()));
    }
    if let Some(market) = &filter.market {
        cond = cond.add(employee::Column::Market.eq(market.to_uppercase()));
    }
    if let Some(manager_id) = filter.manager_id {
        cond = cond.add(employee::Column::ManagerId.eq(manager_id));
    }
    // The same flags the dashboard's figures sum (`eligibility_state`), so
    // a figure and its list of people always agree. Constant SQL only.
    let state = |flag: &str, set: bool| {
        let op = if set { "IN" } else { "NOT IN" };
        Expr::cust(format!(
            "employee.id {op} (SELECT employee_id FROM eligibility_state WHERE {flag} = 1 AND counted = 1)"
        ))
    };
    if let Some(stalled) = filter.stalled {
        cond = cond.add(state("stalled", stalled));
    }
    if let Some(status) = filter.best_status {
        let flag = match status {
            crate::domain::enums::EligibilityStatus::Eligible => "eligible",
            crate::domain::enums::EligibilityStatus::NotYet => "not_yet",
            crate::domain::enums::EligibilityStatus::Ineligible => "ineligible",
        };
        cond = cond.add(state(flag, true));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('!', "!!")
                .replace('%', "!%")
                .replace('_', "!_")
        );
        // `!` escapes: a backslash would be doubled in SQL text on the way.
        let like = |p: &str| LikeExpr::new(p).escape('!');
        cond = cond.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col((
                        employee::Entity,
                        employee::Column::Name,
                    ))))
                    .like(like(&pattern)),
                )
                .add(employee::Column::Email.like(like(&pattern))),
        );
    }
    Some(cond)
}

/// A page of the employees `principal` may see, in id order after `after`
/// (`total` is only counted when asked for).
pub struct EmployeePage {
    pub rows: Vec<employee::Model>,
    pub has_next: bool,
    pub total: u64,
}

pub async fn list(
    db: &Db,
    principal: &Principal,
    ladder: &Ladder,
    filter: &EmployeeFilter,
    first: u64,
    after: Option<i64>,
    count_total: bool,
) -> AppResult<EmployeePage> {
    check_search(filter.search.as_deref())?;
    if filter.reads_state() {
        policy::may_read_eligibility_figures(principal)?;
        // As the dashboard does: the state answers for today once nothing
        // is due.
        crate::services::eligibility_state::bring_up_to_date(db, chrono::Utc::now().date_naive())
            .await?;
    }
    let Some(cond) = filter_condition(ladder, filter) else {
        return Ok(EmployeePage {
            rows: vec![],
            has_next: false,
            total: 0,
        });
    };
    let base = crate::db::records::employees_without_secrets()
        .filter(visible_condition(principal))
        .filter(cond);
    if let Some(target) = &filter.eligible_for {
        return crate::services::eligible::list_eligible(db, ladder, base, target, first, after)
            .await;
    }
    let total = if count_total {
        base.clone().count(&db.conn).await?
    } else {
        0
    };
    let (rows, has_next) = paging::keyset(
        &db.conn,
        base,
        employee::Column::Id,
        paging::Order::Ascending,
        first,
        after,
    )
    .await?;
    Ok(EmployeePage {
        rows,
        has_next,
        total,
    })
}

/// What HR sends to create an employee (already typed by the API layer).
#[derive(Debug, Clone)]
pub struct NewEmployee {
    pub employee_number: Option<String>,
    pub name: String,
    pub email: String,
    pub access_role: AccessRole,
    pub role_code: String,
    pub manager_id: Option<i64>,
    pub site: String,
    pub market: String,
    pub work_arrangement: WorkArrangement,
    pub employment_type: EmploymentType,
    pub hired_on: NaiveDate,
    pub role_since: Option<NaiveDate>,
    pub salary: String,
    pub currency: String,
    /// What `salary` is per.
    pub pay_basis: crate::domain::enums::PayBasis,
    /// FTE, as the API gives it (checked: in (0, 1], four decimals).
    pub fte: f64,
    pub initial_password: Option<String>,
}

/// The FTE argument in basis points, or BAD_USER_INPUT naming `field`.
pub fn fte_bp(field: &str, fte: f64) -> AppResult<i64> {
    crate::domain::pay_basis::fte_from_number(fte).ok_or_else(|| {
        AppError::bad_input(format!(
            "{field}: a number above 0 and at most 1 with at most four decimals, e.g. 0.5 for half time"
        ))
    })
}

/// Creates an employee with their first role-history row. `actor` is `None`
/// for the command line.
pub async fn create(
    db: &Db,
    actor: Option<&Principal>,
    input: NewEmployee,
) -> AppResult<employee::Model> {
    if let Some(actor) = actor {
        policy::may_create_employee(actor, input.access_role)?;
    }
    let fields = NewFields::check(&input).await?;
    let ladder = Ladder::load(&db.conn).await?;
    let role = ladder.role_by_code(input.role_code.trim()).ok_or_else(|| {
        AppError::bad_input(format!(
            "roleCode: unknown job role \"{}\"",
            validate::clip(&input.role_code)
        ))
    })?;

    let txn = db.begin_write().await?;
    if let Some(manager_id) = input.manager_id {
        if !crate::db::records::employee_exists(&txn, manager_id).await? {
            return Err(AppError::bad_input("managerId: no such employee"));
        }
    }
    ensure_email_free(&txn, &fields.email, None).await?;
    if let Some(number) = &fields.employee_number {
        ensure_number_free(&txn, number).await?;
    }
    let created = insert_new(&txn, &input, fields, role.id).await?;
    audit::record(
        &txn,
        actor.map(|a| a.employee_id),
        "CREATE_EMPLOYEE",
        "employee",
        created.id,
        json!({ "after": public_json(&created) }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[created.id]).await?;
    txn.commit().await?;
    Ok(created)
}

/// The fields of a new employee, checked (and the password hashed).
struct NewFields {
    name: String,
    email: String,
    site: String,
    market: String,
    currency: String,
    salary_minor: i64,
    hired_on: NaiveDate,
    role_since: NaiveDate,
    employee_number: Option<String>,
    password_hash: Option<String>,
    fte_bp: i64,
}

impl NewFields {
    async fn check(input: &NewEmployee) -> AppResult<NewFields> {
        let name = validate::text("name", &input.name, 200)?;
        let email = validate::email(&input.email)?;
        let site = validate::text("site", &input.site, 100)?;
        let market = validate::market(&input.market)?;
        let currency = validate::currency(&input.currency)?;
        let salary_minor = validate::amount("salary", &input.salary, &currency)?;
        let hired_on = validate::date("hiredOn", input.hired_on)?;
        let role_since = validate::date("roleSince", input.role_since.unwrap_or(hired_on))?;
        if role_since < hired_on {
            return Err(AppError::bad_input("roleSince must not be before hiredOn"));
        }
        let employee_number = match &input.employee_number {
            Some(number) => Some(validate::text("employeeNumber", number, 50)?),
            None => None,
        };
        let password_hash = match &input.initial_password {
            Some(pw) => {
                password::check_policy(pw, &email, &name)?;
                Some(password::hash(pw.clone()).await?)
            }
            None => None,
        };
        Ok(NewFields {
            name,
            email,
            site,
            market,
            currency,
            salary_minor,
            hired_on,
            role_since,
            employee_number,
            password_hash,
            fte_bp: fte_bp("fte", input.fte)?,
        })
    }
}

async fn ensure_number_free<C: ConnectionTrait>(db: &C, number: &str) -> AppResult<()> {
    let taken = employee::Entity::find()
        .filter(employee::Column::EmployeeNumber.eq(number))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(AppError::bad_input(format!(
            "employeeNumber: \"{number}\" is already in use"
        )));
    }
    Ok(())
}

/// Inserts the employee (numbered `E000123` after their id when the input
/// names no number) and their first role-history row.
async fn insert_new(
    txn: &DatabaseTransaction,
    input: &NewEmployee,
    fields: NewFields,
    role_id: i64,
) -> AppResult<employee::Model> {
    let now = Utc::now();
    let placeholder_number = format!("pending-{}", crate::auth::token::generate());
    let created = employee::ActiveModel {
        employee_number: Set(fields.employee_number.clone().unwrap_or(placeholder_number)),
        name: Set(fields.name),
        email: Set(fields.email),
        password_hash: Set(fields.password_hash),
        access_role: Set(input.access_role.into()),
        job_role_id: Set(role_id),
        manager_id: Set(input.manager_id),
        site: Set(fields.site),
        market: Set(fields.market),
        work_arrangement: Set(input.work_arrangement.into()),
        employment_type: Set(input.employment_type.into()),
        hired_on: Set(fields.hired_on),
        role_since: Set(fields.role_since),
        salary_minor: Set(fields.salary_minor),
        currency: Set(fields.currency.clone()),
        pay_basis: Set(input.pay_basis.into()),
        fte_bp: Set(fields.fte_bp),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let created = if fields.employee_number.is_none() {
        let id = created.id;
        let mut active = created.into_active_model();
        active.employee_number = Set(format!("E{id:06}"));
        active.update(txn).await?
    } else {
        created
    };
    role_assignment::ActiveModel {
        employee_id: Set(created.id),
        job_role_id: Set(role_id),
        started_on: Set(fields.role_since),
        ended_on: Set(None),
        salary_minor: Set(fields.salary_minor),
        currency: Set(fields.currency),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(created)
}

async fn ensure_email_free<C: ConnectionTrait>(
    db: &C,
    email: &str,
    except_id: Option<i64>,
) -> AppResult<()> {
    let mut query = employee::Entity::find().filter(employee::Column::Email.eq(email));
    if let Some(id) = except_id {
        query = query.filter(employee::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(AppError::bad_input(format!(
            "email: \"{email}\" is already in use"
        )));
    }
    Ok(())
}

/// What HR may change on an employee (all optional).
#[derive(Debug, Clone, Default)]
pub struct EmployeeChanges {
    pub name: Option<String>,
    pub email: Option<String>,
    pub access_role: Option<AccessRole>,
    pub manager_id: Option<i64>,
    pub site: Option<String>,
    pub market: Option<String>,
    pub work_arrangement: Option<WorkArrangement>,
    pub employment_type: Option<EmploymentType>,
    /// A new basis for the salary on record (the amount stays).
    pub pay_basis: Option<crate::domain::enums::PayBasis>,
    /// A new FTE, as the API gives it (the amount stays).
    pub fte: Option<f64>,
}

pub async fn update(
    db: &Db,
    principal: &Principal,
    id: i64,
    changes: EmployeeChanges,
) -> AppResult<employee::Model> {
    policy::may_update_employee(principal, None, changes.access_role.is_some())?;
    let new_fte = changes.fte.map(|f| fte_bp("fte", f)).transpose()?;
    let txn = db.begin_write().await?;
    let before = employee::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    policy::may_update_employee(
        principal,
        Some(before.access_role.into()),
        changes.access_role.is_some(),
    )?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = &changes.name {
        active.name = Set(validate::text("name", name, 200)?);
    }
    if let Some(email) = &changes.email {
        let email = validate::email(email)?;
        ensure_email_free(&txn, &email, Some(id)).await?;
        active.email = Set(email);
    }
    if let Some(role) = changes.access_role {
        active.access_role = Set(role.into());
    }
    if let Some(manager_id) = changes.manager_id {
        if manager_id == id || scope::is_above(&txn, id, manager_id).await? {
            return Err(AppError::bad_input(
                "managerId: this manager would create a cycle in the reporting chain",
            ));
        }
        if !crate::db::records::employee_exists(&txn, manager_id).await? {
            return Err(AppError::bad_input("managerId: no such employee"));
        }
        active.manager_id = Set(Some(manager_id));
    }
    if let Some(site) = &changes.site {
        active.site = Set(validate::text("site", site, 100)?);
    }
    if let Some(market) = &changes.market {
        active.market = Set(validate::market(market)?);
    }
    if let Some(arrangement) = changes.work_arrangement {
        active.work_arrangement = Set(arrangement.into());
    }
    if let Some(kind) = changes.employment_type {
        active.employment_type = Set(kind.into());
    }
    if changes.pay_basis.is_some() || new_fte.is_some() {
        policy::may_change_pay_terms(principal, id)?;
    }
    if let Some(basis) = changes.pay_basis {
        active.pay_basis = Set(basis.into());
    }
    if let Some(fte) = new_fte {
        active.fte_bp = Set(fte);
    }
    active.updated_at = Set(Utc::now());
    let after = active.update(&txn).await?;
    crate::services::pay::record_terms_change(&txn, principal, &before, &after).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "UPDATE_EMPLOYEE",
        "employee",
        id,
        json!({ "before": public_json(&before), "after": public_json(&after) }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[id]).await?;
    txn.commit().await?;
    Ok(after)
}

/// The audit view of an employee row: everything but the password hash.
pub fn public_json(e: &employee::Model) -> serde_json::Value {
    json!({
        "employeeNumber": e.employee_number,
        "name": e.name,
        "email": e.email,
        "accessRole": e.access_role.as_str(),
        "jobRoleId": e.job_role_id,
        "managerId": e.manager_id,
        "site": e.site,
        "market": e.market,
        "workArrangement": e.work_arrangement.as_str(),
        "employmentType": e.employment_type.as_str(),
        "hiredOn": e.hired_on,
        "roleSince": e.role_since,
        "salaryMinor": e.salary_minor,
        "currency": e.currency,
        "payBasis": e.pay_basis.as_str(),
        "fteBp": e.fte_bp,
    })
}
