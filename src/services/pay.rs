//! Pay changes and pay history (issue 20). Every change of someone's pay is
//! a `pay_change` row: promotions (written by `nominations::approve` in its
//! transaction) and changes without a promotion, which a manager of the
//! chain (or HR) proposes and HR decides:
//!
//! - MERIT, MARKET_ADJUSTMENT or CORRECTION (PROMOTION and LATERAL_MOVE come
//!   from their own flows);
//! - inside the band of the person's role in their market and currency,
//!   unless HR proposes it with a written `overrideReason`;
//! - effective on any day from the start of the current role to a year
//!   ahead: approved for a later day, a change is `scheduled` and the
//!   background sweep applies it on its day ([`apply_due`]); while one is
//!   scheduled, nothing else is proposed for the person (CONFLICT);
//! - one open proposal per person (the partial unique index
//!   `pay_change_one_open`; a second is CONFLICT);
//! - HR approves (the pay changes, in the same transaction) or rejects
//!   with a note; never for their own pay nor a change they proposed. A
//!   decision claims the row with a conditional update, so two concurrent
//!   decisions leave one winner and a CONFLICT.
//! - The pay must still be what it was when proposed: a change decided
//!   after another one moved the pay is CONFLICT (propose again).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::enums as stored;
use crate::db::entities::{employee, pay_change};
use crate::db::facts::Ladder;
use crate::db::Db;
use crate::domain::enums::PayChangeReason;
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::services::{audit, validate};

/// What a manager or HR proposes (already typed by the API layer).
pub struct PayChangeInput {
    pub employee_id: i64,
    pub reason: PayChangeReason,
    pub new_salary: String,
    pub effective_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub override_reason: Option<String>,
}

const OPEN_CHANGE: &str = "this employee already has an open pay change";

/// Proposes a pay change without a promotion.
pub async fn propose(
    db: &Db,
    principal: &Principal,
    input: PayChangeInput,
    today: NaiveDate,
) -> AppResult<pay_change::Model> {
    // Permission first, so the answer never tells whether an id exists.
    policy::may_propose_pay_change(
        policy::relation(&db.conn, principal, input.employee_id).await?,
    )?;
    if matches!(
        input.reason,
        PayChangeReason::Promotion | PayChangeReason::LateralMove | PayChangeReason::TermsChange
    ) {
        return Err(AppError::bad_input(
            "reason: promotions, lateral moves and changes of basis or FTE change pay through \
             their own decisions; use MERIT, MARKET_ADJUSTMENT or CORRECTION",
        ));
    }
    let override_reason = match input.override_reason.as_deref() {
        Some(raw) => {
            policy::may_pay_outside_band(principal)?;
            Some(validate::text("overrideReason", raw, validate::MAX_TEXT)?)
        }
        None => None,
    };
    let note = input
        .note
        .as_deref()
        .map(|raw| validate::text("note", raw, validate::MAX_TEXT))
        .transpose()?;
    let effective_on = validate::date("effectiveOn", input.effective_on.unwrap_or(today))?;
    if effective_on > today + chrono::Days::new(MAX_DAYS_AHEAD) {
        return Err(AppError::bad_input(format!(
            "effectiveOn: at most {MAX_DAYS_AHEAD} days ahead"
        )));
    }
    let txn = db.begin_write().await?;
    let person = employee::Entity::find_by_id(input.employee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    let after = validate::amount("newSalary", &input.new_salary, &person.currency)?;
    if after <= 0 {
        return Err(AppError::bad_input("newSalary: must be more than zero"));
    }
    if after == person.salary_minor {
        return Err(AppError::bad_input(
            "newSalary: the same as the current pay; nothing would change",
        ));
    }
    if effective_on < person.role_since {
        return Err(AppError::bad_input(
            "effectiveOn: must not be before the start of the person's current role",
        ));
    }
    ensure_none_scheduled(&txn, person.id).await?;
    ensure_after_latest(&txn, person.id, effective_on).await?;
    close_stale(&txn, &person).await?;
    let ladder = Ladder::load(&txn).await?;
    let band = ladder.band_in(person.job_role_id, &person);
    let inside = band.as_ref().is_some_and(|b| b.contains(after));
    if !inside && override_reason.is_none() {
        let range = match &band {
            Some(b) => format!(
                "the band is {} to {} {}",
                money::format_amount(b.min, &b.currency),
                money::format_amount(b.max, &b.currency),
                b.currency
            ),
            None => format!("there is no band for this role in {}", person.currency),
        };
        return Err(AppError::bad_input(format!(
            "newSalary: outside the band ({range}); only HR may set pay outside it, with a written reason"
        )));
    }
    let row = pay_change::ActiveModel {
        employee_id: Set(person.id),
        reason: Set(input.reason.into()),
        status: Set(stored::PayChangeStatus::Proposed),
        before_minor: Set(person.salary_minor),
        after_minor: Set(after),
        currency: Set(person.currency.clone()),
        effective_on: Set(effective_on),
        proposed_by_id: Set(Some(principal.employee_id)),
        decided_by_id: Set(None),
        note: Set(note),
        override_reason: Set(override_reason),
        nomination_id: Set(None),
        created_at: Set(Utc::now()),
        decided_at: Set(None),
        before_basis: Set(person.pay_basis),
        before_fte_bp: Set(person.fte_bp),
        pay_basis: Set(person.pay_basis),
        fte_bp: Set(person.fte_bp),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict(OPEN_CHANGE.into())
        }
        _ => e.into(),
    })?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "PROPOSE_PAY_CHANGE",
        "pay_change",
        row.id,
        json!({ "after": change_json(&row) }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// How far ahead a pay change may take effect.
pub const MAX_DAYS_AHEAD: u64 = 366;

/// A change approved for a later day fixes the pay it starts from: nothing
/// else is proposed or decided for the person until it applies.
async fn ensure_none_scheduled(
    txn: &sea_orm::DatabaseTransaction,
    employee_id: i64,
) -> AppResult<()> {
    let scheduled = pay_change::Entity::find()
        .filter(pay_change::Column::EmployeeId.eq(employee_id))
        .filter(pay_change::Column::Scheduled.eq(1))
        .one(txn)
        .await?;
    match scheduled {
        Some(row) => Err(AppError::Conflict(format!(
            "a pay change is scheduled for {}: propose after it applies",
            crate::domain::words::date(row.effective_on)
        ))),
        None => Ok(()),
    }
}

/// A pay change applies from a day on or after the latest one approved, so
/// the history reads in order (and "the pay on a day" is well defined).
async fn ensure_after_latest(
    txn: &sea_orm::DatabaseTransaction,
    employee_id: i64,
    effective_on: NaiveDate,
) -> AppResult<()> {
    let latest = pay_change::Entity::find()
        .filter(pay_change::Column::EmployeeId.eq(employee_id))
        .filter(pay_change::Column::Status.eq(stored::PayChangeStatus::Approved))
        .order_by_desc(pay_change::Column::EffectiveOn)
        .one(txn)
        .await?;
    match latest {
        Some(last) if effective_on < last.effective_on => Err(AppError::bad_input(format!(
            "effectiveOn: must not be before the latest pay change, on {}",
            crate::domain::words::date(last.effective_on)
        ))),
        _ => Ok(()),
    }
}

/// An open proposal made for a pay the person no longer has can never be
/// approved: a new proposal closes it (REJECTED, with a note saying why).
async fn close_stale(
    txn: &sea_orm::DatabaseTransaction,
    person: &employee::Model,
) -> AppResult<()> {
    use sea_orm::Condition;
    pay_change::Entity::update_many()
        .col_expr(
            pay_change::Column::Status,
            Expr::value(stored::PayChangeStatus::Rejected),
        )
        .col_expr(pay_change::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(
            pay_change::Column::Note,
            Expr::value("closed: the pay, basis or FTE changed after it was proposed"),
        )
        .filter(pay_change::Column::EmployeeId.eq(person.id))
        .filter(pay_change::Column::Status.eq(stored::PayChangeStatus::Proposed))
        .filter(
            Condition::any()
                .add(pay_change::Column::BeforeMinor.ne(person.salary_minor))
                .add(pay_change::Column::Currency.ne(person.currency.as_str()))
                .add(pay_change::Column::PayBasis.ne(person.pay_basis))
                .add(pay_change::Column::FteBp.ne(person.fte_bp)),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// HR approves (the pay changes) or rejects (with a note) a proposed change.
pub async fn decide(
    db: &Db,
    principal: &Principal,
    id: i64,
    approve: bool,
    note: Option<String>,
) -> AppResult<pay_change::Model> {
    policy::may_decide_pay_changes(principal)?;
    let note = note
        .as_deref()
        .map(|raw| validate::text("note", raw, validate::MAX_TEXT))
        .transpose()?;
    if !approve && note.is_none() {
        return Err(AppError::bad_input(
            "note: a rejection needs a note for the person and the proposer",
        ));
    }
    let txn = db.begin_write().await?;
    let before = pay_change::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("pay change"))?;
    policy::may_decide_pay_change(principal, before.employee_id, before.proposed_by_id)?;
    let status = if approve {
        stored::PayChangeStatus::Approved
    } else {
        stored::PayChangeStatus::Rejected
    };
    // Approved for a later day: the sweep applies it then.
    let later = approve && before.effective_on > Utc::now().date_naive();
    let mut claim = pay_change::Entity::update_many()
        .col_expr(pay_change::Column::Status, Expr::value(status))
        .col_expr(pay_change::Column::Scheduled, Expr::value(i32::from(later)))
        .col_expr(pay_change::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(
            pay_change::Column::DecidedById,
            Expr::value(principal.employee_id),
        )
        .filter(pay_change::Column::Id.eq(id))
        .filter(pay_change::Column::Status.eq(stored::PayChangeStatus::Proposed));
    if let Some(note) = &note {
        let joined = match &before.note {
            Some(first) => format!("{first}\n— HR: {note}"),
            None => format!("HR: {note}"),
        };
        claim = claim.col_expr(pay_change::Column::Note, Expr::value(joined));
    }
    if claim.exec(&txn).await?.rows_affected != 1 {
        return Err(AppError::Conflict(
            "this pay change has already been decided".into(),
        ));
    }
    if approve {
        let person = crate::db::records::lock_employee(&txn, before.employee_id)
            .await?
            .ok_or_else(|| AppError::internal("pay change's employee missing"))?;
        if person.salary_minor != before.before_minor || person.currency != before.currency {
            return Err(AppError::Conflict(
                "the pay changed since this was proposed; propose it again".into(),
            ));
        }
        if person.pay_basis != before.pay_basis || person.fte_bp != before.fte_bp {
            return Err(AppError::Conflict(
                "the pay basis or FTE changed since this was proposed; propose it again".into(),
            ));
        }
        // The band may have changed since: pay outside it still needs HR's
        // written reason.
        if before.override_reason.is_none() {
            let ladder = Ladder::load(&txn).await?;
            let inside = ladder
                .band_in(person.job_role_id, &person)
                .is_some_and(|b| b.contains(before.after_minor));
            if !inside {
                return Err(AppError::Conflict(
                    "the new pay is no longer inside the band of the person's role; propose it again"
                        .into(),
                ));
            }
        }
        ensure_after_latest(&txn, person.id, before.effective_on).await?;
        if !later {
            pay(&txn, db, Some(principal.employee_id), person, &before).await?;
        }
    }
    let decided = pay_change::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("pay change missing"))?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        if approve {
            "APPROVE_PAY_CHANGE"
        } else {
            "REJECT_PAY_CHANGE"
        },
        "pay_change",
        id,
        json!({ "before": change_json(&before), "after": change_json(&decided) }),
    )
    .await?;
    txn.commit().await?;
    Ok(decided)
}

/// A move decided elsewhere (a promotion's approval, an accepted offer),
/// as one row of pay history.
pub struct Move<'a> {
    pub employee_id: i64,
    pub reason: stored::PayChangeReason,
    pub before_minor: i64,
    pub after_minor: i64,
    pub currency: &'a str,
    pub effective_on: NaiveDate,
    pub proposed_by: i64,
    pub decided_by: i64,
    pub nomination_id: Option<i64>,
    /// The person's pay basis and FTE after the move.
    pub basis: stored::PayBasis,
    pub fte_bp: i64,
    /// Before the move, when they differ (`None`: the same).
    pub terms_before: Option<(stored::PayBasis, i64)>,
}

/// Records `m` as an APPROVED row of pay history (in the move's
/// transaction).
pub async fn record_move<C: ConnectionTrait>(txn: &C, m: Move<'_>) -> AppResult<()> {
    pay_change::ActiveModel {
        employee_id: Set(m.employee_id),
        reason: Set(m.reason),
        status: Set(stored::PayChangeStatus::Approved),
        before_minor: Set(m.before_minor),
        after_minor: Set(m.after_minor),
        currency: Set(m.currency.to_owned()),
        effective_on: Set(m.effective_on),
        proposed_by_id: Set(Some(m.proposed_by)),
        decided_by_id: Set(Some(m.decided_by)),
        note: Set(None),
        override_reason: Set(None),
        nomination_id: Set(m.nomination_id),
        created_at: Set(Utc::now()),
        decided_at: Set(Some(Utc::now())),
        before_basis: Set(m.terms_before.map_or(m.basis, |t| t.0)),
        before_fte_bp: Set(m.terms_before.map_or(m.fte_bp, |t| t.1)),
        pay_basis: Set(m.basis),
        fte_bp: Set(m.fte_bp),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Sets `person`'s pay to `change`'s new pay (audited as CHANGE_PAY by
/// `actor`, none for the sweep).
async fn pay(
    txn: &sea_orm::DatabaseTransaction,
    db: &Db,
    actor: Option<i64>,
    person: employee::Model,
    change: &pay_change::Model,
) -> AppResult<()> {
    let audit_before = crate::services::employees::public_json(&person);
    let mut paid = person.into_active_model();
    paid.salary_minor = Set(change.after_minor);
    paid.updated_at = Set(Utc::now());
    let after = paid.update(txn).await?;
    audit::record(
        txn,
        actor,
        "CHANGE_PAY",
        "employee",
        after.id,
        json!({ "before": audit_before, "after": crate::services::employees::public_json(&after), "payChangeId": change.id }),
    )
    .await?;
    crate::services::eligibility_state::refresh(txn, db, &[after.id]).await?;
    Ok(())
}

/// Scheduled changes applied per pass of the sweep.
const DUE_BATCH: u64 = 500;

/// Applies every scheduled pay change due by `today` (the background
/// sweep, each minute; any instance may, each change once): the pay
/// becomes the approved one, audited with no actor. A change whose
/// starting pay, currency, basis or FTE moved since it was approved (a
/// promotion came first) is not applied: it becomes REJECTED with a note
/// saying why. Returns how many were applied.
pub async fn apply_due(db: &Db, today: NaiveDate) -> AppResult<usize> {
    let mut applied = 0;
    loop {
        let due = pay_change::Entity::find()
            .filter(pay_change::Column::Scheduled.eq(1))
            .filter(pay_change::Column::EffectiveOn.lte(today))
            .order_by_asc(pay_change::Column::EffectiveOn)
            .order_by_asc(pay_change::Column::Id)
            .limit(DUE_BATCH)
            .all(&db.conn)
            .await?;
        if due.is_empty() {
            return Ok(applied);
        }
        for change in due {
            let txn = db.begin_write().await?;
            let person = crate::db::records::lock_employee(&txn, change.employee_id).await?;
            let person = person.filter(|p| {
                p.salary_minor == change.before_minor
                    && p.currency == change.currency
                    && p.pay_basis == change.pay_basis
                    && p.fte_bp == change.fte_bp
            });
            let same = person.is_some();
            let mut claim = pay_change::Entity::update_many()
                .col_expr(pay_change::Column::Scheduled, Expr::value(0))
                .filter(pay_change::Column::Id.eq(change.id))
                .filter(pay_change::Column::Scheduled.eq(1));
            if !same {
                claim = claim
                    .col_expr(
                        pay_change::Column::Status,
                        Expr::value(stored::PayChangeStatus::Rejected),
                    )
                    .col_expr(
                        pay_change::Column::Note,
                        Expr::value(
                            "not applied: the pay, basis or FTE changed before its day; propose again",
                        ),
                    );
            }
            // Another instance applied it first: nothing to do.
            if claim.exec(&txn).await?.rows_affected != 1 {
                continue;
            }
            if let Some(person) = person {
                pay(&txn, db, None, person, &change).await?;
                applied += 1;
            } else {
                audit::record(
                    &txn,
                    None,
                    "SUPERSEDE_PAY_CHANGE",
                    "pay_change",
                    change.id,
                    json!({ "before": change_json(&change) }),
                )
                .await?;
            }
            txn.commit().await?;
        }
    }
}

/// A change of `before`'s pay basis or FTE (HR's `updateEmployee`) as an
/// APPROVED TERMS_CHANGE row of pay history from today, the amount
/// unchanged; nothing when neither changed.
pub async fn record_terms_change<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    before: &employee::Model,
    after: &employee::Model,
) -> AppResult<()> {
    if before.pay_basis == after.pay_basis && before.fte_bp == after.fte_bp {
        return Ok(());
    }
    record_move(
        txn,
        Move {
            employee_id: after.id,
            reason: stored::PayChangeReason::TermsChange,
            before_minor: before.salary_minor,
            after_minor: after.salary_minor,
            currency: &after.currency,
            // Never before the latest change, so the history reads in order.
            effective_on: Utc::now().date_naive(),
            proposed_by: principal.employee_id,
            decided_by: principal.employee_id,
            nomination_id: None,
            basis: after.pay_basis,
            fte_bp: after.fte_bp,
            terms_before: Some((before.pay_basis, before.fte_bp)),
        },
    )
    .await
}

/// The audit view of a row.
fn change_json(row: &pay_change::Model) -> serde_json::Value {
    json!({
        "employeeId": row.employee_id,
        "reason": row.reason.as_str(),
        "status": row.status.as_str(),
        "before": money::format_amount(row.before_minor, &row.currency),
        "after": money::format_amount(row.after_minor, &row.currency),
        "currency": row.currency,
        "effectiveOn": row.effective_on.to_string(),
        "beforeBasis": row.before_basis.as_str(),
        "beforeFteBp": row.before_fte_bp,
        "afterBasis": row.pay_basis.as_str(),
        "afterFteBp": row.fte_bp,
        "scheduled": row.scheduled == 1,
        "proposedById": row.proposed_by_id,
        "decidedById": row.decided_by_id,
    })
}

/// Someone's declared gender, if the principal may see it (the person and
/// HR; FORBIDDEN otherwise).
pub async fn gender_of(
    db: &Db,
    relation: policy::Relation,
    employee_id: i64,
) -> AppResult<Option<crate::domain::enums::Gender>> {
    policy::may_see_gender(relation)?;
    Ok(
        crate::db::entities::employee_gender::Entity::find_by_id(employee_id)
            .one(&db.conn)
            .await?
            .map(|row| row.gender.into()),
    )
}

/// The person declares their gender, or HR enters it. The audit log says
/// that it changed, never what it is.
pub async fn declare_gender(
    db: &Db,
    principal: &Principal,
    employee_id: i64,
    gender: crate::domain::enums::Gender,
) -> AppResult<employee::Model> {
    use crate::db::entities::employee_gender;
    policy::may_declare_gender(policy::relation(&db.conn, principal, employee_id).await?)?;
    let txn = db.begin_write().await?;
    let person = crate::db::records::lock_employee(&txn, employee_id)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    let stored_gender: stored::Gender = gender.into();
    let updated = employee_gender::Entity::update_many()
        .col_expr(employee_gender::Column::Gender, Expr::value(stored_gender))
        .col_expr(
            employee_gender::Column::DeclaredById,
            Expr::value(principal.employee_id),
        )
        .col_expr(employee_gender::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(employee_gender::Column::EmployeeId.eq(person.id))
        .exec(&txn)
        .await?
        .rows_affected;
    if updated == 0 {
        // The person's row lock (`lock_employee`) orders concurrent
        // declarations on PostgreSQL; SQLite serialises writers.
        employee_gender::ActiveModel {
            employee_id: Set(person.id),
            gender: Set(stored_gender),
            declared_by_id: Set(principal.employee_id),
            updated_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(principal.employee_id),
        "DECLARE_GENDER",
        "employee",
        person.id,
        json!({ "selfDeclared": principal.employee_id == person.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(person)
}

/// One group of the pay-gap report: people in the same role (as of the
/// day) and market, paid in one currency.
pub struct PayGapBucket {
    pub role_code: String,
    pub market: String,
    pub currency: String,
    pub women: usize,
    pub men: usize,
    pub mean_gap_percent: Option<f64>,
    pub median_gap_percent: Option<f64>,
    /// The same in total pay: base plus the bonus target.
    pub mean_total_gap_percent: Option<f64>,
    pub median_total_gap_percent: Option<f64>,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct GapRow {
    job_role_id: i64,
    market: String,
    currency: String,
    salary_minor: i64,
    pay_basis: crate::db::entities::enums::PayBasis,
    fte_bp: i64,
    gender: String,
    pay_then: Option<i64>,
    currency_then: Option<String>,
    basis_then: Option<stored::PayBasis>,
    fte_bp_then: Option<i64>,
    role_then: Option<i64>,
    bonus_bp: Option<i64>,
}

/// HR: the gender pay gap per role and market on `as_of`, in base pay as
/// annualised full-time equivalents:
/// everyone hired by then who declared WOMAN or MAN, with the role they
/// held and the pay they had that day (from the role and pay histories).
/// Groups with nobody on one side show their counts with no gap.
pub async fn pay_gap_report(
    db: &Db,
    principal: &Principal,
    ladder: &Ladder,
    as_of: NaiveDate,
    limit: usize,
) -> AppResult<Vec<PayGapBucket>> {
    use sea_orm::{FromQueryResult, Statement};
    policy::may_read_pay_gaps(principal)?;
    let backend = db.conn.get_database_backend();
    let sql = crate::db::placeholders(
        backend,
        "SELECT e.job_role_id, e.market, e.currency, e.salary_minor, e.pay_basis, e.fte_bp, g.gender, \
           (SELECT p.before_minor FROM pay_change p WHERE p.employee_id = e.id AND p.status = 'APPROVED' \
              AND p.effective_on > ? ORDER BY p.effective_on, p.id LIMIT 1) AS pay_then, \
           (SELECT p.currency FROM pay_change p WHERE p.employee_id = e.id AND p.status = 'APPROVED' \
              AND p.effective_on > ? ORDER BY p.effective_on, p.id LIMIT 1) AS currency_then, \
           (SELECT p.before_basis FROM pay_change p WHERE p.employee_id = e.id AND p.status = 'APPROVED' \
              AND p.effective_on > ? ORDER BY p.effective_on, p.id LIMIT 1) AS basis_then, \
           (SELECT p.before_fte_bp FROM pay_change p WHERE p.employee_id = e.id AND p.status = 'APPROVED' \
              AND p.effective_on > ? ORDER BY p.effective_on, p.id LIMIT 1) AS fte_bp_then, \
           (SELECT r.job_role_id FROM role_assignment r WHERE r.employee_id = e.id AND r.started_on <= ? \
              ORDER BY r.started_on DESC, r.id DESC LIMIT 1) AS role_then, \
           (SELECT b.bonus_target_bp FROM employee_bonus b WHERE b.employee_id = e.id) AS bonus_bp \
         FROM employee e JOIN employee_gender g ON g.employee_id = e.id \
         WHERE e.hired_on <= ? AND g.gender IN ('WOMAN', 'MAN')",
    );
    let rows = GapRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [as_of; 6].map(Into::into),
    ))
    .all(&db.conn)
    .await?;
    type Key = (String, String, String);
    // Per group: (women's base, men's base, women's total, men's total).
    type Pays = (Vec<i64>, Vec<i64>, Vec<i64>, Vec<i64>);
    let mut groups: std::collections::BTreeMap<Key, Pays> = std::collections::BTreeMap::new();
    for row in rows {
        let role_id = row.role_then.unwrap_or(row.job_role_id);
        let Some(role) = ladder.role(role_id) else {
            continue;
        };
        // Compared as annualised full-time equivalents (`domain::pay_basis`)
        // of the basis and FTE the person had that day, which the pay
        // history keeps (today's when nothing changed since).
        let terms = crate::domain::pay_basis::PayTerms {
            basis: row.basis_then.unwrap_or(row.pay_basis).into(),
            fte_bp: row.fte_bp_then.unwrap_or(row.fte_bp),
            annual_hours: ladder.annual_hours(&row.market),
        };
        let Some(pay) = terms.annualise(row.pay_then.unwrap_or(row.salary_minor)) else {
            continue;
        };
        let currency = row.currency_then.unwrap_or(row.currency);
        let entry = groups
            .entry((role.code.clone(), row.market, currency))
            .or_default();
        // Total pay: base plus the bonus target (equity has no price here).
        let total = row
            .bonus_bp
            .and_then(|bp| money::apply_raise(pay, bp))
            .unwrap_or(pay);
        match row.gender.as_str() {
            "WOMAN" => {
                entry.0.push(pay);
                entry.2.push(total);
            }
            _ => {
                entry.1.push(pay);
                entry.3.push(total);
            }
        }
    }
    Ok(groups
        .into_iter()
        .take(limit)
        .map(
            |((role_code, market, currency), (women, men, women_total, men_total))| {
                let (mean, median) = crate::domain::pay_gap::gaps(&women, &men);
                let (mean_total, median_total) =
                    crate::domain::pay_gap::gaps(&women_total, &men_total);
                PayGapBucket {
                    role_code,
                    market,
                    currency,
                    women: women.len(),
                    men: men.len(),
                    mean_gap_percent: mean,
                    median_gap_percent: median,
                    mean_total_gap_percent: mean_total,
                    median_total_gap_percent: median_total,
                }
            },
        )
        .collect())
}

/// Pay changes, newest first, that the principal may see as pay: HR all, a
/// MANAGER their own and their chain's, an EMPLOYEE their own.
pub async fn list(
    db: &Db,
    principal: &Principal,
    status: Option<crate::domain::enums::PayChangeStatus>,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<pay_change::Model>, bool, u64)> {
    use policy::ListAudience;
    use sea_orm::{Condition, PaginatorTrait};
    let mut query = pay_change::Entity::find();
    let mine = Condition::any().add(pay_change::Column::EmployeeId.eq(principal.employee_id));
    match policy::list_audience(principal) {
        ListAudience::Everyone => {}
        ListAudience::SelfAndChain => {
            query = query.filter(mine.add(crate::db::scope::in_chain(
                "pay_change.employee_id",
                principal.employee_id,
            )));
        }
        ListAudience::SelfOnly => query = query.filter(mine),
    }
    if let Some(status) = status {
        query = query.filter(pay_change::Column::Status.eq(stored::PayChangeStatus::from(status)));
    }
    let total = query.clone().count(&db.conn).await?;
    let (rows, has_next) = crate::db::paging::keyset(
        &db.conn,
        query,
        pay_change::Column::Id,
        crate::db::paging::Order::Descending,
        first,
        after,
    )
    .await?;
    Ok((rows, has_next, total))
}

/// What HR grants (already typed by the API layer).
pub struct EquityGrantInput {
    pub employee_id: i64,
    pub granted_on: NaiveDate,
    pub units: i64,
    pub vesting_months: i32,
    pub cliff_months: i32,
    pub note: Option<String>,
}

/// HR grants equity on a vesting schedule (never to themselves); audited.
pub async fn grant_equity(
    db: &Db,
    principal: &Principal,
    input: EquityGrantInput,
) -> AppResult<crate::db::entities::equity_grant::Model> {
    use crate::db::entities::equity_grant;
    policy::may_grant_equity(principal, input.employee_id)?;
    let granted_on = validate::date("grantedOn", input.granted_on)?;
    let schedule = crate::domain::equity::Schedule::new(
        granted_on,
        input.units,
        input.vesting_months,
        input.cliff_months,
    )
    .map_err(|e| AppError::bad_input(e.to_string()))?;
    let note = input
        .note
        .as_deref()
        .map(|raw| validate::text("note", raw, validate::MAX_TEXT))
        .transpose()?;
    let txn = db.begin_write().await?;
    let person = employee::Entity::find_by_id(input.employee_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("employee"))?;
    let row = equity_grant::ActiveModel {
        employee_id: Set(person.id),
        granted_on: Set(schedule.granted_on),
        units: Set(schedule.units),
        vesting_months: Set(input.vesting_months),
        cliff_months: Set(input.cliff_months),
        granted_by_id: Set(principal.employee_id),
        note: Set(note),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "GRANT_EQUITY",
        "employee",
        person.id,
        json!({ "grantId": row.id, "units": row.units, "grantedOn": row.granted_on.to_string(),
                "vestingMonths": row.vesting_months, "cliffMonths": row.cliff_months }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Someone's bonus target in basis points (the caller checked that the
/// principal sees their pay).
pub async fn bonus_target_bp(db: &Db, employee_id: i64) -> AppResult<Option<i64>> {
    Ok(
        crate::db::entities::employee_bonus::Entity::find_by_id(employee_id)
            .one(&db.conn)
            .await?
            .map(|row| row.bonus_target_bp),
    )
}

/// On promotion into a leadership band (in the approval's transaction):
/// the band's bonus target becomes the person's, and its equity guideline
/// is granted from the effective day. Audited; nothing for a band without
/// them.
pub async fn leadership_pay<C: ConnectionTrait>(
    txn: &C,
    band: Option<&crate::db::entities::salary_band::Model>,
    employee_id: i64,
    effective_on: NaiveDate,
    decided_by: i64,
) -> AppResult<()> {
    use crate::db::entities::{employee_bonus, equity_grant};
    let bonus_bp = band.and_then(|b| b.bonus_target_bp);
    let previous = employee_bonus::Entity::find_by_id(employee_id)
        .one(txn)
        .await?;
    if bonus_bp.is_none() {
        if previous.is_some() {
            employee_bonus::Entity::delete_by_id(employee_id)
                .exec(txn)
                .await?;
            audit::record(
                txn,
                Some(decided_by),
                "LEADERSHIP_PAY",
                "employee",
                employee_id,
                json!({ "bonusTargetBp": null, "previousBonusTargetBp": previous.map(|p| p.bonus_target_bp) }),
            )
            .await?;
        }
        return Ok(());
    }
    let Some(band) = band else {
        return Ok(());
    };
    if let Some(bp) = bonus_bp {
        let row = employee_bonus::ActiveModel {
            employee_id: Set(employee_id),
            bonus_target_bp: Set(bp),
            set_by_id: Set(Some(decided_by)),
            updated_at: Set(Utc::now()),
        };
        if previous.is_some() {
            row.update(txn).await?;
        } else {
            row.insert(txn).await?;
        }
    }
    let grant = match (
        band.equity_units,
        band.equity_vesting_months,
        band.equity_cliff_months,
    ) {
        (Some(units), Some(vesting), Some(cliff)) => Some(
            equity_grant::ActiveModel {
                employee_id: Set(employee_id),
                granted_on: Set(effective_on),
                units: Set(units),
                vesting_months: Set(vesting),
                cliff_months: Set(cliff),
                granted_by_id: Set(decided_by),
                note: Set(Some(
                    "granted with the promotion (the band's guideline)".into(),
                )),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        ),
        _ => None,
    };
    if band.bonus_target_bp.is_some() || grant.is_some() {
        audit::record(
            txn,
            Some(decided_by),
            "LEADERSHIP_PAY",
            "employee",
            employee_id,
            json!({ "bonusTargetBp": band.bonus_target_bp, "equityGrantId": grant.as_ref().map(|g| g.id),
                    "equityUnits": grant.as_ref().map(|g| g.units) }),
        )
        .await?;
    }
    Ok(())
}

/// Pay history for people loaded with a role history but no pay changes
/// (the demo, `rungs seed`): each role-history row after a person's first
/// is an approved PROMOTION from the previous row's salary to its own, as
/// migration `m20261204_000013_pay_changes` wrote for existing data. Only
/// employees with an id above `after_id` who have no pay history yet.
pub async fn backfill_from_role_history<C: ConnectionTrait>(
    txn: &C,
    after_id: i64,
) -> AppResult<()> {
    let backend = txn.get_database_backend();
    let sql = crate::db::placeholders(
        backend,
        "INSERT INTO pay_change (employee_id, reason, status, before_minor, after_minor, currency, effective_on, \
           proposed_by_id, decided_by_id, note, nomination_id, created_at, decided_at, \
           before_basis, before_fte_bp, pay_basis, fte_bp) \
         SELECT h.employee_id, 'PROMOTION', 'APPROVED', h.before_minor, h.salary_minor, h.currency, h.started_on, \
           NULL, NULL, 'from the role history', NULL, ?, NULL, e.pay_basis, e.fte_bp, e.pay_basis, e.fte_bp \
         FROM (SELECT r.employee_id, r.started_on, r.salary_minor, r.currency, \
                 LAG(r.salary_minor) OVER (PARTITION BY r.employee_id ORDER BY r.started_on, r.id) AS before_minor \
               FROM role_assignment r WHERE r.employee_id > ?) h \
         JOIN employee e ON e.id = h.employee_id \
         WHERE h.before_minor IS NOT NULL \
           AND NOT EXISTS (SELECT 1 FROM pay_change p WHERE p.employee_id = h.employee_id)",
    );
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [Utc::now().into(), after_id.into()],
    ))
    .await?;
    Ok(())
}
