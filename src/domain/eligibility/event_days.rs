//! Since when an ELIGIBLE step has been ELIGIBLE: the walk back over the
//! step's event days (see "When an ELIGIBLE step became eligible" in the
//! [module documentation](super)).

use chrono::NaiveDate;

use super::requirements::satisfies;
use super::rules::eligible_on_day;
use super::{CertFact, EmployeeFacts, StepRules};
use crate::domain::enums::CertificationStatus;
use crate::domain::tenure::add_months;

/// The first day of the unbroken run of ELIGIBLE days that ends on `as_of`,
/// for a `step` that is ELIGIBLE on `as_of`.
///
/// The status only changes on the step's [`event_days`], so it is constant
/// from one event day up to the next: walk them from the latest back, and
/// stop at the first one that is not ELIGIBLE. When every one is ELIGIBLE,
/// the stretch before the earliest has the status of `role_since`.
pub(super) fn eligible_since(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    as_of: NaiveDate,
) -> NaiveDate {
    debug_assert!(eligible_on_day(facts, step, as_of));
    let role_since = facts.role_since;
    let days = event_days(facts, step, as_of);

    // ELIGIBLE on [days[0], as_of] since that is the stretch holding `as_of`;
    // each earlier stretch [days[i], days[i - 1]) has the status of days[i].
    let Some((&latest, earlier)) = days.split_first() else {
        return role_since;
    };
    let mut since = latest;
    for &day in earlier {
        if !eligible_on_day(facts, step, day) {
            return since;
        }
        since = day;
    }
    // The first stretch, [role_since, since), has the status of role_since.
    if eligible_on_day(facts, step, role_since) {
        role_since
    } else {
        since
    }
}

/// The days in `(role_since, as_of]` on which `step`'s status can change,
/// latest first, each once: the period end of a review with a finite
/// rating; the issue and expiry date of a VERIFIED certificate some
/// requirement of the step accepts; the date of a counted assessment of a
/// skill the step requires; the day either track's tenure completes.
fn event_days(facts: &EmployeeFacts<'_>, step: &StepRules, as_of: NaiveDate) -> Vec<NaiveDate> {
    let role_since = facts.role_since;
    // Certificates that can never count for this step cannot change its status.
    let relevant = |cert: &&CertFact| {
        cert.status == CertificationStatus::Verified
            && step.requirements.iter().any(|req| satisfies(req, cert))
    };
    let mut days: Vec<NaiveDate> = facts
        .reviews
        .iter()
        .filter(|r| r.rating.is_finite())
        .map(|r| r.period_end)
        .chain(
            facts
                .certifications
                .iter()
                .filter(relevant)
                .flat_map(|c| std::iter::once(c.issued_on).chain(c.expires_on)),
        )
        .chain(
            facts
                .skills
                .iter()
                .filter(|a| {
                    a.source.counts()
                        && step
                            .skill_requirements
                            .iter()
                            .any(|req| req.skill_id == a.skill_id)
                })
                .map(|a| a.assessed_on),
        )
        .chain(
            [step.fast_track_months, step.standard_months]
                .into_iter()
                .filter_map(|months| add_months(role_since, months)),
        )
        .filter(|&day| role_since < day && day <= as_of)
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days
}
