use chrono::Days;
use proptest::prelude::*;

use super::event_days::eligible_since;
use super::messages::{fmt_basis_points, fmt_rating};
use super::rules::eligible_on_day;
use super::*;
use crate::domain::money;
use crate::domain::tenure::add_months;

const JPY_BAND: (i64, i64) = (480_000, 700_000);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn review(period_end: NaiveDate, rating: f64) -> ReviewFact {
    ReviewFact { period_end, rating }
}

fn cert(kind: CertificationKind, name: &str, issued_on: NaiveDate) -> CertFact {
    CertFact {
        kind,
        name: name.into(),
        belt: None,
        language: None,
        cefr: None,
        status: CertificationStatus::Verified,
        issued_on,
        expires_on: None,
    }
}

fn belt(belt: SixSigmaBelt, name: &str, issued_on: NaiveDate) -> CertFact {
    CertFact {
        belt: Some(belt),
        ..cert(CertificationKind::SixSigma, name, issued_on)
    }
}

fn lang(code: &str, level: CefrLevel, issued_on: NaiveDate) -> CertFact {
    CertFact {
        language: Some(code.into()),
        cefr: Some(level),
        ..cert(
            CertificationKind::Language,
            &format!("{code} {level}"),
            issued_on,
        )
    }
}

fn leadership(name: &str, issued_on: NaiveDate) -> CertFact {
    cert(CertificationKind::LeadershipTraining, name, issued_on)
}

fn with_status(cert: CertFact, status: CertificationStatus) -> CertFact {
    CertFact { status, ..cert }
}

fn expiring(cert: CertFact, expires_on: NaiveDate) -> CertFact {
    CertFact {
        expires_on: Some(expires_on),
        ..cert
    }
}

fn requirement(kind: CertificationKind) -> Requirement {
    Requirement {
        kind,
        min_belt: None,
        min_cefr: None,
        count: 1,
    }
}

fn six_sigma_at_least(min: SixSigmaBelt) -> Requirement {
    Requirement {
        min_belt: Some(min),
        ..requirement(CertificationKind::SixSigma)
    }
}

fn languages_at_least(count: u32, min: CefrLevel) -> Requirement {
    Requirement {
        min_cefr: Some(min),
        count,
        ..requirement(CertificationKind::Language)
    }
}

fn jpy_band() -> Band {
    Band {
        min: JPY_BAND.0,
        max: JPY_BAND.1,
        midpoint: money::default_midpoint(JPY_BAND.0, JPY_BAND.1),
        currency: "JPY".into(),
        basis: crate::domain::enums::PayBasis::Annual,
        annual_hours: crate::domain::pay_basis::DEFAULT_ANNUAL_HOURS,
    }
}

/// The seeded CSR -> TEAM_LEAD step with the given certification needs.
fn team_lead(requirements: Vec<Requirement>) -> StepRules {
    StepRules {
        skill_requirements: Vec::new(),
        step_id: 1,
        target_role_code: "TEAM_LEAD".into(),
        target_role_title: "Team Lead".into(),
        fast_track_months: 12,
        standard_months: 18,
        min_rating: 3.0,
        top_performer_rating: 4.0,
        raise_min_bp: 2000,
        raise_max_bp: 3000,
        requirements,
        target_band: Some(jpy_band()),
    }
}

fn facts<'a>(
    role_since: NaiveDate,
    certifications: &'a [CertFact],
    reviews: &'a [ReviewFact],
) -> EmployeeFacts<'a> {
    EmployeeFacts {
        skills: &[],
        hired_on: role_since,
        role_since,
        salary_minor: 400_000,
        currency: "JPY".into(),
        pay: crate::domain::pay_basis::PayTerms::default(),
        certifications,
        reviews,
        has_open_nomination: false,
    }
}

fn only_option(progression: Progression) -> OptionResult {
    assert_eq!(progression.options.len(), 1);
    progression.options.into_iter().next().expect("one option")
}

fn evaluate_one(
    role_since: NaiveDate,
    certs: &[CertFact],
    reviews: &[ReviewFact],
    step: StepRules,
    as_of: NaiveDate,
) -> OptionResult {
    only_option(evaluate(&facts(role_since, certs, reviews), &[step], as_of))
}

/// Ratings 4.0 and 4.5: a top performer (mean 4.25) since 2025-12-31.
fn top_reviews() -> Vec<ReviewFact> {
    vec![review(d(2025, 6, 30), 4.0), review(d(2025, 12, 31), 4.5)]
}

/// Ratings 3.0 and 3.5: meets the bar (mean 3.25), not a top performer.
fn solid_reviews() -> Vec<ReviewFact> {
    vec![review(d(2025, 6, 30), 3.0), review(d(2025, 12, 31), 3.5)]
}

fn gap(kind: GapKind, message: &str) -> Gap {
    Gap {
        kind,
        message: message.into(),
    }
}

// --- tenure and track ---------------------------------------------------

#[test]
fn a_top_performer_is_eligible_on_the_fast_track_at_exactly_twelve_months() {
    let r = top_reviews();
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.track, Some(PromotionTrack::FastTrack));
    assert_eq!(o.eligible_on, Some(d(2026, 1, 15)));
    assert!(o.gaps.is_empty());
}

#[test]
fn a_top_performer_is_not_yet_eligible_the_day_before_twelve_months() {
    let r = top_reviews();
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 1, 14));
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert_eq!(o.track, Some(PromotionTrack::FastTrack));
    assert_eq!(o.eligible_on, Some(d(2026, 1, 15)));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Tenure,
            "needs 12 months in role on the fast track; has 11 \
             (1 more, eligible from 15 Jan 2026)"
        )]
    );
}

#[test]
fn a_solid_performer_is_eligible_on_the_standard_track_at_exactly_eighteen_months() {
    let r = solid_reviews();
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 7, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.track, Some(PromotionTrack::Standard));
    assert_eq!(o.eligible_on, Some(d(2026, 7, 15)));
}

#[test]
fn a_solid_performer_is_not_yet_eligible_at_seventeen_months() {
    let r = solid_reviews();
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 7, 14));
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert_eq!(o.eligible_on, Some(d(2026, 7, 15)));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Tenure,
            "needs 18 months in role on the standard track; has 17 \
             (1 more, eligible from 15 Jul 2026)"
        )]
    );
}

#[test]
fn the_tenure_gap_says_how_many_months_remain_and_from_when() {
    let r = vec![review(d(2025, 12, 31), 3.0), review(d(2026, 3, 31), 3.5)];
    let o = evaluate_one(d(2025, 7, 15), &[], &r, team_lead(vec![]), d(2026, 6, 20));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Tenure,
            "needs 18 months in role on the standard track; has 11 \
             (7 more, eligible from 15 Jan 2027)"
        )]
    );
}

#[test]
fn a_january_31_role_start_completes_its_months_at_the_end_of_february() {
    let step = StepRules {
        skill_requirements: Vec::new(),
        fast_track_months: 13,
        ..team_lead(vec![])
    };
    let r = top_reviews();
    let before = evaluate_one(d(2025, 1, 31), &[], &r, step.clone(), d(2026, 2, 27));
    assert_eq!(before.status, EligibilityStatus::NotYet);
    assert_eq!(before.eligible_on, Some(d(2026, 2, 28)));
    let on = evaluate_one(d(2025, 1, 31), &[], &r, step, d(2026, 2, 28));
    assert_eq!(on.status, EligibilityStatus::Eligible);
    assert_eq!(on.eligible_on, Some(d(2026, 2, 28)));
}

#[test]
fn a_february_29_role_start_completes_a_year_on_february_28() {
    let r = vec![review(d(2024, 6, 30), 4.0), review(d(2024, 12, 31), 4.0)];
    let before = evaluate_one(d(2024, 2, 29), &[], &r, team_lead(vec![]), d(2025, 2, 27));
    assert_eq!(before.status, EligibilityStatus::NotYet);
    assert_eq!(before.eligible_on, Some(d(2025, 2, 28)));
    let on = evaluate_one(d(2024, 2, 29), &[], &r, team_lead(vec![]), d(2025, 2, 28));
    assert_eq!(on.status, EligibilityStatus::Eligible);
}

#[test]
fn a_rating_exactly_at_the_top_performer_bar_takes_the_fast_track() {
    let r = vec![review(d(2025, 6, 30), 3.5), review(d(2025, 12, 31), 4.5)];
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 1, 15));
    assert_eq!(o.track, Some(PromotionTrack::FastTrack));
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

#[test]
fn a_rating_just_below_the_top_performer_bar_takes_the_standard_track() {
    let r = vec![review(d(2025, 6, 30), 3.9), review(d(2025, 12, 31), 4.0)];
    let o = evaluate_one(d(2025, 1, 15), &[], &r, team_lead(vec![]), d(2026, 1, 15));
    assert_eq!(o.track, Some(PromotionTrack::Standard));
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert_eq!(o.eligible_on, Some(d(2026, 7, 15)));
}

#[test]
fn float_noise_in_the_mean_rating_does_not_miss_the_bar() {
    for (a, b) in [(2.9, 3.1), (2.8, 3.2), (2.7, 3.3), (2.6, 3.4), (2.2, 3.8)] {
        let r = vec![review(d(2025, 6, 30), a), review(d(2025, 12, 31), b)];
        let o = evaluate_one(d(2024, 1, 15), &[], &r, team_lead(vec![]), d(2026, 1, 15));
        assert_eq!(o.status, EligibilityStatus::Eligible, "{a} and {b}");
    }
}

// --- performance --------------------------------------------------------

#[test]
fn no_review_on_record_is_a_performance_gap_with_no_track() {
    let o = evaluate_one(d(2025, 1, 15), &[], &[], team_lead(vec![]), d(2025, 6, 1));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(o.track, None);
    assert_eq!(o.eligible_on, None);
    assert_eq!(
        o.gaps,
        vec![gap(GapKind::Performance, "no performance review on record")]
    );
}

#[test]
fn a_rating_below_the_bar_is_ineligible_and_still_shows_the_tenure_gap() {
    let r = vec![review(d(2025, 6, 30), 2.0), review(d(2025, 12, 31), 3.0)];
    let o = evaluate_one(d(2025, 7, 15), &[], &r, team_lead(vec![]), d(2026, 6, 20));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(o.track, Some(PromotionTrack::Standard));
    assert_eq!(o.eligible_on, None);
    assert_eq!(
        o.gaps,
        vec![
            gap(
                GapKind::Tenure,
                "needs 18 months in role on the standard track; has 11 \
                 (7 more, eligible from 15 Jan 2027)"
            ),
            gap(
                GapKind::Performance,
                "needs a rating of 3.0 (mean of the last two reviews); has 2.5"
            ),
        ]
    );
}

#[test]
fn a_rating_below_the_bar_with_enough_tenure_has_only_the_performance_gap() {
    let r = vec![review(d(2025, 6, 30), 2.5), review(d(2025, 12, 31), 3.0)];
    let o = evaluate_one(d(2023, 1, 1), &[], &r, team_lead(vec![]), d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Performance,
            "needs a rating of 3.0 (mean of the last two reviews); has 2.75"
        )]
    );
}

#[test]
fn with_one_review_only_the_rating_is_that_review() {
    let r = vec![review(d(2025, 12, 31), 4.5)];
    assert_eq!(rating_as_of(&r, d(2026, 1, 1)), Some(4.5));
    let p = evaluate(
        &facts(d(2025, 1, 15), &[], &r),
        &[team_lead(vec![])],
        d(2026, 1, 15),
    );
    assert_eq!(p.rating, Some(4.5));
    assert_eq!(p.options[0].track, Some(PromotionTrack::FastTrack));
    assert_eq!(p.options[0].status, EligibilityStatus::Eligible);
}

#[test]
fn a_single_low_review_says_it_is_the_only_one() {
    let r = vec![review(d(2025, 12, 31), 2.0)];
    let o = evaluate_one(d(2023, 1, 1), &[], &r, team_lead(vec![]), d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Performance,
            "needs a rating of 3.0 (mean of the last two reviews); has 2.0 \
             (one review on record)"
        )]
    );
}

#[test]
fn the_rating_is_the_mean_of_the_last_two_reviews_in_any_order() {
    let r = vec![
        review(d(2025, 12, 31), 5.0),
        review(d(2024, 12, 31), 1.0),
        review(d(2025, 6, 30), 3.0),
    ];
    assert_eq!(rating_as_of(&r, d(2026, 1, 1)), Some(4.0));
    let mut reversed = r.clone();
    reversed.reverse();
    assert_eq!(rating_as_of(&reversed, d(2026, 1, 1)), Some(4.0));
}

#[test]
fn a_review_after_the_evaluation_date_is_ignored() {
    let r = vec![
        review(d(2025, 6, 30), 4.0),
        review(d(2025, 12, 31), 4.0),
        review(d(2026, 1, 31), 1.0),
    ];
    assert_eq!(rating_as_of(&r, d(2026, 1, 15)), Some(4.0));
    assert_eq!(rating_as_of(&r, d(2026, 1, 31)), Some(2.5));
    assert_eq!(rating_as_of(&r, d(2025, 6, 29)), None);
}

#[test]
fn reviews_with_a_non_finite_rating_are_not_on_record() {
    let r = vec![
        review(d(2025, 6, 30), f64::NAN),
        review(d(2025, 12, 31), 4.0),
    ];
    assert_eq!(rating_as_of(&r, d(2026, 1, 1)), Some(4.0));
    assert_eq!(rating_as_of(&r[..1], d(2026, 1, 1)), None);
}

#[test]
fn reviews_sharing_a_period_end_give_the_same_rating_in_any_order() {
    let r = vec![
        review(d(2025, 12, 31), 2.0),
        review(d(2025, 12, 31), 4.0),
        review(d(2025, 12, 31), 3.0),
    ];
    let mut shuffled = r.clone();
    shuffled.swap(0, 2);
    assert_eq!(rating_as_of(&r, d(2026, 1, 1)), Some(3.5));
    assert_eq!(rating_as_of(&shuffled, d(2026, 1, 1)), Some(3.5));
}

// --- certifications -----------------------------------------------------

#[test]
fn a_certificate_counts_from_its_issue_day_until_the_day_before_it_expires() {
    let c = expiring(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2025, 1, 1)),
        d(2026, 1, 1),
    );
    assert!(!cert_valid_on(&c, d(2024, 12, 31)));
    assert!(cert_valid_on(&c, d(2025, 1, 1)));
    assert!(cert_valid_on(&c, d(2025, 12, 31)));
    assert!(!cert_valid_on(&c, d(2026, 1, 1)));
}

#[test]
fn only_verified_certificates_count() {
    let c = belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2025, 1, 1));
    assert!(cert_valid_on(&c, d(2025, 6, 1)));
    let pending = with_status(c.clone(), CertificationStatus::Pending);
    assert!(!cert_valid_on(&pending, d(2025, 6, 1)));
    let rejected = with_status(c, CertificationStatus::Rejected);
    assert!(!cert_valid_on(&rejected, d(2025, 6, 1)));
}

#[test]
fn a_certificate_expiring_on_the_evaluation_day_no_longer_counts() {
    let as_of = d(2026, 1, 15);
    let certs = [expiring(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2024, 1, 1)),
        as_of,
    )];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, as_of);
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs a Six Sigma Yellow Belt or higher; has none; 'Yellow Belt' expired on 15 Jan 2026"
        )]
    );
}

#[test]
fn a_certificate_expiring_the_day_after_the_evaluation_day_still_counts() {
    let as_of = d(2026, 1, 15);
    let certs = [expiring(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2024, 1, 1)),
        d(2026, 1, 16),
    )];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, as_of);
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

#[test]
fn a_rejected_certification_does_not_count() {
    let certs = [with_status(
        belt(SixSigmaBelt::Green, "Green Belt", d(2024, 1, 1)),
        CertificationStatus::Rejected,
    )];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs a Six Sigma Yellow Belt or higher; has none; 'Green Belt' was rejected"
        )]
    );
}

#[test]
fn a_pending_certification_does_not_count_yet() {
    let certs = [with_status(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2024, 1, 1)),
        CertificationStatus::Pending,
    )];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs a Six Sigma Yellow Belt or higher; has none; 'Yellow Belt' is pending verification"
        )]
    );
}

#[test]
fn a_green_belt_satisfies_yellow_or_higher() {
    let certs = [belt(SixSigmaBelt::Green, "Green Belt", d(2024, 1, 1))];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

#[test]
fn a_yellow_belt_does_not_satisfy_green_or_higher_and_the_gap_names_it() {
    let certs = [belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2024, 1, 1))];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Green)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs a Six Sigma Green Belt or higher; has Yellow Belt"
        )]
    );
}

#[test]
fn a_missing_leadership_training_is_a_certification_gap() {
    let step = team_lead(vec![requirement(CertificationKind::LeadershipTraining)]);
    let o = evaluate_one(d(2024, 1, 15), &[], &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs leadership training; has none"
        )]
    );
}

#[test]
fn other_certifications_count_one_by_one() {
    let step = team_lead(vec![Requirement {
        count: 2,
        ..requirement(CertificationKind::Other)
    }]);
    let one = [cert(CertificationKind::Other, "CX Basics", d(2024, 1, 1))];
    let o = evaluate_one(
        d(2024, 1, 15),
        &one,
        &top_reviews(),
        step.clone(),
        d(2026, 1, 15),
    );
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Certification,
            "needs 2 other certifications; has 1"
        )]
    );
    let two = [
        one[0].clone(),
        cert(CertificationKind::Other, "CX Advanced", d(2024, 2, 1)),
    ];
    let o = evaluate_one(d(2024, 1, 15), &two, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

#[test]
fn a_requirement_for_zero_certificates_is_always_met() {
    let step = team_lead(vec![Requirement {
        count: 0,
        ..six_sigma_at_least(SixSigmaBelt::Black)
    }]);
    let o = evaluate_one(d(2024, 1, 15), &[], &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

// --- languages ----------------------------------------------------------

#[test]
fn two_certificates_in_the_same_language_count_as_one_language() {
    let certs = [
        lang("ja", CefrLevel::B2, d(2023, 1, 1)),
        lang("JA", CefrLevel::C1, d(2024, 1, 1)),
    ];
    let step = team_lead(vec![languages_at_least(2, CefrLevel::B2)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Language,
            "needs 2 languages at CEFR B2 or higher; has 1 (Japanese C1)"
        )]
    );
}

#[test]
fn two_distinct_languages_at_c1_and_b2_meet_two_at_b2_or_higher() {
    let certs = [
        lang("ja", CefrLevel::C1, d(2023, 1, 1)),
        lang("en", CefrLevel::B2, d(2024, 1, 1)),
    ];
    let step = team_lead(vec![languages_at_least(2, CefrLevel::B2)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
}

#[test]
fn a_language_below_the_level_does_not_count_and_the_gap_says_so() {
    let certs = [
        lang("ja", CefrLevel::C1, d(2023, 1, 1)),
        lang("fr", CefrLevel::B1, d(2024, 1, 1)),
    ];
    let step = team_lead(vec![languages_at_least(2, CefrLevel::B2)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Language,
            "needs 2 languages at CEFR B2 or higher; has 1 (Japanese C1); French B1 is below B2"
        )]
    );
}

#[test]
fn a_pending_language_certificate_is_mentioned_in_the_gap() {
    let certs = [with_status(
        lang("en", CefrLevel::C2, d(2024, 1, 1)),
        CertificationStatus::Pending,
    )];
    let step = team_lead(vec![languages_at_least(1, CefrLevel::B2)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 1, 15));
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Language,
            "needs 1 language at CEFR B2 or higher; has none; 'en C2' is pending verification"
        )]
    );
}

#[test]
fn every_missing_requirement_is_listed_in_order() {
    let step = StepRules {
        skill_requirements: Vec::new(),
        target_role_code: "OPERATIONS_MANAGER".into(),
        target_role_title: "Operations Manager".into(),
        ..team_lead(vec![
            six_sigma_at_least(SixSigmaBelt::Green),
            requirement(CertificationKind::LeadershipTraining),
            languages_at_least(2, CefrLevel::B2),
        ])
    };
    let o = evaluate_one(d(2024, 1, 15), &[], &[], step, d(2026, 1, 15));
    let kinds: Vec<GapKind> = o.gaps.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds,
        [
            GapKind::Performance,
            GapKind::Certification,
            GapKind::Certification,
            GapKind::Language
        ]
    );
    assert_eq!(
        o.gaps[1].message,
        "needs a Six Sigma Green Belt or higher; has none"
    );
    assert_eq!(
        o.gaps[3].message,
        "needs 2 languages at CEFR B2 or higher; has none"
    );
}

// --- eligible_on --------------------------------------------------------

#[test]
fn eligible_on_is_the_tenure_date_when_everything_else_was_already_true() {
    let certs = [leadership("Lead 101", d(2024, 1, 1))];
    let step = team_lead(vec![requirement(CertificationKind::LeadershipTraining)]);
    let o = evaluate_one(d(2025, 1, 15), &certs, &top_reviews(), step, d(2026, 6, 1));
    assert_eq!(o.eligible_on, Some(d(2026, 1, 15)));
}

/// One review per calendar quarter, the first for the quarter starting
/// on `first_quarter`, with the given ratings.
fn quarterly(first_quarter: NaiveDate, ratings: &[f64]) -> Vec<ReviewFact> {
    (1u32..)
        .zip(ratings)
        .map(|(quarter, &rating)| {
            let next = add_months(first_quarter, 3 * quarter).expect("test date");
            review(next.pred_opt().expect("test date"), rating)
        })
        .collect()
}

fn stalled_with(f: &EmployeeFacts<'_>, step: &StepRules, as_of: NaiveDate) -> (bool, bool) {
    let open = EmployeeFacts {
        skills: &[],
        has_open_nomination: true,
        ..f.clone()
    };
    let steps = std::slice::from_ref(step);
    (
        evaluate(f, steps, as_of).stalled,
        evaluate(&open, steps, as_of).stalled,
    )
}

#[test]
fn good_quarterly_reviews_keep_eligible_on_at_the_tenure_date_so_the_person_is_stalled() {
    // Top ratings every quarter; 12 months on the fast track completed on
    // 2025-03-01, ten months before the evaluation date.
    let r = quarterly(d(2024, 1, 1), &[4.5, 4.0, 4.5, 4.5, 4.0, 4.5, 4.5, 4.0]);
    assert_eq!(r.last().map(|r| r.period_end), Some(d(2025, 12, 31)));
    let f = facts(d(2024, 3, 1), &[], &r);
    let as_of = d(2026, 1, 1);
    let o = only_option(evaluate(&f, &[team_lead(vec![])], as_of));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2025, 3, 1)));
    let (stalled, stalled_if_nominated) = stalled_with(&f, &team_lead(vec![]), as_of);
    assert!(
        stalled,
        "eligible since 1 Mar 2025 and nobody nominated them"
    );
    assert!(!stalled_if_nominated, "an open nomination is the answer");
}

#[test]
fn a_rating_that_reached_the_bar_only_at_the_latest_review_makes_that_review_eligible_on() {
    // Tenure long done; the mean of the last two reviews is 2.5 until the
    // 2025-12-31 review lifts it to 3.0.
    let r = quarterly(d(2025, 1, 1), &[2.5, 2.5, 2.5, 3.5]);
    let f = facts(d(2023, 1, 1), &[], &r);
    let as_of = d(2026, 1, 20);
    let o = only_option(evaluate(&f, &[team_lead(vec![])], as_of));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2025, 12, 31)));
    let day_before = only_option(evaluate(&f, &[team_lead(vec![])], d(2025, 12, 30)));
    assert_eq!(day_before.status, EligibilityStatus::Ineligible);
    assert_eq!(stalled_with(&f, &team_lead(vec![]), as_of), (false, false));
}

#[test]
fn one_bad_quarter_breaks_the_run_which_restarts_at_the_review_that_restored_the_mean() {
    // Eligible from the first review; the 2025-09-30 review (four months
    // before the evaluation date) pulls the mean to 2.75, the next one
    // lifts it back to 3.25.
    let r = quarterly(d(2025, 1, 1), &[3.5, 3.5, 2.0, 4.5]);
    let f = facts(d(2023, 1, 1), &[], &r);
    let step = team_lead(vec![]);
    let on = |day| only_option(evaluate(&f, std::slice::from_ref(&step), day));
    let before_the_dip = on(d(2025, 9, 29));
    assert_eq!(before_the_dip.status, EligibilityStatus::Eligible);
    assert_eq!(before_the_dip.eligible_on, Some(d(2025, 3, 31)));
    assert_eq!(on(d(2025, 9, 30)).status, EligibilityStatus::Ineligible);
    assert_eq!(on(d(2025, 12, 30)).status, EligibilityStatus::Ineligible);
    let recovered = on(d(2026, 1, 30));
    assert_eq!(recovered.status, EligibilityStatus::Eligible);
    assert_eq!(recovered.eligible_on, Some(d(2025, 12, 31)));
    assert_eq!(stalled_with(&f, &step, d(2026, 1, 30)), (false, false));
}

#[test]
fn a_certificate_issued_after_tenure_was_reached_makes_its_issue_date_eligible_on() {
    // Fast-track tenure reached on 2025-01-15, a year before; the
    // leadership training was only completed three months ago, and the
    // reviews kept coming after that.
    let r = quarterly(d(2024, 1, 1), &[4.0; 8]);
    let certs = [leadership("Lead 101", d(2025, 10, 15))];
    let step = team_lead(vec![requirement(CertificationKind::LeadershipTraining)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &r, step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2025, 10, 15)));
}

#[test]
fn eligible_on_is_when_the_last_needed_certificate_arrived_and_everything_else_held() {
    // Two trainings needed: the second arrived on 2025-09-01, when the one
    // review then on record (4.0) and tenure were already enough. The later
    // reviews and the third training change nothing.
    let certs = [
        leadership("Lead 101", d(2025, 3, 1)),
        leadership("Lead 201", d(2026, 2, 1)),
        leadership("Lead 102", d(2025, 9, 1)),
    ];
    let step = team_lead(vec![Requirement {
        count: 2,
        ..requirement(CertificationKind::LeadershipTraining)
    }]);
    let o = evaluate_one(
        d(2024, 1, 15),
        &certs,
        &top_reviews(),
        step.clone(),
        d(2026, 6, 1),
    );
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2025, 9, 1)));

    let late = [
        leadership("Lead 101", d(2025, 3, 1)),
        leadership("Lead 201", d(2026, 3, 10)),
    ];
    let o = evaluate_one(d(2024, 1, 15), &late, &top_reviews(), step, d(2026, 6, 1));
    assert_eq!(o.eligible_on, Some(d(2026, 3, 10)));
}

#[test]
fn a_certificate_replaced_without_a_gap_keeps_the_run_and_a_gap_restarts_it() {
    // Eligible since fast-track tenure on 2025-01-15, as long as a Yellow
    // Belt is valid. The old belt stops counting on 2025-06-01.
    let r = quarterly(d(2024, 1, 1), &[4.0; 8]);
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let old = expiring(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2023, 6, 1)),
        d(2025, 6, 1),
    );
    let renewed_on = |issued_on| {
        let certs = [
            old.clone(),
            belt(SixSigmaBelt::Yellow, "Yellow Belt (renewed)", issued_on),
        ];
        let o = evaluate_one(d(2024, 1, 15), &certs, &r, step.clone(), d(2026, 1, 15));
        assert_eq!(o.status, EligibilityStatus::Eligible);
        o.eligible_on
    };
    assert_eq!(
        renewed_on(d(2025, 5, 31)),
        Some(d(2025, 1, 15)),
        "the day before"
    );
    assert_eq!(
        renewed_on(d(2025, 6, 1)),
        Some(d(2025, 1, 15)),
        "the same day"
    );
    assert_eq!(
        renewed_on(d(2025, 6, 2)),
        Some(d(2025, 6, 2)),
        "a day's gap"
    );
    assert_eq!(
        renewed_on(d(2025, 7, 1)),
        Some(d(2025, 7, 1)),
        "a month's gap"
    );
}

#[test]
fn eligible_on_is_never_before_the_role_start() {
    // Reviews and certificates from the previous role count, but the run
    // of eligible days for this role starts no earlier than the role does,
    // and on the first day only if no months in role are needed.
    let r = vec![review(d(2024, 6, 30), 4.0), review(d(2024, 12, 31), 4.5)];
    let certs = [leadership("Lead 101", d(2023, 1, 1))];
    let f = EmployeeFacts {
        skills: &[],
        hired_on: d(2020, 4, 1),
        ..facts(d(2025, 3, 1), &certs, &r)
    };
    let step = |months| StepRules {
        skill_requirements: Vec::new(),
        fast_track_months: months,
        standard_months: months,
        ..team_lead(vec![requirement(CertificationKind::LeadershipTraining)])
    };
    let as_of = d(2025, 8, 1);
    let p = evaluate(&f, &[step(0), step(1)], as_of);
    assert_eq!(p.options[0].eligible_on, Some(d(2025, 3, 1)));
    assert_eq!(p.options[1].eligible_on, Some(d(2025, 4, 1)));
    let first_day = evaluate(&f, &[step(0), step(1)], d(2025, 3, 1));
    assert_eq!(first_day.options[0].status, EligibilityStatus::Eligible);
    assert_eq!(first_day.options[0].eligible_on, Some(d(2025, 3, 1)));
    assert_eq!(first_day.options[1].status, EligibilityStatus::NotYet);
}

#[test]
fn eligible_on_is_never_after_the_evaluation_date() {
    // Everything changes on the evaluation date itself: the review that
    // lifts the mean to 4.0 (the fast track), the 12 months, the training.
    let r = vec![review(d(2025, 6, 30), 3.0), review(d(2026, 1, 15), 5.0)];
    let certs = [leadership("Lead 101", d(2026, 1, 15))];
    let step = team_lead(vec![requirement(CertificationKind::LeadershipTraining)]);
    let o = evaluate_one(d(2025, 1, 15), &certs, &r, step, d(2026, 1, 15));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2026, 1, 15)));
}

#[test]
fn the_track_may_change_during_the_run_without_breaking_it() {
    // Fast track (12 months) from 2025-01-15 with a 4.5 mean; the
    // 2025-06-30 review drops the mean to 3.5, the standard track, whose
    // 18 months were complete on 2025-07-15, so the 15 days in between
    // break the run. With a 9-month standard track they do not.
    let r = vec![
        review(d(2024, 6, 30), 4.5),
        review(d(2024, 12, 31), 4.5),
        review(d(2025, 6, 30), 2.5),
    ];
    let f = facts(d(2024, 1, 15), &[], &r);
    let as_of = d(2026, 1, 15);
    let o = only_option(evaluate(&f, &[team_lead(vec![])], as_of));
    assert_eq!(o.track, Some(PromotionTrack::Standard));
    assert_eq!(o.eligible_on, Some(d(2025, 7, 15)));
    let lenient = StepRules {
        skill_requirements: Vec::new(),
        standard_months: 9,
        ..team_lead(vec![])
    };
    let o = only_option(evaluate(&f, &[lenient], as_of));
    assert_eq!(o.eligible_on, Some(d(2025, 1, 15)));
}

#[test]
fn eligible_on_for_languages_uses_the_first_certificate_of_each_language() {
    let certs = [
        lang("ja", CefrLevel::C1, d(2025, 2, 1)),
        lang("ja", CefrLevel::B2, d(2024, 1, 1)),
        lang("en", CefrLevel::B2, d(2026, 4, 1)),
        lang("fr", CefrLevel::C2, d(2026, 2, 1)),
        lang("de", CefrLevel::B1, d(2023, 1, 1)),
    ];
    let step = team_lead(vec![languages_at_least(2, CefrLevel::B2)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step, d(2026, 6, 1));
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(o.eligible_on, Some(d(2026, 2, 1)));
}

// --- progression, stalled -----------------------------------------------

#[test]
fn options_follow_the_order_of_the_steps() {
    let lead = team_lead(vec![requirement(CertificationKind::LeadershipTraining)]);
    let qa = StepRules {
        skill_requirements: Vec::new(),
        step_id: 2,
        target_role_code: "QUALITY_ANALYST".into(),
        target_role_title: "Quality Analyst".into(),
        ..team_lead(vec![])
    };
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        hired_on: d(2023, 4, 1),
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let p = evaluate(&f, &[lead, qa], d(2026, 2, 20));
    let ids: Vec<i64> = p.options.iter().map(|o| o.step_id).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(p.options[0].status, EligibilityStatus::Ineligible);
    assert_eq!(p.options[1].status, EligibilityStatus::Eligible);
    assert!(p.eligible);
    assert_eq!(p.months_of_service, 34);
    assert_eq!(p.months_in_role, 13);
    assert_eq!(p.rating, Some(4.25));
    assert_eq!(p.as_of, d(2026, 2, 20));
}

#[test]
fn an_employee_with_no_steps_is_neither_eligible_nor_stalled() {
    let p = evaluate(&facts(d(2020, 1, 1), &[], &[]), &[], d(2026, 1, 1));
    assert!(p.options.is_empty());
    assert!(!p.eligible);
    assert!(!p.stalled);
    assert_eq!(p.rating, None);
}

#[test]
fn an_employee_eligible_for_exactly_six_months_is_not_stalled() {
    let r = top_reviews();
    let p = evaluate(
        &facts(d(2025, 1, 15), &[], &r),
        &[team_lead(vec![])],
        d(2026, 7, 15),
    );
    assert_eq!(p.options[0].eligible_on, Some(d(2026, 1, 15)));
    assert!(p.eligible);
    assert!(!p.stalled);
}

#[test]
fn an_employee_eligible_for_six_months_and_a_day_is_stalled() {
    let r = top_reviews();
    let p = evaluate(
        &facts(d(2025, 1, 15), &[], &r),
        &[team_lead(vec![])],
        d(2026, 7, 16),
    );
    assert!(p.stalled);
}

#[test]
fn an_open_nomination_means_the_employee_is_not_stalled() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        has_open_nomination: true,
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let p = evaluate(&f, &[team_lead(vec![])], d(2027, 1, 1));
    assert!(p.eligible);
    assert!(!p.stalled);
}

#[test]
fn stalled_counts_from_the_earliest_eligible_option() {
    let r = top_reviews();
    let later = StepRules {
        skill_requirements: Vec::new(),
        step_id: 2,
        fast_track_months: 17,
        ..team_lead(vec![])
    };
    let f = facts(d(2025, 1, 15), &[], &r);
    let p = evaluate(&f, &[later.clone(), team_lead(vec![])], d(2026, 7, 16));
    assert!(p.stalled);
    let p = evaluate(&f, &[later], d(2026, 7, 16));
    assert!(!p.stalled);
}

// --- pay ----------------------------------------------------------------

#[test]
fn projected_salary_is_raised_to_the_band_minimum() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: 380_000,
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let o = only_option(evaluate(&f, &[team_lead(vec![])], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(480_000));
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
}

#[test]
fn projected_salary_is_the_minimum_raise_inside_the_band() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: 500_000,
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let o = only_option(evaluate(&f, &[team_lead(vec![])], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(600_000));
    assert!(o.warnings.is_empty());
}

#[test]
fn projected_salary_is_capped_at_the_band_maximum_with_a_warning() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: 650_000,
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let o = only_option(evaluate(&f, &[team_lead(vec![])], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(700_000));
    assert_eq!(
        o.warnings,
        [
            "the minimum raise of 20% would exceed the Team Lead band maximum 700000 JPY; \
          projected pay is capped there"
        ]
    );
}

#[test]
fn a_salary_above_the_band_maximum_is_warned_about() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: 750_000,
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let o = only_option(evaluate(&f, &[team_lead(vec![])], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(700_000));
    assert_eq!(
        o.warnings,
        [
            "current salary 750000 JPY exceeds the Team Lead band maximum 700000 JPY; \
          the promotion could not give the minimum raise"
        ]
    );
}

#[test]
fn a_band_in_another_currency_does_not_clamp_and_is_warned_about() {
    let r = top_reviews();
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: 5_000_050,
        currency: "USD".into(),
        ..facts(d(2025, 1, 15), &[], &r)
    };
    let o = only_option(evaluate(&f, &[team_lead(vec![])], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(6_000_060));
    assert_eq!(
        o.warnings,
        ["no salary band in USD for Team Lead; projected pay is not clamped"]
    );
    let no_band = StepRules {
        skill_requirements: Vec::new(),
        target_band: None,
        ..team_lead(vec![])
    };
    let o = only_option(evaluate(&f, &[no_band], d(2026, 1, 15)));
    assert_eq!(o.projected_salary, Some(6_000_060));
    assert_eq!(o.warnings.len(), 1);
}

#[test]
fn projected_salary_is_computed_whatever_the_status() {
    let o = evaluate_one(d(2025, 1, 15), &[], &[], team_lead(vec![]), d(2025, 2, 1));
    assert_eq!(o.status, EligibilityStatus::Ineligible);
    assert_eq!(o.projected_salary, Some(480_000));
}

// --- expiry warnings ----------------------------------------------------

fn lead_step() -> StepRules {
    team_lead(vec![requirement(CertificationKind::LeadershipTraining)])
}

#[test]
fn a_certificate_lapsing_before_eligibility_is_warned_about() {
    let certs = [expiring(
        leadership("Lead 101", d(2024, 1, 1)),
        d(2026, 1, 1),
    )];
    let o = evaluate_one(
        d(2025, 1, 15),
        &certs,
        &top_reviews(),
        lead_step(),
        d(2025, 12, 31),
    );
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert_eq!(
        o.warnings,
        [
            "leadership training certificate 'Lead 101' expires on 1 Jan 2026, \
          before eligibility for Team Lead on 15 Jan 2026: renew it"
        ]
    );
}

#[test]
fn a_certificate_lapsing_on_the_eligibility_day_is_warned_about() {
    let certs = [expiring(
        leadership("Lead 101", d(2024, 1, 1)),
        d(2026, 1, 15),
    )];
    let o = evaluate_one(
        d(2025, 1, 15),
        &certs,
        &top_reviews(),
        lead_step(),
        d(2025, 12, 31),
    );
    assert_eq!(
        o.warnings,
        [
            "leadership training certificate 'Lead 101' expires on 15 Jan 2026, \
          the day eligibility for Team Lead would start: renew it"
        ]
    );
}

#[test]
fn a_certificate_lapsing_after_eligibility_is_not_warned_about_while_not_yet() {
    let certs = [expiring(
        leadership("Lead 101", d(2024, 1, 1)),
        d(2026, 1, 16),
    )];
    let o = evaluate_one(
        d(2025, 1, 15),
        &certs,
        &top_reviews(),
        lead_step(),
        d(2025, 12, 31),
    );
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
}

#[test]
fn a_redundant_lapsing_certificate_is_not_warned_about() {
    let certs = [
        expiring(leadership("Lead 101", d(2024, 1, 1)), d(2026, 1, 1)),
        leadership("Lead 201", d(2024, 6, 1)),
    ];
    let o = evaluate_one(
        d(2025, 1, 15),
        &certs,
        &top_reviews(),
        lead_step(),
        d(2025, 12, 31),
    );
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
}

#[test]
fn an_eligible_employee_is_warned_about_a_certificate_expiring_within_90_days() {
    let as_of = d(2026, 2, 1);
    let certs = [expiring(
        belt(SixSigmaBelt::Yellow, "Yellow Belt", d(2024, 1, 1)),
        d(2026, 5, 2),
    )];
    let step = team_lead(vec![six_sigma_at_least(SixSigmaBelt::Yellow)]);
    let o = evaluate_one(d(2024, 1, 15), &certs, &top_reviews(), step.clone(), as_of);
    assert_eq!(o.status, EligibilityStatus::Eligible);
    assert_eq!(
        o.warnings,
        [
            "Six Sigma Yellow Belt certificate 'Yellow Belt' expires on 2 May 2026, in 90 days; \
          eligibility for Team Lead depends on it: renew it"
        ]
    );
    let later = [expiring(certs[0].clone(), d(2026, 5, 3))];
    let o = evaluate_one(d(2024, 1, 15), &later, &top_reviews(), step, as_of);
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
}

// --- robustness ---------------------------------------------------------

#[test]
fn absurd_caller_values_do_not_panic() {
    let step = StepRules {
        skill_requirements: Vec::new(),
        fast_track_months: u32::MAX,
        standard_months: u32::MAX,
        min_rating: f64::NAN,
        raise_min_bp: i64::MAX,
        requirements: vec![Requirement {
            count: u32::MAX,
            ..requirement(CertificationKind::Other)
        }],
        ..team_lead(vec![])
    };
    let r = vec![review(d(2025, 12, 31), f64::INFINITY)];
    let f = EmployeeFacts {
        skills: &[],
        salary_minor: i64::MAX,
        ..facts(NaiveDate::MAX, &[], &r)
    };
    let p = evaluate(&f, std::slice::from_ref(&step), NaiveDate::MAX);
    assert_eq!(p.options[0].status, EligibilityStatus::Ineligible);
    assert_eq!(p.options[0].projected_salary, None);

    let r = top_reviews();
    let f = facts(d(2025, 1, 15), &[], &r);
    let lenient = StepRules {
        skill_requirements: Vec::new(),
        requirements: vec![],
        min_rating: 1.0,
        raise_min_bp: 2000,
        ..step
    };
    let o = only_option(evaluate(&f, &[lenient], d(2026, 1, 15)));
    assert_eq!(o.status, EligibilityStatus::NotYet);
    assert_eq!(o.eligible_on, None);
    assert_eq!(
        o.gaps,
        vec![gap(
            GapKind::Tenure,
            "needs 4294967295 months in role on the fast track; has 12"
        )]
    );
}

#[test]
fn ratings_and_percentages_format_for_people() {
    assert_eq!(fmt_rating(3.0), "3.0");
    assert_eq!(fmt_rating(2.5), "2.5");
    assert_eq!(fmt_rating(2.75), "2.75");
    assert_eq!(fmt_rating(2.3499999999999996), "2.35");
    assert_eq!(fmt_basis_points(2000), "20%");
    assert_eq!(fmt_basis_points(1250), "12.5%");
    assert_eq!(fmt_basis_points(1234), "12.34%");
    assert_eq!(fmt_basis_points(5), "0.05%");
    assert_eq!(fmt_basis_points(-50), "-0.5%");
}

// --- cost ---------------------------------------------------------------

/// A typical employee: eight quarterly reviews, three certificates, and
/// six ladder steps, some ELIGIBLE, some NOT_YET, some INELIGIBLE.
fn typical_employee() -> (Vec<ReviewFact>, Vec<CertFact>, Vec<StepRules>) {
    let reviews = [
        (d(2024, 3, 31), 3.5),
        (d(2024, 6, 30), 4.0),
        (d(2024, 9, 30), 3.5),
        (d(2024, 12, 31), 4.5),
        (d(2025, 3, 31), 4.0),
        (d(2025, 6, 30), 4.5),
        (d(2025, 9, 30), 4.0),
        (d(2025, 12, 31), 4.5),
    ]
    .into_iter()
    .map(|(day, rating)| review(day, rating))
    .collect();
    let certs = vec![
        expiring(
            belt(SixSigmaBelt::Green, "Green Belt", d(2024, 5, 1)),
            d(2027, 5, 1),
        ),
        leadership("Lead 101", d(2024, 9, 10)),
        lang("ja", CefrLevel::B2, d(2023, 3, 1)),
    ];
    let step = |id: i64, fast: u32, requirements: Vec<Requirement>| StepRules {
        skill_requirements: Vec::new(),
        step_id: id,
        fast_track_months: fast,
        ..team_lead(requirements)
    };
    let steps = vec![
        step(1, 12, vec![]),
        step(
            2,
            12,
            vec![requirement(CertificationKind::LeadershipTraining)],
        ),
        step(3, 18, vec![six_sigma_at_least(SixSigmaBelt::Yellow)]),
        step(4, 12, vec![languages_at_least(1, CefrLevel::B2)]),
        step(
            5,
            30,
            vec![
                six_sigma_at_least(SixSigmaBelt::Green),
                requirement(CertificationKind::LeadershipTraining),
            ],
        ),
        step(6, 12, vec![languages_at_least(2, CefrLevel::B2)]),
    ];
    (reviews, certs, steps)
}

/// `cargo test --release -- --ignored --nocapture evaluate_cost`
#[test]
#[ignore = "timing, not a check"]
fn evaluate_cost_for_a_typical_employee() {
    let (reviews, certs, steps) = typical_employee();
    let f = EmployeeFacts {
        skills: &[],
        hired_on: d(2022, 4, 1),
        ..facts(d(2024, 1, 15), &certs, &reviews)
    };
    let as_of = d(2026, 1, 20);
    let p = evaluate(&f, &steps, as_of);
    let statuses: Vec<(EligibilityStatus, Option<NaiveDate>)> = p
        .options
        .iter()
        .map(|o| (o.status, o.eligible_on))
        .collect();
    println!("{statuses:?}");
    let runs = 200_000u32;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(evaluate(
            std::hint::black_box(&f),
            std::hint::black_box(&steps),
            as_of,
        ));
    }
    let per_call = start.elapsed() / runs;
    println!("evaluate: {per_call:?} per employee (6 steps, 8 reviews, 3 certificates)");

    let eligible: Vec<&StepRules> = steps
        .iter()
        .zip(&p.options)
        .filter(|(_, o)| o.status == EligibilityStatus::Eligible)
        .map(|(step, _)| step)
        .collect();
    let start = std::time::Instant::now();
    for _ in 0..runs {
        for step in &eligible {
            std::hint::black_box(eligible_since(std::hint::black_box(&f), step, as_of));
        }
    }
    let per_call = start.elapsed() / runs;
    println!(
        "of which finding eligible_on: {per_call:?} ({} ELIGIBLE steps)",
        eligible.len()
    );
}

// --- properties ---------------------------------------------------------

fn rank(status: EligibilityStatus) -> u8 {
    match status {
        EligibilityStatus::Ineligible => 0,
        EligibilityStatus::NotYet => 1,
        EligibilityStatus::Eligible => 2,
    }
}

/// A date between 2022-01-01 and about 2027-06.
fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..2000).prop_map(|days| {
        d(2022, 1, 1)
            .checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MIN)
    })
}

fn arb_cert() -> impl Strategy<Value = CertFact> {
    (
        prop::sample::select(CertificationKind::ALL),
        prop::option::of(prop::sample::select(SixSigmaBelt::ALL)),
        prop::sample::select(vec!["ja", "JA", "en", "fr"]),
        prop::option::of(prop::sample::select(CefrLevel::ALL)),
        prop::sample::select(CertificationStatus::ALL),
        arb_date(),
        prop::option::of(arb_date()),
    )
        .prop_map(
            |(kind, belt, code, cefr, status, issued_on, expires_on)| CertFact {
                kind,
                name: format!("{kind} {code}"),
                belt,
                language: Some(code.to_string()),
                cefr,
                status,
                issued_on,
                expires_on,
            },
        )
}

fn arb_review() -> impl Strategy<Value = ReviewFact> {
    (arb_date(), 2u8..=10)
        .prop_map(|(period_end, halves)| review(period_end, f64::from(halves) / 2.0))
}

fn arb_requirement() -> impl Strategy<Value = Requirement> {
    (
        prop::sample::select(CertificationKind::ALL),
        prop::option::of(prop::sample::select(SixSigmaBelt::ALL)),
        prop::option::of(prop::sample::select(CefrLevel::ALL)),
        0u32..3,
    )
        .prop_map(|(kind, min_belt, min_cefr, count)| Requirement {
            kind,
            min_belt,
            min_cefr,
            count,
        })
}

fn arb_step() -> impl Strategy<Value = StepRules> {
    (
        0u32..24,
        0u32..36,
        2u8..=10,
        2u8..=10,
        prop::collection::vec(arb_requirement(), 0..3),
    )
        .prop_map(|(fast, standard, min, top, requirements)| StepRules {
            skill_requirements: Vec::new(),
            fast_track_months: fast,
            standard_months: standard,
            min_rating: f64::from(min) / 2.0,
            top_performer_rating: f64::from(top) / 2.0,
            ..team_lead(requirements)
        })
}

/// A certificate that is mostly VERIFIED and valid for a while after its
/// issue (30 days to about 2.5 years, or for ever), so that requirements
/// are often met, and runs are long and sometimes broken by an expiry.
fn arb_likely_cert() -> impl Strategy<Value = CertFact> {
    (
        arb_cert(),
        prop::sample::select(vec![
            CertificationStatus::Verified,
            CertificationStatus::Verified,
            CertificationStatus::Verified,
            CertificationStatus::Pending,
        ]),
        prop::option::of(30u64..900),
    )
        .prop_map(|(cert, status, valid_for)| CertFact {
            status,
            expires_on: valid_for.and_then(|days| cert.issued_on.checked_add_days(Days::new(days))),
            ..cert
        })
}

/// Skill assessments of skills 1-2, from any source, at any level.
fn arb_skill() -> impl Strategy<Value = SkillFact> {
    (
        1i64..=2,
        1u8..=5,
        prop::sample::select(AssessmentSource::ALL),
        arb_date(),
        0i64..1000,
    )
        .prop_map(|(skill_id, level, source, assessed_on, seq)| SkillFact {
            skill_id,
            level,
            source,
            assessed_on,
            seq,
        })
}

fn arb_skill_requirement() -> impl Strategy<Value = SkillRequirement> {
    (1i64..=2, 1u8..=4).prop_map(|(skill_id, min_level)| SkillRequirement {
        skill_id,
        skill_name: format!("skill {skill_id}"),
        min_level,
    })
}

/// Certificates, reviews, steps, role start, evaluation date and skill
/// assessments.
type Case = (
    Vec<CertFact>,
    Vec<ReviewFact>,
    Vec<StepRules>,
    NaiveDate,
    NaiveDate,
    Vec<SkillFact>,
);

/// An employee history and steps that are often ELIGIBLE: the role start,
/// an evaluation date up to about four years later, many reviews, mostly
/// valid certificates, about half of them of the kind the first
/// certification requirement asks for, and steps with at most one
/// requirement.
fn arb_eligible_case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((arb_likely_cert(), any::<bool>()), 0..8),
        prop::collection::vec(arb_review(), 1..12),
        prop::collection::vec(
            (
                arb_step(),
                prop::option::of(arb_requirement()),
                prop::option::of(arb_skill_requirement()),
            )
                .prop_map(|(step, req, skill)| StepRules {
                    skill_requirements: skill.into_iter().collect(),
                    requirements: req.into_iter().collect(),
                    ..step
                }),
            1..4,
        ),
        arb_date(),
        0u64..1500,
        prop::collection::vec(arb_skill(), 0..8),
    )
        .prop_map(|(certs, reviews, steps, role_since, after, skills)| {
            let wanted = steps
                .iter()
                .find_map(|step| step.requirements.first())
                .map(|req| req.kind);
            let certs = certs
                .into_iter()
                .map(|(cert, adopt)| match wanted {
                    Some(kind) if adopt => CertFact { kind, ..cert },
                    _ => cert,
                })
                .collect();
            let as_of = role_since
                .checked_add_days(Days::new(after))
                .unwrap_or(role_since);
            (certs, reviews, steps, role_since, as_of, skills)
        })
}

proptest! {
    // Failures are reported, not persisted: this crate is also built from
    // scratch directories whose source lives elsewhere.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn more_tenure_never_makes_a_status_worse(
        certs in prop::collection::vec(arb_cert(), 0..6),
        reviews in prop::collection::vec(arb_review(), 0..4),
        steps in prop::collection::vec(arb_step(), 1..4),
        role_since in arb_date(),
        earlier_by in 0u64..800,
        as_of in arb_date(),
    ) {
        let earlier = role_since
            .checked_sub_days(Days::new(earlier_by))
            .unwrap_or(role_since);
        let now = evaluate(&facts(role_since, &certs, &reviews), &steps, as_of);
        let more = evaluate(&facts(earlier, &certs, &reviews), &steps, as_of);
        for (a, b) in now.options.iter().zip(&more.options) {
            prop_assert!(rank(b.status) >= rank(a.status), "{:?} -> {:?}", a.status, b.status);
        }
    }

    #[test]
    fn the_verdict_does_not_depend_on_the_order_of_certificates_and_reviews(
        certs in prop::collection::vec(arb_cert(), 0..6).prop_shuffle(),
        reviews in prop::collection::vec(arb_review(), 0..4),
        steps in prop::collection::vec(arb_step(), 1..3),
        role_since in arb_date(),
        as_of in arb_date(),
    ) {
        let mut certs_reversed = certs.clone();
        certs_reversed.reverse();
        let mut reviews_reversed = reviews.clone();
        reviews_reversed.reverse();
        let a = evaluate(&facts(role_since, &certs, &reviews), &steps, as_of);
        let b = evaluate(&facts(role_since, &certs_reversed, &reviews_reversed), &steps, as_of);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn statuses_gaps_and_dates_are_consistent(
        certs in prop::collection::vec(arb_cert(), 0..6),
        reviews in prop::collection::vec(arb_review(), 0..4),
        steps in prop::collection::vec(arb_step(), 1..4),
        role_since in arb_date(),
        as_of in arb_date(),
        open in any::<bool>(),
    ) {
        let f = EmployeeFacts { has_open_nomination: open, ..facts(role_since, &certs, &reviews) };
        let p = evaluate(&f, &steps, as_of);
        prop_assert_eq!(p.options.len(), steps.len());
        for o in &p.options {
            prop_assert_eq!(o.status == EligibilityStatus::Eligible, o.gaps.is_empty());
            match o.status {
                EligibilityStatus::Eligible => {
                    prop_assert!(o.eligible_on.is_some_and(|e| role_since <= e && e <= as_of));
                }
                EligibilityStatus::NotYet => {
                    prop_assert!(o.eligible_on.is_some_and(|e| e > as_of));
                    prop_assert!(o.gaps.iter().all(|g| g.kind == GapKind::Tenure));
                }
                EligibilityStatus::Ineligible => {
                    prop_assert_eq!(o.eligible_on, None);
                    prop_assert!(o.gaps.iter().any(|g| g.kind != GapKind::Tenure));
                }
            }
            prop_assert_eq!(o.track.is_some(), p.rating.is_some());
            let band = jpy_band();
            prop_assert!(o.projected_salary.is_some_and(|pay| band.min <= pay && pay <= band.max));
        }
        prop_assert_eq!(p.eligible, p.options.iter().any(|o| o.status == EligibilityStatus::Eligible));
        prop_assert!(!p.stalled || (p.eligible && !open));
    }

    #[test]
    fn the_status_only_check_agrees_with_evaluate(
        certs in prop::collection::vec(arb_cert(), 0..6),
        reviews in prop::collection::vec(arb_review(), 0..10),
        steps in prop::collection::vec(
            (arb_step(), prop::collection::vec(arb_skill_requirement(), 0..2))
                .prop_map(|(step, skills)| StepRules { skill_requirements: skills, ..step }),
            1..4,
        ),
        role_since in arb_date(),
        as_of in arb_date(),
        skills in prop::collection::vec(arb_skill(), 0..6),
    ) {
        let f = EmployeeFacts { skills: &skills, ..facts(role_since, &certs, &reviews) };
        let p = evaluate(&f, &steps, as_of);
        for (step, o) in steps.iter().zip(&p.options) {
            prop_assert_eq!(
                eligible_on_day(&f, step, as_of),
                o.status == EligibilityStatus::Eligible
            );
            prop_assert_eq!(
                blocked_on(&f, step, as_of),
                o.status == EligibilityStatus::Ineligible
            );
        }
    }
}

proptest! {
    // Many cases: these check every ELIGIBLE option against a re-evaluation.
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn eligible_on_starts_the_unbroken_run_of_eligible_days_up_to_the_evaluation_date(
        (certs, reviews, steps, role_since, as_of, skills) in arb_eligible_case(),
        within in 0u32..=1000,
    ) {
        let f = EmployeeFacts { skills: &skills, ..facts(role_since, &certs, &reviews) };
        let p = evaluate(&f, &steps, as_of);
        let status_on = |day: NaiveDate, i: usize| {
            let o = &evaluate(&f, &steps, day).options[i];
            (o.status, o.eligible_on)
        };
        for (i, o) in p.options.iter().enumerate() {
            if o.status != EligibilityStatus::Eligible {
                continue;
            }
            let since = o.eligible_on.expect("ELIGIBLE has eligible_on");
            prop_assert!(role_since <= since && since <= as_of, "{} not in [{}, {}]", since, role_since, as_of);
            // ELIGIBLE on the first day of the run, with the same answer.
            prop_assert_eq!(status_on(since, i), (EligibilityStatus::Eligible, Some(since)));
            // Not ELIGIBLE the day before, unless that is before the role.
            if since > role_since {
                let before = since.pred_opt().expect("in range");
                prop_assert_ne!(status_on(before, i).0, EligibilityStatus::Eligible);
            }
            // ELIGIBLE on any day of the run, with the same answer.
            let run = (as_of - since).num_days();
            let day = since + chrono::Duration::days(run * i64::from(within) / 1000);
            prop_assert_eq!(status_on(day, i), (EligibilityStatus::Eligible, Some(since)));
        }
    }

    #[test]
    fn the_state_holds_every_day_until_its_next_change(
        (certs, reviews, steps, role_since, as_of, skills) in arb_eligible_case(),
        open_nomination in prop::bool::weighted(0.2),
        within in 1u32..=1000,
    ) {
        use crate::domain::eligibility_state::{next_change, state_of};
        let f = EmployeeFacts {
            skills: &skills,
            has_open_nomination: open_nomination,
            ..facts(role_since, &certs, &reviews)
        };
        let p = evaluate(&f, &steps, as_of);
        let state = state_of(&p);
        let until = next_change(&f, &steps, &p);
        if let Some(until) = until {
            prop_assert!(until > as_of);
            // The day it may change, it is allowed to; before, never.
            let last = (until - as_of).num_days() - 1;
            for day in [1, last, 1 + (last - 1).max(0) * i64::from(within) / 1000] {
                if day < 1 || day > last {
                    continue;
                }
                let later = as_of + chrono::Duration::days(day);
                prop_assert_eq!(&state_of(&evaluate(&f, &steps, later)), &state, "on {}", later);
            }
        } else {
            for day in [1, 30, 400, 3000] {
                let later = as_of + chrono::Duration::days(day);
                prop_assert_eq!(&state_of(&evaluate(&f, &steps, later)), &state, "on {}", later);
            }
        }
    }

    #[test]
    fn eligible_on_is_what_a_day_by_day_walk_back_finds(
        (certs, reviews, steps, role_since, as_of, skills) in arb_eligible_case(),
    ) {
        let f = EmployeeFacts { skills: &skills, ..facts(role_since, &certs, &reviews) };
        let p = evaluate(&f, &steps, as_of);
        for (step, o) in steps.iter().zip(&p.options) {
            if o.status != EligibilityStatus::Eligible {
                continue;
            }
            let mut since = as_of;
            while since > role_since {
                let before = since.pred_opt().expect("in range");
                if !eligible_on_day(&f, step, before) {
                    break;
                }
                since = before;
            }
            prop_assert_eq!(o.eligible_on, Some(since));
        }
    }
}
