//! The authorization table: every query and mutation against every access
//! role (and no token at all), driven from one list. "Allowed" means the
//! answer is not FORBIDDEN or UNAUTHENTICATED (it may still be, say,
//! NOT_FOUND or NOT_ELIGIBLE for the dummy ids used here).

use serde_json::{json, Value};

use crate::helpers::{error_code, Person, TestApp, User, PASSWORD};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Who {
    Anonymous,
    Employee,
    Manager,
    Hr,
    Admin,
}

const EVERYONE: &[Who] = &[Who::Employee, Who::Manager, Who::Hr, Who::Admin];
const HR_ONLY: &[Who] = &[Who::Hr, Who::Admin];

struct Case {
    name: &'static str,
    query: &'static str,
    allowed: &'static [Who],
}

fn cases() -> Vec<Case> {
    vec![
        Case { name: "me", query: "{ me { id } }", allowed: EVERYONE },
        Case { name: "employee outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { id } }", allowed: HR_ONLY },
        Case { name: "salary outside the chain", query: "query($outsider: ID!) { nominations(first: 1) { totalCount } employees(first: 100) { nodes { id } } employee(id: $outsider) { salary { amount } } }", allowed: HR_ONLY },
        Case { name: "employees", query: "{ employees(first: 5) { totalCount } }", allowed: EVERYONE },
        Case { name: "ladder", query: "{ ladder { code steps { to { code } } } }", allowed: EVERYONE },
        Case { name: "salaryBands", query: "{ salaryBands { market min { amount } } }", allowed: EVERYONE },
        Case { name: "nominations", query: "{ nominations(first: 5) { totalCount } }", allowed: EVERYONE },
        Case { name: "auditEvents", query: "{ auditEvents(first: 5) { totalCount } }", allowed: HR_ONLY },
        Case { name: "logout", query: "mutation { logout }", allowed: EVERYONE },
        Case { name: "changePassword", query: "mutation($pw: String!) { changePassword(currentPassword: $pw, newPassword: \"a brand new passphrase\") }", allowed: EVERYONE },
        Case { name: "createEmployee", query: "mutation($email: String!) { createEmployee(input: {name: \"New Person\", email: $email, roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-04-01\", salary: \"400000\", currency: \"JPY\"}) { id } }", allowed: HR_ONLY },
        Case { name: "updateEmployee", query: "mutation($outsider: ID!) { updateEmployee(id: $outsider, input: {site: \"Nagoya\"}) { id } }", allowed: HR_ONLY },
        Case { name: "addCertification for someone else", query: "mutation($outsider: ID!) { addCertification(input: {employeeId: $outsider, kind: LEADERSHIP_TRAINING, name: \"Bar Raiser\", issuedOn: \"2025-01-01\"}) { id } }", allowed: HR_ONLY },
        Case { name: "verifyCertification", query: "mutation($cert: ID!) { verifyCertification(id: $cert, approve: true) { status } }", allowed: HR_ONLY },
        Case { name: "recordReview outside the chain", query: "mutation($outsider: ID!) { recordReview(input: {employeeId: $outsider, periodEnd: \"2025-12-31\", rating: 3.5}) { id } }", allowed: HR_ONLY },
        Case { name: "nominate outside the chain", query: "mutation($outsider: ID!) { nominate(input: {nomineeId: $outsider, targetRoleCode: \"TEAM_LEAD\", justification: \"ready\"}) { id } }", allowed: HR_ONLY },
        Case { name: "approveNomination", query: "mutation { approveNomination(id: \"999999\") { id } }", allowed: HR_ONLY },
        Case { name: "rejectNomination", query: "mutation { rejectNomination(id: \"999999\", reason: \"not now\") { id } }", allowed: HR_ONLY },
        Case { name: "withdrawNomination", query: "mutation { withdrawNomination(id: \"999999\") { id } }", allowed: EVERYONE },
        Case { name: "upsertSalaryBand", query: "mutation { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"US\", currency: \"USD\", min: \"3000.00\", max: \"4500.00\"}) { id } }", allowed: HR_ONLY },
        Case { name: "skills and courses", query: "{ skills { id } proficiencyLevels { level } courses { id } courseSessions { id } }", allowed: EVERYONE },
        Case { name: "plan outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { plan(targetRoleCode: \"TEAM_LEAD\") { status } } }", allowed: HR_ONLY },
        Case { name: "skills outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { skills { level } skillAssessments { id } enrolments { id } } }", allowed: HR_ONLY },
        Case { name: "courseImpact", query: "{ dashboard { courseImpact { peopleUnblocked } } }", allowed: &[Who::Manager, Who::Hr, Who::Admin] },
        Case { name: "upsertSkill", query: "mutation($email: String!) { upsertSkill(input: {name: $email, category: \"Tools\", description: \"d\"}) { id } }", allowed: HR_ONLY },
        Case { name: "assessSkill outside the chain", query: "mutation($outsider: ID!) { assessSkill(input: {employeeId: $outsider, skillId: \"1\", level: 3, assessedOn: \"2026-01-01\"}) { id } }", allowed: HR_ONLY },
        Case { name: "upsertCourse", query: "mutation($email: String!) { upsertCourse(input: {title: $email, description: \"d\", awardsSkill: {skillId: \"1\", level: 3}}) { id } }", allowed: HR_ONLY },
        Case { name: "scheduleSession", query: "mutation { scheduleSession(input: {courseId: \"999999\", startsOn: \"2030-01-01\", endsOn: \"2030-01-02\", capacity: 5}) { id } }", allowed: HR_ONLY },
        Case { name: "enrol someone outside the chain", query: "mutation($outsider: ID!) { enrol(sessionId: \"999999\", employeeId: $outsider) { id } }", allowed: HR_ONLY },
        Case { name: "upsertLadderStep", query: "mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", minRating: 3.2}) { id } }", allowed: HR_ONLY },
    ]
}

/// A fresh user with the access role of `who` (so that logout and password
/// changes do not disturb other rows of the table).
async fn fresh_user(app: &TestApp, who: Who) -> Option<User> {
    let (access_role, role) = match who {
        Who::Anonymous => return None,
        Who::Employee => ("EMPLOYEE", "CSR"),
        Who::Manager => ("MANAGER", "TEAM_LEAD"),
        Who::Hr => ("HR", "HR_GENERALIST"),
        Who::Admin => ("ADMIN", "HR_GENERALIST"),
    };
    Some(
        app.person(Person {
            name: format!("{who:?} User"),
            access_role,
            role,
            ..Default::default()
        })
        .await,
    )
}

async fn pending_cert(app: &TestApp) -> String {
    let body = app
        .data(
            "mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: SIX_SIGMA, belt: YELLOW, name: \"Yellow\", issuedOn: \"2025-01-01\"}) { id status } }",
            json!({ "id": app.outsider.gid() }),
            Some(&app.outsider),
        )
        .await;
    assert_eq!(body["addCertification"]["status"], "PENDING");
    body["addCertification"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_operation_answers_each_access_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let mut failures = Vec::new();
    for case in cases() {
        for who in [
            Who::Anonymous,
            Who::Employee,
            Who::Manager,
            Who::Hr,
            Who::Admin,
        ] {
            let user = fresh_user(&app, who).await;
            let variables: Value = json!({
                "outsider": app.outsider.gid(),
                "cert": pending_cert(&app).await,
                "pw": PASSWORD,
                "email": format!("new.{:?}.{}@test.example", who, case.name.len()).to_lowercase(),
            });
            let body = app.gql(case.query, variables, user.as_ref()).await;
            let code = body["errors"][0]["extensions"]["code"]
                .as_str()
                .map(str::to_owned);
            let expected_denial = if who == Who::Anonymous {
                Some("UNAUTHENTICATED")
            } else if case.allowed.contains(&who) {
                None
            } else {
                Some("FORBIDDEN")
            };
            let ok = match expected_denial {
                Some(denial) => code.as_deref() == Some(denial),
                None => !matches!(code.as_deref(), Some("FORBIDDEN") | Some("UNAUTHENTICATED")),
            };
            if !ok {
                failures.push(format!(
                    "{} as {:?}: expected {:?}, got {}",
                    case.name, who, expected_denial, body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization table mismatches:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn login_needs_no_token_and_every_other_field_does() {
    let app = TestApp::spawn().await;
    let body = app.login(&app.employee.email, PASSWORD).await;
    assert!(body["data"]["login"]["token"].as_str().is_some(), "{body}");
    let body = app.gql("{ ladder { code } }", json!({}), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}
