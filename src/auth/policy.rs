//! Who may do what to whom: the one place Rungs decides access.
//!
//! A request works out the principal's [`Relation`] to a target employee
//! once ([`relation`], or [`relation_in_chain`] with the per-request chain
//! cache of `graphql::context`): SELF, MANAGER_ABOVE (a MANAGER above them in
//! the reporting chain, directly or indirectly), HR, ADMIN, or OTHER. The
//! relation is a set of facts, not one value: an HR user looking at their
//! own record is both SELF and HR, and separation of duties needs both.
//! Then every action has one function here; services ask them, resolvers
//! never decide access themselves.
//!
//! Separation of duties lives here too:
//! - nobody approves or rejects a nomination in which they are the nominee
//!   or the nominator, whatever their access role;
//! - nobody verifies their own certificate, so one HR adds for themselves
//!   stays PENDING until another HR user verifies it;
//! - nobody completes their own enrolment, and an assessment of yourself is
//!   SELF (shown, never counted), whatever your access role;
//! - only an ADMIN changes an ADMIN's account.
//!
//! Existence: when the caller may not see a target at all, services answer
//! exactly as for a missing id ([`hidden`]: `NOT_FOUND` from mutations,
//! `null` from nullable query fields), so no answer tells whether an id
//! exists. Refusals that do not depend on the target (an EMPLOYEE approving
//! anything) are FORBIDDEN before any id is looked up.

use std::collections::HashSet;

use sea_orm::ConnectionTrait;

use crate::auth::Principal;
use crate::db::scope;
use crate::domain::enums::{AccessRole, AssessmentSource, CertificationStatus};
use crate::error::{AppError, AppResult};

/// The principal's relation to one target employee. Several facts may hold
/// at once (HR and SELF); none of them is OTHER.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relation {
    /// The principal is the target.
    pub is_self: bool,
    /// The principal is a MANAGER above the target in the reporting chain.
    pub manager_above: bool,
    /// The principal has HR access (HR or ADMIN).
    pub hr: bool,
    /// The principal is an ADMIN.
    pub admin: bool,
}

impl Relation {
    /// The relation given whether the principal stands above the target
    /// (only a MANAGER's place in the chain counts).
    pub fn new(principal: &Principal, target_id: i64, above: bool) -> Relation {
        Relation {
            is_self: principal.employee_id == target_id,
            manager_above: principal.is_manager() && above,
            hr: principal.is_hr(),
            admin: principal.is_admin(),
        }
    }

    /// None of SELF, MANAGER_ABOVE, HR or ADMIN.
    pub fn is_other(&self) -> bool {
        !(self.is_self || self.manager_above || self.hr || self.admin)
    }
}

/// Whether working out the relation needs the reporting chain (a MANAGER
/// looking at someone else); everyone else's relation is known at once.
pub fn needs_chain(principal: &Principal, target_id: i64) -> bool {
    principal.is_manager() && principal.employee_id != target_id
}

/// The relation, with one statement at most (a MANAGER and someone else).
/// An id that does not exist is OTHER to everyone but HR and ADMIN.
pub async fn relation<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    target_id: i64,
) -> AppResult<Relation> {
    let above = needs_chain(principal, target_id)
        && scope::is_above(db, principal.employee_id, target_id).await?;
    Ok(Relation::new(principal, target_id, above))
}

/// The relation given the principal's chain (everyone below them), loaded
/// once per request.
pub fn relation_in_chain(principal: &Principal, target_id: i64, chain: &HashSet<i64>) -> Relation {
    Relation::new(principal, target_id, chain.contains(&target_id))
}

/// The answer for a target the caller may not see: the same as for a
/// missing one.
pub fn hidden(what: &str) -> AppError {
    AppError::not_found(what)
}

fn refuse(message: &str) -> AppError {
    AppError::Forbidden(message.into())
}

/// Private fields (salary, compa-ratio, hire and role dates, tenure, access
/// role, certifications, reviews, progression, skills, enrolments, plans,
/// history) and the pay of a nomination: self, a manager above, HR, ADMIN.
/// Also who `employee(id)` finds.
pub fn may_view_private(rel: Relation) -> bool {
    rel.is_self || rel.manager_above || rel.hr
}

/// The same, as FORBIDDEN (for a field of an employee the caller reached).
pub fn require_private(rel: Relation) -> AppResult<()> {
    if may_view_private(rel) {
        Ok(())
    } else {
        Err(refuse(
            "only the employee, their reporting chain and HR may see this",
        ))
    }
}

/// HR's own tools: the ladder, salary bands, skills, courses, sessions, the
/// audit log and the eligibility report.
pub fn may_administer(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR may do this"))
    }
}

/// Creating an account: HR and ADMIN; an ADMIN account only by an ADMIN.
pub fn may_create_employee(principal: &Principal, access_role: AccessRole) -> AppResult<()> {
    may_administer(principal)?;
    if access_role == AccessRole::Admin && !principal.is_admin() {
        return Err(refuse("only an ADMIN may create ADMIN accounts"));
    }
    Ok(())
}

/// Changing an account: HR and ADMIN; an ADMIN's account, or anyone's
/// access role, only by an ADMIN.
pub fn may_update_employee(
    principal: &Principal,
    target_access_role: Option<AccessRole>,
    changes_access_role: bool,
) -> AppResult<()> {
    may_administer(principal)?;
    if principal.is_admin() {
        return Ok(());
    }
    if target_access_role == Some(AccessRole::Admin) {
        return Err(refuse("only an ADMIN may change an ADMIN's account"));
    }
    if changes_access_role {
        return Err(refuse("only an ADMIN may change access roles"));
    }
    Ok(())
}

/// A change of someone's pay basis or FTE is a pay decision (a row of
/// their pay history): never on oneself, like every other pay decision.
pub fn may_change_pay_terms(principal: &Principal, employee_id: i64) -> AppResult<()> {
    if principal.employee_id == employee_id {
        return Err(refuse("nobody changes their own pay basis or FTE"));
    }
    Ok(())
}

/// A review: a manager above or HR; nobody reviews themselves.
pub fn may_record_review(rel: Relation) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse("nobody reviews themselves"));
    }
    if rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse("reviews are recorded by the reporting chain or HR"))
    }
}

/// A nomination: a manager above or HR; nobody nominates themselves.
pub fn may_nominate(rel: Relation) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse("nobody nominates themselves"));
    }
    if rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse(
            "you may only nominate people in your reporting chain",
        ))
    }
}

/// Proposing a pay change without a promotion (issue 20): a manager above
/// or HR; nobody proposes their own.
pub fn may_propose_pay_change(rel: Relation) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse("nobody proposes a change of their own pay"));
    }
    if rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse(
            "you may only propose pay changes for people in your reporting chain",
        ))
    }
}

/// A pay change outside the band of the person's role: HR only, with a
/// reason.
pub fn may_pay_outside_band(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR may set pay outside the band"))
    }
}

/// Deciding a pay change: HR, never for their own pay nor for a change
/// they proposed.
pub fn may_decide_pay_change(
    principal: &Principal,
    employee_id: i64,
    proposed_by_id: Option<i64>,
) -> AppResult<()> {
    may_decide_pay_changes(principal)?;
    if principal.employee_id == employee_id {
        return Err(refuse("nobody decides a change of their own pay"));
    }
    if proposed_by_id == Some(principal.employee_id) {
        return Err(refuse("nobody decides a pay change they proposed"));
    }
    Ok(())
}

/// The role-level half of the above, checked before any id is looked up.
pub fn may_decide_pay_changes(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR decides pay changes"))
    }
}

/// Whose records a principal reads in a list of people's pay or
/// nominations (`payChanges`, `nominations`): the services turn it into
/// their SQL condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAudience {
    /// HR and ADMIN: everyone's.
    Everyone,
    /// A MANAGER: their own, and their reporting chain's (and, for
    /// nominations, the ones they made).
    SelfAndChain,
    /// An EMPLOYEE: their own.
    SelfOnly,
}

/// The audience of `payChanges` and `nominations` for `principal`.
pub fn list_audience(principal: &Principal) -> ListAudience {
    if principal.is_hr() {
        ListAudience::Everyone
    } else if principal.is_manager() {
        ListAudience::SelfAndChain
    } else {
        ListAudience::SelfOnly
    }
}

/// Opening and closing merit cycles (issue 20): HR only.
pub fn may_run_merit_cycles(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR opens and closes merit cycles"))
    }
}

/// Reading merit cycles, their budgets and matrix: the managers who
/// propose in them, and HR.
pub fn may_see_merit_cycles(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() || principal.is_manager() {
        Ok(())
    } else {
        Err(refuse("merit cycles are for managers and HR"))
    }
}

/// Which merit budgets a principal reads: HR every one (`true`), a
/// manager only those of the sites or markets their reporting chain is in
/// (`false`): a small site's budget would tell its people's pay.
pub fn sees_every_merit_budget(principal: &Principal) -> AppResult<bool> {
    may_see_merit_cycles(principal)?;
    Ok(principal.is_hr())
}

/// Which merit proposals a principal reads: HR every one, a manager those
/// they made (`Some(their id)`).
pub fn merit_proposals_visible_to(principal: &Principal) -> AppResult<Option<i64>> {
    may_see_merit_cycles(principal)?;
    Ok((!principal.is_hr()).then_some(principal.employee_id))
}

/// Proposing a merit raise: as any pay change, a manager above the person
/// or HR, never for one's own pay.
pub fn may_propose_merit(rel: Relation) -> AppResult<()> {
    may_propose_pay_change(rel)
}

/// Closing a cycle decides every proposal in it, so, as for any pay
/// change, not by someone whose own pay is in it nor who proposed some of
/// it: another HR person closes it.
pub fn may_close_merit_cycle(
    principal: &Principal,
    own_pay_in_it: bool,
    proposed_some: bool,
) -> AppResult<()> {
    may_run_merit_cycles(principal)?;
    if own_pay_in_it {
        return Err(refuse(
            "your own pay is in this cycle: another HR person closes it",
        ));
    }
    if proposed_some {
        return Err(refuse(
            "you proposed raises in this cycle: another HR person closes it",
        ));
    }
    Ok(())
}

/// Posting openings (issue 21): managers and HR.
pub fn may_post_openings(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() || principal.is_manager() {
        Ok(())
    } else {
        Err(refuse("only managers and HR post openings"))
    }
}

/// Posting one opening: HR anywhere, for any hiring manager who manages
/// people (MANAGER, HR or ADMIN); a MANAGER only as its hiring manager,
/// at a site where they or their reporting chain work. Only HR lets an
/// opening take people who are not yet eligible (`not_yet_window`).
pub fn may_post_opening(
    principal: &Principal,
    hiring_manager_id: i64,
    hiring_manager_manages: bool,
    site_in_chain: bool,
    not_yet_window: bool,
) -> AppResult<()> {
    may_post_openings(principal)?;
    if not_yet_window && !principal.is_hr() {
        return Err(refuse(
            "only HR lets an opening take people who are not yet eligible",
        ));
    }
    if !hiring_manager_manages {
        return Err(AppError::bad_input(
            "the hiring manager must be a manager (or HR)",
        ));
    }
    if principal.is_hr() {
        return Ok(());
    }
    if hiring_manager_id != principal.employee_id {
        return Err(refuse("a manager posts openings for their own team"));
    }
    if !site_in_chain {
        return Err(refuse(
            "a manager posts openings only at the sites their reporting chain works at",
        ));
    }
    Ok(())
}

/// Closing an opening and moving its applications: its hiring manager,
/// who posted it, or HR.
pub fn may_manage_opening(
    principal: &Principal,
    posted_by_id: i64,
    hiring_manager_id: i64,
) -> AppResult<()> {
    if principal.is_hr()
        || principal.employee_id == posted_by_id
        || principal.employee_id == hiring_manager_id
    {
        Ok(())
    } else {
        Err(refuse(
            "only the opening's hiring manager, who posted it, and HR manage it",
        ))
    }
}

/// Applying: anyone signed in, except the opening's hiring manager (who
/// would decide on themselves).
pub fn may_apply_to_opening(principal: &Principal, hiring_manager_id: i64) -> AppResult<()> {
    if principal.employee_id == hiring_manager_id {
        Err(refuse("you are this opening's hiring manager"))
    } else {
        Ok(())
    }
}

/// Who sees an application: the applicant, the opening's hiring manager
/// or poster, HR. Anyone else finds nothing ([`hidden`]).
pub fn may_see_application(
    principal: &Principal,
    applicant_id: i64,
    posted_by_id: i64,
    hiring_manager_id: i64,
) -> bool {
    principal.employee_id == applicant_id
        || may_manage_opening(principal, posted_by_id, hiring_manager_id).is_ok()
}

/// Who succession planning and the 9-box cover for `principal` (issue
/// 21): HR and ADMIN everyone (`None`); a MANAGER their reporting chain
/// (`Some(their id)`); an EMPLOYEE nothing (FORBIDDEN): potential and
/// slates are calibration data about other people.
pub fn succession_scope(principal: &Principal) -> AppResult<Option<i64>> {
    if principal.is_hr() {
        Ok(None)
    } else if principal.is_manager() {
        Ok(Some(principal.employee_id))
    } else {
        Err(refuse("succession plans are for managers and HR"))
    }
}

/// Assessing someone's potential: a manager above or HR; nobody assesses
/// their own.
pub fn may_assess_potential(rel: Relation) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse("nobody assesses their own potential"));
    }
    if rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse("potential is assessed by the reporting chain or HR"))
    }
}

/// Seeing someone's potential and its history: a manager above and HR.
/// Not the person, HR included: like a 9-box placement, it is the calibration of the
/// people who plan succession, not a rating given to them.
pub fn may_see_potential(rel: Relation) -> bool {
    !rel.is_self && (rel.manager_above || rel.hr)
}

/// Confirming someone on a succession slate: a manager above or HR;
/// nobody confirms themselves.
pub fn may_confirm_successor(rel: Relation) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse("nobody confirms themselves as a successor"));
    }
    if rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse(
            "successors are confirmed by their reporting chain or HR",
        ))
    }
}

/// Someone's declared gender (issue 20): special-category data for the
/// person and HR only; not their manager, not ADMIN (who administers the
/// system, not people).
pub fn may_see_gender(rel: Relation) -> AppResult<()> {
    if rel.is_self || (rel.hr && !rel.admin) {
        Ok(())
    } else {
        Err(refuse("gender is for the person and HR only"))
    }
}

/// Declaring a gender: the person (self-declared) or HR (not ADMIN).
pub fn may_declare_gender(rel: Relation) -> AppResult<()> {
    if rel.is_self || (rel.hr && !rel.admin) {
        Ok(())
    } else {
        Err(refuse("only the person or HR may declare a gender"))
    }
}

/// Granting equity: HR, never to themselves.
pub fn may_grant_equity(principal: &Principal, employee_id: i64) -> AppResult<()> {
    if !principal.is_hr() {
        return Err(refuse("only HR grants equity"));
    }
    if principal.employee_id == employee_id {
        return Err(refuse("nobody grants equity to themselves"));
    }
    Ok(())
}

/// The pay-gap report: HR only.
pub fn may_read_pay_gaps(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("the pay-gap report is for HR"))
    }
}

/// Nominating someone not (yet) eligible: HR only.
pub fn may_override_eligibility(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR may override eligibility"))
    }
}

/// Who sees a nomination: HR, the nominee, the nominator, and a manager
/// above the nominee (`rel` is the relation to the nominee).
pub fn may_see_nomination(principal: &Principal, rel: Relation, nominated_by_id: i64) -> bool {
    rel.hr || rel.is_self || rel.manager_above || nominated_by_id == principal.employee_id
}

/// Approving or rejecting: HR, never in a nomination where they are the
/// nominee or the nominator (whatever their access role).
pub fn may_decide_nomination(
    principal: &Principal,
    nominee_id: i64,
    nominated_by_id: i64,
) -> AppResult<()> {
    may_decide_nominations(principal)?;
    if principal.employee_id == nominee_id {
        return Err(refuse("nobody decides their own nomination"));
    }
    if principal.employee_id == nominated_by_id {
        return Err(refuse("nobody decides a nomination they made"));
    }
    Ok(())
}

/// The role-level half of the above, checked before any id is looked up.
pub fn may_decide_nominations(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() {
        Ok(())
    } else {
        Err(refuse("only HR decides nominations"))
    }
}

/// Withdrawing: the nominator or HR.
pub fn may_withdraw_nomination(principal: &Principal, nominated_by_id: i64) -> AppResult<()> {
    if principal.is_hr() || principal.employee_id == nominated_by_id {
        Ok(())
    } else {
        Err(refuse("only the nominator or HR may withdraw a nomination"))
    }
}

/// Adding a certificate, and the status it starts with: your own is
/// PENDING (HR's own too: another HR user verifies it); HR records
/// someone else's VERIFIED; nobody else adds for others.
pub fn may_add_certification(rel: Relation) -> AppResult<CertificationStatus> {
    if rel.is_self {
        Ok(CertificationStatus::Pending)
    } else if rel.hr {
        Ok(CertificationStatus::Verified)
    } else {
        Err(refuse("you may only submit your own certifications"))
    }
}

/// Verifying or rejecting a certificate: HR, never their own.
pub fn may_verify_certification(principal: &Principal, owner_id: i64) -> AppResult<()> {
    may_administer(principal)?;
    if principal.employee_id == owner_id {
        return Err(refuse(
            "nobody verifies their own certificate; another HR user does",
        ));
    }
    Ok(())
}

/// Assessing a skill, and how the assessment counts: of yourself SELF
/// (shown, never counted, even for HR); HR's counts as HR; a manager
/// above's as MANAGER; anyone else: FORBIDDEN.
pub fn may_assess_skill(rel: Relation) -> AppResult<AssessmentSource> {
    if rel.is_self {
        Ok(AssessmentSource::SelfAssessed)
    } else if rel.hr {
        Ok(AssessmentSource::Hr)
    } else if rel.manager_above {
        Ok(AssessmentSource::Manager)
    } else {
        Err(refuse(
            "skills are assessed by the person, their reporting chain or HR",
        ))
    }
}

/// Enrolling someone: themselves, a manager above, HR.
pub fn may_enrol(rel: Relation) -> AppResult<()> {
    if rel.is_self || rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse(
            "people are enrolled by themselves, their reporting chain or HR",
        ))
    }
}

/// Changing enrolments of a session that has started (enrolling late) or
/// is over (cancelling): HR only.
pub fn may_change_running_session(principal: &Principal) -> bool {
    principal.is_hr()
}

/// Who sees an enrolment: whoever sees the person's private fields, and
/// the session's trainer (`is_session_trainer`: the trainer of its session
/// who still holds the trainer job role).
pub fn may_see_enrolment(rel: Relation, is_session_trainer: bool) -> bool {
    may_view_private(rel) || is_session_trainer
}

/// Cancelling an enrolment: the person, a manager above, HR.
pub fn may_cancel_enrolment(rel: Relation) -> AppResult<()> {
    if rel.is_self || rel.manager_above || rel.hr {
        Ok(())
    } else {
        Err(refuse(
            "an enrolment is cancelled by the person, their reporting chain or HR",
        ))
    }
}

/// The role-level half of completing: HR, or someone holding the trainer
/// job role (checked before any id is looked up).
pub fn may_complete_enrolments(principal: &Principal, holds_trainer_role: bool) -> AppResult<()> {
    if principal.is_hr() || holds_trainer_role {
        Ok(())
    } else {
        Err(refuse(
            "completion is recorded by HR or the session's trainer",
        ))
    }
}

/// Recording a completion: HR or the session's trainer, never for
/// themselves (`rel` is the relation to the enrolled person).
pub fn may_complete_enrolment(rel: Relation, is_session_trainer: bool) -> AppResult<()> {
    if rel.is_self {
        return Err(refuse(
            "nobody records the completion of their own enrolment",
        ));
    }
    if rel.hr || is_session_trainer {
        Ok(())
    } else {
        Err(refuse(
            "completion is recorded by HR or the session's trainer",
        ))
    }
}

/// The dashboard's figures, and the people behind them (`employees`
/// filtered by today's eligibility state): HR, ADMIN and managers (for
/// their chain); an EMPLOYEE is refused.
pub fn may_read_eligibility_figures(principal: &Principal) -> AppResult<()> {
    if principal.is_hr() || principal.is_manager() {
        Ok(())
    } else {
        Err(refuse("dashboards are for HR, ADMIN and managers"))
    }
}

/// A session's roster: HR and its trainer.
pub fn may_view_roster(principal: &Principal, is_session_trainer: bool) -> AppResult<()> {
    if principal.is_hr() || is_session_trainer {
        Ok(())
    } else {
        Err(refuse("the roster is for HR and the session's trainer"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relations of the table: (name, relation).
    fn relations() -> Vec<(&'static str, Relation)> {
        let r = |is_self, manager_above, hr, admin| Relation {
            is_self,
            manager_above,
            hr,
            admin,
        };
        vec![
            ("SELF", r(true, false, false, false)),
            ("MANAGER_ABOVE", r(false, true, false, false)),
            ("HR", r(false, false, true, false)),
            ("ADMIN", r(false, false, true, true)),
            ("HR+SELF", r(true, false, true, false)),
            ("ADMIN+SELF", r(true, false, true, true)),
            ("OTHER", r(false, false, false, false)),
        ]
    }

    /// An action as a function of the relation: Ok(outcome) or FORBIDDEN.
    type Action = fn(Relation) -> Result<&'static str, ()>;

    fn allowed(result: AppResult<()>) -> Result<&'static str, ()> {
        result
            .map(|_| "yes")
            .map_err(|e| assert_eq!(e.code(), "FORBIDDEN"))
    }

    fn actions() -> Vec<(&'static str, Action)> {
        vec![
            ("view private", |r| {
                if may_view_private(r) {
                    Ok("yes")
                } else {
                    Err(())
                }
            }),
            ("record review", |r| allowed(may_record_review(r))),
            ("nominate", |r| allowed(may_nominate(r))),
            ("add certification", |r| {
                may_add_certification(r)
                    .map(|s| s.as_str())
                    .map_err(|e| assert_eq!(e.code(), "FORBIDDEN"))
            }),
            ("assess skill", |r| {
                may_assess_skill(r)
                    .map(|s| s.as_str())
                    .map_err(|e| assert_eq!(e.code(), "FORBIDDEN"))
            }),
            ("enrol", |r| allowed(may_enrol(r))),
            ("cancel enrolment", |r| allowed(may_cancel_enrolment(r))),
            ("complete enrolment (not the trainer)", |r| {
                allowed(may_complete_enrolment(r, false))
            }),
            ("complete enrolment (the trainer)", |r| {
                allowed(may_complete_enrolment(r, true))
            }),
        ]
    }

    /// Expected outcome per action, in the order of `relations()`:
    /// SELF, MANAGER_ABOVE, HR, ADMIN, HR+SELF, ADMIN+SELF, OTHER.
    /// "-" is FORBIDDEN.
    #[rustfmt::skip]
    const TABLE: &[(&str, [&str; 7])] = &[
        ("view private",                          ["yes",     "yes",     "yes",      "yes",      "yes",     "yes",     "-"]),
        ("record review",                         ["-",       "yes",     "yes",      "yes",      "-",       "-",       "-"]),
        ("nominate",                              ["-",       "yes",     "yes",      "yes",      "-",       "-",       "-"]),
        ("add certification",                     ["PENDING", "-",       "VERIFIED", "VERIFIED", "PENDING", "PENDING", "-"]),
        ("assess skill",                          ["SELF",    "MANAGER", "HR",       "HR",       "SELF",    "SELF",    "-"]),
        ("enrol",                                 ["yes",     "yes",     "yes",      "yes",      "yes",     "yes",     "-"]),
        ("cancel enrolment",                      ["yes",     "yes",     "yes",      "yes",      "yes",     "yes",     "-"]),
        ("complete enrolment (not the trainer)",  ["-",       "-",       "yes",      "yes",      "-",       "-",       "-"]),
        ("complete enrolment (the trainer)",      ["-",       "yes",     "yes",      "yes",      "-",       "-",       "yes"]),
    ];

    #[test]
    fn every_action_answers_every_relation_as_the_table_says() {
        let relations = relations();
        let actions = actions();
        assert_eq!(actions.len(), TABLE.len(), "one row per action");
        let mut failures = Vec::new();
        for ((name, action), (row_name, expected)) in actions.iter().zip(TABLE) {
            assert_eq!(name, row_name, "rows in the order of actions()");
            for ((relation_name, relation), want) in relations.iter().zip(expected.iter()) {
                let got = action(*relation).unwrap_or("-");
                if got != *want {
                    failures.push(format!(
                        "{name} as {relation_name}: expected {want}, got {got}"
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn principal(id: i64, access_role: AccessRole) -> Principal {
        Principal {
            employee_id: id,
            access_role,
            session_id: 1,
        }
    }

    #[test]
    fn the_relation_is_worked_out_from_the_principal_and_the_chain() {
        let chain: HashSet<i64> = [20, 21].into_iter().collect();
        let manager = principal(10, AccessRole::Manager);
        assert!(relation_in_chain(&manager, 20, &chain).manager_above);
        assert!(relation_in_chain(&manager, 99, &chain).is_other());
        assert!(relation_in_chain(&manager, 10, &chain).is_self);
        // Only a MANAGER's place in the chain counts.
        let employee = principal(10, AccessRole::Employee);
        assert!(relation_in_chain(&employee, 20, &chain).is_other());
        let hr_self = relation_in_chain(&principal(10, AccessRole::Hr), 10, &chain);
        assert!(hr_self.is_self && hr_self.hr && !hr_self.admin);
        let admin = relation_in_chain(&principal(10, AccessRole::Admin), 30, &chain);
        assert!(admin.hr && admin.admin && !admin.is_self);
        assert!(!needs_chain(&principal(10, AccessRole::Hr), 20));
        assert!(!needs_chain(&manager, 10));
        assert!(needs_chain(&manager, 20));
    }

    #[test]
    fn nobody_decides_a_nomination_they_are_part_of() {
        for role in [AccessRole::Hr, AccessRole::Admin] {
            let me = principal(1, role);
            assert!(may_decide_nomination(&me, 2, 3).is_ok());
            assert_eq!(
                may_decide_nomination(&me, 1, 3).unwrap_err().code(),
                "FORBIDDEN"
            );
            assert_eq!(
                may_decide_nomination(&me, 2, 1).unwrap_err().code(),
                "FORBIDDEN"
            );
        }
        for role in [AccessRole::Employee, AccessRole::Manager] {
            assert_eq!(
                may_decide_nomination(&principal(1, role), 2, 3)
                    .unwrap_err()
                    .code(),
                "FORBIDDEN"
            );
        }
    }

    #[test]
    fn withdrawal_is_for_the_nominator_and_hr() {
        assert!(may_withdraw_nomination(&principal(1, AccessRole::Manager), 1).is_ok());
        assert!(may_withdraw_nomination(&principal(1, AccessRole::Hr), 7).is_ok());
        assert!(may_withdraw_nomination(&principal(1, AccessRole::Manager), 7).is_err());
        assert!(may_withdraw_nomination(&principal(1, AccessRole::Employee), 7).is_err());
    }

    #[test]
    fn who_sees_a_nomination() {
        let other = Relation::default();
        let me = principal(1, AccessRole::Manager);
        assert!(may_see_nomination(&me, other, 1), "the nominator");
        assert!(!may_see_nomination(&me, other, 2));
        let above = Relation {
            manager_above: true,
            ..other
        };
        assert!(may_see_nomination(&me, above, 2));
        let nominee = Relation {
            is_self: true,
            ..other
        };
        assert!(may_see_nomination(&me, nominee, 2));
    }

    #[test]
    fn nobody_verifies_their_own_certificate() {
        let hr = principal(1, AccessRole::Hr);
        assert!(may_verify_certification(&hr, 2).is_ok());
        assert!(may_verify_certification(&hr, 1).is_err());
        assert!(may_verify_certification(&principal(1, AccessRole::Admin), 1).is_err());
        assert!(may_verify_certification(&principal(1, AccessRole::Manager), 2).is_err());
    }

    #[test]
    fn only_an_admin_changes_an_admins_account_or_access_roles() {
        let hr = principal(1, AccessRole::Hr);
        let admin = principal(2, AccessRole::Admin);
        let manager = principal(3, AccessRole::Manager);
        for target in [AccessRole::Employee, AccessRole::Manager, AccessRole::Hr] {
            assert!(may_update_employee(&hr, Some(target), false).is_ok());
            assert!(may_update_employee(&hr, Some(target), true).is_err());
            assert!(may_update_employee(&manager, Some(target), false).is_err());
        }
        assert!(may_update_employee(&hr, Some(AccessRole::Admin), false).is_err());
        assert!(may_update_employee(&admin, Some(AccessRole::Admin), true).is_ok());
        assert!(may_create_employee(&hr, AccessRole::Admin).is_err());
        assert!(may_create_employee(&hr, AccessRole::Hr).is_ok());
        assert!(may_create_employee(&admin, AccessRole::Admin).is_ok());
    }

    #[test]
    fn completing_needs_hr_or_the_trainer_role_before_any_lookup() {
        assert!(may_complete_enrolments(&principal(1, AccessRole::Employee), false).is_err());
        assert!(may_complete_enrolments(&principal(1, AccessRole::Employee), true).is_ok());
        assert!(may_complete_enrolments(&principal(1, AccessRole::Hr), false).is_ok());
    }
}
