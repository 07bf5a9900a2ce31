//! What each instance keeps for queries (issue 15): employees' facts, rows
//! and certificates. A review, certificate, nomination or change to an
//! employee written anywhere (this instance, another one, a DBA's script)
//! shows in every instance's answers at once.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{json, Value};

use crate::helpers::TestApp;

const ME: &str = "{ me { progression { rating options { targetRole { code } status } } } }";

fn rating(body: &Value) -> Option<f64> {
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["me"]["progression"]["rating"].as_f64()
}

/// Asks `base` until the rating is `expected` (at most 2 s) and returns how
/// long that took.
async fn until(app: &TestApp, base: &str, expected: f64) -> Duration {
    let start = Instant::now();
    loop {
        let body = app
            .gql_at(base, ME, json!({}), Some(&app.employee.token))
            .await;
        if rating(&body) == Some(expected) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "still answered {body} after 2 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Two reads on `base` (the second one answered from kept facts where they
/// are kept); both must give `expected`.
async fn read_twice(app: &TestApp, base: &str, expected: Option<f64>) {
    for _ in 0..2 {
        let body = app
            .gql_at(base, ME, json!({}), Some(&app.employee.token))
            .await;
        assert_eq!(rating(&body), expected, "{body}");
    }
}

#[tokio::test]
async fn a_review_written_anywhere_shows_in_every_instances_progression_at_once() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    if app.db.backend() == DatabaseBackend::Postgres {
        app.wait_listening().await;
    } else {
        assert!(!app.db.facts.is_live(), "SQLite has no notification");
    }
    read_twice(&app, &app.address, None).await;
    read_twice(&app, &other, None).await;

    // Through the API on this instance: its next read shows the review,
    // without waiting for anything.
    app.data(
        "mutation($input: RecordReviewInput!) { recordReview(input: $input) { id } }",
        json!({ "input": {
            "employeeId": app.employee.gid(), "periodEnd": "2026-06-30", "rating": 4.0,
        }}),
        Some(&app.manager),
    )
    .await;
    read_twice(&app, &app.address, Some(4.0)).await;
    let took = until(&app, &other, 4.0).await;
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // Behind the API's back: both instances see it.
    let conn = &app.db.conn;
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        format!(
            "INSERT INTO performance_review (employee_id, period_end, rating, created_at) \
             VALUES ({}, '2026-09-30', 2.0, CURRENT_TIMESTAMP)",
            app.employee.id
        ),
    ))
    .await
    .unwrap();
    for base in [other.as_str(), app.address.as_str()] {
        let took = until(&app, base, 3.0).await;
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }
    read_twice(&app, &other, Some(3.0)).await;
}

#[tokio::test]
async fn on_postgresql_a_second_me_progression_costs_no_statement_and_a_write_is_still_seen() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return;
    }
    let server = app.server_process().await;
    let token = app.employee.token.clone();
    let ask = || async {
        let body = app.gql_at(&server.base, ME, json!({}), Some(&token)).await;
        rating(&body)
    };
    // Once the process's listener has subscribed, a read kept by the one
    // before it costs no statement (token and facts both kept).
    let start = Instant::now();
    loop {
        ask().await;
        let before = app.statements_at(&server.base).await;
        assert_eq!(ask().await, None);
        if app.statements_at(&server.base).await == before {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a second me {{ progression }} still costs statements after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A write behind the process's back still shows.
    let conn = &app.db.conn;
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        format!(
            "INSERT INTO performance_review (employee_id, period_end, rating, created_at) \
             VALUES ({}, '2026-09-30', 5.0, CURRENT_TIMESTAMP)",
            app.employee.id
        ),
    ))
    .await
    .unwrap();
    let took = until(&app, &server.base, 5.0).await;
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

const ROW: &str =
    "query($id: ID!) { employee(id: $id) { name site certifications { name status } } }";

/// Asks `base` as HR for the employee until `check` holds (at most 2 s)
/// and returns how long that took.
async fn until_row(app: &TestApp, base: &str, check: impl Fn(&Value) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let body = app
            .gql_at(
                base,
                ROW,
                json!({ "id": app.employee.gid() }),
                Some(&app.hr.token),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        if check(&body["data"]["employee"]) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "still answered {body} after 2 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn certificate_names(employee: &Value) -> Vec<String> {
    employee["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_employees_row_and_certificates_changed_anywhere_show_in_every_instance_at_once() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    if app.db.backend() == DatabaseBackend::Postgres {
        app.wait_listening().await;
    } else {
        assert!(
            !app.db.kept_employees.is_live(),
            "SQLite has no notification"
        );
    }
    // Read twice on each instance: the second read is answered from what
    // the instance keeps, where it keeps rows.
    for base in [app.address.as_str(), other.as_str()] {
        for _ in 0..2 {
            until_row(&app, base, |e| e["site"] != "Sapporo").await;
        }
    }

    // Through the API on this instance: its very next read shows both.
    app.data(
        "mutation($id: ID!) { updateEmployee(id: $id, input: { site: \"Sapporo\" }) { id } }",
        json!({ "id": app.employee.gid() }),
        Some(&app.hr),
    )
    .await;
    app.data(
        "mutation($input: AddCertificationInput!) { addCertification(input: $input) { id } }",
        json!({ "input": {
            "employeeId": app.employee.gid(), "kind": "SIX_SIGMA", "name": "Kept Yellow",
            "belt": "YELLOW", "issuedOn": "2025-05-01",
        }}),
        Some(&app.hr),
    )
    .await;
    let body = app
        .gql_at(
            &app.address,
            ROW,
            json!({ "id": app.employee.gid() }),
            Some(&app.hr.token),
        )
        .await;
    assert_eq!(body["data"]["employee"]["site"], "Sapporo", "{body}");
    assert!(certificate_names(&body["data"]["employee"]).contains(&"Kept Yellow".to_owned()));
    let took = until_row(&app, &other, |e| {
        e["site"] == "Sapporo" && certificate_names(e).contains(&"Kept Yellow".to_owned())
    })
    .await;
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // Behind the API's back: both instances see it.
    let conn = &app.db.conn;
    for sql in [
        format!("UPDATE employee SET name = 'Renamed Behind' WHERE id = {}", app.employee.id),
        format!(
            "INSERT INTO certification (employee_id, kind, name, issued_on, status, created_at) \
             VALUES ({}, 'LEADERSHIP_TRAINING', 'Behind Course', '2025-06-01', 'VERIFIED', CURRENT_TIMESTAMP)",
            app.employee.id
        ),
    ] {
        conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await
            .unwrap();
    }
    for base in [other.as_str(), app.address.as_str()] {
        let took = until_row(&app, base, |e| {
            e["name"] == "Renamed Behind"
                && certificate_names(e).contains(&"Behind Course".to_owned())
        })
        .await;
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }
}

const RECORD: &str = "query($id: ID!) { employee(id: $id) { name site certifications { name } \
    progression { rating options { status } } } }";

/// The least number of statements that reading `who`'s record as HR on
/// `base` cost over three reads (the process's background sweep may add
/// statements to one), and the last answer.
async fn least_statements(app: &TestApp, base: &str, who: &str) -> (u64, Value) {
    let mut least = u64::MAX;
    let mut last = Value::Null;
    for _ in 0..3 {
        let before = app.statements_at(base).await;
        last = app
            .gql_at(base, RECORD, json!({ "id": who }), Some(&app.hr.token))
            .await;
        assert!(last.get("errors").is_none(), "{last}");
        least = least.min(app.statements_at(base).await - before);
    }
    (least, last)
}

/// What one read of `who`'s record as HR on `base` cost, and its answer.
async fn one_read(app: &TestApp, base: &str, who: &str) -> (u64, Value) {
    let before = app.statements_at(base).await;
    let read = app
        .gql_at(base, RECORD, json!({ "id": who }), Some(&app.hr.token))
        .await;
    assert!(read.get("errors").is_none(), "{read}");
    (app.statements_at(base).await - before, read)
}

/// Reads `who` on `base` until a read costs no statement (at most 5 s).
async fn until_kept(app: &TestApp, base: &str, who: &str) {
    let start = Instant::now();
    while least_statements(app, base, who).await.0 > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "reading {who} still costs statements after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn on_postgresql_a_change_to_one_person_leaves_everyone_elses_kept_records_kept() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return;
    }
    let server = app.server_process().await;
    let (kept, changed) = (app.outsider.gid(), app.employee.gid());
    until_kept(&app, &server.base, &kept).await;
    until_kept(&app, &server.base, &changed).await;

    // A mutation on this process, about someone else: its client reads
    // what it wrote at once, and the other person's records stay kept: the
    // first read after it costs no statement (the least of three rounds,
    // as the process's background sweep may add statements to one).
    let mut least = u64::MAX;
    for site in ["Naha", "Kobe", "Nara"] {
        let body = app
            .gql_at(
                &server.base,
                "mutation($id: ID!, $site: String!) { updateEmployee(id: $id, input: { site: $site }) { id } }",
                json!({ "id": changed, "site": site }),
                Some(&app.hr.token),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        least = least.min(one_read(&app, &server.base, &kept).await.0);
        let (_, read) = one_read(&app, &server.base, &changed).await;
        assert_eq!(read["data"]["employee"]["site"], site, "{read}");
    }
    assert_eq!(least, 0, "a change to someone else emptied what was kept");

    // Behind the API's back: a certificate for one person.
    let conn = &app.db.conn;
    for sql in [format!(
            "INSERT INTO certification (employee_id, kind, name, issued_on, status, created_at) \
             VALUES ({}, 'LEADERSHIP_TRAINING', 'Per Person', '2025-06-01', 'VERIFIED', CURRENT_TIMESTAMP)",
            app.employee.id
    )] {
        conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await
            .unwrap();
    }
    let start = Instant::now();
    loop {
        let (_, read) = least_statements(&app, &server.base, &changed).await;
        let employee = &read["data"]["employee"];
        if certificate_names(employee).contains(&"Per Person".to_owned()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "not seen after 2 s: {read}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(least_statements(&app, &server.base, &kept).await.0, 0);
}

#[tokio::test]
async fn with_keep_organisation_a_first_read_of_anyone_costs_no_statement_and_changes_show() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return;
    }
    let server = app
        .server_process_with(
            crate::helpers::free_port(),
            &[("RUNGS_KEEP_ORGANISATION", "true")],
        )
        .await;
    // The organisation was read when the process started listening: once
    // one person's first read is free, so is everyone's.
    until_kept(&app, &server.base, &app.outsider.gid()).await;
    let mut least = u64::MAX;
    for who in [&app.top, &app.manager, &app.other_manager] {
        least = least.min(one_read(&app, &server.base, &who.gid()).await.0);
    }
    assert_eq!(least, 0, "first reads cost statements");

    let conn = &app.db.conn;
    conn.execute_raw(Statement::from_string(
        conn.get_database_backend(),
        format!(
            "UPDATE employee SET name = 'Kept Renamed' WHERE id = {}",
            app.top.id
        ),
    ))
    .await
    .unwrap();
    let start = Instant::now();
    loop {
        let (_, read) = one_read(&app, &server.base, &app.top.gid()).await;
        if read["data"]["employee"]["name"] == "Kept Renamed" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "not seen after 1 s: {read}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        least_statements(&app, &server.base, &app.outsider.gid())
            .await
            .0,
        0
    );
    assert_eq!(
        least_statements(&app, &server.base, &app.employee.gid())
            .await
            .0,
        0
    );
}
