//! Separation of duties: nobody decides their own case, whatever their
//! access role. Every refusal is FORBIDDEN and changes nothing.

use serde_json::{json, Value};

use crate::helpers::{error_code, months_ago, today, Person, TestApp, User};

const APPROVE: &str = "mutation($id: ID!, $p: Float) { approveNomination(id: $id, raisePercent: $p) { status newSalary { amount } } }";
const REJECT: &str = "mutation($id: ID!) { rejectNomination(id: $id, reason: \"no\") { status } }";
const STATUS: &str = "query($id: ID!) { nomination(id: $id) { status } }";
const TABLES: &[&str] = &[
    "nomination",
    "employee",
    "role_assignment",
    "certification",
    "enrolment",
    "skill_assessment",
    "audit_event",
];

/// Someone with `access_role` in a CSR job who is ELIGIBLE for Team Lead
/// today, reporting to `manager`.
async fn eligible(app: &TestApp, name: &str, access_role: &'static str, manager: i64) -> User {
    let who = app
        .person(Person {
            name: name.into(),
            access_role,
            manager: Some(manager),
            hired_on: months_ago(36),
            role_since: months_ago(14),
            ..Default::default()
        })
        .await;
    app.review(&who, &months_ago(4).to_string(), 4.5).await;
    app.review(&who, &months_ago(1).to_string(), 4.5).await;
    app.cert(
        &who,
        "LEADERSHIP_TRAINING",
        None,
        None,
        &months_ago(6).to_string(),
        None,
        "VERIFIED",
    )
    .await;
    who
}

async fn status(app: &TestApp, id: &str) -> Value {
    app.data(STATUS, json!({ "id": id }), Some(&app.admin))
        .await["nomination"]["status"]
        .clone()
}

#[tokio::test]
async fn nobody_approves_or_rejects_their_own_nomination_whatever_their_access_role() {
    let app = TestApp::spawn().await;
    for access_role in ["HR", "ADMIN"] {
        // Arrange: their manager nominates them.
        let nominee = eligible(&app, "Self Decider", access_role, app.manager.id).await;
        let id = app.nominate(&app.manager, &nominee).await;
        let before = app.counts(TABLES).await;

        // Act
        let approved = app
            .gql(APPROVE, json!({ "id": id, "p": 30.0 }), Some(&nominee))
            .await;
        let rejected = app.gql(REJECT, json!({ "id": id }), Some(&nominee)).await;

        // Assert
        assert_eq!(
            error_code(&approved),
            "FORBIDDEN",
            "{access_role}: {approved}"
        );
        assert_eq!(
            error_code(&rejected),
            "FORBIDDEN",
            "{access_role}: {rejected}"
        );
        assert_eq!(
            app.counts(TABLES).await,
            before,
            "a refusal changed nothing"
        );
        assert_eq!(status(&app, &id).await, "PENDING");
        // Someone else with HR access decides.
        let decider = if access_role == "HR" {
            &app.admin
        } else {
            &app.hr
        };
        let done = app
            .data(APPROVE, json!({ "id": id, "p": 30.0 }), Some(decider))
            .await;
        assert_eq!(done["approveNomination"]["status"], "APPROVED");
    }
}

#[tokio::test]
async fn nobody_approves_or_rejects_a_nomination_they_made() {
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Ren Nominee", app.manager.id).await;
    for nominator in [&app.hr, &app.admin] {
        let id = app.nominate(nominator, &nominee).await;
        let before = app.counts(TABLES).await;
        let approved = app.gql(APPROVE, json!({ "id": id }), Some(nominator)).await;
        let rejected = app.gql(REJECT, json!({ "id": id }), Some(nominator)).await;
        assert_eq!(error_code(&approved), "FORBIDDEN", "{approved}");
        assert_eq!(error_code(&rejected), "FORBIDDEN", "{rejected}");
        assert_eq!(app.counts(TABLES).await, before);
        assert_eq!(status(&app, &id).await, "PENDING");
        // The nominator may still withdraw what they put forward.
        let withdrawn = app
            .data(
                "mutation($id: ID!) { withdrawNomination(id: $id) { status } }",
                json!({ "id": id }),
                Some(nominator),
            )
            .await;
        assert_eq!(withdrawn["withdrawNomination"]["status"], "WITHDRAWN");
    }
}

#[tokio::test]
async fn the_self_approval_at_500_percent_through_a_widened_step_is_refused() {
    // The attack: HR widens the step to 500 %, has themselves nominated,
    // and approves their own promotion at 500 %.
    let app = TestApp::spawn().await;
    let widen = app
        .gql(
            "mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", raiseMaxPercent: 500}) { raiseMaxPercent } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&widen), "BAD_USER_INPUT", "{widen}");
    let me = eligible(&app, "Greedy HR", "HR", app.manager.id).await;
    let id = app.nominate(&app.manager, &me).await;
    let body = app
        .gql(APPROVE, json!({ "id": id, "p": 500.0 }), Some(&me))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(status(&app, &id).await, "PENDING");
}

#[tokio::test]
async fn a_step_widened_past_100_percent_before_the_bound_still_grants_at_most_100() {
    let app = TestApp::spawn().await;
    // A step written before raises were bounded (straight into the database).
    use sea_orm::ConnectionTrait;
    app.db
        .conn
        .execute_unprepared("UPDATE ladder_step SET raise_max_bp = 50000")
        .await
        .expect("widen");
    let nominee = app.eligible_csr("Rin Raise", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let body = app
        .gql(APPROVE, json!({ "id": id, "p": 500.0 }), Some(&app.hr))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(status(&app, &id).await, "PENDING");
    let done = app
        .data(APPROVE, json!({ "id": id, "p": 100.0 }), Some(&app.hr))
        .await;
    assert_eq!(
        done["approveNomination"]["newSalary"]["amount"], "700000",
        "capped by the Team Lead band"
    );
}

const ADD_CERT: &str = "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"Bar Raiser\", issuedOn: \"2025-01-01\"}) { id status } }";
const VERIFY: &str =
    "mutation($id: ID!) { verifyCertification(id: $id, approve: true) { status } }";

#[tokio::test]
async fn a_certificate_hr_adds_for_themselves_stays_pending_until_another_hr_user_verifies_it() {
    let app = TestApp::spawn().await;
    for (owner, other) in [(&app.hr, &app.admin), (&app.admin, &app.hr)] {
        // Arrange / Act: HR adds their own certificate.
        let added = app
            .data(ADD_CERT, json!({ "id": owner.gid() }), Some(owner))
            .await;
        let cert = added["addCertification"]["id"].as_str().unwrap().to_owned();

        // Assert: PENDING; they may not verify it themselves.
        assert_eq!(added["addCertification"]["status"], "PENDING");
        let before = app.counts(TABLES).await;
        let own = app.gql(VERIFY, json!({ "id": cert }), Some(owner)).await;
        assert_eq!(error_code(&own), "FORBIDDEN", "{own}");
        let reject_own = app
            .gql(
                "mutation($id: ID!) { verifyCertification(id: $id, approve: false) { status } }",
                json!({ "id": cert }),
                Some(owner),
            )
            .await;
        assert_eq!(error_code(&reject_own), "FORBIDDEN", "{reject_own}");
        assert_eq!(app.counts(TABLES).await, before);
        let other_says = app.data(VERIFY, json!({ "id": cert }), Some(other)).await;
        assert_eq!(other_says["verifyCertification"]["status"], "VERIFIED");
    }
    // HR still records someone else's certificate VERIFIED at once.
    let theirs = app
        .data(ADD_CERT, json!({ "id": app.employee.gid() }), Some(&app.hr))
        .await;
    assert_eq!(theirs["addCertification"]["status"], "VERIFIED");
}

/// A course awarding leadership training and a session that ran last month.
async fn past_session(app: &TestApp) -> String {
    let course = app
        .data(
            "mutation { upsertCourse(input: {title: \"Duties course\", description: \"d\", awardsCertification: {kind: LEADERSHIP_TRAINING, validityMonths: 36}}) { id } }",
            json!({}),
            Some(&app.hr),
        )
        .await["upsertCourse"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let day = months_ago(1).to_string();
    app.data(
        "mutation($c: ID!, $d: Date!, $t: ID) { scheduleSession(input: {courseId: $c, startsOn: $d, endsOn: $d, capacity: 10, trainerId: $t}) { id } }",
        json!({ "c": course, "d": day, "t": null }),
        Some(&app.hr),
    )
    .await["scheduleSession"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

const COMPLETE: &str = "mutation($id: ID!) { completeEnrolment(id: $id) { status } }";

#[tokio::test]
async fn nobody_completes_their_own_enrolment() {
    let app = TestApp::spawn().await;
    let session = past_session(&app).await;
    for (me, other) in [(&app.hr, &app.admin), (&app.admin, &app.hr)] {
        // Arrange: HR enrols themselves (late: HR may).
        let enrolled = app
            .data(
                "mutation($s: ID!) { enrol(sessionId: $s) { id status } }",
                json!({ "s": session }),
                Some(me),
            )
            .await;
        assert_eq!(enrolled["enrol"]["status"], "ENROLLED");
        let id = enrolled["enrol"]["id"].as_str().unwrap().to_owned();
        let before = app.counts(TABLES).await;

        // Act
        let own = app.gql(COMPLETE, json!({ "id": id }), Some(me)).await;

        // Assert: refused, no certificate awarded; another HR user may.
        assert_eq!(error_code(&own), "FORBIDDEN", "{own}");
        assert_eq!(app.counts(TABLES).await, before);
        let done = app.data(COMPLETE, json!({ "id": id }), Some(other)).await;
        assert_eq!(done["completeEnrolment"]["status"], "COMPLETED");
    }
}

#[tokio::test]
async fn an_assessment_of_yourself_is_self_and_never_counted_even_for_hr() {
    let app = TestApp::spawn().await;
    let skills = app
        .data("{ skills { id name } }", json!({}), Some(&app.hr))
        .await;
    let coaching = skills["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Coaching")
        .unwrap()["id"]
        .clone();
    for me in [&app.hr, &app.admin] {
        let body = app
            .data(
                "mutation($i: AssessSkillInput!) { assessSkill(input: $i) { source counts } }",
                json!({ "i": { "employeeId": me.gid(), "skillId": coaching, "level": 5, "assessedOn": today().to_string() } }),
                Some(me),
            )
            .await;
        assert_eq!(
            body["assessSkill"],
            json!({ "source": "SELF", "counts": false })
        );
        let level = app
            .data(
                "{ me { skills { skill { name } level selfLevel } } }",
                json!({}),
                Some(me),
            )
            .await;
        let row = level["me"]["skills"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["skill"]["name"] == "Coaching")
            .unwrap()
            .clone();
        assert_eq!(row["level"], Value::Null, "a self-assessment never counts");
        assert_eq!(row["selfLevel"], 5);
    }
}

const UPDATE: &str = "mutation($id: ID!, $i: UpdateEmployeeInput!) { updateEmployee(id: $id, input: $i) { site accessRole } }";

#[tokio::test]
async fn hr_cannot_change_an_admins_account() {
    let app = TestApp::spawn().await;
    let second_admin = app
        .person(Person {
            name: "Second Admin".into(),
            access_role: "ADMIN",
            role: "HR_GENERALIST",
            ..Default::default()
        })
        .await;
    let before = app.counts(TABLES).await;
    for input in [
        json!({ "site": "Nagoya" }),
        json!({ "name": "Taken Over" }),
        json!({ "email": "mine@test.example" }),
        json!({ "managerId": app.hr.gid() }),
    ] {
        let body = app
            .gql(
                UPDATE,
                json!({ "id": second_admin.gid(), "i": input }),
                Some(&app.hr),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{input}: {body}");
    }
    assert_eq!(
        app.counts(TABLES).await,
        before,
        "nothing changed, nothing audited"
    );
    // An ADMIN may; HR still changes everyone else.
    let by_admin = app
        .data(
            UPDATE,
            json!({ "id": second_admin.gid(), "i": { "site": "Nagoya" } }),
            Some(&app.admin),
        )
        .await;
    assert_eq!(by_admin["updateEmployee"]["site"], "Nagoya");
    let by_hr = app
        .data(
            UPDATE,
            json!({ "id": app.employee.gid(), "i": { "site": "Nagoya" } }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(by_hr["updateEmployee"]["site"], "Nagoya");
}

/// The details of the newest audit event of `entity`, parsed.
async fn newest_details(app: &TestApp, entity: &str) -> Value {
    let data = app
        .data(
            "query($e: String) { auditEvents(entity: $e, first: 1) { nodes { details } } }",
            json!({ "e": entity }),
            Some(&app.admin),
        )
        .await;
    serde_json::from_str(data["auditEvents"]["nodes"][0]["details"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn raise_ranges_are_at_most_100_percent_and_ladder_and_band_changes_keep_before_and_after() {
    let app = TestApp::spawn().await;
    let step = "mutation($i: LadderStepInput!) { upsertLadderStep(input: $i) { raiseMinPercent raiseMaxPercent } }";
    let before = app.counts(TABLES).await;
    for input in [
        json!({ "raiseMaxPercent": 100.01 }),
        json!({ "raiseMaxPercent": 500 }),
        json!({ "raiseMinPercent": 101, "raiseMaxPercent": 150 }),
    ] {
        let mut input = input;
        input["fromRoleCode"] = json!("CSR");
        input["toRoleCode"] = json!("TEAM_LEAD");
        let body = app.gql(step, json!({ "i": input }), Some(&app.hr)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{input}: {body}");
    }
    assert_eq!(app.counts(TABLES).await, before);

    // At most 100 is fine, and the audit keeps the values before and after.
    let saved = app
        .data(
            step,
            json!({ "i": { "fromRoleCode": "CSR", "toRoleCode": "TEAM_LEAD", "raiseMaxPercent": 100 } }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(saved["upsertLadderStep"]["raiseMaxPercent"], 100.0);
    let details = newest_details(&app, "ladder_step").await;
    assert_eq!(details["before"]["raiseMaxBp"], 3000, "{details}");
    assert_eq!(details["after"]["raiseMaxBp"], 10000, "{details}");
    assert_eq!(
        details["before"]["raiseMinBp"],
        details["after"]["raiseMinBp"]
    );

    let band = "mutation($max: String!) { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"JP\", currency: \"JPY\", min: \"400000\", max: $max}) { id } }";
    app.data(band, json!({ "max": "600000" }), Some(&app.hr))
        .await;
    let details = newest_details(&app, "salary_band").await;
    assert_eq!(details["before"]["maxMinor"], 560000, "{details}");
    assert_eq!(details["after"]["maxMinor"], 600000, "{details}");
}
