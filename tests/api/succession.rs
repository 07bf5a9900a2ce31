//! Succession (issue 21): slates suggested by the engine and confirmed by
//! managers, potential and the 9-box, bench strength; on both databases.

use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp, User};

const SLATES: &str = "query($site: String, $asOf: Date) { successionSlates(site: $site, asOf: $asOf) { site roleCode successors { employee { name } readiness suggested confirmedBy { name } } } }";
const CONFIRM: &str = "mutation($id: ID!, $readiness: Readiness!, $role: String!, $site: String!) { confirmSuccessor(input: {site: $site, roleCode: $role, employeeId: $id, readiness: $readiness}) { site roleCode successors { employee { name } readiness suggested confirmedBy { name } } } }";
const BENCH: &str =
    "{ dashboard { benchStrength { site teamLeadSeatsNeeded readyNow shortfall atRisk } } }";

fn slate<'a>(slates: &'a Value, site: &str, role: &str) -> &'a Value {
    slates
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["site"] == site && s["roleCode"] == role)
        .unwrap_or_else(|| panic!("no {role} slate at {site} in {slates}"))
}

fn names(slate: &Value) -> Vec<(String, String, bool)> {
    slate["successors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["employee"]["name"].as_str().unwrap().to_owned(),
                s["readiness"].as_str().unwrap().to_owned(),
                s["suggested"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn confirm(app: &TestApp, by: &User, who: &User, role: &str, readiness: &str) -> Value {
    app.gql(
        CONFIRM,
        json!({ "id": who.gid(), "readiness": readiness, "role": role, "site": "Tokyo" }),
        Some(by),
    )
    .await
}

fn tokyo(bench: &Value) -> Value {
    bench["dashboard"]["benchStrength"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["site"] == "Tokyo")
        .cloned()
        .unwrap_or_else(|| panic!("no Tokyo bench in {bench}"))
}

#[tokio::test]
async fn the_engine_suggests_a_slate_a_manager_confirms_it_and_the_bench_counts_it() {
    let app = TestApp::spawn().await;
    let kaito = app
        .eligible_csr_at("Kaito Kanda", app.manager.id, "Tokyo")
        .await;

    // Kaito is ELIGIBLE for Team Lead: suggested READY_NOW. Emi (no
    // reviews) is not on a path within two years: not suggested.
    let data = app
        .data(SLATES, json!({ "site": "Tokyo" }), Some(&app.hr))
        .await;
    let team_lead = slate(&data["successionSlates"], "Tokyo", "TEAM_LEAD");
    assert_eq!(
        names(team_lead),
        vec![("Kaito Kanda".to_owned(), "READY_NOW".to_owned(), true)]
    );
    // Today the stored state narrows who the engine looks at; yesterday
    // the engine looks at everyone: the same slate.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let engine = app
        .data(
            SLATES,
            json!({ "site": "Tokyo", "asOf": yesterday }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(engine["successionSlates"], data["successionSlates"]);
    // Tokyo: two CSRs need one Team Lead and have Mika; the next two
    // openings need two READY_NOW successors and there is one.
    let bench = tokyo(&app.data(BENCH, json!({}), Some(&app.hr)).await);
    assert_eq!(bench["teamLeadSeatsNeeded"], 1, "{bench}");
    assert_eq!(bench["readyNow"], 1, "{bench}");
    assert_eq!(bench["shortfall"], 1, "{bench}");
    assert_eq!(bench["atRisk"], true, "{bench}");

    // Mika, Emi's manager, confirms her as ONE_TO_TWO_YEARS: confirmed
    // successors come first, then the suggestions.
    let body = confirm(
        &app,
        &app.manager,
        &app.employee,
        "TEAM_LEAD",
        "ONE_TO_TWO_YEARS",
    )
    .await;
    let confirmed = &body["data"]["confirmSuccessor"];
    assert_eq!(
        names(confirmed),
        vec![
            (
                "Emi Employee".to_owned(),
                "ONE_TO_TWO_YEARS".to_owned(),
                false
            ),
            ("Kaito Kanda".to_owned(), "READY_NOW".to_owned(), true),
        ],
        "{body}"
    );
    assert_eq!(
        confirmed["successors"][0]["confirmedBy"]["name"],
        "Mika Manager"
    );
    // Confirmed again READY_NOW: replaced, not added; the bench is full.
    let body = confirm(&app, &app.manager, &app.employee, "TEAM_LEAD", "READY_NOW").await;
    assert_eq!(
        names(&body["data"]["confirmSuccessor"])[0],
        ("Emi Employee".to_owned(), "READY_NOW".to_owned(), false),
        "{body}"
    );
    let bench = tokyo(&app.data(BENCH, json!({}), Some(&app.hr)).await);
    assert_eq!(bench["readyNow"], 2, "{bench}");
    assert_eq!(bench["shortfall"], 0, "{bench}");
    assert_eq!(bench["atRisk"], false, "{bench}");
    // Today's figure comes from the stored eligibility state; another day's
    // from the engine, person by person: they agree (nothing changed since
    // yesterday for these people).
    let engine = tokyo(
        &app.data(
            "query($d: Date) { dashboard(asOf: $d) { benchStrength { site teamLeadSeatsNeeded readyNow shortfall atRisk } } }",
            json!({ "d": yesterday }),
            Some(&app.hr),
        )
        .await,
    );
    assert_eq!(engine, bench);

    // Taken off the slate: back to Kaito alone; a second time NOT_FOUND.
    const REMOVE: &str = "mutation($id: ID!) { removeSuccessor(site: \"Tokyo\", roleCode: \"TEAM_LEAD\", employeeId: $id) { successors { employee { name } } } }";
    let body = app
        .gql(
            REMOVE,
            json!({ "id": app.employee.gid() }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(
        body["data"]["removeSuccessor"]["successors"],
        json!([{ "employee": { "name": "Kaito Kanda" } }]),
        "{body}"
    );
    let body = app
        .gql(
            REMOVE,
            json!({ "id": app.employee.gid() }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    assert_eq!(
        tokyo(&app.data(BENCH, json!({}), Some(&app.hr)).await)["readyNow"],
        1
    );

    // Refusals: oneself, a role without a slate, a site nobody works at,
    // someone outside the chain, someone already in the role; employees
    // see no slates.
    let body = confirm(
        &app,
        &app.manager,
        &app.manager,
        "OPERATIONS_MANAGER",
        "READY_NOW",
    )
    .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = confirm(&app, &app.manager, &app.employee, "CSR", "READY_NOW").await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let body = app
        .gql(
            CONFIRM,
            json!({ "id": app.employee.gid(), "readiness": "READY_NOW", "role": "TEAM_LEAD", "site": "Atlantis" }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let body = confirm(
        &app,
        &app.other_manager,
        &app.employee,
        "TEAM_LEAD",
        "READY_NOW",
    )
    .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    let body = confirm(&app, &app.hr, &app.manager, "TEAM_LEAD", "READY_NOW").await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let body = app.gql(SLATES, json!({}), Some(&kaito)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    // A manager's slates hold only their chain: Oto in Osaka sees none of
    // Tokyo's people.
    let data = app.data(SLATES, json!({}), Some(&app.other_manager)).await;
    assert!(
        data["successionSlates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["site"] != "Tokyo"),
        "{data}"
    );
    let audited = app
        .data(
            "{ auditEvents(first: 10) { nodes { action } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let confirmations = audited["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "CONFIRM_SUCCESSOR")
        .count();
    assert_eq!(confirmations, 2);
    let removals = audited["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "REMOVE_SUCCESSOR")
        .count();
    assert_eq!(removals, 1);
}

const NINE_BOX: &str = "query($asOf: Date, $manager: ID) { nineBox(asOf: $asOf, managerId: $manager) { performance potential count employees { name } } }";

fn cell<'a>(data: &'a Value, performance: &str, potential: &str) -> &'a Value {
    data["nineBox"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["performance"] == performance && c["potential"] == potential)
        .unwrap()
}

#[tokio::test]
async fn managers_assess_potential_and_the_nine_box_places_people_by_it_and_their_rating() {
    let app = TestApp::spawn().await;
    // Reviews of 4.5: HIGH performance.
    let kaito = app
        .eligible_csr_at("Kaito Kanda", app.manager.id, "Tokyo")
        .await;
    let assess = |potential: &'static str| json!({ "id": kaito.gid(), "p": potential });
    const ASSESS: &str = "mutation($id: ID!, $p: PotentialLevel!) { assessPotential(employeeId: $id, potential: $p) { name potential } }";
    let data = app.data(ASSESS, assess("MEDIUM"), Some(&app.manager)).await;
    assert_eq!(data["assessPotential"]["potential"], "MEDIUM");
    app.data(ASSESS, assess("HIGH"), Some(&app.top)).await;

    let data = app.data(NINE_BOX, json!({}), Some(&app.manager)).await;
    assert_eq!(data["nineBox"].as_array().unwrap().len(), 9);
    let top_right = cell(&data, "HIGH", "HIGH");
    assert_eq!(top_right["count"], 1, "{data}");
    assert_eq!(top_right["employees"][0]["name"], "Kaito Kanda");
    assert_eq!(cell(&data, "HIGH", "MEDIUM")["count"], 0);
    // Before the first assessment nobody has a potential: an empty box.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let data = app
        .data(NINE_BOX, json!({ "asOf": yesterday }), Some(&app.manager))
        .await;
    let placed: i64 = data["nineBox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(placed, 0, "{data}");
    // HR narrows to Mika's chain; Oto may not look into it.
    let data = app
        .data(
            NINE_BOX,
            json!({ "manager": app.manager.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(cell(&data, "HIGH", "HIGH")["count"], 1);
    let body = app
        .gql(
            NINE_BOX,
            json!({ "manager": app.manager.gid() }),
            Some(&app.other_manager),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");

    // History, newest first, for the chain and HR; not for the person.
    let history = app
        .data(
            "query($id: ID!) { employee(id: $id) { potential potentialHistory { potential assessedBy { name } } } }",
            json!({ "id": kaito.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(history["employee"]["potential"], "HIGH");
    assert_eq!(
        history["employee"]["potentialHistory"],
        json!([
            { "potential": "HIGH", "assessedBy": { "name": "Toru Top" } },
            { "potential": "MEDIUM", "assessedBy": { "name": "Mika Manager" } },
        ])
    );
    let body = app
        .gql("{ me { potential } }", json!({}), Some(&kaito))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.gql(NINE_BOX, json!({}), Some(&kaito)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // Nobody assesses themselves; outside the chain it is not found.
    let body = app
        .gql(
            ASSESS,
            json!({ "id": app.manager.gid(), "p": "HIGH" }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(ASSESS, assess("LOW"), Some(&app.other_manager))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
}
