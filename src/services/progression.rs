//! Progression: feeds one employee's facts to the one eligibility function.
//! The single-employee view, the `eligibleFor` filter and the dashboards all
//! come through here, so they cannot disagree.

use chrono::NaiveDate;

use crate::db::entities::employee;
use crate::db::facts::Ladder;
use crate::domain::eligibility::{self, CertFact, EmployeeFacts, Progression, ReviewFact};

/// Evaluates every ladder step out of the employee's current role.
pub fn evaluate(
    ladder: &Ladder,
    employee: &employee::Model,
    certifications: &[CertFact],
    reviews: &[ReviewFact],
    has_open_nomination: bool,
    as_of: NaiveDate,
) -> Progression {
    let facts = EmployeeFacts {
        hired_on: employee.hired_on,
        role_since: employee.role_since,
        salary_minor: employee.salary_minor,
        currency: employee.currency.clone(),
        certifications,
        reviews,
        has_open_nomination,
    };
    let steps = ladder.step_rules(employee.job_role_id, &employee.market);
    eligibility::evaluate(&facts, &steps, as_of)
}
