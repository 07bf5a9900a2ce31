//! Merit cycles (issue 20): HR opens a cycle with a budget per site or
//! market; managers propose raises for their people, guided by the merit
//! matrix; HR closes it and every proposal becomes an approved MERIT pay
//! change, all or nothing. The pure rules are in `domain::merit`; who may
//! do what is in `auth::policy`.
//!
//! **Budgets never overspend.** A proposal charges its annualised
//! full-time increase to its budget with one guarded statement (`used +
//! delta <= budget`), in a transaction that first moves the cycle's
//! `revision` only while it is OPEN: on PostgreSQL that row lock
//! serialises proposals and closing; on SQLite writes are serialised
//! anyway. Two managers proposing at once cannot both spend the last yen.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::{employee, merit_budget, merit_cycle, merit_guideline, merit_proposal};
use crate::db::facts::{facts_of, Ladder};
use crate::db::Db;
use crate::domain::merit::{self, Guideline};
use crate::domain::{eligibility, money, pay_basis};
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

pub const OPEN: &str = "OPEN";
pub const CLOSED: &str = "CLOSED";

/// How a cycle's budget is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetBy {
    Site,
    Market,
}

impl BudgetBy {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetBy::Site => "SITE",
            BudgetBy::Market => "MARKET",
        }
    }
}

/// What HR gives to open a cycle (typed by the API layer).
pub struct OpenInput {
    pub name: String,
    pub effective_on: NaiveDate,
    pub budget_percent: f64,
    pub budget_by: BudgetBy,
    pub market: Option<String>,
    /// `None`: the default matrix (`domain::merit::default_matrix`).
    pub matrix: Option<Vec<Guideline>>,
}

#[derive(Debug, FromQueryResult)]
struct PayRow {
    site: String,
    market: String,
    currency: String,
    salary_minor: i64,
    pay_basis: crate::db::entities::enums::PayBasis,
    fte_bp: i64,
}

/// The people a cycle covers: hired by its effective date, in its market
/// when it has one.
fn scope_filter(
    cycle_market: Option<&str>,
    effective_on: NaiveDate,
) -> (String, Vec<sea_orm::Value>) {
    match cycle_market {
        Some(market) => (
            "hired_on <= ? AND market = ?".to_owned(),
            vec![effective_on.into(), market.to_owned().into()],
        ),
        None => ("hired_on <= ?".to_owned(), vec![effective_on.into()]),
    }
}

/// The budget key of a person.
fn scope_of(budget_by: &str, site: &str, market: &str) -> String {
    if budget_by == "SITE" {
        site.to_owned()
    } else {
        market.to_owned()
    }
}

/// HR opens a cycle: its budgets are the scope's annualised full-time
/// payroll per site or market (and currency) times the percentage.
pub async fn open(
    db: &Db,
    principal: &Principal,
    input: OpenInput,
) -> AppResult<merit_cycle::Model> {
    policy::may_run_merit_cycles(principal)?;
    let name = validate::text("name", &input.name, 200)?;
    let effective_on = validate::date("effectiveOn", input.effective_on)?;
    let budget_bp = money::percent_to_basis_points(input.budget_percent)
        .filter(|bp| (0..=10_000).contains(bp))
        .ok_or_else(|| {
            AppError::bad_input("budgetPercent: between 0 and 100, at most two decimals")
        })?;
    let market = input.market.as_deref().map(validate::market).transpose()?;
    let matrix = input.matrix.unwrap_or_else(merit::default_matrix);
    merit::check_matrix(&matrix).map_err(AppError::bad_input)?;
    let ladder = Ladder::load(&db.conn).await?;
    let payroll = payroll_by_scope(
        &db.conn,
        &ladder,
        input.budget_by,
        market.as_deref(),
        effective_on,
    )
    .await?;
    let txn = db.begin_write().await?;
    let (cycle, scopes) = create(
        &txn,
        principal.employee_id,
        NewCycle {
            name,
            effective_on,
            budget_bp,
            budget_by: input.budget_by,
            market,
        },
        payroll,
        &matrix,
    )
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "OPEN_MERIT_CYCLE",
        "merit_cycle",
        cycle.id,
        json!({ "name": cycle.name, "effectiveOn": cycle.effective_on, "budgetBp": budget_bp,
                "budgetBy": cycle.budget_by, "market": cycle.market, "scopes": scopes }),
    )
    .await?;
    txn.commit().await?;
    Ok(cycle)
}

/// A cycle's fields, checked.
pub struct NewCycle {
    pub name: String,
    pub effective_on: NaiveDate,
    pub budget_bp: i64,
    pub budget_by: BudgetBy,
    pub market: Option<String>,
}

/// The annualised full-time payroll of the people a cycle would cover,
/// per budget scope and currency (BAD_USER_INPUT when nobody is in it).
pub async fn payroll_by_scope<C: ConnectionTrait>(
    conn: &C,
    ladder: &Ladder,
    budget_by: BudgetBy,
    market: Option<&str>,
    effective_on: NaiveDate,
) -> AppResult<BTreeMap<(String, String), i128>> {
    let backend = conn.get_database_backend();
    let (filter, values) = scope_filter(market, effective_on);
    let sql = crate::db::placeholders(
        backend,
        &format!(
            "SELECT site, market, currency, salary_minor, pay_basis, fte_bp FROM employee WHERE {filter}"
        ),
    );
    let rows = PayRow::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await?;
    let mut payroll: BTreeMap<(String, String), i128> = BTreeMap::new();
    for row in rows {
        let terms = pay_basis::PayTerms {
            basis: row.pay_basis.into(),
            fte_bp: row.fte_bp,
            annual_hours: ladder.annual_hours(&row.market),
        };
        let annual = terms
            .annualise(row.salary_minor)
            .ok_or_else(|| AppError::internal("a salary too large to annualise"))?;
        *payroll
            .entry((
                scope_of(budget_by.as_str(), &row.site, &row.market),
                row.currency,
            ))
            .or_default() += i128::from(annual);
    }
    if payroll.is_empty() {
        return Err(AppError::bad_input(
            "nobody is in this cycle's scope (hired by its effective date, in its market)",
        ));
    }
    if payroll.len() > crate::domain::bounds::MERIT_BUDGETS {
        return Err(AppError::bad_input(format!(
            "budgetBy: this would make {} budgets, at most {} per cycle: split by MARKET or choose a market",
            payroll.len(),
            crate::domain::bounds::MERIT_BUDGETS
        )));
    }
    Ok(payroll)
}

/// Writes a cycle, its budgets and its matrix (inside the caller's
/// transaction); returns it and how many budgets it has.
pub async fn create<C: ConnectionTrait>(
    txn: &C,
    opened_by_id: i64,
    new: NewCycle,
    payroll: BTreeMap<(String, String), i128>,
    matrix: &[Guideline],
) -> AppResult<(merit_cycle::Model, usize)> {
    let cycle = merit_cycle::ActiveModel {
        name: Set(new.name),
        effective_on: Set(new.effective_on),
        status: Set(OPEN.into()),
        budget_bp: Set(new.budget_bp),
        budget_by: Set(new.budget_by.as_str().into()),
        market: Set(new.market),
        revision: Set(0),
        opened_by_id: Set(opened_by_id),
        opened_at: Set(Utc::now()),
        closed_by_id: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut budgets = Vec::with_capacity(payroll.len());
    for ((scope, currency), total) in payroll {
        budgets.push(merit_budget::ActiveModel {
            cycle_id: Set(cycle.id),
            scope: Set(scope),
            currency: Set(currency),
            payroll_minor: Set(
                i64::try_from(total).map_err(|_| AppError::internal("a payroll too large"))?
            ),
            budget_minor: Set(merit::budget(total, new.budget_bp)
                .ok_or_else(|| AppError::internal("a budget too large"))?),
            used_minor: Set(0),
            ..Default::default()
        });
    }
    let scopes = budgets.len();
    for chunk in budgets.chunks(500) {
        merit_budget::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    merit_guideline::Entity::insert_many(matrix.iter().map(|g| merit_guideline::ActiveModel {
        cycle_id: Set(cycle.id),
        min_rating_cp: Set(g.min_rating_cp),
        max_rating_cp: Set(g.max_rating_cp),
        compa_quartile: Set(i32::from(g.quartile)),
        min_bp: Set(g.min_bp),
        max_bp: Set(g.max_bp),
        ..Default::default()
    }))
    .exec(txn)
    .await?;
    Ok((cycle, scopes))
}

/// A cycle, for whoever may see cycles.
pub async fn get(db: &Db, principal: &Principal, id: i64) -> AppResult<merit_cycle::Model> {
    policy::may_see_merit_cycles(principal)?;
    merit_cycle::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("merit cycle"))
}

/// Cycles, newest first, at most `limit`.
pub async fn list(
    db: &Db,
    principal: &Principal,
    limit: u64,
) -> AppResult<Vec<merit_cycle::Model>> {
    policy::may_see_merit_cycles(principal)?;
    Ok(merit_cycle::Entity::find()
        .order_by_desc(merit_cycle::Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?)
}

/// A cycle's budgets the principal may read, by scope.
pub async fn budgets(
    db: &Db,
    principal: &Principal,
    cycle: &merit_cycle::Model,
    limit: u64,
) -> AppResult<Vec<merit_budget::Model>> {
    let mut query = merit_budget::Entity::find().filter(merit_budget::Column::CycleId.eq(cycle.id));
    if !policy::sees_every_merit_budget(principal)? {
        let column = if cycle.budget_by == "SITE" {
            employee::Column::Site
        } else {
            employee::Column::Market
        };
        let scopes: Vec<String> = employee::Entity::find()
            .select_only()
            .column(column)
            .distinct()
            .filter(crate::db::scope::in_chain(
                "employee.id",
                principal.employee_id,
            ))
            .into_tuple()
            .all(&db.conn)
            .await?;
        query = query.filter(merit_budget::Column::Scope.is_in(scopes));
    }
    Ok(query
        .order_by_asc(merit_budget::Column::Scope)
        .order_by_asc(merit_budget::Column::Currency)
        .limit(limit)
        .all(&db.conn)
        .await?)
}

/// A cycle's matrix.
pub async fn matrix<C: ConnectionTrait>(db: &C, cycle_id: i64) -> AppResult<Vec<Guideline>> {
    Ok(merit_guideline::Entity::find()
        .filter(merit_guideline::Column::CycleId.eq(cycle_id))
        .order_by_desc(merit_guideline::Column::MinRatingCp)
        .order_by_asc(merit_guideline::Column::CompaQuartile)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Guideline {
            min_rating_cp: g.min_rating_cp,
            max_rating_cp: g.max_rating_cp,
            quartile: g.compa_quartile.clamp(1, 4) as u8,
            min_bp: g.min_bp,
            max_bp: g.max_bp,
        })
        .collect())
}

/// Where a person stands for a merit raise: rating, quarter of the band
/// and the matrix's range.
#[derive(Debug, Clone)]
pub struct Advice {
    pub rating: Option<f64>,
    pub quartile: u8,
    pub guideline: Option<Guideline>,
}

pub async fn advice_for<C: ConnectionTrait>(
    conn: &C,
    ladder: &Ladder,
    matrix: &[Guideline],
    person: &employee::Model,
    as_of: NaiveDate,
) -> AppResult<Advice> {
    let facts = facts_of(conn, &[person.id]).await?;
    let rating = facts
        .get(&person.id)
        .and_then(|f| eligibility::rating_as_of(&f.reviews, as_of));
    let terms = ladder.pay_terms(person);
    let quartile = ladder
        .band_own(person.job_role_id, person)
        .and_then(|b| pay_basis::range_penetration(person.salary_minor, &terms, &b))
        .map_or(1, merit::quartile);
    Ok(Advice {
        rating,
        quartile,
        guideline: merit::guideline_for(matrix, rating, quartile),
    })
}

/// The guideline for one person in a cycle (their manager or HR).
pub async fn advice(
    db: &Db,
    principal: &Principal,
    cycle: &merit_cycle::Model,
    employee_id: i64,
) -> AppResult<Advice> {
    policy::may_propose_merit(policy::relation(&db.conn, principal, employee_id).await?)?;
    let person = employee::Entity::find_by_id(employee_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    let ladder = Ladder::load(&db.conn).await?;
    let matrix = matrix(&db.conn, cycle.id).await?;
    advice_for(&db.conn, &ladder, &matrix, &person, cycle.effective_on).await
}

/// What a manager proposes.
pub struct ProposeInput {
    pub cycle_id: i64,
    pub employee_id: i64,
    pub percent: f64,
    pub justification: Option<String>,
}

/// A manager (for their chain) or HR proposes a merit raise; again for the
/// same person replaces the proposal (and its charge on the budget).
pub async fn propose(
    db: &Db,
    principal: &Principal,
    input: ProposeInput,
) -> AppResult<merit_proposal::Model> {
    policy::may_propose_merit(policy::relation(&db.conn, principal, input.employee_id).await?)?;
    let percent_bp = money::percent_to_basis_points(input.percent)
        .filter(|bp| (0..=10_000).contains(bp))
        .ok_or_else(|| AppError::bad_input("percent: between 0 and 100, at most two decimals"))?;
    let justification = input
        .justification
        .as_deref()
        .map(|raw| validate::text("justification", raw, validate::MAX_TEXT))
        .transpose()?;
    let cycle = merit_cycle::Entity::find_by_id(input.cycle_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("merit cycle"))?;
    let person = employee::Entity::find_by_id(input.employee_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    if person.hired_on > cycle.effective_on
        || cycle.market.as_deref().is_some_and(|m| m != person.market)
    {
        return Err(AppError::bad_input(
            "employeeId: this person is not in the cycle's scope",
        ));
    }
    let ladder = Ladder::load(&db.conn).await?;
    let matrix = matrix(&db.conn, cycle.id).await?;
    let advice = advice_for(&db.conn, &ladder, &matrix, &person, cycle.effective_on).await?;
    let inside = advice
        .guideline
        .is_some_and(|g| (g.min_bp..=g.max_bp).contains(&percent_bp));
    if !inside && justification.is_none() {
        return Err(AppError::bad_input(match advice.guideline {
            Some(g) => format!(
                "percent: outside the guideline of {}–{} % for this person; give a justification",
                g.min_bp as f64 / 100.0,
                g.max_bp as f64 / 100.0
            ),
            None => "percent: the matrix has no guideline for this person (no rating yet); give a justification".into(),
        }));
    }
    let new_minor = money::apply_raise(person.salary_minor, percent_bp)
        .ok_or_else(|| AppError::bad_input("percent: the new salary would overflow"))?;
    if let Some(band) = ladder.band_in(person.job_role_id, &person) {
        if new_minor > band.max && new_minor > person.salary_minor {
            return Err(AppError::bad_input(
                "percent: the new pay would be above the band of the person's role",
            ));
        }
    }
    let terms = ladder.pay_terms(&person);
    let charged = terms
        .annualise(new_minor)
        .zip(terms.annualise(person.salary_minor))
        .map(|(after, before)| after - before)
        .ok_or_else(|| AppError::bad_input("percent: the new salary would overflow"))?;
    let scope = scope_of(&cycle.budget_by, &person.site, &person.market);

    let txn = db.begin_write().await?;
    // Only while OPEN; on PostgreSQL this row lock also serialises
    // proposals with each other and with closing.
    let claimed = merit_cycle::Entity::update_many()
        .col_expr(
            merit_cycle::Column::Revision,
            Expr::col(merit_cycle::Column::Revision).add(1),
        )
        .filter(merit_cycle::Column::Id.eq(cycle.id))
        .filter(merit_cycle::Column::Status.eq(OPEN))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict("this merit cycle is closed".into()));
    }
    let budget = merit_budget::Entity::find()
        .filter(merit_budget::Column::CycleId.eq(cycle.id))
        .filter(merit_budget::Column::Scope.eq(scope.as_str()))
        .filter(merit_budget::Column::Currency.eq(person.currency.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::bad_input(
                "employeeId: the cycle has no budget for this person's site or market",
            )
        })?;
    let previous = merit_proposal::Entity::find()
        .filter(merit_proposal::Column::CycleId.eq(cycle.id))
        .filter(merit_proposal::Column::EmployeeId.eq(person.id))
        .one(&txn)
        .await?;
    // The previous charge comes off its own budget (the person may have
    // changed site since); the new one goes on this one.
    let delta = match &previous {
        Some(p) if p.budget_id == budget.id => charged - p.charged_minor,
        Some(p) => {
            merit_budget::Entity::update_many()
                .col_expr(
                    merit_budget::Column::UsedMinor,
                    Expr::col(merit_budget::Column::UsedMinor).sub(p.charged_minor),
                )
                .filter(merit_budget::Column::Id.eq(p.budget_id))
                .exec(&txn)
                .await?;
            charged
        }
        None => charged,
    };
    let spent = merit_budget::Entity::update_many()
        .col_expr(
            merit_budget::Column::UsedMinor,
            Expr::col(merit_budget::Column::UsedMinor).add(delta),
        )
        .filter(merit_budget::Column::Id.eq(budget.id))
        .filter(
            Expr::col(merit_budget::Column::UsedMinor)
                .add(delta)
                .lte(Expr::col(merit_budget::Column::BudgetMinor)),
        )
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        let remaining = budget.budget_minor - budget.used_minor;
        return Err(AppError::Conflict(format!(
            "over budget: {} {} left in {}'s merit budget",
            money::format_amount(std::cmp::max(remaining, 0), &budget.currency),
            budget.currency,
            budget.scope
        )));
    }
    let now = Utc::now();
    let saved = match previous {
        Some(old) => {
            let mut active: merit_proposal::ActiveModel = old.into();
            active.percent_bp = Set(percent_bp);
            active.budget_id = Set(budget.id);
            active.currency = Set(person.currency.clone());
            active.before_minor = Set(person.salary_minor);
            active.new_minor = Set(new_minor);
            active.charged_minor = Set(charged);
            active.justification = Set(justification);
            active.proposed_by_id = Set(principal.employee_id);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            merit_proposal::ActiveModel {
                cycle_id: Set(cycle.id),
                employee_id: Set(person.id),
                budget_id: Set(budget.id),
                percent_bp: Set(percent_bp),
                before_minor: Set(person.salary_minor),
                new_minor: Set(new_minor),
                currency: Set(person.currency.clone()),
                charged_minor: Set(charged),
                justification: Set(justification),
                proposed_by_id: Set(principal.employee_id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "PROPOSE_MERIT",
        "merit_proposal",
        saved.id,
        json!({ "cycleId": cycle.id, "employeeId": person.id, "percentBp": percent_bp,
                "beforeMinor": saved.before_minor, "newMinor": new_minor, "currency": saved.currency }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Proposals of a cycle the principal may read, in id order, a page.
pub async fn proposals(
    db: &Db,
    principal: &Principal,
    cycle_id: i64,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<merit_proposal::Model>, bool, u64)> {
    let only_by = policy::merit_proposals_visible_to(principal)?;
    let mut query =
        merit_proposal::Entity::find().filter(merit_proposal::Column::CycleId.eq(cycle_id));
    if let Some(by) = only_by {
        query = query.filter(merit_proposal::Column::ProposedById.eq(by));
    }
    let total = query.clone().count(&db.conn).await?;
    let (rows, has_next) = crate::db::paging::keyset(
        &db.conn,
        query,
        merit_proposal::Column::Id,
        crate::db::paging::Order::Ascending,
        first,
        after,
    )
    .await?;
    Ok((rows, has_next, total))
}

/// One proposal, if the principal may read it (`None` otherwise, as for
/// one that does not exist).
pub async fn proposal(
    db: &Db,
    principal: &Principal,
    id: i64,
) -> AppResult<Option<merit_proposal::Model>> {
    let Ok(only_by) = policy::merit_proposals_visible_to(principal) else {
        return Ok(None);
    };
    Ok(merit_proposal::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .filter(|p| only_by.is_none_or(|by| p.proposed_by_id == by)))
}

/// How many proposals a cycle holds.
pub async fn proposal_count(db: &Db, cycle_id: i64) -> AppResult<u64> {
    Ok(merit_proposal::Entity::find()
        .filter(merit_proposal::Column::CycleId.eq(cycle_id))
        .count(&db.conn)
        .await?)
}

/// HR closes a cycle on or after its effective date: every proposal
/// becomes an approved MERIT pay change from that date and the new pay
/// applies, in one transaction; if any person's pay moved since their
/// proposal, or has a later pay change, nothing changes (CONFLICT).
pub async fn close(
    db: &Db,
    principal: &Principal,
    cycle_id: i64,
    today: NaiveDate,
) -> AppResult<merit_cycle::Model> {
    policy::may_run_merit_cycles(principal)?;
    let cycle = merit_cycle::Entity::find_by_id(cycle_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("merit cycle"))?;
    if cycle.status != OPEN {
        return Err(AppError::Conflict(
            "this merit cycle is closed already".into(),
        ));
    }
    if cycle.effective_on > today {
        return Err(AppError::Conflict(format!(
            "this cycle takes effect on {}: close it on or after that day",
            cycle.effective_on
        )));
    }
    let backend = db.conn.get_database_backend();
    let txn = db.begin_write().await?;
    let claimed = merit_cycle::Entity::update_many()
        .col_expr(merit_cycle::Column::Status, Expr::value(CLOSED))
        .col_expr(
            merit_cycle::Column::ClosedById,
            Expr::value(principal.employee_id),
        )
        .col_expr(merit_cycle::Column::ClosedAt, Expr::value(Utc::now()))
        .filter(merit_cycle::Column::Id.eq(cycle.id))
        .filter(merit_cycle::Column::Status.eq(OPEN))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(
            "this merit cycle is closed already".into(),
        ));
    }
    let count = |sql: &str| {
        let sql = crate::db::placeholders(backend, sql);
        let txn = &txn;
        async move {
            let row = txn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [cycle.id.into()],
                ))
                .await?;
            AppResult::Ok(match row {
                Some(row) => row.try_get::<i64>("", "n")?,
                None => 0,
            })
        }
    };
    let own = count(&format!(
        "SELECT COUNT(*) AS n FROM merit_proposal WHERE cycle_id = ? AND employee_id = {}",
        principal.employee_id
    ))
    .await?;
    let proposed = count(&format!(
        "SELECT COUNT(*) AS n FROM merit_proposal WHERE cycle_id = ? AND proposed_by_id = {}",
        principal.employee_id
    ))
    .await?;
    policy::may_close_merit_cycle(principal, own > 0, proposed > 0)?;
    // On PostgreSQL the people whose pay changes are locked, so a pay
    // decision cannot commit between the checks below and the update.
    if backend == sea_orm::DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT e.id FROM employee e WHERE e.id IN (SELECT p.employee_id FROM merit_proposal p \
             WHERE p.cycle_id = $1 AND p.new_minor <> p.before_minor) ORDER BY e.id FOR UPDATE",
            [cycle.id.into()],
        ))
        .await?;
    }
    // A 0 % proposal changes nothing (proposing 0 % withdraws a raise).
    let moved = count(
        "SELECT COUNT(*) AS n FROM merit_proposal p JOIN employee e ON e.id = p.employee_id \
         WHERE p.cycle_id = ? AND p.new_minor <> p.before_minor \
           AND (e.salary_minor <> p.before_minor OR e.currency <> p.currency)",
    )
    .await?;
    if moved > 0 {
        return Err(AppError::Conflict(format!(
            "the pay of {moved} people changed since their merit proposal; propose again for them (0 % withdraws a raise), then close"
        )));
    }
    let later = count(&format!(
        "SELECT COUNT(*) AS n FROM merit_proposal p WHERE p.cycle_id = ? AND p.new_minor <> p.before_minor \
         AND EXISTS (SELECT 1 FROM pay_change c WHERE c.employee_id = p.employee_id AND c.status = 'APPROVED' \
          AND c.effective_on > '{}')",
        cycle.effective_on
    ))
    .await?;
    if later > 0 {
        return Err(AppError::Conflict(format!(
            "{later} people have a pay change after the cycle's effective date; propose 0 % for them (withdraws the raise), then close"
        )));
    }
    let now = Utc::now();
    let note = format!("Merit cycle {}", cycle.name);
    let statements = [
        (
            "INSERT INTO pay_change (employee_id, reason, status, before_minor, after_minor, currency, \
               effective_on, proposed_by_id, decided_by_id, note, override_reason, nomination_id, \
               created_at, decided_at, before_basis, before_fte_bp, pay_basis, fte_bp) \
             SELECT p.employee_id, 'MERIT', 'APPROVED', p.before_minor, p.new_minor, p.currency, ?, \
               p.proposed_by_id, ?, ?, NULL, NULL, ?, ?, e.pay_basis, e.fte_bp, e.pay_basis, e.fte_bp \
             FROM merit_proposal p JOIN employee e ON e.id = p.employee_id \
             WHERE p.cycle_id = ? AND p.new_minor <> p.before_minor",
            vec![
                cycle.effective_on.into(),
                principal.employee_id.into(),
                note.clone().into(),
                now.into(),
                now.into(),
                cycle.id.into(),
            ],
        ),
        (
            "UPDATE employee SET salary_minor = (SELECT p.new_minor FROM merit_proposal p \
               WHERE p.cycle_id = ? AND p.employee_id = employee.id), updated_at = ? \
             WHERE id IN (SELECT p.employee_id FROM merit_proposal p WHERE p.cycle_id = ? \
               AND p.new_minor <> p.before_minor AND p.before_minor = employee.salary_minor \
               AND p.currency = employee.currency)",
            vec![cycle.id.into(), now.into(), cycle.id.into()],
        ),
        // Each person's audit trail gets its pay change, as a decided pay
        // change's does.
        (
            "INSERT INTO audit_event (at, actor_id, action, entity, entity_id, details) \
             SELECT ?, ?, 'CHANGE_PAY', 'employee', CAST(p.employee_id AS TEXT), \
               '{\"meritCycleId\":' || CAST(p.cycle_id AS TEXT) || ',\"beforeMinor\":' || CAST(p.before_minor AS TEXT) || \
               ',\"afterMinor\":' || CAST(p.new_minor AS TEXT) || ',\"currency\":\"' || p.currency || '\"}' \
             FROM merit_proposal p WHERE p.cycle_id = ? AND p.new_minor <> p.before_minor",
            vec![now.into(), principal.employee_id.into(), cycle.id.into()],
        ),
    ];
    let mut affected = Vec::new();
    for (sql, values) in statements {
        let sql = crate::db::placeholders(backend, sql);
        affected.push(
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?
                .rows_affected(),
        );
    }
    // Every pay change written applied to the pay it was proposed from.
    if affected[0] != affected[1] {
        return Err(AppError::Conflict(
            "someone's pay changed while the cycle was closing; try again".into(),
        ));
    }
    let changed = affected[1];
    audit::record(
        &txn,
        Some(principal.employee_id),
        "CLOSE_MERIT_CYCLE",
        "merit_cycle",
        cycle.id,
        json!({ "name": cycle.name, "effectiveOn": cycle.effective_on, "payChanges": changed }),
    )
    .await?;
    txn.commit().await?;
    merit_cycle::Entity::find_by_id(cycle.id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("merit cycle missing"))
}
