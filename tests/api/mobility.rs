//! Internal mobility (issue 21): openings, applications and offers, on
//! both databases.

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{error_code, ws_receive, ws_subscribe, Socket, TestApp, User};

const POST: &str = "mutation($input: OpeningInput!) { postOpening(input: $input) { id status seats filled site role { code } hiringManager { name } } }";
const APPLY: &str = "mutation($id: ID!, $note: String) { applyToOpening(openingId: $id, note: $note) { id status standing { status } } }";
const MOVE: &str = "mutation($id: ID!, $to: ApplicationStatus!, $reason: String) { moveApplication(id: $id, to: $to, reason: $reason) { id status reason } }";
const ACCEPT: &str = "mutation($id: ID!) { acceptOffer(applicationId: $id) { id status } }";

fn closes_on() -> String {
    (Utc::now().date_naive() + chrono::Days::new(30)).to_string()
}

fn opening(role: &str, site: &str, seats: i32) -> Value {
    json!({ "input": {
        "roleCode": role, "site": site, "market": "JP", "workArrangement": "HYBRID",
        "seats": seats, "closesOn": closes_on(),
    }})
}

/// Posts a Team Lead opening in Tokyo as the Operations Manager there
/// (`top`, above the Tokyo team); returns its id.
async fn tokyo_team_lead(app: &TestApp, seats: i32) -> String {
    let data = app
        .data(POST, opening("TEAM_LEAD", "Tokyo", seats), Some(&app.top))
        .await;
    assert_eq!(data["postOpening"]["status"], "OPEN");
    data["postOpening"]["id"].as_str().unwrap().to_owned()
}

async fn apply(app: &TestApp, who: &User, opening: &str) -> String {
    let data = app
        .data(
            APPLY,
            json!({ "id": opening, "note": "ready to lead" }),
            Some(who),
        )
        .await;
    assert_eq!(data["applyToOpening"]["status"], "APPLIED");
    data["applyToOpening"]["id"].as_str().unwrap().to_owned()
}

async fn move_to(app: &TestApp, by: &User, application: &str, to: &str) -> Value {
    app.gql(MOVE, json!({ "id": application, "to": to }), Some(by))
        .await
}

const ME: &str = "{ me { site manager { name } role { code } progression { monthsOfService monthsInRole } payHistory { reason } } }";

#[tokio::test]
async fn a_csr_in_osaka_moves_to_a_team_lead_seat_in_tokyo_keeping_their_service() {
    let app = TestApp::spawn().await;
    let csr = app
        .eligible_csr_at("Kaito Kansai", app.other_manager.id, "Osaka")
        .await;
    let before = app.data(ME, json!({}), Some(&csr)).await;
    let opening = tokyo_team_lead(&app, 1).await;

    // The CSR sees the opening with their standing, and applies.
    let list = app
        .data(
            "{ openings(filter: { status: OPEN }) { totalCount nodes { id myStanding { status targetRole { code } } } } }",
            json!({}),
            Some(&csr),
        )
        .await;
    let listed = &list["openings"]["nodes"][0];
    assert_eq!(listed["id"], opening.as_str());
    assert_eq!(listed["myStanding"]["status"], "ELIGIBLE");
    let application = apply(&app, &csr, &opening).await;

    // The hiring manager ranks, shortlists and offers; the CSR accepts.
    let ranked = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Opening { applications { totalCount nodes { applicant { name } standing { status projectedSalary { amount } } } } } } }",
            json!({ "id": opening }),
            Some(&app.top),
        )
        .await;
    assert_eq!(
        ranked["node"]["applications"]["nodes"][0]["applicant"]["name"],
        "Kaito Kansai"
    );
    // The Osaka CSR is outside Takeshi's chain: their standing shows, not
    // the pay projected from their salary.
    let standing = &ranked["node"]["applications"]["nodes"][0]["standing"];
    assert_eq!(standing["status"], "ELIGIBLE");
    assert!(standing["projectedSalary"].is_null(), "{standing}");
    for to in ["SHORTLISTED", "OFFERED"] {
        let body = move_to(&app, &app.top, &application, to).await;
        assert_eq!(body["data"]["moveApplication"]["status"], to, "{body}");
    }
    // Not dated before the offer.
    let body = app
        .gql(
            "mutation($id: ID!) { acceptOffer(applicationId: $id, effectiveOn: \"2020-01-01\") { id } }",
            json!({ "id": application }),
            Some(&csr),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let accepted = app
        .data(ACCEPT, json!({ "id": application }), Some(&csr))
        .await;
    assert_eq!(accepted["acceptOffer"]["status"], "ACCEPTED");

    // New role, site and manager; months of service unchanged; the role
    // starts again; pay history says PROMOTION.
    let after = app.data(ME, json!({}), Some(&csr)).await;
    assert_eq!(after["me"]["site"], "Tokyo");
    assert_eq!(after["me"]["role"]["code"], "TEAM_LEAD");
    assert_eq!(after["me"]["manager"]["name"], "Toru Top");
    assert_eq!(
        after["me"]["progression"]["monthsOfService"],
        before["me"]["progression"]["monthsOfService"]
    );
    assert_eq!(after["me"]["progression"]["monthsInRole"], 0);
    assert_eq!(after["me"]["payHistory"][0]["reason"], "PROMOTION");
    let filled = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Opening { status filled } } }",
            json!({ "id": opening }),
            Some(&csr),
        )
        .await;
    assert_eq!(filled["node"]["status"], "FILLED");
    assert_eq!(filled["node"]["filled"], 1);
    let audited = app
        .data(
            "{ auditEvents(first: 5) { nodes { action } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let actions: Vec<&str> = audited["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"ACCEPT_OFFER") && actions.contains(&"MOVE"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn two_people_accepting_the_last_seat_at_once_fill_it_once() {
    let app = TestApp::spawn().await;
    let opening = tokyo_team_lead(&app, 1).await;
    let mut offered = Vec::new();
    for name in ["Aya Ahead", "Ben Beside"] {
        let csr = app.eligible_csr(name, app.manager.id).await;
        let application = apply(&app, &csr, &opening).await;
        for to in ["SHORTLISTED", "OFFERED"] {
            let body = move_to(&app, &app.top, &application, to).await;
            assert!(body.get("errors").is_none(), "{body}");
        }
        offered.push((csr, application));
    }
    let (a, b) = tokio::join!(
        app.gql(ACCEPT, json!({ "id": offered[0].1 }), Some(&offered[0].0)),
        app.gql(ACCEPT, json!({ "id": offered[1].1 }), Some(&offered[1].0)),
    );
    let won = [&a, &b]
        .iter()
        .filter(|r| r["data"]["acceptOffer"]["status"] == "ACCEPTED")
        .count();
    assert_eq!(won, 1, "{a} {b}");
    let lost = if a.get("errors").is_some() { &a } else { &b };
    assert_eq!(error_code(lost), "CONFLICT", "{lost}");
    let seats = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Opening { filled status applications { nodes { status } } } } }",
            json!({ "id": opening }),
            Some(&app.top),
        )
        .await;
    assert_eq!(seats["node"]["filled"], 1);
    assert_eq!(seats["node"]["status"], "FILLED");
    // The other offer was closed when the last seat went.
    let statuses: Vec<&str> = seats["node"]["applications"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"ACCEPTED") && statuses.contains(&"REJECTED"),
        "{statuses:?}"
    );
    // Exactly one of them moved.
    let mut leads = 0;
    for (csr, _) in &offered {
        let me = app
            .data("{ me { role { code } } }", json!({}), Some(csr))
            .await;
        leads += usize::from(me["me"]["role"]["code"] == "TEAM_LEAD");
    }
    assert_eq!(leads, 1);
}

#[tokio::test]
async fn who_may_post_apply_and_move_and_what_each_refusal_says() {
    let app = TestApp::spawn().await;
    // An employee posts nothing; a manager only at their chain's sites.
    let body = app
        .gql(POST, opening("TEAM_LEAD", "Tokyo", 1), Some(&app.employee))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .gql(POST, opening("TEAM_LEAD", "Sapporo", 1), Some(&app.top))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // Only HR lets people who are not yet eligible apply.
    let mut windowed = opening("TEAM_LEAD", "Tokyo", 1);
    windowed["input"]["notYetWindowDays"] = json!(30);
    let body = app.gql(POST, windowed, Some(&app.top)).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let mut bad = opening("TEAM_LEAD", "Tokyo", 0);
    let body = app.gql(POST, bad.clone(), Some(&app.top)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    bad["input"]["seats"] = json!(1);
    bad["input"]["roleCode"] = json!("ASTRONAUT");
    let body = app.gql(POST, bad, Some(&app.top)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");

    let opening = tokyo_team_lead(&app, 2).await;
    // Someone not eligible cannot apply, and hears why.
    let body = app
        .gql(APPLY, json!({ "id": opening }), Some(&app.employee))
        .await;
    assert_eq!(error_code(&body), "NOT_ELIGIBLE", "{body}");
    assert!(body["errors"][0]["extensions"]["gaps"].is_array(), "{body}");
    // The hiring manager does not apply to their own opening.
    let body = app
        .gql(APPLY, json!({ "id": opening }), Some(&app.top))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    let csr = app.eligible_csr("Chie Candidate", app.manager.id).await;
    let application = apply(&app, &csr, &opening).await;
    // Twice is a conflict.
    let body = app.gql(APPLY, json!({ "id": opening }), Some(&csr)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    // The applicant does not shortlist themselves; nobody skips a step.
    assert_eq!(
        error_code(&move_to(&app, &csr, &application, "SHORTLISTED").await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&move_to(&app, &app.top, &application, "OFFERED").await),
        "CONFLICT"
    );
    // A rejection needs a reason.
    assert_eq!(
        error_code(&move_to(&app, &app.top, &application, "REJECTED").await),
        "BAD_USER_INPUT"
    );
    // Someone else's application is not found, for anyone but the
    // applicant, the hiring side and HR.
    assert_eq!(
        error_code(&move_to(&app, &app.outsider, &application, "WITHDRAWN").await),
        "NOT_FOUND"
    );
    let seen = app
        .data(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": application }),
            Some(&app.outsider),
        )
        .await;
    assert!(seen["node"].is_null());
    // Only the hiring side reads the applicants.
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Opening { applications { totalCount } } } }",
            json!({ "id": opening }),
            Some(&csr),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // Accepting needs an offer.
    let body = app
        .gql(ACCEPT, json!({ "id": application }), Some(&csr))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    // The applicant withdraws; closing then finds nothing in progress.
    let withdrawn = app
        .data(
            "mutation($id: ID!) { withdrawApplication(id: $id) { status } }",
            json!({ "id": application }),
            Some(&csr),
        )
        .await;
    assert_eq!(withdrawn["withdrawApplication"]["status"], "WITHDRAWN");
    let closed = app
        .data(
            "mutation($id: ID!) { closeOpening(id: $id) { status } }",
            json!({ "id": opening }),
            Some(&app.top),
        )
        .await;
    assert_eq!(closed["closeOpening"]["status"], "CLOSED");
    let body = app.gql(APPLY, json!({ "id": opening }), Some(&csr)).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
}

#[tokio::test]
async fn a_lateral_move_keeps_pay_inside_the_band_without_a_raise() {
    let app = TestApp::spawn().await;
    let steps = app
        .data(
            "{ ladder { code steps { kind raiseMinPercent to { code } } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let csr_steps = steps["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "CSR")
        .unwrap()["steps"]
        .clone();
    for step in csr_steps.as_array().unwrap() {
        let lateral = ["HR_GENERALIST", "LOGISTICS_COORDINATOR", "VENDOR_MANAGER"]
            .contains(&step["to"]["code"].as_str().unwrap());
        assert_eq!(
            step["kind"],
            if lateral { "LATERAL" } else { "PROMOTION" },
            "{step}"
        );
        if lateral {
            assert_eq!(step["raiseMinPercent"], 0.0);
        }
    }
    let posted = app
        .data(POST, opening("VENDOR_MANAGER", "Tokyo", 1), Some(&app.hr))
        .await;
    let opening = posted["postOpening"]["id"].as_str().unwrap().to_owned();
    let csr = app.eligible_csr("Lou Lateral", app.manager.id).await;
    let application = apply(&app, &csr, &opening).await;
    for to in ["SHORTLISTED", "OFFERED"] {
        let body = move_to(&app, &app.hr, &application, to).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    app.data(ACCEPT, json!({ "id": application }), Some(&csr))
        .await;
    let me = app
        .data(
            "{ me { role { code } salary { amount } payHistory { reason before { amount } after { amount } } } }",
            json!({}),
            Some(&csr),
        )
        .await;
    assert_eq!(me["me"]["role"]["code"], "VENDOR_MANAGER");
    let change = &me["me"]["payHistory"][0];
    assert_eq!(change["reason"], "LATERAL_MOVE");
    // 450,000 is below the level-2 band's 480,000 minimum: raised to the
    // minimum, not by 20 %.
    assert_eq!(change["before"]["amount"], "450000");
    assert_eq!(change["after"]["amount"], "480000");
    assert_eq!(me["me"]["salary"]["amount"], "480000");
}

/// An `applicationChanged` subscriber, registered before it returns.
async fn watch_applications(app: &TestApp, user: &User) -> Socket {
    ws_subscribe(
        app,
        user,
        "a",
        "subscription { applicationChanged { id status reason applicant { name } } }",
    )
    .await
}

/// The next application event: (applicant, status).
async fn application_event(socket: &mut Socket) -> (String, String) {
    loop {
        let message = ws_receive(socket).await;
        if message["id"] != "a" {
            continue;
        }
        assert_eq!(message["type"], "next", "{message}");
        let a = &message["payload"]["data"]["applicationChanged"];
        return (
            a["applicant"]["name"].as_str().unwrap().to_owned(),
            a["status"].as_str().unwrap().to_owned(),
        );
    }
}

#[tokio::test]
async fn applicants_and_the_hiring_side_hear_of_each_change_and_no_one_else_does() {
    let app = TestApp::spawn().await;
    let kaito = app
        .eligible_csr_at("Kaito Kansai", app.other_manager.id, "Osaka")
        .await;
    let mei = app
        .eligible_csr_at("Mei Minami", app.other_manager.id, "Osaka")
        .await;
    let opening = tokyo_team_lead(&app, 1).await;
    let mut hiring = watch_applications(&app, &app.top).await;
    let mut hr = watch_applications(&app, &app.hr).await;
    let mut kaito_socket = watch_applications(&app, &kaito).await;
    let mut mei_socket = watch_applications(&app, &mei).await;

    let first = apply(&app, &kaito, &opening).await;
    apply(&app, &mei, &opening).await;
    let shortlisted = move_to(&app, &app.top, &first, "SHORTLISTED").await;
    assert!(shortlisted.get("errors").is_none(), "{shortlisted}");
    // Closing the opening rejects both: each rejection is an event.
    let closed = app
        .gql(
            "mutation($id: ID!) { closeOpening(id: $id) { status } }",
            json!({ "id": opening }),
            Some(&app.top),
        )
        .await;
    assert_eq!(
        closed["data"]["closeOpening"]["status"], "CLOSED",
        "{closed}"
    );

    let everything = [
        ("Kaito Kansai", "APPLIED"),
        ("Mei Minami", "APPLIED"),
        ("Kaito Kansai", "SHORTLISTED"),
        ("Kaito Kansai", "REJECTED"),
        ("Mei Minami", "REJECTED"),
    ];
    for socket in [&mut hiring, &mut hr] {
        for expected in everything {
            let (who, status) = application_event(socket).await;
            assert_eq!((who.as_str(), status.as_str()), expected);
        }
    }
    // Each applicant hears only of their own application: Kaito's first
    // three, never Mei's (which came in between).
    for (socket, name) in [
        (&mut kaito_socket, "Kaito Kansai"),
        (&mut mei_socket, "Mei Minami"),
    ] {
        for expected in everything.iter().filter(|(who, _)| *who == name) {
            let (who, status) = application_event(socket).await;
            assert_eq!((who.as_str(), status.as_str()), *expected);
        }
    }
    // Every change is in the audit log: the applications one by one, and
    // the rejections on closing in one row that names both.
    let audited = app
        .data(
            "{ auditEvents(first: 20, entity: \"application\") { nodes { action } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(
        audited["auditEvents"]["nodes"].as_array().unwrap().len(),
        3,
        "{audited}"
    );
    let closing = app
        .data(
            "{ auditEvents(first: 20, entity: \"opening\") { nodes { action details } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let rejection = closing["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["action"] == "REJECT_APPLICATIONS")
        .unwrap_or_else(|| panic!("no REJECT_APPLICATIONS row in {closing}"));
    let details: Value = serde_json::from_str(rejection["details"].as_str().unwrap()).unwrap();
    assert_eq!(
        details["applications"].as_array().unwrap().len(),
        2,
        "{details}"
    );
}
