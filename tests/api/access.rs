//! The authorization table: every Query root field and every Mutation of
//! `schema.graphql` against every access role (and no token at all), driven
//! from one list. A new operation without a row fails
//! `every_root_field_and_mutation_of_the_schema_has_a_row`.
//!
//! Outcomes: `Allowed` means the answer is neither a denial nor hidden (it may
//! still be, say, CONFLICT or BAD_USER_INPUT for the fixtures used here);
//! `Forbidden` is FORBIDDEN; `Hidden` is what a missing id gets (NOT_FOUND
//! from a mutation, null from a nullable query field); `Unauth` is
//! UNAUTHENTICATED.

use std::collections::BTreeSet;

use async_graphql::parser::types::{OperationType, Selection, TypeKind, TypeSystemDefinition};
use serde_json::{json, Value};

use crate::helpers::{error_code, gid, months_ago, Kind, Person, TestApp, User, PASSWORD};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Who {
    Anonymous,
    Employee,
    Manager,
    Hr,
    Admin,
}

const WHO: [Who; 5] = [
    Who::Anonymous,
    Who::Employee,
    Who::Manager,
    Who::Hr,
    Who::Admin,
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Outcome {
    Allowed,
    Unauth,
    Forbidden,
    Hidden,
}

use Outcome::{Allowed, Forbidden, Hidden, Unauth};

/// Outcomes for anonymous, EMPLOYEE, MANAGER, HR, ADMIN.
type Row = [Outcome; 5];

const EVERYONE: Row = [Unauth, Allowed, Allowed, Allowed, Allowed];
const MANAGERS_AND_HR: Row = [Unauth, Forbidden, Allowed, Allowed, Allowed];
const HR_ONLY: Row = [Unauth, Forbidden, Forbidden, Allowed, Allowed];
/// HR only, not even ADMIN (special-category data: gender).
const HR_NOT_ADMIN: Row = [Unauth, Forbidden, Forbidden, Allowed, Forbidden];
/// The target exists but only HR and ADMIN may see it.
const HR_SEES_IT: Row = [Unauth, Hidden, Hidden, Allowed, Allowed];
/// Someone else's: hidden from those who may not see it, and HR, who
/// sees it, may not do it for them.
const THEIRS_ALONE: Row = [Unauth, Hidden, Hidden, Forbidden, Forbidden];

struct Case {
    name: &'static str,
    query: &'static str,
    expect: Row,
}

/// Variables every query may use: `$outsider` (someone in no test user's
/// chain), `$cert` (a PENDING certificate of the outsider), `$nomination`
/// (a PENDING nomination of someone in another chain, by their manager),
/// `$enrolment` (an ENROLLED seat of someone in another chain), `$course`,
/// `$session`, `$skill`, `$pw`, `$email`, `$self` (the caller's own email)
/// and `$payChange` (a PROPOSED pay change of someone in another chain).
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        Case { name: "login", query: "mutation($self: String!, $pw: String!) { login(email: $self, password: $pw) { token } }", expect: [Allowed, Allowed, Allowed, Allowed, Allowed] },
        Case { name: "me", query: "{ me { id } }", expect: EVERYONE },
        Case { name: "employee outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { id } }", expect: HR_SEES_IT },
        Case { name: "salary outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { salary { amount } } }", expect: HR_SEES_IT },
        Case { name: "directory fields through a relation", query: "{ me { manager { id name email site role { code } manager { id } reports { id } } } }", expect: EVERYONE },
        Case { name: "salary through a relation", query: "{ me { manager { salary { amount } } } }", expect: HR_ONLY },
        Case { name: "hiredOn through a relation", query: "{ me { manager { hiredOn } } }", expect: HR_ONLY },
        Case { name: "roleSince through a relation", query: "{ me { manager { roleSince } } }", expect: HR_ONLY },
        Case { name: "tenure through a relation", query: "{ me { manager { tenure { monthsOfService } } } }", expect: HR_ONLY },
        Case { name: "accessRole through a relation", query: "{ me { manager { accessRole } } }", expect: HR_ONLY },
        Case { name: "employees", query: "{ employees(first: 5) { totalCount } }", expect: EVERYONE },
        Case { name: "employees behind a dashboard figure", query: "{ employees(first: 5, filter: {stalled: true, bestStatus: ELIGIBLE}) { totalCount } }", expect: MANAGERS_AND_HR },
        Case { name: "ladder", query: "{ ladder { code steps { to { code } } } }", expect: EVERYONE },
        Case { name: "salaryBands", query: "{ salaryBands { market min { amount } } }", expect: EVERYONE },
        Case { name: "nominations", query: "{ nominations(first: 5) { totalCount } }", expect: EVERYONE },
        Case { name: "nomination in another chain", query: "query($nomination: ID!) { nomination(id: $nomination) { id } }", expect: HR_SEES_IT },
        Case { name: "auditEvents", query: "{ auditEvents(first: 5) { totalCount } }", expect: HR_ONLY },
        Case { name: "dashboard", query: "{ dashboard { headcount(groupBy: SITE) { count } } }", expect: MANAGERS_AND_HR },
        Case { name: "courseImpact", query: "{ dashboard { courseImpact { peopleUnblocked } } }", expect: MANAGERS_AND_HR },
        Case { name: "eligibilityReport", query: "{ eligibilityReport(first: 5) { totalCount } }", expect: HR_ONLY },
        Case { name: "skills and courses", query: "{ skills { id } proficiencyLevels { level } courses { id } courseSessions { id } }", expect: EVERYONE },
        Case { name: "course", query: "query($course: ID!) { course(id: $course) { id } }", expect: EVERYONE },
        Case { name: "courseSession", query: "query($session: ID!) { courseSession(id: $session) { id } }", expect: EVERYONE },
        Case { name: "plan outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { plan(targetRoleCode: \"TEAM_LEAD\") { status } } }", expect: HR_SEES_IT },
        Case { name: "skills outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { skills { level } skillAssessments { id } enrolments { id } } }", expect: HR_SEES_IT },
        Case { name: "node of someone outside the chain", query: "query($outsider: ID!) { node(id: $outsider) { id ... on Employee { name } } }", expect: HR_SEES_IT },
        Case { name: "node of a nomination in another chain", query: "query($nomination: ID!) { node(id: $nomination) { id } }", expect: HR_SEES_IT },
        Case { name: "nodes", query: "query($course: ID!, $session: ID!) { nodes(ids: [$course, $session]) { id } }", expect: EVERYONE },
        Case { name: "logout", query: "mutation { logout }", expect: EVERYONE },
        Case { name: "changePassword", query: "mutation($pw: String!) { changePassword(currentPassword: $pw, newPassword: \"a brand new passphrase\") }", expect: EVERYONE },
        Case { name: "createEmployee", query: "mutation($email: String!) { createEmployee(input: {name: \"New Person\", email: $email, roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-04-01\", salary: \"400000\", currency: \"JPY\"}) { id } }", expect: HR_ONLY },
        Case { name: "updateEmployee", query: "mutation($outsider: ID!) { updateEmployee(id: $outsider, input: {site: \"Nagoya\"}) { id } }", expect: HR_ONLY },
        Case { name: "addCertification for someone else", query: "mutation($outsider: ID!) { addCertification(input: {employeeId: $outsider, kind: LEADERSHIP_TRAINING, name: \"Bar Raiser\", issuedOn: \"2025-01-01\"}) { id } }", expect: HR_ONLY },
        Case { name: "verifyCertification", query: "mutation($cert: ID!) { verifyCertification(id: $cert, approve: true) { status } }", expect: HR_ONLY },
        Case { name: "recordReview outside the chain", query: "mutation($outsider: ID!) { recordReview(input: {employeeId: $outsider, periodEnd: \"2025-12-31\", rating: 3.5}) { id } }", expect: HR_ONLY },
        Case { name: "nominate outside the chain", query: "mutation($outsider: ID!) { nominate(input: {nomineeId: $outsider, targetRoleCode: \"TEAM_LEAD\", justification: \"ready\"}) { id } }", expect: HR_ONLY },
        Case { name: "approveNomination", query: "mutation($nomination: ID!) { approveNomination(id: $nomination) { id } }", expect: HR_ONLY },
        Case { name: "promotionPayPreview", query: "query($nomination: ID!) { promotionPayPreview(nominationId: $nomination, raisePercent: 25) { newSalary { amount } } }", expect: HR_ONLY },
        Case { name: "proposePayChange outside the chain", query: "mutation($outsider: ID!) { proposePayChange(input: {employeeId: $outsider, reason: MERIT, newSalary: \"451000\", note: \"strong year\"}) { id } }", expect: HR_ONLY },
        Case { name: "decidePayChange", query: "mutation($payChange: ID!) { decidePayChange(id: $payChange, approve: true) { status } }", expect: HR_ONLY },
        Case { name: "payHistory outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { payHistory { id } } }", expect: HR_SEES_IT },
        Case { name: "payChanges", query: "{ payChanges(first: 5) { totalCount } }", expect: EVERYONE },
        Case { name: "meritCycles", query: "{ meritCycles { id } }", expect: MANAGERS_AND_HR },
        Case { name: "openMeritCycle", query: "mutation { openMeritCycle(input: {name: \"Access\", effectiveOn: \"2026-01-01\", budgetPercent: 3}) { id } }", expect: HR_ONLY },
        Case { name: "proposeMerit outside the chain", query: "mutation($cycle: ID!, $outsider: ID!) { proposeMerit(cycleId: $cycle, employeeId: $outsider, percent: 1, justification: \"steady\") { id } }", expect: HR_ONLY },
        Case { name: "closeMeritCycle", query: "mutation($cycle: ID!) { closeMeritCycle(id: $cycle) { status } }", expect: HR_ONLY },
        Case { name: "grantEquity to someone else", query: "mutation($outsider: ID!) { grantEquity(input: {employeeId: $outsider, grantedOn: \"2026-01-01\", units: 100}) { id } }", expect: HR_ONLY },
        Case { name: "equityGrants outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { equityGrants { vestedUnits } } }", expect: HR_SEES_IT },
        Case { name: "payGapReport", query: "{ payGapReport { roleCode } }", expect: HR_ONLY },
        Case { name: "declareGender yourself", query: "mutation { declareGender(gender: UNDISCLOSED) { id } }", expect: EVERYONE },
        Case { name: "declareGender for someone else", query: "mutation($outsider: ID!) { declareGender(gender: OTHER, employeeId: $outsider) { id } }", expect: HR_NOT_ADMIN },
        Case { name: "gender through a relation", query: "{ me { manager { gender } } }", expect: HR_NOT_ADMIN },
        Case { name: "rejectNomination", query: "mutation($nomination: ID!) { rejectNomination(id: $nomination, reason: \"not now\") { id } }", expect: HR_ONLY },
        Case { name: "withdrawNomination in another chain", query: "mutation($nomination: ID!) { withdrawNomination(id: $nomination) { id } }", expect: HR_SEES_IT },
        Case { name: "setStandardHours", query: "mutation { setStandardHours(market: \"US\", annualHours: 2000) { market } }", expect: HR_ONLY },
        Case { name: "upsertSalaryBand", query: "mutation { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"US\", currency: \"USD\", min: \"3000.00\", max: \"4500.00\"}) { id } }", expect: HR_ONLY },
        Case { name: "upsertLadderStep", query: "mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", minRating: 3.2}) { id } }", expect: HR_ONLY },
        Case { name: "upsertSkill", query: "mutation($email: String!) { upsertSkill(input: {name: $email, category: \"Tools\", description: \"d\"}) { id } }", expect: HR_ONLY },
        Case { name: "assessSkill outside the chain", query: "mutation($outsider: ID!, $skill: ID!) { assessSkill(input: {employeeId: $outsider, skillId: $skill, level: 3, assessedOn: \"2026-01-01\"}) { id } }", expect: HR_ONLY },
        Case { name: "upsertCourse", query: "mutation($email: String!, $skill: ID!) { upsertCourse(input: {title: $email, description: \"d\", awardsSkill: {skillId: $skill, level: 3}}) { id } }", expect: HR_ONLY },
        Case { name: "scheduleSession", query: "mutation($course: ID!) { scheduleSession(input: {courseId: $course, startsOn: \"2030-01-01\", endsOn: \"2030-01-02\", capacity: 5}) { id } }", expect: HR_ONLY },
        Case { name: "enrol yourself", query: "mutation($session: ID!) { enrol(sessionId: $session) { id } }", expect: EVERYONE },
        Case { name: "enrol someone outside the chain", query: "mutation($session: ID!, $outsider: ID!) { enrol(sessionId: $session, employeeId: $outsider) { id } }", expect: HR_ONLY },
        Case { name: "openings", query: "{ openings(first: 5) { totalCount nodes { myStanding { status } } } }", expect: EVERYONE },
        Case { name: "myApplications", query: "{ myApplications { id } }", expect: EVERYONE },
        Case { name: "postOpening", query: "mutation($closes: Date!) { postOpening(input: {roleCode: \"TEAM_LEAD\", site: \"Tokyo\", market: \"JP\", workArrangement: ONSITE, closesOn: $closes}) { id } }", expect: MANAGERS_AND_HR },
        Case { name: "closeOpening of another hiring manager", query: "mutation($opening: ID!) { closeOpening(id: $opening) { status } }", expect: HR_ONLY },
        Case { name: "applyToOpening", query: "mutation($opening: ID!) { applyToOpening(openingId: $opening, note: \"me\") { id } }", expect: EVERYONE },
        Case { name: "applicants of another hiring manager", query: "query($opening: ID!) { node(id: $opening) { ... on Opening { applications { totalCount } } } }", expect: HR_ONLY },
        Case { name: "withdrawApplication of someone else", query: "mutation($application: ID!) { withdrawApplication(id: $application) { status } }", expect: THEIRS_ALONE },
        Case { name: "moveApplication of another hiring manager", query: "mutation($application: ID!) { moveApplication(id: $application, to: SHORTLISTED) { status } }", expect: HR_SEES_IT },
        Case { name: "acceptOffer of someone else", query: "mutation($application: ID!) { acceptOffer(applicationId: $application) { status } }", expect: THEIRS_ALONE },
        Case { name: "successionSlates", query: "{ successionSlates(site: \"Osaka\") { site successors { readiness } } }", expect: MANAGERS_AND_HR },
        Case { name: "nineBox", query: "{ nineBox { count } }", expect: MANAGERS_AND_HR },
        Case { name: "benchStrength", query: "{ dashboard { benchStrength { site atRisk } } }", expect: MANAGERS_AND_HR },
        Case { name: "potential outside the chain", query: "query($outsider: ID!) { employee(id: $outsider) { potential potentialHistory { potential } } }", expect: HR_SEES_IT },
        Case { name: "assessPotential outside the chain", query: "mutation($outsider: ID!) { assessPotential(employeeId: $outsider, potential: HIGH) { id } }", expect: HR_SEES_IT },
        Case { name: "confirmSuccessor outside the chain", query: "mutation($outsider: ID!) { confirmSuccessor(input: {site: \"Osaka\", roleCode: \"TEAM_LEAD\", employeeId: $outsider, readiness: READY_NOW}) { site } }", expect: HR_SEES_IT },
        Case { name: "removeSuccessor outside the chain", query: "mutation($outsider: ID!) { confirmSuccessor(input: {site: \"Osaka\", roleCode: \"TEAM_LEAD\", employeeId: $outsider, readiness: READY_NOW}) { site } removeSuccessor(site: \"Osaka\", roleCode: \"TEAM_LEAD\", employeeId: $outsider) { site } }", expect: HR_SEES_IT },
        Case { name: "cancelEnrolment in another chain", query: "mutation($enrolment: ID!) { cancelEnrolment(id: $enrolment) { status } }", expect: HR_SEES_IT },
        Case { name: "completeEnrolment", query: "mutation($enrolment: ID!) { completeEnrolment(id: $enrolment) { status } }", expect: HR_ONLY },
    ]
}

/// A fresh user with the access role of `who` (so that logout and password
/// changes do not disturb other rows of the table), reporting to the
/// outsider's manager (whom they reach through `manager` but may not see
/// privately).
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
            manager: Some(app.other_manager.id),
            ..Default::default()
        })
        .await,
    )
}

/// Shared fixtures: a course with a session that has already run (so a
/// completion may be recorded).
struct Shared {
    course: String,
    session: String,
}

async fn shared(app: &TestApp) -> Shared {
    let course = app
        .data(
            "mutation { upsertCourse(input: {title: \"Access table course\", description: \"d\", awardsCertification: {kind: LEADERSHIP_TRAINING, validityMonths: 36}}) { id } }",
            json!({}),
            Some(&app.hr),
        )
        .await["upsertCourse"]["id"]
        .as_str()
        .expect("course id")
        .to_owned();
    let session = app
        .data(
            "mutation($c: ID!, $s: Date!, $e: Date!) { scheduleSession(input: {courseId: $c, startsOn: $s, endsOn: $e, capacity: 1000}) { id } }",
            json!({ "c": course, "s": months_ago(1).to_string(), "e": months_ago(1).to_string() }),
            Some(&app.hr),
        )
        .await["scheduleSession"]["id"]
        .as_str()
        .expect("session id")
        .to_owned();
    Shared { course, session }
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

/// A PENDING nomination of a fresh CSR in the other chain, by their manager.
async fn pending_nomination(app: &TestApp) -> String {
    let nominee = app.eligible_csr("Nora Nominee", app.other_manager.id).await;
    app.nominate(&app.other_manager, &nominee).await
}

/// A PROPOSED pay change of a fresh CSR in the other chain, by their
/// manager.
async fn proposed_pay_change(app: &TestApp) -> String {
    let person = app
        .person(Person {
            name: "Pat Payrise".into(),
            manager: Some(app.other_manager.id),
            salary: 450_000,
            ..Default::default()
        })
        .await;
    app.data(
        "mutation($e: ID!) { proposePayChange(input: {employeeId: $e, reason: MERIT, newSalary: \"460000\", note: \"strong year\"}) { id } }",
        json!({ "e": person.gid() }),
        Some(&app.other_manager),
    )
    .await["proposePayChange"]["id"]
        .as_str()
        .expect("pay change id")
        .to_owned()
}

/// An ENROLLED seat of a fresh CSR in the other chain (HR enrols late).
async fn enrolment(app: &TestApp, shared: &Shared) -> String {
    let person = app
        .person(Person {
            name: "Erin Enrolled".into(),
            manager: Some(app.other_manager.id),
            ..Default::default()
        })
        .await;
    app.data(
        "mutation($s: ID!, $e: ID!) { enrol(sessionId: $s, employeeId: $e) { id } }",
        json!({ "s": shared.session, "e": person.gid() }),
        Some(&app.hr),
    )
    .await["enrol"]["id"]
        .as_str()
        .expect("enrolment id")
        .to_owned()
}

/// The variables `query` uses, fixtures made fresh for this row.
async fn variables(
    app: &TestApp,
    shared: &Shared,
    query: &str,
    case: &str,
    who: Who,
    user: Option<&User>,
) -> Value {
    let mut vars = json!({
        "outsider": app.outsider.gid(),
        "pw": PASSWORD,
        "email": format!("new.{:?}.{}@test.example", who, case.len()).to_lowercase(),
        "self": user.map_or(app.employee.email.clone(), |u| u.email.clone()),
        "course": shared.course,
        "session": shared.session,
        "skill": gid(Kind::Skill, 1),
        "closes": (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string(),
    });
    if query.contains("$cert") {
        vars["cert"] = json!(pending_cert(app).await);
    }
    if query.contains("$nomination") {
        vars["nomination"] = json!(pending_nomination(app).await);
    }
    if query.contains("$payChange") {
        vars["payChange"] = json!(proposed_pay_change(app).await);
    }
    if query.contains("$cycle") {
        vars["cycle"] = app
            .data(
                "mutation { openMeritCycle(input: {name: \"Access cycle\", effectiveOn: \"2026-01-01\", budgetPercent: 100}) { id } }",
                json!({}),
                Some(&app.hr),
            )
            .await["openMeritCycle"]["id"]
            .clone();
    }
    if query.contains("$enrolment") {
        vars["enrolment"] = json!(enrolment(app, shared).await);
    }
    if query.contains("$opening") || query.contains("$application") {
        let opening = app
            .data(
                "mutation($top: ID!, $closes: Date!) { postOpening(input: {roleCode: \"TEAM_LEAD\", site: \"Tokyo\", market: \"JP\", workArrangement: HYBRID, closesOn: $closes, hiringManagerId: $top}) { id } }",
                json!({ "top": app.top.gid(), "closes": vars["closes"] }),
                Some(&app.hr),
            )
            .await["postOpening"]["id"]
            .clone();
        if query.contains("$application") {
            let applicant = app
                .eligible_csr(&format!("Applicant {case}"), app.manager.id)
                .await;
            vars["application"] = app
                .data(
                    "mutation($opening: ID!) { applyToOpening(openingId: $opening) { id } }",
                    json!({ "opening": opening }),
                    Some(&applicant),
                )
                .await["applyToOpening"]["id"]
                .clone();
        }
        vars["opening"] = opening;
    }
    vars
}

/// The root fields a query selects (for `Hidden`: a null one is hidden).
fn root_fields(query: &str) -> Vec<(OperationType, String)> {
    let document = async_graphql::parser::parse_query(query).expect("a table query parses");
    let mut fields = Vec::new();
    for (_, operation) in document.operations.iter() {
        for item in &operation.node.selection_set.node.items {
            if let Selection::Field(field) = &item.node {
                fields.push((operation.node.ty, field.node.name.node.to_string()));
            }
        }
    }
    fields
}

fn outcome_of(body: &Value, query: &str) -> Option<Outcome> {
    let code = body["errors"][0]["extensions"]["code"].as_str();
    match code {
        Some("UNAUTHENTICATED") => return Some(Unauth),
        Some("FORBIDDEN") => return Some(Forbidden),
        Some("NOT_FOUND") => return Some(Hidden),
        _ => {}
    }
    let null_root = root_fields(query)
        .iter()
        .any(|(_, name)| body["data"].get(name.as_str()) == Some(&Value::Null));
    if code.is_none() && null_root {
        return Some(Hidden);
    }
    Some(Allowed)
}

#[tokio::test]
async fn every_operation_answers_each_access_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let shared = shared(&app).await;
    let mut failures = Vec::new();
    for case in cases() {
        for (who, expected) in WHO.iter().zip(case.expect) {
            let user = fresh_user(&app, *who).await;
            let vars = variables(&app, &shared, case.query, case.name, *who, user.as_ref()).await;
            let body = app.gql(case.query, vars, user.as_ref()).await;
            let got = outcome_of(&body, case.query);
            if got != Some(expected) {
                failures.push(format!(
                    "{} as {:?}: expected {:?}, got {:?}: {}",
                    case.name, who, expected, got, body
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

/// The root fields of `schema.graphql`'s query and mutation types.
fn schema_roots() -> (BTreeSet<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql");
    let document = async_graphql::parser::parse_schema(&text).expect("schema.graphql parses");
    let (mut query_root, mut mutation_root) = ("Query".to_owned(), "Mutation".to_owned());
    for definition in &document.definitions {
        if let TypeSystemDefinition::Schema(schema) = definition {
            if let Some(name) = &schema.node.query {
                query_root = name.node.to_string();
            }
            if let Some(name) = &schema.node.mutation {
                mutation_root = name.node.to_string();
            }
        }
    }
    let fields_of = |root: &str| -> BTreeSet<String> {
        document
            .definitions
            .iter()
            .filter_map(|d| match d {
                TypeSystemDefinition::Type(t) if t.node.name.node.as_str() == root => {
                    match &t.node.kind {
                        TypeKind::Object(object) => Some(
                            object
                                .fields
                                .iter()
                                .map(|f| f.node.name.node.to_string())
                                .collect::<Vec<_>>(),
                        ),
                        _ => None,
                    }
                }
                _ => None,
            })
            .flatten()
            .collect()
    };
    (fields_of(&query_root), fields_of(&mutation_root))
}

#[test]
fn every_root_field_and_mutation_of_the_schema_has_a_row() {
    let (queries, mutations) = schema_roots();
    assert!(
        queries.contains("me") && mutations.contains("login"),
        "schema roots found"
    );
    let mut covered_queries = BTreeSet::new();
    let mut covered_mutations = BTreeSet::new();
    for case in cases() {
        for (ty, name) in root_fields(case.query) {
            match ty {
                OperationType::Query => covered_queries.insert(name),
                OperationType::Mutation => covered_mutations.insert(name),
                OperationType::Subscription => false,
            };
        }
    }
    let missing: Vec<String> = queries
        .difference(&covered_queries)
        .map(|f| format!("Query.{f}"))
        .chain(
            mutations
                .difference(&covered_mutations)
                .map(|f| format!("Mutation.{f}")),
        )
        .collect();
    assert!(
        missing.is_empty(),
        "operations with no row in the authorization table: {}",
        missing.join(", ")
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
