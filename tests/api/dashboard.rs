//! Dashboards: the same engine as `progression`, scoped like every read.

use std::collections::BTreeMap;

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{date, error_code, gid, row_id, Kind, Person, TestApp};

const AS_OF: &str = "2026-10-15";

/// Every employee HR can see, with their progression as of `AS_OF`.
async fn everyone(app: &TestApp) -> Vec<Value> {
    let q = "query($after: String, $d: Date) { employees(first: 100, after: $after) { pageInfo { hasNextPage endCursor } \
             nodes { id role { code } site market hiredOn progression(asOf: $d) { eligible stalled options { status track } } } } }";
    let mut all = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .data(q, json!({ "after": after, "d": AS_OF }), Some(&app.hr))
            .await;
        all.extend(
            page["employees"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        if page["employees"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["employees"]["pageInfo"]["endCursor"].clone();
    }
    all
}

/// The dashboard's counting rules, applied to one progression.
fn counts(progression: &Value) -> [i64; 5] {
    let options = progression["options"].as_array().unwrap();
    let eligible = progression["eligible"] == true;
    let fast = options
        .iter()
        .any(|o| o["status"] == "ELIGIBLE" && o["track"] == "FAST_TRACK");
    let not_yet = !eligible && options.iter().any(|o| o["status"] == "NOT_YET");
    let ineligible = !options.is_empty() && options.iter().all(|o| o["status"] == "INELIGIBLE");
    let stalled = progression["stalled"] == true;
    [
        eligible as i64,
        fast as i64,
        not_yet as i64,
        ineligible as i64,
        stalled as i64,
    ]
}

#[tokio::test]
async fn dashboard_eligibility_agrees_with_every_employees_progression() {
    let app = TestApp::spawn().await;
    rungs::seed::seed(&app.db, 400, 7, Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();

    let mut expected: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    for person in everyone(&app).await {
        if person["hiredOn"].as_str().unwrap() > AS_OF {
            continue;
        }
        let c = counts(&person["progression"]);
        let row = expected
            .entry(person["site"].as_str().unwrap().to_owned())
            .or_default();
        row[0] += 1;
        for i in 0..5 {
            row[i + 1] += c[i];
        }
    }
    let body = app
        .data(
            "query($d: Date) { dashboard(asOf: $d) { eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible stalled } } }",
            json!({ "d": AS_OF }),
            Some(&app.hr),
        )
        .await;
    let mut actual: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    for b in body["dashboard"]["eligibility"].as_array().unwrap() {
        let n = |f: &str| b[f].as_i64().unwrap();
        actual.insert(
            b["key"].as_str().unwrap().to_owned(),
            [
                n("total"),
                n("eligible"),
                n("fastTrack"),
                n("notYet"),
                n("ineligible"),
                n("stalled"),
            ],
        );
    }
    assert_eq!(actual, expected);
    // The buckets partition the headcount.
    let body = app
        .data(
            "query($d: Date) { dashboard(asOf: $d) { eligibility(groupBy: ROLE) { key total eligible notYet ineligible noNextStep } } }",
            json!({ "d": AS_OF }),
            Some(&app.hr),
        )
        .await;
    let mut without_step = 0;
    for b in body["dashboard"]["eligibility"].as_array().unwrap() {
        let n = |f: &str| b[f].as_i64().unwrap();
        assert_eq!(
            n("eligible") + n("notYet") + n("ineligible") + n("noNextStep"),
            n("total"),
            "{b}"
        );
        without_step += n("noNextStep");
    }
    assert!(without_step > 0, "someone holds a role with no step out");
    let stalled: i64 = actual.values().map(|r| r[5]).sum();
    let eligible: i64 = actual.values().map(|r| r[1]).sum();
    assert!(
        eligible > 0 && stalled > 0,
        "the seeded organisation should have eligible and stalled people: {actual:?}"
    );
}

#[tokio::test]
async fn a_manager_sees_figures_for_their_chain_and_an_employee_is_refused() {
    let app = TestApp::spawn().await;
    let q = "{ dashboard { headcount(groupBy: ROLE) { key count } eligibility(groupBy: MANAGER) { key label total } } }";
    let as_top = app.data(q, json!({}), Some(&app.top)).await;
    let roles: Vec<(String, i64)> = as_top["dashboard"]["headcount"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_owned(),
                b["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![("CSR".to_owned(), 1), ("TEAM_LEAD".to_owned(), 1)]
    );
    let by_manager = &as_top["dashboard"]["eligibility"];
    assert!(by_manager
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["label"] == "Mika Manager" && b["total"] == 1));
    let as_hr = app
        .data(
            "{ dashboard { headcount(groupBy: MARKET) { key count } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(
        as_hr["dashboard"]["headcount"][0],
        json!({ "key": "JP", "count": 7 })
    );
    let refused = app.gql(q, json!({}), Some(&app.employee)).await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
}

#[tokio::test]
async fn leadership_coverage_flags_sites_short_of_team_leads() {
    let app = TestApp::spawn().await;
    for i in 0..16 {
        app.person(Person {
            name: format!("Nagoya CSR {i}"),
            site: "Nagoya",
            manager: Some(app.manager.id),
            ..Default::default()
        })
        .await;
    }
    let body = app.data("{ dashboard { leadershipCoverage { site csrs teamLeads neededAtMost15 neededAt10 understaffed } } }", json!({}), Some(&app.hr)).await;
    let sites = body["dashboard"]["leadershipCoverage"].as_array().unwrap();
    let nagoya = sites.iter().find(|s| s["site"] == "Nagoya").unwrap();
    assert_eq!(
        nagoya,
        &json!({ "site": "Nagoya", "csrs": 16, "teamLeads": 0, "neededAtMost15": 2, "neededAt10": 2, "understaffed": true })
    );
    let tokyo = sites.iter().find(|s| s["site"] == "Tokyo").unwrap();
    assert_eq!(tokyo["understaffed"], false);
}

#[tokio::test]
async fn compa_ratios_count_people_outside_their_band() {
    let app = TestApp::spawn().await;
    app.person(Person {
        name: "Under Paid".into(),
        salary: 380_000,
        ..Default::default()
    })
    .await;
    app.person(Person {
        name: "Over Paid".into(),
        salary: 600_000,
        ..Default::default()
    })
    .await;
    let body = app.data("{ dashboard { compaRatios(groupBy: ROLE) { key count min max median belowMin aboveMax } } }", json!({}), Some(&app.hr)).await;
    let csr = body["dashboard"]["compaRatios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "CSR")
        .unwrap()
        .clone();
    assert_eq!(csr["count"], 4);
    assert_eq!(csr["belowMin"], 1);
    assert_eq!(csr["aboveMax"], 1);
    assert_eq!(csr["min"], 380_000.0 / 480_000.0);
    assert_eq!(csr["max"], 600_000.0 / 480_000.0);
    assert_eq!(csr["median"], 450_000.0 / 480_000.0);
}

#[tokio::test]
async fn the_dashboard_follows_changes_at_once() {
    let app = TestApp::spawn().await;
    let ana = app
        .person(Person {
            name: "Ana Ready".into(),
            role_since: date("2024-01-15"),
            ..Default::default()
        })
        .await;
    app.review(&ana, "2025-06-30", 3.5).await;
    app.review(&ana, "2025-09-30", 3.5).await;
    let q = "{ dashboard(asOf: \"2025-11-15\") { eligibility(groupBy: ROLE) { key eligible } certificationCoverage { kind holders } } }";
    let csr_eligible = |body: &Value| {
        body["dashboard"]["eligibility"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["key"] == "CSR")
            .unwrap()["eligible"]
            .clone()
    };
    let before = app.data(q, json!({}), Some(&app.hr)).await;
    assert_eq!(
        csr_eligible(&before),
        1,
        "HR_GENERALIST and others need no certificate: {before}"
    );
    let add = "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"Bar Raiser\", issuedOn: \"2025-01-10\"}) { id } }";
    app.data(add, json!({ "id": ana.gid() }), Some(&app.hr))
        .await;
    let after = app.data(q, json!({}), Some(&app.hr)).await;
    assert_eq!(
        after["dashboard"]["certificationCoverage"][0]["holders"], 1,
        "{after}"
    );
    assert_eq!(csr_eligible(&after), 1);
}

#[tokio::test]
async fn the_nomination_funnel_counts_by_status() {
    let app = TestApp::spawn().await;
    rungs::seed::seed(&app.db, 300, 3, Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();
    let body = app.data("{ dashboard { nominationFunnel { pending approved rejected withdrawn medianDaysToDecision } } }", json!({}), Some(&app.hr)).await;
    let funnel = &body["dashboard"]["nominationFunnel"];
    let total: i64 = ["pending", "approved", "rejected", "withdrawn"]
        .iter()
        .map(|k| funnel[k].as_i64().unwrap())
        .sum();
    assert_eq!(total, app.count("nomination").await);
    assert!(funnel["approved"].as_i64().unwrap() > 0);
    assert!(funnel["medianDaysToDecision"].as_f64().unwrap() > 0.0);
}

/// Compa-ratios and the per-manager figures at 15,000 people (more managers
/// than a list may return): every group's count, extremes, quartiles and
/// people outside their band equal the ones computed from each person's
/// own ratio; groups by manager are the first 1,000 in key order, the same
/// ones for headcount, eligibility and compa-ratios.
#[tokio::test]
async fn compa_ratios_and_manager_groups_agree_with_every_person_at_fifteen_thousand() {
    use rungs::db::facts::Ladder;
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    rungs::seed::seed(&app.db, 15_000, 5, today)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let ladder = Ladder::load(&app.db.conn).await.unwrap();
    let employees = rungs::db::entities::employee::Entity::find()
        .all(&app.db.conn)
        .await
        .unwrap();
    let hired: Vec<_> = employees.iter().filter(|e| e.hired_on <= today).collect();
    let manager_key = |e: &rungs::db::entities::employee::Model| {
        e.manager_id
            .map(|m| m.to_string())
            .unwrap_or_else(|| "none".into())
    };
    for group_by in ["ROLE", "MARKET", "SITE", "MANAGER"] {
        // key -> (ratios, below, above)
        let mut expected: BTreeMap<String, (Vec<f64>, i64, i64)> = BTreeMap::new();
        for e in &hired {
            for band in ladder.bands.iter().filter(|b| {
                b.job_role_id == e.job_role_id
                    && b.market == e.market
                    && b.currency == e.currency
                    && b.midpoint_minor > 0
            }) {
                let key = match group_by {
                    "ROLE" => ladder.role(e.job_role_id).unwrap().code.clone(),
                    "MARKET" => e.market.clone(),
                    "SITE" => e.site.clone(),
                    _ => manager_key(e),
                };
                // Annual full-time equivalents (the seed pays one CSR in 40
                // by the hour at half time; annual bands).
                let annual = match e.pay_basis.as_str() {
                    "HOURLY" => (e.salary_minor * ladder.annual_hours(&e.market)) as f64,
                    "MONTHLY" => e.salary_minor as f64 * 12.0 * 10_000.0 / e.fte_bp as f64,
                    _ => e.salary_minor as f64 * 10_000.0 / e.fte_bp as f64,
                };
                let entry = expected.entry(key).or_default();
                entry.0.push(annual / band.midpoint_minor as f64);
                entry.1 += (annual < band.min_minor as f64) as i64;
                entry.2 += (annual > band.max_minor as f64) as i64;
            }
        }
        let body = app
            .data(
                &format!("{{ dashboard {{ compaRatios(groupBy: {group_by}) {{ key count min p25 median p75 max belowMin aboveMax }} }} }}"),
                json!({}),
                Some(&app.hr),
            )
            .await;
        let got = body["dashboard"]["compaRatios"].as_array().unwrap();
        assert_eq!(got.len(), expected.len().min(1_000), "{group_by}");
        for (bucket, (key, (mut ratios, below, above))) in got.iter().zip(expected) {
            ratios.sort_by(f64::total_cmp);
            let at = |q| rungs::services::dashboard::percentile(&ratios, q);
            let public = match (group_by, key.parse::<i64>()) {
                ("MANAGER", Ok(id)) => gid(Kind::Employee, id),
                _ => key.clone(),
            };
            assert_eq!(bucket["key"], public.as_str(), "{group_by}");
            assert_eq!(bucket["count"], ratios.len(), "{group_by} {key}");
            // Equal up to the last digit JSON parsing may round.
            for (figure, want) in [
                ("min", ratios[0]),
                ("max", *ratios.last().unwrap()),
                ("p25", at(0.25)),
                ("median", at(0.5)),
                ("p75", at(0.75)),
            ] {
                let got = bucket[figure].as_f64().unwrap();
                assert!(
                    (got - want).abs() <= 1e-12,
                    "{group_by} {key} {figure}: {got} != {want}"
                );
            }
            assert_eq!(bucket["belowMin"], below, "{group_by} {key}");
            assert_eq!(bucket["aboveMax"], above, "{group_by} {key}");
        }
    }
    let mut per_manager: BTreeMap<String, i64> = BTreeMap::new();
    for e in &hired {
        *per_manager.entry(manager_key(e)).or_default() += 1;
    }
    assert!(per_manager.len() > 1_000, "{} managers", per_manager.len());
    let body = app
        .data(
            "{ dashboard { headcount(groupBy: MANAGER) { key label count } eligibility(groupBy: MANAGER) { key label total } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let first: Vec<(String, i64)> = per_manager
        .into_iter()
        .take(1_000)
        .map(|(key, n)| match key.parse::<i64>() {
            Ok(id) => (gid(Kind::Employee, id), n),
            Err(_) => (key, n),
        })
        .collect();
    for field in ["headcount", "eligibility"] {
        let got: Vec<(String, i64)> = body["dashboard"][field]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                let n = if field == "headcount" {
                    &b["count"]
                } else {
                    &b["total"]
                };
                (b["key"].as_str().unwrap().to_owned(), n.as_i64().unwrap())
            })
            .collect();
        assert_eq!(got, first, "{field}");
    }
    let labelled = &body["dashboard"]["headcount"][0];
    let id = row_id(labelled["key"].as_str().unwrap());
    let manager = employees.iter().find(|e| e.id == id).unwrap();
    assert_eq!(labelled["label"], manager.name.as_str());
}

#[tokio::test]
async fn each_eligibility_figure_lists_exactly_its_people() {
    // Arrange: an organisation with eligible and stalled people.
    let app = TestApp::spawn().await;
    rungs::seed::seed(&app.db, 300, 7, Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();
    let figures = app
        .data(
            "{ dashboard { eligibility(groupBy: SITE) { key eligible notYet ineligible stalled } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    const PEOPLE: &str = "query($f: EmployeeFilter) { employees(first: 100, filter: $f) { \
        totalCount nodes { progression { stalled } } } }";

    // Act and assert: HR's drill-down from each figure (the People page).
    let mut stalled_seen = 0;
    for bucket in figures["dashboard"]["eligibility"].as_array().unwrap() {
        let site = bucket["key"].as_str().unwrap();
        for (filter, figure) in [
            (json!({ "site": site, "stalled": true }), "stalled"),
            (
                json!({ "site": site, "bestStatus": "ELIGIBLE" }),
                "eligible",
            ),
            (json!({ "site": site, "bestStatus": "NOT_YET" }), "notYet"),
            (
                json!({ "site": site, "bestStatus": "INELIGIBLE" }),
                "ineligible",
            ),
        ] {
            let listed = app
                .data(PEOPLE, json!({ "f": filter }), Some(&app.hr))
                .await;
            assert_eq!(
                listed["employees"]["totalCount"], bucket[figure],
                "{site} {figure}: {filter}"
            );
            if figure == "stalled" {
                for person in listed["employees"]["nodes"].as_array().unwrap() {
                    assert_eq!(person["progression"]["stalled"], true, "{person}");
                    stalled_seen += 1;
                }
            }
        }
    }
    assert!(
        stalled_seen > 0,
        "the seeded organisation has stalled people"
    );
}
