//! Nominations: a manager (or HR) puts forward someone eligible; HR approves
//! (a promotion, in one transaction), rejects with a reason, or the
//! nominator withdraws.
//!
//! Concurrency: a decision claims the nomination with a conditional update
//! (`UPDATE ... SET status = X WHERE id = ? AND status = 'PENDING'`) inside the
//! decision's transaction. Exactly one concurrent decision sees one affected
//! row; the others see none and answer CONFLICT. On PostgreSQL the second
//! UPDATE waits on the first one's row lock and re-checks the WHERE clause
//! after it commits; on SQLite the write transaction is `BEGIN IMMEDIATE`, so
//! decisions are serialised outright. The rule works unchanged across any
//! number of server processes, and the partial unique index
//! `nomination_one_pending` backs "one open nomination per nominee" in the
//! database itself.
//!
//! Once its transaction has committed, a nomination and every decision
//! publish `Event::NominationChanged` on the process's event bus (see
//! `crate::events`), which feeds the `nominationChanged` subscription.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::enums as stored;
use crate::db::entities::{employee, job_role, ladder_step, nomination, role_assignment};
use crate::db::facts::{facts_of, Ladder};
use crate::db::{paging, scope, Db};
use crate::domain::eligibility::OptionResult;
use crate::domain::enums::{EligibilityStatus, NominationStatus};
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::events::{Event, EventBus};
use crate::services::{audit, catalog, employees, progression, validate};

pub struct NominateInput {
    pub nominee_id: i64,
    pub target_role_code: String,
    pub justification: String,
    pub is_override: bool,
    pub override_reason: Option<String>,
}

pub async fn nominate(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    input: NominateInput,
    today: NaiveDate,
) -> AppResult<nomination::Model> {
    // Permission first, so the answer never tells whether an id exists.
    policy::may_nominate(policy::relation(&db.conn, principal, input.nominee_id).await?)?;
    // Before validating the reason: a manager must not be told that a
    // reason would make an override acceptable.
    if input.is_override {
        policy::may_override_eligibility(principal)?;
    }
    let justification = validate::text("justification", &input.justification, validate::MAX_TEXT)?;
    let override_reason = override_reason(&input)?;
    let txn = db.begin_write().await?;
    let nominee = employee::Entity::find_by_id(input.nominee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    let ladder = Ladder::load(&txn).await?;
    let (target, step) = target_step(&ladder, &nominee, &input.target_role_code)?;
    let facts = facts_of(&txn, &[nominee.id])
        .await?
        .remove(&nominee.id)
        .unwrap_or_default();
    if facts.open_nomination {
        return Err(AppError::Conflict(OPEN_NOMINATION.into()));
    }
    let result = progression::evaluate(&ladder, &nominee, &facts, today);
    let option = result
        .options
        .iter()
        .find(|o| o.step_id == step.id)
        .ok_or_else(|| AppError::internal("step missing from progression"))?;
    if option.status != EligibilityStatus::Eligible && !input.is_override {
        return Err(not_eligible(&nominee, target, option, today));
    }
    let saved = insert_open(
        &txn,
        nomination::ActiveModel {
            nominee_id: Set(nominee.id),
            nominated_by_id: Set(principal.employee_id),
            step_id: Set(step.id),
            target_role_id: Set(target.id),
            status: Set(stored::NominationStatus::Pending),
            justification: Set(justification),
            is_override: Set(input.is_override),
            override_reason: Set(override_reason),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "NOMINATE",
        "nomination",
        saved.id,
        json!({ "after": nomination_json(&saved), "eligibility": option.status.as_str() }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[saved.nominee_id]).await?;
    txn.commit().await?;
    events.publish(Event::NominationChanged(saved.clone()));
    Ok(saved)
}

const OPEN_NOMINATION: &str = "this employee already has an open nomination";

/// The checked reason of an override (an override needs one); none
/// otherwise.
fn override_reason(input: &NominateInput) -> AppResult<Option<String>> {
    match (&input.override_reason, input.is_override) {
        (Some(reason), true) => Ok(Some(validate::text(
            "overrideReason",
            reason,
            validate::MAX_TEXT,
        )?)),
        (None, true) => Err(AppError::bad_input(
            "overrideReason: an override needs a written reason",
        )),
        (_, false) => Ok(None),
    }
}

/// The role with code `code` and the ladder step to it out of the
/// nominee's current role.
fn target_step<'l>(
    ladder: &'l Ladder,
    nominee: &employee::Model,
    code: &str,
) -> AppResult<(&'l job_role::Model, ladder_step::Model)> {
    let target = ladder
        .role_by_code(code.trim())
        .ok_or_else(|| catalog::unknown_role(code))?;
    let step = ladder
        .step_between(nominee.job_role_id, target.id)
        .ok_or_else(|| {
            AppError::bad_input(format!(
                "targetRoleCode: {} is not a ladder step out of the nominee's current role",
                target.code
            ))
        })?
        .clone();
    Ok((target, step))
}

/// NOT_ELIGIBLE with the gaps of the nominee's option for the step.
fn not_eligible(
    nominee: &employee::Model,
    target: &job_role::Model,
    option: &OptionResult,
    today: NaiveDate,
) -> AppError {
    let gaps: Vec<(String, String)> = option
        .gaps
        .iter()
        .map(|g| (g.kind.as_str().to_owned(), g.message.clone()))
        .collect();
    let listed: Vec<&str> = gaps.iter().map(|(_, m)| m.as_str()).collect();
    AppError::NotEligible {
        message: format!(
            "{} is not eligible for {} on {}: {}",
            nominee.name,
            target.title,
            today,
            listed.join("; ")
        ),
        gaps,
    }
}

/// Inserts a PENDING nomination; a second open one for the nominee (the
/// partial unique index) is CONFLICT.
async fn insert_open(
    txn: &DatabaseTransaction,
    pending: nomination::ActiveModel,
) -> AppResult<nomination::Model> {
    pending.insert(txn).await.map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict(OPEN_NOMINATION.into())
        }
        _ => e.into(),
    })
}

/// Claims a PENDING nomination for a decision, or explains why not.
async fn claim(
    txn: &DatabaseTransaction,
    id: i64,
    to: NominationStatus,
    decided_by: i64,
    reason: Option<String>,
) -> AppResult<()> {
    let affected = nomination::Entity::update_many()
        .col_expr(
            nomination::Column::Status,
            Expr::value(stored::NominationStatus::from(to)),
        )
        .col_expr(nomination::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(nomination::Column::DecidedById, Expr::value(decided_by))
        .col_expr(nomination::Column::DecisionReason, Expr::value(reason))
        .filter(nomination::Column::Id.eq(id))
        .filter(nomination::Column::Status.eq(stored::NominationStatus::Pending))
        .exec(txn)
        .await?
        .rows_affected;
    if affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "this nomination has already been decided".into(),
        ))
    }
}

async fn find(txn: &DatabaseTransaction, id: i64) -> AppResult<nomination::Model> {
    nomination::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("nomination"))
}

fn ensure_pending(n: &nomination::Model) -> AppResult<()> {
    if n.status == stored::NominationStatus::Pending {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "this nomination is already {}",
            n.status
        )))
    }
}

/// HR approves: the promotion (role, role start, salary, history), the
/// decision and the audit events commit together or not at all.
pub async fn approve(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
    raise_percent: Option<f64>,
    effective_on: Option<NaiveDate>,
    today: NaiveDate,
) -> AppResult<nomination::Model> {
    policy::may_decide_nominations(principal)?;
    let effective_on = validate::date("effectiveOn", effective_on.unwrap_or(today))?;
    let txn = db.begin_write().await?;
    let before = find(&txn, id).await?;
    policy::may_decide_nomination(principal, before.nominee_id, before.nominated_by_id)?;
    ensure_pending(&before)?;
    let ladder = Ladder::load(&txn).await?;
    let step = ladder
        .step(before.step_id)
        .cloned()
        .ok_or_else(|| AppError::internal("nomination step missing"))?;
    let grant = Grant {
        raise_bp: raise_bp(&step, raise_percent)?,
        step,
        effective_on,
    };
    let nominee = promotable_nominee(&txn, &before, &grant).await?;
    claim(
        &txn,
        id,
        NominationStatus::Approved,
        principal.employee_id,
        None,
    )
    .await?;

    let salary_before = nominee.salary_minor;
    let promoted = promote(&txn, &ladder, &grant, nominee).await?;
    let after = record_grant(&txn, id, &grant, &promoted).await?;
    crate::services::pay::record_move(
        &txn,
        crate::services::pay::Move {
            employee_id: promoted.after.id,
            // A lateral step (no raise) is a lateral move in pay history.
            reason: if grant.step.kind == "LATERAL" {
                stored::PayChangeReason::LateralMove
            } else {
                stored::PayChangeReason::Promotion
            },
            before_minor: salary_before,
            after_minor: promoted.new_salary,
            currency: &promoted.currency,
            effective_on: grant.effective_on,
            proposed_by: before.nominated_by_id,
            decided_by: principal.employee_id,
            basis: promoted.after.pay_basis,
            fte_bp: promoted.after.fte_bp,
            terms_before: None,
            nomination_id: Some(id),
        },
    )
    .await?;
    // Leadership bands carry a bonus target and may grant equity; a role
    // without one ends the old bonus target.
    let band = ladder
        .band(grant.step.to_role_id, &promoted.after.market)
        .filter(|b| b.currency == promoted.currency);
    crate::services::pay::leadership_pay(
        &txn,
        band,
        promoted.after.id,
        grant.effective_on,
        principal.employee_id,
    )
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "APPROVE_NOMINATION",
        "nomination",
        id,
        json!({ "before": nomination_json(&before), "after": nomination_json(&after) }),
    )
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "PROMOTE",
        "employee",
        promoted.after.id,
        json!({ "before": promoted.before, "after": employees::public_json(&promoted.after), "nominationId": id }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[promoted.after.id]).await?;
    txn.commit().await?;
    events.publish(Event::NominationChanged(after.clone()));
    Ok(after)
}

/// What approving a nomination with a raise would pay, computed exactly as
/// [`approve`] would (HR's decision panel shows it live as the raise
/// changes; issue 19).
pub struct PayPreview {
    pub nomination: nomination::Model,
    /// The nominee's pay today, in minor units of `currency`.
    pub current_minor: i64,
    pub currency: String,
    /// The raise asked for (or the step's minimum), in basis points.
    pub raise_bp: i64,
    /// The step's raise range, in basis points.
    pub raise_min_bp: i64,
    pub raise_max_bp: i64,
    /// The new pay, clamped into the band as the approval would.
    pub new_minor: i64,
    /// The target role's band in the nominee's market and currency, in
    /// the nominee's terms (basis, FTE).
    pub band: Option<money::Band>,
    /// The same band on its own basis, and the nominee's terms: ratios
    /// compare annualised full-time amounts (`domain::pay_basis`).
    pub own_band: Option<money::Band>,
    pub terms: crate::domain::pay_basis::PayTerms,
}

impl PayPreview {
    /// Whether the band moved the new pay away from the plain raise.
    pub fn clamped(&self) -> bool {
        money::apply_raise(self.current_minor, self.raise_bp) != Some(self.new_minor)
    }
}

/// The pay an approval of `id` with `raise_percent` would give: only those
/// who may decide it (HR, never for a nomination they are in or made).
pub async fn preview(
    db: &Db,
    principal: &Principal,
    id: i64,
    raise_percent: Option<f64>,
) -> AppResult<PayPreview> {
    policy::may_decide_nominations(principal)?;
    let found = nomination::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("nomination"))?;
    policy::may_decide_nomination(principal, found.nominee_id, found.nominated_by_id)?;
    let ladder = Ladder::load(&db.conn).await?;
    let step = ladder
        .step(found.step_id)
        .cloned()
        .ok_or_else(|| AppError::internal("nomination step missing"))?;
    let raise_bp = raise_bp(&step, raise_percent)?;
    let nominee = employee::Entity::find_by_id(found.nominee_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("nominee missing"))?;
    let band = ladder.band_in(step.to_role_id, &nominee);
    let new_minor = money::promotion_pay(nominee.salary_minor, raise_bp, band.as_ref())
        .ok_or_else(|| AppError::bad_input("the new salary would overflow"))?;
    let own_band = ladder.band_own(step.to_role_id, &nominee);
    let terms = ladder.pay_terms(&nominee);
    Ok(PayPreview {
        nomination: found,
        current_minor: nominee.salary_minor,
        currency: nominee.currency,
        raise_bp,
        raise_min_bp: step.raise_min_bp,
        raise_max_bp: step.raise_max_bp.min(money::MAX_RAISE_BP),
        new_minor,
        band,
        own_band,
        terms,
    })
}

/// What an approval grants: the step, the raise and the day it takes effect.
struct Grant {
    step: ladder_step::Model,
    raise_bp: i64,
    effective_on: NaiveDate,
}

/// The raise in basis points: the one asked for, within the step's range,
/// or the step's minimum.
fn raise_bp(step: &ladder_step::Model, raise_percent: Option<f64>) -> AppResult<i64> {
    // A step widened before raises were bounded still grants at most 100 %.
    let max_raise_bp = step.raise_max_bp.min(money::MAX_RAISE_BP);
    Ok(match raise_percent {
        Some(p) => money::percent_to_basis_points(p)
            .filter(|bp| (step.raise_min_bp..=max_raise_bp).contains(bp))
            .ok_or_else(|| {
                AppError::bad_input(format!(
                    "raisePercent must be between {} and {} (at most two decimals)",
                    step.raise_min_bp as f64 / 100.0,
                    max_raise_bp as f64 / 100.0
                ))
            })?,
        None => step.raise_min_bp.min(money::MAX_RAISE_BP),
    })
}

/// The nominee, still in the step's starting role since on or before the
/// effective day.
async fn promotable_nominee(
    txn: &DatabaseTransaction,
    nomination: &nomination::Model,
    grant: &Grant,
) -> AppResult<employee::Model> {
    // Locked: a pay change decided at the same time waits for this one.
    let nominee = crate::db::records::lock_employee(txn, nomination.nominee_id)
        .await?
        .ok_or_else(|| AppError::internal("nominee missing"))?;
    if nominee.job_role_id != grant.step.from_role_id {
        return Err(AppError::Conflict(
            "the nominee's role has changed since the nomination".into(),
        ));
    }
    if grant.effective_on < nominee.role_since {
        return Err(AppError::bad_input(
            "effectiveOn must not be before the start of the nominee's current role",
        ));
    }
    Ok(nominee)
}

/// An employee promoted: their audit view before, their row after, and the
/// new salary.
struct Promoted {
    before: serde_json::Value,
    after: employee::Model,
    new_salary: i64,
    currency: String,
}

/// Promotes the nominee: new role, role start and salary (within the new
/// role's band in the nominee's market), and the role history.
async fn promote(
    txn: &DatabaseTransaction,
    ladder: &Ladder,
    grant: &Grant,
    nominee: employee::Model,
) -> AppResult<Promoted> {
    let band = ladder.band_in(grant.step.to_role_id, &nominee);
    let new_salary = money::promotion_pay(nominee.salary_minor, grant.raise_bp, band.as_ref())
        .ok_or_else(|| AppError::bad_input("the new salary would overflow"))?;
    let before = employees::public_json(&nominee);
    let nominee_id = nominee.id;
    let currency = nominee.currency.clone();
    let mut promoted = nominee.into_active_model();
    promoted.job_role_id = Set(grant.step.to_role_id);
    promoted.role_since = Set(grant.effective_on);
    promoted.salary_minor = Set(new_salary);
    promoted.updated_at = Set(Utc::now());
    let after = promoted.update(txn).await?;
    role_assignment::Entity::update_many()
        .col_expr(
            role_assignment::Column::EndedOn,
            Expr::value(grant.effective_on),
        )
        .filter(role_assignment::Column::EmployeeId.eq(nominee_id))
        .filter(role_assignment::Column::EndedOn.is_null())
        .exec(txn)
        .await?;
    role_assignment::ActiveModel {
        employee_id: Set(nominee_id),
        job_role_id: Set(grant.step.to_role_id),
        started_on: Set(grant.effective_on),
        ended_on: Set(None),
        salary_minor: Set(new_salary),
        currency: Set(currency.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Promoted {
        before,
        after,
        new_salary,
        currency,
    })
}

/// Records on the (claimed) nomination what was granted.
async fn record_grant(
    txn: &DatabaseTransaction,
    id: i64,
    grant: &Grant,
    promoted: &Promoted,
) -> AppResult<nomination::Model> {
    let mut decided = find(txn, id).await?.into_active_model();
    decided.raise_bp = Set(Some(grant.raise_bp));
    decided.new_salary_minor = Set(Some(promoted.new_salary));
    decided.currency = Set(Some(promoted.currency.clone()));
    decided.effective_on = Set(Some(grant.effective_on));
    Ok(decided.update(txn).await?)
}

/// HR rejects with a reason.
pub async fn reject(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
    reason: &str,
) -> AppResult<nomination::Model> {
    policy::may_decide_nominations(principal)?;
    let reason = validate::text("reason", reason, validate::MAX_TEXT)?;
    decide(
        db,
        events,
        principal,
        id,
        NominationStatus::Rejected,
        Some(reason),
        "REJECT_NOMINATION",
    )
    .await
}

/// The nominator or HR withdraws.
pub async fn withdraw(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
) -> AppResult<nomination::Model> {
    decide(
        db,
        events,
        principal,
        id,
        NominationStatus::Withdrawn,
        None,
        "WITHDRAW_NOMINATION",
    )
    .await
}

async fn decide(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
    to: NominationStatus,
    reason: Option<String>,
    action: &str,
) -> AppResult<nomination::Model> {
    let txn = db.begin_write().await?;
    let before = find(&txn, id).await?;
    let relation = policy::relation(&txn, principal, before.nominee_id).await?;
    if !policy::may_see_nomination(principal, relation, before.nominated_by_id) {
        return Err(policy::hidden("nomination"));
    }
    if to == NominationStatus::Withdrawn {
        policy::may_withdraw_nomination(principal, before.nominated_by_id)?;
    } else {
        policy::may_decide_nomination(principal, before.nominee_id, before.nominated_by_id)?;
    }
    ensure_pending(&before)?;
    claim(&txn, id, to, principal.employee_id, reason).await?;
    let after = find(&txn, id).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        action,
        "nomination",
        id,
        json!({ "before": nomination_json(&before), "after": nomination_json(&after) }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[after.nominee_id]).await?;
    txn.commit().await?;
    events.publish(Event::NominationChanged(after.clone()));
    Ok(after)
}

fn nomination_json(n: &nomination::Model) -> serde_json::Value {
    json!({
        "nomineeId": n.nominee_id, "nominatedById": n.nominated_by_id, "stepId": n.step_id,
        "targetRoleId": n.target_role_id, "status": n.status, "justification": n.justification,
        "override": n.is_override, "overrideReason": n.override_reason,
        "decidedById": n.decided_by_id, "decisionReason": n.decision_reason,
        "raiseBp": n.raise_bp, "newSalaryMinor": n.new_salary_minor, "currency": n.currency,
        "effectiveOn": n.effective_on,
    })
}

/// Nominations the principal may see, newest first: HR all; a manager those
/// of their chain and their own; an employee their own (as nominee).
pub async fn list(
    db: &Db,
    principal: &Principal,
    status: Option<NominationStatus>,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<nomination::Model>, bool, u64)> {
    use policy::ListAudience;
    let mut query = nomination::Entity::find();
    let mine = Condition::any().add(nomination::Column::NomineeId.eq(principal.employee_id));
    match policy::list_audience(principal) {
        ListAudience::Everyone => {}
        ListAudience::SelfAndChain => {
            query = query.filter(
                mine.add(nomination::Column::NominatedById.eq(principal.employee_id))
                    .add(scope::in_chain(
                        "nomination.nominee_id",
                        principal.employee_id,
                    )),
            );
        }
        ListAudience::SelfOnly => query = query.filter(mine),
    }
    if let Some(status) = status {
        query = query.filter(nomination::Column::Status.eq(stored::NominationStatus::from(status)));
    }
    let total = query.clone().count(&db.conn).await?;
    let (rows, has_next) = paging::keyset(
        &db.conn,
        query,
        nomination::Column::Id,
        paging::Order::Descending,
        first,
        after,
    )
    .await?;
    Ok((rows, has_next, total))
}

/// One nomination, if the principal may see it; one they may not see is
/// NOT_FOUND, exactly like an id that does not exist.
pub async fn get(db: &Db, principal: &Principal, id: i64) -> AppResult<nomination::Model> {
    let found = nomination::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("nomination"))?;
    if may_see(db, principal, &found).await? {
        Ok(found)
    } else {
        Err(policy::hidden("nomination"))
    }
}

/// Whether the principal may see a nomination (`policy::may_see_nomination`:
/// HR all; the nominee; the nominator; a manager those of their chain).
/// `get`, the decisions and the `nominationChanged` subscription ask this.
pub async fn may_see(db: &Db, principal: &Principal, n: &nomination::Model) -> AppResult<bool> {
    let relation = if principal.employee_id == n.nominated_by_id {
        // The nominator sees it whatever their place in the chain: no query.
        policy::Relation::new(principal, n.nominee_id, false)
    } else {
        policy::relation(&db.conn, principal, n.nominee_id).await?
    };
    Ok(policy::may_see_nomination(
        principal,
        relation,
        n.nominated_by_id,
    ))
}
