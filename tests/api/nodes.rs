//! Global Object Identification (issue 18): every entity's id is opaque and
//! unique across types, `node(id:)` and `nodes(ids:)` find each of them
//! back, and an id of the wrong type is refused.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{days_from_today, error_code, gid, today, Kind, TestApp};

/// One entity of every type that implements `Node`, as (typename, id),
/// each id as the API answered it.
async fn one_of_each(app: &TestApp) -> Vec<(String, String)> {
    let hr = Some(&app.hr);
    let nominee = app.eligible_csr("Node Nominee", app.manager.id).await;
    let nomination = app.nominate(&app.manager, &nominee).await;
    let skill = app.data("{ skills { id } }", json!({}), hr).await["skills"][0]["id"].clone();
    let course = app
        .data(
            "mutation($s: ID!) { upsertCourse(input: {title: \"Node course\", description: \"d\", awardsSkill: {skillId: $s, level: 3}}) { id } }",
            json!({ "s": skill }),
            hr,
        )
        .await["upsertCourse"]["id"]
        .clone();
    let session = app
        .data(
            "mutation($c: ID!, $d: Date!) { scheduleSession(input: {courseId: $c, startsOn: $d, endsOn: $d, capacity: 5}) { id } }",
            json!({ "c": course, "d": days_from_today(30).to_string() }),
            hr,
        )
        .await["scheduleSession"]["id"]
        .clone();
    let enrolment = app
        .data(
            "mutation($s: ID!, $e: ID!) { enrol(sessionId: $s, employeeId: $e) { id } }",
            json!({ "s": session, "e": nominee.gid() }),
            hr,
        )
        .await["enrol"]["id"]
        .clone();
    let assessment = app
        .data(
            "mutation($i: AssessSkillInput!) { assessSkill(input: $i) { id } }",
            json!({ "i": { "employeeId": nominee.gid(), "skillId": skill, "level": 3, "assessedOn": today().to_string() } }),
            hr,
        )
        .await["assessSkill"]["id"]
        .clone();
    let person = app
        .data(
            "query($id: ID!) { employee(id: $id) { id certifications { id } reviews { id } roleHistory { id } role { id } } }",
            json!({ "id": nominee.gid() }),
            hr,
        )
        .await["employee"]
        .clone();
    let catalogue = app
        .data(
            "{ ladder { steps { id } } salaryBands { id } auditEvents(first: 1) { nodes { id } } }",
            json!({}),
            hr,
        )
        .await;
    let text = |v: &Value| v.as_str().expect("an id").to_owned();
    vec![
        ("Employee".into(), text(&person["id"])),
        ("Nomination".into(), nomination),
        (
            "Certification".into(),
            text(&person["certifications"][0]["id"]),
        ),
        (
            "PerformanceReview".into(),
            text(&person["reviews"][0]["id"]),
        ),
        (
            "RoleAssignment".into(),
            text(&person["roleHistory"][0]["id"]),
        ),
        ("Role".into(), text(&person["role"]["id"])),
        (
            "LadderStep".into(),
            text(&catalogue["ladder"][0]["steps"][0]["id"]),
        ),
        (
            "SalaryBand".into(),
            text(&catalogue["salaryBands"][0]["id"]),
        ),
        (
            "AuditEvent".into(),
            text(&catalogue["auditEvents"]["nodes"][0]["id"]),
        ),
        ("Skill".into(), text(&skill)),
        ("SkillAssessment".into(), text(&assessment)),
        ("Course".into(), text(&course)),
        ("CourseSession".into(), text(&session)),
        ("Enrolment".into(), text(&enrolment)),
    ]
}

#[tokio::test]
async fn node_finds_every_entity_type_back_by_its_global_id() {
    // Arrange
    let app = TestApp::spawn().await;
    let entities = one_of_each(&app).await;
    let ids: BTreeSet<&str> = entities.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids.len(), entities.len(), "ids are unique across types");

    for (typename, id) in &entities {
        // Act
        let found = app
            .data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
                Some(&app.hr),
            )
            .await;

        // Assert
        assert_eq!(
            found["node"],
            json!({ "__typename": typename, "id": id }),
            "{typename}"
        );
    }

    // nodes: in the order asked, a missing one as null.
    let mut asked: Vec<String> = entities.iter().map(|(_, id)| id.clone()).collect();
    asked.insert(3, gid(Kind::Employee, 999_999));
    let many = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": asked }),
            Some(&app.hr),
        )
        .await;
    let answered: Vec<Value> = many["nodes"].as_array().unwrap().clone();
    assert_eq!(answered.len(), asked.len());
    for (i, (got, want)) in answered.iter().zip(&asked).enumerate() {
        if i == 3 {
            assert!(got.is_null(), "{got}");
        } else {
            assert_eq!(got["id"], want.as_str());
        }
    }
}

#[tokio::test]
async fn the_same_row_number_in_two_tables_gives_two_different_ids() {
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Twin", app.manager.id).await;
    let nomination = app.nominate(&app.manager, &nominee).await;
    let employee_one = gid(Kind::Employee, 1);
    let nomination_one = gid(Kind::Nomination, 1);
    assert_ne!(employee_one, nomination_one);
    assert_eq!(nomination, gid(Kind::Nomination, 1), "the first nomination");
    let body = app
        .data(
            "query($e: ID!, $n: ID!) { employee(id: $e) { id } nomination(id: $n) { id } }",
            json!({ "e": employee_one, "n": nomination_one }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(body["employee"]["id"], employee_one.as_str());
    assert_eq!(body["nomination"]["id"], nomination_one.as_str());
}

#[tokio::test]
async fn malformed_or_wrong_type_ids_are_bad_user_input_everywhere() {
    let app = TestApp::spawn().await;
    let nomination_one = gid(Kind::Nomination, 1);
    let cases = [
        (
            "query($id: ID!) { employee(id: $id) { id } }",
            json!(nomination_one),
        ),
        ("query($id: ID!) { employee(id: $id) { id } }", json!("1")),
        (
            "query($id: ID!) { nomination(id: $id) { id } }",
            json!(app.employee.gid()),
        ),
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!("not an id"),
        ),
        ("query($id: ID!) { node(id: $id) { id } }", json!("1")),
        (
            "query($id: ID!) { nodes(ids: [$id]) { id } }",
            json!("Tm9ib2R5OjE="),
        ),
        (
            "query($id: ID!) { employees(first: 1, filter: {managerId: $id}) { totalCount } }",
            json!(nomination_one),
        ),
    ];
    for (query, id) in cases {
        let body = app.gql(query, json!({ "id": id }), Some(&app.hr)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query} {id}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(
            ["id: ", "ids[0]: ", "managerId: "]
                .iter()
                .any(|arg| message.starts_with(arg))
                && message.contains("is not a valid"),
            "names the argument: {message}"
        );
    }
    // More than 100 ids at once.
    let many: Vec<String> = (1..=101).map(|i| gid(Kind::Employee, i)).collect();
    let body = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": many }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

#[tokio::test]
async fn a_manager_bucket_key_is_the_managers_global_id() {
    let app = TestApp::spawn().await;
    let body = app
        .data(
            "{ dashboard { headcount(groupBy: MANAGER) { key label } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let bucket = body["dashboard"]["headcount"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == app.manager.gid().as_str())
        .cloned()
        .unwrap_or_else(|| panic!("no bucket keyed by the manager's id: {body}"));
    assert!(!bucket["label"].as_str().unwrap().is_empty());
    // Usable as managerId.
    let reports = app
        .data(
            "query($m: ID!) { employees(first: 5, filter: {managerId: $m}) { totalCount } }",
            json!({ "m": bucket["key"] }),
            Some(&app.hr),
        )
        .await;
    assert!(reports["employees"]["totalCount"].as_i64().unwrap() > 0);
}
