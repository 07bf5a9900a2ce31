//! Notifications from PostgreSQL, on a connection of this process's own:
//!
//! - [`AUTH_CHANNEL`], triggers (migration `m20261202_000010_auth_notify`)
//!   notify whenever a session, an employee or the ladder changes, whoever
//!   changed it (another instance, an import, a DBA's script); the session
//!   cache (`auth::sessions`) empties, and on an employee's change the
//!   kept employee rows (`db::kept`) too: only the changed employees' rows
//!   and sessions when the payload names them (migration
//!   `m20261204_000019_notify_ids`).
//! - [`FACTS_CHANNEL`], a certificate, review, skill assessment or
//!   nomination changed (migration `m20261204_000011_facts_notify`); the
//!   kept facts and certificates (`db::kept`) of the employees the payload
//!   names are forgotten (all, when it names none).
//! - [`SETTLE_CHANNEL`], this process's own mark after a mutation
//!   (`kept::Settle`): everything the mutation changed was heard.
//! - [`EVENTS_CHANNEL`], an audit row about a nomination or an application
//!   was committed (migrations `m20261204_000012_events_notify` and
//!   `m20261204_000021_application_events`), by any instance. The
//!   payload holds only ids; this process re-reads the row and
//!   delivers it on its event bus, where each subscription decides whether
//!   its subscriber may see it (`graphql::subscription`).
//!
//! The caches are live only while the listener is subscribed; when the
//! connection drops they are turned off at once (a notification may have
//! been missed) and the listener reconnects after a second. Events are not
//! lost meanwhile: the audit log is append-only, so after (re)subscribing
//! the listener reads the nomination rows audited since the last one it
//! delivered ([`EventCursor`]) and delivers those first.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::db::entities::enums as stored;
use crate::db::entities::{application, audit_event, nomination, opening};
use crate::db::kept::{changed_ids, FACTS_CHANNEL, SETTLE_CHANNEL};
use crate::db::Db;
use crate::domain::enums::NominationStatus;
use crate::events::{ApplicationChange, Event, EventBus};
use crate::services::mobility::REJECT_APPLICATIONS;

/// The channel the auth triggers notify.
pub const AUTH_CHANNEL: &str = "rungs_auth";

/// The channel of committed nomination changes.
pub const EVENTS_CHANNEL: &str = "rungs_events";

/// The `application_name` of the listener's connection (to find it in
/// `pg_stat_activity`).
pub const LISTENER_NAME: &str = "rungs-listener";

/// How far below the newest delivered audit id a catch-up looks again: a
/// transaction that took its audit id earlier may commit later than one
/// that took a larger id. Ids already delivered are remembered and skipped.
const LOOKBACK: i64 = 1024;

/// Audit rows read per catch-up statement.
const CATCH_UP_BATCH: u64 = 500;

/// Starts listening (PostgreSQL only; on SQLite the caches stay off, the
/// bus stays in-process and nothing is started), and makes `events` fed by
/// the database. The task runs until aborted.
pub fn spawn_listener(db: &Db, events: &EventBus) -> Option<tokio::task::JoinHandle<()>> {
    if db.backend() != DatabaseBackend::Postgres {
        return None;
    }
    events.feed_from_database();
    let options = db
        .conn
        .get_postgres_connection_pool()
        .connect_options()
        .as_ref()
        .clone()
        .application_name(LISTENER_NAME);
    let db = db.clone();
    let events = events.clone();
    Some(tokio::spawn(async move {
        // A pool of one, so the listener takes no connection from requests.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .connect_lazy_with(options);
        let mut cursor = EventCursor::default();
        loop {
            listen(&pool, &db, &events, &mut cursor).await;
            db.sessions.set_live(false);
            db.set_kept_live(false);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

/// Subscribes, catches up, then handles every notification until the
/// connection fails.
async fn listen(
    pool: &sea_orm::sqlx::PgPool,
    db: &Db,
    events: &EventBus,
    cursor: &mut EventCursor,
) {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(err) => {
            tracing::warn!(error = %err, "notification listener cannot connect");
            return;
        }
    };
    if let Err(err) = listener
        .listen_all([AUTH_CHANNEL, FACTS_CHANNEL, EVENTS_CHANNEL, SETTLE_CHANNEL])
        .await
    {
        tracing::warn!(error = %err, "notification listener cannot subscribe");
        return;
    }
    // Subscribed: from here on nothing is missed, so what changed before is
    // forgotten and what was audited meanwhile is caught up.
    db.sessions.set_live(true);
    db.set_kept_live(true);
    // Ended when this function returns (the caches go off).
    let _warming = db
        .keeps_organisation()
        .then(|| Aborting(tokio::spawn(keep_organisation(db.clone()))));
    if let Err(err) = catch_up(db, events, cursor).await {
        tracing::warn!(error = %err, "events could not be caught up");
        return;
    }
    tracing::debug!("listening for changes");
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match notification.channel() {
                FACTS_CHANNEL => forget_facts(db, notification.payload()),
                EVENTS_CHANNEL => {
                    if let Err(err) = on_event(db, events, cursor, notification.payload()).await {
                        tracing::warn!(error = %err, "an event could not be read");
                        return;
                    }
                }
                SETTLE_CHANNEL => db.settle.heard(notification.payload()),
                _ => forget_auth(db, notification.payload()),
            },
            // The connection dropped: what was sent meanwhile is lost.
            Ok(None) => return,
            Err(err) => {
                tracing::warn!(error = %err, "notification listener lost its connection");
                return;
            }
        }
    }
}

/// Aborts its task when dropped.
struct Aborting(tokio::task::JoinHandle<()>);

impl Drop for Aborting {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `--keep-organisation`: reads the whole organisation into the kept
/// records now and every `kept::ORGANISATION_REFRESH`.
async fn keep_organisation(db: Db) {
    loop {
        let started = std::time::Instant::now();
        match db.warm_kept().await {
            Ok(employees) => tracing::info!(
                employees,
                ms = started.elapsed().as_millis() as u64,
                "the organisation is kept"
            ),
            Err(err) => tracing::warn!(error = %err, "the organisation could not be read"),
        }
        tokio::time::sleep(crate::db::kept::ORGANISATION_REFRESH).await;
    }
}

/// A certificate, review, skill assessment or nomination changed: forget
/// the facts of the employees the payload names (and their certificates,
/// for a certificate), or all of them.
fn forget_facts(db: &Db, payload: &str) {
    match changed_ids(payload) {
        (table, Some(ids)) => {
            db.facts.forget(&ids);
            if table == "certification" {
                db.kept_certifications.forget(&ids);
            }
        }
        (_, None) => {
            db.facts.clear();
            db.kept_certifications.clear();
        }
    }
}

/// A session, an employee or the ladder changed. A session's or the
/// ladder's change empties the session cache and leaves employees' rows as
/// they were; an employee's forgets that employee's row and sessions (or
/// everyone's, when the payload names no ids).
fn forget_auth(db: &Db, payload: &str) {
    match changed_ids(payload) {
        ("login_session" | "ladder_version", _) => db.sessions.clear(),
        (_, Some(ids)) => {
            db.sessions.forget_employees(&ids);
            db.kept_employees.forget(&ids);
        }
        (_, None) => {
            db.sessions.clear();
            db.kept_employees.clear();
        }
    }
}

/// Where this process stands in the audit log: the audit ids of the
/// nomination and application changes it delivered lately, and the newest.
#[derive(Debug, Default)]
pub struct EventCursor {
    /// The newest audit id delivered (or seen at start), once known.
    newest: Option<i64>,
    /// Audit ids delivered within [`LOOKBACK`] of `newest`.
    delivered: BTreeSet<i64>,
}

impl EventCursor {
    /// Whether the change with this audit id still needs delivering; marks
    /// it delivered.
    fn take(&mut self, audit_id: i64) -> bool {
        if self.newest.is_some_and(|n| audit_id <= n - LOOKBACK) {
            return false;
        }
        if !self.delivered.insert(audit_id) {
            return false;
        }
        if self.newest.is_none_or(|n| audit_id > n) {
            self.newest = Some(audit_id);
        }
        if let Some(newest) = self.newest {
            self.delivered = self.delivered.split_off(&(newest - LOOKBACK + 1));
        }
        true
    }

    /// The audit id a catch-up reads after.
    fn floor(&self) -> Option<i64> {
        self.newest.map(|n| n - LOOKBACK)
    }
}

/// A notification: `"<audit id>:<nomination id>"`.
async fn on_event(
    db: &Db,
    events: &EventBus,
    cursor: &mut EventCursor,
    payload: &str,
) -> Result<(), DbErr> {
    let Some(audit_id) = parse_payload(payload) else {
        tracing::warn!(payload, "an event notification without ids");
        return Ok(());
    };
    if !cursor.take(audit_id) || events.subscribers() == 0 {
        return Ok(());
    }
    let audit = audit_event::Entity::find_by_id(audit_id)
        .one(&db.conn)
        .await?;
    deliver(db, events, audit.as_slice()).await
}

/// The audit id of a payload `"<audit id>:<nomination id>"` (the
/// nomination's id is there for people reading `LISTEN` output; the audit
/// row names it too).
fn parse_payload(payload: &str) -> Option<i64> {
    let (audit, nomination) = payload.split_once(':')?;
    nomination.parse::<i64>().ok()?;
    audit.parse().ok()
}

/// Delivers the nomination changes audited after the cursor (on the first
/// call, which has no cursor yet, it only notes where the log ends).
async fn catch_up(db: &Db, events: &EventBus, cursor: &mut EventCursor) -> Result<(), DbErr> {
    let Some(mut floor) = cursor.floor() else {
        let newest = audit_event::Entity::find()
            .select_only()
            .column_as(audit_event::Column::Id.max(), "newest")
            .into_tuple::<Option<i64>>()
            .one(&db.conn)
            .await?
            .flatten()
            .unwrap_or(0);
        cursor.newest = Some(newest);
        return Ok(());
    };
    loop {
        let rows = audit_event::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(audit_event::Column::Entity.is_in(["nomination", "application"]))
                    .add(audit_event::Column::Action.eq(REJECT_APPLICATIONS)),
            )
            .filter(audit_event::Column::Id.gt(floor))
            .order_by_asc(audit_event::Column::Id)
            .limit(CATCH_UP_BATCH)
            .all(&db.conn)
            .await?;
        let Some(last) = rows.last().map(|row| row.id) else {
            return Ok(());
        };
        let full = rows.len() as u64 == CATCH_UP_BATCH;
        let fresh: Vec<audit_event::Model> = rows
            .into_iter()
            .filter(|audit| cursor.take(audit.id))
            .collect();
        deliver(db, events, &fresh).await?;
        if !full {
            return Ok(());
        }
        floor = last;
    }
}

/// Re-reads the audited nominations and applications (one statement each,
/// and one for the applications' openings) and hands each, as it stood
/// after its audited change, to this process's subscribers, in the audit
/// log's order.
async fn deliver(db: &Db, events: &EventBus, audits: &[audit_event::Model]) -> Result<(), DbErr> {
    if audits.is_empty() || events.subscribers() == 0 {
        return Ok(());
    }
    let nomination_ids: Vec<i64> = audits
        .iter()
        .filter(|audit| audit.entity == "nomination")
        .filter_map(|audit| audit.entity_id.parse().ok())
        .collect();
    let application_ids: Vec<i64> = audits.iter().flat_map(changed_applications).collect();
    let nominations: HashMap<i64, nomination::Model> = if nomination_ids.is_empty() {
        HashMap::new()
    } else {
        nomination::Entity::find()
            .filter(nomination::Column::Id.is_in(nomination_ids))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect()
    };
    let applications: HashMap<i64, application::Model> = if application_ids.is_empty() {
        HashMap::new()
    } else {
        application::Entity::find()
            .filter(application::Column::Id.is_in(application_ids))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect()
    };
    let openings: HashMap<i64, opening::Model> = if applications.is_empty() {
        HashMap::new()
    } else {
        opening::Entity::find()
            .filter(opening::Column::Id.is_in(applications.values().map(|a| a.opening_id)))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect()
    };
    for audit in audits {
        if audit.entity == "nomination" {
            let row = audit
                .entity_id
                .parse::<i64>()
                .ok()
                .and_then(|id| nominations.get(&id));
            if let Some(row) = row {
                events.deliver(Event::NominationChanged(as_audited(row.clone(), audit)));
            }
            continue;
        }
        for application_id in changed_applications(audit) {
            let Some(row) = applications.get(&application_id) else {
                continue;
            };
            let Some(opening) = openings.get(&row.opening_id) else {
                continue;
            };
            events.deliver(Event::ApplicationChanged(ApplicationChange {
                application: application_as_audited(row.clone(), audit),
                posted_by_id: opening.posted_by_id,
                hiring_manager_id: opening.hiring_manager_id,
            }));
        }
    }
    Ok(())
}

/// The applications an audit row is about: the one of an application's
/// row, every one a `REJECT_APPLICATIONS` row names, none for other rows.
fn changed_applications(audit: &audit_event::Model) -> Vec<i64> {
    #[derive(serde::Deserialize)]
    struct Rejected {
        applications: Vec<i64>,
    }
    if audit.action == REJECT_APPLICATIONS {
        return serde_json::from_str::<Rejected>(&audit.details)
            .map(|r| r.applications)
            .unwrap_or_default();
    }
    if audit.entity != "application" {
        return Vec::new();
    }
    audit.entity_id.parse().ok().into_iter().collect()
}

/// What an application's audit row records of it (`services::mobility`
/// writes it: the application itself when it is made, `before` and `after`
/// when it moves).
#[derive(serde::Deserialize)]
struct AuditedApplication {
    status: String,
    reason: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ApplicationDetails {
    Moved { after: AuditedApplication },
    Made(AuditedApplication),
}

/// The application as it stood right after the audited change (a later
/// move must not show in the event of an earlier one).
fn application_as_audited(
    mut row: application::Model,
    audit: &audit_event::Model,
) -> application::Model {
    let after = match serde_json::from_str::<ApplicationDetails>(&audit.details) {
        Ok(ApplicationDetails::Moved { after } | ApplicationDetails::Made(after)) => after,
        Err(_) => return row,
    };
    if after.status == row.status {
        return row;
    }
    row.decided_at = (after.status != "APPLIED").then_some(audit.at);
    row.decided_by_id = if after.status == "APPLIED" {
        None
    } else {
        audit.actor_id
    };
    row.status = after.status;
    row.reason = after.reason;
    row
}

/// What a nomination's audit row records of its state after the change
/// (`services::nominations` writes it).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Audited {
    status: String,
    decided_by_id: Option<i64>,
    decision_reason: Option<String>,
    raise_bp: Option<i64>,
    new_salary_minor: Option<i64>,
    currency: Option<String>,
    effective_on: Option<chrono::NaiveDate>,
}

#[derive(serde::Deserialize)]
struct Details {
    after: Audited,
}

/// The nomination as it stood right after the audited change: a change
/// decided later (an approval just after the nomination) must not show
/// in the event of the earlier one. Only the decision's fields ever change.
fn as_audited(mut row: nomination::Model, audit: &audit_event::Model) -> nomination::Model {
    let Ok(Details { after }) = serde_json::from_str::<Details>(&audit.details) else {
        return row;
    };
    let Some(status) = NominationStatus::parse(&after.status) else {
        return row;
    };
    let status = stored::NominationStatus::from(status);
    if status == row.status {
        return row;
    }
    row.decided_at = (status != stored::NominationStatus::Pending).then_some(audit.at);
    row.status = status;
    row.decided_by_id = after.decided_by_id;
    row.decision_reason = after.decision_reason;
    row.raise_bp = after.raise_bp;
    row.new_salary_minor = after.new_salary_minor;
    row.currency = after.currency;
    row.effective_on = after.effective_on;
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> nomination::Model {
        nomination::Model {
            id: 7,
            nominee_id: 1,
            nominated_by_id: 2,
            step_id: 1,
            target_role_id: 2,
            status: stored::NominationStatus::Approved,
            justification: "ready".into(),
            is_override: false,
            override_reason: None,
            created_at: chrono::Utc::now(),
            decided_at: Some(chrono::Utc::now()),
            decided_by_id: Some(3),
            decision_reason: None,
            raise_bp: Some(2500),
            new_salary_minor: Some(500_000),
            currency: Some("JPY".into()),
            effective_on: None,
        }
    }

    #[test]
    fn an_event_shows_the_nomination_as_it_stood_after_its_change() {
        let audit = audit_event::Model {
            id: 12,
            at: chrono::Utc::now(),
            actor_id: Some(2),
            action: "NOMINATE".into(),
            entity: "nomination".into(),
            entity_id: "7".into(),
            details: r#"{"after":{"status":"PENDING","decidedById":null,"raiseBp":null}}"#.into(),
        };
        // Approved since: the nomination's event still says PENDING.
        let row = as_audited(pending(), &audit);
        assert_eq!(row.status, stored::NominationStatus::Pending);
        assert_eq!(
            (row.decided_at, row.decided_by_id, row.raise_bp),
            (None, None, None)
        );
        // Unreadable details: the row as it stands.
        let odd = audit_event::Model {
            details: "{}".into(),
            ..audit
        };
        assert_eq!(
            as_audited(pending(), &odd).status,
            stored::NominationStatus::Approved
        );
    }

    #[test]
    fn payloads_carry_two_ids() {
        assert_eq!(parse_payload("12:7"), Some(12));
        assert_eq!(parse_payload("12"), None);
        assert_eq!(parse_payload("a:7"), None);
    }

    #[test]
    fn the_cursor_delivers_each_change_once_even_out_of_order() {
        let mut cursor = EventCursor {
            newest: Some(100),
            delivered: BTreeSet::new(),
        };
        assert!(cursor.take(102));
        // An earlier id committed later is still delivered, once.
        assert!(cursor.take(101));
        assert!(!cursor.take(101));
        assert!(!cursor.take(102));
        assert_eq!(cursor.floor(), Some(102 - LOOKBACK));
        // Far below the newest: already caught up or given up on.
        assert!(!cursor.take(102 - LOOKBACK));
        assert!(cursor.delivered.len() <= LOOKBACK as usize);
    }
}
