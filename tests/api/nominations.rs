//! Nominations (issue 4): a manager puts forward an eligible report, HR
//! approves (a promotion in one transaction), rejects with a reason, or the
//! nominator withdraws. Every refusal carries its code and changes nothing.
//!
//! `nominate` judges eligibility as of the real today, so nominees are built
//! with dates relative to today.

use chrono::Months;
use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{error_code, months_ago, row_id, today, Person, TestApp, User};

const NOMINATE: &str = "mutation($input: NominateInput!) { nominate(input: $input) { \
    id status override overrideReason justification nominee { id } nominatedBy { id } \
    targetRole { code } decidedBy { id } newSalary { amount currency } } }";

const APPROVE: &str = "mutation($id: ID!, $p: Float, $on: Date) { \
    approveNomination(id: $id, raisePercent: $p, effectiveOn: $on) { \
    id status raisePercent effectiveOn decidedAt decidedBy { id } newSalary { amount currency } } }";

const REJECT: &str =
    "mutation($id: ID!, $reason: String!) { rejectNomination(id: $id, reason: $reason) { \
    id status decisionReason decidedAt decidedBy { id } newSalary { amount } } }";

const WITHDRAW: &str =
    "mutation($id: ID!) { withdrawNomination(id: $id) { id status decidedBy { id } } }";

const NOMINATIONS: &str =
    "query($status: NominationStatus) { nominations(status: $status, first: 100) { \
    totalCount nodes { id status nominee { id } } } }";

const EMPLOYEE: &str = "query($id: ID!) { employee(id: $id) { role { code } roleSince \
    salary { amount currency } roleHistory { role { code } startedOn endedOn salary { amount currency } } } }";

/// A CSR in the role for `months` months, with no reviews or certificates.
async fn csr(app: &TestApp, name: &str, manager: i64, months: u32) -> User {
    app.person(Person {
        name: name.into(),
        manager: Some(manager),
        hired_on: months_ago(36),
        role_since: months_ago(months),
        salary: 450_000,
        ..Default::default()
    })
    .await
}

fn nomination_input(nominee: &User, target: &str) -> Value {
    json!({ "input": {
        "nomineeId": nominee.gid(),
        "targetRoleCode": target,
        "justification": "consistently coaches the new joiners",
    }})
}

/// Row counts that a refused request must leave alone.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    nominations: i64,
    role_assignments: i64,
    audit_events: i64,
}

async fn counts(app: &TestApp) -> Counts {
    Counts {
        nominations: app.count("nomination").await,
        role_assignments: app.count("role_assignment").await,
        audit_events: app.count("audit_event").await,
    }
}

/// The nomination's status as HR sees it.
async fn status_of(app: &TestApp, id: &str) -> Value {
    let data = app
        .data(
            "query($id: ID!) { nomination(id: $id) { status } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    data["nomination"]["status"].clone()
}

async fn employee_view(app: &TestApp, who: &User) -> Value {
    app.data(EMPLOYEE, json!({ "id": who.gid() }), Some(&app.hr))
        .await["employee"]
        .clone()
}

/// Audit events of one entity kind with one action, newest first.
async fn audit(app: &TestApp, entity: &str, action: &str) -> Vec<Value> {
    let data = app
        .data(
            "query($entity: String) { auditEvents(entity: $entity, first: 100) { nodes { \
             action entity entityId subjectId actor { id } details } } }",
            json!({ "entity": entity }),
            Some(&app.hr),
        )
        .await;
    data["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

fn details(event: &Value) -> Value {
    serde_json::from_str(event["details"].as_str().unwrap()).expect("details are JSON")
}

fn ids(data: &Value) -> Vec<String> {
    data["nominations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn hr_approval_promotes_the_nominee_with_role_salary_history_and_audit_trail() {
    // Arrange: the manager nominates an eligible report.
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let role_since = months_ago(14).to_string();
    let nominated = app
        .data(
            NOMINATE,
            nomination_input(&nominee, "TEAM_LEAD"),
            Some(&app.manager),
        )
        .await["nominate"]
        .clone();
    assert_eq!(nominated["status"], "PENDING");
    assert_eq!(nominated["override"], false);
    assert_eq!(nominated["nominee"]["id"], nominee.gid());
    assert_eq!(nominated["nominatedBy"]["id"], app.manager.gid());
    assert_eq!(nominated["targetRole"]["code"], "TEAM_LEAD");
    assert!(nominated["decidedBy"].is_null());
    assert!(nominated["newSalary"].is_null());
    let id = nominated["id"].as_str().unwrap().to_owned();
    let effective_on = today().to_string();
    let before = counts(&app).await;

    // Act: HR approves with a 25 % raise.
    let approved = app
        .data(
            APPROVE,
            json!({ "id": id, "p": 25.0, "on": effective_on }),
            Some(&app.hr),
        )
        .await["approveNomination"]
        .clone();

    // Assert: the nomination records the decision.
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["raisePercent"], 25.0);
    assert_eq!(approved["effectiveOn"], effective_on);
    assert_eq!(approved["decidedBy"]["id"], app.hr.gid());
    assert!(approved["decidedAt"].is_string());
    assert_eq!(
        approved["newSalary"],
        json!({ "amount": "562500", "currency": "JPY" }),
        "450000 + 25 % lies inside the Team Lead band 480000-700000"
    );
    // The employee is promoted.
    let employee = employee_view(&app, &nominee).await;
    assert_eq!(employee["role"]["code"], "TEAM_LEAD");
    assert_eq!(employee["roleSince"], effective_on);
    assert_eq!(
        employee["salary"],
        json!({ "amount": "562500", "currency": "JPY" })
    );
    assert_eq!(
        employee["roleHistory"],
        json!([
            { "role": { "code": "CSR" }, "startedOn": role_since, "endedOn": effective_on,
              "salary": { "amount": "450000", "currency": "JPY" } },
            { "role": { "code": "TEAM_LEAD" }, "startedOn": effective_on, "endedOn": null,
              "salary": { "amount": "562500", "currency": "JPY" } },
        ])
    );
    let me = app
        .data(
            "{ me { role { code } salary { amount } } }",
            json!({}),
            Some(&nominee),
        )
        .await;
    assert_eq!(me["me"]["role"]["code"], "TEAM_LEAD", "the nominee sees it");
    assert_eq!(me["me"]["salary"]["amount"], "562500");
    // Exactly one new history row, and the audit trail tells the story.
    let after = counts(&app).await;
    assert_eq!(after.role_assignments, before.role_assignments + 1);
    assert_eq!(after.nominations, before.nominations);
    // The approval, the promotion, and (Team Lead is a leadership band with
    // a bonus target) the leadership pay it set.
    assert_eq!(after.audit_events, before.audit_events + 3);
    let leadership = audit(&app, "employee", "LEADERSHIP_PAY").await;
    assert_eq!(leadership.len(), 1);
    assert_eq!(details(&leadership[0])["bonusTargetBp"], 1000);
    let approvals = audit(&app, "nomination", "APPROVE_NOMINATION").await;
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0]["subjectId"], id);
    assert_eq!(approvals[0]["actor"]["id"], app.hr.gid());
    let decision = details(&approvals[0]);
    assert_eq!(decision["before"]["status"], "PENDING");
    assert_eq!(decision["after"]["status"], "APPROVED");
    assert_eq!(decision["after"]["raiseBp"], 2500);
    assert_eq!(decision["after"]["newSalaryMinor"], 562_500);
    let promotions = audit(&app, "employee", "PROMOTE").await;
    assert_eq!(promotions.len(), 1);
    assert_eq!(promotions[0]["subjectId"], nominee.gid());
    assert_eq!(promotions[0]["actor"]["id"], app.hr.gid());
    let promotion = details(&promotions[0]);
    assert_eq!(promotion["before"]["salaryMinor"], 450_000);
    assert_eq!(promotion["after"]["salaryMinor"], 562_500);
    assert_eq!(promotion["before"]["roleSince"], role_since);
    assert_eq!(promotion["after"]["roleSince"], effective_on);
    assert_ne!(
        promotion["before"]["jobRoleId"],
        promotion["after"]["jobRoleId"]
    );
    assert_eq!(promotion["nominationId"], row_id(&id));
}

#[tokio::test]
async fn a_manager_cannot_nominate_someone_outside_their_reporting_chain() {
    // Arrange: an eligible CSR in another manager's chain.
    let app = TestApp::spawn().await;
    let elsewhere = app
        .eligible_csr("Elsa Elsewhere", app.other_manager.id)
        .await;
    let before = counts(&app).await;

    // Act
    let body = app
        .gql(
            NOMINATE,
            nomination_input(&elsewhere, "TEAM_LEAD"),
            Some(&app.manager),
        )
        .await;
    let colleague = app
        .gql(
            NOMINATE,
            nomination_input(&elsewhere, "TEAM_LEAD"),
            Some(&app.outsider),
        )
        .await;

    // Assert
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(
        error_code(&colleague),
        "FORBIDDEN",
        "employees nominate nobody"
    );
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn nobody_can_nominate_themselves() {
    // Arrange: a Team Lead (manager) who could aim for Operations Manager,
    // and HR.
    let app = TestApp::spawn().await;
    let before = counts(&app).await;

    // Act
    let manager_self = app
        .gql(
            NOMINATE,
            nomination_input(&app.manager, "OPERATIONS_MANAGER"),
            Some(&app.manager),
        )
        .await;
    let hr_self = app
        .gql(
            NOMINATE,
            json!({ "input": {
                "nomineeId": app.hr.gid(), "targetRoleCode": "OPERATIONS_MANAGER",
                "justification": "me", "override": true, "overrideReason": "trust me",
            }}),
            Some(&app.hr),
        )
        .await;

    // Assert
    assert_eq!(error_code(&manager_self), "FORBIDDEN");
    assert_eq!(error_code(&hr_self), "FORBIDDEN");
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn the_target_must_be_a_ladder_step_out_of_the_nominees_current_role() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Skip Ahead", app.manager.id).await;
    let before = counts(&app).await;

    // Act: CSR -> Operations Manager skips a rung; NOPE is no role at all.
    let skipping = app
        .gql(
            NOMINATE,
            nomination_input(&nominee, "OPERATIONS_MANAGER"),
            Some(&app.manager),
        )
        .await;
    let unknown = app
        .gql(
            NOMINATE,
            nomination_input(&nominee, "NOPE"),
            Some(&app.manager),
        )
        .await;

    // Assert
    assert_eq!(error_code(&skipping), "BAD_USER_INPUT");
    assert!(
        skipping["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a ladder step"),
        "{skipping}"
    );
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn nominating_someone_not_eligible_is_refused_with_the_gaps_listed() {
    // Arrange: one without leadership training, one too new in the role.
    let app = TestApp::spawn().await;
    let untrained = csr(&app, "Una Untrained", app.manager.id, 14).await;
    app.review(&untrained, &months_ago(4).to_string(), 4.5)
        .await;
    app.review(&untrained, &months_ago(1).to_string(), 4.5)
        .await;
    let newcomer = csr(&app, "Nell Newer", app.manager.id, 6).await;
    app.review(&newcomer, &months_ago(4).to_string(), 4.5).await;
    app.review(&newcomer, &months_ago(1).to_string(), 4.5).await;
    app.cert(
        &newcomer,
        "LEADERSHIP_TRAINING",
        None,
        None,
        &months_ago(3).to_string(),
        None,
        "VERIFIED",
    )
    .await;
    let before = counts(&app).await;

    // Act
    let untrained_body = app
        .gql(
            NOMINATE,
            nomination_input(&untrained, "TEAM_LEAD"),
            Some(&app.manager),
        )
        .await;
    let newcomer_body = app
        .gql(
            NOMINATE,
            nomination_input(&newcomer, "TEAM_LEAD"),
            Some(&app.manager),
        )
        .await;

    // Assert
    assert_eq!(error_code(&untrained_body), "NOT_ELIGIBLE");
    assert_eq!(
        untrained_body["errors"][0]["extensions"]["gaps"],
        json!([{ "kind": "CERTIFICATION", "message": "needs leadership training; has none" }])
    );
    assert!(untrained_body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("needs leadership training"));
    let eligible_from = months_ago(6)
        .checked_add_months(Months::new(12))
        .unwrap()
        .format("%-d %b %Y");
    assert_eq!(error_code(&newcomer_body), "NOT_ELIGIBLE");
    assert_eq!(
        newcomer_body["errors"][0]["extensions"]["gaps"],
        json!([{
            "kind": "TENURE",
            "message": format!(
                "needs 12 months in role on the fast track; has 6 (6 more, eligible from {eligible_from})"
            ),
        }])
    );
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn an_hr_override_without_a_written_reason_is_refused() {
    // Arrange
    let app = TestApp::spawn().await;
    let untrained = csr(&app, "Una Untrained", app.manager.id, 14).await;
    let before = counts(&app).await;

    // Act
    let mut bodies = Vec::new();
    for reason in [None, Some(""), Some("   ")] {
        bodies.push(
            app.gql(
                NOMINATE,
                json!({ "input": {
                    "nomineeId": untrained.gid(), "targetRoleCode": "TEAM_LEAD",
                    "justification": "needed at the Osaka site", "override": true,
                    "overrideReason": reason,
                }}),
                Some(&app.hr),
            )
            .await,
        );
    }

    // Assert
    for body in &bodies {
        assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
    }
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn hr_may_override_eligibility_with_a_written_reason_which_is_recorded() {
    // Arrange: not eligible (no reviews, no training).
    let app = TestApp::spawn().await;
    let untrained = csr(&app, "Una Untrained", app.manager.id, 14).await;
    let before = counts(&app).await;

    // Act
    let data = app
        .data(
            NOMINATE,
            json!({ "input": {
                "nomineeId": untrained.gid(), "targetRoleCode": "TEAM_LEAD",
                "justification": "runs the night shift already", "override": true,
                "overrideReason": "site lead left; training booked for next month",
            }}),
            Some(&app.hr),
        )
        .await;

    // Assert
    let nomination = &data["nominate"];
    assert_eq!(nomination["status"], "PENDING");
    assert_eq!(nomination["override"], true);
    assert_eq!(
        nomination["overrideReason"],
        "site lead left; training booked for next month"
    );
    assert_eq!(nomination["nominatedBy"]["id"], app.hr.gid());
    assert_eq!(counts(&app).await.nominations, before.nominations + 1);
    let events = audit(&app, "nomination", "NOMINATE").await;
    assert_eq!(events.len(), 1);
    let recorded = details(&events[0]);
    assert_eq!(recorded["after"]["override"], true);
    assert_eq!(
        recorded["after"]["overrideReason"],
        "site lead left; training booked for next month"
    );
    assert_eq!(recorded["eligibility"], "INELIGIBLE");
}

#[tokio::test]
async fn a_manager_cannot_override_eligibility() {
    // Arrange
    let app = TestApp::spawn().await;
    let untrained = csr(&app, "Una Untrained", app.manager.id, 14).await;
    let before = counts(&app).await;

    // Act: with a reason, and without one (which must not suggest that a
    // reason would help).
    let mut bodies = Vec::new();
    for reason in [Some("we need a lead now"), None] {
        bodies.push(
            app.gql(
                NOMINATE,
                json!({ "input": {
                    "nomineeId": untrained.gid(), "targetRoleCode": "TEAM_LEAD",
                    "justification": "trust me", "override": true,
                    "overrideReason": reason,
                }}),
                Some(&app.manager),
            )
            .await,
        );
    }

    // Assert
    for body in &bodies {
        assert_eq!(error_code(body), "FORBIDDEN", "{body}");
    }
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn a_second_open_nomination_for_the_same_person_is_a_conflict() {
    // Arrange: the manager has nominated Nina already.
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let first = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act
    let by_hr = app
        .gql(
            NOMINATE,
            nomination_input(&nominee, "TEAM_LEAD"),
            Some(&app.hr),
        )
        .await;
    let by_top = app
        .gql(
            NOMINATE,
            nomination_input(&nominee, "TEAM_LEAD"),
            Some(&app.top),
        )
        .await;

    // Assert
    assert_eq!(error_code(&by_hr), "CONFLICT");
    assert_eq!(error_code(&by_top), "CONFLICT");
    assert_eq!(counts(&app).await, before);
    // Once the first is decided, a new nomination is possible again.
    app.data(
        REJECT,
        json!({ "id": first, "reason": "wait for the next cycle" }),
        Some(&app.hr),
    )
    .await;
    let second = app.nominate(&app.manager, &nominee).await;
    assert_ne!(second, first);
}

#[tokio::test]
async fn deciding_a_nomination_that_is_no_longer_pending_is_a_conflict() {
    // Arrange: approved once (default raise 20 %: 540000).
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let approved = app.data(APPROVE, json!({ "id": id }), Some(&app.hr)).await;
    assert_eq!(
        approved["approveNomination"]["newSalary"]["amount"],
        "540000"
    );
    let before = counts(&app).await;

    // Act
    let again = app.gql(APPROVE, json!({ "id": id }), Some(&app.hr)).await;
    let reject = app
        .gql(
            REJECT,
            json!({ "id": id, "reason": "changed my mind" }),
            Some(&app.hr),
        )
        .await;
    let withdraw = app
        .gql(WITHDRAW, json!({ "id": id }), Some(&app.manager))
        .await;

    // Assert
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_code(&reject), "CONFLICT");
    assert_eq!(error_code(&withdraw), "CONFLICT");
    assert_eq!(counts(&app).await, before);
    assert_eq!(status_of(&app, &id).await, "APPROVED");
    let employee = employee_view(&app, &nominee).await;
    assert_eq!(
        employee["salary"]["amount"], "540000",
        "promoted once, not twice"
    );
}

#[tokio::test]
async fn a_raise_outside_twenty_to_thirty_percent_is_refused() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act
    let mut refused = Vec::new();
    for p in [19.99, 30.01, 35.0, 0.0, -5.0, 25.005] {
        refused.push((
            p,
            app.gql(APPROVE, json!({ "id": id, "p": p }), Some(&app.hr))
                .await,
        ));
    }
    let at_the_top = app
        .data(APPROVE, json!({ "id": id, "p": 30.0 }), Some(&app.hr))
        .await;

    // Assert
    for (p, body) in &refused {
        assert_eq!(
            error_code(body),
            "BAD_USER_INPUT",
            "raisePercent {p}: {body}"
        );
    }
    assert_eq!(
        at_the_top["approveNomination"]["newSalary"],
        json!({ "amount": "585000", "currency": "JPY" }),
        "30 % is inside the range"
    );
    let after = counts(&app).await;
    assert_eq!(
        after.role_assignments,
        before.role_assignments + 1,
        "only the accepted approval promoted"
    );
}

#[tokio::test]
async fn rejecting_a_nomination_needs_a_reason() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act
    let empty = app
        .gql(REJECT, json!({ "id": id, "reason": "" }), Some(&app.hr))
        .await;
    let blank = app
        .gql(REJECT, json!({ "id": id, "reason": "  " }), Some(&app.hr))
        .await;
    let by_manager = app
        .gql(
            REJECT,
            json!({ "id": id, "reason": "not my call" }),
            Some(&app.manager),
        )
        .await;
    let unchanged = counts(&app).await;
    let still_pending = status_of(&app, &id).await;
    let rejected = app
        .data(
            REJECT,
            json!({ "id": id, "reason": "needs six more months of coaching" }),
            Some(&app.hr),
        )
        .await;

    // Assert
    assert_eq!(error_code(&empty), "BAD_USER_INPUT");
    assert_eq!(error_code(&blank), "BAD_USER_INPUT");
    assert_eq!(error_code(&by_manager), "FORBIDDEN");
    assert_eq!(unchanged, before);
    assert_eq!(still_pending, "PENDING");
    let rejected = &rejected["rejectNomination"];
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(
        rejected["decisionReason"],
        "needs six more months of coaching"
    );
    assert_eq!(rejected["decidedBy"]["id"], app.hr.gid());
    assert!(rejected["decidedAt"].is_string());
    assert!(rejected["newSalary"].is_null());
    let employee = employee_view(&app, &nominee).await;
    assert_eq!(employee["role"]["code"], "CSR", "no promotion");
    assert_eq!(counts(&app).await.role_assignments, before.role_assignments);
    assert_eq!(
        audit(&app, "nomination", "REJECT_NOMINATION").await.len(),
        1
    );
}

#[tokio::test]
async fn the_nominator_may_withdraw_a_nomination_but_another_manager_may_not() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act
    let by_other = app
        .gql(WITHDRAW, json!({ "id": id }), Some(&app.other_manager))
        .await;
    let by_boss = app.gql(WITHDRAW, json!({ "id": id }), Some(&app.top)).await;
    let by_nominee = app.gql(WITHDRAW, json!({ "id": id }), Some(&nominee)).await;
    let unchanged = counts(&app).await;
    let by_nominator = app
        .data(WITHDRAW, json!({ "id": id }), Some(&app.manager))
        .await;

    // Assert
    assert_eq!(
        error_code(&by_other),
        "NOT_FOUND",
        "outside the chain the nomination is as missing as an unknown id"
    );
    assert_eq!(
        error_code(&by_boss),
        "FORBIDDEN",
        "only the nominator or HR withdraws"
    );
    assert_eq!(error_code(&by_nominee), "FORBIDDEN");
    assert_eq!(unchanged, before);
    assert_eq!(by_nominator["withdrawNomination"]["status"], "WITHDRAWN");
    assert_eq!(
        by_nominator["withdrawNomination"]["decidedBy"]["id"],
        app.manager.gid()
    );
    // HR may withdraw too.
    let second = app.nominate(&app.manager, &nominee).await;
    let by_hr = app
        .data(WITHDRAW, json!({ "id": second }), Some(&app.hr))
        .await;
    assert_eq!(by_hr["withdrawNomination"]["status"], "WITHDRAWN");
    assert_eq!(employee_view(&app, &nominee).await["role"]["code"], "CSR");
}

#[tokio::test]
async fn nominations_are_visible_to_hr_all_to_managers_for_their_chain_and_to_employees_their_own()
{
    // Arrange: one nomination in each chain.
    let app = TestApp::spawn().await;
    let ours = app.eligible_csr("Our Nominee", app.manager.id).await;
    let theirs = app
        .eligible_csr("Their Nominee", app.other_manager.id)
        .await;
    let ours_id = app.nominate(&app.manager, &ours).await;
    let theirs_id = app.nominate(&app.other_manager, &theirs).await;
    app.data(
        REJECT,
        json!({ "id": theirs_id, "reason": "budget freeze at Osaka" }),
        Some(&app.hr),
    )
    .await;
    let all = json!({ "status": null });

    // Act
    let hr = app.data(NOMINATIONS, all.clone(), Some(&app.hr)).await;
    let top = app.data(NOMINATIONS, all.clone(), Some(&app.top)).await;
    let manager = app.data(NOMINATIONS, all.clone(), Some(&app.manager)).await;
    let other = app
        .data(NOMINATIONS, all.clone(), Some(&app.other_manager))
        .await;
    let nominee = app.data(NOMINATIONS, all.clone(), Some(&ours)).await;
    let bystander = app.data(NOMINATIONS, all, Some(&app.employee)).await;
    let hr_pending = app
        .data(NOMINATIONS, json!({ "status": "PENDING" }), Some(&app.hr))
        .await;
    let hr_rejected = app
        .data(NOMINATIONS, json!({ "status": "REJECTED" }), Some(&app.hr))
        .await;
    let other_pending = app
        .data(
            NOMINATIONS,
            json!({ "status": "PENDING" }),
            Some(&app.other_manager),
        )
        .await;
    let peek = app
        .gql(
            "query($id: ID!) { nomination(id: $id) { status } }",
            json!({ "id": ours_id }),
            Some(&app.employee),
        )
        .await;

    // Assert
    assert_eq!(
        ids(&hr),
        vec![theirs_id.clone(), ours_id.clone()],
        "newest first"
    );
    assert_eq!(hr["nominations"]["totalCount"], 2);
    assert_eq!(ids(&top), vec![ours_id.clone()], "indirect reports count");
    assert_eq!(ids(&manager), vec![ours_id.clone()]);
    assert_eq!(ids(&other), vec![theirs_id.clone()]);
    assert_eq!(ids(&nominee), vec![ours_id.clone()]);
    assert!(ids(&bystander).is_empty());
    assert_eq!(bystander["nominations"]["totalCount"], 0);
    assert_eq!(ids(&hr_pending), vec![ours_id.clone()]);
    assert_eq!(hr_pending["nominations"]["totalCount"], 1);
    assert_eq!(ids(&hr_rejected), vec![theirs_id]);
    assert!(ids(&other_pending).is_empty());
    assert_eq!(
        peek,
        json!({ "data": { "nomination": null } }),
        "a nomination one may not see is null, like a missing one"
    );
}

#[tokio::test]
async fn twenty_simultaneous_approvals_promote_exactly_once() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;
    let variables = json!({ "id": id });

    // Act: twenty HR requests at once over HTTP.
    let bodies =
        join_all((0..20).map(|_| app.gql(APPROVE, variables.clone(), Some(&app.hr)))).await;

    // Assert
    let (successes, failures): (Vec<&Value>, Vec<&Value>) =
        bodies.iter().partition(|body| body.get("errors").is_none());
    assert_eq!(successes.len(), 1, "{bodies:#?}");
    assert_eq!(
        successes[0]["data"]["approveNomination"]["status"],
        "APPROVED"
    );
    assert_eq!(failures.len(), 19);
    for body in &failures {
        assert_eq!(error_code(body), "CONFLICT", "{body}");
    }
    let after = counts(&app).await;
    assert_eq!(after.role_assignments, before.role_assignments + 1);
    assert_eq!(audit(&app, "employee", "PROMOTE").await.len(), 1);
    assert_eq!(
        audit(&app, "nomination", "APPROVE_NOMINATION").await.len(),
        1
    );
    let employee = employee_view(&app, &nominee).await;
    assert_eq!(employee["role"]["code"], "TEAM_LEAD");
    assert_eq!(employee["salary"]["amount"], "540000", "promoted once");
    assert_eq!(employee["roleHistory"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn only_hr_may_approve_a_nomination() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act
    let by_manager = app
        .gql(APPROVE, json!({ "id": id }), Some(&app.manager))
        .await;
    let by_boss = app.gql(APPROVE, json!({ "id": id }), Some(&app.top)).await;
    let by_nominee = app.gql(APPROVE, json!({ "id": id }), Some(&nominee)).await;

    // Assert
    assert_eq!(error_code(&by_manager), "FORBIDDEN");
    assert_eq!(error_code(&by_boss), "FORBIDDEN");
    assert_eq!(error_code(&by_nominee), "FORBIDDEN");
    assert_eq!(counts(&app).await, before);
    assert_eq!(status_of(&app, &id).await, "PENDING");
    assert_eq!(employee_view(&app, &nominee).await["role"]["code"], "CSR");
}

#[tokio::test]
async fn simultaneous_nominations_of_the_same_person_leave_exactly_one_open() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let before = counts(&app).await;
    let input = nomination_input(&nominee, "TEAM_LEAD");

    // Act: ten nominations at once, from HR and from the chain.
    let bodies = join_all((0..10).map(|i| {
        let by = match i % 3 {
            0 => &app.hr,
            1 => &app.manager,
            _ => &app.top,
        };
        app.gql(NOMINATE, input.clone(), Some(by))
    }))
    .await;

    // Assert
    let (successes, failures): (Vec<&Value>, Vec<&Value>) =
        bodies.iter().partition(|body| body.get("errors").is_none());
    assert_eq!(successes.len(), 1, "{bodies:#?}");
    for body in &failures {
        assert_eq!(error_code(body), "CONFLICT", "{body}");
    }
    assert_eq!(counts(&app).await.nominations, before.nominations + 1);
    let pending = app
        .data(NOMINATIONS, json!({ "status": "PENDING" }), Some(&app.hr))
        .await;
    assert_eq!(pending["nominations"]["totalCount"], 1);
    assert_eq!(audit(&app, "nomination", "NOMINATE").await.len(), 1);
}

#[tokio::test]
async fn a_promotion_cannot_take_effect_before_the_current_role_started() {
    // Arrange: in the role for 14 months.
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Nina Nominee", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;
    let too_early = months_ago(15).to_string();

    // Act
    let body = app
        .gql(APPROVE, json!({ "id": id, "on": too_early }), Some(&app.hr))
        .await;

    // Assert
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(counts(&app).await, before);
    assert_eq!(status_of(&app, &id).await, "PENDING");
    let employee = employee_view(&app, &nominee).await;
    assert_eq!(employee["role"]["code"], "CSR");
    assert_eq!(employee["roleSince"], months_ago(14).to_string());
}

const PREVIEW: &str = "query($id: ID!, $p: Float) { promotionPayPreview(nominationId: $id, raisePercent: $p) { \
    nomination { id status } currentSalary { amount currency } raisePercent raiseMinPercent raiseMaxPercent \
    newSalary { amount currency } clampedToBand bandMin { amount } bandMidpoint { amount } bandMax { amount } \
    compaRatioAfter rangePenetrationAfter } }";

#[tokio::test]
async fn hr_previews_the_new_pay_of_an_approval_and_the_approval_pays_exactly_that() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Pia Preview", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    let before = counts(&app).await;

    // Act: the default raise, 25 %, and a raise out of range.
    let at_min = app.data(PREVIEW, json!({ "id": id }), Some(&app.hr)).await;
    let at_25 = app
        .data(PREVIEW, json!({ "id": id, "p": 25.0 }), Some(&app.hr))
        .await;
    let too_much = app
        .gql(PREVIEW, json!({ "id": id, "p": 31.0 }), Some(&app.hr))
        .await;

    // Assert: previews change nothing and follow the step's range.
    assert_eq!(counts(&app).await, before, "a preview writes nothing");
    let p = &at_min["promotionPayPreview"];
    assert_eq!(p["nomination"]["status"], "PENDING");
    assert_eq!(p["raisePercent"], 20.0);
    assert_eq!(p["raiseMinPercent"], 20.0);
    assert_eq!(p["raiseMaxPercent"], 30.0);
    assert_eq!(p["currentSalary"]["amount"], "450000");
    assert_eq!(
        p["newSalary"],
        json!({ "amount": "540000", "currency": "JPY" })
    );
    assert!(p["compaRatioAfter"].as_f64().is_some(), "{p}");
    assert!(p["rangePenetrationAfter"].as_f64().is_some(), "{p}");
    assert_eq!(error_code(&too_much), "BAD_USER_INPUT", "{too_much}");

    let approved = app
        .data(APPROVE, json!({ "id": id, "p": 25.0 }), Some(&app.hr))
        .await;
    assert_eq!(
        approved["approveNomination"]["newSalary"], at_25["promotionPayPreview"]["newSalary"],
        "the approval pays what the preview said"
    );
}

#[tokio::test]
async fn nobody_previews_pay_for_a_nomination_they_could_not_decide() {
    // Arrange: a nomination HR made, and one of HR themselves.
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Quinn Queue", app.manager.id).await;
    let by_manager = app.nominate(&app.manager, &nominee).await;

    // Act
    let as_manager = app
        .gql(PREVIEW, json!({ "id": by_manager }), Some(&app.manager))
        .await;
    let as_nominee = app
        .gql(PREVIEW, json!({ "id": by_manager }), Some(&nominee))
        .await;
    let wrong_type = app
        .gql(PREVIEW, json!({ "id": nominee.gid() }), Some(&app.hr))
        .await;

    // Assert
    assert_eq!(error_code(&as_manager), "FORBIDDEN", "{as_manager}");
    assert_eq!(error_code(&as_nominee), "FORBIDDEN", "{as_nominee}");
    assert_eq!(error_code(&wrong_type), "BAD_USER_INPUT", "{wrong_type}");
    for body in [&as_manager, &as_nominee] {
        assert!(
            !body.to_string().contains("450000"),
            "a refusal leaks no pay: {body}"
        );
    }
}
