//! Live events across instances (issue 17): on PostgreSQL a decision made
//! through one instance reaches subscribers connected to any other, and a
//! listener cut off from the database catches up from the audit log when
//! it reconnects. On SQLite (one process) the bus stays in-process.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{json, Value};

use crate::helpers::{ws_receive, ws_subscribe, Socket, TestApp, User};

const SUBSCRIPTION: &str = "subscription { nominationChanged { id status } }";

/// A `nominationChanged` subscriber on the server at `app`'s address,
/// registered before it returns.
async fn subscribe(app: &TestApp, user: &User) -> Socket {
    ws_subscribe(app, user, "n", SUBSCRIPTION).await
}

/// The next event: (nomination id, status).
async fn event(socket: &mut Socket) -> (String, String) {
    loop {
        let message = ws_receive(socket).await;
        if message["id"] != "n" {
            continue;
        }
        assert_eq!(message["type"], "next", "{message}");
        let n = &message["payload"]["data"]["nominationChanged"];
        return (
            n["id"].as_str().unwrap().to_owned(),
            n["status"].as_str().unwrap().to_owned(),
        );
    }
}

async fn nominate_at(app: &TestApp, base: &str, by: &User, nominee: &User) -> String {
    let body = app
        .gql_at(
            base,
            "mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"ready\"}) { id } }",
            json!({ "id": nominee.gid() }),
            Some(&by.token),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["nominate"]["id"].as_str().unwrap().to_owned()
}

async fn approve_at(app: &TestApp, base: &str, id: &str) -> Value {
    let body = app
        .gql_at(
            base,
            "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 20) { id status } }",
            json!({ "id": id }),
            Some(&app.hr.token),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    body
}

#[tokio::test]
async fn a_decision_made_through_one_instance_reaches_a_subscriber_on_another_within_a_second() {
    let app = TestApp::spawn().await;
    let other = app.second_instance().await;
    let nominee = app.eligible_csr("Aoi Across", app.manager.id).await;
    let mut on_first = subscribe(&app, &app.hr).await;
    if app.db.backend() != DatabaseBackend::Postgres {
        // SQLite: one process, one bus; a decision made here is heard here.
        let id = nominate_at(&app, &app.address, &app.manager, &nominee).await;
        assert_eq!(event(&mut on_first).await, (id, "PENDING".into()));
        return;
    }
    app.wait_listening().await;
    let started = Instant::now();
    let id = nominate_at(&app, &other, &app.manager, &nominee).await;
    assert_eq!(event(&mut on_first).await, (id.clone(), "PENDING".into()));
    approve_at(&app, &other, &id).await;
    assert_eq!(event(&mut on_first).await, (id, "APPROVED".into()));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[tokio::test]
async fn a_listener_cut_off_while_decisions_are_made_misses_none() {
    let app = TestApp::spawn().await;
    if app.db.backend() != DatabaseBackend::Postgres {
        return; // no listener on SQLite
    }
    let other = app.second_instance().await;
    let mut nominees = Vec::new();
    for i in 0..7 {
        nominees.push(
            app.eligible_csr(&format!("Ren Cut {i}"), app.manager.id)
                .await,
        );
    }
    app.wait_listening().await;
    let mut socket = subscribe(&app, &app.hr).await;
    let mut expected = BTreeSet::new();
    let last = nominees.pop().unwrap();
    for (i, nominee) in nominees.iter().enumerate() {
        if i % 2 == 0 {
            // Cut both instances' listeners (on this test's database) off.
            app.db
                .conn
                .execute_raw(Statement::from_string(
                    DatabaseBackend::Postgres,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE application_name = 'rungs-listener' AND datname = current_database()",
                ))
                .await
                .unwrap();
        }
        let id = nominate_at(&app, &other, &app.manager, nominee).await;
        expected.insert((id.clone(), "PENDING".to_owned()));
        if i % 3 == 0 {
            approve_at(&app, &other, &id).await;
            expected.insert((id, "APPROVED".to_owned()));
        }
    }
    let mut heard = BTreeSet::new();
    while heard.len() < expected.len() {
        heard.insert(event(&mut socket).await);
    }
    assert_eq!(heard, expected);
    // And nothing twice: the next event is a new decision's.
    let id = nominate_at(&app, &other, &app.manager, &last).await;
    assert_eq!(event(&mut socket).await, (id, "PENDING".into()));
}
