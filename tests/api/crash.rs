//! Crash safety on SQLite: `kill -9` the server while it commits a stream of
//! promotions and certificate writes, restart it, and check that every
//! acknowledged write is there, no promotion is half applied, and the file
//! passes `PRAGMA integrity_check` (WAL with synchronous = FULL).

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::{row_id, TestApp};

async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Option<Value> {
    let response = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .ok()?;
    response.json().await.ok()
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_and_no_promotion_is_half_applied() {
    let app = TestApp::spawn().await;
    if !app.database_url.starts_with("sqlite") {
        return; // the crash semantics under test are SQLite's own
    }
    // Arrange: open nominations for a batch of eligible CSRs.
    let mut nominations = Vec::new();
    for i in 0..30 {
        let who = app
            .eligible_csr(&format!("Crash Candidate {i}"), app.manager.id)
            .await;
        let id = app.nominate(&app.manager, &who).await;
        nominations.push((who, id));
    }
    let mut server = app.server_process().await;
    let (port, base) = (server.port, server.base.clone());
    let client = reqwest::Client::new();

    // Act: a stream of approvals and certificate writes; kill -9 mid-stream.
    let writer = {
        let client = client.clone();
        let base = base.clone();
        let token = app.hr.token.clone();
        let nominations = nominations.clone();
        tokio::spawn(async move {
            let mut approved = Vec::new();
            let mut certified = Vec::new();
            for (who, id) in nominations {
                let cert = post(&client, &base, &token, "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: SIX_SIGMA, belt: GREEN, name: \"Green Belt\", issuedOn: \"2025-05-01\"}) { id } }", json!({ "id": who.gid() })).await;
                match cert.and_then(|b| {
                    b["data"]["addCertification"]["id"]
                        .as_str()
                        .map(str::to_owned)
                }) {
                    Some(cert_id) => certified.push(cert_id),
                    None => break,
                }
                let done = post(&client, &base, &token, "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { status } }", json!({ "id": id })).await;
                match done {
                    Some(b) if b["data"]["approveNomination"]["status"] == "APPROVED" => {
                        approved.push(id)
                    }
                    _ => break,
                }
            }
            (approved, certified)
        })
    };
    tokio::time::sleep(Duration::from_millis(120)).await;
    server.child.kill().expect("SIGKILL to the server");
    let _ = server.child.wait();
    drop(server);
    let (approved, certified) = writer.await.unwrap();
    eprintln!(
        "acknowledged before the kill: {} approvals, {} certificates of {}",
        approved.len(),
        certified.len(),
        nominations.len()
    );

    // Restart on the same file: it must open, recover the WAL and answer.
    let server = app.server_process_on(port).await;
    let conn = &app.db.conn;
    let one = |sql: String| Statement::from_string(app.db.backend(), sql);
    let check = conn
        .query_one_raw(one("PRAGMA integrity_check".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    for id in &approved {
        let row = conn
            .query_one_raw(one(format!(
                "SELECT status FROM nomination WHERE id = {}",
                row_id(id)
            )))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get::<String>("", "status").unwrap(),
            "APPROVED",
            "acknowledged approval {id} lost"
        );
    }
    for id in &certified {
        let found = conn
            .query_one_raw(one(format!(
                "SELECT id FROM certification WHERE id = {}",
                row_id(id)
            )))
            .await
            .unwrap();
        assert!(found.is_some(), "acknowledged certificate {id} lost");
    }
    // No half-applied promotion: approved ⇔ Team Lead with a new open
    // history row and a PROMOTE audit event; pending ⇔ still CSR.
    for (who, id) in &nominations {
        let state = conn
            .query_one_raw(one(format!(
                "SELECT n.status, r.code, \
                   (SELECT COUNT(*) FROM role_assignment a WHERE a.employee_id = e.id AND a.ended_on IS NULL) AS open_rows, \
                   (SELECT COUNT(*) FROM role_assignment a WHERE a.employee_id = e.id) AS rows_total, \
                   (SELECT COUNT(*) FROM audit_event x WHERE x.action = 'PROMOTE' AND x.entity_id = CAST(e.id AS TEXT)) AS promotes \
                 FROM nomination n JOIN employee e ON e.id = n.nominee_id JOIN job_role r ON r.id = e.job_role_id WHERE n.id = {}",
                row_id(id)
            )))
            .await
            .unwrap()
            .unwrap();
        let status: String = state.try_get("", "status").unwrap();
        let code: String = state.try_get("", "code").unwrap();
        let open_rows: i64 = state.try_get("", "open_rows").unwrap();
        let rows_total: i64 = state.try_get("", "rows_total").unwrap();
        let promotes: i64 = state.try_get("", "promotes").unwrap();
        assert_eq!(
            open_rows, 1,
            "{} has {open_rows} open history rows",
            who.email
        );
        match status.as_str() {
            "APPROVED" => assert_eq!((code.as_str(), rows_total, promotes), ("TEAM_LEAD", 2, 1)),
            "PENDING" => assert_eq!((code.as_str(), rows_total, promotes), ("CSR", 1, 0)),
            other => panic!("unexpected status {other}"),
        }
    }
    let alive = post(&client, &base, &app.hr.token, "{ me { name } }", json!({}))
        .await
        .unwrap();
    assert_eq!(alive["data"]["me"]["name"], "Hana HR");
    drop(server);
}
