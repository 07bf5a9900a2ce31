//! Records kept in this process between requests, trusted only while the
//! database tells this process of every change to them (issue 15).
//!
//! `me { progression }` is what every employee's home page asks, again and
//! again, for the same person; with the token already verified from the
//! session cache, reading that person's facts (certificates, reviews, skill
//! assessments, an open nomination) was the request's only statement. The
//! facts are now kept per employee, by the same rules as the session cache
//! (`auth::sessions`):
//!
//! - On PostgreSQL statement triggers (migration
//!   `m20261204_000011_facts_notify`) notify channel [`FACTS_CHANNEL`] on
//!   every change to those tables, whoever makes it; the listener
//!   (`db::notify`) empties the cache on each. While the listener is not
//!   subscribed the cache is off and every read goes to the database, as on
//!   SQLite, where no notification exists.
//! - Only queries read and fill it. A mutation's own answer, and a
//!   subscription's events, read the database: the notification of the write
//!   they follow may not have arrived yet. Every mutation this process runs
//!   empties the cache when it ends (`graphql::AppSchema`), so its client
//!   reads what it wrote at once, without waiting for the notification.
//! - A reader keeps what it read only if no emptying happened since it
//!   started reading (`generation`), so facts read before a change are never
//!   put back after it.
//! - At most [`CAPACITY`] employees and [`TTL`] per record.
//!
//! [`Kept`] is the one such cache: the session cache is one too.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::entities::{certification, employee};
use crate::db::facts::Facts;

/// The channel the triggers on the facts' tables notify.
pub const FACTS_CHANNEL: &str = "rungs_facts";

/// How long an employee's facts are kept at most, even without notifications.
pub const TTL: Duration = Duration::from_secs(60);

/// Employees whose facts are kept at most; beyond that the cache starts over.
pub const CAPACITY: usize = 10_000;

/// Employees' facts by employee id.
pub type KeptFacts = Kept<i64, Facts>;

impl Default for KeptFacts {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

/// Employees' rows (without secrets) by id, for queries' employee loader:
/// emptied on every change to the `employee` table (channel
/// `rungs_auth`, payload `employee`).
pub type KeptEmployees = Kept<i64, employee::Model>;

impl Default for KeptEmployees {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

/// Employees' certificates (oldest first, none kept as an empty list) by
/// employee id, for queries' certificate loader: emptied with the facts.
pub type KeptCertifications = Kept<i64, Vec<certification::Model>>;

impl Default for KeptCertifications {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

struct Entry<V> {
    value: V,
    kept_at: Instant,
}

/// Values by key, trusted while live (the session cache, `auth::sessions`,
/// is one too).
pub struct Kept<K, V> {
    live: AtomicBool,
    generation: AtomicU64,
    entries: Mutex<HashMap<K, Entry<V>>>,
    ttl: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Kept<K, V> {
    /// Off until [`Kept::set_live`]; each value kept for at most `ttl`, at
    /// most `capacity` values.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Kept {
            live: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    /// The kept value of `key`, if the cache is live and the value younger
    /// than its time to live.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        (entry.kept_at.elapsed() < self.ttl).then(|| entry.value.clone())
    }

    /// The kept values among `keys` (none while the cache is not live), and
    /// the keys to read from the database.
    pub fn get_many(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>) {
        if !self.live.load(Ordering::Acquire) {
            return (HashMap::new(), keys.to_vec());
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut found = HashMap::with_capacity(keys.len());
        let mut missing = Vec::new();
        for key in keys {
            match entries.get(key) {
                Some(entry) if entry.kept_at.elapsed() < self.ttl => {
                    found.insert(key.clone(), entry.value.clone());
                }
                _ => missing.push(key.clone()),
            }
        }
        (found, missing)
    }

    /// Read before reading the database; pass it to [`Kept::keep`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps values read from the database since `generation`, unless the
    /// cache was emptied meanwhile (they may predate the change) or is not
    /// live.
    pub fn keep<'a>(&self, values: impl IntoIterator<Item = (K, &'a V)>, generation: u64)
    where
        V: 'a,
    {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Compared under the lock `clear` takes too.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        let now = Instant::now();
        for (key, value) in values {
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(
                key,
                Entry {
                    value: value.clone(),
                    kept_at: now,
                },
            );
        }
    }

    /// Forgets every kept value.
    pub fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// Turns the cache on (the listener hears every change) or off.
    pub fn set_live(&self, live: bool) {
        self.clear();
        self.live.store(live, Ordering::Release);
    }

    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// Values kept now.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_kept_or_answered_while_the_cache_is_not_live() {
        let kept = Kept::<i64, String>::new(TTL, CAPACITY);
        kept.keep([(1, &"a".to_owned())], kept.generation());
        assert_eq!(kept.get_many(&[1]).1, vec![1]);
        kept.set_live(true);
        kept.keep([(1, &"a".to_owned())], kept.generation());
        let (found, missing) = kept.get_many(&[1, 2]);
        assert_eq!(found.get(&1).map(String::as_str), Some("a"));
        assert_eq!(missing, vec![2]);
        kept.set_live(false);
        assert_eq!(kept.get_many(&[1]).1, vec![1]);
    }

    #[test]
    fn values_read_before_a_change_are_not_kept_after_it() {
        let kept = Kept::<i64, String>::new(TTL, CAPACITY);
        kept.set_live(true);
        let before = kept.generation();
        kept.clear();
        kept.keep([(1, &"old".to_owned())], before);
        assert!(kept.is_empty());
    }

    #[test]
    fn the_cache_never_holds_more_than_its_capacity() {
        let kept = Kept::<i64, i64>::new(TTL, CAPACITY);
        kept.set_live(true);
        let values: Vec<(i64, i64)> = (0..(CAPACITY as i64 + 10)).map(|k| (k, k)).collect();
        kept.keep(values.iter().map(|(k, v)| (*k, v)), kept.generation());
        assert!(kept.len() <= CAPACITY);
        assert!(!kept.is_empty());
    }
}
