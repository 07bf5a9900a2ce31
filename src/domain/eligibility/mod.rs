//! Promotion eligibility: the one pure function that decides.
//!
//! [`evaluate`] takes an employee snapshot ([`EmployeeFacts`]), the ladder
//! steps out of the employee's current role ([`StepRules`]) and an evaluation
//! date, and returns a [`Progression`] with one [`OptionResult`] per step, in
//! the order of the steps. The single-employee view and the dashboards both
//! call it, so they agree on every employee.
//!
//! For each step, as of date `d`:
//!
//! 1. Performance: the rating is the mean of the last two reviews (by period
//!    end) on or before `d`, or the only one. No review is a PERFORMANCE gap;
//!    a rating below `min_rating` is a PERFORMANCE gap.
//! 2. Certifications: every requirement not met by VERIFIED, unexpired
//!    certifications (see [`cert_valid_on`]) is a CERTIFICATION gap, or a
//!    LANGUAGE gap for language requirements.
//!    Skills: every required skill whose counted level on `d` (the latest
//!    assessment on or before `d` by a manager, HR or a completed course; see
//!    [`skill_level_on`]) is below the step's minimum is a SKILL gap.
//!    Self-assessments are shown in the message but never count.
//! 3. Track: with a rating, `rating >= top_performer_rating` is FAST_TRACK
//!    (`fast_track_months` in role), otherwise STANDARD (`standard_months`).
//! 4. Status: any PERFORMANCE/CERTIFICATION/LANGUAGE/SKILL gap is INELIGIBLE (a
//!    TENURE gap is listed too when tenure is also short, so the employee sees
//!    everything missing); only tenure missing is NOT_YET with `eligible_on`
//!    the date tenure completes; nothing missing is ELIGIBLE with
//!    `eligible_on` the date it became true (see below).
//! 5. The employee is eligible when any step is ELIGIBLE, and STALLED when,
//!    with no open nomination, `d` is more than 6 months after the earliest
//!    `eligible_on` of the ELIGIBLE steps.
//!
//! ## When an ELIGIBLE step became eligible
//!
//! `eligible_on` of an ELIGIBLE step is the first day of the unbroken run of
//! days, ending on `d`, on which the step was ELIGIBLE: the same rules applied
//! to the same facts as of each earlier day (the reviews then on record, the
//! certificates valid then, the counted skill levels then, the tenure then;
//! the track may differ from day to day, only being ELIGIBLE matters). It is
//! never after `d` and never before `role_since`; it is `role_since` only
//! when the step was ELIGIBLE on the first day in role, which needs a 0-month
//! track.
//!
//! So a good rating that merely continues does not move `eligible_on`, while
//! one review that pulls the rating below the bar breaks the run: it restarts
//! at the period end of the review that restores the rating. Likewise a
//! certificate replaced by one issued no later than the day the old one
//! expires keeps the run going, and a gap between them restarts it on the new
//! issue date.
//!
//! The status of a step can only change on one of its event days, the days
//! in `(role_since, d]` that are
//!
//! - the period end of a review with a finite rating;
//! - the issue or expiry date of a VERIFIED certificate of a kind and level
//!   one of the step's certification requirements accepts (no other
//!   certificate can ever count for the step);
//! - the date of a counted assessment (manager, HR or a completed course) of
//!   a skill the step requires;
//! - the day either track's tenure completes (`role_since` plus
//!   `fast_track_months` or `standard_months`).
//!
//! So the status is the same from one event day up to the next, and the run
//! is found by walking the event days back from the latest with a cheap
//! status-only check: at the first one that is not ELIGIBLE, `eligible_on`
//! is the event day after it. When none of them breaks the run, the stretch
//! before the earliest has the status of `role_since`: `eligible_on` is
//! `role_since` when the step was ELIGIBLE that day (as it must be when there
//! is no event day at all), else the earliest event day. The walk is only
//! done for ELIGIBLE steps.
//!
//! Ratings are compared with a tolerance of 1e-9 so that float noise in the
//! mean of two reviews (for example `(3.1 + 2.9) / 2`) never flips a decision.
//!
//! ## Layout
//!
//! This file holds the facts, the answer and the public paths; `rules.rs`
//! the evaluation, `requirements.rs` which certificates and assessments
//! count, `event_days.rs` the walk that dates an ELIGIBLE step, and
//! `messages.rs` the words of gaps and warnings.

use chrono::NaiveDate;

use super::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, EligibilityStatus,
    GapKind, PromotionTrack, SixSigmaBelt,
};
use super::money::Band;

mod event_days;
mod messages;
mod requirements;
mod rules;

pub use messages::describe_requirement;
pub(crate) use messages::{requirement_gap, skill_gap};
pub use requirements::{cert_valid_on, counted_assessment_on, self_level_on, skill_level_on};
pub(crate) use requirements::{count_units, requirement_met_on, satisfies, skill_met_on};
pub use rules::{blocked_on, evaluate, rating_as_of};

/// An ELIGIBLE employee is warned about certificates the eligibility depends
/// on that expire within this many days after the evaluation date.
pub const EXPIRY_WARNING_DAYS: u64 = 90;

/// An employee ELIGIBLE for more than this many months without an open
/// nomination is STALLED.
pub const STALLED_AFTER_MONTHS: u32 = 6;

/// One certification held (or submitted) by the employee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFact {
    pub kind: CertificationKind,
    pub name: String,
    /// Belt, for Six Sigma certifications.
    pub belt: Option<SixSigmaBelt>,
    /// Language code (for example "ja"), for language certifications;
    /// compared case-insensitively.
    pub language: Option<String>,
    /// CEFR level, for language certifications.
    pub cefr: Option<CefrLevel>,
    pub status: CertificationStatus,
    /// First day the certificate is valid.
    pub issued_on: NaiveDate,
    /// First day the certificate is no longer valid; `None` never expires.
    pub expires_on: Option<NaiveDate>,
}

/// One performance review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewFact {
    /// Last day of the reviewed period; the review counts from this day on.
    pub period_end: NaiveDate,
    pub rating: f64,
}

/// One skill assessment of the employee (history: every one is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillFact {
    pub skill_id: i64,
    /// Proficiency 1-5.
    pub level: u8,
    pub source: AssessmentSource,
    /// The assessment counts from this day on.
    pub assessed_on: NaiveDate,
    /// Recording order (the row id): breaks ties between assessments of the
    /// same skill on the same day, the later recorded one winning.
    pub seq: i64,
}

/// A skill a ladder step asks for, at a minimum proficiency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillRequirement {
    pub skill_id: i64,
    /// For messages ("needs Coaching 3").
    pub skill_name: String,
    pub min_level: u8,
}

/// A certification requirement of a ladder step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub kind: CertificationKind,
    /// For SIX_SIGMA: the lowest acceptable belt (`None`: any belt).
    pub min_belt: Option<SixSigmaBelt>,
    /// For LANGUAGE: the lowest acceptable CEFR level (`None`: any level).
    pub min_cefr: Option<CefrLevel>,
    /// How many are needed: certificates, or distinct languages for LANGUAGE.
    pub count: u32,
}

/// The rules of one ladder step (`from role -> to role`).
#[derive(Debug, Clone, PartialEq)]
pub struct StepRules {
    pub step_id: i64,
    pub target_role_code: String,
    pub target_role_title: String,
    pub fast_track_months: u32,
    pub standard_months: u32,
    pub min_rating: f64,
    pub top_performer_rating: f64,
    /// Minimum raise on promotion, in basis points (2000 = 20 %).
    pub raise_min_bp: i64,
    /// Maximum raise on promotion, in basis points.
    pub raise_max_bp: i64,
    pub requirements: Vec<Requirement>,
    /// Skills at a minimum level (none unless HR set some).
    pub skill_requirements: Vec<SkillRequirement>,
    /// Salary band of the target role in the employee's market, if any.
    pub target_band: Option<Band>,
}

/// Everything [`evaluate`] needs to know about one employee.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeFacts<'a> {
    pub hired_on: NaiveDate,
    /// Start date of the current job role.
    pub role_since: NaiveDate,
    /// Current salary in minor units of `currency`, on the basis of `pay`.
    pub salary_minor: i64,
    pub currency: String,
    /// How the salary is paid (basis, FTE, the market's hours): the target
    /// band is carried into these terms before any comparison
    /// (`domain::pay_basis`).
    pub pay: crate::domain::pay_basis::PayTerms,
    /// In any order.
    pub certifications: &'a [CertFact],
    /// In any order.
    pub reviews: &'a [ReviewFact],
    /// Skill assessments, self-assessments included, in any order.
    pub skills: &'a [SkillFact],
    /// Whether a PENDING nomination exists for the employee.
    pub has_open_nomination: bool,
}

/// Something missing for a promotion, in words the employee can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub kind: GapKind,
    pub message: String,
}

/// The verdict for one ladder step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionResult {
    pub step_id: i64,
    pub status: EligibilityStatus,
    /// `None` when there is no rating to choose a track with.
    pub track: Option<PromotionTrack>,
    /// ELIGIBLE: the date eligibility became true, i.e. the first day of the
    /// unbroken run of ELIGIBLE days ending on the evaluation date, with the
    /// same rules applied to the facts as of each of those days; never before
    /// `role_since`. NOT_YET: the date tenure completes (`None` only if that
    /// is beyond the calendar). INELIGIBLE: `None`.
    pub eligible_on: Option<NaiveDate>,
    /// Empty exactly when the status is ELIGIBLE.
    pub gaps: Vec<Gap>,
    /// Pay on promotion at the step's minimum raise, clamped to the target
    /// band when the band is in the employee's currency.
    pub projected_salary: Option<i64>,
    /// Things worth knowing that do not change the status.
    pub warnings: Vec<String>,
}

/// The verdict for all ladder steps out of the employee's current role.
#[derive(Debug, Clone, PartialEq)]
pub struct Progression {
    pub as_of: NaiveDate,
    pub months_of_service: u32,
    pub months_in_role: u32,
    pub rating: Option<f64>,
    /// One per step, in the order the steps were given.
    pub options: Vec<OptionResult>,
    /// At least one option is ELIGIBLE.
    pub eligible: bool,
    /// Eligible, no open nomination, and the evaluation date is more than six
    /// months after the earliest `eligible_on` of the ELIGIBLE options (some
    /// step has been ELIGIBLE without a break for that long).
    pub stalled: bool,
}

#[cfg(test)]
mod tests;
