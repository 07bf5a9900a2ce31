//! Internal mobility (issue 21), the pure part: what an application may
//! become and who moves it, how an opening fills, who may apply, how
//! applicants rank, succession readiness, the 9-box's performance axis,
//! bench strength, and pay on a move.
//!
//! - **Applications** go APPLIED → SHORTLISTED → OFFERED → ACCEPTED. The
//!   hiring side (the opening's hiring manager, who posted it, or HR)
//!   shortlists, offers and rejects (APPLIED, SHORTLISTED, and OFFERED,
//!   which rescinds the offer); the applicant withdraws at any step before
//!   the end, declines an offer or accepts it. ACCEPTED, DECLINED, REJECTED
//!   and WITHDRAWN are final. A move the other side makes is refused as
//!   not yours (FORBIDDEN); a move nobody makes from the current state is
//!   refused as not from here (a conflict with the application's state).
//! - **Openings** take applications while OPEN, up to and including their
//!   closing day. Each accepted offer fills one seat; the seat that
//!   reaches the number of seats makes the opening FILLED, and an opening
//!   with no seat left fills none.
//! - **Applying** needs the person's standing for the opening's role to be
//!   ELIGIBLE. An opening may also let NOT_YET people apply when their
//!   `eligibleOn` is at most N days away (`eligibleOn <= asOf + N days`,
//!   so from `eligibleOn − N days` on). INELIGIBLE people never apply:
//!   there is no date until their gaps are closed.
//! - **Ranking**: ELIGIBLE first, then NOT_YET by the earliest
//!   `eligibleOn`, then INELIGIBLE by the fewest gaps; ties by longer
//!   service, then higher rating (no rating last), then the smaller
//!   application id (the older application). A total order: the same
//!   applicants always rank alike, in any order they are read.
//! - **Readiness** of a successor, as Rungs suggests it: ELIGIBLE is
//!   READY_NOW; NOT_YET with `eligibleOn` at most 24 calendar months after
//!   `asOf` (months as in [`tenure`](crate::domain::tenure): the same day
//!   of the month, clamped to the month's last day) is ONE_TO_TWO_YEARS;
//!   later, or INELIGIBLE, is THREE_PLUS_YEARS. An INELIGIBLE person whose
//!   development plan dates their eligibility within those 24 months may
//!   be counted ONE_TO_TWO_YEARS too ([`readiness_with_plan`]). A manager
//!   or HR confirms or changes the suggestion.
//! - **9-box, performance axis**: the mean rating of the last two reviews,
//!   in hundredths: 4.00 and above is HIGH, 3.00 and above MEDIUM (the
//!   ladder's seeded top-performer and minimum ratings), below LOW; no
//!   rating, no cell. Potential is a manager's assessment, not computed.
//! - **Bench strength** per site: the Team Lead seats the site needs come
//!   from [`staffing::team_leads_needed`](crate::domain::staffing::team_leads_needed)
//!   (one per 15 CSRs at least, `needed_at_most_15`; one per 10
//!   comfortably, `needed_at_10`), and the caller says which of the two it
//!   reports. The open seats are those needed beyond the Team Leads there
//!   are (never below 0). A site must be able to fill its next two
//!   openings: whichever is larger of its open seats and 2. The shortfall
//!   is how many READY_NOW successors that leaves missing (never below 0),
//!   and the site is at risk when the shortfall is above 0.
//! - **Pay on a move**, compared in the same terms as the target band
//!   (annualised full-time when bases differ, `pay_basis`): a PROMOTION
//!   step follows the promotion rule of
//!   [`money::promotion_pay`](crate::domain::money::promotion_pay) (a raise
//!   of the step's percentage, 20 % by default, rounded half away from
//!   zero to the minor unit, then raised to the band minimum or capped at
//!   its maximum); a LATERAL step gives no raise: the pay is only brought
//!   into the band (raised to its minimum, capped at its maximum). With no
//!   band in the person's currency, nothing is clamped.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Days, NaiveDate};

use crate::domain::money::{self, Band};
use crate::domain::tenure;
use crate::domain::words;

wire_enum! {
    /// Where an application stands.
    ApplicationStatus {
        Applied => "APPLIED",
        Shortlisted => "SHORTLISTED",
        Offered => "OFFERED",
        Accepted => "ACCEPTED",
        Declined => "DECLINED",
        Rejected => "REJECTED",
        Withdrawn => "WITHDRAWN",
    }
}

wire_enum! {
    /// Whether an opening takes applications.
    OpeningStatus {
        Open => "OPEN",
        /// Every seat is filled.
        Filled => "FILLED",
        /// Closed by its poster or HR (or past its closing day).
        Closed => "CLOSED",
    }
}

wire_enum! {
    /// What a ladder step is: a step up (with a raise) or a move across
    /// (pay stays inside the target band).
    StepKind {
        Promotion => "PROMOTION",
        Lateral => "LATERAL",
    }
}

wire_enum! {
    /// How soon a successor could take a seat.
    Readiness {
        ReadyNow => "READY_NOW",
        OneToTwoYears => "ONE_TO_TWO_YEARS",
        ThreePlusYears => "THREE_PLUS_YEARS",
    }
}

wire_enum! {
    /// A 9-box level (performance or potential); declaration order is the
    /// rank (LOW lowest).
    PotentialLevel {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
    }
}

impl ApplicationStatus {
    /// Nothing moves it any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted
                | ApplicationStatus::Declined
                | ApplicationStatus::Rejected
                | ApplicationStatus::Withdrawn
        )
    }

    /// "This application {state}".
    fn state_words(self) -> &'static str {
        match self {
            ApplicationStatus::Applied => "is new",
            ApplicationStatus::Shortlisted => "is shortlisted",
            ApplicationStatus::Offered => "has an open offer",
            ApplicationStatus::Accepted => "has an accepted offer",
            ApplicationStatus::Declined => "has a declined offer",
            ApplicationStatus::Rejected => "was rejected",
            ApplicationStatus::Withdrawn => "was withdrawn",
        }
    }

    /// "nobody can {move} now": the move that leads to this state.
    fn move_words(self) -> &'static str {
        match self {
            ApplicationStatus::Applied => "send it back to the start",
            ApplicationStatus::Shortlisted => "shortlist it",
            ApplicationStatus::Offered => "make an offer",
            ApplicationStatus::Accepted => "accept an offer",
            ApplicationStatus::Declined => "decline an offer",
            ApplicationStatus::Rejected => "reject it",
            ApplicationStatus::Withdrawn => "withdraw it",
        }
    }
}

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person who applied.
    Applicant,
    /// The opening's hiring manager, who posted it, or HR.
    Hiring,
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The move exists, but it is the other side's (FORBIDDEN).
    NotYours {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    /// No one moves an application from `from` to `to` (a conflict with
    /// the application's state).
    NotFromHere {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
}

impl Refusal {
    /// In words for people (no enum names).
    pub fn message(&self) -> String {
        match *self {
            Refusal::NotYours { from, to } => format!(
                "only {} can {}",
                match allowed(from, to) {
                    Some(Actor::Applicant) => "the applicant",
                    _ => "the hiring manager or HR",
                },
                to.move_words()
            ),
            Refusal::NotFromHere { from, to } if from == to => {
                format!("this application {} already", from.state_words())
            }
            Refusal::NotFromHere { from, to } => format!(
                "this application {}: nobody can {} now",
                from.state_words(),
                to.move_words()
            ),
        }
    }
}

/// Who may move an application from `from` to `to`, if anyone.
fn allowed(from: ApplicationStatus, to: ApplicationStatus) -> Option<Actor> {
    use ApplicationStatus::{
        Accepted, Applied, Declined, Offered, Rejected, Shortlisted, Withdrawn,
    };
    match (from, to) {
        (Applied, Shortlisted | Rejected) => Some(Actor::Hiring),
        (Shortlisted, Offered | Rejected) => Some(Actor::Hiring),
        (Offered, Rejected) => Some(Actor::Hiring),
        (Applied | Shortlisted | Offered, Withdrawn) => Some(Actor::Applicant),
        (Offered, Declined | Accepted) => Some(Actor::Applicant),
        _ => None,
    }
}

/// Whether `actor` may move an application from `from` to `to`.
pub fn transition(
    from: ApplicationStatus,
    to: ApplicationStatus,
    actor: Actor,
) -> Result<(), Refusal> {
    match allowed(from, to) {
        Some(who) if who == actor => Ok(()),
        Some(_) => Err(Refusal::NotYours { from, to }),
        None => Err(Refusal::NotFromHere { from, to }),
    }
}

/// One more seat filled of `seats` when `filled` are: the new count and
/// the opening's status (FILLED on the last seat, else OPEN). `None` when
/// no seat is left.
pub fn after_fill(seats: i64, filled: i64) -> Option<(i64, OpeningStatus)> {
    if filled >= seats {
        return None;
    }
    // filled < seats <= i64::MAX, so this cannot overflow.
    let now = filled + 1;
    let status = if now >= seats {
        OpeningStatus::Filled
    } else {
        OpeningStatus::Open
    };
    Some((now, status))
}

/// An opening takes applications while OPEN, up to its closing day
/// included.
pub fn accepts_applications(status: OpeningStatus, closes_on: NaiveDate, as_of: NaiveDate) -> bool {
    status == OpeningStatus::Open && as_of <= closes_on
}

/// Where a person stands for an opening's role, from the eligibility
/// engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Eligible,
    /// Only tenure is missing; eligible from `eligible_on`.
    NotYet {
        eligible_on: NaiveDate,
    },
    /// Something besides tenure is missing (or no step leads there).
    Ineligible {
        gaps: usize,
    },
}

impl Standing {
    /// The engine's verdict on the step towards the role (`None`: no step
    /// leads there, one gap) in the shape of these rules.
    pub fn of(option: Option<&crate::domain::eligibility::OptionResult>) -> Standing {
        use crate::domain::enums::EligibilityStatus;
        match option {
            Some(o) if o.status == EligibilityStatus::Eligible => Standing::Eligible,
            Some(o) if o.status == EligibilityStatus::NotYet => match o.eligible_on {
                Some(eligible_on) => Standing::NotYet { eligible_on },
                None => Standing::Ineligible { gaps: o.gaps.len() },
            },
            Some(o) => Standing::Ineligible { gaps: o.gaps.len() },
            None => Standing::Ineligible { gaps: 1 },
        }
    }
}

/// Why someone may not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyRefusal {
    /// NOT_YET, and the opening takes no NOT_YET applicants.
    NotYetEligible { eligible_on: NaiveDate },
    /// NOT_YET, beyond the opening's window of `window_days`: they may
    /// apply from `from`.
    TooEarly {
        eligible_on: NaiveDate,
        window_days: u32,
        from: NaiveDate,
    },
    /// INELIGIBLE: `gaps` things besides tenure are missing.
    Ineligible { gaps: usize },
}

impl ApplyRefusal {
    /// In words for people: from when they could apply (no ISO dates).
    pub fn message(&self) -> String {
        match *self {
            ApplyRefusal::NotYetEligible { eligible_on } => format!(
                "you are eligible for this role from {day}; this opening takes only people \
                 who are eligible already, so you can apply from {day}",
                day = words::date(eligible_on)
            ),
            ApplyRefusal::TooEarly {
                eligible_on,
                window_days,
                from,
            } => format!(
                "you are eligible for this role from {}; this opening takes people up to {} \
                 before that, so you can apply from {}",
                words::date(eligible_on),
                days(window_days),
                words::date(from)
            ),
            ApplyRefusal::Ineligible { gaps } => {
                let missing = match gaps {
                    0 => "something is".to_owned(),
                    1 => "1 requirement is".to_owned(),
                    n => format!("{n} requirements are"),
                };
                format!(
                    "you are not eligible for this role: {missing} missing besides time in role \
                     (the gaps say what), so you can apply once {} closed",
                    if gaps > 1 { "they are" } else { "it is" }
                )
            }
        }
    }
}

/// "1 day", "3 days".
fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// Whether someone standing so may apply on `as_of`, to an opening that
/// lets NOT_YET people apply `not_yet_window_days` before their
/// `eligibleOn` (`None`: ELIGIBLE people only).
pub fn may_apply(
    standing: Standing,
    as_of: NaiveDate,
    not_yet_window_days: Option<u32>,
) -> Result<(), ApplyRefusal> {
    match standing {
        Standing::Eligible => Ok(()),
        Standing::NotYet { eligible_on } => match not_yet_window_days {
            None => Err(ApplyRefusal::NotYetEligible { eligible_on }),
            Some(window_days) => {
                // eligible_on <= as_of + window  ⇔  as_of >= eligible_on − window;
                // a window reaching before the calendar's start lets anyone in.
                let from = eligible_on
                    .checked_sub_days(Days::new(u64::from(window_days)))
                    .unwrap_or(NaiveDate::MIN);
                if as_of >= from {
                    Ok(())
                } else {
                    Err(ApplyRefusal::TooEarly {
                        eligible_on,
                        window_days,
                        from,
                    })
                }
            }
        },
        Standing::Ineligible { gaps } => Err(ApplyRefusal::Ineligible { gaps }),
    }
}

/// One applicant as ranking sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The application's id (the older first on a full tie).
    pub id: i64,
    pub standing: Standing,
    pub months_of_service: u32,
    /// Mean rating in hundredths (3.00 is 300), if any.
    pub rating_cp: Option<i64>,
}

/// The order of applicants, best first: see the module's documentation.
pub fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    fn key(s: Standing) -> (u8, Option<NaiveDate>, usize) {
        match s {
            Standing::Eligible => (0, None, 0),
            Standing::NotYet { eligible_on } => (1, Some(eligible_on), 0),
            Standing::Ineligible { gaps } => (2, None, gaps),
        }
    }
    key(a.standing)
        .cmp(&key(b.standing))
        .then(b.months_of_service.cmp(&a.months_of_service))
        .then(match (a.rating_cp, b.rating_cp) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then(a.id.cmp(&b.id))
}

/// How far ahead ONE_TO_TWO_YEARS reaches, in calendar months.
pub const READINESS_MONTHS: u32 = 24;

/// Readiness from `ready_on`, the day someone NOT_YET (or INELIGIBLE with a
/// plan) is expected to be eligible: within [`READINESS_MONTHS`] of `as_of`
/// (that day included) is ONE_TO_TWO_YEARS, later THREE_PLUS_YEARS.
fn readiness_from(ready_on: NaiveDate, as_of: NaiveDate) -> Readiness {
    match tenure::add_months(as_of, READINESS_MONTHS) {
        Some(limit) if ready_on > limit => Readiness::ThreePlusYears,
        // Beyond the calendar's end: every date is within.
        _ => Readiness::OneToTwoYears,
    }
}

/// The readiness Rungs suggests from the engine's standing on `as_of`.
pub fn readiness(standing: Standing, as_of: NaiveDate) -> Readiness {
    match standing {
        Standing::Eligible => Readiness::ReadyNow,
        Standing::NotYet { eligible_on } => readiness_from(eligible_on, as_of),
        Standing::Ineligible { .. } => Readiness::ThreePlusYears,
    }
}

/// [`readiness`], where an INELIGIBLE person's development plan may date
/// their eligibility (`plan_eligible_on`, the plan's earliest ELIGIBLE
/// day): within [`READINESS_MONTHS`] they are ONE_TO_TWO_YEARS. The plan
/// date changes nothing for ELIGIBLE or NOT_YET people.
pub fn readiness_with_plan(
    standing: Standing,
    plan_eligible_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Readiness {
    match (standing, plan_eligible_on) {
        (Standing::Ineligible { .. }, Some(day)) => readiness_from(day, as_of),
        _ => readiness(standing, as_of),
    }
}

/// A mean rating in hundredths (4.25 is 425), as ranking and the 9-box
/// compare it.
pub fn rating_cp(rating: Option<f64>) -> Option<i64> {
    rating.map(|r| (r * 100.0).round() as i64)
}

/// The rating (hundredths) from which performance is HIGH: 4.00.
pub const HIGH_PERFORMANCE_CP: i64 = 400;
/// The rating (hundredths) from which performance is MEDIUM: 3.00.
pub const MEDIUM_PERFORMANCE_CP: i64 = 300;

/// The 9-box performance level of a mean rating in hundredths; `None`
/// without a rating.
pub fn performance_level(rating_cp: Option<i64>) -> Option<PotentialLevel> {
    rating_cp.map(|cp| {
        if cp >= HIGH_PERFORMANCE_CP {
            PotentialLevel::High
        } else if cp >= MEDIUM_PERFORMANCE_CP {
            PotentialLevel::Medium
        } else {
            PotentialLevel::Low
        }
    })
}

/// The openings a site must be able to fill at once at least.
pub const NEXT_OPENINGS: i64 = 2;

/// A site's Team Lead bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bench {
    /// Team Lead seats needed beyond the Team Leads there are (at least 0).
    pub open_seats: i64,
    /// READY_NOW successors missing to fill the larger of the open seats
    /// and the next two openings (at least 0).
    pub shortfall: i64,
    /// The shortfall is above 0.
    pub at_risk: bool,
}

/// The bench of a site that needs `team_lead_seats_needed` Team Leads (from
/// `staffing::team_leads_needed`), has `team_leads_now` and `ready_now`
/// READY_NOW successors: see the module's documentation.
pub fn bench(team_lead_seats_needed: i64, team_leads_now: i64, ready_now: i64) -> Bench {
    let open_seats = team_lead_seats_needed.saturating_sub(team_leads_now).max(0);
    let shortfall = open_seats
        .max(NEXT_OPENINGS)
        .saturating_sub(ready_now.max(0))
        .max(0);
    Bench {
        open_seats,
        shortfall,
        at_risk: shortfall > 0,
    }
}

/// Pay after a move along a step of `kind`, from `current_minor` (in the
/// band's terms and currency; the caller carries it there): a PROMOTION
/// raises it by `raise_bp` basis points ([`money::promotion_pay`]: exact,
/// rounded half away from zero, then into the band); a LATERAL move ignores
/// `raise_bp` and only brings the pay into the band. With no band,
/// nothing is clamped. `None` when the raise overflows.
pub fn pay_on_move(
    kind: StepKind,
    current_minor: i64,
    raise_bp: i64,
    band: Option<&Band>,
) -> Option<i64> {
    match kind {
        StepKind::Promotion => money::promotion_pay(current_minor, raise_bp, band),
        // The same clamp as promotion_pay's, without the raise.
        StepKind::Lateral => Some(match band {
            Some(band) if current_minor < band.min => band.min,
            Some(band) if current_minor > band.max => band.max,
            _ => current_minor,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApplicationStatus::{
        Accepted, Applied, Declined, Offered, Rejected, Shortlisted, Withdrawn,
    };

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn jpy_band(min: i64, max: i64) -> Band {
        Band {
            min,
            max,
            midpoint: money::default_midpoint(min, max),
            currency: "JPY".into(),
            basis: crate::domain::enums::PayBasis::Annual,
            annual_hours: crate::domain::pay_basis::DEFAULT_ANNUAL_HOURS,
        }
    }

    fn candidate(id: i64, standing: Standing, months: u32, rating: Option<i64>) -> Candidate {
        Candidate {
            id,
            standing,
            months_of_service: months,
            rating_cp: rating,
        }
    }

    #[test]
    fn wire_names_round_trip() {
        for &s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        for &s in OpeningStatus::ALL {
            assert_eq!(OpeningStatus::parse(s.as_str()), Some(s));
        }
        for &s in StepKind::ALL {
            assert_eq!(StepKind::parse(s.as_str()), Some(s));
        }
        for &s in Readiness::ALL {
            assert_eq!(Readiness::parse(s.as_str()), Some(s));
        }
        for &s in PotentialLevel::ALL {
            assert_eq!(PotentialLevel::parse(s.as_str()), Some(s));
        }
        assert_eq!(ApplicationStatus::ALL.len(), 7);
        assert_eq!(ApplicationStatus::parse("applied"), None);
        assert_eq!(StepKind::parse("LATERAL"), Some(StepKind::Lateral));
        assert_eq!(Readiness::OneToTwoYears.as_str(), "ONE_TO_TWO_YEARS");
        assert!(PotentialLevel::Low < PotentialLevel::High);
    }

    #[test]
    fn exactly_the_listed_moves_are_allowed_each_for_its_side() {
        let hiring = [
            (Applied, Shortlisted),
            (Applied, Rejected),
            (Shortlisted, Offered),
            (Shortlisted, Rejected),
            (Offered, Rejected),
        ];
        let applicant = [
            (Applied, Withdrawn),
            (Shortlisted, Withdrawn),
            (Offered, Withdrawn),
            (Offered, Declined),
            (Offered, Accepted),
        ];
        for &from in ApplicationStatus::ALL {
            for &to in ApplicationStatus::ALL {
                let (h, a) = (
                    hiring.contains(&(from, to)),
                    applicant.contains(&(from, to)),
                );
                let expected = |mine: bool, theirs: bool| {
                    if mine {
                        Ok(())
                    } else if theirs {
                        Err(Refusal::NotYours { from, to })
                    } else {
                        Err(Refusal::NotFromHere { from, to })
                    }
                };
                assert_eq!(
                    transition(from, to, Actor::Hiring),
                    expected(h, a),
                    "{from} -> {to}"
                );
                assert_eq!(
                    transition(from, to, Actor::Applicant),
                    expected(a, h),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn nothing_moves_a_final_application() {
        assert!(!Applied.is_final() && !Shortlisted.is_final() && !Offered.is_final());
        for &from in ApplicationStatus::ALL.iter().filter(|s| s.is_final()) {
            for &to in ApplicationStatus::ALL {
                for actor in [Actor::Applicant, Actor::Hiring] {
                    assert_eq!(
                        transition(from, to, actor),
                        Err(Refusal::NotFromHere { from, to })
                    );
                }
            }
        }
    }

    #[test]
    fn refusals_say_who_may_and_why_in_words() {
        let not_yours = transition(Offered, Accepted, Actor::Hiring).unwrap_err();
        assert_eq!(
            not_yours.message(),
            "only the applicant can accept an offer"
        );
        let not_yours = transition(Applied, Shortlisted, Actor::Applicant).unwrap_err();
        assert_eq!(
            not_yours.message(),
            "only the hiring manager or HR can shortlist it"
        );
        let not_here = transition(Withdrawn, Shortlisted, Actor::Hiring).unwrap_err();
        assert_eq!(
            not_here.message(),
            "this application was withdrawn: nobody can shortlist it now"
        );
        let same = transition(Shortlisted, Shortlisted, Actor::Hiring).unwrap_err();
        assert_eq!(same.message(), "this application is shortlisted already");
        for &from in ApplicationStatus::ALL {
            for &to in ApplicationStatus::ALL {
                for actor in [Actor::Applicant, Actor::Hiring] {
                    if let Err(refusal) = transition(from, to, actor) {
                        let message = refusal.message();
                        for &name in ApplicationStatus::ALL {
                            assert!(!message.contains(name.as_str()), "{message}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_last_seat_fills_the_opening_and_none_is_filled_beyond() {
        assert_eq!(after_fill(3, 0), Some((1, OpeningStatus::Open)));
        assert_eq!(after_fill(3, 1), Some((2, OpeningStatus::Open)));
        assert_eq!(after_fill(3, 2), Some((3, OpeningStatus::Filled)));
        assert_eq!(after_fill(3, 3), None);
        assert_eq!(after_fill(1, 0), Some((1, OpeningStatus::Filled)));
        assert_eq!(after_fill(0, 0), None);
        assert_eq!(
            after_fill(i64::MAX, i64::MAX - 1),
            Some((i64::MAX, OpeningStatus::Filled))
        );
    }

    #[test]
    fn an_opening_takes_applications_on_its_closing_day_and_not_after() {
        let closes = day(2026, 12, 31);
        assert!(accepts_applications(
            OpeningStatus::Open,
            closes,
            day(2026, 12, 1)
        ));
        assert!(accepts_applications(OpeningStatus::Open, closes, closes));
        assert!(!accepts_applications(
            OpeningStatus::Open,
            closes,
            day(2027, 1, 1)
        ));
        assert!(!accepts_applications(
            OpeningStatus::Filled,
            closes,
            day(2026, 12, 1)
        ));
        assert!(!accepts_applications(
            OpeningStatus::Closed,
            closes,
            day(2026, 12, 1)
        ));
    }

    #[test]
    fn eligible_people_always_apply_and_ineligible_people_never() {
        let today = day(2026, 12, 4);
        assert_eq!(may_apply(Standing::Eligible, today, None), Ok(()));
        assert_eq!(may_apply(Standing::Eligible, today, Some(30)), Ok(()));
        let refused = may_apply(Standing::Ineligible { gaps: 2 }, today, Some(36_500));
        assert_eq!(refused, Err(ApplyRefusal::Ineligible { gaps: 2 }));
        let message = refused.unwrap_err().message();
        assert!(message.contains("2 requirements are missing"), "{message}");
        let one = ApplyRefusal::Ineligible { gaps: 1 }.message();
        assert!(
            one.contains("1 requirement is missing") && one.contains("once it is closed"),
            "{one}"
        );
    }

    #[test]
    fn not_yet_people_apply_only_within_the_openings_window() {
        let today = day(2026, 12, 4);
        let soon = Standing::NotYet {
            eligible_on: day(2027, 1, 3),
        };
        let refused = may_apply(soon, today, None);
        assert_eq!(
            refused,
            Err(ApplyRefusal::NotYetEligible {
                eligible_on: day(2027, 1, 3)
            })
        );
        assert!(refused
            .unwrap_err()
            .message()
            .contains("you can apply from 3 Jan 2027"));
        // 3 January is 30 days after 4 December: the window's last day.
        assert_eq!(may_apply(soon, today, Some(30)), Ok(()));
        assert_eq!(may_apply(soon, today, Some(31)), Ok(()));
        let too_early = may_apply(soon, today, Some(29));
        assert_eq!(
            too_early,
            Err(ApplyRefusal::TooEarly {
                eligible_on: day(2027, 1, 3),
                window_days: 29,
                from: day(2026, 12, 5)
            })
        );
        let message = too_early.unwrap_err().message();
        assert!(message.contains("up to 29 days before"), "{message}");
        assert!(
            message.contains("you can apply from 5 Dec 2026"),
            "{message}"
        );
        assert!(!message.contains("2026-12-05"), "{message}");
        // A window of 0 days: from the eligibility day itself.
        let today_on = Standing::NotYet { eligible_on: today };
        assert_eq!(may_apply(today_on, today, Some(0)), Ok(()));
        let tomorrow = Standing::NotYet {
            eligible_on: day(2026, 12, 5),
        };
        assert!(may_apply(tomorrow, today, Some(0)).is_err());
        assert_eq!(may_apply(tomorrow, today, Some(1)), Ok(()));
        // A window reaching before the calendar's start lets them in.
        let early = Standing::NotYet {
            eligible_on: NaiveDate::MIN,
        };
        assert_eq!(may_apply(early, NaiveDate::MIN, Some(u32::MAX)), Ok(()));
    }

    #[test]
    fn eligible_people_rank_first_then_the_soonest_then_the_fewest_gaps() {
        let mut list = [
            candidate(1, Standing::Ineligible { gaps: 1 }, 90, Some(500)),
            candidate(
                2,
                Standing::NotYet {
                    eligible_on: day(2027, 3, 1),
                },
                40,
                None,
            ),
            candidate(
                3,
                Standing::NotYet {
                    eligible_on: day(2027, 1, 1),
                },
                10,
                None,
            ),
            candidate(4, Standing::Eligible, 20, None),
            candidate(5, Standing::Eligible, 20, Some(350)),
            candidate(6, Standing::Eligible, 30, Some(300)),
            candidate(7, Standing::Ineligible { gaps: 3 }, 90, Some(500)),
            candidate(8, Standing::Ineligible { gaps: 1 }, 100, None),
        ];
        list.sort_by(rank);
        let order: Vec<i64> = list.iter().map(|c| c.id).collect();
        assert_eq!(order, vec![6, 5, 4, 3, 2, 8, 1, 7]);
    }

    #[test]
    fn ties_go_to_service_then_rating_then_the_older_application() {
        let e = Standing::Eligible;
        assert_eq!(
            rank(&candidate(9, e, 25, None), &candidate(1, e, 24, Some(500))),
            Ordering::Less
        );
        assert_eq!(
            rank(
                &candidate(9, e, 24, Some(301)),
                &candidate(1, e, 24, Some(300))
            ),
            Ordering::Less
        );
        assert_eq!(
            rank(&candidate(9, e, 24, Some(100)), &candidate(1, e, 24, None)),
            Ordering::Less
        );
        assert_eq!(
            rank(
                &candidate(1, e, 24, Some(300)),
                &candidate(2, e, 24, Some(300))
            ),
            Ordering::Less
        );
        assert_eq!(
            rank(&candidate(1, e, 24, None), &candidate(1, e, 24, None)),
            Ordering::Equal
        );
    }

    #[test]
    fn readiness_reaches_24_calendar_months_ahead_that_day_included() {
        let today = day(2026, 12, 4);
        assert_eq!(readiness(Standing::Eligible, today), Readiness::ReadyNow);
        let on = |d| Standing::NotYet { eligible_on: d };
        assert_eq!(
            readiness(on(day(2027, 1, 3)), today),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            readiness(on(day(2028, 12, 4)), today),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            readiness(on(day(2028, 12, 5)), today),
            Readiness::ThreePlusYears
        );
        // From 29 Feb, 24 months later is 28 Feb (clamped), not 1 March.
        let leap = day(2024, 2, 29);
        assert_eq!(
            readiness(on(day(2026, 2, 28)), leap),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            readiness(on(day(2026, 3, 1)), leap),
            Readiness::ThreePlusYears
        );
        assert_eq!(
            readiness(Standing::Ineligible { gaps: 1 }, today),
            Readiness::ThreePlusYears
        );
        // Near the calendar's end every date is within 24 months.
        assert_eq!(
            readiness(on(NaiveDate::MAX), NaiveDate::MAX),
            Readiness::OneToTwoYears
        );
    }

    #[test]
    fn a_plan_date_brings_an_ineligible_person_closer_and_changes_nothing_else() {
        let today = day(2026, 12, 4);
        let ineligible = Standing::Ineligible { gaps: 2 };
        assert_eq!(
            readiness_with_plan(ineligible, None, today),
            Readiness::ThreePlusYears
        );
        assert_eq!(
            readiness_with_plan(ineligible, Some(day(2028, 12, 4)), today),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            readiness_with_plan(ineligible, Some(day(2028, 12, 5)), today),
            Readiness::ThreePlusYears
        );
        assert_eq!(
            readiness_with_plan(Standing::Eligible, Some(day(2030, 1, 1)), today),
            Readiness::ReadyNow
        );
        let later = Standing::NotYet {
            eligible_on: day(2029, 1, 1),
        };
        assert_eq!(
            readiness_with_plan(later, Some(day(2027, 1, 1)), today),
            Readiness::ThreePlusYears
        );
    }

    #[test]
    fn performance_is_high_from_4_00_and_medium_from_3_00() {
        assert_eq!(performance_level(None), None);
        assert_eq!(performance_level(Some(100)), Some(PotentialLevel::Low));
        assert_eq!(performance_level(Some(299)), Some(PotentialLevel::Low));
        assert_eq!(performance_level(Some(300)), Some(PotentialLevel::Medium));
        assert_eq!(performance_level(Some(399)), Some(PotentialLevel::Medium));
        assert_eq!(performance_level(Some(400)), Some(PotentialLevel::High));
        assert_eq!(performance_level(Some(500)), Some(PotentialLevel::High));
    }

    #[test]
    fn a_site_needs_ready_successors_for_its_open_seats_and_at_least_two() {
        // 2 seats open, 1 ready: 1 short.
        assert_eq!(
            bench(5, 3, 1),
            Bench {
                open_seats: 2,
                shortfall: 1,
                at_risk: true
            }
        );
        // No seat open, still the next two openings.
        assert_eq!(
            bench(3, 3, 1),
            Bench {
                open_seats: 0,
                shortfall: 1,
                at_risk: true
            }
        );
        assert_eq!(
            bench(3, 3, 2),
            Bench {
                open_seats: 0,
                shortfall: 0,
                at_risk: false
            }
        );
        // More Team Leads than needed: nothing open.
        assert_eq!(bench(2, 4, 2).open_seats, 0);
        assert!(!bench(2, 4, 2).at_risk);
        // 6 open seats need 6 ready.
        assert_eq!(bench(10, 4, 5).shortfall, 1);
        assert_eq!(bench(10, 4, 6).shortfall, 0);
        assert_eq!(bench(10, 4, 9).shortfall, 0);
        // A site with no CSRs and no Team Leads still wants two ready.
        assert_eq!(bench(0, 0, 0).shortfall, 2);
        // With the seats staffing computes for 31 CSRs and 2 Team Leads.
        let needed = crate::domain::staffing::team_leads_needed(31, 2).needed_at_most_15;
        assert_eq!(bench(needed, 2, 2).shortfall, 0);
    }

    #[test]
    fn a_promotion_raises_pay_exactly_then_into_the_band() {
        let band = jpy_band(480_000, 700_000);
        let promotion = |current, bp| pay_on_move(StepKind::Promotion, current, bp, Some(&band));
        // 400,000 + 20 % is the band minimum itself.
        assert_eq!(promotion(400_000, 2000), Some(480_000));
        // 380,000 + 20 % = 456,000: raised to the minimum.
        assert_eq!(promotion(380_000, 2000), Some(480_000));
        assert_eq!(promotion(500_000, 2000), Some(600_000));
        // 583,334 + 20 % = 700,000.8: rounds to 700,001, capped at 700,000.
        assert_eq!(promotion(583_334, 2000), Some(700_000));
        // 583,333 + 20 % = 699,999.6: rounds to 700,000, the maximum itself.
        assert_eq!(promotion(583_333, 2000), Some(700_000));
        // 583,332 + 20 % = 699,998.4: rounds down, inside the band.
        assert_eq!(promotion(583_332, 2000), Some(699_998));
        assert_eq!(promotion(600_000, 2000), Some(700_000));
        // Half a minor unit rounds away from zero.
        assert_eq!(pay_on_move(StepKind::Promotion, 2, 2500, None), Some(3));
        assert_eq!(
            pay_on_move(StepKind::Promotion, 333_333, 2000, None),
            Some(400_000)
        );
        assert_eq!(pay_on_move(StepKind::Promotion, i64::MAX, 2000, None), None);
    }

    #[test]
    fn a_lateral_move_keeps_the_pay_but_inside_the_band() {
        let band = jpy_band(480_000, 700_000);
        let lateral = |current| pay_on_move(StepKind::Lateral, current, 2000, Some(&band));
        assert_eq!(lateral(400_000), Some(480_000));
        assert_eq!(lateral(479_999), Some(480_000));
        assert_eq!(lateral(480_000), Some(480_000));
        assert_eq!(lateral(500_000), Some(500_000));
        assert_eq!(lateral(700_000), Some(700_000));
        assert_eq!(lateral(700_001), Some(700_000));
        assert_eq!(
            pay_on_move(StepKind::Lateral, 812_345, 2000, None),
            Some(812_345)
        );
        assert_eq!(
            pay_on_move(StepKind::Lateral, i64::MAX, 2000, None),
            Some(i64::MAX)
        );
    }

    fn any_candidate() -> impl Strategy<Value = Candidate> {
        (
            0i64..50,
            0u8..3,
            0u32..200,
            0u32..60,
            proptest::option::of(100i64..=500),
        )
            .prop_map(|(id, kind, days, months, rating)| Candidate {
                id,
                standing: match kind {
                    0 => Standing::Eligible,
                    1 => Standing::NotYet {
                        eligible_on: day(2027, 1, 1) + Days::new(u64::from(days)),
                    },
                    _ => Standing::Ineligible {
                        gaps: days as usize % 4,
                    },
                },
                months_of_service: months,
                rating_cp: rating,
            })
    }

    proptest! {
        #[test]
        fn ranking_is_a_total_order(a in any_candidate(), b in any_candidate(), c in any_candidate()) {
            prop_assert_eq!(rank(&a, &b), rank(&b, &a).reverse());
            if rank(&a, &b) != Ordering::Greater && rank(&b, &c) != Ordering::Greater {
                prop_assert_ne!(rank(&a, &c), Ordering::Greater);
            }
            prop_assert_eq!(rank(&a, &a), Ordering::Equal);
            if rank(&a, &b) == Ordering::Equal {
                prop_assert_eq!(a, b);
            }
        }

        #[test]
        fn sorting_applicants_gives_one_order_whatever_order_they_come_in(
            list in proptest::collection::vec(any_candidate(), 0..30),
            rotate in 0usize..30,
        ) {
            let mut sorted = list.clone();
            sorted.sort_by(rank);
            let mut other = list;
            other.reverse();
            if !other.is_empty() {
                let by = rotate % other.len();
                other.rotate_left(by);
            }
            other.sort_by(rank);
            prop_assert_eq!(sorted, other);
        }

        #[test]
        fn pay_after_a_move_lies_in_the_band_and_a_lateral_move_never_raises_within_it(
            current in 0i64..2_000_000,
            bp in 0i64..=money::MAX_RAISE_BP,
            min in 0i64..1_000_000,
            width in 0i64..1_000_000,
            lateral in any::<bool>(),
        ) {
            let band = jpy_band(min, min + width);
            let kind = if lateral { StepKind::Lateral } else { StepKind::Promotion };
            let pay = pay_on_move(kind, current, bp, Some(&band));
            prop_assert!(pay.is_some_and(|p| band.contains(p)));
            if lateral && band.contains(current) {
                prop_assert_eq!(pay, Some(current));
            }
            if !lateral {
                prop_assert!(pay.is_some_and(|p| p >= current.min(band.max)));
            }
        }
    }
}
