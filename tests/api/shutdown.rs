//! Graceful shutdown: on SIGTERM the server stops accepting, finishes the
//! requests in flight, closes the pool and exits 0.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{free_port, TestApp};

#[tokio::test]
async fn sigterm_finishes_in_flight_requests_then_exits_cleanly() {
    // The database and a user come from the usual harness; a synthetic
    // organisation makes the dashboard take a while.
    let app = TestApp::spawn().await;
    rungs::seed::seed(&app.db, 5_000, 1, chrono::Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();
    let mut server = app.server_process().await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    // A cold dashboard over 5,000 people takes a while: it is in flight
    // when the signal arrives.
    let in_flight = {
        let client = client.clone();
        let url = format!("{base}/graphql");
        let token = app.hr.token.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let answer = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": "{ dashboard(asOf: \"2026-06-30\") { eligibility(groupBy: SITE) { key total } promotionVelocity { roleCode } } }" }))
                .send()
                .await;
            (answer, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(30)).await;
    let signalled = Instant::now();
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    let (answer, took) = in_flight.await.unwrap();
    let body: serde_json::Value = answer
        .expect("the in-flight request is answered")
        .json()
        .await
        .unwrap();
    assert!(
        body["data"]["dashboard"]["eligibility"].is_array(),
        "{body}"
    );
    assert!(
        took > Duration::from_millis(30),
        "the request was still running at the signal ({took:?})"
    );
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "did not exit in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status:?}");
    let refused = client.get(format!("{base}/healthz")).send().await;
    assert!(refused.is_err(), "no longer accepting connections");
}

#[tokio::test]
async fn while_draining_readyz_answers_503_and_requests_are_still_served() {
    let app = TestApp::spawn().await;
    let mut server = app
        .server_process_with(free_port(), &[("RUNGS_DRAIN_MS", "1500")])
        .await;
    let client = reqwest::Client::new();
    let readyz = format!("{}/readyz", server.base);
    assert_eq!(client.get(&readyz).send().await.unwrap().status(), 200);
    let signalled = Instant::now();
    // SAFETY: sending a signal to our own child process.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    // A load balancer's health check sees the instance leave ...
    let start = Instant::now();
    loop {
        let status = client.get(&readyz).send().await.unwrap().status();
        if status == 503 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "readyz still {status}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // ... while what still arrives is answered.
    let body: serde_json::Value = client
        .post(format!("{}/graphql", server.base))
        .bearer_auth(&app.employee.token)
        .json(&json!({ "query": "{ me { name } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["me"]["name"], "Emi Employee", "{body}");
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "still running"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    assert!(
        signalled.elapsed() >= Duration::from_millis(1500),
        "stopped before the drain ended"
    );
}
