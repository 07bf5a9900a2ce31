//! Counts per key held by guards: a guard counts one for its key until it
//! is dropped. The event bus counts subscribers' login sessions with it,
//! and `/graphql/ws` each person's open sockets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Counts per key. Cloning shares the counts.
#[derive(Clone, Default)]
pub struct Tally(Arc<Mutex<HashMap<i64, usize>>>);

impl Tally {
    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<i64, usize>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One more for `key`, unless it already counts `max`.
    pub fn try_hold(&self, key: i64, max: usize) -> Option<Held> {
        let mut counts = self.counts();
        let count = counts.entry(key).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Held {
            tally: self.clone(),
            key,
        })
    }

    /// One more for `key`.
    pub fn hold(&self, key: i64) -> Held {
        *self.counts().entry(key).or_default() += 1;
        Held {
            tally: self.clone(),
            key,
        }
    }

    /// The keys counted now.
    pub fn keys(&self) -> Vec<i64> {
        self.counts().keys().copied().collect()
    }
}

/// One count for a key, given back when dropped.
pub struct Held {
    tally: Tally,
    key: i64,
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut counts = self.tally.counts();
        if let Some(count) = counts.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_counts_at_most_max_and_gets_its_counts_back() {
        let tally = Tally::default();
        let first = tally.try_hold(1, 2).expect("first");
        let _second = tally.try_hold(1, 2).expect("second");
        assert!(tally.try_hold(1, 2).is_none());
        assert!(
            tally.try_hold(2, 2).is_some(),
            "other keys are not affected"
        );
        drop(first);
        assert!(tally.try_hold(1, 2).is_some());
    }

    #[test]
    fn a_key_stays_while_a_guard_lives() {
        let tally = Tally::default();
        let first = tally.hold(7);
        let second = tally.hold(7);
        assert_eq!(tally.keys(), vec![7]);
        drop(first);
        assert_eq!(tally.keys(), vec![7]);
        drop(second);
        assert!(tally.keys().is_empty());
    }
}
