//! Keeps the persistent eligibility state current (issue 14).
//!
//! Each employee's row holds the engine's answer for the day it was
//! computed and the first day it may change without a write
//! (`domain::eligibility_state::next_change`). The database marks rows
//! stale on every change they depend on (triggers, migration
//! `m20261126_000007`), so a row is never trusted when it should not be:
//!
//! - [`refresh`]: a write through the API recomputes its employee in its own
//!   transaction, so the next dashboard finds nothing to do;
//! - [`bring_up_to_date`]: a dashboard for today first recomputes whatever
//!   is still due (a ladder change, an import, a day that passed), in
//!   chunks, then aggregates in SQL. The background [`sweep`] does the same
//!   every minute, so readers seldom wait.
//!
//! Recomputations outside the writing transaction write a row only if its
//! `revision` is unchanged since they read it, so several instances may
//! sweep at once and none overwrites a newer answer with an older one.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::db::eligibility_state::{self as store, Guard, PersonRow, StateRow};
use crate::db::facts::{self, facts_of, Facts, Ladder};
use crate::db::Db;
use crate::domain::eligibility::{self, StepRules};
use crate::domain::eligibility_state::{
    encode_options, next_change, retain_counted, state_of, verdict,
};
use crate::domain::enums::EligibilityStatus;
use crate::domain::plan;
use crate::error::AppResult;
use crate::services::training;

/// Employees recomputed per chunk.
pub const CHUNK: usize = 5_000;

/// Rows computed for `today`, and the (employee, course) pairs of courses
/// that would unblock them.
pub struct Computed {
    pub rows: Vec<StateRow>,
    pub unblocks: Vec<(i64, i64)>,
}

/// The engine's answer for `people` (whose `facts` are given) on `today`,
/// as rows to store. `revisions` gives each row the revision it was read
/// at (0 if absent).
pub async fn compute<C: ConnectionTrait>(
    conn: &C,
    ladder: &Ladder,
    people: Vec<PersonRow>,
    mut facts: HashMap<i64, Facts>,
    revisions: &HashMap<i64, i64>,
    today: NaiveDate,
) -> AppResult<Computed> {
    let awards: Vec<plan::AwardOn> = training::course_awards(conn)
        .await?
        .iter()
        .map(|a| a.on(today))
        .collect();
    let mut rules: HashMap<(i64, String), Vec<StepRules>> = HashMap::new();
    let mut out = Computed {
        rows: Vec::with_capacity(people.len()),
        unblocks: Vec::new(),
    };
    for p in people {
        let mut f = facts.remove(&p.id).unwrap_or_default();
        retain_counted(&mut f.certifications, &mut f.skills);
        let steps = rules
            .entry((p.job_role_id, p.market.clone()))
            .or_insert_with(|| ladder.step_rules(p.job_role_id, &p.market));
        let employee_facts = p.with(&f, ladder);
        let progression = eligibility::evaluate(&employee_facts, steps, today);
        let blocked = progression
            .options
            .iter()
            .any(|o| o.status == EligibilityStatus::Ineligible);
        // A future hire counts from their hire day (`next_change` makes the
        // row due then).
        let counted = p.hired_on <= today;
        if counted {
            let courses =
                plan::unblocking_courses(&employee_facts, steps, &progression, &awards, today);
            out.unblocks.extend(courses.into_iter().map(|c| (p.id, c)));
        }
        let due = next_change(&employee_facts, steps, &progression);
        let v = verdict(&progression);
        out.rows.push(StateRow {
            employee_id: p.id,
            job_role_id: p.job_role_id,
            site: p.site,
            market: p.market,
            manager_id: p.manager_id,
            hired_on: p.hired_on,
            counted,
            eligible: v.eligible,
            fast_track: v.fast_track,
            not_yet: v.not_yet,
            ineligible: v.ineligible,
            no_next_step: v.no_next_step,
            stalled: v.stalled,
            blocked,
            options: encode_options(&state_of(&progression).options),
            computed_on: today,
            due,
            revision: revisions.get(&p.id).copied().unwrap_or(0),
        });
    }
    Ok(out)
}

/// The facts of `ids` for a recomputation outside a transaction: when they
/// are a dense range of ids (a bulk load, a ladder change), three range
/// statements folded per employee by the database, run concurrently (the
/// dashboards' snapshot loader); else one statement by id.
async fn bulk_facts(db: &Db, ladder: &Ladder, ids: &[i64]) -> AppResult<HashMap<i64, Facts>> {
    let (Some(&first), Some(&last)) = (ids.iter().min(), ids.iter().max()) else {
        return Ok(HashMap::new());
    };
    if (last - first) as usize >= 2 * ids.len() {
        return Ok(facts_of(&db.conn, ids).await?);
    }
    let required = ladder.required_skills();
    let range = (first, last);
    let (folded, open) = tokio::try_join!(
        crate::db::dashboard::folded_facts(db, None, None, range, &required),
        crate::db::dashboard::open_nominees_between(&db.conn, range),
    )?;
    let [reviews, certs, skills] = folded;
    Ok(ids
        .iter()
        .map(|id| {
            let facts = Facts {
                certifications: facts::unfold_certs(certs.get(id).map(String::as_str)),
                reviews: facts::unfold_reviews(reviews.get(id).map(String::as_str)),
                skills: facts::unfold_skills(skills.get(id).map(String::as_str)),
                open_nomination: open.contains(id),
            };
            (*id, facts)
        })
        .collect())
}

/// Recomputes the rows of `ids` for today inside the write transaction
/// `txn` that changed their facts. The transaction holds the rows (the
/// triggers of its writes updated them), so this always writes.
pub async fn refresh<C: ConnectionTrait>(txn: &C, db: &Db, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let today = Utc::now().date_naive();
    // The ladder this transaction sees: a ladder change committed before
    // it is in it; one committed after marks the rows stale again.
    let ladder = Ladder::at_version_on(db, txn, facts::ladder_version(txn).await?).await?;
    let people = store::people(txn, ids).await?;
    let facts = facts_of(txn, ids).await?;
    let computed = compute(txn, &ladder, people, facts, &HashMap::new(), today).await?;
    write_all(txn, computed, Guard::Holder).await?;
    Ok(())
}

/// Recomputes, inside the write transaction `txn`, every row marked stale
/// (by this transaction's bulk writes, such as an import, or earlier ones
/// not yet recomputed), in chunks. Rows marked by others meanwhile are left
/// to the next read. Returns how many rows were written.
pub async fn refresh_stale<C: ConnectionTrait>(txn: &C, db: &Db) -> AppResult<usize> {
    let today = Utc::now().date_naive();
    let ladder = Ladder::at_version_on(db, txn, facts::ladder_version(txn).await?).await?;
    let stale = store::stale(txn).await?;
    let mut total = 0;
    for chunk in stale.chunks(CHUNK) {
        let revisions: HashMap<i64, i64> =
            chunk.iter().map(|d| (d.employee_id, d.revision)).collect();
        let ids: Vec<i64> = chunk.iter().map(|d| d.employee_id).collect();
        let people = store::people(txn, &ids).await?;
        let facts = facts_of(txn, &ids).await?;
        let computed = compute(txn, &ladder, people, facts, &revisions, today).await?;
        total += write_all(txn, computed, Guard::IfUnchanged).await?;
    }
    Ok(total)
}

/// Stores, inside the bulk load's transaction `txn`, the rows of `people`
/// (the load just added them; a start-up sweep may have marked them stale
/// meanwhile), computed for `today` from
/// the `facts` the loader generated: nothing is read back.
pub async fn store_new<C: ConnectionTrait>(
    txn: &C,
    ladder: &Ladder,
    people: Vec<PersonRow>,
    facts: HashMap<i64, Facts>,
    today: NaiveDate,
) -> AppResult<usize> {
    let computed = compute(txn, ladder, people, facts, &HashMap::new(), today).await?;
    store::insert_new(txn, &computed.rows).await?;
    // A sweep may have computed some of these rows already (see
    // `store::insert_new`): theirs are replaced, not doubled.
    let ids: Vec<i64> = computed.rows.iter().map(|r| r.employee_id).collect();
    store::write_unblocks(txn, &ids, &computed.unblocks).await?;
    Ok(computed.rows.len())
}

/// Starts [`bring_up_to_date`] in the background (after a change that
/// marked many rows stale: a ladder step, a requirement, a band, a course),
/// so the rows are recomputed in chunks before most readers ask.
pub fn recompute_soon(db: &Db) {
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(err) = bring_up_to_date(&db, Utc::now().date_naive()).await {
            tracing::warn!(error = ?err, "eligibility recomputation failed");
        }
    });
}

/// Writes rows and their unblocking courses; returns how many rows were
/// written.
async fn write_all<C: ConnectionTrait>(
    txn: &C,
    computed: Computed,
    guard: Guard,
) -> AppResult<usize> {
    let written = store::write(txn, &computed.rows, guard).await?;
    let kept: std::collections::HashSet<i64> = written.iter().copied().collect();
    let pairs: Vec<(i64, i64)> = computed
        .unblocks
        .into_iter()
        .filter(|(e, _)| kept.contains(e))
        .collect();
    store::write_unblocks(txn, &written, &pairs).await?;
    Ok(written.len())
}

/// Recomputes every row due on `today`, chunk by chunk, so that the state
/// answers for `today`. Returns how many rows were written. One caller per
/// process at a time; the others wait and then usually find nothing due.
pub async fn bring_up_to_date(db: &Db, today: NaiveDate) -> AppResult<usize> {
    // What is due is read where it is written: a replica may not have
    // replayed the last recomputation yet.
    let db = &db.on_primary();
    let _one_at_a_time = db.state_lock.lock().await;
    let mut total = 0;
    let mut fruitless = 0;
    loop {
        let due = store::due(&db.conn, today, CHUNK as u64).await?;
        if due.is_empty() {
            break;
        }
        let revisions: HashMap<i64, i64> =
            due.iter().map(|d| (d.employee_id, d.revision)).collect();
        let ids: Vec<i64> = due.iter().map(|d| d.employee_id).collect();
        // The ladder is read after the revisions: a ladder change after
        // this point moves them, and the guarded write skips those rows.
        let started = std::time::Instant::now();
        let ladder = Ladder::current(db).await?;
        let people = store::people(&db.conn, &ids).await?;
        let facts = bulk_facts(db, &ladder, &ids).await?;
        let loaded = started.elapsed();
        let computed = compute(&db.conn, &ladder, people, facts, &revisions, today).await?;
        let evaluated = started.elapsed();
        let txn = db.begin_write().await?;
        let written = write_all(&txn, computed, Guard::IfUnchanged).await?;
        txn.commit().await?;
        tracing::debug!(
            rows = ids.len(),
            load_ms = loaded.as_millis() as u64,
            evaluate_ms = (evaluated - loaded).as_millis() as u64,
            write_ms = (started.elapsed() - evaluated).as_millis() as u64,
            "eligibility chunk recomputed"
        );
        total += written;
        if written == 0 {
            // Every row changed under us (another instance recomputed
            // them, or writes marked them again): try again a few times,
            // then leave them to the next read rather than spin.
            fruitless += 1;
            if fruitless == 3 {
                break;
            }
        }
    }
    Ok(total)
}

/// A stale row for every employee without one, in a write transaction
/// (the statement reads and then writes; see `Db::begin_write`).
pub async fn mark_missing(db: &Db) -> AppResult<u64> {
    let txn = db.begin_write().await?;
    let marked = store::insert_missing(&txn).await?;
    txn.commit().await?;
    Ok(marked)
}

/// How often the background sweep looks for due rows.
pub const SWEEP_PERIOD: Duration = Duration::from_secs(60);

/// Brings the state up to date at start and then every minute (new days,
/// ladder changes, imports), so dashboards seldom find work to do. Safe with
/// several instances sweeping at once (see the module docs).
pub async fn sweep(db: Db) {
    // Once at start: a row for anyone a bulk load left without one.
    match mark_missing(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            rows = n,
            "employees without eligibility state: marked stale"
        ),
        Err(err) => tracing::warn!(error = ?err, "checking for missing eligibility state failed"),
    }
    loop {
        let today = Utc::now().date_naive();
        // Pay changes approved for a day that has come (not part of the
        // eligibility state, which no pay moves; the same minute's tick).
        match crate::services::pay::apply_due(&db, today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changes = n, "scheduled pay changes applied"),
            Err(err) => tracing::warn!(error = ?err, "applying scheduled pay changes failed"),
        }
        let started = std::time::Instant::now();
        match bring_up_to_date(&db, today).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                rows = n,
                ms = started.elapsed().as_millis() as u64,
                "eligibility state brought up to date"
            ),
            Err(err) => tracing::warn!(error = ?err, "eligibility sweep failed"),
        }
        tokio::time::sleep(SWEEP_PERIOD).await;
    }
}
