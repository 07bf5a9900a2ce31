use async_graphql::{Context, Object, Result};

use crate::graphql::context;
use crate::graphql::scalars::Date;
use crate::graphql::types::connection::{page_args, EligibilityReportConnection};
use crate::graphql::types::employee::as_of_or_today;
use crate::services::report;

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// HR and ADMIN (others: FORBIDDEN): one row per employee and ladder
    /// step out of their role, as of `asOf` (default today, UTC), in
    /// employee id order — the rows of `rungs export eligibility`.
    async fn eligibility_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
    ) -> Result<EligibilityReportConnection> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let (first, after_key) = page_args(first, after.as_deref())?;
        let ladder = context::ladder(ctx).await?;
        let (rows, has_next, total) = report::page(
            context::db(ctx),
            principal,
            &ladder,
            as_of_or_today(as_of),
            first,
            after_key,
        )
        .await?;
        Ok(EligibilityReportConnection::new(
            rows.into_iter().map(|r| (r.key, r.into())).collect(),
            has_next,
            after_key.is_some(),
            total,
        ))
    }
}
