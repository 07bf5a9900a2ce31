//! The event bus: services publish what changed after their transaction
//! commits, and GraphQL subscriptions (`nominationChanged`) listen.
//!
//! On SQLite (one process) the bus is in-process: [`EventBus::publish`]
//! hands the event to this process's subscribers at once. On PostgreSQL
//! the bus is fed by the database instead ([`EventBus::feed_from_database`]):
//! a committed audit row about a nomination notifies every instance, whose
//! listener re-reads the nomination and [`EventBus::deliver`]s it (see
//! `db::notify`). Services publish the same way on both; on PostgreSQL
//! their `publish` does nothing, so a subscriber hears of a decision once,
//! whichever instance made it.
//!
//! Publishing never blocks and never fails the request: with nobody
//! listening the event is dropped, and a subscriber that falls more than
//! `CAPACITY` events behind skips the oldest ones (its page refreshes on the
//! next event anyway).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::{broadcast, OnceCell};

use crate::db::entities::{application, nomination};
use crate::tally::{Held, Tally};

/// Events a slow subscriber may fall behind before it skips some.
pub const CAPACITY: usize = 256;

/// Something that changed, as committed.
#[derive(Debug, Clone)]
pub enum Event {
    /// A nomination was created or decided (approved, rejected, withdrawn):
    /// the row as it stands after the commit.
    NominationChanged(nomination::Model),
    /// An application was made, moved, withdrawn, accepted or rejected (one
    /// by one, or with the rest when its opening closed or filled).
    ApplicationChanged(ApplicationChange),
}

/// An application as committed, with who manages its opening (who may see
/// it besides the applicant).
#[derive(Debug, Clone)]
pub struct ApplicationChange {
    pub application: application::Model,
    pub posted_by_id: i64,
    pub hiring_manager_id: i64,
}

/// An event as subscribers receive it, with room for what they work out
/// about it once for all of them (its audience: see
/// `graphql::subscription`).
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    pub audience: OnceCell<Arc<crate::db::audience::Audience>>,
}

/// The bus. Cloning shares the channel.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<Published>>,
    sessions: Tally,
    /// Set when the database's notifications feed the bus (PostgreSQL).
    from_database: Arc<AtomicBool>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        EventBus {
            sender,
            sessions: Tally::default(),
            from_database: Arc::new(AtomicBool::new(false)),
        }
    }

    /// From now on, events reach subscribers only through [`Self::deliver`]
    /// (the database's notifications), and [`Self::publish`] does nothing.
    pub fn feed_from_database(&self) {
        self.from_database.store(true, Ordering::Release);
    }

    /// Whether the database feeds the bus.
    pub fn fed_from_database(&self) -> bool {
        self.from_database.load(Ordering::Acquire)
    }

    /// Publishes a committed change made by this process: to everyone
    /// subscribed right now, unless the database feeds the bus (then the
    /// change arrives through [`Self::deliver`] like everyone else's).
    pub fn publish(&self, event: Event) {
        if !self.fed_from_database() {
            self.deliver(event);
        }
    }

    /// Hands a committed change to everyone subscribed right now.
    pub fn deliver(&self, event: Event) {
        // An error only means that nobody is listening.
        let _ = self.sender.send(Arc::new(Published {
            event,
            audience: OnceCell::new(),
        }));
    }

    /// Every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.sender.subscribe()
    }

    /// How many subscribers are listening (for tests and diagnostics).
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Registers a subscriber's login session until the guard is dropped,
    /// so that each event checks every subscriber's session in one
    /// statement.
    pub fn register_session(&self, session_id: i64) -> SessionGuard {
        self.sessions.hold(session_id)
    }

    /// The login sessions that subscribers hold now.
    pub fn sessions(&self) -> Vec<i64> {
        self.sessions.keys()
    }
}

/// Keeps a session registered with the bus while it lives.
pub type SessionGuard = Held;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn sample(id: i64) -> nomination::Model {
        nomination::Model {
            id,
            nominee_id: 1,
            nominated_by_id: 2,
            step_id: 1,
            target_role_id: 2,
            status: crate::db::entities::enums::NominationStatus::Pending,
            justification: "ready".into(),
            is_override: false,
            override_reason: None,
            created_at: Utc::now(),
            decided_at: None,
            decided_by_id: None,
            decision_reason: None,
            raise_bp: None,
            new_salary_minor: None,
            currency: None,
            effective_on: None,
        }
    }

    #[tokio::test]
    async fn subscribers_get_what_is_published_after_they_subscribe() {
        let bus = EventBus::new();
        bus.publish(Event::NominationChanged(sample(1)));
        let mut first = bus.subscribe();
        let mut second = bus.subscribe();
        assert_eq!(bus.subscribers(), 2);
        bus.publish(Event::NominationChanged(sample(2)));
        for receiver in [&mut first, &mut second] {
            let published = receiver.recv().await.expect("event");
            let Event::NominationChanged(n) = &published.event else {
                panic!("a nomination event")
            };
            assert_eq!(n.id, 2);
        }
    }

    #[tokio::test]
    async fn a_bus_fed_by_the_database_ignores_publish_and_delivers() {
        let bus = EventBus::new();
        bus.feed_from_database();
        let mut receiver = bus.subscribe();
        bus.publish(Event::NominationChanged(sample(4)));
        bus.deliver(Event::NominationChanged(sample(5)));
        let published = receiver.recv().await.expect("event");
        let Event::NominationChanged(n) = &published.event else {
            panic!("a nomination event")
        };
        assert_eq!(n.id, 5);
        assert!(receiver.try_recv().is_err());
    }

    #[test]
    fn publishing_with_nobody_listening_is_fine() {
        EventBus::new().publish(Event::NominationChanged(sample(3)));
    }
}
