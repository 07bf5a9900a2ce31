//! Every mutation's bad inputs — wrong types, empty and huge strings,
//! unknown ids, ids of the wrong type, impossible and far-future dates,
//! negative money, too many decimals, non-ISO currencies — answer
//! BAD_USER_INPUT (or NOT_FOUND for a well-formed id that does not exist)
//! and change nothing.

use serde_json::{json, Value};

use crate::helpers::{gid, with_global_ids, Kind, TestApp, PASSWORD};

/// Every table a mutation may write.
const TABLES: &[&str] = &[
    "employee",
    "certification",
    "performance_review",
    "salary_band",
    "ladder_step",
    "step_requirement",
    "nomination",
    "role_assignment",
    "audit_event",
    "skill",
    "skill_assessment",
    "step_skill",
    "course",
    "course_session",
    "enrolment",
    "pay_change",
    "employee_gender",
    "equity_grant",
    "market_hours",
    "merit_cycle",
    "merit_budget",
    "merit_guideline",
    "merit_proposal",
    "opening",
    "application",
    "potential_assessment",
    "successor",
];

#[tokio::test]
async fn every_mutation_refuses_bad_input_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(100_000);
    let me = app.employee.gid();
    let cases: Vec<(&str, Value, &[&str])> = vec![
        ("mutation($v: String!) { changePassword(currentPassword: $v, newPassword: \"\") }", json!({ "v": PASSWORD }), &["BAD_USER_INPUT"]),
        ("mutation { changePassword(currentPassword: 42, newPassword: \"a long enough one\") }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($v: String!) { createEmployee(input: {name: $v, email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"400000\", currency: \"JPY\"}) { id } }", json!({ "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"400000.001\", currency: \"USD\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: 400000, currency: \"JPY\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { updateEmployee(id: \"abc\", input: {site: \"Nagoya\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        // Pay basis and FTE (issue 20): FTE outside (0, 1], a basis that is not one.
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"230\", currency: \"JPY\", payBasis: HOURLY, fte: 0}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"230\", currency: \"JPY\", payBasis: HOURLY, fte: 1.25}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"-230\", currency: \"JPY\", payBasis: HOURLY, fte: 0.5}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { createEmployee(input: {name: \"N\", email: \"n@test.example\", roleCode: \"CSR\", site: \"Tokyo\", market: \"JP\", hiredOn: \"2025-01-01\", salary: \"230\", currency: \"JPY\", payBasis: WEEKLY}) { id } }", json!({}), &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]),
        ("mutation { updateEmployee(id: \"1\", input: {fte: -0.5}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { setStandardHours(market: \"JP\", annualHours: 0) { market } }", json!({}), &["BAD_USER_INPUT"]),
        // Merit cycles (issue 20).
        ("mutation { openMeritCycle(input: {name: \"x\", effectiveOn: \"2026-01-01\", budgetPercent: -3}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { openMeritCycle(input: {name: \"x\", effectiveOn: \"2026-02-30\", budgetPercent: 3}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { openMeritCycle(input: {name: \"x\", effectiveOn: \"2026-01-01\", budgetPercent: 3, matrix: [{minRating: 3, maxRating: 4, compaQuartile: 0, minPercent: 1, maxPercent: 2}]}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { proposeMerit(cycleId: \"abc\", employeeId: \"1\", percent: 3) { id } }", json!({}), &["BAD_USER_INPUT"]),
        // Internal mobility (issue 21).
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "seats": 0 })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "seats": 501 })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "closesOn": "2020-01-01" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "closesOn": "2026-02-30" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "closesOn": "2099-01-01" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "notYetWindowDays": -1 })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "roleCode": "ASTRONAUT" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "market": "not a market!" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "site": huge })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "hiringManagerId": "abc" })) }), &["BAD_USER_INPUT"]),
        ("mutation($o: OpeningInput!) { postOpening(input: $o) { id } }", json!({ "o": opening_input(json!({ "workArrangement": "ON_THE_MOON" })) }), &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]),
        ("mutation { closeOpening(id: \"abc\") { status } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { closeOpening(id: $id) { status } }", json!({ "id": gid(Kind::Opening, 999_999) }), &["NOT_FOUND"]),
        ("mutation($id: ID!) { closeOpening(id: $id) { status } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { applyToOpening(openingId: \"abc\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!, $v: String!) { applyToOpening(openingId: $id, note: $v) { id } }", json!({ "id": gid(Kind::Opening, 999_999), "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { withdrawApplication(id: $id) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { moveApplication(id: $id, to: ACCEPTED) { id } }", json!({ "id": gid(Kind::Application, 999_999) }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!, $v: String!) { moveApplication(id: $id, to: REJECTED, reason: $v) { id } }", json!({ "id": gid(Kind::Application, 999_999), "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { moveApplication(id: $id, to: SHORTLISTED) { id } }", json!({ "id": gid(Kind::Application, 999_999) }), &["NOT_FOUND"]),
        ("mutation($id: ID!) { acceptOffer(applicationId: $id, effectiveOn: \"2026-13-01\") { id } }", json!({ "id": gid(Kind::Application, 999_999) }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { acceptOffer(applicationId: $id, effectiveOn: \"2099-01-01\") { id } }", json!({ "id": gid(Kind::Application, 999_999) }), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"VENDOR_MANAGER\", kind: LATERAL, raiseMaxPercent: 5}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        // Succession (issue 21).
        ("mutation { assessPotential(employeeId: \"abc\", potential: HIGH) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { assessPotential(employeeId: $id, potential: HIGH) { id } }", json!({ "id": gid(Kind::Employee, 999_999) }), &["NOT_FOUND"]),
        ("mutation($id: ID!) { assessPotential(employeeId: $id, potential: SKY_HIGH) { id } }", json!({ "id": me }), &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]),
        ("mutation($id: ID!) { confirmSuccessor(input: {site: \"Tokyo\", roleCode: \"CSR\", employeeId: $id, readiness: READY_NOW}) { site } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { confirmSuccessor(input: {site: \"Atlantis\", roleCode: \"TEAM_LEAD\", employeeId: $id, readiness: READY_NOW}) { site } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!, $v: String!) { confirmSuccessor(input: {site: $v, roleCode: \"TEAM_LEAD\", employeeId: $id, readiness: READY_NOW}) { site } }", json!({ "id": me, "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation { confirmSuccessor(input: {site: \"Tokyo\", roleCode: \"TEAM_LEAD\", employeeId: \"abc\", readiness: READY_NOW}) { site } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { confirmSuccessor(input: {site: \"Tokyo\", roleCode: \"TEAM_LEAD\", employeeId: $id, readiness: SOON}) { site } }", json!({ "id": me }), &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]),
        ("{ nineBox(managerId: \"abc\") { count } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { removeSuccessor(site: \"Tokyo\", roleCode: \"CSR\", employeeId: $id) { site } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { removeSuccessor(site: \"Tokyo\", roleCode: \"TEAM_LEAD\", employeeId: \"abc\") { site } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { removeSuccessor(site: \"Tokyo\", roleCode: \"TEAM_LEAD\", employeeId: $id) { site } }", json!({ "id": me }), &["NOT_FOUND"]),
        ("mutation { closeMeritCycle(id: \"abc\") { status } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { setStandardHours(market: \"JP\", annualHours: 9000) { market } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { setStandardHours(market: \"not a market\", annualHours: 2000) { market } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { updateEmployee(id: \"999999\", input: {site: \"Nagoya\"}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation($id: ID!) { updateEmployee(id: $id, input: {email: \"\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { updateEmployee(id: $id, input: {market: \"not a market!\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { updateEmployee(id: $id, input: {managerId: \"-3\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: SIX_SIGMA, belt: PURPLE, name: \"x\", issuedOn: \"2025-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"x\", issuedOn: \"2025-13-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { addCertification(input: {employeeId: $id, kind: LEADERSHIP_TRAINING, name: \"x\", issuedOn: \"2025-01-01\", expiresOn: \"3025-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { addCertification(input: {employeeId: \"999999\", kind: LEADERSHIP_TRAINING, name: \"x\", issuedOn: \"2025-01-01\"}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { verifyCertification(id: \"not-an-id\", approve: true) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { verifyCertification(id: \"999999\", approve: true) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation($id: ID!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-02-29\", rating: 3.0}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-03-31\", rating: 3.0, csat: 140}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-03-31\", rating: \"high\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { recordReview(input: {employeeId: $id, periodEnd: \"2025-03-31\", rating: 3.0, avgResponseSeconds: -5}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"JP\", currency: \"JPY\", min: \"-1\", max: \"500000\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"JP\", currency: \"XXX\", min: \"1\", max: \"500000\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"CSR\", market: \"JP\", currency: \"JPY\", min: \"1.5\", max: \"500000\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"NOPE\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\", bonusTargetPercent: 101}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\", bonusTargetPercent: -1}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\", bonusTargetPercent: 10.005}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\", equityGuideline: {units: 100, vestingMonths: 12, cliffMonths: 24}}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertSalaryBand(input: {roleCode: \"TEAM_LEAD\", market: \"JP\", currency: \"JPY\", min: \"1\", max: \"500000\", equityGuideline: {units: 0, vestingMonths: 12, cliffMonths: 0}}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", minRating: 9.5}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", fastTrackMonths: -1}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", raiseMinPercent: 40, raiseMaxPercent: 30}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"CSR\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", requirements: [{kind: LANGUAGE, minBelt: GREEN}]}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { nominate(input: {nomineeId: \"abc\", targetRoleCode: \"TEAM_LEAD\", justification: \"x\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"   \"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { nominate(input: {nomineeId: $id, targetRoleCode: \"ASTRONAUT\", justification: \"x\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { approveNomination(id: \"x1\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { approveNomination(id: \"999999\", effectiveOn: \"2026-04-31\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { approveNomination(id: \"999999\") { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { rejectNomination(id: \"999999\", reason: \"\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { withdrawNomination(id: \"1.5\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($v: String!) { upsertSkill(input: {name: $v, category: \"c\", description: \"d\"}) { id } }", json!({ "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation { upsertSkill(input: {id: \"999999\", name: \"n\", category: \"c\", description: \"d\"}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { upsertSkill(input: {name: \"Coaching\", category: \"c\", description: \"d\"}) { id } }", json!({}), &["CONFLICT"]),
        ("mutation($id: ID!) { assessSkill(input: {employeeId: $id, skillId: \"1\", level: 9, assessedOn: \"2026-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { assessSkill(input: {employeeId: $id, skillId: \"1\", level: 3, assessedOn: \"3026-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { assessSkill(input: {employeeId: $id, skillId: \"one\", level: 3, assessedOn: \"2026-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { assessSkill(input: {employeeId: $id, skillId: \"999999\", level: 3, assessedOn: \"2026-01-01\"}) { id } }", json!({ "id": me }), &["NOT_FOUND"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", skillRequirements: [{skillId: \"1\", minLevel: 0}]}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", skillRequirements: [{skillId: \"1\", minLevel: 3}, {skillId: \"1\", minLevel: 4}]}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertLadderStep(input: {fromRoleCode: \"CSR\", toRoleCode: \"TEAM_LEAD\", skillRequirements: [{skillId: \"999999\", minLevel: 3}]}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { upsertCourse(input: {title: \"t\", description: \"d\"}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertCourse(input: {title: \"t\", description: \"d\", awardsCertification: {kind: LANGUAGE, cefr: B2}}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { upsertCourse(input: {id: \"999999\", title: \"t\", description: \"d\", awardsSkill: {skillId: \"1\", level: 3}}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { scheduleSession(input: {courseId: \"999999\", startsOn: \"2030-01-01\", endsOn: \"2030-01-02\", capacity: 5}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { scheduleSession(input: {courseId: \"1\", startsOn: \"2030-02-30\", endsOn: \"2030-03-02\", capacity: 5}) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { enrol(sessionId: \"999999\") { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { enrol(sessionId: \"-1\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { cancelEnrolment(id: \"999999\") { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { completeEnrolment(id: \"999999\") { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { completeEnrolment(id: \"1\", completedOn: \"not a date\") { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"-5\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"460000.5\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: 460000}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"4.6e5\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: BONUS, newSalary: \"460000\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: PROMOTION, newSalary: \"460000\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"460000\", effectiveOn: \"3026-01-01\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"460000\", effectiveOn: \"2026-02-30\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!, $v: String!) { proposePayChange(input: {employeeId: $id, reason: MERIT, newSalary: \"460000\", note: $v}) { id } }", json!({ "id": me, "v": huge }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { proposePayChange(input: {employeeId: $id, reason: CORRECTION, newSalary: \"99999999\"}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { proposePayChange(input: {employeeId: \"999999\", reason: MERIT, newSalary: \"460000\"}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { decidePayChange(id: \"999999\", approve: true) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { decidePayChange(id: \"999999\", approve: false) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { decidePayChange(id: \"pay\", approve: true) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation { declareGender(gender: FEMALE) { id } }", json!({}), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: 0}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: -5}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: 100, vestingMonths: 0}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: 100, vestingMonths: 48, cliffMonths: 60}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: 100, cliffMonths: -1}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-02-30\", units: 100}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation($id: ID!) { grantEquity(input: {employeeId: $id, grantedOn: \"2026-01-01\", units: 100.5}) { id } }", json!({ "id": me }), &["BAD_USER_INPUT"]),
        ("mutation { grantEquity(input: {employeeId: \"999999\", grantedOn: \"2026-01-01\", units: 100}) { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { declareGender(gender: WOMAN, employeeId: \"999999\") { id } }", json!({}), &["NOT_FOUND"]),
        ("mutation { declareGender(gender: WOMAN, employeeId: \"x\") { id } }", json!({}), &["BAD_USER_INPUT"]),
    ];
    let nomination = gid(Kind::Nomination, 1);
    let wrong_type: Vec<(String, Value, &[&str])> = vec![
        (
            "mutation($id: ID!) { updateEmployee(id: $id, input: {site: \"Nagoya\"}) { id } }"
                .into(),
            json!({ "id": nomination }),
            &["BAD_USER_INPUT"],
        ),
        (
            "mutation($id: ID!) { approveNomination(id: $id) { id } }".into(),
            json!({ "id": me }),
            &["BAD_USER_INPUT"],
        ),
        (
            "mutation { approveNomination(id: \"1\") { id } }".into(),
            json!({}),
            &["BAD_USER_INPUT"],
        ),
        (
            "mutation { cancelEnrolment(id: \"RW5yb2xtZW50Og==\") { id } }".into(),
            json!({}),
            &["BAD_USER_INPUT"],
        ),
    ];
    let before = app.counts(TABLES).await;
    let mut failures = Vec::new();
    let cases = cases
        .into_iter()
        .map(|(query, variables, codes)| (with_global_ids(query), variables, codes))
        .chain(wrong_type);
    for (query, variables, codes) in cases {
        let body = app.gql(&query, variables, Some(&app.hr)).await;
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("none");
        if !codes.contains(&code) {
            failures.push(format!("{query}\n  expected {codes:?}, got {body}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        app.counts(TABLES).await,
        before,
        "a refused mutation changed something"
    );
}

/// A valid opening (HR posting a Team Lead seat in Tokyo) with `changes`.
fn opening_input(changes: Value) -> Value {
    let mut input = json!({
        "roleCode": "TEAM_LEAD", "site": "Tokyo", "market": "JP", "workArrangement": "ONSITE",
        "seats": 1,
        "closesOn": (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string(),
    });
    for (key, value) in changes.as_object().unwrap() {
        input[key] = value.clone();
    }
    input
}
