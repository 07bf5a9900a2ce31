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
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::entities::{certification, employee};
use crate::db::facts::Facts;
use crate::db::packed::{PackedCertifications, PackedEmployee, PackedFacts};

/// The channel the triggers on the facts' tables notify.
pub const FACTS_CHANNEL: &str = "rungs_facts";

/// How long an employee's facts are kept at most, even without notifications.
pub const TTL: Duration = Duration::from_secs(60);

/// Employees whose facts are kept at most; beyond that the cache starts over.
pub const CAPACITY: usize = 10_000;

/// With `--keep-organisation`: every employee's row, certificates and
/// facts are read into the caches when they go live and again every
/// [`ORGANISATION_REFRESH`]; each value lives [`ORGANISATION_TTL`] at most.
pub const ORGANISATION_TTL: Duration = Duration::from_secs(600);

/// How often `--keep-organisation` reads the whole organisation again.
pub const ORGANISATION_REFRESH: Duration = Duration::from_secs(300);

/// Most employees `--keep-organisation` keeps.
pub const ORGANISATION_CAPACITY: usize = 1_000_000;

/// Employees' facts by employee id.
pub type KeptFacts = Kept<i64, Facts, PackedFacts>;

impl Default for KeptFacts {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

/// Employees' rows (without secrets) by id, for queries' employee loader:
/// emptied on every change to the `employee` table (channel
/// `rungs_auth`, payload `employee`).
pub type KeptEmployees = Kept<i64, employee::Model, PackedEmployee>;

impl Default for KeptEmployees {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

/// Employees' certificates (oldest first, none kept as an empty list) by
/// employee id, for queries' certificate loader: emptied with the facts.
pub type KeptCertifications = Kept<i64, Vec<certification::Model>, PackedCertifications>;

impl Default for KeptCertifications {
    fn default() -> Self {
        Kept::new(TTL, CAPACITY)
    }
}

/// The channel a process notifies itself on after its own mutation, to
/// know when the notifications of that mutation were heard (see
/// [`Settle`]).
pub const SETTLE_CHANNEL: &str = "rungs_settle";

/// After a mutation, its client must read what it wrote at once, but the
/// notifications naming what changed arrive a moment later. Emptying every
/// kept record after each mutation (as this process did) turned them all
/// cold under a normal stream of writes. Instead the process notifies
/// itself on [`SETTLE_CHANNEL`] and waits until its listener hears that:
/// PostgreSQL delivers notifications in commit order, so by then the
/// mutation's own were heard and only what it changed was forgotten.
pub struct Settle {
    /// Tells this process's payloads from other instances'.
    pub instance: u64,
    next: AtomicU64,
    waiting: Mutex<HashMap<u64, tokio::sync::oneshot::Sender<()>>>,
}

impl Default for Settle {
    fn default() -> Self {
        Settle {
            instance: rand::random::<u64>() >> 1,
            next: AtomicU64::new(1),
            waiting: Mutex::new(HashMap::new()),
        }
    }
}

impl Settle {
    /// A new wait: the payload to notify, and what tells it was heard.
    pub fn begin(&self) -> (u64, String, tokio::sync::oneshot::Receiver<()>) {
        let nonce = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(nonce, tx);
        (nonce, format!("{}:{nonce}", self.instance), rx)
    }

    /// Gives up a wait (its notification was not heard in time).
    pub fn abandon(&self, nonce: u64) {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&nonce);
    }

    /// The listener heard `payload`: ends its wait if it is this
    /// process's.
    pub fn heard(&self, payload: &str) {
        let Some((instance, nonce)) = payload.split_once(':') else {
            return;
        };
        if instance.parse::<u64>().ok() != Some(self.instance) {
            return;
        }
        let Ok(nonce) = nonce.parse::<u64>() else {
            return;
        };
        let waiter = self
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&nonce);
        if let Some(waiter) = waiter {
            let _ = waiter.send(());
        }
    }
}

/// The table and the employee ids of a notification's payload:
/// `"<table>:<id>,<id>"`, or `"<table>"` alone when the change touched too
/// many to name (or named none that parse): then `None`, forget them all.
pub fn changed_ids(payload: &str) -> (&str, Option<Vec<i64>>) {
    match payload.split_once(':') {
        None => (payload, None),
        Some((table, ids)) => {
            let ids: Option<Vec<i64>> = ids.split(',').map(|id| id.parse().ok()).collect();
            (table, ids.filter(|ids| !ids.is_empty()))
        }
    }
}

/// How a value is kept: itself, or a compact form of it (`db::packed`).
pub trait Packed<V>: Sized {
    fn pack(value: &V) -> Self;
    /// The value again; `None` for a form that does not decode (then it
    /// counts as not kept).
    fn unpack(&self) -> Option<V>;
}

impl<V: Clone> Packed<V> for V {
    fn pack(value: &V) -> Self {
        value.clone()
    }

    fn unpack(&self) -> Option<V> {
        Some(self.clone())
    }
}

struct Entry<P> {
    value: P,
    /// Milliseconds after the cache's `epoch` (8 bytes, where an `Instant`
    /// takes 16: a kept organisation has 100,000s of entries).
    kept_at: u64,
}

/// What one emptying forgot: everything, or some keys.
enum Forgot<K> {
    All,
    Keys(Vec<K>),
}

/// The kept values and the recent emptyings, under one lock.
struct State<K, P> {
    entries: HashMap<K, Entry<P>>,
    /// The last [`FORGOTTEN_LOG`] emptyings with the generation each one
    /// started: a reader that began before some of them keeps what none
    /// of them forgot.
    log: VecDeque<(u64, Forgot<K>)>,
}

/// Emptyings remembered for readers still reading.
const FORGOTTEN_LOG: usize = 256;

/// Values by key, trusted while live (the session cache, `auth::sessions`,
/// is one too).
pub struct Kept<K, V, P = V> {
    live: AtomicBool,
    generation: AtomicU64,
    state: Mutex<State<K, P>>,
    epoch: Instant,
    _values: std::marker::PhantomData<fn() -> V>,
    /// Time to live in milliseconds and most values kept; atomics, so that
    /// `--keep-organisation` can widen them (see [`Kept::resize`]).
    ttl_ms: AtomicU64,
    capacity: AtomicUsize,
}

impl<K: Eq + Hash + Clone, V, P: Packed<V>> Kept<K, V, P> {
    /// Off until [`Kept::set_live`]; each value kept for at most `ttl`, at
    /// most `capacity` values.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Kept {
            live: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            state: Mutex::new(State {
                entries: HashMap::new(),
                log: VecDeque::new(),
            }),
            ttl_ms: AtomicU64::new(ttl.as_millis() as u64),
            capacity: AtomicUsize::new(capacity),
            epoch: Instant::now(),
            _values: std::marker::PhantomData,
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Whether a value kept at `kept_at` is still alive at `now`.
    fn alive(&self, kept_at: u64, now: u64) -> bool {
        now.saturating_sub(kept_at) < self.ttl_ms.load(Ordering::Acquire)
    }

    /// Makes room for `everyone` values in all at once, so that a kept
    /// organisation's table is allocated once instead of doubling (and
    /// briefly holding both tables) as it fills.
    pub fn reserve(&self, everyone: usize) {
        let capacity = self.capacity.load(Ordering::Acquire);
        let mut state = self.lock();
        // `HashMap::reserve` makes room for `len + n`: ask only for what is
        // missing, so that a refresh (everyone kept already) grows nothing.
        let wanted = everyone.min(capacity);
        let room = wanted.saturating_sub(state.entries.len());
        state.entries.reserve(room);
    }

    /// Keeps each value for at most `ttl`, and at most `capacity` values.
    pub fn resize(&self, ttl: Duration, capacity: usize) {
        self.ttl_ms.store(ttl.as_millis() as u64, Ordering::Release);
        self.capacity.store(capacity, Ordering::Release);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<K, P>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
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
        let now = self.now();
        let state = self.lock();
        let entry = state.entries.get(key)?;
        if !self.alive(entry.kept_at, now) {
            return None;
        }
        entry.value.unpack()
    }

    /// The kept values among `keys` (none while the cache is not live), and
    /// the keys to read from the database.
    pub fn get_many(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>) {
        if !self.live.load(Ordering::Acquire) {
            return (HashMap::new(), keys.to_vec());
        }
        let now = self.now();
        let state = self.lock();
        let mut found = HashMap::with_capacity(keys.len());
        let mut missing = Vec::new();
        for key in keys {
            let value = match state.entries.get(key) {
                Some(entry) if self.alive(entry.kept_at, now) => entry.value.unpack(),
                _ => None,
            };
            match value {
                Some(value) => {
                    found.insert(key.clone(), value);
                }
                None => missing.push(key.clone()),
            }
        }
        (found, missing)
    }

    /// Read before reading the database; pass it to [`Kept::keep`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps values read from the database since `generation`, except
    /// those an emptying since then forgot (they may predate the change):
    /// none after a whole emptying, or when the cache is not live.
    pub fn keep<'a>(&self, values: impl IntoIterator<Item = (K, &'a V)>, generation: u64)
    where
        V: 'a,
    {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        // Packed before taking the lock, which readers wait for.
        let values: Vec<(K, P)> = values.into_iter().map(|(k, v)| (k, P::pack(v))).collect();
        let mut state = self.lock();
        // Compared under the lock the emptyings take too.
        let now_generation = self.generation.load(Ordering::Acquire);
        let mut forgotten: std::collections::HashSet<K> = std::collections::HashSet::new();
        if now_generation != generation {
            // Every emptying since `generation` must still be in the log.
            match state.log.front() {
                Some((first, _)) if *first <= generation + 1 => {}
                _ => return,
            }
            for (at, forgot) in &state.log {
                if *at <= generation {
                    continue;
                }
                match forgot {
                    Forgot::All => return,
                    Forgot::Keys(keys) => forgotten.extend(keys.iter().cloned()),
                }
            }
        }
        let now = self.now();
        let capacity = self.capacity.load(Ordering::Acquire);
        for (key, value) in values {
            if forgotten.contains(&key) {
                continue;
            }
            if state.entries.len() >= capacity {
                state.entries.clear();
            }
            state.entries.insert(
                key,
                Entry {
                    value,
                    kept_at: now,
                },
            );
        }
    }

    /// Records an emptying (under the lock): the generation moves on, so
    /// readers that started before it keep only what it did not forget.
    fn note(&self, state: &mut State<K, P>, forgot: Forgot<K>) {
        let at = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if state.log.len() >= FORGOTTEN_LOG {
            state.log.pop_front();
        }
        state.log.push_back((at, forgot));
    }

    /// Forgets every kept value.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.entries.clear();
        self.note(&mut state, Forgot::All);
    }

    /// Forgets the values of `keys` only (a notification named them).
    pub fn forget(&self, keys: &[K]) {
        let mut state = self.lock();
        for key in keys {
            state.entries.remove(key);
        }
        self.note(&mut state, Forgot::Keys(keys.to_vec()));
    }

    /// Forgets the values `matching` says; readers in flight keep nothing
    /// (which of their keys match is not known before they are read).
    pub fn forget_matching(&self, matching: impl Fn(&P) -> bool) {
        let mut state = self.lock();
        state.entries.retain(|_, entry| !matching(&entry.value));
        self.note(&mut state, Forgot::All);
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
        self.lock().entries.len()
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

    #[test]
    fn a_reader_keeps_what_a_later_forgetting_of_other_keys_left_alone() {
        let kept = Kept::<i64, String>::new(TTL, CAPACITY);
        kept.set_live(true);
        let before = kept.generation();
        kept.forget(&[2]);
        kept.keep([(1, &"one".to_owned()), (2, &"old two".to_owned())], before);
        let (found, missing) = kept.get_many(&[1, 2]);
        assert_eq!(found.get(&1).map(String::as_str), Some("one"));
        assert_eq!(missing, vec![2]);
    }

    #[test]
    fn forgetting_some_keys_leaves_the_others_kept() {
        let kept = Kept::<i64, String>::new(TTL, CAPACITY);
        kept.set_live(true);
        let values = [(1, "a".to_owned()), (2, "b".to_owned())];
        kept.keep(values.iter().map(|(k, v)| (*k, v)), kept.generation());
        kept.forget(&[1]);
        let (found, missing) = kept.get_many(&[1, 2]);
        assert_eq!(found.len(), 1);
        assert_eq!(missing, vec![1]);
        kept.forget_matching(|v| v == "b");
        assert!(kept.is_empty());
    }

    #[test]
    fn a_reader_older_than_the_remembered_emptyings_keeps_nothing() {
        let kept = Kept::<i64, String>::new(TTL, CAPACITY);
        kept.set_live(true);
        let before = kept.generation();
        for key in 0..(FORGOTTEN_LOG as i64 + 1) {
            kept.forget(&[1000 + key]);
        }
        kept.keep([(1, &"a".to_owned())], before);
        assert!(kept.is_empty());
        let before = kept.generation();
        kept.forget(&[7]);
        kept.clear();
        kept.keep([(1, &"a".to_owned())], before);
        assert!(kept.is_empty());
    }

    #[test]
    fn reserving_everyone_again_grows_nothing() {
        let kept = Kept::<i64, i64>::new(TTL, CAPACITY);
        kept.set_live(true);
        kept.reserve(1_000);
        let first = kept.lock().entries.capacity();
        let values: Vec<(i64, i64)> = (0..1_000).map(|k| (k, k)).collect();
        kept.keep(values.iter().map(|(k, v)| (*k, v)), kept.generation());
        kept.reserve(1_000);
        assert_eq!(kept.lock().entries.capacity(), first);
    }

    #[test]
    fn payloads_name_a_table_and_maybe_ids() {
        assert_eq!(changed_ids("employee"), ("employee", None));
        assert_eq!(
            changed_ids("employee:3,14"),
            ("employee", Some(vec![3, 14]))
        );
        assert_eq!(changed_ids("certification:3,x"), ("certification", None));
    }

    #[test]
    fn a_wait_ends_only_on_its_own_payload() {
        let settle = Settle::default();
        let (_, payload, mut rx) = settle.begin();
        settle.heard("1:1");
        settle.heard(&format!("{}:999", settle.instance));
        assert!(rx.try_recv().is_err());
        settle.heard(&payload);
        assert!(rx.try_recv().is_ok());
    }
}
