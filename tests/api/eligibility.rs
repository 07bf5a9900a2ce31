//! Promotion eligibility as people see it through GraphQL: status, track,
//! the date it starts, what is missing, and the pay a promotion would bring.
//! The engine's unit tests cover the rules in depth; these tests check that
//! the API shows the engine's answers for real records, and that HR's ladder
//! changes take effect at once.

use chrono::Months;
use serde_json::{json, Value};

use crate::helpers::{date, months_ago, Person, TestApp, User};

const PROGRESSION: &str = r#"
query($id: ID!, $asOf: Date) {
  employee(id: $id) {
    progression(asOf: $asOf) {
      asOf monthsInRole monthsOfService rating eligible stalled
      currentRole { code }
      options {
        targetRole { code title }
        status track eligibleOn
        gaps { kind message }
        projectedSalary { amount currency }
        warnings
      }
    }
  }
}"#;

/// The progression of `who` as HR sees it (`as_of` null: today).
async fn progression(app: &TestApp, who: &User, as_of: Option<&str>) -> Value {
    let data = app
        .data(
            PROGRESSION,
            json!({ "id": who.gid(), "asOf": as_of }),
            Some(&app.hr),
        )
        .await;
    data["employee"]["progression"].clone()
}

/// The option for one target role.
fn option<'a>(progression: &'a Value, target: &str) -> &'a Value {
    progression["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["targetRole"]["code"] == target)
        .unwrap_or_else(|| panic!("no option for {target} in {progression}"))
}

/// The gaps of an option as (kind, message) pairs, in the order given.
fn gaps(option: &Value) -> Vec<(String, String)> {
    option["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().expect("kind").to_owned(),
                g["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

fn gap(kind: &str, message: &str) -> (String, String) {
    (kind.to_owned(), message.to_owned())
}

/// A CSR hired on 2024-01-15, in the role since 2025-01-15, reporting to
/// `manager`.
async fn csr(app: &TestApp, name: &str) -> User {
    app.person(Person {
        name: name.into(),
        manager: Some(app.manager.id),
        hired_on: date("2024-01-15"),
        role_since: date("2025-01-15"),
        ..Default::default()
    })
    .await
}

/// An old poor review that must not count, then two recent ones averaging
/// 4.25 (a top performer).
async fn top_performer_reviews(app: &TestApp, who: &User) {
    app.review(who, "2024-12-31", 2.0).await;
    app.review(who, "2025-06-30", 4.5).await;
    app.review(who, "2025-12-31", 4.0).await;
}

/// Two reviews averaging 3.25: above the bar, below top performer.
async fn solid_reviews(app: &TestApp, who: &User) {
    app.review(who, "2025-06-30", 3.5).await;
    app.review(who, "2025-12-31", 3.0).await;
}

async fn leadership_training(app: &TestApp, who: &User) {
    app.cert(
        who,
        "LEADERSHIP_TRAINING",
        None,
        None,
        "2024-10-01",
        None,
        "VERIFIED",
    )
    .await;
}

async fn belt(app: &TestApp, who: &User, belt: &str, expires: Option<&str>, status: &str) {
    app.cert(
        who,
        "SIX_SIGMA",
        Some(belt),
        None,
        "2025-03-01",
        expires,
        status,
    )
    .await;
}

async fn language(app: &TestApp, who: &User, code: &str, level: &str) {
    app.cert(
        who,
        "LANGUAGE",
        None,
        Some((code, level)),
        "2025-02-01",
        None,
        "VERIFIED",
    )
    .await;
}

#[tokio::test]
async fn a_top_performer_is_eligible_for_team_lead_at_exactly_twelve_months_in_role() {
    // Arrange
    let app = TestApp::spawn().await;
    let kei = csr(&app, "Kei Fast").await;
    top_performer_reviews(&app, &kei).await;
    leadership_training(&app, &kei).await;

    // Act: the employee looks at their own progression.
    let data = app
        .data(
            "{ me { progression(asOf: \"2026-01-15\") { asOf monthsInRole rating eligible \
             currentRole { code } options { targetRole { code } status track eligibleOn \
             gaps { kind message } } } } }",
            json!({}),
            Some(&kei),
        )
        .await;

    // Assert
    let p = &data["me"]["progression"];
    assert_eq!(p["asOf"], "2026-01-15");
    assert_eq!(p["currentRole"]["code"], "CSR");
    assert_eq!(p["monthsInRole"], 12);
    assert_eq!(p["rating"], 4.25, "mean of the last two reviews only");
    assert_eq!(p["eligible"], true);
    let team_lead = option(p, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "ELIGIBLE");
    assert_eq!(team_lead["track"], "FAST_TRACK");
    assert_eq!(team_lead["eligibleOn"], "2026-01-15");
    assert!(gaps(team_lead).is_empty(), "{team_lead}");
}

#[tokio::test]
async fn a_top_performer_is_not_yet_eligible_the_day_before_twelve_months() {
    // Arrange
    let app = TestApp::spawn().await;
    let kei = csr(&app, "Kei Fast").await;
    top_performer_reviews(&app, &kei).await;
    leadership_training(&app, &kei).await;

    // Act
    let p = progression(&app, &kei, Some("2026-01-14")).await;

    // Assert
    assert_eq!(p["monthsInRole"], 11);
    assert_eq!(p["eligible"], false);
    let team_lead = option(&p, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "NOT_YET");
    assert_eq!(team_lead["track"], "FAST_TRACK");
    assert_eq!(
        team_lead["eligibleOn"], "2026-01-15",
        "role start + 12 months"
    );
    assert_eq!(
        gaps(team_lead),
        vec![gap(
            "TENURE",
            "needs 12 months in role on the fast track; has 11 (1 more, eligible from 15 Jan 2026)"
        )]
    );
}

#[tokio::test]
async fn a_solid_performer_on_the_standard_track_is_eligible_at_eighteen_months_not_seventeen() {
    // Arrange
    let app = TestApp::spawn().await;
    let sam = csr(&app, "Sam Steady").await;
    solid_reviews(&app, &sam).await;
    leadership_training(&app, &sam).await;

    // Act
    let at_twelve = progression(&app, &sam, Some("2026-01-15")).await;
    let day_before = progression(&app, &sam, Some("2026-07-14")).await;
    let at_eighteen = progression(&app, &sam, Some("2026-07-15")).await;

    // Assert: twelve months are not enough off the fast track.
    let team_lead = option(&at_twelve, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "NOT_YET");
    assert_eq!(team_lead["track"], "STANDARD");
    assert_eq!(team_lead["eligibleOn"], "2026-07-15");

    assert_eq!(day_before["monthsInRole"], 17);
    let team_lead = option(&day_before, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "NOT_YET");
    assert_eq!(team_lead["track"], "STANDARD");
    assert_eq!(team_lead["eligibleOn"], "2026-07-15");
    assert_eq!(
        gaps(team_lead),
        vec![gap(
            "TENURE",
            "needs 18 months in role on the standard track; has 17 (1 more, eligible from 15 Jul 2026)"
        )]
    );

    assert_eq!(at_eighteen["monthsInRole"], 18);
    assert_eq!(at_eighteen["eligible"], true);
    let team_lead = option(&at_eighteen, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "ELIGIBLE");
    assert_eq!(team_lead["track"], "STANDARD");
    assert_eq!(team_lead["eligibleOn"], "2026-07-15");
    assert!(gaps(team_lead).is_empty(), "{team_lead}");
}

#[tokio::test]
async fn someone_with_no_review_on_record_is_ineligible_with_a_performance_gap() {
    // Arrange: long enough in role and trained, but never reviewed.
    let app = TestApp::spawn().await;
    let nao = csr(&app, "Nao Unreviewed").await;
    leadership_training(&app, &nao).await;

    // Act
    let p = progression(&app, &nao, Some("2027-01-15")).await;

    // Assert
    assert!(p["rating"].is_null());
    assert_eq!(p["eligible"], false);
    let team_lead = option(&p, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "INELIGIBLE");
    assert!(team_lead["track"].is_null(), "no rating, no track");
    assert!(team_lead["eligibleOn"].is_null());
    assert_eq!(
        gaps(team_lead),
        vec![gap("PERFORMANCE", "no performance review on record")]
    );
    for opt in p["options"].as_array().unwrap() {
        assert_eq!(opt["status"], "INELIGIBLE", "{opt}");
    }
}

#[tokio::test]
async fn a_rating_below_the_bar_is_a_performance_gap_that_names_the_rating() {
    // Arrange
    let app = TestApp::spawn().await;
    let lou = csr(&app, "Lou Low").await;
    app.review(&lou, "2025-06-30", 2.5).await;
    app.review(&lou, "2025-12-31", 3.0).await;
    leadership_training(&app, &lou).await;

    // Act
    let p = progression(&app, &lou, Some("2027-01-15")).await;

    // Assert
    assert_eq!(p["rating"], 2.75);
    let team_lead = option(&p, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "INELIGIBLE");
    assert_eq!(team_lead["track"], "STANDARD");
    assert!(team_lead["eligibleOn"].is_null());
    assert_eq!(
        gaps(team_lead),
        vec![gap(
            "PERFORMANCE",
            "needs a rating of 3.0 (mean of the last two reviews); has 2.75"
        )]
    );
}

#[tokio::test]
async fn quality_analyst_needs_six_sigma_yellow_or_higher_so_green_counts_and_white_does_not() {
    // Arrange: four top performers a year in role, with different belts.
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    for held in [Some("YELLOW"), Some("GREEN"), Some("WHITE"), None] {
        let who = csr(&app, &format!("Belt {}", held.unwrap_or("None"))).await;
        top_performer_reviews(&app, &who).await;
        if let Some(held) = held {
            belt(&app, &who, held, None, "VERIFIED").await;
        }
        people.push((held, who));
    }

    // Act
    let mut answers = Vec::new();
    for (held, who) in &people {
        let p = progression(&app, who, Some("2026-02-01")).await;
        answers.push((*held, option(&p, "QUALITY_ANALYST").clone()));
    }

    // Assert
    for (held, qa) in &answers {
        match held {
            Some("YELLOW") | Some("GREEN") => {
                assert_eq!(qa["status"], "ELIGIBLE", "{held:?}: {qa}");
                assert_eq!(qa["track"], "FAST_TRACK");
                assert_eq!(qa["eligibleOn"], "2026-01-15");
                assert!(gaps(qa).is_empty(), "{held:?}: {qa}");
            }
            Some("WHITE") => {
                assert_eq!(qa["status"], "INELIGIBLE", "{qa}");
                assert!(qa["eligibleOn"].is_null());
                assert_eq!(
                    gaps(qa),
                    vec![gap(
                        "CERTIFICATION",
                        "needs a Six Sigma Yellow Belt or higher; has White Belt"
                    )]
                );
            }
            _ => {
                assert_eq!(qa["status"], "INELIGIBLE", "{qa}");
                assert_eq!(
                    gaps(qa),
                    vec![gap(
                        "CERTIFICATION",
                        "needs a Six Sigma Yellow Belt or higher; has none"
                    )]
                );
            }
        }
    }
}

#[tokio::test]
async fn only_a_verified_belt_that_has_not_expired_counts_for_quality_analyst() {
    // Arrange: yellow belts that are pending, rejected, or expiring.
    let app = TestApp::spawn().await;
    let pending = csr(&app, "Pat Pending").await;
    let rejected = csr(&app, "Rex Rejected").await;
    let expiring = csr(&app, "Eve Expiring").await;
    for who in [&pending, &rejected, &expiring] {
        top_performer_reviews(&app, who).await;
    }
    belt(&app, &pending, "YELLOW", None, "PENDING").await;
    belt(&app, &rejected, "YELLOW", None, "REJECTED").await;
    belt(&app, &expiring, "YELLOW", Some("2026-02-01"), "VERIFIED").await;

    // Act
    let pending_qa = option(
        &progression(&app, &pending, Some("2026-02-01")).await,
        "QUALITY_ANALYST",
    )
    .clone();
    let rejected_qa = option(
        &progression(&app, &rejected, Some("2026-02-01")).await,
        "QUALITY_ANALYST",
    )
    .clone();
    let on_expiry_day = option(
        &progression(&app, &expiring, Some("2026-02-01")).await,
        "QUALITY_ANALYST",
    )
    .clone();
    let day_before_expiry = option(
        &progression(&app, &expiring, Some("2026-01-31")).await,
        "QUALITY_ANALYST",
    )
    .clone();

    // Assert
    assert_eq!(pending_qa["status"], "INELIGIBLE");
    assert_eq!(
        gaps(&pending_qa),
        vec![gap(
            "CERTIFICATION",
            "needs a Six Sigma Yellow Belt or higher; has none; 'SIX_SIGMA certificate' is pending verification"
        )]
    );
    assert_eq!(rejected_qa["status"], "INELIGIBLE");
    assert_eq!(
        gaps(&rejected_qa),
        vec![gap(
            "CERTIFICATION",
            "needs a Six Sigma Yellow Belt or higher; has none; 'SIX_SIGMA certificate' was rejected"
        )]
    );
    assert_eq!(
        on_expiry_day["status"], "INELIGIBLE",
        "a certificate no longer counts on its expiry date"
    );
    assert_eq!(
        gaps(&on_expiry_day),
        vec![gap(
            "CERTIFICATION",
            "needs a Six Sigma Yellow Belt or higher; has none; 'SIX_SIGMA certificate' expired on 1 Feb 2026"
        )]
    );
    assert_eq!(day_before_expiry["status"], "ELIGIBLE");
    let warnings = day_before_expiry["warnings"].to_string();
    assert!(
        warnings.contains("expires on 1 Feb 2026"),
        "the employee is warned: {warnings}"
    );
}

#[tokio::test]
async fn training_specialist_needs_two_distinct_languages_at_b2_or_higher() {
    // Arrange
    let app = TestApp::spawn().await;
    let two = csr(&app, "Two Languages").await;
    let same = csr(&app, "Same Language Twice").await;
    let below = csr(&app, "One Below B2").await;
    for who in [&two, &same, &below] {
        top_performer_reviews(&app, who).await;
    }
    language(&app, &two, "en", "B2").await;
    language(&app, &two, "ja", "C1").await;
    language(&app, &same, "en", "B2").await;
    language(&app, &same, "en", "C1").await;
    language(&app, &below, "en", "C2").await;
    language(&app, &below, "ja", "B1").await;

    // Act
    let two_ts = option(
        &progression(&app, &two, Some("2026-02-01")).await,
        "TRAINING_SPECIALIST",
    )
    .clone();
    let same_ts = option(
        &progression(&app, &same, Some("2026-02-01")).await,
        "TRAINING_SPECIALIST",
    )
    .clone();
    let below_ts = option(
        &progression(&app, &below, Some("2026-02-01")).await,
        "TRAINING_SPECIALIST",
    )
    .clone();

    // Assert
    assert_eq!(two_ts["status"], "ELIGIBLE", "{two_ts}");
    assert!(gaps(&two_ts).is_empty());
    assert_eq!(same_ts["status"], "INELIGIBLE");
    assert_eq!(
        gaps(&same_ts),
        vec![gap(
            "LANGUAGE",
            "needs 2 languages at CEFR B2 or higher; has 1 (English C1)"
        )]
    );
    assert_eq!(below_ts["status"], "INELIGIBLE");
    assert_eq!(
        gaps(&below_ts),
        vec![gap(
            "LANGUAGE",
            "needs 2 languages at CEFR B2 or higher; has 1 (English C2); Japanese B1 is below B2"
        )]
    );
}

#[tokio::test]
async fn projected_salary_is_a_twenty_percent_raise_rounded_and_clamped_into_the_level_two_band() {
    // Arrange: CSRs paid below, inside and near the top of the level-2 band
    // (480000-700000 JPY), and one in a market without bands. The lateral
    // steps (HR, logistics, vendor management; issue 21) give no raise:
    // the same pay, clamped into the band.
    let app = TestApp::spawn().await;
    let cases = [
        (380_000, "JP", "JPY", ("480000", "480000")), // 456000 is raised to the band minimum
        (400_003, "JP", "JPY", ("480004", "480000")), // 480003.6 rounds to 480004
        (450_001, "JP", "JPY", ("540001", "480000")), // 540001.2 rounds to 540001
        (600_000, "JP", "JPY", ("700000", "600000")), // 720000 is capped at the band maximum
        (500_000, "US", "USD", ("6000.00", "5000.00")), // no US band: 5000.00 USD + 20 %, unclamped
    ];
    let lateral = ["HR_GENERALIST", "LOGISTICS_COORDINATOR", "VENDOR_MANAGER"];
    let mut people = Vec::new();
    for (salary, market, currency, expected) in cases {
        let who = app
            .person(Person {
                name: format!("Paid {salary} {currency}"),
                market,
                currency,
                salary,
                role_since: date("2025-01-15"),
                ..Default::default()
            })
            .await;
        people.push((salary, currency, expected, who));
    }

    // Act and assert: every ladder step out of CSR leads to a level-2 role.
    for (salary, currency, expected, who) in &people {
        let p = progression(&app, who, Some("2026-02-01")).await;
        let options = p["options"].as_array().unwrap();
        assert_eq!(options.len(), 6, "six steps lead out of CSR: {p}");
        for opt in options {
            let target = opt["targetRole"]["code"].as_str().unwrap();
            let is_lateral = lateral.contains(&target);
            let expected = if is_lateral { expected.1 } else { expected.0 };
            assert_eq!(
                opt["projectedSalary"],
                json!({ "amount": expected, "currency": currency }),
                "salary {salary} {currency} -> {target}"
            );
            let warnings: Vec<&str> = opt["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap())
                .collect();
            match (*salary, *currency) {
                (600_000, _) if !is_lateral => assert!(
                    warnings.iter().any(|w| w
                        .contains("the minimum raise of 20% would exceed the")
                        && w.contains("band maximum 700000 JPY; projected pay is capped there")),
                    "{target}: {warnings:?}"
                ),
                (_, "USD") => assert_eq!(
                    warnings,
                    vec![format!(
                        "no salary band in USD for {}; projected pay is not clamped",
                        opt["targetRole"]["title"].as_str().unwrap()
                    )]
                ),
                _ => assert!(warnings.is_empty(), "{target}: {warnings:?}"),
            }
        }
    }
    let capped = progression(&app, &people[3].3, Some("2026-02-01")).await;
    assert_eq!(
        option(&capped, "TEAM_LEAD")["warnings"],
        json!([
            "the minimum raise of 20% would exceed the Team Lead band maximum 700000 JPY; projected pay is capped there"
        ])
    );
}

#[tokio::test]
async fn compa_ratio_compares_the_salary_with_the_csr_band_midpoint() {
    // Arrange: the seeded CSR band in Japan is 400000-560000, midpoint 480000.
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    for (salary, market, currency) in [
        (480_000, "JP", "JPY"),
        (450_000, "JP", "JPY"),
        (600_000, "JP", "JPY"),
        (500_000, "US", "USD"),
    ] {
        let who = app
            .person(Person {
                name: format!("Ratio {salary}"),
                market,
                currency,
                salary,
                ..Default::default()
            })
            .await;
        people.push(who);
    }

    // Act
    let mut ratios = Vec::new();
    for who in &people {
        let data = app
            .data(
                "query($id: ID!) { employee(id: $id) { compaRatio rangePenetration salary { amount currency } } }",
                json!({ "id": who.gid() }),
                Some(&app.hr),
            )
            .await;
        ratios.push(data["employee"].clone());
    }

    // Assert
    assert_eq!(ratios[0]["compaRatio"], 1.0);
    assert_eq!(ratios[0]["rangePenetration"], 0.5);
    assert_eq!(ratios[1]["compaRatio"], 0.9375);
    assert_eq!(ratios[1]["rangePenetration"], 0.3125);
    assert_eq!(ratios[2]["compaRatio"], 1.25, "above the band maximum");
    assert_eq!(
        ratios[2]["salary"],
        json!({ "amount": "600000", "currency": "JPY" })
    );
    assert!(
        ratios[3]["compaRatio"].is_null(),
        "no band in the salary's market and currency: {}",
        ratios[3]
    );
}

#[tokio::test]
async fn tenure_counts_whole_calendar_months_and_clamps_to_the_end_of_short_months() {
    // Arrange
    let app = TestApp::spawn().await;
    let who = app
        .person(Person {
            name: "Jan Thirtyfirst".into(),
            hired_on: date("2024-01-31"),
            role_since: date("2025-01-31"),
            ..Default::default()
        })
        .await;
    let query = "query($id: ID!, $d: Date) { employee(id: $id) { tenure(asOf: $d) { monthsOfService monthsInRole } } }";

    // Act
    let before = app
        .data(
            query,
            json!({ "id": who.gid(), "d": "2025-02-27" }),
            Some(&who),
        )
        .await;
    let on = app
        .data(
            query,
            json!({ "id": who.gid(), "d": "2025-02-28" }),
            Some(&who),
        )
        .await;

    // Assert: Jan 31 + 1 month is Feb 28.
    assert_eq!(
        before["employee"]["tenure"],
        json!({ "monthsOfService": 12, "monthsInRole": 0 })
    );
    assert_eq!(
        on["employee"]["tenure"],
        json!({ "monthsOfService": 13, "monthsInRole": 1 })
    );
}

#[tokio::test]
async fn hr_changing_a_ladder_step_changes_the_answers_at_once() {
    // Arrange: ten months in role, rating 3.5, no leadership training.
    let app = TestApp::spawn().await;
    let ana = csr(&app, "Ana Adjusted").await;
    app.review(&ana, "2025-06-30", 3.5).await;
    app.review(&ana, "2025-09-30", 3.5).await;
    let as_of = Some("2025-11-15");
    let before = progression(&app, &ana, as_of).await;
    assert_eq!(before["monthsInRole"], 10);
    assert_eq!(
        gaps(option(&before, "TEAM_LEAD")),
        vec![
            gap(
                "TENURE",
                "needs 18 months in role on the standard track; has 10 (8 more, eligible from 15 Jul 2026)"
            ),
            gap("CERTIFICATION", "needs leadership training; has none"),
        ]
    );
    let upsert = "mutation($input: LadderStepInput!) { upsertLadderStep(input: $input) { \
                  from { code } to { code } fastTrackMonths standardMonths minRating \
                  topPerformerRating requirements { kind } } }";

    // Act 1: nine months for top performers at 3.5, no training needed.
    let step = app
        .data(
            upsert,
            json!({ "input": {
                "fromRoleCode": "CSR", "toRoleCode": "TEAM_LEAD",
                "fastTrackMonths": 9, "topPerformerRating": 3.5, "requirements": [],
            }}),
            Some(&app.hr),
        )
        .await;
    let relaxed = progression(&app, &ana, as_of).await;

    // Assert 1
    assert_eq!(
        step["upsertLadderStep"],
        json!({
            "from": { "code": "CSR" }, "to": { "code": "TEAM_LEAD" },
            "fastTrackMonths": 9, "standardMonths": 18, "minRating": 3.0,
            "topPerformerRating": 3.5, "requirements": [],
        })
    );
    let team_lead = option(&relaxed, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "ELIGIBLE", "{team_lead}");
    assert_eq!(team_lead["track"], "FAST_TRACK");
    assert_eq!(team_lead["eligibleOn"], "2025-10-15");
    assert!(gaps(team_lead).is_empty());
    let ladder = app
        .data(
            "{ ladder { code steps { to { code } fastTrackMonths requirements { kind } } } }",
            json!({}),
            Some(&ana),
        )
        .await;
    let csr_steps = ladder["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "CSR")
        .unwrap()["steps"]
        .clone();
    let tl_step = csr_steps
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["to"]["code"] == "TEAM_LEAD")
        .unwrap();
    assert_eq!(tl_step["fastTrackMonths"], 9, "the ladder shows the change");

    // Act 2: raise the bar above her rating.
    app.data(
        upsert,
        json!({ "input": {
            "fromRoleCode": "CSR", "toRoleCode": "TEAM_LEAD",
            "minRating": 4.0, "topPerformerRating": 4.5,
        }}),
        Some(&app.hr),
    )
    .await;
    let strict = progression(&app, &ana, as_of).await;

    // Assert 2
    let team_lead = option(&strict, "TEAM_LEAD");
    assert_eq!(team_lead["status"], "INELIGIBLE");
    assert_eq!(team_lead["track"], "STANDARD");
    assert_eq!(
        gaps(team_lead),
        vec![
            gap(
                "TENURE",
                "needs 18 months in role on the standard track; has 10 (8 more, eligible from 15 Jul 2026)"
            ),
            gap(
                "PERFORMANCE",
                "needs a rating of 4.0 (mean of the last two reviews); has 3.5"
            ),
        ]
    );
    assert_eq!(
        option(&strict, "QUALITY_ANALYST"),
        option(&before, "QUALITY_ANALYST"),
        "other steps are untouched"
    );
}

#[tokio::test]
async fn the_eligible_for_filter_lists_exactly_the_people_eligible_today() {
    // Arrange: dates relative to today, since the filter asks about today.
    let app = TestApp::spawn().await;
    let csr_since = |name: &str, manager: i64, months: u32| Person {
        name: name.into(),
        manager: Some(manager),
        hired_on: months_ago(30),
        role_since: months_ago(months),
        ..Default::default()
    };
    let fast = app.person(csr_since("Fay Fast", app.manager.id, 14)).await;
    let steady = app
        .person(csr_since("Stu Steady", app.other_manager.id, 20))
        .await;
    let early = app.person(csr_since("Ezra Early", app.manager.id, 6)).await;
    let untrained = app
        .person(csr_since("Una Untrained", app.manager.id, 14))
        .await;
    let belted = app
        .person(csr_since("Bea Belted", app.manager.id, 14))
        .await;
    for who in [&fast, &early, &untrained, &belted] {
        app.review(who, &months_ago(5).to_string(), 4.5).await;
        app.review(who, &months_ago(2).to_string(), 4.5).await;
    }
    app.review(&steady, &months_ago(5).to_string(), 3.5).await;
    app.review(&steady, &months_ago(2).to_string(), 3.5).await;
    let issued = months_ago(8).to_string();
    for who in [&fast, &steady, &early] {
        app.cert(
            who,
            "LEADERSHIP_TRAINING",
            None,
            None,
            &issued,
            None,
            "VERIFIED",
        )
        .await;
    }
    app.cert(
        &belted,
        "SIX_SIGMA",
        Some("YELLOW"),
        None,
        &issued,
        None,
        "VERIFIED",
    )
    .await;
    let query = "query($role: String!) { employees(first: 100, filter: { eligibleFor: $role }) \
                 { totalCount nodes { id name } } }";
    let names = |data: &Value| -> Vec<String> {
        data["employees"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect()
    };

    // Act
    let hr_team_lead = app
        .data(query, json!({ "role": "TEAM_LEAD" }), Some(&app.hr))
        .await;
    let hr_quality = app
        .data(query, json!({ "role": "QUALITY_ANALYST" }), Some(&app.hr))
        .await;
    let manager_team_lead = app
        .data(query, json!({ "role": "TEAM_LEAD" }), Some(&app.manager))
        .await;

    // Assert
    assert_eq!(names(&hr_team_lead), vec!["Fay Fast", "Stu Steady"]);
    assert_eq!(hr_team_lead["employees"]["totalCount"], 2);
    assert_eq!(names(&hr_quality), vec!["Bea Belted"]);
    assert_eq!(
        names(&manager_team_lead),
        vec!["Fay Fast"],
        "a manager sees only their own chain"
    );
    // The filter and each person's own progression agree.
    for (who, listed) in [
        (&fast, true),
        (&steady, true),
        (&early, false),
        (&untrained, false),
        (&belted, false),
        (&app.employee, false),
    ] {
        let p = progression(&app, who, None).await;
        assert_eq!(
            option(&p, "TEAM_LEAD")["status"] == "ELIGIBLE",
            listed,
            "{p}"
        );
    }
}

#[tokio::test]
async fn someone_eligible_for_more_than_six_months_without_a_nomination_is_stalled_until_nominated()
{
    // Arrange: eligible since a year ago (role start two years ago + 12).
    let app = TestApp::spawn().await;
    let role_since = months_ago(24);
    let stella = app
        .person(Person {
            name: "Stella Stalled".into(),
            manager: Some(app.manager.id),
            hired_on: months_ago(30),
            role_since,
            ..Default::default()
        })
        .await;
    app.review(&stella, &months_ago(20).to_string(), 4.5).await;
    app.review(&stella, &months_ago(18).to_string(), 4.5).await;
    app.cert(
        &stella,
        "LEADERSHIP_TRAINING",
        None,
        None,
        &months_ago(22).to_string(),
        None,
        "VERIFIED",
    )
    .await;
    let eligible_on = role_since.checked_add_months(Months::new(12)).unwrap();
    let six_months_later = eligible_on.checked_add_months(Months::new(6)).unwrap();
    let day_after = six_months_later.succ_opt().unwrap();

    // Act
    let exactly_six = progression(&app, &stella, Some(&six_months_later.to_string())).await;
    let just_over = progression(&app, &stella, Some(&day_after.to_string())).await;
    let today = progression(&app, &stella, None).await;
    let nominated = app
        .data(
            "mutation($id: ID!) { nominate(input: { nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", \
             justification: \"ready for a team\" }) { id status } }",
            json!({ "id": stella.gid() }),
            Some(&app.manager),
        )
        .await;
    let after_nomination = progression(&app, &stella, None).await;
    let nomination_id = nominated["nominate"]["id"].as_str().unwrap().to_owned();
    app.data(
        "mutation($id: ID!) { withdrawNomination(id: $id) { status } }",
        json!({ "id": nomination_id }),
        Some(&app.manager),
    )
    .await;
    let after_withdrawal = progression(&app, &stella, None).await;

    // Assert
    assert_eq!(
        option(&today, "TEAM_LEAD")["eligibleOn"],
        eligible_on.to_string()
    );
    assert_eq!(exactly_six["eligible"], true);
    assert_eq!(
        exactly_six["stalled"], false,
        "six months is not more than six"
    );
    assert_eq!(just_over["stalled"], true);
    assert_eq!(today["eligible"], true);
    assert_eq!(today["stalled"], true);
    assert_eq!(nominated["nominate"]["status"], "PENDING");
    assert_eq!(after_nomination["eligible"], true);
    assert_eq!(
        after_nomination["stalled"], false,
        "an open nomination is the answer to being stalled"
    );
    assert_eq!(
        after_withdrawal["stalled"], true,
        "a withdrawn nomination is no longer open"
    );
}
