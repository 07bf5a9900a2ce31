//! Internal mobility (issue 21): openings people see with their own
//! standing, apply to and withdraw from; hiring managers move applications
//! through APPLIED → SHORTLISTED → OFFERED; accepting an offer moves the
//! person in one transaction. The pure rules are in `domain::mobility`;
//! who may do what is in `auth::policy`; standing comes from the one
//! eligibility engine (`services::progression`).
//!
//! **Seats never overfill.** Accepting claims a seat with one guarded
//! statement (`filled < seats` while OPEN, and a CHECK on the table), in
//! the transaction that moves the person: two people accepting the last
//! seat at once cannot both get it.
//!
//! **A move keeps tenure.** The hire date (months of service) stays; the
//! role starts again on the effective day, with role history and a pay
//! history row (PROMOTION for a step up, LATERAL_MOVE for a lateral step).
//! Pay follows the step: the promotion rule (the step's minimum raise,
//! clamped into the target band) or, for a LATERAL step (no raise), the
//! current pay clamped into the band.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::enums as stored;
use crate::db::entities::{application, employee, opening, role_assignment};
use crate::db::facts::{facts_of, Facts, Ladder};
use crate::db::Db;
use crate::domain::eligibility::OptionResult;
use crate::domain::mobility::{self, Actor, ApplicationStatus, OpeningStatus, Standing};
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::events::{ApplicationChange, Event, EventBus};
use crate::services::{audit, employees, progression, validate};

/// Most seats one opening may have.
pub const MAX_SEATS: i32 = 500;

/// Most days ahead an opening may close.
pub const MAX_OPEN_DAYS: i64 = 366;

/// Most days before `eligibleOn` an opening may accept NOT_YET applicants.
pub const MAX_WINDOW_DAYS: i32 = 365;

/// Most applications ranked for one opening, and listed as one's own.
pub const MAX_APPLICANTS: u64 = crate::domain::bounds::APPLICATIONS as u64;

/// Longest note or reason, in characters.
pub const MAX_NOTE: usize = 1_000;

/// What a manager or HR gives to post an opening (typed by the API layer).
pub struct PostInput {
    pub role_code: String,
    pub site: String,
    pub market: String,
    pub work_arrangement: stored::WorkArrangement,
    pub seats: i32,
    pub closes_on: NaiveDate,
    /// HR may name the hiring manager; a manager hires for themselves.
    pub hiring_manager_id: Option<i64>,
    pub not_yet_window_days: Option<i32>,
}

/// Posts an opening: a MANAGER for a site their reporting chain works at,
/// hiring for themselves; HR anywhere, for any manager.
pub async fn post(
    db: &Db,
    principal: &Principal,
    input: PostInput,
    today: NaiveDate,
) -> AppResult<opening::Model> {
    policy::may_post_openings(principal)?;
    let site = validate::text("site", &input.site, 80)?;
    let market = validate::market(&input.market)?;
    if !(1..=MAX_SEATS).contains(&input.seats) {
        return Err(AppError::bad_input(format!(
            "seats must be between 1 and {MAX_SEATS}"
        )));
    }
    let closes_on = validate::date("closesOn", input.closes_on)?;
    if closes_on < today || (closes_on - today).num_days() > MAX_OPEN_DAYS {
        return Err(AppError::bad_input(format!(
            "closesOn must be between today ({today}) and {MAX_OPEN_DAYS} days ahead"
        )));
    }
    if let Some(days) = input.not_yet_window_days {
        if !(0..=MAX_WINDOW_DAYS).contains(&days) {
            return Err(AppError::bad_input(format!(
                "notYetWindowDays must be between 0 and {MAX_WINDOW_DAYS}"
            )));
        }
    }
    let ladder = Ladder::current(db).await?;
    let role = ladder
        .role_by_code(&input.role_code)
        .cloned()
        .ok_or_else(|| {
            AppError::bad_input(format!("unknown role {}", validate::clip(&input.role_code)))
        })?;
    let hiring_manager_id = input.hiring_manager_id.unwrap_or(principal.employee_id);
    let hiring_manager = employee::Entity::find_by_id(hiring_manager_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| policy::hidden("employee"))?;
    let chain_sites = if principal.is_hr() {
        Vec::new()
    } else {
        chain_sites(db, principal.employee_id).await?
    };
    policy::may_post_opening(
        principal,
        hiring_manager_id,
        !matches!(hiring_manager.access_role, stored::AccessRole::Employee),
        chain_sites.contains(&site),
        input.not_yet_window_days.is_some(),
    )?;
    let txn = db.begin_write().await?;
    let posted = opening::ActiveModel {
        job_role_id: Set(role.id),
        site: Set(site),
        market: Set(market),
        work_arrangement: Set(input.work_arrangement),
        seats: Set(input.seats),
        filled: Set(0),
        closes_on: Set(closes_on),
        status: Set(OpeningStatus::Open.as_str().to_owned()),
        not_yet_window_days: Set(input.not_yet_window_days),
        posted_by_id: Set(principal.employee_id),
        hiring_manager_id: Set(hiring_manager_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "POST_OPENING",
        "opening",
        posted.id,
        opening_json(&posted, &role.code),
    )
    .await?;
    txn.commit().await?;
    Ok(posted)
}

/// The sites the people in a manager's reporting chain (and the manager)
/// work at.
async fn chain_sites(db: &Db, manager_id: i64) -> AppResult<Vec<String>> {
    let mut sites: Vec<String> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Site)
        .distinct()
        .filter(crate::db::scope::in_chain("employee.id", manager_id))
        .into_tuple()
        .all(&db.conn)
        .await?;
    if let Some(own) = employee::Entity::find_by_id(manager_id)
        .one(&db.conn)
        .await?
    {
        sites.push(own.site);
    }
    Ok(sites)
}

fn opening_json(o: &opening::Model, role_code: &str) -> serde_json::Value {
    json!({
        "role": role_code, "site": o.site, "market": o.market,
        "workArrangement": o.work_arrangement.to_string(), "seats": o.seats,
        "filled": o.filled, "closesOn": o.closes_on.to_string(), "status": o.status,
        "hiringManagerId": o.hiring_manager_id, "notYetWindowDays": o.not_yet_window_days,
    })
}

/// Tells subscribers (`applicationChanged`) of committed changes to
/// applications to `opening`.
fn publish(
    events: &EventBus,
    opening: &opening::Model,
    changed: impl IntoIterator<Item = application::Model>,
) {
    for application in changed {
        events.publish(Event::ApplicationChanged(ApplicationChange {
            application,
            posted_by_id: opening.posted_by_id,
            hiring_manager_id: opening.hiring_manager_id,
        }));
    }
}

fn application_json(a: &application::Model) -> serde_json::Value {
    json!({
        "openingId": a.opening_id, "employeeId": a.employee_id, "status": a.status,
        "reason": a.reason,
    })
}

/// One opening, for anyone signed in (openings are posted to be seen).
pub async fn get(db: &Db, id: i64) -> AppResult<opening::Model> {
    opening::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("opening"))
}

/// Which openings a list shows.
#[derive(Default)]
pub struct OpeningFilter {
    pub status: Option<OpeningStatus>,
    pub site: Option<String>,
    pub role_id: Option<i64>,
}

/// Openings, newest first, a page at a time: anyone signed in sees them.
pub async fn list(
    db: &Db,
    filter: &OpeningFilter,
    first: u64,
    after_id: Option<i64>,
) -> AppResult<(Vec<opening::Model>, bool, u64)> {
    let mut query = opening::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(opening::Column::Status.eq(status.as_str()));
    }
    if let Some(site) = &filter.site {
        query = query.filter(opening::Column::Site.eq(site.as_str()));
    }
    if let Some(role_id) = filter.role_id {
        query = query.filter(opening::Column::JobRoleId.eq(role_id));
    }
    let total = query.clone().count(&db.conn).await?;
    let (rows, has_next) = crate::db::paging::keyset(
        &db.conn,
        query,
        opening::Column::Id,
        crate::db::paging::Order::Descending,
        first,
        after_id,
    )
    .await?;
    Ok((rows, has_next, total))
}

/// Closes an opening (the hiring manager, who posted it, or HR): it takes
/// no more applications, and those still in progress are REJECTED.
pub async fn close(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
) -> AppResult<opening::Model> {
    let txn = db.begin_write().await?;
    let found = opening::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("opening"))?;
    policy::may_manage_opening(principal, found.posted_by_id, found.hiring_manager_id)?;
    let claimed = opening::Entity::update_many()
        .col_expr(
            opening::Column::Status,
            Expr::value(OpeningStatus::Closed.as_str()),
        )
        .filter(opening::Column::Id.eq(id))
        .filter(opening::Column::Status.eq(OpeningStatus::Open.as_str()))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "the opening is {} already",
            found.status
        )));
    }
    let rejected = reject_in_progress(
        &txn,
        id,
        Some(principal.employee_id),
        "the opening was closed",
    )
    .await?;
    let closed = get_in(&txn, id).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "CLOSE_OPENING",
        "opening",
        id,
        json!({ "before": found.status, "after": closed.status, "applicationsRejected": rejected.len() }),
    )
    .await?;
    txn.commit().await?;
    publish(events, &found, rejected);
    Ok(closed)
}

async fn get_in<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<opening::Model> {
    opening::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("opening"))
}

/// Every application of `opening_id` still in progress becomes REJECTED
/// with `reason`; returns how many.
async fn reject_in_progress<C: ConnectionTrait>(
    txn: &C,
    opening_id: i64,
    by: Option<i64>,
    reason: &str,
) -> AppResult<Vec<application::Model>> {
    use chrono::SubsecRound;
    // Microseconds: what PostgreSQL keeps, so the read-back matches.
    let at = Utc::now().trunc_subsecs(6);
    application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(ApplicationStatus::Rejected.as_str()),
        )
        .col_expr(application::Column::Reason, Expr::value(reason))
        .col_expr(application::Column::DecidedAt, Expr::value(at))
        .col_expr(application::Column::DecidedById, Expr::value(by))
        .filter(application::Column::OpeningId.eq(opening_id))
        .filter(application::Column::Status.is_in(in_progress()))
        .exec(txn)
        .await?;
    // The rows this statement rejected: REJECTED with this reason at this
    // instant (read back under the write's locks).
    let rejected: Vec<application::Model> = application::Entity::find()
        .filter(application::Column::OpeningId.eq(opening_id))
        .filter(application::Column::Status.eq(ApplicationStatus::Rejected.as_str()))
        .filter(application::Column::Reason.eq(reason))
        .filter(application::Column::DecidedAt.eq(at))
        .order_by_asc(application::Column::Id)
        .all(txn)
        .await?;
    if rejected.is_empty() {
        return Ok(rejected);
    }
    // One audit row names every application rejected at once: subscribers
    // on every instance hear of each (`db::notify` expands it), and a
    // thousand rejections cost one row and one notification, not a
    // thousand.
    audit::record(
        txn,
        by,
        REJECT_APPLICATIONS,
        "opening",
        opening_id,
        json!({ "applications": rejected.iter().map(|a| a.id).collect::<Vec<_>>(),
                "after": { "status": ApplicationStatus::Rejected.as_str(), "reason": reason } }),
    )
    .await?;
    Ok(rejected)
}

/// The audit action that rejects the applications still in progress when
/// an opening closes or fills (one row for all of them).
pub const REJECT_APPLICATIONS: &str = "REJECT_APPLICATIONS";

fn in_progress() -> [&'static str; 3] {
    [
        ApplicationStatus::Applied.as_str(),
        ApplicationStatus::Shortlisted.as_str(),
        ApplicationStatus::Offered.as_str(),
    ]
}

/// Where `person` stands for `role_id` on `as_of`, from the one engine:
/// the verdict of the ladder step from their role to it, or `None` when
/// no step leads there.
pub fn standing_for(
    ladder: &Ladder,
    person: &employee::Model,
    facts: &Facts,
    role_id: i64,
    as_of: NaiveDate,
) -> Option<OptionResult> {
    option_towards(
        ladder,
        progression::evaluate(ladder, person, facts, as_of).options,
        role_id,
    )
}

/// The option among `options` whose step leads to `role_id`.
fn option_towards(
    ladder: &Ladder,
    options: Vec<OptionResult>,
    role_id: i64,
) -> Option<OptionResult> {
    options.into_iter().find(|option| {
        ladder
            .step(option.step_id)
            .is_some_and(|step| step.to_role_id == role_id)
    })
}

/// Applies to an open opening with a short note: the caller's standing
/// for its role must be ELIGIBLE (or NOT_YET within the opening's window).
pub async fn apply(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    opening_id: i64,
    note: Option<String>,
    today: NaiveDate,
) -> AppResult<application::Model> {
    let note = note
        .map(|n| validate::text("note", &n, MAX_NOTE))
        .transpose()?;
    let found = get(db, opening_id).await?;
    policy::may_apply_to_opening(principal, found.hiring_manager_id)?;
    let status = OpeningStatus::parse(&found.status)
        .ok_or_else(|| AppError::internal("unknown opening status"))?;
    if !mobility::accepts_applications(status, found.closes_on, today) {
        return Err(AppError::Conflict(format!(
            "the opening does not take applications (it is {}, closing on {})",
            found.status, found.closes_on
        )));
    }
    let me = employee::Entity::find_by_id(principal.employee_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("the signed-in employee is missing"))?;
    let ladder = Ladder::current(db).await?;
    let facts = facts_of(&db.conn, &[me.id])
        .await?
        .remove(&me.id)
        .unwrap_or_default();
    let option = standing_for(&ladder, &me, &facts, found.job_role_id, today);
    let window = found.not_yet_window_days.map(|d| Ord::max(d, 0) as u32);
    if let Err(refusal) = mobility::may_apply(Standing::of(option.as_ref()), today, window) {
        let gaps = option
            .map(|o| {
                o.gaps
                    .iter()
                    .map(|g| (g.kind.as_str().to_owned(), g.message.clone()))
                    .collect()
            })
            .unwrap_or_else(|| {
                vec![(
                    "NO_STEP".to_owned(),
                    "no ladder step leads from your role to this one".to_owned(),
                )]
            });
        return Err(AppError::NotEligible {
            message: refusal.message(),
            gaps,
        });
    }
    let txn = db.begin_write().await?;
    // Still open: a guarded no-op update that locks the opening's row on
    // PostgreSQL, so closing or filling it meanwhile cannot be missed.
    still_open(&txn, found.id).await?;
    let inserted = application::ActiveModel {
        opening_id: Set(found.id),
        employee_id: Set(me.id),
        status: Set(ApplicationStatus::Applied.as_str().to_owned()),
        note: Set(note),
        reason: Set(None),
        created_at: Set(Utc::now()),
        decided_at: Set(None),
        decided_by_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let inserted = match inserted {
        Ok(row) => row,
        Err(err) => {
            return Err(match err.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                    "you already have an application in progress for this opening".into(),
                ),
                _ => err.into(),
            })
        }
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "APPLY",
        "application",
        inserted.id,
        application_json(&inserted),
    )
    .await?;
    txn.commit().await?;
    publish(events, &found, [inserted.clone()]);
    Ok(inserted)
}

/// CONFLICT unless the opening is OPEN; locks its row until the
/// transaction ends (PostgreSQL), serialising with closing and filling.
async fn still_open<C: ConnectionTrait>(txn: &C, opening_id: i64) -> AppResult<()> {
    let touched = opening::Entity::update_many()
        .col_expr(opening::Column::Status, Expr::col(opening::Column::Status))
        .filter(opening::Column::Id.eq(opening_id))
        .filter(opening::Column::Status.eq(OpeningStatus::Open.as_str()))
        .exec(txn)
        .await?;
    if touched.rows_affected == 0 {
        return Err(AppError::Conflict(
            "the opening was closed or filled meanwhile".into(),
        ));
    }
    Ok(())
}

/// An application and its opening, if the principal may see it (the
/// applicant, the opening's hiring manager or poster, HR); else NOT_FOUND.
pub async fn get_application(
    db: &Db,
    principal: &Principal,
    id: i64,
) -> AppResult<(application::Model, opening::Model)> {
    let found = application::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("application"))?;
    let opening = get(db, found.opening_id).await?;
    if !policy::may_see_application(
        principal,
        found.employee_id,
        opening.posted_by_id,
        opening.hiring_manager_id,
    ) {
        return Err(policy::hidden("application"));
    }
    Ok((found, opening))
}

/// Moves an application: the applicant withdraws or declines; the hiring
/// side (hiring manager, poster, HR; never for their own application)
/// shortlists, offers or rejects (a rejection gives its reason).
pub async fn move_application(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    id: i64,
    to: ApplicationStatus,
    reason: Option<String>,
) -> AppResult<application::Model> {
    let reason = reason
        .map(|r| validate::text("reason", &r, MAX_NOTE))
        .transpose()?;
    if to == ApplicationStatus::Accepted {
        return Err(AppError::bad_input(
            "an offer is accepted with acceptOffer, which moves the person",
        ));
    }
    if to == ApplicationStatus::Rejected && reason.is_none() {
        return Err(AppError::bad_input("a rejection needs a reason"));
    }
    let (found, opening) = get_application(db, principal, id).await?;
    let actor = if found.employee_id == principal.employee_id {
        Actor::Applicant
    } else {
        policy::may_manage_opening(principal, opening.posted_by_id, opening.hiring_manager_id)?;
        Actor::Hiring
    };
    let from = ApplicationStatus::parse(&found.status)
        .ok_or_else(|| AppError::internal("unknown application status"))?;
    mobility::transition(from, to, actor).map_err(refusal_error)?;
    if to == ApplicationStatus::Offered && opening.filled >= opening.seats {
        return Err(AppError::Conflict(
            "every seat of the opening is filled".into(),
        ));
    }
    let txn = db.begin_write().await?;
    if matches!(
        to,
        ApplicationStatus::Shortlisted | ApplicationStatus::Offered
    ) {
        still_open(&txn, opening.id).await?;
    }
    let moved = claim(&txn, &found, from, to, principal.employee_id, reason).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "MOVE_APPLICATION",
        "application",
        id,
        json!({ "before": application_json(&found), "after": application_json(&moved) }),
    )
    .await?;
    txn.commit().await?;
    publish(events, &opening, [moved.clone()]);
    Ok(moved)
}

fn refusal_error(refusal: mobility::Refusal) -> AppError {
    match refusal {
        mobility::Refusal::NotYours { .. } => AppError::Forbidden(refusal.message()),
        _ => AppError::Conflict(refusal.message()),
    }
}

/// Moves the application from `from` to `to` only if it still is in
/// `from` (someone else may have moved it meanwhile: CONFLICT).
async fn claim<C: ConnectionTrait>(
    txn: &C,
    found: &application::Model,
    from: ApplicationStatus,
    to: ApplicationStatus,
    by: i64,
    reason: Option<String>,
) -> AppResult<application::Model> {
    let done = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(to.as_str()))
        .col_expr(application::Column::Reason, Expr::value(reason))
        .col_expr(application::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(application::Column::DecidedById, Expr::value(by))
        .filter(application::Column::Id.eq(found.id))
        .filter(application::Column::Status.eq(from.as_str()))
        .exec(txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::Conflict(
            "the application was moved meanwhile; read it again".into(),
        ));
    }
    application::Entity::find_by_id(found.id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("application missing"))
}

/// The applicant accepts their offer: one transaction claims a seat,
/// moves them (role, site, market, work arrangement, manager, pay inside
/// the target band, role and pay history; the hire date kept, the role
/// starting again on `effective_on`) and audits it. The last seat taken
/// rejects the applications still in progress.
pub async fn accept_offer(
    db: &Db,
    events: &EventBus,
    principal: &Principal,
    application_id: i64,
    effective_on: Option<NaiveDate>,
    today: NaiveDate,
) -> AppResult<application::Model> {
    let effective_on = validate::date("effectiveOn", effective_on.unwrap_or(today))?;
    if effective_on > today {
        return Err(AppError::bad_input(
            "effectiveOn must not be in the future: accept the offer on the day the move starts",
        ));
    }
    let (found, opening) = get_application(db, principal, application_id).await?;
    // The applicant cannot date their own move before the offer was made
    // (an earlier role start would make them eligible for more at once).
    let offered_on = found.decided_at.map(|at| at.date_naive()).unwrap_or(today);
    if effective_on < offered_on {
        return Err(AppError::bad_input(format!(
            "effectiveOn must be between the day of the offer ({offered_on}) and today"
        )));
    }
    if found.employee_id != principal.employee_id {
        return Err(AppError::Forbidden(
            "only the applicant accepts their offer".into(),
        ));
    }
    let from = ApplicationStatus::parse(&found.status)
        .ok_or_else(|| AppError::internal("unknown application status"))?;
    mobility::transition(from, ApplicationStatus::Accepted, Actor::Applicant)
        .map_err(refusal_error)?;
    let txn = db.begin_write().await?;
    // The seat first: the guarded update serialises acceptances.
    let seat = opening::Entity::update_many()
        .col_expr(
            opening::Column::Filled,
            Expr::col(opening::Column::Filled).add(1),
        )
        .col_expr(
            opening::Column::Status,
            Expr::case(
                Expr::col(opening::Column::Filled)
                    .add(1)
                    .gte(Expr::col(opening::Column::Seats)),
                OpeningStatus::Filled.as_str(),
            )
            .finally(Expr::col(opening::Column::Status))
            .into(),
        )
        .filter(opening::Column::Id.eq(opening.id))
        .filter(opening::Column::Status.eq(OpeningStatus::Open.as_str()))
        .filter(Expr::col(opening::Column::Filled).lt(Expr::col(opening::Column::Seats)))
        .exec(&txn)
        .await?;
    if seat.rows_affected == 0 {
        return Err(AppError::Conflict(
            "the opening has no seat left (or was closed)".into(),
        ));
    }
    let accepted = claim(
        &txn,
        &found,
        from,
        ApplicationStatus::Accepted,
        principal.employee_id,
        None,
    )
    .await?;
    let person = crate::db::records::lock_employee(&txn, found.employee_id)
        .await?
        .ok_or_else(|| AppError::internal("applicant missing"))?;
    if effective_on < person.role_since {
        return Err(AppError::bad_input(
            "effectiveOn must not be before the start of your current role",
        ));
    }
    // Reporting to someone in one's own chain would close a loop.
    if crate::db::scope::is_above(&txn, person.id, opening.hiring_manager_id).await? {
        return Err(AppError::Conflict(
            "the hiring manager reports to you: the move would make a loop in the reporting chain"
                .into(),
        ));
    }
    let ladder = Ladder::load(&txn).await?;
    let step = ladder
        .steps_from(person.job_role_id)
        .find(|s| s.to_role_id == opening.job_role_id)
        .cloned()
        .ok_or_else(|| {
            AppError::Conflict(
                "your role has changed since you applied: no step leads there".into(),
            )
        })?;
    let mut moved_view = person.clone();
    moved_view.market = opening.market.clone();
    moved_view.site = opening.site.clone();
    let band = ladder.band_in(opening.job_role_id, &moved_view);
    if band.is_none() && ladder.band(opening.job_role_id, &opening.market).is_some() {
        return Err(AppError::Conflict(
            "the opening's band is in another currency: a move across currencies is made by HR"
                .into(),
        ));
    }
    let raise_bp = Ord::min(step.raise_min_bp, money::MAX_RAISE_BP);
    let kind = mobility::StepKind::parse(&step.kind).unwrap_or(mobility::StepKind::Promotion);
    let new_salary = mobility::pay_on_move(kind, person.salary_minor, raise_bp, band.as_ref())
        .ok_or_else(|| AppError::bad_input("the new salary would overflow"))?;
    let before_json = employees::public_json(&person);
    let salary_before = person.salary_minor;
    let currency = person.currency.clone();
    let mut active = person.into_active_model();
    active.job_role_id = Set(opening.job_role_id);
    active.site = Set(opening.site.clone());
    active.market = Set(opening.market.clone());
    active.work_arrangement = Set(opening.work_arrangement);
    active.manager_id = Set(Some(opening.hiring_manager_id));
    active.role_since = Set(effective_on);
    active.salary_minor = Set(new_salary);
    active.updated_at = Set(Utc::now());
    let after = active.update(&txn).await?;
    role_assignment::Entity::update_many()
        .col_expr(role_assignment::Column::EndedOn, Expr::value(effective_on))
        .filter(role_assignment::Column::EmployeeId.eq(after.id))
        .filter(role_assignment::Column::EndedOn.is_null())
        .exec(&txn)
        .await?;
    role_assignment::ActiveModel {
        employee_id: Set(after.id),
        job_role_id: Set(opening.job_role_id),
        started_on: Set(effective_on),
        ended_on: Set(None),
        salary_minor: Set(new_salary),
        currency: Set(currency.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let reason = if kind == mobility::StepKind::Lateral {
        stored::PayChangeReason::LateralMove
    } else {
        stored::PayChangeReason::Promotion
    };
    crate::services::pay::record_move(
        &txn,
        crate::services::pay::Move {
            employee_id: after.id,
            reason,
            before_minor: salary_before,
            after_minor: new_salary,
            currency: &currency,
            effective_on,
            // Whoever made the offer decided the pay it carries.
            proposed_by: found.decided_by_id.unwrap_or(opening.hiring_manager_id),
            decided_by: found.decided_by_id.unwrap_or(opening.hiring_manager_id),
            nomination_id: None,
            basis: after.pay_basis,
            fte_bp: after.fte_bp,
            terms_before: None,
        },
    )
    .await?;
    let now_full = get_in(&txn, opening.id).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "ACCEPT_OFFER",
        "application",
        accepted.id,
        json!({ "before": application_json(&found), "after": application_json(&accepted),
                "seatsFilled": now_full.filled }),
    )
    .await?;
    // After the acceptance's own audit row, so that subscribers hear of the
    // acceptance first on both databases.
    let rejected = if now_full.status == OpeningStatus::Filled.as_str() {
        reject_in_progress(&txn, opening.id, None, "every seat was filled").await?
    } else {
        Vec::new()
    };
    audit::record(
        &txn,
        Some(principal.employee_id),
        "MOVE",
        "employee",
        after.id,
        json!({ "before": before_json, "after": employees::public_json(&after),
                "applicationId": accepted.id, "stepKind": step.kind }),
    )
    .await?;
    crate::services::eligibility_state::refresh(&txn, db, &[after.id]).await?;
    txn.commit().await?;
    publish(
        events,
        &opening,
        std::iter::once(accepted.clone()).chain(rejected),
    );
    Ok(accepted)
}

/// One application with where its applicant stands for the opening's role.
pub struct Ranked {
    pub application: application::Model,
    pub applicant: employee::Model,
    pub standing: Option<OptionResult>,
}

/// An opening's applications (at most [`MAX_APPLICANTS`]), ranked: by
/// standing (ELIGIBLE, NOT_YET by `eligibleOn`, INELIGIBLE), then months
/// of service, then rating: for the hiring manager, the poster and HR.
pub async fn ranked_applications(
    db: &Db,
    principal: &Principal,
    opening: &opening::Model,
    as_of: NaiveDate,
) -> AppResult<Vec<Ranked>> {
    policy::may_manage_opening(principal, opening.posted_by_id, opening.hiring_manager_id)?;
    // Those in progress first (finished ones only fill what is left of
    // the bound), so a long history never hides a live applicant.
    let mut rows = application::Entity::find()
        .filter(application::Column::OpeningId.eq(opening.id))
        .filter(application::Column::Status.is_in(in_progress()))
        .order_by_asc(application::Column::Id)
        .limit(MAX_APPLICANTS)
        .all(&db.conn)
        .await?;
    let room = MAX_APPLICANTS.saturating_sub(rows.len() as u64);
    if room > 0 {
        rows.extend(
            application::Entity::find()
                .filter(application::Column::OpeningId.eq(opening.id))
                .filter(application::Column::Status.is_not_in(in_progress()))
                .order_by_desc(application::Column::Id)
                .limit(room)
                .all(&db.conn)
                .await?,
        );
    }
    let ids: Vec<i64> = rows.iter().map(|a| a.employee_id).collect();
    let people: HashMap<i64, employee::Model> =
        crate::db::records::employees_by_id(&db.conn, &ids).await?;
    let mut facts = facts_of(&db.conn, &ids).await?;
    let ladder = Ladder::current(db).await?;
    let mut ranked: Vec<(mobility::Candidate, Ranked)> = rows
        .into_iter()
        .filter_map(|application| {
            let applicant = people.get(&application.employee_id)?.clone();
            let person_facts = facts.remove(&applicant.id).unwrap_or_default();
            let result = progression::evaluate(&ladder, &applicant, &person_facts, as_of);
            let (months_of_service, rating) = (result.months_of_service, result.rating);
            let standing = option_towards(&ladder, result.options, opening.job_role_id);
            let candidate = mobility::Candidate {
                id: application.id,
                standing: Standing::of(standing.as_ref()),
                months_of_service,
                rating_cp: mobility::rating_cp(rating),
            };
            Some((
                candidate,
                Ranked {
                    application,
                    applicant,
                    standing,
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| mobility::rank(&a.0, &b.0));
    Ok(ranked.into_iter().map(|(_, r)| r).collect())
}

/// The caller's own applications, newest first (at most
/// [`MAX_APPLICANTS`]), each with its opening (two statements).
pub async fn mine(
    db: &Db,
    principal: &Principal,
) -> AppResult<Vec<(application::Model, Option<opening::Model>)>> {
    let rows = application::Entity::find()
        .filter(application::Column::EmployeeId.eq(principal.employee_id))
        .order_by_desc(application::Column::Id)
        .limit(MAX_APPLICANTS)
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.opening_id).collect();
    let openings: HashMap<i64, opening::Model> = opening::Entity::find()
        .filter(opening::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| {
            let found = openings.get(&a.opening_id).cloned();
            (a, found)
        })
        .collect())
}
