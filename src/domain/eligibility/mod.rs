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

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, EligibilityStatus,
    GapKind, PromotionTrack, SixSigmaBelt,
};
use super::money::{self, Band};
use super::tenure::{add_months, months_between};

/// Tolerance used when comparing a rating against a bar.
const RATING_TOLERANCE: f64 = 1e-9;

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
    /// Current salary in minor units of `currency`.
    pub salary_minor: i64,
    pub currency: String,
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

/// The rating as of `as_of`: the mean of the last two reviews by period end
/// with `period_end <= as_of`, the only such review's rating, or `None`.
///
/// Reviews with a non-finite rating are ignored. Reviews sharing a period end
/// are ordered by rating, so the answer never depends on input order.
pub fn rating_as_of(reviews: &[ReviewFact], as_of: NaiveDate) -> Option<f64> {
    counted_rating(reviews, as_of).map(|r| r.rating)
}

/// Whether a certificate counts on `as_of`: VERIFIED, already issued, and not
/// expired.
///
/// `expires_on` is the first day the certificate is no longer valid, so a
/// certificate whose `expires_on` equals `as_of` no longer counts.
pub fn cert_valid_on(cert: &CertFact, as_of: NaiveDate) -> bool {
    cert.status == CertificationStatus::Verified
        && cert.issued_on <= as_of
        && cert.expires_on.is_none_or(|expires| as_of < expires)
}

/// The latest assessment of `skill_id` on or before `as_of` whose source
/// satisfies `counts` (latest by date, then by recording order).
fn latest_assessment(
    skills: &[SkillFact],
    skill_id: i64,
    as_of: NaiveDate,
    counts: impl Fn(AssessmentSource) -> bool,
) -> Option<&SkillFact> {
    skills
        .iter()
        .filter(|s| s.skill_id == skill_id && s.assessed_on <= as_of && counts(s.source))
        .max_by_key(|s| (s.assessed_on, s.seq))
}

/// The assessment that counts for `skill_id` on `as_of`: the latest by a
/// manager, HR or a completed course on or before that day.
pub fn counted_assessment_on(
    skills: &[SkillFact],
    skill_id: i64,
    as_of: NaiveDate,
) -> Option<&SkillFact> {
    latest_assessment(skills, skill_id, as_of, AssessmentSource::counts)
}

/// The counted proficiency in `skill_id` on `as_of`: the level of the latest
/// assessment by a manager, HR or a completed course on or before that day
/// (self-assessments never count). `None`: never assessed so.
pub fn skill_level_on(skills: &[SkillFact], skill_id: i64, as_of: NaiveDate) -> Option<u8> {
    counted_assessment_on(skills, skill_id, as_of).map(|s| s.level)
}

/// The latest self-assessed level of `skill_id` on or before `as_of`.
pub fn self_level_on(skills: &[SkillFact], skill_id: i64, as_of: NaiveDate) -> Option<u8> {
    latest_assessment(skills, skill_id, as_of, |s| !s.counts()).map(|s| s.level)
}

pub(crate) fn skill_met_on(req: &SkillRequirement, skills: &[SkillFact], day: NaiveDate) -> bool {
    skill_level_on(skills, req.skill_id, day).is_some_and(|level| level >= req.min_level)
}

pub(crate) fn skill_gap(req: &SkillRequirement, skills: &[SkillFact], as_of: NaiveDate) -> Gap {
    let need = format!("needs {} {}", req.skill_name, req.min_level);
    let counted = counted_assessment_on(skills, req.skill_id, as_of);
    let own = self_level_on(skills, req.skill_id, as_of);
    let mut notes: Vec<String> = Vec::new();
    match counted {
        Some(a) => notes.push(match a.source {
            AssessmentSource::Hr => format!("HR rates {}", a.level),
            AssessmentSource::Course => format!("a course awarded {}", a.level),
            _ => format!("manager rates {}", a.level),
        }),
        None => notes.push("not assessed by a manager yet".to_string()),
    }
    if let Some(own) = own {
        notes.push(format!("self-assessed {own}"));
    }
    Gap {
        kind: GapKind::Skill,
        message: format!("{need} ({})", notes.join("; ")),
    }
}

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

/// The reviews that make up the rating.
pub(crate) struct CountedRating {
    pub(crate) rating: f64,
    /// How many reviews were averaged (1 or 2).
    pub(crate) reviews: usize,
}

pub(crate) fn counted_rating(reviews: &[ReviewFact], as_of: NaiveDate) -> Option<CountedRating> {
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
pub(crate) fn meets(rating: f64, bar: f64) -> bool {
    rating >= bar - RATING_TOLERANCE
}

/// The track a rating puts the employee on for `step`.
pub(crate) fn track_for(step: &StepRules, rating: f64) -> PromotionTrack {
    if meets(rating, step.top_performer_rating) {
        PromotionTrack::FastTrack
    } else {
        PromotionTrack::Standard
    }
}

/// Months in role `track` needs for `step`.
pub(crate) fn required_months(step: &StepRules, track: Option<PromotionTrack>) -> u32 {
    match track {
        Some(PromotionTrack::FastTrack) => step.fast_track_months,
        _ => step.standard_months,
    }
}

/// Whether `step` is ELIGIBLE on `day`: the status alone, exactly as
/// [`evaluate`] decides it, without building gaps or messages and without
/// allocating.
fn eligible_on_day(facts: &EmployeeFacts<'_>, step: &StepRules, day: NaiveDate) -> bool {
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

/// The first day of the unbroken run of ELIGIBLE days that ends on `as_of`,
/// for a `step` that is ELIGIBLE on `as_of`.
///
/// The status only changes on event days (review period ends, certificate
/// issue and expiry dates, counted skill assessments, the two tenure dates;
/// see the module documentation), so it is constant from one event day up
/// to the next: walk the event days in `(role_since, as_of]`
/// from the latest back, and stop at the first one that is not ELIGIBLE.
fn eligible_since(facts: &EmployeeFacts<'_>, step: &StepRules, as_of: NaiveDate) -> NaiveDate {
    debug_assert!(eligible_on_day(facts, step, as_of));
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

fn evaluate_step(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    as_of: NaiveDate,
    rating: Option<&CountedRating>,
    months_in_role: u32,
) -> OptionResult {
    let certs = facts.certifications;
    let performance_gap = performance_gap(step, rating);
    let requirement_gaps: Vec<Gap> = step
        .requirements
        .iter()
        .filter(|req| !requirement_met_on(req, certs, as_of))
        .map(|req| requirement_gap(req, certs, as_of))
        .chain(
            step.skill_requirements
                .iter()
                .filter(|req| !skill_met_on(req, facts.skills, as_of))
                .map(|req| skill_gap(req, facts.skills, as_of)),
        )
        .collect();

    let track = rating.map(|r| track_for(step, r.rating));
    let required_months = required_months(step, track);
    // `None` inside: tenure would complete beyond the calendar, i.e. never.
    let tenure_date = track.map(|_| add_months(facts.role_since, required_months));
    let tenure_short = matches!(tenure_date, Some(date) if date.is_none_or(|d| d > as_of));
    let tenure_gap = tenure_short.then(|| Gap {
        kind: GapKind::Tenure,
        message: tenure_message(
            required_months,
            track,
            months_in_role,
            tenure_date.flatten(),
        ),
    });

    let blocked = performance_gap.is_some() || !requirement_gaps.is_empty();
    let (status, eligible_on) = if blocked {
        (EligibilityStatus::Ineligible, None)
    } else if tenure_short {
        (EligibilityStatus::NotYet, tenure_date.flatten())
    } else {
        (
            EligibilityStatus::Eligible,
            Some(eligible_since(facts, step, as_of)),
        )
    };

    let gaps: Vec<Gap> = tenure_gap
        .into_iter()
        .chain(performance_gap)
        .chain(requirement_gaps)
        .collect();

    let band = step
        .target_band
        .as_ref()
        .filter(|band| band.currency == facts.currency);
    let projected_salary = money::promotion_pay(facts.salary_minor, step.raise_min_bp, band);

    let mut warnings = pay_warnings(facts, step, band, projected_salary);
    let horizon = match status {
        EligibilityStatus::NotYet => eligible_on,
        EligibilityStatus::Eligible => Some(
            as_of
                .checked_add_days(Days::new(EXPIRY_WARNING_DAYS))
                .unwrap_or(NaiveDate::MAX),
        ),
        EligibilityStatus::Ineligible => None,
    };
    if let Some(horizon) = horizon {
        for req in &step.requirements {
            // Sorted so that the warnings never depend on the order of the input.
            let mut expiring: Vec<String> = lapsing_certs(req, certs, as_of, horizon)
                .into_iter()
                .map(|cert| expiry_warning(cert, status, as_of, horizon, step))
                .collect();
            expiring.sort_unstable();
            for warning in expiring {
                push_unique(&mut warnings, warning);
            }
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

fn performance_gap(step: &StepRules, rating: Option<&CountedRating>) -> Option<Gap> {
    let message = match rating {
        None => "no performance review on record".to_string(),
        Some(r) if !meets(r.rating, step.min_rating) => {
            let bar = fmt_rating(step.min_rating);
            let mut has = fmt_rating(r.rating);
            if has == bar {
                // Too close to show with two decimals: show it in full.
                has = r.rating.to_string();
            }
            let basis = if r.reviews == 1 {
                " (one review on record)"
            } else {
                ""
            };
            format!("needs a rating of {bar} (mean of the last two reviews); has {has}{basis}")
        }
        Some(_) => return None,
    };
    Some(Gap {
        kind: GapKind::Performance,
        message,
    })
}

fn tenure_message(
    required: u32,
    track: Option<PromotionTrack>,
    has: u32,
    completes_on: Option<NaiveDate>,
) -> String {
    let track = track.map_or(String::new(), |t| format!(" on the {t} track"));
    let base = format!("needs {required} months in role{track}; has {has}");
    match completes_on {
        Some(date) => format!(
            "{base} ({} more, eligible from {date})",
            required.saturating_sub(has)
        ),
        None => base,
    }
}

/// The trimmed language code of a certificate, if it has a non-empty one.
fn language_code(cert: &CertFact) -> Option<&str> {
    cert.language
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty())
}

/// Normalised language code of a language certificate.
fn language_key(cert: &CertFact) -> Option<String> {
    language_code(cert).map(|code| code.chars().flat_map(char::to_lowercase).collect())
}

/// Whether two certificates are in the same language (same [`language_key`]),
/// without allocating.
fn same_language(a: &CertFact, b: &CertFact) -> bool {
    match (language_code(a), language_code(b)) {
        (Some(a), Some(b)) => {
            a == b
                || a.chars()
                    .flat_map(char::to_lowercase)
                    .eq(b.chars().flat_map(char::to_lowercase))
        }
        _ => false,
    }
}

/// Whether `cert` is of the kind and level `req` asks for (validity aside).
pub(crate) fn satisfies(req: &Requirement, cert: &CertFact) -> bool {
    if cert.kind != req.kind {
        return false;
    }
    match req.kind {
        CertificationKind::SixSigma => match req.min_belt {
            None => true,
            Some(min) => cert.belt.is_some_and(|belt| belt >= min),
        },
        CertificationKind::Language => {
            language_code(cert).is_some()
                && match req.min_cefr {
                    None => true,
                    Some(min) => cert.cefr.is_some_and(|level| level >= min),
                }
        }
        CertificationKind::LeadershipTraining | CertificationKind::Other => true,
    }
}

/// How many units towards `req` the certificates for which `counts` holds
/// make (certificates, or distinct languages for LANGUAGE), counting no
/// further than `cap`. Does not allocate.
pub(crate) fn count_units(
    req: &Requirement,
    certs: &[CertFact],
    counts: impl Fn(&CertFact) -> bool,
    cap: usize,
) -> usize {
    let counts = |cert: &CertFact| satisfies(req, cert) && counts(cert);
    let mut units = 0;
    for (i, cert) in certs.iter().enumerate() {
        if units >= cap {
            break;
        }
        let new_unit = counts(cert)
            && (req.kind != CertificationKind::Language
                || !certs[..i]
                    .iter()
                    .any(|earlier| counts(earlier) && same_language(earlier, cert)));
        if new_unit {
            units += 1;
        }
    }
    units
}

/// Whether the certificates for which `counts` holds meet `req`.
fn requirement_met_by(
    req: &Requirement,
    certs: &[CertFact],
    counts: impl Fn(&CertFact) -> bool,
) -> bool {
    let needed = usize::try_from(req.count).unwrap_or(usize::MAX);
    count_units(req, certs, counts, needed) >= needed
}

/// Whether `req` is met on `day` by VERIFIED, unexpired certificates.
pub(crate) fn requirement_met_on(req: &Requirement, certs: &[CertFact], day: NaiveDate) -> bool {
    requirement_met_by(req, certs, |c| cert_valid_on(c, day))
}

/// Certificates a met requirement depends on that stop counting by `horizon`
/// (their `expires_on <= horizon`) when, without them, the requirement would
/// no longer be met. Redundant certificates are not reported.
fn lapsing_certs<'c>(
    req: &Requirement,
    certs: &'c [CertFact],
    as_of: NaiveDate,
    horizon: NaiveDate,
) -> Vec<&'c CertFact> {
    let expires_by = |c: &CertFact| c.expires_on.is_some_and(|e| e <= horizon);
    if !requirement_met_on(req, certs, as_of)
        || requirement_met_by(req, certs, |c| cert_valid_on(c, as_of) && !expires_by(c))
    {
        return Vec::new();
    }
    certs
        .iter()
        .filter(|c| satisfies(req, c) && cert_valid_on(c, as_of) && expires_by(c))
        .collect()
}

/// Why a certificate of the right kind and level does not count on `as_of`.
fn invalid_reason(cert: &CertFact, as_of: NaiveDate) -> Option<String> {
    let name = &cert.name;
    match cert.status {
        CertificationStatus::Pending => Some(format!("'{name}' is pending verification")),
        CertificationStatus::Rejected => Some(format!("'{name}' was rejected")),
        CertificationStatus::Verified if cert.issued_on > as_of => {
            Some(format!("'{name}' is not valid until {}", cert.issued_on))
        }
        CertificationStatus::Verified => cert
            .expires_on
            .filter(|&expires| expires <= as_of)
            .map(|expires| format!("'{name}' expired on {expires}")),
    }
}

fn has_count(n: usize) -> String {
    if n == 0 {
        "none".to_string()
    } else {
        n.to_string()
    }
}

pub(crate) fn requirement_gap(req: &Requirement, certs: &[CertFact], as_of: NaiveDate) -> Gap {
    let count = req.count;
    let held = has_count(count_units(
        req,
        certs,
        |c| cert_valid_on(c, as_of),
        usize::MAX,
    ));
    let valid_of_kind = || {
        certs
            .iter()
            .filter(move |c| c.kind == req.kind && cert_valid_on(c, as_of))
    };
    let (kind, mut message, mut notes) = match req.kind {
        CertificationKind::SixSigma => {
            let mut belts: Vec<SixSigmaBelt> = valid_of_kind().filter_map(|c| c.belt).collect();
            belts.sort_unstable_by(|a, b| b.cmp(a));
            belts.dedup();
            let level = req
                .min_belt
                .map_or(String::new(), |b| format!(" {b} or higher"));
            let message = if count == 1 {
                let best = belts.first().map_or("none".to_string(), |b| b.to_string());
                match req.min_belt {
                    Some(_) => format!("needs Six Sigma{level}; has {best}"),
                    None => format!("needs a Six Sigma belt; has {best}"),
                }
            } else {
                let at = req
                    .min_belt
                    .map_or(String::new(), |b| format!(" at {b} or higher"));
                let mut message = format!("needs {count} Six Sigma belts{at}; has {held}");
                if !belts.is_empty() {
                    let list: Vec<&str> = belts.iter().map(|b| b.as_str()).collect();
                    message.push_str(&format!(" (holds {})", list.join(", ")));
                }
                message
            };
            (GapKind::Certification, message, Vec::new())
        }
        CertificationKind::Language => {
            // Best level per language, for what counts and what falls short.
            let mut best: BTreeMap<String, Option<CefrLevel>> = BTreeMap::new();
            for cert in valid_of_kind() {
                if let Some(key) = language_key(cert) {
                    let level = best.entry(key).or_insert(cert.cefr);
                    *level = (*level).max(cert.cefr);
                }
            }
            let meets_level = |level: Option<CefrLevel>| {
                req.min_cefr
                    .is_none_or(|min| level.is_some_and(|l| l >= min))
            };
            let describe = |code: &str, level: Option<CefrLevel>| match level {
                Some(level) => format!("{code} {level}"),
                None => format!("{code} without a CEFR level"),
            };
            let counted: Vec<String> = best
                .iter()
                .filter(|(_, &level)| meets_level(level))
                .map(|(code, &level)| describe(code, level))
                .collect();
            let below: Vec<String> = best
                .iter()
                .filter(|(_, &level)| !meets_level(level))
                .map(|(code, &level)| match (level, req.min_cefr) {
                    (Some(_), Some(min)) => format!("{} is below {min}", describe(code, level)),
                    _ => describe(code, level),
                })
                .collect();
            let noun = if count == 1 { "language" } else { "languages" };
            let level = req
                .min_cefr
                .map_or(String::new(), |l| format!(" at CEFR {l} or higher"));
            let mut message = format!("needs {count} {noun}{level}; has {held}");
            if !counted.is_empty() {
                message.push_str(&format!(" ({})", counted.join(", ")));
            }
            (GapKind::Language, message, below)
        }
        CertificationKind::LeadershipTraining => {
            let message = if count == 1 {
                format!("needs leadership training; has {held}")
            } else {
                format!("needs {count} leadership training certifications; has {held}")
            };
            (GapKind::Certification, message, Vec::new())
        }
        CertificationKind::Other => {
            let noun = if count == 1 {
                "certification"
            } else {
                "certifications"
            };
            let message = format!("needs {count} other {noun}; has {held}");
            (GapKind::Certification, message, Vec::new())
        }
    };
    // Sorted so that the message never depends on the order of the input.
    let mut invalid: Vec<String> = certs
        .iter()
        .filter(|c| satisfies(req, c))
        .filter_map(|c| invalid_reason(c, as_of))
        .collect();
    invalid.sort_unstable();
    invalid.dedup();
    notes.extend(invalid);
    for note in notes {
        message.push_str("; ");
        message.push_str(&note);
    }
    Gap { kind, message }
}

fn cert_label(cert: &CertFact) -> String {
    let name = &cert.name;
    match cert.kind {
        CertificationKind::SixSigma => match cert.belt {
            Some(belt) => format!("Six Sigma {belt} certificate '{name}'"),
            None => format!("Six Sigma certificate '{name}'"),
        },
        CertificationKind::Language => {
            let code = language_key(cert).unwrap_or_default();
            match cert.cefr {
                Some(level) => format!("{code} {level} language certificate '{name}'"),
                None => format!("{code} language certificate '{name}'"),
            }
        }
        CertificationKind::LeadershipTraining => {
            format!("leadership training certificate '{name}'")
        }
        CertificationKind::Other => format!("certificate '{name}'"),
    }
}

fn expiry_warning(
    cert: &CertFact,
    status: EligibilityStatus,
    as_of: NaiveDate,
    horizon: NaiveDate,
    step: &StepRules,
) -> String {
    let label = cert_label(cert);
    let expires = cert.expires_on.unwrap_or(horizon);
    let title = &step.target_role_title;
    if status == EligibilityStatus::NotYet {
        let when = if expires == horizon {
            format!("the day eligibility for {title} would start")
        } else {
            format!("before eligibility for {title} on {horizon}")
        };
        format!("{label} expires on {expires}, {when}: renew it")
    } else {
        let days = (expires - as_of).num_days();
        format!(
            "{label} expires on {expires}, in {days} days; eligibility for {title} depends on it: \
             renew it"
        )
    }
}

fn pay_warnings(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    band: Option<&Band>,
    projected: Option<i64>,
) -> Vec<String> {
    let currency = &facts.currency;
    let title = &step.target_role_title;
    let amount = |minor: i64| format!("{} {currency}", money::format_amount(minor, currency));
    let mut warnings = Vec::new();
    match band {
        None => warnings.push(format!(
            "no salary band in {currency} for {}; projected pay is not clamped",
            step.target_role_code
        )),
        Some(band) => {
            let raised = money::apply_raise(facts.salary_minor, step.raise_min_bp);
            if facts.salary_minor > band.max {
                warnings.push(format!(
                    "current salary {} exceeds the {title} band maximum {}; the promotion \
                     could not give the minimum raise",
                    amount(facts.salary_minor),
                    amount(band.max)
                ));
            } else if raised.is_some_and(|r| r > band.max) {
                warnings.push(format!(
                    "the minimum raise of {} would exceed the {title} band maximum {}; \
                     projected pay is capped there",
                    fmt_basis_points(step.raise_min_bp),
                    amount(band.max)
                ));
            }
        }
    }
    if projected.is_none() {
        warnings.push("projected pay could not be computed: the amount is too large".into());
    }
    warnings
}

fn push_unique(warnings: &mut Vec<String>, warning: String) {
    if !warnings.contains(&warning) {
        warnings.push(warning);
    }
}

/// A rating with up to two decimals and at least one: 3.0, 2.5, 2.75.
fn fmt_rating(x: f64) -> String {
    let mut text = format!("{x:.2}");
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.push('0');
        }
    }
    text
}

/// Basis points as a percentage: 2000 -> "20%", 1250 -> "12.5%".
fn fmt_basis_points(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let magnitude = bp.unsigned_abs();
    let (whole, hundredths) = (magnitude / 100, magnitude % 100);
    match hundredths {
        0 => format!("{sign}{whole}%"),
        h if h % 10 == 0 => format!("{sign}{whole}.{}%", h / 10),
        h => format!("{sign}{whole}.{h:02}%"),
    }
}

/// A requirement in words, e.g. "Six Sigma YELLOW or higher" or
/// "2 languages at CEFR B2 or higher".
pub fn describe_requirement(req: &Requirement) -> String {
    let count = req.count.max(1);
    match req.kind {
        CertificationKind::SixSigma => {
            let level = req
                .min_belt
                .map_or(String::new(), |b| format!(" {b} or higher"));
            if count == 1 {
                format!("Six Sigma{level}")
            } else {
                format!("{count} Six Sigma belts{level}")
            }
        }
        CertificationKind::Language => {
            let level = req
                .min_cefr
                .map_or(String::new(), |c| format!(" at CEFR {c} or higher"));
            if count == 1 {
                format!("1 language{level}")
            } else {
                format!("{count} languages{level}")
            }
        }
        CertificationKind::LeadershipTraining => {
            if count == 1 {
                "leadership training".to_owned()
            } else {
                format!("{count} leadership trainings")
            }
        }
        CertificationKind::Other => format!("{count} other certification(s)"),
    }
}

#[cfg(test)]
mod tests;
