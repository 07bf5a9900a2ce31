//! Pay basis and FTE (issue 20): pay on any basis, full or part time, is
//! compared with bands as an annualised full-time equivalent.

use serde_json::{json, Value};

use crate::helpers::{error_code, TestApp};

const CREATE: &str =
    "mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }";

const PAY: &str = "query($id: ID!) { employee(id: $id) {
    salary { amount currency } payBasis fte annualisedSalary { amount }
    compaRatio rangePenetration
    progression { options { targetRole { code } projectedSalary { amount } } } } }";

fn input(email: &str, salary: &str, basis: &str, fte: f64) -> Value {
    json!({ "input": {
        "name": "Pat Parttime", "email": email, "roleCode": "CSR", "site": "Tokyo",
        "market": "JP", "hiredOn": "2025-04-01", "salary": salary, "currency": "JPY",
        "payBasis": basis, "fte": fte,
    }})
}

async fn create(app: &TestApp, email: &str, salary: &str, basis: &str, fte: f64) -> String {
    let body = app
        .data(CREATE, input(email, salary, basis, fte), Some(&app.hr))
        .await;
    body["createEmployee"]["id"].as_str().unwrap().to_owned()
}

async fn pay(app: &TestApp, id: &str) -> Value {
    app.data(PAY, json!({ "id": id }), Some(&app.hr)).await["employee"].clone()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[tokio::test]
async fn an_hourly_part_timer_is_compared_with_the_annual_band_as_a_year_full_time() {
    let app = TestApp::spawn().await;
    // ¥230 an hour × 2,080 hours = ¥478,400 a year full time, in the JP CSR
    // band ¥400,000–560,000 (midpoint ¥480,000); half time changes nothing
    // for an hourly rate.
    let id = create(&app, "pat.hourly@test.example", "230", "HOURLY", 0.5).await;
    let pat = pay(&app, &id).await;
    assert_eq!(pat["salary"]["amount"], "230", "{pat}");
    assert_eq!(pat["payBasis"], "HOURLY");
    assert_eq!(pat["fte"], 0.5);
    assert_eq!(pat["annualisedSalary"]["amount"], "478400");
    assert!(
        close(pat["compaRatio"].as_f64().unwrap(), 478_400.0 / 480_000.0),
        "{pat}"
    );
    assert!(close(
        pat["rangePenetration"].as_f64().unwrap(),
        (478_400.0 - 400_000.0) / 160_000.0
    ));
    // Promotion pay stays an hourly rate, inside the target band as a
    // year full time.
    for option in pat["progression"]["options"].as_array().unwrap() {
        let projected: i64 = option["projectedSalary"]["amount"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((230..1_000).contains(&projected), "{option}");
        assert!(
            (480_000..=700_000).contains(&(projected * 2_080)),
            "{option}"
        );
    }

    // Standard hours are the market's: HR changes them, answers follow.
    let set = app
        .data(
            "mutation { setStandardHours(market: \"JP\", annualHours: 1950) { market standardAnnualHours } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert_eq!(set["setStandardHours"]["standardAnnualHours"], 1950);
    let pat = pay(&app, &id).await;
    assert_eq!(pat["annualisedSalary"]["amount"], "448500", "{pat}");
}

#[tokio::test]
async fn a_half_time_annual_salary_counts_double_and_a_monthly_band_twelve_times() {
    let app = TestApp::spawn().await;
    // ¥240,000 a year at half time is ¥480,000 full time: the midpoint.
    let id = create(&app, "pat.half@test.example", "240000", "ANNUAL", 0.5).await;
    let pat = pay(&app, &id).await;
    assert_eq!(pat["annualisedSalary"]["amount"], "480000");
    assert!(close(pat["compaRatio"].as_f64().unwrap(), 1.0), "{pat}");

    // HR restates the CSR band per month (¥40,000 × 12 = ¥480,000 at the
    // midpoint): the comparison is unchanged in annual terms.
    let band = app
        .data(
            "mutation { upsertSalaryBand(input: { roleCode: \"CSR\", market: \"JP\", currency: \"JPY\",
               min: \"30000\", max: \"50000\", basis: MONTHLY }) {
               basis min { amount } annualised { min { amount } midpoint { amount } max { amount } } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let band = &band["upsertSalaryBand"];
    assert_eq!(band["basis"], "MONTHLY");
    assert_eq!(band["annualised"]["min"]["amount"], "360000");
    assert_eq!(band["annualised"]["midpoint"]["amount"], "480000");
    assert_eq!(band["annualised"]["max"]["amount"], "600000");
    let pat = pay(&app, &id).await;
    assert!(close(pat["compaRatio"].as_f64().unwrap(), 1.0), "{pat}");

    // HR moves Pat to full time on a monthly salary of ¥40,000: the same
    // ratio again; the amount on record did not change by itself.
    let moved = app
        .data(
            "mutation($id: ID!) { updateEmployee(id: $id, input: { payBasis: MONTHLY, fte: 1 }) {
               salary { amount } payBasis fte annualisedSalary { amount } } }",
            json!({ "id": id }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(moved["updateEmployee"]["salary"]["amount"], "240000");
    assert_eq!(
        moved["updateEmployee"]["annualisedSalary"]["amount"],
        "2880000"
    );
}

#[tokio::test]
async fn an_fte_or_hours_outside_their_range_is_bad_input_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.count("employee").await;
    for (n, fte) in [0.0, -0.5, 1.5, 0.12345].into_iter().enumerate() {
        let body = app
            .gql(
                CREATE,
                input(&format!("bad{n}@test.example"), "230", "HOURLY", fte),
                Some(&app.hr),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{fte}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("fte"),
            "{body}"
        );
    }
    assert_eq!(app.count("employee").await, before);
    let body = app
        .gql(
            "mutation($id: ID!) { updateEmployee(id: $id, input: { fte: 2 }) { id } }",
            json!({ "id": app.employee.gid() }),
            Some(&app.hr),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    for hours in [0, -1, 9_000] {
        let body = app
            .gql(
                "mutation($h: Int!) { setStandardHours(market: \"JP\", annualHours: $h) { market } }",
                json!({ "h": hours }),
                Some(&app.hr),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{hours}: {body}");
    }
    let hours = app
        .data(
            "{ salaryBands { market annualised { standardAnnualHours } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    assert!(hours["salaryBands"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["market"] == "JP")
        .all(|b| b["annualised"]["standardAnnualHours"] == 2080));
}
