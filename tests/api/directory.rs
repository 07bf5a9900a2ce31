//! Directory fields and private fields: anyone signed in sees the name,
//! job role, site, manager and work email of anyone a query reaches; the
//! hire and role dates, tenure and access role have the visibility of
//! salary (self, the chain above, HR, ADMIN; else FORBIDDEN), and so does a
//! nomination's pay, as the chain is now.

use serde_json::json;

use crate::helpers::{error_code, Person, TestApp, User};

const DIRECTORY: &str =
    "{ me { manager { id name email site role { code } manager { id } reports { id } } } }";

#[tokio::test]
async fn anyone_signed_in_reads_the_directory_fields_of_their_manager() {
    let app = TestApp::spawn().await;
    // The outsider is below other_manager, who is not in the outsider's
    // chain: a directory read, not a private one.
    let data = app.data(DIRECTORY, json!({}), Some(&app.outsider)).await;
    let manager = &data["me"]["manager"];
    assert_eq!(manager["id"], app.other_manager.gid());
    assert_eq!(manager["name"], "Oto Other");
    assert_eq!(manager["email"], app.other_manager.email);
    assert_eq!(manager["site"], "Osaka");
    assert_eq!(manager["role"]["code"], "TEAM_LEAD");
}

#[tokio::test]
async fn hire_and_role_dates_tenure_and_access_role_have_the_visibility_of_salary() {
    let app = TestApp::spawn().await;
    app.person(Person {
        name: "Colleague".into(),
        manager: Some(app.manager.id),
        ..Default::default()
    })
    .await;
    for field in [
        "hiredOn",
        "roleSince",
        "tenure { monthsOfService monthsInRole }",
        "accessRole",
        "salary { amount }",
    ] {
        // Up the chain (the outsider's manager): FORBIDDEN, like salary.
        let up = format!("{{ me {{ manager {{ name {field} }} }} }}");
        let body = app.gql(&up, json!({}), Some(&app.outsider)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{field}: {body}");
        // Down the chain, directly and indirectly, to HR and ADMIN, and to
        // oneself: visible.
        let down =
            format!("query($id: ID!) {{ employee(id: $id) {{ {field} manager {{ {field} }} }} }}");
        for viewer in [&app.top, &app.hr, &app.admin] {
            let body = app
                .gql(&down, json!({ "id": app.employee.gid() }), Some(viewer))
                .await;
            assert!(body.get("errors").is_none(), "{field}: {body}");
        }
        let own = format!("{{ me {{ {field} }} }}");
        let body = app.gql(&own, json!({}), Some(&app.employee)).await;
        assert!(body.get("errors").is_none(), "{field}: {body}");
        // A colleague reached through the shared manager: FORBIDDEN.
        let peer = format!("{{ me {{ manager {{ reports {{ name {field} }} }} }} }}");
        let body = app.gql(&peer, json!({}), Some(&app.employee)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{field}: {body}");
    }
}

const NOMINATIONS: &str =
    "{ nominations(first: 10) { nodes { id status newSalary { amount } raisePercent } } }";

async fn pay_seen_by(app: &TestApp, who: &User) -> serde_json::Value {
    app.gql(NOMINATIONS, json!({}), Some(who)).await
}

#[tokio::test]
async fn a_former_nominator_no_longer_reads_the_pay_of_a_nominee_who_left_their_chain() {
    // Arrange: the manager nominates, HR approves with a raise.
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Moving Mina", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    app.data(
        "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { status } }",
        json!({ "id": id }),
        Some(&app.hr),
    )
    .await;
    let before = pay_seen_by(&app, &app.manager).await;
    assert!(before.get("errors").is_none(), "{before}");
    assert_eq!(
        before["data"]["nominations"]["nodes"][0]["raisePercent"],
        25.0
    );

    // Act: the nominee moves to the other chain.
    app.data(
        "mutation($id: ID!, $m: ID!) { updateEmployee(id: $id, input: {managerId: $m}) { id } }",
        json!({ "id": nominee.gid(), "m": app.other_manager.gid() }),
        Some(&app.hr),
    )
    .await;

    // Assert: the former nominator still sees the nomination, not its pay.
    let after = pay_seen_by(&app, &app.manager).await;
    assert_eq!(error_code(&after), "FORBIDDEN", "{after}");
    let node = &after["data"]["nominations"]["nodes"][0];
    assert_eq!(node["id"], id);
    assert_eq!(node["status"], "APPROVED");
    assert_eq!(node["newSalary"], serde_json::Value::Null);
    assert_eq!(node["raisePercent"], serde_json::Value::Null);
    // The nominee's new chain, the nominee and HR do.
    for who in [&app.other_manager, &nominee, &app.hr] {
        let body = pay_seen_by(&app, who).await;
        assert!(body.get("errors").is_none(), "{body}");
        let nodes = body["data"]["nominations"]["nodes"].as_array().unwrap();
        let ours = nodes.iter().find(|n| n["id"] == id).expect("visible");
        assert!(ours["newSalary"]["amount"].is_string(), "{body}");
    }
}
