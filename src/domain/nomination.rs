//! The nomination state machine.
//!
//! A nomination starts PENDING and is decided exactly once: HR approves or
//! rejects it, or the nominator (or HR) withdraws it. APPROVED, REJECTED and
//! WITHDRAWN are final.

use super::enums::NominationStatus;

/// Whether a nomination may move from `from` to `to`: only
/// PENDING -> APPROVED | REJECTED | WITHDRAWN.
pub fn can_transition(from: NominationStatus, to: NominationStatus) -> bool {
    use NominationStatus::{Approved, Pending, Rejected, Withdrawn};
    matches!((from, to), (Pending, Approved | Rejected | Withdrawn))
}

/// Whether a nomination in `status` is still open (counts as the nominee's one
/// open nomination).
pub fn is_open(status: NominationStatus) -> bool {
    status == NominationStatus::Pending
}

#[cfg(test)]
mod tests {
    use super::*;
    use NominationStatus::{Approved, Pending, Rejected, Withdrawn};

    #[test]
    fn a_pending_nomination_can_be_approved_rejected_or_withdrawn() {
        assert!(can_transition(Pending, Approved));
        assert!(can_transition(Pending, Rejected));
        assert!(can_transition(Pending, Withdrawn));
    }

    #[test]
    fn a_pending_nomination_cannot_stay_pending() {
        assert!(!can_transition(Pending, Pending));
    }

    #[test]
    fn decided_nominations_are_final() {
        for &from in &[Approved, Rejected, Withdrawn] {
            for &to in NominationStatus::ALL {
                assert!(!can_transition(from, to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn exactly_three_transitions_exist() {
        let count = NominationStatus::ALL
            .iter()
            .flat_map(|&from| NominationStatus::ALL.iter().map(move |&to| (from, to)))
            .filter(|&(from, to)| can_transition(from, to))
            .count();
        assert_eq!(count, 3);
    }

    #[test]
    fn only_pending_nominations_are_open() {
        assert!(is_open(Pending));
        assert!(!is_open(Approved));
        assert!(!is_open(Rejected));
        assert!(!is_open(Withdrawn));
    }
}
