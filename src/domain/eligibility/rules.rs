//! The evaluation: [`evaluate`] and the rules it applies to each step
//! (rating, track, tenure, status), with the status-only checks that other
//! rules reuse. The words of the gaps and warnings are in
//! [`messages`](super::messages).

use std::cmp::Ordering;

use chrono::{Days, NaiveDate};

use super::event_days::eligible_since;
use super::messages::{
    expiry_warning, pay_warnings, performance_message, push_unique, requirement_gap, skill_gap,
    tenure_message,
};
use super::requirements::{lapsing_certs, requirement_met_on, skill_met_on};
use super::{
    CertFact, EmployeeFacts, Gap, OptionResult, Progression, ReviewFact, StepRules,
    EXPIRY_WARNING_DAYS, STALLED_AFTER_MONTHS,
};
use crate::domain::enums::{EligibilityStatus, GapKind, PromotionTrack};
use crate::domain::money;
use crate::domain::tenure::{add_months, months_between};

/// Tolerance used when comparing a rating against a bar.
const RATING_TOLERANCE: f64 = 1e-9;

/// Evaluates every step for one employee as of `as_of`. Pure: the same
/// arguments always give the same answer, whatever the order of the
/// employee's certifications and reviews.
pub fn evaluate(facts: &EmployeeFacts<'_>, steps: &[StepRules], as_of: NaiveDate) -> Progression {
    let rating = counted_rating(facts.reviews, as_of);
    let months_in_role = months_between(facts.role_since, as_of);
    let options: Vec<OptionResult> = steps
        .iter()
        .map(|step| evaluate_step(facts, step, as_of, rating.as_ref(), months_in_role))
        .collect();

    let earliest_eligible = options
        .iter()
        .filter(|o| o.status == EligibilityStatus::Eligible)
        .filter_map(|o| o.eligible_on)
        .min();
    let eligible = options
        .iter()
        .any(|o| o.status == EligibilityStatus::Eligible);
    let stalled = eligible
        && !facts.has_open_nomination
        && earliest_eligible
            .and_then(|since| add_months(since, STALLED_AFTER_MONTHS))
            .is_some_and(|threshold| as_of > threshold);

    Progression {
        as_of,
        months_of_service: months_between(facts.hired_on, as_of),
        months_in_role,
        rating: rating.map(|r| r.rating),
        options,
        eligible,
        stalled,
    }
}

/// The verdict for one step (see the module documentation, steps 1 to 4).
fn evaluate_step(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    as_of: NaiveDate,
    rating: Option<&CountedRating>,
    months_in_role: u32,
) -> OptionResult {
    let track = rating.map(|r| track_for(step, r.rating));
    let tenure = tenure_on_track(facts, step, track, as_of, months_in_role);
    // PERFORMANCE, then CERTIFICATION, LANGUAGE and SKILL gaps.
    let blocking: Vec<Gap> = performance_gap(step, rating)
        .into_iter()
        .chain(requirement_gaps(facts, step, as_of))
        .collect();

    let (status, eligible_on) = if !blocking.is_empty() {
        (EligibilityStatus::Ineligible, None)
    } else if tenure.gap.is_some() {
        (EligibilityStatus::NotYet, tenure.completes_on)
    } else {
        (
            EligibilityStatus::Eligible,
            Some(eligible_since(facts, step, as_of)),
        )
    };
    let gaps: Vec<Gap> = tenure.gap.into_iter().chain(blocking).collect();

    // The band in the person's own terms (basis, FTE), so that every
    // comparison below is one of annualised full-time equivalents.
    let band = step
        .target_band
        .as_ref()
        .filter(|band| band.currency == facts.currency)
        .and_then(|band| facts.pay.band(band));
    let band = band.as_ref();
    let projected_salary = money::promotion_pay(facts.salary_minor, step.raise_min_bp, band);
    let mut warnings = pay_warnings(facts, step, band, projected_salary);
    if let Some(horizon) = warning_horizon(status, eligible_on, as_of) {
        for warning in expiry_warnings(facts.certifications, step, status, as_of, horizon) {
            push_unique(&mut warnings, warning);
        }
    }

    OptionResult {
        step_id: step.step_id,
        status,
        track,
        eligible_on,
        gaps,
        projected_salary,
        warnings,
    }
}

/// Tenure on a track: the TENURE gap when it is short on the evaluation
/// date, and the day it completes.
struct Tenure {
    gap: Option<Gap>,
    /// `None` without a track, or when it would complete beyond the calendar.
    completes_on: Option<NaiveDate>,
}

fn tenure_on_track(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    track: Option<PromotionTrack>,
    as_of: NaiveDate,
    months_in_role: u32,
) -> Tenure {
    let required_months = required_months(step, track);
    // `None` inside: tenure would complete beyond the calendar, i.e. never.
    let tenure_date = track.map(|_| add_months(facts.role_since, required_months));
    let short = matches!(tenure_date, Some(date) if date.is_none_or(|d| d > as_of));
    let completes_on = tenure_date.flatten();
    let gap = short.then(|| Gap {
        kind: GapKind::Tenure,
        message: tenure_message(required_months, track, months_in_role, completes_on),
    });
    Tenure { gap, completes_on }
}

/// No review on `as_of`, or a rating below the step's minimum.
fn performance_gap(step: &StepRules, rating: Option<&CountedRating>) -> Option<Gap> {
    let short = rating.is_none_or(|r| !meets(r.rating, step.min_rating));
    short.then(|| Gap {
        kind: GapKind::Performance,
        message: performance_message(step, rating),
    })
}

/// A gap for every certification requirement, then every skill
/// requirement, of `step` that is not met on `as_of`.
fn requirement_gaps(facts: &EmployeeFacts<'_>, step: &StepRules, as_of: NaiveDate) -> Vec<Gap> {
    let certs = facts.certifications;
    step.requirements
        .iter()
        .filter(|req| !requirement_met_on(req, certs, as_of))
        .map(|req| requirement_gap(req, certs, as_of))
        .chain(
            step.skill_requirements
                .iter()
                .filter(|req| !skill_met_on(req, facts.skills, as_of))
                .map(|req| skill_gap(req, facts.skills, as_of)),
        )
        .collect()
}

/// Up to which day certificates the step depends on are warned about when
/// they expire: the day a NOT_YET step becomes eligible, or
/// [`EXPIRY_WARNING_DAYS`] after `as_of` for an ELIGIBLE one.
fn warning_horizon(
    status: EligibilityStatus,
    eligible_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    match status {
        EligibilityStatus::NotYet => eligible_on,
        EligibilityStatus::Eligible => Some(
            as_of
                .checked_add_days(Days::new(EXPIRY_WARNING_DAYS))
                .unwrap_or(NaiveDate::MAX),
        ),
        EligibilityStatus::Ineligible => None,
    }
}

/// A warning for each certificate a requirement of `step` depends on that
/// stops counting by `horizon`, requirement by requirement, each
/// requirement's sorted so that they never depend on the order of the input.
fn expiry_warnings(
    certs: &[CertFact],
    step: &StepRules,
    status: EligibilityStatus,
    as_of: NaiveDate,
    horizon: NaiveDate,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for req in &step.requirements {
        let mut expiring: Vec<String> = lapsing_certs(req, certs, as_of, horizon)
            .into_iter()
            .map(|cert| expiry_warning(cert, status, as_of, horizon, step))
            .collect();
        expiring.sort_unstable();
        warnings.extend(expiring);
    }
    warnings
}

/// The rating as of `as_of`: the mean of the last two reviews by period end
/// with `period_end <= as_of`, the only such review's rating, or `None`.
///
/// Reviews with a non-finite rating are ignored. Reviews sharing a period end
/// are ordered by rating, so the answer never depends on input order.
pub fn rating_as_of(reviews: &[ReviewFact], as_of: NaiveDate) -> Option<f64> {
    counted_rating(reviews, as_of).map(|r| r.rating)
}

/// The reviews that make up the rating.
pub(super) struct CountedRating {
    pub(super) rating: f64,
    /// How many reviews were averaged (1 or 2).
    pub(super) reviews: usize,
}

pub(super) fn counted_rating(reviews: &[ReviewFact], as_of: NaiveDate) -> Option<CountedRating> {
    let recency = |a: &ReviewFact, b: &ReviewFact| {
        a.period_end
            .cmp(&b.period_end)
            .then(a.rating.total_cmp(&b.rating))
    };
    let mut last: Option<&ReviewFact> = None;
    let mut second: Option<&ReviewFact> = None;
    for review in reviews
        .iter()
        .filter(|r| r.period_end <= as_of && r.rating.is_finite())
    {
        if last.is_none_or(|l| recency(review, l) == Ordering::Greater) {
            second = last;
            last = Some(review);
        } else if second.is_none_or(|s| recency(review, s) == Ordering::Greater) {
            second = Some(review);
        }
    }
    let last = last?;
    Some(match second {
        Some(second) => CountedRating {
            rating: (last.rating + second.rating) / 2.0,
            reviews: 2,
        },
        None => CountedRating {
            rating: last.rating,
            reviews: 1,
        },
    })
}

/// `rating` reaches `bar`, allowing for float noise.
pub(super) fn meets(rating: f64, bar: f64) -> bool {
    rating >= bar - RATING_TOLERANCE
}

/// The track a rating puts the employee on for `step`.
pub(super) fn track_for(step: &StepRules, rating: f64) -> PromotionTrack {
    if meets(rating, step.top_performer_rating) {
        PromotionTrack::FastTrack
    } else {
        PromotionTrack::Standard
    }
}

/// Months in role `track` needs for `step`.
pub(super) fn required_months(step: &StepRules, track: Option<PromotionTrack>) -> u32 {
    match track {
        Some(PromotionTrack::FastTrack) => step.fast_track_months,
        _ => step.standard_months,
    }
}

/// Whether `step` is ELIGIBLE on `day`: the status alone, exactly as
/// [`evaluate`] decides it, without building gaps or messages and without
/// allocating.
pub(super) fn eligible_on_day(facts: &EmployeeFacts<'_>, step: &StepRules, day: NaiveDate) -> bool {
    let Some(rating) = counted_rating(facts.reviews, day) else {
        return false;
    };
    if !meets(rating.rating, step.min_rating) {
        return false;
    }
    // Tenure first: it is the cheapest check and the one that ends walks.
    let months = required_months(step, Some(track_for(step, rating.rating)));
    add_months(facts.role_since, months).is_some_and(|tenure| tenure <= day)
        && requirements_met(facts, step, day)
}

/// Every certification and skill requirement of `step` is met on `day`.
fn requirements_met(facts: &EmployeeFacts<'_>, step: &StepRules, day: NaiveDate) -> bool {
    step.requirements
        .iter()
        .all(|req| requirement_met_on(req, facts.certifications, day))
        && step
            .skill_requirements
            .iter()
            .all(|req| skill_met_on(req, facts.skills, day))
}

/// Whether something other than tenure keeps `step` from being eligible on
/// `day` (a performance, certification, language or skill gap): exactly
/// when [`evaluate`] says INELIGIBLE, without building the answer.
pub fn blocked_on(facts: &EmployeeFacts<'_>, step: &StepRules, day: NaiveDate) -> bool {
    counted_rating(facts.reviews, day).is_none_or(|r| !meets(r.rating, step.min_rating))
        || !requirements_met(facts, step, day)
}
