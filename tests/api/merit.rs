//! Merit cycles (issue 20): HR opens a cycle with budgets, managers propose
//! raises guided by the matrix, budgets never overspend, HR closes it all
//! or nothing.

use serde_json::{json, Value};

use crate::helpers::{error_code, today, TestApp};

const OPEN: &str = "mutation($input: MeritCycleInput!) { openMeritCycle(input: $input) {
    id status budgets { scope payroll { amount currency } budget { amount } used { amount } remaining { amount } } } }";

const PROPOSE: &str = "mutation($cycle: ID!, $who: ID!, $percent: Float!, $why: String) {
    proposeMerit(cycleId: $cycle, employeeId: $who, percent: $percent, justification: $why) {
      id percent before { amount } newSalary { amount } } }";

async fn open(app: &TestApp, percent: f64, by: &str) -> Value {
    app.data(
        OPEN,
        json!({ "input": { "name": "2027 merit review", "effectiveOn": today().to_string(),
                           "budgetPercent": percent, "budgetBy": by, "market": "JP" } }),
        Some(&app.hr),
    )
    .await["openMeritCycle"]
        .clone()
}

fn budget<'a>(cycle: &'a Value, scope: &str) -> &'a Value {
    cycle["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["scope"] == scope)
        .unwrap_or_else(|| panic!("no budget for {scope}: {cycle}"))
}

fn amount(v: &Value) -> i64 {
    v["amount"].as_str().unwrap().parse().unwrap()
}

async fn budgets(app: &TestApp, id: &str) -> Value {
    app.data(
        "query($id: ID!) { node(id: $id) { ... on MeritCycle { status proposalCount
           budgets { scope budget { amount } used { amount } remaining { amount } } } } }",
        json!({ "id": id }),
        Some(&app.hr),
    )
    .await["node"]
        .clone()
}

#[tokio::test]
async fn a_cycle_from_opening_to_closing() {
    let app = TestApp::spawn().await;
    // Budgets: 3 % of each JP site's payroll (everyone is full time on
    // ANNUAL pay here, so the payroll is the sum of salaries).
    let cycle = open(&app, 3.0, "SITE").await;
    let id = cycle["id"].as_str().unwrap().to_owned();
    let tokyo = budget(&cycle, "Tokyo");
    assert_eq!(cycle["status"], "OPEN");
    assert_eq!(
        amount(&tokyo["budget"]),
        (amount(&tokyo["payroll"]) * 3 + 50) / 100
    );
    assert_eq!(amount(&tokyo["used"]), 0);

    // Emi has no reviews: no guideline, so a raise needs a justification.
    let vars = |percent: f64, why: Option<&str>| json!({ "cycle": id, "who": app.employee.gid(), "percent": percent, "why": why });
    let body = app.gql(PROPOSE, vars(3.0, None), Some(&app.manager)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("justification"));
    let advice = app
        .data(
            "query($id: ID!, $who: ID!) { node(id: $id) { ... on MeritCycle {
               guidelineFor(employeeId: $who) { rating compaQuartile guideline { minPercent } } } } }",
            json!({ "id": id, "who": app.employee.gid() }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(
        advice["node"]["guidelineFor"]["rating"],
        Value::Null,
        "{advice}"
    );
    assert_eq!(advice["node"]["guidelineFor"]["guideline"], Value::Null);

    // With a review of 4.8 and pay low in the band, 5 % is inside the
    // guideline (4–6 % in the default matrix).
    app.review(&app.employee, "2026-06-30", 4.8).await;
    app.review(&app.employee, "2025-12-31", 4.8).await;
    let proposed = app.data(PROPOSE, vars(5.0, None), Some(&app.manager)).await;
    let p = &proposed["proposeMerit"];
    assert_eq!(amount(&p["before"]), 450_000);
    assert_eq!(amount(&p["newSalary"]), 472_500);
    let state = budgets(&app, &id).await;
    assert_eq!(amount(&budget(&state, "Tokyo")["used"]), 22_500, "{state}");
    // Again for the same person replaces it; the budget follows exactly.
    app.data(PROPOSE, vars(4.0, None), Some(&app.manager)).await;
    let state = budgets(&app, &id).await;
    assert_eq!(amount(&budget(&state, "Tokyo")["used"]), 18_000, "{state}");
    assert_eq!(state["proposalCount"], 1);

    // Who may: not for themselves, not outside their chain, not an employee.
    let me = json!({ "cycle": id, "who": app.manager.gid(), "percent": 4.0, "why": "x" });
    assert_eq!(
        error_code(&app.gql(PROPOSE, me, Some(&app.manager)).await),
        "FORBIDDEN"
    );
    let outsider = json!({ "cycle": id, "who": app.outsider.gid(), "percent": 4.0, "why": "x" });
    assert_eq!(
        error_code(&app.gql(PROPOSE, outsider, Some(&app.manager)).await),
        "FORBIDDEN"
    );
    let cycles = app
        .gql("{ meritCycles { id } }", json!({}), Some(&app.employee))
        .await;
    assert_eq!(error_code(&cycles), "FORBIDDEN");
    // A manager reads the budgets of their chain's sites only (a small
    // site's budget would tell its people's pay).
    let seen = app
        .data(
            "{ meritCycles { budgets { scope } } }",
            json!({}),
            Some(&app.manager),
        )
        .await;
    let scopes: Vec<&str> = seen["meritCycles"][0]["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["Tokyo"], "{seen}");

    // HR closes it: the raise is an approved MERIT pay change from today.
    let closed = app
        .data(
            "mutation($id: ID!) { closeMeritCycle(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(closed["closeMeritCycle"]["status"], "CLOSED");
    let emi = app
        .data(
            "query($id: ID!) { employee(id: $id) { salary { amount }
               payHistory { reason status before { amount } after { amount } effectiveOn } } }",
            json!({ "id": app.employee.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(emi["employee"]["salary"]["amount"], "468000", "{emi}");
    let merit = &emi["employee"]["payHistory"][0];
    assert!(merit.is_object(), "{emi}");
    assert_eq!(merit["reason"], "MERIT");
    assert_eq!(merit["status"], "APPROVED");
    assert_eq!(merit["after"]["amount"], "468000");
    assert_eq!(merit["effectiveOn"], today().to_string());
    // Each person's audit trail has their raise.
    {
        use sea_orm::ConnectionTrait;
        let conn = &app.db.conn;
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                format!(
                    "SELECT COUNT(*) AS n FROM audit_event WHERE action = 'CHANGE_PAY' AND entity_id = '{}' \
                     AND details LIKE '%\"afterMinor\":468000%'",
                    app.employee.id
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    }
    // Closed: no more proposals, no second close.
    let body = app.gql(PROPOSE, vars(4.0, None), Some(&app.manager)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    let again = app
        .gql(
            "mutation($id: ID!) { closeMeritCycle(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
}

#[tokio::test]
async fn a_proposal_beyond_the_budget_is_refused_and_closing_is_all_or_nothing() {
    let app = TestApp::spawn().await;
    let cycle = open(&app, 0.5, "SITE").await;
    let id = cycle["id"].as_str().unwrap().to_owned();
    let remaining = amount(&budget(&cycle, "Tokyo")["remaining"]);
    // 10 % of ¥450,000 is ¥45,000: more than 0.5 % of Tokyo's payroll.
    assert!(remaining < 45_000, "{cycle}");
    let body = app
        .gql(
            PROPOSE,
            json!({ "cycle": id, "who": app.employee.gid(), "percent": 10.0, "why": "retention" }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("over budget"));
    let state = budgets(&app, &id).await;
    assert_eq!(amount(&budget(&state, "Tokyo")["used"]), 0);
    assert_eq!(state["proposalCount"], 0);

    // A proposal that fits, then the person's pay moves before closing:
    // closing changes nothing at all.
    app.data(
        PROPOSE,
        json!({ "cycle": id, "who": app.employee.gid(), "percent": 1.0, "why": "steady" }),
        Some(&app.manager),
    )
    .await;
    let before = app.count("pay_change").await;
    let conn = &app.db.conn;
    use sea_orm::ConnectionTrait;
    conn.execute_raw(sea_orm::Statement::from_string(
        conn.get_database_backend(),
        format!(
            "UPDATE employee SET salary_minor = 451000 WHERE id = {}",
            app.employee.id
        ),
    ))
    .await
    .unwrap();
    let body = app
        .gql(
            "mutation($id: ID!) { closeMeritCycle(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(app.count("pay_change").await, before);
    assert_eq!(budgets(&app, &id).await["status"], "OPEN");
    // Proposing 0 % withdraws the raise (and its charge); the cycle closes.
    app.data(
        PROPOSE,
        json!({ "cycle": id, "who": app.employee.gid(), "percent": 0.0, "why": "pay moved" }),
        Some(&app.manager),
    )
    .await;
    assert_eq!(
        amount(&budget(&budgets(&app, &id).await, "Tokyo")["used"]),
        0
    );
    let closed = app
        .data(
            "mutation($id: ID!) { closeMeritCycle(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(closed["closeMeritCycle"]["status"], "CLOSED");
    assert_eq!(app.count("pay_change").await, before);
}

#[tokio::test]
async fn two_managers_proposing_at_once_never_overspend_a_shared_budget() {
    let app = TestApp::spawn().await;
    // One JP budget; size it so that one ¥45,000 raise fits and two do not.
    let probe = open(&app, 100.0, "MARKET").await;
    let payroll = amount(&budget(&probe, "JP")["payroll"]);
    let percent = ((60_000 * 10_000 / payroll) as f64 / 100.0).max(0.01);
    let cycle = open(&app, percent, "MARKET").await;
    let id = cycle["id"].as_str().unwrap().to_owned();
    let jp = amount(&budget(&cycle, "JP")["budget"]);
    assert!((45_000..90_000).contains(&jp), "{cycle}");
    let (a, b) = tokio::join!(
        app.gql(
            PROPOSE,
            json!({ "cycle": id, "who": app.employee.gid(), "percent": 10.0, "why": "a" }),
            Some(&app.manager),
        ),
        app.gql(
            PROPOSE,
            json!({ "cycle": id, "who": app.outsider.gid(), "percent": 10.0, "why": "b" }),
            Some(&app.other_manager),
        ),
    );
    let codes = [a.clone(), b.clone()].map(|body| {
        if body.get("errors").is_some() {
            error_code(&body)
        } else {
            "OK".into()
        }
    });
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(sorted, ["CONFLICT", "OK"], "{a} {b}");
    let state = budgets(&app, &id).await;
    let jp = budget(&state, "JP");
    assert_eq!(amount(&jp["used"]), 45_000, "{state}");
    assert!(amount(&jp["remaining"]) >= 0);
    assert_eq!(state["proposalCount"], 1);
}

#[tokio::test]
async fn opening_checks_its_input_and_who_asks() {
    let app = TestApp::spawn().await;
    let before = app.count("merit_cycle").await;
    for (input, field) in [
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": -1.0 }),
            "budgetPercent",
        ),
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 101.0 }),
            "budgetPercent",
        ),
        (
            json!({ "name": "", "effectiveOn": "2027-01-01", "budgetPercent": 3.0 }),
            "name",
        ),
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 3.0, "market": "ZZ" }),
            "scope",
        ),
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 3.0,
                 "matrix": [{ "minRating": 4.0, "maxRating": 3.0, "compaQuartile": 1, "minPercent": 1.0, "maxPercent": 2.0 }] }),
            "matrix",
        ),
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 3.0,
                 "matrix": [{ "minRating": 3.0, "maxRating": 4.0, "compaQuartile": 5, "minPercent": 1.0, "maxPercent": 2.0 }] }),
            "matrix",
        ),
        (
            json!({ "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 3.0,
                 "matrix": [{ "minRating": 3.0, "maxRating": 4.0, "compaQuartile": 1, "minPercent": 3.0, "maxPercent": 2.0 }] }),
            "matrix",
        ),
    ] {
        let body = app
            .gql(OPEN, json!({ "input": input }), Some(&app.hr))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{input}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(field),
            "{input}: {body}"
        );
    }
    let ok = json!({ "input": { "name": "x", "effectiveOn": "2027-01-01", "budgetPercent": 3.0 } });
    for who in [&app.manager, &app.employee] {
        assert_eq!(
            error_code(&app.gql(OPEN, ok.clone(), Some(who)).await),
            "FORBIDDEN"
        );
    }
    assert_eq!(app.count("merit_cycle").await, before);
    // A cycle that takes effect later cannot close before that day.
    let later = app.data(OPEN, ok, Some(&app.hr)).await;
    let id = later["openMeritCycle"]["id"].as_str().unwrap();
    let body = app
        .gql(
            "mutation($id: ID!) { closeMeritCycle(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    if today() < crate::helpers::date("2027-01-01") {
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
    }
}
