//! The words of an answer: what a gap says is missing and what the
//! employee already has, the warnings, and requirements described for
//! people. Which gaps and warnings there are is decided in
//! [`rules`](super::rules); this module only says them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::requirements::{
    cert_valid_on, count_units, counted_assessment_on, language_key, satisfies, self_level_on,
};
use super::rules::CountedRating;
use super::{CertFact, EmployeeFacts, Gap, Requirement, SkillFact, SkillRequirement, StepRules};
use crate::domain::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, EligibilityStatus,
    GapKind, PromotionTrack, SixSigmaBelt,
};
use crate::domain::money::{self, Band};
use crate::domain::words;

/// The SKILL gap for `req`: the level needed, the counted level and who
/// gave it, and the self-assessed level when there is one.
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

/// The message of a PERFORMANCE gap: no review on record, or the rating
/// (shown in full when two decimals would make it look like the bar) and
/// the bar it misses.
pub(super) fn performance_message(step: &StepRules, rating: Option<&CountedRating>) -> String {
    let Some(r) = rating else {
        return "no performance review on record".to_string();
    };
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

/// The message of a TENURE gap.
pub(super) fn tenure_message(
    required: u32,
    track: Option<PromotionTrack>,
    has: u32,
    completes_on: Option<NaiveDate>,
) -> String {
    let track = track.map_or(String::new(), |t| format!(" on {}", words::track(t)));
    let base = format!("needs {required} months in role{track}; has {has}");
    match completes_on {
        Some(date) => format!(
            "{base} ({} more, eligible from {})",
            required.saturating_sub(has),
            words::date(date)
        ),
        None => base,
    }
}

/// Why a certificate of the right kind and level does not count on `as_of`.
fn invalid_reason(cert: &CertFact, as_of: NaiveDate) -> Option<String> {
    let name = &cert.name;
    match cert.status {
        CertificationStatus::Pending => Some(format!("'{name}' is pending verification")),
        CertificationStatus::Rejected => Some(format!("'{name}' was rejected")),
        CertificationStatus::Verified if cert.issued_on > as_of => Some(format!(
            "'{name}' is not valid until {}",
            words::date(cert.issued_on)
        )),
        CertificationStatus::Verified => cert
            .expires_on
            .filter(|&expires| expires <= as_of)
            .map(|expires| format!("'{name}' expired on {}", words::date(expires))),
    }
}

fn has_count(n: usize) -> String {
    if n == 0 {
        "none".to_string()
    } else {
        n.to_string()
    }
}

/// The gap for a certification requirement `req` that is not met on
/// `as_of`: what it needs and what counts towards it, then why the
/// certificates of the right kind and level that do not count don't.
pub(crate) fn requirement_gap(req: &Requirement, certs: &[CertFact], as_of: NaiveDate) -> Gap {
    let held = has_count(count_units(
        req,
        certs,
        |c| cert_valid_on(c, as_of),
        usize::MAX,
    ));
    let valid = valid_of_kind(certs, req.kind, as_of);
    let (kind, mut message, mut notes) = match req.kind {
        CertificationKind::SixSigma => (
            GapKind::Certification,
            six_sigma_shortfall(req, valid, &held),
            Vec::new(),
        ),
        CertificationKind::Language => {
            let (message, below) = language_shortfall(req, valid, &held);
            (GapKind::Language, message, below)
        }
        CertificationKind::LeadershipTraining => (
            GapKind::Certification,
            leadership_shortfall(req.count, &held),
            Vec::new(),
        ),
        CertificationKind::Other => (
            GapKind::Certification,
            other_shortfall(req.count, &held),
            Vec::new(),
        ),
    };
    notes.extend(invalid_reasons(req, certs, as_of));
    for note in notes {
        message.push_str("; ");
        message.push_str(&note);
    }
    Gap { kind, message }
}

/// The certificates of `kind` that count on `as_of`, whatever their level.
fn valid_of_kind(
    certs: &[CertFact],
    kind: CertificationKind,
    as_of: NaiveDate,
) -> impl Iterator<Item = &CertFact> + '_ {
    certs
        .iter()
        .filter(move |c| c.kind == kind && cert_valid_on(c, as_of))
}

/// A SIX_SIGMA requirement: the best belt held when one is needed, else how
/// many count and which belts are held.
fn six_sigma_shortfall<'c>(
    req: &Requirement,
    valid: impl Iterator<Item = &'c CertFact>,
    held: &str,
) -> String {
    let count = req.count;
    let mut belts: Vec<SixSigmaBelt> = valid.filter_map(|c| c.belt).collect();
    belts.sort_unstable_by(|a, b| b.cmp(a));
    belts.dedup();
    if count == 1 {
        let level = req
            .min_belt
            .map_or(String::new(), |b| format!(" {} or higher", words::belt(b)));
        let best = belts
            .first()
            .map_or("none".to_string(), |&b| words::belt(b).to_string());
        return match req.min_belt {
            Some(_) => format!("needs a Six Sigma{level}; has {best}"),
            None => format!("needs a Six Sigma belt; has {best}"),
        };
    }
    let at = req.min_belt.map_or(String::new(), |b| {
        format!(" at {} or higher", words::belt(b))
    });
    let mut message = format!("needs {count} Six Sigma belts{at}; has {held}");
    if !belts.is_empty() {
        let list: Vec<&str> = belts.iter().map(|&b| words::belt(b)).collect();
        message.push_str(&format!(" (holds {})", list.join(", ")));
    }
    message
}

/// A LANGUAGE requirement: how many languages count and which, and (the
/// notes) the languages held below the level asked for.
fn language_shortfall<'c>(
    req: &Requirement,
    valid: impl Iterator<Item = &'c CertFact>,
    held: &str,
) -> (String, Vec<String>) {
    let count = req.count;
    let best = best_language_levels(valid);
    let meets_level = |level: Option<CefrLevel>| {
        req.min_cefr
            .is_none_or(|min| level.is_some_and(|l| l >= min))
    };
    let counted: Vec<String> = best
        .iter()
        .filter(|(_, &level)| meets_level(level))
        .map(|(code, &level)| describe_language(code, level))
        .collect();
    let below: Vec<String> = best
        .iter()
        .filter(|(_, &level)| !meets_level(level))
        .map(|(code, &level)| match (level, req.min_cefr) {
            (Some(_), Some(min)) => format!("{} is below {min}", describe_language(code, level)),
            _ => describe_language(code, level),
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
    (message, below)
}

/// Best level per language (by [`language_key`]), for what counts and what
/// falls short.
fn best_language_levels<'c>(
    valid: impl Iterator<Item = &'c CertFact>,
) -> BTreeMap<String, Option<CefrLevel>> {
    let mut best: BTreeMap<String, Option<CefrLevel>> = BTreeMap::new();
    for cert in valid {
        if let Some(key) = language_key(cert) {
            let level = best.entry(key).or_insert(cert.cefr);
            *level = (*level).max(cert.cefr);
        }
    }
    best
}

fn describe_language(code: &str, level: Option<CefrLevel>) -> String {
    match level {
        Some(level) => format!("{} {level}", words::language(code)),
        None => format!("{} without a CEFR level", words::language(code)),
    }
}

fn leadership_shortfall(count: u32, held: &str) -> String {
    if count == 1 {
        format!("needs leadership training; has {held}")
    } else {
        format!("needs {count} leadership training certifications; has {held}")
    }
}

fn other_shortfall(count: u32, held: &str) -> String {
    let noun = if count == 1 {
        "certification"
    } else {
        "certifications"
    };
    format!("needs {count} other {noun}; has {held}")
}

/// Why each certificate of the kind and level `req` asks for does not count
/// on `as_of`, sorted so that the message never depends on the order of the
/// input.
fn invalid_reasons(req: &Requirement, certs: &[CertFact], as_of: NaiveDate) -> Vec<String> {
    let mut invalid: Vec<String> = certs
        .iter()
        .filter(|c| satisfies(req, c))
        .filter_map(|c| invalid_reason(c, as_of))
        .collect();
    invalid.sort_unstable();
    invalid.dedup();
    invalid
}

fn cert_label(cert: &CertFact) -> String {
    let name = &cert.name;
    match cert.kind {
        CertificationKind::SixSigma => match cert.belt {
            Some(belt) => format!("Six Sigma {} certificate '{name}'", words::belt(belt)),
            None => format!("Six Sigma certificate '{name}'"),
        },
        CertificationKind::Language => {
            let code = language_key(cert).unwrap_or_default();
            match cert.cefr {
                Some(level) => format!(
                    "{} {level} language certificate '{name}'",
                    words::language(&code)
                ),
                None => format!("{} language certificate '{name}'", words::language(&code)),
            }
        }
        CertificationKind::LeadershipTraining => {
            format!("leadership training certificate '{name}'")
        }
        CertificationKind::Other => format!("certificate '{name}'"),
    }
}

pub(super) fn expiry_warning(
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
            format!("before eligibility for {title} on {}", words::date(horizon))
        };
        format!(
            "{label} expires on {}, {when}: renew it",
            words::date(expires)
        )
    } else {
        let days = (expires - as_of).num_days();
        format!(
            "{label} expires on {}, in {days} days; eligibility for {title} depends on it: \
             renew it",
            words::date(expires)
        )
    }
}

pub(super) fn pay_warnings(
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
            "no salary band in {currency} for {title}; projected pay is not clamped"
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

pub(super) fn push_unique(warnings: &mut Vec<String>, warning: String) {
    if !warnings.contains(&warning) {
        warnings.push(warning);
    }
}

/// A rating with up to two decimals and at least one: 3.0, 2.5, 2.75.
pub(super) fn fmt_rating(x: f64) -> String {
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
pub(super) fn fmt_basis_points(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let magnitude = bp.unsigned_abs();
    let (whole, hundredths) = (magnitude / 100, magnitude % 100);
    match hundredths {
        0 => format!("{sign}{whole}%"),
        h if h % 10 == 0 => format!("{sign}{whole}.{}%", h / 10),
        h => format!("{sign}{whole}.{h:02}%"),
    }
}

/// A requirement in words, e.g. "Six Sigma Yellow Belt or higher" or
/// "2 languages at CEFR B2 or higher".
pub fn describe_requirement(req: &Requirement) -> String {
    let count = req.count.max(1);
    match req.kind {
        CertificationKind::SixSigma => {
            if count == 1 {
                let level = req.min_belt.map_or(" belt".to_string(), |b| {
                    format!(" {} or higher", words::belt(b))
                });
                format!("Six Sigma{level}")
            } else {
                let level = req.min_belt.map_or(String::new(), |b| {
                    format!(" at {} or higher", words::belt(b))
                });
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
        CertificationKind::Other if count == 1 => "1 other certification".to_owned(),
        CertificationKind::Other => format!("{count} other certifications"),
    }
}
