//! Progression: feeds one employee's facts to the one eligibility function.
//! The single-employee view, the `eligibleFor` filter and the dashboards all
//! come through here, so they cannot disagree.

use chrono::NaiveDate;

use crate::db::entities::employee;
use crate::db::facts::{Facts, Ladder};
use crate::domain::eligibility::{self, EmployeeFacts, Progression};

/// The engine's view of one employee and their facts.
pub fn employee_facts<'a>(
    ladder: &Ladder,
    employee: &employee::Model,
    facts: &'a Facts,
) -> EmployeeFacts<'a> {
    EmployeeFacts {
        hired_on: employee.hired_on,
        role_since: employee.role_since,
        salary_minor: employee.salary_minor,
        currency: employee.currency.clone(),
        pay: ladder.pay_terms(employee),
        certifications: &facts.certifications,
        reviews: &facts.reviews,
        skills: &facts.skills,
        has_open_nomination: facts.open_nomination,
    }
}

/// Evaluates every ladder step out of the employee's current role.
pub fn evaluate(
    ladder: &Ladder,
    employee: &employee::Model,
    facts: &Facts,
    as_of: NaiveDate,
) -> Progression {
    let steps = ladder.step_rules(employee.job_role_id, &employee.market);
    eligibility::evaluate(&employee_facts(ladder, employee, facts), &steps, as_of)
}

/// The development plan towards `target_role_code` as of `as_of`: the
/// actions that close each gap, with the scheduled course sessions that
/// could do it, and the date the engine says the step would be ELIGIBLE.
pub async fn plan(
    db: &crate::db::Db,
    ladder: &Ladder,
    employee: &employee::Model,
    facts: &Facts,
    target_role_code: &str,
    as_of: NaiveDate,
) -> crate::error::AppResult<crate::domain::plan::Plan> {
    use crate::error::AppError;
    let target = ladder
        .role_by_code(target_role_code.trim())
        .ok_or_else(|| crate::services::catalog::unknown_role(target_role_code))?;
    let step = ladder
        .step_between(employee.job_role_id, target.id)
        .ok_or_else(|| {
            AppError::bad_input(format!(
                "targetRoleCode: {} is not a ladder step out of this person's current role",
                target.code
            ))
        })?;
    let rules = ladder.rules_for(step, &employee.market);
    let offers = crate::services::training::offers_for(db, employee.id, as_of).await?;
    crate::domain::plan::plan(
        &employee_facts(ladder, employee, facts),
        &rules,
        &offers,
        as_of,
    )
    .ok_or_else(|| AppError::internal("the engine gave no option for one step"))
}
