//! The audit trail: every change appends an event (who, what, when, before
//! and after) that HR and ADMIN can read, that never holds a secret, and that
//! nobody can edit or delete, not even with SQL.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use serde_json::{json, Value};

use crate::helpers::{error_code, row_id, TestApp, User, PASSWORD};

const EVENTS: &str = "query($entity: String, $actor: ID, $first: Int, $after: String) { \
    auditEvents(entity: $entity, actorId: $actor, first: $first, after: $after) { \
    totalCount pageInfo { hasNextPage endCursor hasPreviousPage startCursor } \
    nodes { id at action entity entityId subjectId actor { id } details } } }";

/// Audit events as HR sees them, newest first.
async fn events(app: &TestApp, entity: Option<&str>, actor: Option<&User>) -> Vec<Value> {
    let data = app
        .data(
            EVENTS,
            json!({ "entity": entity, "actor": actor.map(User::gid), "first": 100 }),
            Some(&app.hr),
        )
        .await;
    data["auditEvents"]["nodes"].as_array().unwrap().clone()
}

fn actions(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

fn details(event: &Value) -> Value {
    serde_json::from_str(event["details"].as_str().unwrap()).expect("details are JSON")
}

/// The one event with this action (panics unless there is exactly one).
fn only<'a>(events: &'a [Value], action: &str) -> &'a Value {
    let found: Vec<&Value> = events.iter().filter(|e| e["action"] == action).collect();
    assert_eq!(found.len(), 1, "one {action} expected in {events:#?}");
    found[0]
}

/// Signs in through the API and returns the user with the new token.
async fn sign_in(app: &TestApp, user: &User, password: &str) -> User {
    let body = app.login(&user.email, password).await;
    let token = body["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {body}"))
        .to_owned();
    User {
        token,
        ..user.clone()
    }
}

#[tokio::test]
async fn signing_in_and_out_is_audited_and_a_failed_login_has_no_actor() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let session = sign_in(&app, &app.employee, PASSWORD).await;
    let failed = app
        .login(&app.employee.email, "not the right password at all")
        .await;
    app.data("mutation { logout }", json!({}), Some(&session))
        .await;

    // Assert
    assert_eq!(error_code(&failed), "UNAUTHENTICATED");
    let trail = events(&app, Some("session"), None).await;
    assert_eq!(
        actions(&trail),
        vec!["LOGOUT", "LOGIN_FAILED", "LOGIN"],
        "newest first"
    );
    let login = only(&trail, "LOGIN");
    assert_eq!(login["actor"]["id"], app.employee.gid());
    assert_eq!(login["entity"], "session");
    let failure = only(&trail, "LOGIN_FAILED");
    assert!(failure["actor"].is_null(), "nobody is signed in: {failure}");
    assert_eq!(details(failure)["email"], app.employee.email);
    assert!(!failure["details"]
        .as_str()
        .unwrap()
        .contains("not the right password"));
    let logout = only(&trail, "LOGOUT");
    assert_eq!(logout["actor"]["id"], app.employee.gid());
    assert_eq!(
        logout["entityId"], login["entityId"],
        "the same session ends"
    );
}

#[tokio::test]
async fn creating_and_updating_an_employee_is_audited_with_before_and_after() {
    // Arrange
    let app = TestApp::spawn().await;
    let secret = "a long initial passphrase 2026";

    // Act
    let created = app
        .data(
            "mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }",
            json!({ "input": {
                "name": "Chie Created", "email": "chie@example.com", "roleCode": "CSR",
                "managerId": app.manager.gid(), "site": "Tokyo", "market": "JP",
                "hiredOn": "2025-04-01", "salary": "420000", "currency": "JPY",
                "initialPassword": secret,
            }}),
            Some(&app.hr),
        )
        .await;
    let id = created["createEmployee"]["id"].as_str().unwrap().to_owned();
    app.data(
        "mutation($id: ID!) { updateEmployee(id: $id, input: { name: \"Chie Renamed\", site: \"Osaka\" }) { id } }",
        json!({ "id": id }),
        Some(&app.hr),
    )
    .await;

    // Assert
    let trail = events(&app, Some("employee"), None).await;
    assert_eq!(actions(&trail), vec!["UPDATE_EMPLOYEE", "CREATE_EMPLOYEE"]);
    let create = only(&trail, "CREATE_EMPLOYEE");
    assert_eq!(create["actor"]["id"], app.hr.gid());
    assert_eq!(create["subjectId"], id);
    let after = &details(create)["after"];
    assert_eq!(after["name"], "Chie Created");
    assert_eq!(after["email"], "chie@example.com");
    assert_eq!(after["salaryMinor"], 420_000);
    let update = only(&trail, "UPDATE_EMPLOYEE");
    assert_eq!(update["actor"]["id"], app.hr.gid());
    assert_eq!(update["subjectId"], id);
    let change = details(update);
    assert_eq!(change["before"]["name"], "Chie Created");
    assert_eq!(change["after"]["name"], "Chie Renamed");
    assert_eq!(change["before"]["site"], "Tokyo");
    assert_eq!(change["after"]["site"], "Osaka");
    for event in &trail {
        let text = event["details"].as_str().unwrap();
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains("$argon2"), "{text}");
    }
}

#[tokio::test]
async fn certifications_reviews_and_salary_bands_are_audited_with_their_actor() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act: the employee submits a belt, HR verifies it, the manager
    // records a review, HR moves the CSR band.
    let cert = app
        .data(
            "mutation($input: AddCertificationInput!) { addCertification(input: $input) { id status } }",
            json!({ "input": {
                "employeeId": app.employee.gid(), "kind": "SIX_SIGMA", "name": "Yellow Belt",
                "belt": "YELLOW", "issuedOn": "2025-05-01",
            }}),
            Some(&app.employee),
        )
        .await;
    let cert_id = cert["addCertification"]["id"].as_str().unwrap().to_owned();
    assert_eq!(cert["addCertification"]["status"], "PENDING");
    app.data(
        "mutation($id: ID!) { verifyCertification(id: $id, approve: true) { status } }",
        json!({ "id": cert_id }),
        Some(&app.hr),
    )
    .await;
    let review = app
        .data(
            "mutation($input: RecordReviewInput!) { recordReview(input: $input) { id } }",
            json!({ "input": {
                "employeeId": app.employee.gid(), "periodEnd": "2025-06-30", "rating": 4.0,
                "csat": 92.5,
            }}),
            Some(&app.manager),
        )
        .await;
    let review_id = review["recordReview"]["id"].as_str().unwrap().to_owned();
    app.data(
        "mutation { upsertSalaryBand(input: { roleCode: \"CSR\", market: \"JP\", currency: \"JPY\", \
         min: \"410000\", max: \"570000\" }) { id } }",
        json!({}),
        Some(&app.hr),
    )
    .await;

    // Assert
    let certs = events(&app, Some("certification"), None).await;
    assert_eq!(
        actions(&certs),
        vec!["VERIFY_CERTIFICATION", "ADD_CERTIFICATION"]
    );
    let added = only(&certs, "ADD_CERTIFICATION");
    assert_eq!(added["actor"]["id"], app.employee.gid());
    assert_eq!(added["subjectId"], cert_id);
    assert_eq!(details(added)["after"]["status"], "PENDING");
    assert_eq!(details(added)["after"]["belt"], "YELLOW");
    let verified = only(&certs, "VERIFY_CERTIFICATION");
    assert_eq!(verified["actor"]["id"], app.hr.gid());
    assert_eq!(details(verified)["before"]["status"], "PENDING");
    assert_eq!(details(verified)["after"]["status"], "VERIFIED");

    let reviews = events(&app, Some("performance_review"), None).await;
    let recorded = only(&reviews, "RECORD_REVIEW");
    assert_eq!(recorded["actor"]["id"], app.manager.gid());
    assert_eq!(recorded["subjectId"], review_id);
    let after = &details(recorded)["after"];
    assert_eq!(after["employeeId"], app.employee.id);
    assert_eq!(after["rating"], 4.0);
    assert_eq!(after["csat"], 92.5);

    let bands = events(&app, Some("salary_band"), None).await;
    let band = only(&bands, "UPSERT_SALARY_BAND");
    assert_eq!(band["actor"]["id"], app.hr.gid());
    let change = details(band);
    assert_eq!(change["before"]["minMinor"], 400_000);
    assert_eq!(change["before"]["maxMinor"], 560_000);
    assert_eq!(change["after"]["minMinor"], 410_000);
    assert_eq!(change["after"]["maxMinor"], 570_000);
    assert_eq!(change["after"]["midpointMinor"], 490_000);
}

#[tokio::test]
async fn audit_details_never_contain_a_password_a_hash_or_a_token() {
    // Arrange
    let app = TestApp::spawn().await;
    let initial = "first passphrase for Pia 2026";
    let changed = "second passphrase for Emi 2026";
    let wrong = "a wrong guess at the password";

    // Act: everything that touches a secret.
    let session = sign_in(&app, &app.employee, PASSWORD).await;
    app.login(&app.employee.email, wrong).await;
    app.data(
        "mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }",
        json!({ "input": {
            "name": "Pia Password", "email": "pia@example.com", "roleCode": "CSR",
            "site": "Tokyo", "market": "JP", "hiredOn": "2025-04-01", "salary": "420000",
            "currency": "JPY", "initialPassword": initial,
        }}),
        Some(&app.hr),
    )
    .await;
    app.data(
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
        json!({ "c": PASSWORD, "n": changed }),
        Some(&session),
    )
    .await;
    let again = sign_in(&app, &app.employee, changed).await;
    app.data("mutation { logout }", json!({}), Some(&again))
        .await;

    // Assert
    let trail = events(&app, None, None).await;
    assert!(trail.len() >= 6, "{trail:#?}");
    for event in &trail {
        let text = event["details"].as_str().unwrap();
        for secret in [
            PASSWORD,
            initial,
            changed,
            wrong,
            "$argon2",
            session.token.as_str(),
            again.token.as_str(),
        ] {
            assert!(
                !text.contains(secret),
                "{} leaks {secret:?}: {text}",
                event["action"]
            );
        }
        assert!(!text.to_lowercase().contains("hash"), "{text}");
    }
    assert!(actions(&trail).contains(&"CHANGE_PASSWORD"));
}

#[tokio::test]
async fn audit_events_filter_by_entity_and_actor_newest_first() {
    // Arrange: events by three actors on three kinds of entity.
    let app = TestApp::spawn().await;
    sign_in(&app, &app.employee, PASSWORD).await;
    app.data(
        "mutation($id: ID!) { updateEmployee(id: $id, input: { site: \"Sapporo\" }) { id } }",
        json!({ "id": app.employee.gid() }),
        Some(&app.hr),
    )
    .await;
    app.data(
        "mutation($input: RecordReviewInput!) { recordReview(input: $input) { id } }",
        json!({ "input": { "employeeId": app.employee.gid(), "periodEnd": "2025-06-30", "rating": 3.5 } }),
        Some(&app.manager),
    )
    .await;
    app.data(
        "mutation($id: ID!) { updateEmployee(id: $id, input: { site: \"Fukuoka\" }) { id } }",
        json!({ "id": app.outsider.gid() }),
        Some(&app.hr),
    )
    .await;

    // Act
    let everything = events(&app, None, None).await;
    let employees = events(&app, Some("employee"), None).await;
    let by_hr = events(&app, None, Some(&app.hr)).await;
    let by_manager = events(&app, None, Some(&app.manager)).await;
    let manager_on_employees = events(&app, Some("employee"), Some(&app.manager)).await;

    // Assert
    assert_eq!(
        actions(&everything),
        vec![
            "UPDATE_EMPLOYEE",
            "RECORD_REVIEW",
            "UPDATE_EMPLOYEE",
            "LOGIN"
        ]
    );
    let ids: Vec<i64> = everything
        .iter()
        .map(|e| row_id(e["id"].as_str().unwrap()))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let times: Vec<chrono::DateTime<chrono::Utc>> = everything
        .iter()
        .map(|e| e["at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    assert_eq!(
        employees
            .iter()
            .map(|e| e["subjectId"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec![app.outsider.gid(), app.employee.gid()]
    );
    assert!(employees.iter().all(|e| e["entity"] == "employee"));
    assert_eq!(actions(&by_hr), vec!["UPDATE_EMPLOYEE", "UPDATE_EMPLOYEE"]);
    assert!(by_hr.iter().all(|e| e["actor"]["id"] == app.hr.gid()));
    assert_eq!(actions(&by_manager), vec!["RECORD_REVIEW"]);
    assert!(manager_on_employees.is_empty());
}

#[tokio::test]
async fn audit_events_page_with_first_and_after_without_gaps_or_overlap() {
    // Arrange: five sign-ins.
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        sign_in(&app, &app.employee, PASSWORD).await;
    }
    let all: Vec<String> = events(&app, None, None)
        .await
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all.len(), 5);
    let page = |after: Option<String>| {
        let app = &app;
        async move {
            app.data(EVENTS, json!({ "first": 2, "after": after }), Some(&app.hr))
                .await["auditEvents"]
                .clone()
        }
    };

    // Act
    let first = page(None).await;
    let second = page(first["pageInfo"]["endCursor"].as_str().map(String::from)).await;
    let third = page(second["pageInfo"]["endCursor"].as_str().map(String::from)).await;

    // Assert
    let node_ids = |p: &Value| -> Vec<String> {
        p["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(node_ids(&first), all[0..2]);
    assert_eq!(node_ids(&second), all[2..4]);
    assert_eq!(node_ids(&third), all[4..5]);
    for (p, has_next, has_previous) in [
        (&first, true, false),
        (&second, true, true),
        (&third, false, true),
    ] {
        assert_eq!(p["totalCount"], 5);
        assert_eq!(p["pageInfo"]["hasNextPage"], has_next, "{p}");
        assert_eq!(p["pageInfo"]["hasPreviousPage"], has_previous, "{p}");
    }
}

#[tokio::test]
async fn employees_and_managers_may_not_read_the_audit_log() {
    // Arrange
    let app = TestApp::spawn().await;
    sign_in(&app, &app.employee, PASSWORD).await;

    // Act
    let employee = app.gql(EVENTS, json!({}), Some(&app.employee)).await;
    let manager = app.gql(EVENTS, json!({}), Some(&app.manager)).await;
    let anonymous = app.gql(EVENTS, json!({}), None).await;
    let admin = app.gql(EVENTS, json!({}), Some(&app.admin)).await;

    // Assert
    assert_eq!(error_code(&employee), "FORBIDDEN");
    assert!(employee["data"].is_null(), "{employee}");
    assert_eq!(error_code(&manager), "FORBIDDEN");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    assert!(admin.get("errors").is_none(), "{admin}");
    assert_eq!(admin["data"]["auditEvents"]["totalCount"], 1);
}

#[tokio::test]
async fn the_database_itself_refuses_to_update_or_delete_audit_events() {
    // Arrange: one event on record.
    let app = TestApp::spawn().await;
    sign_in(&app, &app.employee, PASSWORD).await;
    let before = events(&app, None, None).await;
    assert_eq!(before.len(), 1);
    let id = row_id(before[0]["id"].as_str().unwrap());
    let mut tampering = vec![
        format!("UPDATE audit_event SET action = 'TAMPERED' WHERE id = {id}"),
        "UPDATE audit_event SET details = '{}', actor_id = NULL".to_owned(),
        format!("DELETE FROM audit_event WHERE id = {id}"),
        "DELETE FROM audit_event".to_owned(),
    ];
    if app.db.backend() == DatabaseBackend::Postgres {
        tampering.push("TRUNCATE audit_event".to_owned());
    }

    // Act
    let mut outcomes = Vec::new();
    for sql in &tampering {
        outcomes.push((sql, app.db.conn.execute_unprepared(sql).await));
    }

    // Assert
    for (sql, outcome) in &outcomes {
        let err = match outcome {
            Ok(result) => panic!(
                "{sql} was allowed ({} rows affected)",
                result.rows_affected()
            ),
            Err(err) => err.to_string(),
        };
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(app.count("audit_event").await, 1);
    assert_eq!(
        events(&app, None, None).await,
        before,
        "the event is unchanged"
    );
}
