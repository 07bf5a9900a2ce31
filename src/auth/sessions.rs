//! Verified tokens kept in this process for a short while, so that a
//! request with a token costs no statement (issue 15).
//!
//! A kept answer is only trusted while this process is told of every change
//! that could make it wrong: on PostgreSQL a listener (`db::notify`) hears
//! the database's notifications, sent by triggers on `login_session`
//! (logout, password change), `employee` (access role, anything `me`
//! shows) and `ladder_version`, from every instance and every script, and
//! empties the cache on each. While the listener is not connected the
//! cache is off (`live` false) and every request reads the database. On
//! SQLite, where no notification exists, every request first reads the
//! database's wal-index header (`db::wal_watch`, a read of 96 bytes, no
//! statement): any commit by anyone since the answers were kept empties
//! them. A mutation run by this process
//! also empties it when it ends, so its own client never waits for the
//! notification to read what it wrote.
//!
//! Races: a reader that verified a token against the database keeps the
//! answer only if no emptying happened since it started reading
//! (`generation`), so an answer read before a revocation can never be put
//! back after it.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::auth::Principal;
use crate::db::entities::employee;
use crate::db::kept::Kept;

/// How long a verified token is kept at most, even without notifications.
pub const TTL: Duration = Duration::from_secs(30);

/// How many tokens are kept at most; beyond that the cache starts over.
pub const CAPACITY: usize = 10_000;

/// Who a live token belongs to (see `services::accounts::authenticate`).
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub employee: employee::Model,
    pub ladder_version: i64,
    /// When the session expires.
    pub expires_at: DateTime<Utc>,
}

/// Verified tokens by digest.
pub struct SessionCache(Kept<String, Authenticated>);

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache(Kept::new(TTL, CAPACITY))
    }
}

impl SessionCache {
    /// The kept answer for a token digest, if the cache is live and the
    /// answer is neither older than [`TTL`] nor past its session's expiry.
    pub fn get(&self, digest: &str, now: DateTime<Utc>) -> Option<Authenticated> {
        self.0.get(digest).filter(|found| found.expires_at > now)
    }

    /// Read before verifying a token against the database; pass it to
    /// [`SessionCache::keep`].
    pub fn generation(&self) -> u64 {
        self.0.generation()
    }

    /// Keeps an answer read from the database since `generation`, unless
    /// the cache was emptied meanwhile (the answer may predate the change)
    /// or is not live.
    pub fn keep(&self, digest: String, found: Authenticated, generation: u64) {
        self.0.keep([(digest, &found)], generation);
    }

    /// Forgets the kept answers of these employees' sessions (their row
    /// changed: access role, name, anything a cached `me` holds).
    pub fn forget_employees(&self, ids: &[i64]) {
        self.0
            .forget_matching(|found| ids.contains(&found.principal.employee_id));
    }

    /// Forgets every kept answer.
    pub fn clear(&self) {
        self.0.clear();
    }

    /// Turns the cache on (the listener hears every change) or off.
    pub fn set_live(&self, live: bool) {
        self.0.set_live(live);
    }

    pub fn is_live(&self) -> bool {
        self.0.is_live()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::AccessRole;

    fn found(expires_at: DateTime<Utc>) -> Authenticated {
        Authenticated {
            principal: Principal {
                employee_id: 1,
                access_role: AccessRole::Hr,
                session_id: 7,
            },
            employee: employee::Model {
                id: 1,
                employee_number: "E1".into(),
                name: "Ana".into(),
                email: "ana@example.com".into(),
                password_hash: None,
                access_role: crate::db::entities::enums::AccessRole::Hr,
                job_role_id: 1,
                manager_id: None,
                site: "Austin".into(),
                market: "US".into(),
                work_arrangement: crate::db::entities::enums::WorkArrangement::Onsite,
                employment_type: crate::db::entities::enums::EmploymentType::FullTime,
                hired_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                role_since: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                salary_minor: 1,
                currency: "USD".into(),
                pay_basis: crate::db::entities::enums::PayBasis::Annual,
                fte_bp: crate::domain::pay_basis::FULL_TIME_BP,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            },
            ladder_version: 1,
            expires_at,
        }
    }

    #[test]
    fn nothing_is_kept_while_the_cache_is_not_live() {
        let cache = SessionCache::default();
        let later = Utc::now() + chrono::Duration::hours(1);
        cache.keep("d".into(), found(later), cache.generation());
        assert!(cache.get("d", Utc::now()).is_none());
        cache.set_live(true);
        cache.keep("d".into(), found(later), cache.generation());
        assert!(cache.get("d", Utc::now()).is_some());
        cache.set_live(false);
        assert!(cache.get("d", Utc::now()).is_none());
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept_after_it() {
        let cache = SessionCache::default();
        cache.set_live(true);
        let before = cache.generation();
        cache.clear();
        cache.keep(
            "d".into(),
            found(Utc::now() + chrono::Duration::hours(1)),
            before,
        );
        assert!(cache.get("d", Utc::now()).is_none());
    }

    #[test]
    fn an_expired_session_is_not_answered() {
        let cache = SessionCache::default();
        cache.set_live(true);
        let expires = Utc::now() + chrono::Duration::seconds(5);
        cache.keep("d".into(), found(expires), cache.generation());
        assert!(cache
            .get("d", expires - chrono::Duration::seconds(1))
            .is_some());
        assert!(cache.get("d", expires).is_none());
    }
}
