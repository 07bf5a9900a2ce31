//! Whether an employee's facts meet a step's requirements on a given day:
//! which certificates count and towards what, and which skill assessments
//! count and at what level.

use chrono::NaiveDate;

use super::{CertFact, Requirement, SkillFact, SkillRequirement};
use crate::domain::enums::{AssessmentSource, CertificationKind, CertificationStatus};

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
pub(super) fn lapsing_certs<'c>(
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

/// The trimmed language code of a certificate, if it has a non-empty one.
fn language_code(cert: &CertFact) -> Option<&str> {
    cert.language
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty())
}

/// Normalised language code of a language certificate.
pub(super) fn language_key(cert: &CertFact) -> Option<String> {
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

/// Whether the counted level of `req`'s skill on `day` reaches its minimum.
pub(crate) fn skill_met_on(req: &SkillRequirement, skills: &[SkillFact], day: NaiveDate) -> bool {
    skill_level_on(skills, req.skill_id, day).is_some_and(|level| level >= req.min_level)
}
