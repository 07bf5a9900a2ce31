//! Pay changes without a promotion, and the pay history (issue 20): a
//! manager proposes for their chain inside the band, HR decides, the pay
//! changes in the same transaction, and every change — promotions
//! included — is a row of `payHistory`.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{error_code, Person, TestApp, User};

const PROPOSE: &str = "mutation($input: PayChangeInput!) { proposePayChange(input: $input) { \
    id reason status before { amount currency } after { amount currency } effectiveOn \
    proposedBy { id } decidedBy { id } note overrideReason employee { id } } }";

const DECIDE: &str = "mutation($id: ID!, $approve: Boolean!, $note: String) { \
    decidePayChange(id: $id, approve: $approve, note: $note) { id status decidedBy { id } note } }";

const HISTORY: &str = "query($id: ID!) { employee(id: $id) { salary { amount } compaRatio \
    payHistory { id reason status before { amount } after { amount } proposedBy { id } decidedBy { id } } } }";

/// The CSR band in JP: (min, max) in yen.
async fn csr_band(app: &TestApp) -> (i64, i64) {
    let bands = app
        .data(
            "{ salaryBands { role { code } market min { amount } max { amount } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let band = bands["salaryBands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["role"]["code"] == "CSR" && b["market"] == "JP")
        .expect("a CSR band in JP")
        .clone();
    let yen = |v: &Value| v["amount"].as_str().unwrap().parse::<i64>().unwrap();
    (yen(&band["min"]), yen(&band["max"]))
}

async fn report(app: &TestApp, name: &str, salary: i64) -> User {
    app.person(Person {
        name: name.into(),
        manager: Some(app.manager.id),
        salary,
        ..Default::default()
    })
    .await
}

fn input(who: &User, salary: i64, extra: Value) -> Value {
    let mut input = json!({
        "employeeId": who.gid(),
        "reason": "MERIT",
        "newSalary": salary.to_string(),
        "note": "led the Q3 quality drive",
    });
    if let (Some(map), Some(more)) = (input.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    json!({ "input": input })
}

#[tokio::test]
async fn a_manager_proposes_a_merit_raise_hr_approves_and_the_pay_and_history_change() {
    // Arrange
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let start = min + (max - min) / 4;
    let raised = min + (max - min) / 2;
    let csr = report(&app, "Mina Merit", start).await;

    // Act
    let proposed = app
        .data(PROPOSE, input(&csr, raised, json!({})), Some(&app.manager))
        .await["proposePayChange"]
        .clone();
    let before_decision = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&csr))
        .await;
    let decided = app
        .data(
            DECIDE,
            json!({ "id": proposed["id"], "approve": true }),
            Some(&app.hr),
        )
        .await["decidePayChange"]
        .clone();
    let after = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&csr))
        .await;

    // Assert
    assert_eq!(proposed["status"], "PROPOSED");
    assert_eq!(proposed["before"]["amount"], start.to_string());
    assert_eq!(
        proposed["after"],
        json!({ "amount": raised.to_string(), "currency": "JPY" })
    );
    assert_eq!(proposed["proposedBy"]["id"], app.manager.gid());
    assert_eq!(
        before_decision["employee"]["salary"]["amount"],
        start.to_string(),
        "a proposal changes no pay"
    );
    assert_eq!(decided["status"], "APPROVED");
    assert_eq!(decided["decidedBy"]["id"], app.hr.gid());
    assert_eq!(after["employee"]["salary"]["amount"], raised.to_string());
    let history = after["employee"]["payHistory"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["reason"], "MERIT");
    assert_eq!(history[0]["before"]["amount"], start.to_string());
    assert_eq!(history[0]["after"]["amount"], raised.to_string());
    assert!(
        after["employee"]["compaRatio"].as_f64()
            > before_decision["employee"]["compaRatio"].as_f64(),
        "the compa-ratio follows the new pay"
    );
    let audit = app
        .data(
            "{ auditEvents(first: 20) { nodes { action } } }",
            json!({}),
            Some(&app.admin),
        )
        .await;
    let actions: Vec<&str> = audit["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["PROPOSE_PAY_CHANGE", "APPROVE_PAY_CHANGE", "CHANGE_PAY"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn pay_outside_the_band_needs_hr_and_a_reason() {
    // Arrange
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let csr = report(&app, "Omar Outside", min).await;
    let above = max + 10_000;

    // Act
    let by_manager = app
        .gql(PROPOSE, input(&csr, above, json!({})), Some(&app.manager))
        .await;
    let manager_override = app
        .gql(
            PROPOSE,
            input(&csr, above, json!({ "overrideReason": "retention" })),
            Some(&app.manager),
        )
        .await;
    let hr_without_reason = app
        .gql(PROPOSE, input(&csr, above, json!({})), Some(&app.hr))
        .await;
    let hr_with_reason = app
        .data(
            PROPOSE,
            input(
                &csr,
                above,
                json!({ "reason": "MARKET_ADJUSTMENT", "overrideReason": "the Tokyo market moved" }),
            ),
            Some(&app.hr),
        )
        .await;

    // Assert
    assert_eq!(error_code(&by_manager), "BAD_USER_INPUT", "{by_manager}");
    assert!(by_manager["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("outside the band"));
    assert_eq!(error_code(&manager_override), "FORBIDDEN");
    assert_eq!(error_code(&hr_without_reason), "BAD_USER_INPUT");
    let row = &hr_with_reason["proposePayChange"];
    assert_eq!(row["overrideReason"], "the Tokyo market moved");
    assert_eq!(row["reason"], "MARKET_ADJUSTMENT");
}

#[tokio::test]
async fn nobody_proposes_their_own_pay_or_outside_their_chain_and_hr_never_decides_their_own_proposal(
) {
    // Arrange
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let mid = (min + max) / 2;
    let csr = report(&app, "Sam Self", min).await;

    // Act
    let own = app
        .gql(
            PROPOSE,
            input(&app.manager, mid, json!({})),
            Some(&app.manager),
        )
        .await;
    let peer = app
        .gql(
            PROPOSE,
            input(&csr, mid, json!({})),
            Some(&app.other_manager),
        )
        .await;
    let by_employee = app
        .gql(PROPOSE, input(&csr, mid, json!({})), Some(&app.employee))
        .await;
    let by_hr = app
        .data(PROPOSE, input(&csr, mid, json!({})), Some(&app.hr))
        .await;
    let id = by_hr["proposePayChange"]["id"].clone();
    let second = app
        .gql(
            PROPOSE,
            input(&csr, mid + 1000, json!({})),
            Some(&app.manager),
        )
        .await;
    let own_decision = app
        .gql(DECIDE, json!({ "id": id, "approve": true }), Some(&app.hr))
        .await;
    let manager_decision = app
        .gql(
            DECIDE,
            json!({ "id": id, "approve": true }),
            Some(&app.manager),
        )
        .await;
    let reject_without_note = app
        .gql(
            DECIDE,
            json!({ "id": id, "approve": false }),
            Some(&app.admin),
        )
        .await;
    let rejected = app
        .data(
            DECIDE,
            json!({ "id": id, "approve": false, "note": "after the review cycle" }),
            Some(&app.admin),
        )
        .await;
    let again = app
        .gql(
            DECIDE,
            json!({ "id": id, "approve": true }),
            Some(&app.admin),
        )
        .await;
    let history = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&app.hr))
        .await;

    // Assert
    assert_eq!(error_code(&own), "FORBIDDEN", "{own}");
    assert_eq!(error_code(&peer), "FORBIDDEN", "{peer}");
    assert_eq!(error_code(&by_employee), "FORBIDDEN", "{by_employee}");
    assert_eq!(error_code(&second), "CONFLICT", "one open change: {second}");
    assert_eq!(error_code(&own_decision), "FORBIDDEN", "{own_decision}");
    assert_eq!(error_code(&manager_decision), "FORBIDDEN");
    assert_eq!(error_code(&reject_without_note), "BAD_USER_INPUT");
    assert_eq!(rejected["decidePayChange"]["status"], "REJECTED");
    assert!(rejected["decidePayChange"]["note"]
        .as_str()
        .unwrap()
        .contains("after the review cycle"));
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
    assert_eq!(
        history["employee"]["salary"]["amount"],
        min.to_string(),
        "nothing refused or rejected changed the pay"
    );
    assert_eq!(history["employee"]["payHistory"][0]["status"], "REJECTED");
}

#[tokio::test]
async fn simultaneous_decisions_apply_a_pay_change_exactly_once() {
    // Arrange
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let csr = report(&app, "Rui Race", min).await;
    let id = app
        .data(
            PROPOSE,
            input(&csr, (min + max) / 2, json!({})),
            Some(&app.manager),
        )
        .await["proposePayChange"]["id"]
        .clone();

    // Act: HR and ADMIN, ten times each, at once.
    let attempts = (0..20).map(|i| {
        let who = if i % 2 == 0 { &app.hr } else { &app.admin };
        app.gql(DECIDE, json!({ "id": id, "approve": true }), Some(who))
    });
    let bodies = join_all(attempts).await;

    // Assert
    let approved = bodies
        .iter()
        .filter(|b| b["data"]["decidePayChange"]["status"] == "APPROVED")
        .count();
    assert_eq!(approved, 1, "{bodies:?}");
    for body in bodies.iter().filter(|b| b["errors"].is_array()) {
        assert_eq!(error_code(body), "CONFLICT", "{body}");
    }
    let history = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&app.hr))
        .await;
    assert_eq!(
        history["employee"]["payHistory"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_promotion_is_a_row_of_pay_history_with_who_proposed_and_decided() {
    // Arrange
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Pablo Promoted", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;

    // Act
    let approved = app
        .data(
            "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 25) { newSalary { amount } } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    let history = app
        .data(HISTORY, json!({ "id": nominee.gid() }), Some(&nominee))
        .await;

    // Assert
    let row = &history["employee"]["payHistory"][0];
    assert_eq!(row["reason"], "PROMOTION");
    assert_eq!(row["status"], "APPROVED");
    assert_eq!(row["before"]["amount"], "450000");
    assert_eq!(
        row["after"]["amount"],
        approved["approveNomination"]["newSalary"]["amount"]
    );
    assert_eq!(row["proposedBy"]["id"], app.manager.gid());
    assert_eq!(row["decidedBy"]["id"], app.hr.gid());
    // The row is a node, seen by whoever sees the pay.
    let node = app
        .gql(
            "query($id: ID!) { node(id: $id) { id ... on PayChange { reason } } }",
            json!({ "id": row["id"] }),
            Some(&app.outsider),
        )
        .await;
    assert_eq!(node["data"]["node"], Value::Null, "{node}");
    let own = app
        .data(
            "query($id: ID!) { node(id: $id) { id ... on PayChange { reason } } }",
            json!({ "id": row["id"] }),
            Some(&nominee),
        )
        .await;
    assert_eq!(own["node"]["reason"], "PROMOTION");
}

#[tokio::test]
async fn existing_promotions_become_pay_history_when_the_table_is_created() {
    // Arrange: a promotion recorded, then the pay history dropped, as a
    // database from before issue 20 would be.
    use migrations::MigratorTrait;
    let app = TestApp::spawn().await;
    let nominee = app.eligible_csr("Hana History", app.manager.id).await;
    let id = app.nominate(&app.manager, &nominee).await;
    app.data(
        "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 22) { id } }",
        json!({ "id": id }),
        Some(&app.hr),
    )
    .await;
    let written = app
        .data(HISTORY, json!({ "id": nominee.gid() }), Some(&app.hr))
        .await["employee"]["payHistory"]
        .clone();
    use sea_orm::ConnectionTrait;
    // Every migration from the pay history's on is rolled back.
    let names: Vec<String> = migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let from = names
        .iter()
        .position(|n| n == "m20261204_000013_pay_changes")
        .expect("the pay history's migration");
    migrations::Migrator::down(&app.db.conn, Some((names.len() - from) as u32))
        .await
        .unwrap();
    assert!(
        app.db
            .conn
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.backend(),
                "SELECT COUNT(*) FROM pay_change"
            ))
            .await
            .is_err(),
        "the pay history is gone"
    );

    // Act: the migration runs on that data.
    migrations::Migrator::up(&app.db.conn, None).await.unwrap();
    let migrated = app
        .data(HISTORY, json!({ "id": nominee.gid() }), Some(&app.hr))
        .await["employee"]["payHistory"]
        .clone();

    // Assert: the same change, the same people (row ids aside).
    let strip = |rows: &Value| -> Vec<Value> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("id");
                r
            })
            .collect()
    };
    assert_eq!(strip(&migrated), strip(&written));
    assert_eq!(migrated[0]["reason"], "PROMOTION");
}

#[tokio::test]
async fn an_employee_sees_the_pay_range_of_every_next_step_in_their_market() {
    let app = TestApp::spawn().await;
    let me = app
        .data(
            "{ me { market progression { options { targetRole { code } targetBand { market min { amount currency } max { amount } role { code } } } } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    let options = me["me"]["progression"]["options"].as_array().unwrap();
    let lead = options
        .iter()
        .find(|o| o["targetRole"]["code"] == "TEAM_LEAD")
        .expect("a Team Lead option");
    let band = &lead["targetBand"];
    assert_eq!(band["market"], me["me"]["market"]);
    assert_eq!(band["role"]["code"], "TEAM_LEAD");
    let min: i64 = band["min"]["amount"].as_str().unwrap().parse().unwrap();
    let max: i64 = band["max"]["amount"].as_str().unwrap().parse().unwrap();
    assert!(0 < min && min < max, "{band}");
}

const DECLARE: &str =
    "mutation($g: Gender!, $id: ID) { declareGender(gender: $g, employeeId: $id) { id } }";
const GAPS: &str = "query($d: Date) { payGapReport(asOf: $d) { roleCode market currency women men meanGapPercent medianGapPercent meanTotalGapPercent medianTotalGapPercent } }";

#[tokio::test]
async fn hr_reads_the_gender_pay_gap_per_role_and_market_as_of_a_day() {
    // Arrange: four CSRs in JP who declared; one man got a raise today.
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    for (name, salary, gender) in [
        ("Wendy W", 400_000, "WOMAN"),
        ("Wilma W", 420_000, "WOMAN"),
        ("Mark M", 450_000, "MAN"),
        ("Max M", 470_000, "MAN"),
    ] {
        let who = report(&app, name, salary).await;
        app.data(
            DECLARE,
            json!({ "g": gender, "id": who.gid() }),
            Some(&app.hr),
        )
        .await;
        people.push(who);
    }
    let raise = app
        .data(
            PROPOSE,
            input(&people[3], 490_000, json!({})),
            Some(&app.manager),
        )
        .await["proposePayChange"]["id"]
        .clone();
    app.data(
        DECIDE,
        json!({ "id": raise, "approve": true }),
        Some(&app.hr),
    )
    .await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    // Max also has a 10 % bonus target: total pay widens the gap.
    {
        use sea_orm::ConnectionTrait;
        let conn = &app.db.conn;
        conn.execute_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            format!(
                "INSERT INTO employee_bonus (employee_id, bonus_target_bp, set_by_id, updated_at) \
                 VALUES ({}, 1000, NULL, CURRENT_TIMESTAMP)",
                people[3].id
            ),
        ))
        .await
        .unwrap();
    }

    // Act
    let today = app.data(GAPS, json!({}), Some(&app.hr)).await;
    let before = app
        .data(GAPS, json!({ "d": yesterday }), Some(&app.hr))
        .await;
    let by_manager = app.gql(GAPS, json!({}), Some(&app.manager)).await;

    // Assert
    let csr = |body: &Value| {
        body["payGapReport"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["roleCode"] == "CSR" && b["market"] == "JP")
            .cloned()
            .expect("a CSR/JP group")
    };
    let now = csr(&today);
    assert_eq!(
        (now["women"].as_i64(), now["men"].as_i64()),
        (Some(2), Some(2))
    );
    let expected = (470_000.0 - 410_000.0) / 470_000.0 * 100.0;
    assert!(
        (now["meanGapPercent"].as_f64().unwrap() - expected).abs() < 1e-9,
        "{now}"
    );
    let men_total = (450_000.0 + 490_000.0 * 1.1) / 2.0;
    let expected_total = (men_total - 410_000.0) / men_total * 100.0;
    assert!(
        (now["meanTotalGapPercent"].as_f64().unwrap() - expected_total).abs() < 1e-9,
        "total pay: {now}"
    );
    assert!(
        now["medianTotalGapPercent"].as_f64().unwrap() > now["medianGapPercent"].as_f64().unwrap()
    );
    let then = csr(&before);
    let expected_then = (460_000.0 - 410_000.0) / 460_000.0 * 100.0;
    assert!(
        (then["meanGapPercent"].as_f64().unwrap() - expected_then).abs() < 1e-9,
        "yesterday's pay: {then}"
    );
    assert_eq!(error_code(&by_manager), "FORBIDDEN");
}

#[tokio::test]
async fn gender_is_for_the_person_and_hr_only_and_never_in_the_audit_log() {
    // Arrange
    let app = TestApp::spawn().await;
    let csr = report(&app, "Gale Gender", 450_000).await;

    // Act
    let declared = app.gql(DECLARE, json!({ "g": "WOMAN" }), Some(&csr)).await;
    let for_someone_else = app
        .gql(
            DECLARE,
            json!({ "g": "MAN", "id": csr.gid() }),
            Some(&app.manager),
        )
        .await;
    let own = app.data("{ me { gender } }", json!({}), Some(&csr)).await;
    let by_manager = app
        .gql(
            "query($id: ID!) { employee(id: $id) { name gender } }",
            json!({ "id": csr.gid() }),
            Some(&app.manager),
        )
        .await;
    let by_hr = app
        .data(
            "query($id: ID!) { employee(id: $id) { gender } }",
            json!({ "id": csr.gid() }),
            Some(&app.hr),
        )
        .await;
    let audit = app
        .data(
            "{ auditEvents(first: 50) { nodes { action details } } }",
            json!({}),
            Some(&app.admin),
        )
        .await;

    // Assert
    assert!(declared["errors"].is_null(), "{declared}");
    assert_eq!(error_code(&for_someone_else), "FORBIDDEN");
    assert_eq!(own["me"]["gender"], "WOMAN");
    assert_eq!(error_code(&by_manager), "FORBIDDEN", "{by_manager}");
    assert_eq!(by_hr["employee"]["gender"], "WOMAN");
    let events = audit["auditEvents"]["nodes"].as_array().unwrap();
    assert!(events.iter().any(|e| e["action"] == "DECLARE_GENDER"));
    assert!(
        !audit.to_string().contains("WOMAN"),
        "the audit log never says which gender: {audit}"
    );
}

#[tokio::test]
async fn hr_finds_the_proposals_waiting_and_each_person_sees_only_the_pay_they_may() {
    // Arrange: one proposal in `manager`'s chain.
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let csr = report(&app, "Lia Listed", min).await;
    let id = app
        .data(
            PROPOSE,
            input(&csr, (min + max) / 2, json!({})),
            Some(&app.manager),
        )
        .await["proposePayChange"]["id"]
        .clone();
    const LIST: &str = "query($s: PayChangeStatus) { payChanges(status: $s, first: 50) { totalCount nodes { id employee { id } } } }";
    let ids = |body: &Value| -> Vec<Value> {
        body["payChanges"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].clone())
            .collect()
    };

    // Act
    let hr = app
        .data(LIST, json!({ "s": "PROPOSED" }), Some(&app.hr))
        .await;
    let manager = app.data(LIST, json!({}), Some(&app.manager)).await;
    let other = app.data(LIST, json!({}), Some(&app.other_manager)).await;
    let own = app.data(LIST, json!({}), Some(&csr)).await;
    let peer = app.data(LIST, json!({}), Some(&app.employee)).await;
    let approved = app
        .data(LIST, json!({ "s": "APPROVED" }), Some(&app.hr))
        .await;

    // Assert
    assert!(ids(&hr).contains(&id), "{hr}");
    assert!(ids(&manager).contains(&id));
    assert!(!ids(&other).contains(&id), "another chain: {other}");
    assert_eq!(ids(&own), vec![id.clone()]);
    assert!(!ids(&peer).contains(&id));
    assert!(!ids(&approved).contains(&id));
}

const GRANT: &str = "mutation($input: EquityGrantInput!) { grantEquity(input: $input) { \
    id grantedOn units vestingMonths cliffMonths vestedUnits } }";

#[tokio::test]
async fn hr_grants_equity_and_anyone_who_sees_the_pay_sees_it_vest() {
    // Arrange
    let app = TestApp::spawn().await;
    let lead = report(&app, "Eli Equity", 600_000).await;

    // Act: four years, one-year cliff, granted two years ago.
    let two_years_ago = chrono::Utc::now().date_naive() - chrono::Months::new(24);
    let granted = app
        .data(
            GRANT,
            json!({ "input": { "employeeId": lead.gid(), "grantedOn": two_years_ago.to_string(), "units": 4800 } }),
            Some(&app.hr),
        )
        .await;
    let on = |day: chrono::NaiveDate| day.to_string();
    let query = "query($id: ID!, $a: Date, $b: Date) { employee(id: $id) { equityGrants { units \
        atCliffEve: vestedUnits(asOf: $a) atCliff: vestedUnits(asOf: $b) today: vestedUnits } } }";
    let vars = json!({
        "id": lead.gid(),
        "a": on(two_years_ago + chrono::Months::new(12) - chrono::Days::new(1)),
        "b": on(two_years_ago + chrono::Months::new(12)),
    });
    let by_self = app.gql(query, vars.clone(), Some(&lead)).await;
    let by_manager = app.gql(query, vars.clone(), Some(&app.manager)).await;
    let by_peer = app.gql(query, vars, Some(&app.other_manager)).await;
    let to_self = app
        .gql(
            GRANT,
            json!({ "input": { "employeeId": app.hr.gid(), "grantedOn": "2026-01-01", "units": 10 } }),
            Some(&app.hr),
        )
        .await;
    let by_manager_grant = app
        .gql(
            GRANT,
            json!({ "input": { "employeeId": lead.gid(), "grantedOn": "2026-01-01", "units": 10 } }),
            Some(&app.manager),
        )
        .await;
    let bad_cliff = app
        .gql(
            GRANT,
            json!({ "input": { "employeeId": lead.gid(), "grantedOn": "2026-01-01", "units": 10, "vestingMonths": 12, "cliffMonths": 13 } }),
            Some(&app.hr),
        )
        .await;

    // Assert
    let g = &granted["grantEquity"];
    assert_eq!(
        (g["vestingMonths"].as_i64(), g["cliffMonths"].as_i64()),
        (Some(48), Some(12))
    );
    assert_eq!(g["vestedUnits"], 2400, "half after two of four years");
    for body in [&by_self, &by_manager] {
        let grant = &body["data"]["employee"]["equityGrants"][0];
        assert_eq!(grant["atCliffEve"], 0, "{body}");
        assert_eq!(grant["atCliff"], 1200);
        assert_eq!(grant["today"], 2400);
    }
    assert!(by_peer["data"]["employee"].is_null(), "{by_peer}");
    assert_eq!(error_code(&to_self), "FORBIDDEN");
    assert_eq!(error_code(&by_manager_grant), "FORBIDDEN");
    assert_eq!(error_code(&bad_cliff), "BAD_USER_INPUT");
    assert!(bad_cliff["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cliffMonths"));
}

#[tokio::test]
async fn a_promotion_into_a_leadership_band_sets_the_bonus_target_and_grants_its_equity() {
    // Arrange: HR gives the JP Team Lead band an equity guideline (it has a
    // 10 % bonus target by default).
    let app = TestApp::spawn().await;
    let band = app
        .data(
            "mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", \
             min: \"480000\", max: \"700000\", midpoint: \"590000\", bonusTargetPercent: 10, \
             equityGuideline: {units: 600, vestingMonths: 48, cliffMonths: 12}}) { \
             bonusTargetPercent equityGuideline { units vestingMonths cliffMonths } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let nominee = app.eligible_csr("Lea Leader", app.manager.id).await;
    let option = app
        .data(
            "{ me { progression { options { targetRole { code } projectedSalary { amount } \
             projectedTotalPay { base { amount } bonusTarget { amount } equityUnits } } } } }",
            json!({}),
            Some(&nominee),
        )
        .await;
    let id = app.nominate(&app.manager, &nominee).await;

    // Act
    app.data(
        "mutation($id: ID!) { approveNomination(id: $id) { id } }",
        json!({ "id": id }),
        Some(&app.hr),
    )
    .await;
    let after = app
        .data(
            "query($id: ID!) { employee(id: $id) { salary { amount } bonusTargetPercent \
             equityGrants { units vestingMonths cliffMonths grantedOn vestedUnits } } }",
            json!({ "id": nominee.gid() }),
            Some(&nominee),
        )
        .await;

    // Assert
    assert_eq!(
        band["upsertSalaryBand"]["equityGuideline"],
        json!({ "units": 600, "vestingMonths": 48, "cliffMonths": 12 })
    );
    let lead = option["me"]["progression"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["targetRole"]["code"] == "TEAM_LEAD")
        .unwrap()
        .clone();
    let total = &lead["projectedTotalPay"];
    assert_eq!(total["base"], lead["projectedSalary"]);
    let base: i64 = total["base"]["amount"].as_str().unwrap().parse().unwrap();
    assert_eq!(total["bonusTarget"]["amount"], (base / 10).to_string());
    assert_eq!(total["equityUnits"], 600);
    let e = &after["employee"];
    assert_eq!(e["bonusTargetPercent"], 10.0);
    let grants = e["equityGrants"].as_array().unwrap();
    assert_eq!(grants.len(), 1, "{e}");
    assert_eq!(grants[0]["units"], 600);
    assert_eq!(grants[0]["vestedUnits"], 0, "the cliff is a year away");
}

#[tokio::test]
async fn a_stale_proposal_gives_way_to_a_new_one_and_history_stays_in_date_order() {
    // Arrange: a merit raise waits while a promotion changes the pay.
    let app = TestApp::spawn().await;
    let (min, max) = csr_band(&app).await;
    let csr = app.eligible_csr("Stella Stale", app.manager.id).await;
    let waiting = app
        .data(
            PROPOSE,
            input(&csr, (min + max) / 2, json!({})),
            Some(&app.manager),
        )
        .await["proposePayChange"]["id"]
        .clone();
    let nomination = app.nominate(&app.manager, &csr).await;
    app.data(
        "mutation($id: ID!) { approveNomination(id: $id) { id } }",
        json!({ "id": nomination }),
        Some(&app.hr),
    )
    .await;
    let promoted: i64 = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&app.hr))
        .await["employee"]["salary"]["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let today = chrono::Utc::now().date_naive();

    // Act
    let stale = app
        .gql(
            DECIDE,
            json!({ "id": waiting, "approve": true }),
            Some(&app.hr),
        )
        .await;
    let backdated = app
        .gql(
            PROPOSE,
            input(
                &csr,
                promoted + 5_000,
                json!({ "effectiveOn": (today - chrono::Days::new(1)).to_string() }),
            ),
            Some(&app.manager),
        )
        .await;
    let fresh = app
        .data(
            PROPOSE,
            input(&csr, promoted + 5_000, json!({})),
            Some(&app.manager),
        )
        .await;
    let history = app
        .data(HISTORY, json!({ "id": csr.gid() }), Some(&app.hr))
        .await;

    // Assert
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    assert_eq!(error_code(&backdated), "BAD_USER_INPUT", "{backdated}");
    // Before the promotion (the latest pay change, and the new role's start).
    assert!(backdated["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("must not be before"));
    assert_eq!(fresh["proposePayChange"]["status"], "PROPOSED");
    assert_eq!(
        fresh["proposePayChange"]["before"]["amount"],
        promoted.to_string()
    );
    let rows = history["employee"]["payHistory"].as_array().unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["PROPOSED", "APPROVED", "REJECTED"], "{rows:?}");
    assert_eq!(rows[1]["reason"], "PROMOTION");
}

#[tokio::test]
async fn a_page_of_pay_histories_and_grants_costs_the_same_statements_for_two_people_or_six() {
    let app = TestApp::spawn().await;
    let server = app.server_process().await;
    let count = |first: usize| {
        let query = format!(
            "{{ employees(first: {first}) {{ nodes {{ id payHistory {{ id }} equityGrants {{ id }} }} }} }}"
        );
        let server = &server;
        let app = &app;
        async move {
            let before = app.statements_at(&server.base).await;
            let body = app
                .gql_at(&server.base, &query, json!({}), Some(&app.hr.token))
                .await;
            assert!(body.get("errors").is_none(), "{body}");
            assert_eq!(
                body["data"]["employees"]["nodes"].as_array().map(Vec::len),
                Some(first)
            );
            app.statements_at(&server.base).await - before
        }
    };
    // Warm the session and the ladder first. The process's background
    // work (the eligibility sweep) may add statements to one reading, never
    // take any away: the least of three readings is the request's own.
    count(2).await;
    let mut two = u64::MAX;
    let mut six = u64::MAX;
    for _ in 0..3 {
        two = two.min(count(2).await);
        six = six.min(count(6).await);
    }
    assert_eq!(two, six, "one statement per relation, not per person");
}

const UPDATE_TERMS: &str =
    "mutation($id: ID!, $fte: Float) { updateEmployee(id: $id, input: { fte: $fte }) { fte } }";

#[tokio::test]
async fn a_change_of_fte_is_pay_history_and_a_past_days_pay_gap_uses_the_terms_of_then() {
    // Arrange: a woman and a man on the same CSR pay in JP, full time; a
    // raise for her is waiting for HR.
    let app = TestApp::spawn().await;
    let woman = report(&app, "Wanda W", 400_000).await;
    let man = report(&app, "Moe M", 400_000).await;
    for (who, gender) in [(&woman, "WOMAN"), (&man, "MAN")] {
        app.data(
            DECLARE,
            json!({ "g": gender, "id": who.gid() }),
            Some(&app.hr),
        )
        .await;
    }
    let raise = app
        .data(
            PROPOSE,
            input(&woman, 420_000, json!({})),
            Some(&app.manager),
        )
        .await["proposePayChange"]["id"]
        .clone();

    // Act: HR halves her FTE (the amount stays), then tries the raise
    // proposed for her full-time pay, and to halve their own FTE.
    let updated = app
        .data(
            UPDATE_TERMS,
            json!({ "id": woman.gid(), "fte": 0.5 }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(updated["updateEmployee"]["fte"], 0.5);
    let stale = app
        .gql(
            DECIDE,
            json!({ "id": raise, "approve": true }),
            Some(&app.hr),
        )
        .await;
    let own = app
        .gql(
            UPDATE_TERMS,
            json!({ "id": app.hr.gid(), "fte": 0.5 }),
            Some(&app.hr),
        )
        .await;
    let history = app
        .data(
            "query($id: ID!) { employee(id: $id) { salary { amount } payHistory { reason status \
             before { amount } after { amount } beforeBasis beforeFte afterBasis afterFte decidedBy { id } } } }",
            json!({ "id": woman.gid() }),
            Some(&app.hr),
        )
        .await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let today_gap = app.data(GAPS, json!({}), Some(&app.hr)).await;
    let past_gap = app
        .data(GAPS, json!({ "d": yesterday }), Some(&app.hr))
        .await;

    // Assert: the change is a row of her history, amount unchanged, with
    // the terms before and after and HR as the decider.
    let rows = history["employee"]["payHistory"].as_array().unwrap();
    let terms: Vec<&Value> = rows
        .iter()
        .filter(|r| r["reason"] == "TERMS_CHANGE")
        .collect();
    assert_eq!(terms.len(), 1, "{history}");
    assert_eq!(terms[0]["status"], "APPROVED");
    assert_eq!(terms[0]["before"]["amount"], "400000");
    assert_eq!(terms[0]["after"]["amount"], "400000");
    assert_eq!(
        (&terms[0]["beforeBasis"], &terms[0]["beforeFte"]),
        (&json!("ANNUAL"), &json!(1.0))
    );
    assert_eq!(
        (&terms[0]["afterBasis"], &terms[0]["afterFte"]),
        (&json!("ANNUAL"), &json!(0.5))
    );
    assert_eq!(terms[0]["decidedBy"]["id"], app.hr.gid());
    // A raise proposed for her full-time pay is not applied to half-time
    // pay, and nobody changes their own terms.
    assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    assert_eq!(error_code(&own), "FORBIDDEN", "{own}");
    // Today her 400,000 at half time is 800,000 full time, against his
    // 400,000: a gap of -100 %. Yesterday both were full time on the same
    // pay: no gap (read with today's FTE, it would be -100 % too).
    let csr = |body: &Value| {
        body["payGapReport"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["roleCode"] == "CSR" && b["market"] == "JP")
            .cloned()
            .expect("a CSR/JP group")
    };
    assert_eq!(csr(&today_gap)["meanGapPercent"].as_f64(), Some(-100.0));
    assert_eq!(csr(&past_gap)["meanGapPercent"].as_f64(), Some(0.0));
}

#[tokio::test]
async fn a_raise_approved_for_a_later_day_applies_on_that_day_once_and_never_over_a_newer_pay() {
    // Arrange: two reports; raises for both from the 10th day ahead.
    let app = TestApp::spawn().await;
    let ann = report(&app, "Ann Ahead", 400_000).await;
    let bob = report(&app, "Bob Ahead", 400_000).await;
    let today = chrono::Utc::now().date_naive();
    let day = today + chrono::Days::new(10);
    let mut raises = Vec::new();
    for who in [&ann, &bob] {
        let raise = app
            .data(
                PROPOSE,
                input(who, 420_000, json!({ "effectiveOn": day.to_string() })),
                Some(&app.manager),
            )
            .await["proposePayChange"]["id"]
            .clone();
        raises.push(raise);
    }
    let too_far = app
        .gql(
            PROPOSE,
            input(
                &ann,
                430_000,
                json!({ "effectiveOn": (today + chrono::Days::new(367)).to_string() }),
            ),
            Some(&app.manager),
        )
        .await;
    const SCHEDULED: &str = "query($id: ID!) { employee(id: $id) { salary { amount } \
        payHistory { reason status scheduled effectiveOn after { amount } note } } }";

    // Act: HR approves both; Bob's FTE changes before the day.
    for raise in &raises {
        app.data(
            DECIDE,
            json!({ "id": raise, "approve": true }),
            Some(&app.hr),
        )
        .await;
    }
    let waiting = app
        .data(SCHEDULED, json!({ "id": ann.gid() }), Some(&app.hr))
        .await;
    let second = app
        .gql(PROPOSE, input(&ann, 430_000, json!({})), Some(&app.manager))
        .await;
    app.data(
        UPDATE_TERMS,
        json!({ "id": bob.gid(), "fte": 0.8 }),
        Some(&app.hr),
    )
    .await;
    let early = rungs::services::pay::apply_due(&app.db, day - chrono::Days::new(1))
        .await
        .unwrap();
    let on_the_day = rungs::services::pay::apply_due(&app.db, day).await.unwrap();
    let again = rungs::services::pay::apply_due(&app.db, day).await.unwrap();
    let ann_after = app
        .data(SCHEDULED, json!({ "id": ann.gid() }), Some(&app.hr))
        .await;
    let bob_after = app
        .data(SCHEDULED, json!({ "id": bob.gid() }), Some(&app.hr))
        .await;

    // Assert: approved but not applied until its day; nothing else is
    // proposed meanwhile; applied once; a raise for Bob's full-time pay is
    // not applied to his new FTE.
    assert_eq!(error_code(&too_far), "BAD_USER_INPUT", "{too_far}");
    assert_eq!(waiting["employee"]["salary"]["amount"], "400000");
    let merit = |body: &Value| {
        body["employee"]["payHistory"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["reason"] == "MERIT")
            .cloned()
            .expect("the merit row")
    };
    assert_eq!(merit(&waiting)["status"], "APPROVED");
    assert_eq!(merit(&waiting)["scheduled"], true);
    assert_eq!(merit(&waiting)["effectiveOn"], day.to_string());
    assert_eq!(error_code(&second), "CONFLICT", "{second}");
    assert_eq!((early, on_the_day, again), (0, 1, 0));
    assert_eq!(ann_after["employee"]["salary"]["amount"], "420000");
    assert_eq!(merit(&ann_after)["scheduled"], false);
    assert_eq!(bob_after["employee"]["salary"]["amount"], "400000");
    assert_eq!(merit(&bob_after)["status"], "REJECTED");
    assert!(
        merit(&bob_after)["note"]
            .as_str()
            .unwrap()
            .contains("not applied"),
        "{bob_after}"
    );
    // The day's change is audited with no actor (the sweep).
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let audited = rungs::db::entities::audit_event::Entity::find()
        .filter(rungs::db::entities::audit_event::Column::Action.eq("CHANGE_PAY"))
        .filter(rungs::db::entities::audit_event::Column::EntityId.eq(ann.id.to_string()))
        .all(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor_id, None);
}
