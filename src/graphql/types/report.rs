//! The eligibility report as GraphQL: the rows of `rungs export
//! eligibility`, one per employee and ladder step.

use async_graphql::{SimpleObject, ID};

use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{EligibilityStatus, PromotionTrack};
use crate::services::report::ReportRow;

#[derive(SimpleObject, Clone)]
pub struct EligibilityReportRow {
    pub employee_id: ID,
    pub employee_number: String,
    pub name: String,
    pub site: String,
    pub market: String,
    /// Job role code.
    pub current_role: String,
    /// Job role code of the step's target.
    pub target_role: String,
    pub status: EligibilityStatus,
    pub track: Option<PromotionTrack>,
    pub eligible_on: Option<Date>,
    /// What is missing, one message per gap (the export joins them with "; ").
    pub gaps: Vec<String>,
}

impl From<ReportRow> for EligibilityReportRow {
    fn from(row: ReportRow) -> Self {
        EligibilityReportRow {
            employee_id: ID(row.employee_id.to_string()),
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
