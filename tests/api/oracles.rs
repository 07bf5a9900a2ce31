//! No existence oracles: for an id the caller may not see, the answer is
//! exactly the one a missing id gets (null from a nullable query field,
//! NOT_FOUND from a mutation, or the same FORBIDDEN when the caller may not
//! do the thing to anyone), so nobody learns what exists.

use serde_json::json;

use crate::helpers::{gid, months_ago, with_global_ids, Person, TestApp, User};

/// A well-formed id of the same type as `existing` that names no row.
fn missing_like(existing: &str) -> String {
    let (kind, _) = rungs::graphql::ids::decode(existing).expect("a global id");
    gid(kind, 999_999)
}

/// Ids nobody outside the other chain (and HR) may see.
struct Hidden {
    nomination: String,
    enrolment: String,
    cert: String,
}

async fn hidden_things(app: &TestApp) -> Hidden {
    let nominee = app
        .eligible_csr("Hidden Nominee", app.other_manager.id)
        .await;
    let nomination = app.nominate(&app.other_manager, &nominee).await;
    let course = app
        .data(
            "mutation { upsertCourse(input: {title: \"Oracle course\", description: \"d\", awardsCertification: {kind: LEADERSHIP_TRAINING, validityMonths: 36}}) { id } }",
            json!({}),
            Some(&app.hr),
        )
        .await["upsertCourse"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let day = months_ago(1).to_string();
    let session = app
        .data(
            "mutation($c: ID!, $d: Date!) { scheduleSession(input: {courseId: $c, startsOn: $d, endsOn: $d, capacity: 10}) { id } }",
            json!({ "c": course, "d": day }),
            Some(&app.hr),
        )
        .await["scheduleSession"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let enrolment = app
        .data(
            "mutation($s: ID!, $e: ID!) { enrol(sessionId: $s, employeeId: $e) { id } }",
            json!({ "s": session, "e": app.outsider.gid() }),
            Some(&app.hr),
        )
        .await["enrol"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cert = app
        .data(
            "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: OTHER, name: \"Mine\", issuedOn: \"2025-01-01\"}) { id } }",
            json!({ "id": app.outsider.gid() }),
            Some(&app.outsider),
        )
        .await["addCertification"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Hidden {
        nomination,
        enrolment,
        cert,
    }
}

/// A Training Specialist who trains none of these sessions.
async fn some_trainer(app: &TestApp) -> User {
    app.person(Person {
        name: "Other Trainer".into(),
        role: "TRAINING_SPECIALIST",
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn an_id_the_caller_may_not_see_answers_exactly_like_a_missing_id() {
    // Arrange
    let app = TestApp::spawn().await;
    let hidden = hidden_things(&app).await;
    let trainer = some_trainer(&app).await;
    let employee = app.outsider.gid();
    // (what, query with $id, the caller, an id that exists but is not theirs to see)
    let cases: Vec<(&str, &str, &User, String)> = vec![
        ("employee(id)", "query($id: ID!) { employee(id: $id) { id name } }", &app.manager, employee.clone()),
        ("node(id) of an employee", "query($id: ID!) { node(id: $id) { id ... on Employee { name } } }", &app.manager, employee.clone()),
        ("node(id) of a nomination", "query($id: ID!) { node(id: $id) { id } }", &app.manager, hidden.nomination.clone()),
        ("node(id) of an enrolment", "query($id: ID!) { node(id: $id) { id } }", &app.manager, hidden.enrolment.clone()),
        ("node(id) of a certificate", "query($id: ID!) { node(id: $id) { id } }", &app.employee, hidden.cert.clone()),
        ("nodes(ids)", "query($id: ID!) { nodes(ids: [$id]) { id } }", &app.employee, hidden.cert.clone()),
        ("employee(id) as an employee", "query($id: ID!) { employee(id: $id) { id } }", &app.employee, app.manager.gid()),
        ("nomination(id)", "query($id: ID!) { nomination(id: $id) { id status } }", &app.manager, hidden.nomination.clone()),
        ("nomination(id) as the outsider", "query($id: ID!) { nomination(id: $id) { id } }", &app.outsider, hidden.nomination.clone()),
        ("withdrawNomination", "mutation($id: ID!) { withdrawNomination(id: $id) { id } }", &app.manager, hidden.nomination.clone()),
        ("withdrawNomination as an employee", "mutation($id: ID!) { withdrawNomination(id: $id) { id } }", &app.employee, hidden.nomination.clone()),
        ("approveNomination as a manager", "mutation($id: ID!) { approveNomination(id: $id) { id } }", &app.manager, hidden.nomination.clone()),
        ("rejectNomination as a manager", "mutation($id: ID!) { rejectNomination(id: $id, reason: \"no\") { id } }", &app.manager, hidden.nomination.clone()),
        ("cancelEnrolment", "mutation($id: ID!) { cancelEnrolment(id: $id) { id } }", &app.manager, hidden.enrolment.clone()),
        ("cancelEnrolment as an employee", "mutation($id: ID!) { cancelEnrolment(id: $id) { id } }", &app.employee, hidden.enrolment.clone()),
        ("completeEnrolment as an employee", "mutation($id: ID!) { completeEnrolment(id: $id) { id } }", &app.employee, hidden.enrolment.clone()),
        ("completeEnrolment as another trainer", "mutation($id: ID!) { completeEnrolment(id: $id) { id } }", &trainer, hidden.enrolment.clone()),
        ("verifyCertification as an employee", "mutation($id: ID!) { verifyCertification(id: $id, approve: true) { id } }", &app.employee, hidden.cert.clone()),
        ("updateEmployee as a manager", "mutation($id: ID!) { updateEmployee(id: $id, input: {site: \"Nagoya\"}) { id } }", &app.manager, employee.clone()),
        ("recordReview", "mutation($id: ID!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-12-31\", rating: 3.5}) { id } }", &app.manager, employee.clone()),
        ("nominate", "mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"x\"}) { id } }", &app.manager, employee.clone()),
        ("assessSkill", "mutation($id: ID!) { assessSkill(input: {employeeId: $id, skillId: \"1\", level: 3, assessedOn: \"2026-01-01\"}) { id } }", &app.manager, employee.clone()),
        ("addCertification", "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: OTHER, name: \"x\", issuedOn: \"2025-01-01\"}) { id } }", &app.manager, employee.clone()),
        ("enrol", "mutation($id: ID!) { enrol(sessionId: \"1\", employeeId: $id) { id } }", &app.manager, employee.clone()),
        ("employees(filter: managerId)", "query($id: ID!) { employees(first: 5, filter: {managerId: $id}) { totalCount nodes { id } } }", &app.manager, app.other_manager.gid()),
    ];
    let before = app
        .counts(&["nomination", "enrolment", "certification", "audit_event"])
        .await;
    let mut failures = Vec::new();
    for (what, query, caller, existing) in cases {
        // Act
        let query = &with_global_ids(query);
        let missing = missing_like(&existing);
        let seen = app
            .gql(query, json!({ "id": existing }), Some(caller))
            .await;
        let missing = app.gql(query, json!({ "id": missing }), Some(caller)).await;

        // Assert: the same answer, and no data about the existing one.
        if seen != missing {
            failures.push(format!("{what}: existing {seen} but missing {missing}"));
        }
        if let Some(code) = seen["errors"][0]["extensions"]["code"].as_str() {
            if !["NOT_FOUND", "FORBIDDEN"].contains(&code) {
                failures.push(format!("{what}: unexpected {seen}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "existence oracles:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        app.counts(&["nomination", "enrolment", "certification", "audit_event"])
            .await,
        before,
        "refusals changed nothing"
    );
}

#[tokio::test]
async fn what_the_caller_cannot_see_is_null_from_queries_and_not_found_from_mutations() {
    let app = TestApp::spawn().await;
    let hidden = hidden_things(&app).await;
    let nomination = app
        .gql(
            "query($id: ID!) { nomination(id: $id) { id } }",
            json!({ "id": hidden.nomination }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(nomination, json!({ "data": { "nomination": null } }));
    let employee = app
        .gql(
            "query($id: ID!) { employee(id: $id) { id } }",
            json!({ "id": app.outsider.gid() }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(employee, json!({ "data": { "employee": null } }));
    for query in [
        "mutation($id: ID!) { withdrawNomination(id: $id) { id } }",
        "mutation($id: ID!) { cancelEnrolment(id: $id) { id } }",
    ] {
        let id = if query.contains("Nomination") {
            &hidden.nomination
        } else {
            &hidden.enrolment
        };
        let body = app
            .gql(query, json!({ "id": id }), Some(&app.manager))
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{query}: {body}"
        );
    }
    // What one may see but not do stays FORBIDDEN: the nominee withdrawing
    // a nomination someone else made.
    let nominee = app.eligible_csr("Visible Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let body = app
        .gql(
            "mutation($id: ID!) { withdrawNomination(id: $id) { id } }",
            json!({ "id": id }),
            Some(&nominee),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
}
