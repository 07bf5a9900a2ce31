//! What of an eligibility answer can be kept as state between writes, and
//! until when it holds (issue 14: a persistent eligibility state).
//!
//! [`evaluate`](super::eligibility::evaluate) depends on the day only
//! through dated facts: review period ends, certificate issue and expiry
//! dates, assessment dates, the tenure dates of each step, and the day an
//! eligible person turns STALLED. Between two such days every answer's
//! status, track, `eligibleOn`, gap kinds, `eligible` and `stalled` stay
//! the same, so a state computed on `asOf` holds until [`next_change`].
//! (Gap messages that count months, and warnings, do change; they are not
//! state.)

use chrono::NaiveDate;

use super::eligibility::{EmployeeFacts, Progression, StepRules, STALLED_AFTER_MONTHS};
use super::enums::{EligibilityStatus, GapKind, PromotionTrack};
use super::tenure::add_months;

/// One step's answer, as state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepState {
    pub step_id: i64,
    pub status: EligibilityStatus,
    pub track: Option<PromotionTrack>,
    pub eligible_on: Option<NaiveDate>,
    pub gap_kinds: Vec<GapKind>,
}

/// One person's answer, as state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonState {
    pub options: Vec<StepState>,
    pub eligible: bool,
    pub stalled: bool,
}

/// The state part of a progression.
pub fn state_of(progression: &Progression) -> PersonState {
    PersonState {
        options: progression
            .options
            .iter()
            .map(|o| StepState {
                step_id: o.step_id,
                status: o.status,
                track: o.track,
                eligible_on: o.eligible_on,
                gap_kinds: o.gaps.iter().map(|g| g.kind).collect(),
            })
            .collect(),
        eligible: progression.eligible,
        stalled: progression.stalled,
    }
}

/// The first day after `progression.as_of` on which the state of
/// [`evaluate`](super::eligibility::evaluate) for the same facts and steps
/// may differ; `None` when no dated fact lies ahead (the state holds until
/// a write).
pub fn next_change(
    facts: &EmployeeFacts<'_>,
    steps: &[StepRules],
    progression: &Progression,
) -> Option<NaiveDate> {
    let as_of = progression.as_of;
    let reviews = facts.reviews.iter().map(|r| Some(r.period_end));
    let certificates = facts
        .certifications
        .iter()
        .flat_map(|c| [Some(c.issued_on), c.expires_on]);
    let assessments = facts.skills.iter().map(|s| Some(s.assessed_on));
    let tenure = steps.iter().flat_map(|step| {
        [
            add_months(facts.role_since, step.fast_track_months),
            add_months(facts.role_since, step.standard_months),
        ]
    });
    // Stalled from the day after eligibility's first day plus six months.
    let stall = (progression.eligible && !facts.has_open_nomination)
        .then(|| {
            progression
                .options
                .iter()
                .filter(|o| o.status == EligibilityStatus::Eligible)
                .filter_map(|o| o.eligible_on)
                .min()
        })
        .flatten()
        .and_then(|since| add_months(since, STALLED_AFTER_MONTHS))
        .and_then(|threshold| threshold.succ_opt());
    reviews
        .chain(certificates)
        .chain(assessments)
        .chain(tenure)
        .chain(std::iter::once(stall))
        .flatten()
        .filter(|day| *day > as_of)
        .min()
}
