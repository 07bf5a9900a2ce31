//! CSV imports and the eligibility report, against the per-test database.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use rungs::db::entities::employee;
use rungs::db::facts::Ladder;
use rungs::services::import::{
    import_certifications, import_employees, import_reviews, ImportOptions, ImportOutcome,
    ImportSummary, Problem,
};
use rungs::services::report;

use crate::helpers::{error_code, TestApp};

const HEADER: &str = "employee_number,name,email,access_role,role_code,manager,site,market,work_arrangement,employment_type,hired_on,role_since,salary,currency";

fn options(dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        source: "test.csv".into(),
        progress: None,
    }
}

fn imported(outcome: ImportOutcome) -> ImportSummary {
    match outcome {
        ImportOutcome::Imported(summary) => summary,
        ImportOutcome::Rejected(problems) => panic!("unexpected problems: {problems:?}"),
    }
}

fn rejected(outcome: ImportOutcome) -> Vec<String> {
    match outcome {
        ImportOutcome::Rejected(problems) => problems.iter().map(Problem::to_string).collect(),
        ImportOutcome::Imported(summary) => panic!("expected problems, got {summary:?}"),
    }
}

/// The tables an import may write.
const TABLES: &[&str] = &[
    "employee",
    "role_assignment",
    "certification",
    "performance_review",
    "audit_event",
];

async fn by_number(app: &TestApp, number: &str) -> employee::Model {
    employee::Entity::find()
        .filter(employee::Column::EmployeeNumber.eq(number))
        .one(&app.db.conn)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("employee {number} missing"))
}

/// A BOM, CRLF, quoted commas, Japanese and accented names, blank trailing
/// lines; a report listed before their manager; a manager already in the
/// database named by email.
fn messy_file(existing_manager_email: &str) -> String {
    format!(
        "\u{feff}{HEADER}\r\n\
         X002,山田 太郎,taro@import.example,,CSR,X001,Tokyo,JP,,,2024-04-01,,450000,JPY\r\n\
         X001,\"Dupont, Élodie\",Elodie@Import.example,MANAGER,TEAM_LEAD,{existing_manager_email},Tokyo,JP,HYBRID,FULL_TIME,2021-10-01,2023-01-01,560000,JPY\r\n\
         X003,José Núñez,jose@import.example,EMPLOYEE,CSR,elodie@import.example,\"Osaka, Umeda\",jp,REMOTE,PART_TIME,2025-01-15,2025-02-01,430000,JPY\r\n\
         \r\n\r\n"
    )
}

#[tokio::test]
async fn employees_import_from_a_messy_file_with_managers_in_any_order() {
    let app = TestApp::spawn().await;
    let before = app.counts(TABLES).await;
    let file = messy_file(&app.top.email.to_uppercase());
    let summary = imported(
        import_employees(&app.db, file.as_bytes(), &options(false))
            .await
            .expect("import"),
    );
    assert_eq!((summary.rows, summary.created, summary.updated), (3, 3, 0));
    let after = app.counts(TABLES).await;
    assert_eq!(after[0], before[0] + 3, "employees");
    assert_eq!(after[1], before[1] + 3, "role history");
    assert_eq!(after[4], before[4] + 1, "one audit event per import");

    let taro = by_number(&app, "X002").await;
    let elodie = by_number(&app, "X001").await;
    let jose = by_number(&app, "X003").await;
    assert_eq!(taro.name, "山田 太郎");
    assert_eq!(
        taro.manager_id,
        Some(elodie.id),
        "manager listed after report"
    );
    assert_eq!(taro.access_role.as_str(), "EMPLOYEE");
    assert_eq!(taro.role_since, taro.hired_on);
    assert_eq!(elodie.name, "Dupont, Élodie");
    assert_eq!(elodie.email, "elodie@import.example");
    assert_eq!(
        elodie.manager_id,
        Some(app.top.id),
        "manager in the database, by email"
    );
    assert_eq!(elodie.work_arrangement.as_str(), "HYBRID");
    assert_eq!(jose.site, "Osaka, Umeda");
    assert_eq!(jose.market, "JP");
    assert_eq!(jose.manager_id, Some(elodie.id));
    assert_eq!(jose.salary_minor, 430_000);
    assert_eq!(jose.employment_type.as_str(), "PART_TIME");

    // The audit event: actor none (command line), counts in the details.
    let audit = app
        .data(
            "{ auditEvents(first: 1, entity: \"import\") { nodes { action actor { id } } } }",
            json!({}),
            Some(&app.hr),
        )
        .await;
    let node = &audit["auditEvents"]["nodes"][0];
    assert_eq!(node["action"], "IMPORT_EMPLOYEES");
    assert!(node["actor"].is_null());
}

#[tokio::test]
async fn re_importing_the_same_file_changes_nothing_and_changes_are_applied() {
    let app = TestApp::spawn().await;
    let file = messy_file(&app.top.email);
    imported(
        import_employees(&app.db, file.as_bytes(), &options(false))
            .await
            .expect("first import"),
    );
    let settled = app.counts(TABLES).await;
    let again = imported(
        import_employees(&app.db, file.as_bytes(), &options(false))
            .await
            .expect("second import"),
    );
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(
        app.counts(TABLES).await,
        settled,
        "nothing written, no audit"
    );

    // A raise and a promotion: two updates, one new role-history row, one
    // more audit event.
    let changed = file
        .replace(",2024-04-01,,450000,", ",2024-04-01,,460000,")
        .replace(
            "jose@import.example,EMPLOYEE,CSR,",
            "jose@import.example,EMPLOYEE,QUALITY_ANALYST,",
        )
        .replace(",2025-02-01,430000,", ",2025-06-01,430000,");
    let summary = imported(
        import_employees(&app.db, changed.as_bytes(), &options(false))
            .await
            .expect("third import"),
    );
    assert_eq!(
        (summary.created, summary.updated, summary.unchanged),
        (0, 2, 1)
    );
    let after = app.counts(TABLES).await;
    assert_eq!(after[0], settled[0]);
    assert_eq!(after[1], settled[1] + 1, "a new role opens one history row");
    assert_eq!(after[4], settled[4] + 1);
    assert_eq!(by_number(&app, "X002").await.salary_minor, 460_000);
    let jose = by_number(&app, "X003").await;
    let ladder = Ladder::load(&app.db.conn).await.expect("ladder");
    assert_eq!(
        ladder.role(jose.job_role_id).map(|r| r.code.as_str()),
        Some("QUALITY_ANALYST")
    );
}

#[tokio::test]
async fn every_problem_is_listed_with_its_line_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let before = app.counts(TABLES).await;
    let file = format!(
        "{HEADER}\r\n\
         Y001,Ann,ann@import.example,,CSR,Y404,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n\
         Y002,Ben,ben@import.example,,CSR,Y003,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n\
         Y003,Cal,cal@import.example,,TEAM_LEAD,ben@import.example,Tokyo,JP,,,2024-01-01,,500000,JPY\r\n\
         Y004,Dee,dee@import.example,,CSR,,Tokyo,JP,,,2024-02-30,,450000,JPY\r\n\
         Y001,Eve,eve@import.example,,CSR,,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n\
         Y006,Fay,ANN@import.example,,CSR,,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n\
         Y007,Gus,gus@import.example,BOSS,JANITOR,,Tokyo,JP,,,2024-01-01,,lots,JPY\r\n\
         Y008,Hal,{},,CSR,,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n\
         Y009,Ida,ida@import.example,,CSR,Y009,Tokyo,JP,,,2024-01-01,,450000,JPY\r\n",
        app.employee.email
    );
    let problems = rejected(
        import_employees(&app.db, file.as_bytes(), &options(false))
            .await
            .expect("import"),
    );
    let has = |prefix: &str| {
        assert!(
            problems.iter().any(|p| p.starts_with(prefix)),
            "no problem starting with {prefix:?} in {problems:#?}"
        )
    };
    has("line 2, column manager: no employee with employee number \"Y404\"");
    has("line 3, column manager: managers form a cycle: ");
    has("line 4, column manager: managers form a cycle: ");
    has("line 5, column hired_on: \"2024-02-30\" is not a calendar date");
    has("line 6, column employee_number: duplicate employee number \"Y001\" (first on line 2)");
    has("line 7, column email: duplicate email \"ann@import.example\" (first on line 2)");
    has("line 8, column access_role:");
    has("line 8, column role_code: unknown job role \"JANITOR\"");
    has("line 8, column salary:");
    has("line 9, column email:");
    has("line 10, column manager: managers form a cycle: Y009 (line 10) -> Y009 (line 10)");
    assert_eq!(problems.len(), 11, "{problems:#?}");
    assert_eq!(app.counts(TABLES).await, before, "nothing written");
}

#[tokio::test]
async fn a_dry_run_checks_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = app.counts(TABLES).await;
    let file = messy_file(&app.top.email);
    let summary = imported(
        import_employees(&app.db, file.as_bytes(), &options(true))
            .await
            .expect("dry run"),
    );
    assert!(summary.dry_run);
    assert_eq!(summary.created, 3);
    assert_eq!(app.counts(TABLES).await, before);
}

#[tokio::test]
async fn certifications_and_reviews_import_idempotently_on_their_natural_keys() {
    let app = TestApp::spawn().await;
    let number = by_number_of(&app, app.employee.id).await;
    let certs = format!(
        "\u{feff}employee,kind,name,belt,language,cefr,issued_on,expires_on,status\r\n\
         {number},SIX_SIGMA,\"Six Sigma, Yellow\",yellow,,,2025-02-10,,\r\n\
         {email},LANGUAGE,日本語能力試験 N1,,JA,C2,2020-07-01,,VERIFIED\r\n\
         {email},LEADERSHIP_TRAINING,Bar Raiser,,,,2025-01-01,2028-01-01,PENDING\r\n\r\n",
        email = app.employee.email.to_uppercase()
    );
    let reviews = format!(
        "employee,period_end,rating,csat,avg_response_seconds,resolution_accuracy,interactions_per_day\n\
         {number},2025-06-30,4.2,91.5,75,96,62\n\
         {email},2025-09-30,4.5,,,,\n",
        email = app.employee.email
    );
    let before = app.counts(TABLES).await;
    let c = imported(
        import_certifications(&app.db, certs.as_bytes(), &options(false))
            .await
            .expect("certs"),
    );
    let r = imported(
        import_reviews(&app.db, reviews.as_bytes(), &options(false))
            .await
            .expect("reviews"),
    );
    assert_eq!((c.created, r.created), (3, 2));
    let settled = app.counts(TABLES).await;
    assert_eq!(settled[2], before[2] + 3);
    assert_eq!(settled[3], before[3] + 2);
    assert_eq!(settled[4], before[4] + 2);

    let c = imported(
        import_certifications(&app.db, certs.as_bytes(), &options(false))
            .await
            .expect("certs again"),
    );
    let r = imported(
        import_reviews(&app.db, reviews.as_bytes(), &options(false))
            .await
            .expect("reviews again"),
    );
    assert_eq!((c.unchanged, r.unchanged), (3, 2));
    assert_eq!(
        app.counts(TABLES).await,
        settled,
        "re-import changes nothing"
    );

    // Same keys, new values: updates, not new rows.
    let certs = certs.replace("2028-01-01,PENDING", "2028-01-01,VERIFIED");
    let reviews = reviews.replace("2025-09-30,4.5,", "2025-09-30,4.6,");
    let c = imported(
        import_certifications(&app.db, certs.as_bytes(), &options(false))
            .await
            .expect("certs update"),
    );
    let r = imported(
        import_reviews(&app.db, reviews.as_bytes(), &options(false))
            .await
            .expect("reviews update"),
    );
    assert_eq!(
        (c.updated, c.unchanged, r.updated, r.unchanged),
        (1, 2, 1, 1)
    );
    let after = app.counts(TABLES).await;
    assert_eq!(&after[..4], &settled[..4]);
    assert_eq!(after[4], settled[4] + 2);

    let data = app
        .data(
            "query($id: ID!) { employee(id: $id) { certifications { name status language } reviews { periodEnd rating } } }",
            json!({ "id": app.employee.gid() }),
            Some(&app.hr),
        )
        .await;
    let certs = data["employee"]["certifications"]
        .as_array()
        .expect("certs");
    assert!(certs
        .iter()
        .any(|c| c["name"] == "日本語能力試験 N1" && c["language"] == "ja"));
    assert!(certs.iter().all(|c| c["status"] == "VERIFIED"));
}

async fn by_number_of(app: &TestApp, id: i64) -> String {
    employee::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("employee")
        .employee_number
}

#[tokio::test]
async fn certification_and_review_problems_are_listed_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let before = app.counts(TABLES).await;
    let email = &app.employee.email;
    let certs = format!(
        "employee,kind,name,belt,language,cefr,issued_on,expires_on,status\n\
         nobody@nowhere.example,OTHER,CRM,,,,2025-01-01,,\n\
         {email},SIX_SIGMA,Six Sigma,,,,2025-01-01,,\n\
         {email},LANGUAGE,English,,english,B2,2025-01-01,,\n\
         {email},OTHER,CRM,,,,2025-01-01,2024-01-01,\n\
         {email},OTHER,Typing,,,,2025-01-01,,\n\
         {email},OTHER,Typing,,,,2025-01-01,,\n"
    );
    let problems = rejected(
        import_certifications(&app.db, certs.as_bytes(), &options(false))
            .await
            .expect("certs"),
    );
    assert!(
        problems[0].starts_with("line 2, column employee: no employee"),
        "{problems:?}"
    );
    assert!(problems[1].starts_with("line 3, column belt: a SIX_SIGMA certification needs a belt"));
    assert!(problems[2].starts_with("line 4, column language: language must be an ISO 639-1 code"));
    assert!(problems[3].starts_with("line 5, column expires_on:"));
    assert!(problems[4].starts_with("line 7, column name: the same certificate"));
    assert_eq!(problems.len(), 5, "{problems:?}");

    let reviews = format!(
        "employee,period_end,rating,csat,avg_response_seconds,resolution_accuracy,interactions_per_day\n\
         {email},2025-06-30,7,,,,\n\
         {email},2025-09-30,4,120,,,\n\
         {email},2025-12-31,4,,1.5,,\n\
         {email},2025-09-30,4,,,,\n"
    );
    let problems = rejected(
        import_reviews(&app.db, reviews.as_bytes(), &options(false))
            .await
            .expect("reviews"),
    );
    assert_eq!(
        problems,
        vec![
            "line 2, column rating: rating must be between 1 and 5".to_owned(),
            "line 3, column csat: csat must be between 0 and 100".to_owned(),
            "line 4, column avg_response_seconds: must be a whole number of seconds".to_owned(),
        ]
    );
    assert_eq!(app.counts(TABLES).await, before);
}

#[tokio::test]
async fn export_rows_agree_with_progression() {
    let app = TestApp::spawn().await;
    app.review(&app.employee, "2025-03-31", 4.5).await;
    app.review(&app.employee, "2025-06-30", 4.0).await;
    app.cert(
        &app.employee,
        "SIX_SIGMA",
        Some("GREEN"),
        None,
        "2025-01-01",
        None,
        "VERIFIED",
    )
    .await;
    app.review(&app.outsider, "2025-06-30", 2.5).await;
    let as_of = "2025-12-01";
    let ladder = Ladder::load(&app.db.conn).await.expect("ladder");
    let mut rows = Vec::new();
    report::for_each_chunk(&app.db, &ladder, crate::helpers::date(as_of), |chunk| {
        rows.extend_from_slice(chunk);
        Ok(())
    })
    .await
    .expect("export");
    for user in [&app.employee, &app.outsider, &app.manager] {
        let data = app
            .data(
                "query($id: ID!, $d: Date!) { employee(id: $id) { progression(asOf: $d) { options { targetRole { code } status track eligibleOn gaps { message } } } } }",
                json!({ "id": user.gid(), "d": as_of }),
                Some(&app.hr),
            )
            .await;
        let options = data["employee"]["progression"]["options"]
            .as_array()
            .expect("options");
        let mine: Vec<_> = rows.iter().filter(|r| r.employee_id == user.id).collect();
        assert_eq!(mine.len(), options.len());
        assert!(!mine.is_empty());
        for (row, option) in mine.iter().zip(options) {
            assert_eq!(option["targetRole"]["code"], row.target_role.as_str());
            assert_eq!(option["status"], row.status.as_str());
            assert_eq!(option["track"], json!(row.track.map(|t| t.as_str())));
            assert_eq!(
                option["eligibleOn"],
                json!(row.eligible_on.map(|d| d.to_string()))
            );
            let gaps: Vec<&str> = option["gaps"]
                .as_array()
                .expect("gaps")
                .iter()
                .filter_map(|g| g["message"].as_str())
                .collect();
            assert_eq!(gaps.join("; "), row.gaps_text());
        }
    }
    assert!(rows
        .iter()
        .any(|r| r.employee_id == app.employee.id && r.status.as_str() == "ELIGIBLE"));
}

const REPORT: &str = "query($first: Int, $after: String) { eligibilityReport(asOf: \"2025-12-01\", first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { employeeId employeeNumber name currentRole targetRole status track eligibleOn gaps } } }";

#[tokio::test]
async fn the_eligibility_report_is_for_hr_and_pages_through_every_row() {
    let app = TestApp::spawn().await;
    for user in [&app.employee, &app.manager, &app.top] {
        let body = app.gql(REPORT, json!({ "first": 5 }), Some(user)).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let body = app.gql(REPORT, json!({ "first": 5 }), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let body = app
        .gql(REPORT, json!({ "first": 101 }), Some(&app.hr))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");

    let all = app
        .data(REPORT, json!({ "first": 100 }), Some(&app.admin))
        .await;
    let total = all["eligibilityReport"]["totalCount"]
        .as_i64()
        .expect("total");
    let everything = all["eligibilityReport"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert_eq!(everything.len() as i64, total);
    assert!(total > 5);

    let mut paged = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let page = app
            .data(REPORT, json!({ "first": 4, "after": after }), Some(&app.hr))
            .await;
        let report = &page["eligibilityReport"];
        assert_eq!(report["totalCount"].as_i64(), Some(total));
        paged.extend(report["nodes"].as_array().expect("nodes").iter().cloned());
        if report["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = report["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(paged, everything, "pages cover every row once, in order");
    let employee_rows: Vec<_> = everything
        .iter()
        .filter(|n| n["employeeId"] == app.employee.gid())
        .collect();
    assert!(employee_rows.iter().all(|n| n["currentRole"] == "CSR"));
    assert!(employee_rows.iter().any(|n| n["targetRole"] == "TEAM_LEAD"));
}

#[tokio::test]
async fn pay_basis_and_fte_import_and_every_pay_change_of_an_import_is_pay_history() {
    use rungs::db::entities::{enums::PayBasis, pay_change};
    let app = TestApp::spawn().await;
    let header = format!("{HEADER},pay_basis,fte");
    let file = |fte: &str, salary: &str| {
        format!(
            "{header}\n\
             P001,Pat Part,pat@import.example,,CSR,,Tokyo,JP,,PART_TIME,2024-04-01,,{salary},JPY,HOURLY,{fte}\n\
             P002,Fay Full,fay@import.example,,CSR,,Tokyo,JP,,,2024-04-01,,450000,JPY,,\n"
        )
    };
    let history = |id: i64| {
        let conn = app.db.conn.clone();
        async move {
            pay_change::Entity::find()
                .filter(pay_change::Column::EmployeeId.eq(id))
                .all(&conn)
                .await
                .expect("history")
        }
    };

    // A new hourly part-timer and a new full-timer with the defaults.
    imported(
        import_employees(&app.db, file("0.5", "1500").as_bytes(), &options(false))
            .await
            .expect("first import"),
    );
    let pat = by_number(&app, "P001").await;
    let fay = by_number(&app, "P002").await;
    assert_eq!((pat.pay_basis, pat.fte_bp), (PayBasis::Hourly, 5_000));
    assert_eq!((fay.pay_basis, fay.fte_bp), (PayBasis::Annual, 10_000));
    assert!(
        history(pat.id).await.is_empty(),
        "a hire is not a pay change"
    );

    // Her FTE moves, then her hourly rate: one row of pay history each.
    let moved = imported(
        import_employees(&app.db, file("0.75", "1500").as_bytes(), &options(false))
            .await
            .expect("second import"),
    );
    assert_eq!((moved.updated, moved.unchanged), (1, 1));
    imported(
        import_employees(&app.db, file("0.75", "1600").as_bytes(), &options(false))
            .await
            .expect("third import"),
    );
    let rows = history(pat.id).await;
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.reason.as_str(),
                r.before_minor,
                r.after_minor,
                r.before_fte_bp,
                r.fte_bp,
                r.pay_basis,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("TERMS_CHANGE", 1500, 1500, 5_000, 7_500, PayBasis::Hourly),
            ("CORRECTION", 1500, 1600, 7_500, 7_500, PayBasis::Hourly),
        ]
    );
    assert!(history(fay.id).await.is_empty(), "unchanged: no row");

    // A basis or FTE that doesn't fit is a problem on its line.
    let bad = format!(
        "{header}\n\
         P003,Bad Basis,bb@import.example,,CSR,,Tokyo,JP,,,2024-04-01,,450000,JPY,WEEKLY,\n\
         P004,Bad Fte,bf@import.example,,CSR,,Tokyo,JP,,,2024-04-01,,450000,JPY,,1.5\n\
         P005,No Fte,nf@import.example,,CSR,,Tokyo,JP,,,2024-04-01,,450000,JPY,,0\n"
    );
    let problems = rejected(
        import_employees(&app.db, bad.as_bytes(), &options(false))
            .await
            .expect("import"),
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].starts_with("line 2, column pay_basis:"),
        "{problems:#?}"
    );
    assert!(
        problems[1].starts_with("line 3, column fte:"),
        "{problems:#?}"
    );
    assert!(
        problems[2].starts_with("line 4, column fte:"),
        "{problems:#?}"
    );
}
