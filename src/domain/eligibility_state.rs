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

use super::eligibility::{
    CertFact, EmployeeFacts, Progression, SkillFact, StepRules, STALLED_AFTER_MONTHS,
};
use super::enums::{CertificationStatus, EligibilityStatus, GapKind, PromotionTrack};
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

/// How a progression counts on the dashboards: eligible (at least one
/// option ELIGIBLE; fast-track when one of those is on the fast track),
/// else not-yet (an option only short of tenure), else ineligible (has
/// options, all INELIGIBLE), else no next step (the role has no step out):
/// the four partition the headcount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    pub eligible: bool,
    pub fast_track: bool,
    pub not_yet: bool,
    pub ineligible: bool,
    /// The role has no step out: none of the three above.
    pub no_next_step: bool,
    pub stalled: bool,
}

/// The dashboard verdict of a progression.
pub fn verdict(p: &Progression) -> Verdict {
    let eligible = p.eligible;
    Verdict {
        eligible,
        fast_track: p.options.iter().any(|o| {
            o.status == EligibilityStatus::Eligible && o.track == Some(PromotionTrack::FastTrack)
        }),
        not_yet: !eligible
            && p.options
                .iter()
                .any(|o| o.status == EligibilityStatus::NotYet),
        ineligible: !p.options.is_empty()
            && p.options
                .iter()
                .all(|o| o.status == EligibilityStatus::Ineligible),
        no_next_step: p.options.is_empty(),
        stalled: p.stalled,
    }
}

/// Keeps only the facts that can change an answer: VERIFIED certificates
/// and assessments from a source that counts. The others must not make a
/// stored answer due on their dates.
pub fn retain_counted(certs: &mut Vec<CertFact>, skills: &mut Vec<SkillFact>) {
    certs.retain(|c| c.status == CertificationStatus::Verified);
    skills.retain(|s| s.source.counts());
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
/// may differ, or (a future hire) the person starts to count in today's
/// figures; `None` when no dated fact lies ahead (the state holds until a
/// write).
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
    let hire = std::iter::once(Some(facts.hired_on));
    reviews
        .chain(hire)
        .chain(certificates)
        .chain(assessments)
        .chain(tenure)
        .chain(std::iter::once(stall))
        .flatten()
        .filter(|day| *day > as_of)
        .min()
}

/// Options as one line of text for storage: per step
/// `step_id,STATUS,TRACK,eligible_on,GAP|GAP`, steps separated by `;`
/// (empty fields for none). Wire names and ISO dates only, so a person
/// reading the table can read it too.
pub fn encode_options(options: &[StepState]) -> String {
    let mut out = String::new();
    for (i, o) in options.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        let gaps: Vec<&str> = o.gap_kinds.iter().map(|g| g.as_str()).collect();
        out.push_str(&format!(
            "{},{},{},{},{}",
            o.step_id,
            o.status.as_str(),
            o.track.map(PromotionTrack::as_str).unwrap_or_default(),
            o.eligible_on.map(|d| d.to_string()).unwrap_or_default(),
            gaps.join("|")
        ));
    }
    out
}

/// Reads [`encode_options`] back; `None` when the text is not its output.
pub fn decode_options(text: &str) -> Option<Vec<StepState>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(';')
        .map(|item| {
            let mut parts = item.split(',');
            let step_id = parts.next()?.parse().ok()?;
            let status = EligibilityStatus::parse(parts.next()?)?;
            let track = match parts.next()? {
                "" => None,
                t => Some(PromotionTrack::parse(t)?),
            };
            let eligible_on = match parts.next()? {
                "" => None,
                d => Some(d.parse().ok()?),
            };
            let gap_kinds = match parts.next()? {
                "" => Vec::new(),
                g => g.split('|').map(GapKind::parse).collect::<Option<_>>()?,
            };
            parts.next().is_none().then_some(StepState {
                step_id,
                status,
                track,
                eligible_on,
                gap_kinds,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_round_trip_through_text() {
        let options = vec![
            StepState {
                step_id: 3,
                status: EligibilityStatus::Eligible,
                track: Some(PromotionTrack::FastTrack),
                eligible_on: NaiveDate::from_ymd_opt(2026, 2, 28),
                gap_kinds: vec![],
            },
            StepState {
                step_id: 12,
                status: EligibilityStatus::Ineligible,
                track: None,
                eligible_on: None,
                gap_kinds: vec![GapKind::Tenure, GapKind::Skill],
            },
        ];
        let text = encode_options(&options);
        assert_eq!(
            text,
            "3,ELIGIBLE,FAST_TRACK,2026-02-28,;12,INELIGIBLE,,,TENURE|SKILL"
        );
        assert_eq!(decode_options(&text), Some(options));
        assert_eq!(decode_options(""), Some(vec![]));
        assert_eq!(decode_options("3,ELIGIBLE"), None);
        assert_eq!(decode_options("3,MAYBE,,,"), None);
    }
}
