//! The enrolment state machine.
//!
//! Enrolling takes a seat while the session has one (ENROLLED), else joins
//! the waitlist (WAITLISTED). A seat or a waitlist place may be cancelled
//! (CANCELLED); cancelling a seat hands it to the first person waiting. Only
//! a seat holder completes (COMPLETED). CANCELLED and COMPLETED are final.

use super::enums::EnrolmentStatus;

/// Whether an enrolment in `status` holds one of the session's seats.
pub fn holds_seat(status: EnrolmentStatus) -> bool {
    matches!(
        status,
        EnrolmentStatus::Enrolled | EnrolmentStatus::Completed
    )
}

/// The status of a new enrolment when `taken` of `capacity` seats are held.
pub fn status_on_enrol(taken: i64, capacity: i64) -> EnrolmentStatus {
    if taken < capacity {
        EnrolmentStatus::Enrolled
    } else {
        EnrolmentStatus::Waitlisted
    }
}

/// Whether an enrolment may move from `from` to `to`.
pub fn can_transition(from: EnrolmentStatus, to: EnrolmentStatus) -> bool {
    use EnrolmentStatus::{Cancelled, Completed, Enrolled, Waitlisted};
    matches!(
        (from, to),
        (Enrolled | Waitlisted, Cancelled) | (Enrolled, Completed) | (Waitlisted, Enrolled)
    )
}

/// Whether cancelling an enrolment in `status` frees a seat for the waitlist.
pub fn frees_seat(status: EnrolmentStatus) -> bool {
    status == EnrolmentStatus::Enrolled
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrolmentStatus::{Cancelled, Completed, Enrolled, Waitlisted};

    #[test]
    fn a_seat_while_one_is_free_then_the_waitlist() {
        assert_eq!(status_on_enrol(0, 1), Enrolled);
        assert_eq!(status_on_enrol(1, 1), Waitlisted);
        assert_eq!(status_on_enrol(5, 3), Waitlisted);
    }

    #[test]
    fn seats_are_held_by_enrolled_and_completed_people() {
        assert!(holds_seat(Enrolled) && holds_seat(Completed));
        assert!(!holds_seat(Waitlisted) && !holds_seat(Cancelled));
    }

    #[test]
    fn only_seats_and_waitlist_places_cancel_and_only_seats_complete() {
        assert!(can_transition(Enrolled, Cancelled));
        assert!(can_transition(Waitlisted, Cancelled));
        assert!(can_transition(Enrolled, Completed));
        assert!(!can_transition(Waitlisted, Completed));
        assert!(can_transition(Waitlisted, Enrolled));
        for from in [Cancelled, Completed] {
            for &to in EnrolmentStatus::ALL {
                assert!(!can_transition(from, to), "{from} is final");
            }
        }
        assert!(frees_seat(Enrolled) && !frees_seat(Waitlisted));
    }
}
