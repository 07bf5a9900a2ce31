//! The eligibility report as GraphQL: the rows of `rungs export
//! eligibility`, one per employee and ladder step.

use crate::graphql::ids::{self, Kind};
use async_graphql::{SimpleObject, ID};

use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{EligibilityStatus, PromotionTrack};
use crate::services::report::ReportRow;

/// One employee and one ladder step out of their role, as of the report's
/// date: a row of `rungs export eligibility`.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject, Clone)]
pub struct EligibilityReportRow {
    /// The employee's id.
    pub employee_id: ID,
    /// The employee's HR number.
    pub employee_number: String,
    /// The employee's full name.
    pub name: String,
    /// The employee's site.
    pub site: String,
    /// The employee's market code, e.g. "JP".
    pub market: String,
    /// The employee's current job role code.
    pub current_role: String,
    /// Job role code of the step's target.
    pub target_role: String,
    /// ELIGIBLE, NOT_YET (only tenure missing) or INELIGIBLE for the step.
    pub status: EligibilityStatus,
    /// FAST_TRACK or STANDARD; null when there is no rating to decide.
    pub track: Option<PromotionTrack>,
    /// NOT_YET: the date tenure will be enough. ELIGIBLE: the date it
    /// became true. INELIGIBLE: null.
    pub eligible_on: Option<Date>,
    /// What is missing, one message per gap (the export joins them with "; ").
    pub gaps: Vec<String>,
}

impl From<ReportRow> for EligibilityReportRow {
    fn from(row: ReportRow) -> Self {
        EligibilityReportRow {
            employee_id: ids::of(Kind::Employee, row.employee_id),
            employee_number: row.employee_number,
            name: row.name,
            site: row.site,
            market: row.market,
            current_role: row.current_role,
            target_role: row.target_role,
            status: row.status.into(),
            track: row.track.map(Into::into),
            eligible_on: row.eligible_on.map(Date),
            gaps: row
                .gaps
                .into_iter()
                .take(crate::graphql::cost::bound::GAPS)
                .map(|g| g.message)
                .collect(),
        }
    }
}
