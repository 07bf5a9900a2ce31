//! Reading and changing employees, with the reporting-chain scope.

use serde_json::{json, Value};

use crate::helpers::{error_code, gid, Kind, Person, TestApp};

fn ids(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_manager_sees_their_whole_chain_and_nobody_outside_it() {
    let app = TestApp::spawn().await;
    let q = "query($id: ID!) { employee(id: $id) { name salary { amount } } }";
    let direct = app
        .data(q, json!({ "id": app.employee.gid() }), Some(&app.manager))
        .await;
    assert_eq!(direct["employee"]["name"], "Emi Employee");
    let indirect = app
        .data(q, json!({ "id": app.employee.gid() }), Some(&app.top))
        .await;
    assert_eq!(indirect["employee"]["salary"]["amount"], "450000");
    // Outside the chain (sideways or upwards): null, exactly as for an id
    // that does not exist.
    for id in [
        app.outsider.gid(),
        app.top.gid(),
        gid(Kind::Employee, 999_999),
    ] {
        let outside = app.gql(q, json!({ "id": id }), Some(&app.manager)).await;
        assert_eq!(outside, json!({ "data": { "employee": null } }), "{id}");
    }
}

#[tokio::test]
async fn the_employees_listing_holds_only_what_the_caller_may_see() {
    let app = TestApp::spawn().await;
    let q = "{ employees(first: 100) { totalCount nodes { id } } }";
    let as_manager = app.data(q, json!({}), Some(&app.manager)).await;
    let mut seen = ids(&as_manager["employees"]);
    seen.sort();
    let mut expected = vec![app.manager.gid(), app.employee.gid()];
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(as_manager["employees"]["totalCount"], 2);

    let as_top = app.data(q, json!({}), Some(&app.top)).await;
    assert_eq!(as_top["employees"]["totalCount"], 3);
    let as_employee = app.data(q, json!({}), Some(&app.employee)).await;
    assert_eq!(ids(&as_employee["employees"]), vec![app.employee.gid()]);
    let as_hr = app.data(q, json!({}), Some(&app.hr)).await;
    assert_eq!(as_hr["employees"]["totalCount"], 7);
}

#[tokio::test]
async fn pages_follow_cursors_and_first_is_capped_at_100() {
    let app = TestApp::spawn().await;
    let q = "query($after: String) { employees(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor hasPreviousPage } nodes { id } } }";
    let first = app.data(q, json!({}), Some(&app.hr)).await;
    let page = &first["employees"];
    assert_eq!(page["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    let mut all = ids(page);
    let mut cursor = page["pageInfo"]["endCursor"].clone();
    loop {
        let next = app.data(q, json!({ "after": cursor }), Some(&app.hr)).await;
        all.extend(ids(&next["employees"]));
        if next["employees"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        cursor = next["employees"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(all.len(), 7);
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(unique.len(), 7, "a row appeared twice: {all:?}");

    let too_many = app
        .gql(
            "{ employees(first: 101) { totalCount } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
    let bad_cursor = app
        .gql(
            "{ employees(first: 3, after: \"nonsense\") { totalCount } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&bad_cursor), "BAD_USER_INPUT");
}

#[tokio::test]
async fn filters_narrow_the_listing() {
    let app = TestApp::spawn().await;
    let q = "query($f: EmployeeFilter) { employees(first: 100, filter: $f) { totalCount nodes { name } } }";
    let by_role = app
        .data(
            q,
            json!({ "f": { "roleCode": "TEAM_LEAD" } }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(by_role["employees"]["totalCount"], 2);
    let by_site = app
        .data(q, json!({ "f": { "site": "Osaka" } }), Some(&app.hr))
        .await;
    assert_eq!(by_site["employees"]["totalCount"], 2);
    let by_search = app
        .data(q, json!({ "f": { "search": "OLLY" } }), Some(&app.hr))
        .await;
    assert_eq!(by_search["employees"]["nodes"][0]["name"], "Olly Outsider");
    let by_manager = app
        .data(
            q,
            json!({ "f": { "managerId": app.manager.gid() } }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(by_manager["employees"]["nodes"][0]["name"], "Emi Employee");
    let unknown_role = app
        .data(
            q,
            json!({ "f": { "roleCode": "ASTRONAUT" } }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(unknown_role["employees"]["totalCount"], 0);
    let scoped = app
        .data(q, json!({ "f": { "site": "Osaka" } }), Some(&app.manager))
        .await;
    assert_eq!(scoped["employees"]["totalCount"], 0);
}

#[tokio::test]
async fn private_fields_of_a_manager_are_forbidden_to_their_report() {
    let app = TestApp::spawn().await;
    let own = app
        .data(
            "{ me { salary { amount currency } compaRatio } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(
        own["me"]["salary"],
        json!({ "amount": "450000", "currency": "JPY" })
    );
    assert_eq!(own["me"]["compaRatio"], 450000.0 / 480000.0);
    let body = app
        .gql(
            "{ me { manager { name salary { amount } } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["me", "manager", "salary"])
    );
    assert!(body["data"]["me"]["manager"]["salary"].is_null(), "{body}");
    let directory = app
        .data(
            "{ me { manager { name role { code } } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(directory["me"]["manager"]["name"], "Mika Manager");
}

const CREATE: &str = "mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id employeeNumber role { code } salary { amount currency } roleSince roleHistory { role { code } startedOn } } }";

fn new_employee(overrides: Value) -> Value {
    let mut input = json!({
        "name": "Nao Newcomer", "email": "nao.newcomer@test.example", "roleCode": "CSR",
        "site": "Tokyo", "market": "JP", "hiredOn": "2025-04-01", "salary": "400000", "currency": "JPY",
    });
    for (key, value) in overrides.as_object().unwrap() {
        input[key] = value.clone();
    }
    json!({ "input": input })
}

#[tokio::test]
async fn hr_creates_an_employee_with_a_first_history_row() {
    let app = TestApp::spawn().await;
    let body = app
        .data(
            CREATE,
            new_employee(json!({ "managerId": app.manager.gid() })),
            Some(&app.hr),
        )
        .await;
    let created = &body["createEmployee"];
    assert_eq!(created["role"]["code"], "CSR");
    assert_eq!(
        created["salary"],
        json!({ "amount": "400000", "currency": "JPY" })
    );
    assert_eq!(created["roleSince"], "2025-04-01");
    assert_eq!(created["roleHistory"][0]["startedOn"], "2025-04-01");
    assert!(created["employeeNumber"].as_str().unwrap().starts_with('E'));
    let usd = app
        .data(CREATE, new_employee(json!({ "email": "usd@test.example", "salary": "52000.50", "currency": "USD", "market": "US" })), Some(&app.hr))
        .await;
    assert_eq!(usd["createEmployee"]["salary"]["amount"], "52000.50");
}

#[tokio::test]
async fn bad_employee_input_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.count("employee").await;
    let cases = [
        json!({ "roleCode": "ASTRONAUT" }),
        json!({ "salary": "-1" }),
        json!({ "salary": "12,000" }),
        json!({ "salary": "400000.5" }),
        json!({ "salary": "1e6" }),
        json!({ "currency": "XYZ" }),
        json!({ "currency": "yen" }),
        json!({ "email": app.employee.email }),
        json!({ "email": "not-an-email" }),
        json!({ "name": "   " }),
        json!({ "name": "x".repeat(5000) }),
        json!({ "hiredOn": "2026-02-30" }),
        json!({ "hiredOn": "9999-01-01" }),
        json!({ "hiredOn": "2025-04-01", "roleSince": "2024-01-01" }),
        json!({ "managerId": gid(Kind::Employee, 999_999) }),
        json!({ "managerId": "abc" }),
        json!({ "initialPassword": "short" }),
        json!({ "market": "" }),
    ];
    for case in cases {
        let body = app
            .gql(CREATE, new_employee(case.clone()), Some(&app.hr))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{case}: {body}");
    }
    assert_eq!(app.count("employee").await, before);
    assert_eq!(app.count("audit_event").await, 0);
}

#[tokio::test]
async fn a_manager_change_that_would_make_a_cycle_is_refused() {
    let app = TestApp::spawn().await;
    let q =
        "mutation($id: ID!, $m: ID!) { updateEmployee(id: $id, input: {managerId: $m}) { id } }";
    let cycle = app
        .gql(
            q,
            json!({ "id": app.top.gid(), "m": app.employee.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&cycle), "BAD_USER_INPUT");
    let own = app
        .gql(
            q,
            json!({ "id": app.top.gid(), "m": app.top.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&own), "BAD_USER_INPUT");
    let fine = app
        .data(
            q,
            json!({ "id": app.outsider.gid(), "m": app.manager.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(fine["updateEmployee"]["id"], app.outsider.gid());
    let now_visible = app
        .data(
            "query($id: ID!) { employee(id: $id) { name } }",
            json!({ "id": app.outsider.gid() }),
            Some(&app.top),
        )
        .await;
    assert_eq!(now_visible["employee"]["name"], "Olly Outsider");
}

#[tokio::test]
async fn only_an_admin_changes_access_roles() {
    let app = TestApp::spawn().await;
    let q = "mutation($id: ID!) { updateEmployee(id: $id, input: {accessRole: MANAGER}) { accessRole } }";
    let by_hr = app
        .gql(q, json!({ "id": app.employee.gid() }), Some(&app.hr))
        .await;
    assert_eq!(error_code(&by_hr), "FORBIDDEN");
    let by_admin = app
        .data(q, json!({ "id": app.employee.gid() }), Some(&app.admin))
        .await;
    assert_eq!(by_admin["updateEmployee"]["accessRole"], "MANAGER");
}

#[tokio::test]
async fn an_employee_submits_a_pending_certificate_that_hr_verifies() {
    let app = TestApp::spawn().await;
    let add = "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: LANGUAGE, name: \"JLPT\", language: \"ja\", cefr: C1, issuedOn: \"2025-05-01\"}) { id status language cefr } }";
    let mine = app
        .data(
            add,
            json!({ "id": app.employee.gid() }),
            Some(&app.employee),
        )
        .await;
    assert_eq!(mine["addCertification"]["status"], "PENDING");
    let id = mine["addCertification"]["id"].clone();
    let verify = "mutation($id: ID!, $ok: Boolean!) { verifyCertification(id: $id, approve: $ok) { status } }";
    let verified = app
        .data(verify, json!({ "id": id, "ok": true }), Some(&app.hr))
        .await;
    assert_eq!(verified["verifyCertification"]["status"], "VERIFIED");
    let again = app
        .gql(verify, json!({ "id": id, "ok": false }), Some(&app.hr))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let by_hr = app
        .data(add, json!({ "id": app.outsider.gid() }), Some(&app.hr))
        .await;
    assert_eq!(by_hr["addCertification"]["status"], "VERIFIED");

    let before = app.count("certification").await;
    for bad in [
        "{employeeId: $id, kind: SIX_SIGMA, name: \"no belt\", issuedOn: \"2025-01-01\"}",
        "{employeeId: $id, kind: LANGUAGE, name: \"no level\", language: \"ja\", issuedOn: \"2025-01-01\"}",
        "{employeeId: $id, kind: LANGUAGE, name: \"bad code\", language: \"japanese\", cefr: B2, issuedOn: \"2025-01-01\"}",
        "{employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"x\", issuedOn: \"2025-01-01\", expiresOn: \"2024-01-01\"}",
        "{employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"\", issuedOn: \"2025-01-01\"}",
        "{employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"future\", issuedOn: \"2090-01-01\"}",
    ] {
        let q = format!("mutation($id: ID!) {{ addCertification(input: {bad}) {{ id }} }}");
        let body = app.gql(&q, json!({ "id": app.employee.gid() }), Some(&app.employee)).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}: {body}");
    }
    assert_eq!(app.count("certification").await, before);
}

#[tokio::test]
async fn a_manager_records_reviews_for_their_chain_within_the_rating_scale() {
    let app = TestApp::spawn().await;
    let q = "mutation($id: ID!, $r: Float!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-12-31\", rating: $r, csat: 91.5}) { rating csat periodEnd } }";
    let ok = app
        .data(
            q,
            json!({ "id": app.employee.gid(), "r": 4.2 }),
            Some(&app.top),
        )
        .await;
    assert_eq!(ok["recordReview"]["rating"], 4.2);
    for rating in [0.5, 5.5] {
        let body = app
            .gql(
                q,
                json!({ "id": app.employee.gid(), "r": rating }),
                Some(&app.manager),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
    }
    let own = app
        .gql(
            q,
            json!({ "id": app.manager.gid(), "r": 5.0 }),
            Some(&app.manager),
        )
        .await;
    assert_eq!(error_code(&own), "FORBIDDEN");
    let reviews = app
        .data(
            "{ me { reviews { rating } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    assert_eq!(reviews["me"]["reviews"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn hr_maintains_salary_bands_that_everyone_can_read() {
    let app = TestApp::spawn().await;
    let q = "mutation($min: String!, $max: String!) { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"US\", currency: \"USD\", min: $min, max: $max}) { market min { amount currency } midpoint { amount } max { amount } role { code } } }";
    let saved = app
        .data(
            q,
            json!({ "min": "3000.00", "max": "4500.01" }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(saved["upsertSalaryBand"]["midpoint"]["amount"], "3750.01");
    let inverted = app
        .gql(q, json!({ "min": "5000", "max": "4000" }), Some(&app.hr))
        .await;
    assert_eq!(error_code(&inverted), "BAD_USER_INPUT");
    let bands = app
        .data(
            "{ salaryBands(market: \"JP\") { role { code } min { amount } max { amount } } }",
            json!({}),
            Some(&app.employee),
        )
        .await;
    let csr = bands["salaryBands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["role"]["code"] == "CSR")
        .unwrap();
    assert_eq!(csr["min"]["amount"], "400000");
    assert_eq!(csr["max"]["amount"], "560000");
    let _ = Person::default();
}

#[tokio::test]
async fn the_seeded_ladder_is_there_on_a_fresh_database() {
    let app = TestApp::spawn().await;
    let body = app.data("{ ladder { code level steps { to { code } fastTrackMonths standardMonths minRating topPerformerRating raiseMinPercent raiseMaxPercent requirements { kind minBelt minCefr count description } } } }", json!({}), Some(&app.employee)).await;
    let roles = body["ladder"].as_array().unwrap();
    let csr = roles.iter().find(|r| r["code"] == "CSR").unwrap();
    let steps = csr["steps"].as_array().unwrap();
    assert_eq!(steps[0]["to"]["code"], "TEAM_LEAD");
    assert_eq!(steps[0]["fastTrackMonths"], 12);
    assert_eq!(steps[0]["standardMonths"], 18);
    assert_eq!(steps[0]["raiseMinPercent"], 20.0);
    let ts = steps
        .iter()
        .find(|s| s["to"]["code"] == "TRAINING_SPECIALIST")
        .unwrap();
    assert_eq!(
        ts["requirements"][0],
        json!({ "kind": "LANGUAGE", "minBelt": null, "minCefr": "B2", "count": 2, "description": "2 languages at CEFR B2 or higher" })
    );
    let tl = roles.iter().find(|r| r["code"] == "TEAM_LEAD").unwrap();
    assert_eq!(tl["steps"][0]["to"]["code"], "OPERATIONS_MANAGER");
    assert_eq!(tl["steps"][0]["requirements"].as_array().unwrap().len(), 3);
}
