use async_graphql::{Context, Object, Result};

use crate::graphql::types::connection::{page_args, PayChangeConnection};
use crate::graphql::types::enums::PayChangeStatus;
use crate::graphql::types::pay::PayChange;
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::cost::bound;
use crate::graphql::scalars::Date;
use crate::graphql::types::pay::PayGapBucket;
use crate::services::pay;

#[derive(Default)]
pub struct PayQuery;

#[Object]
impl PayQuery {
    /// Pay changes, newest first, as pay is seen: HR all, a MANAGER their
    /// own and their reporting chain's, an EMPLOYEE their own. HR finds the
    /// proposals waiting for a decision with `status: PROPOSED`.
    async fn pay_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only pay changes in this status.")] status: Option<PayChangeStatus>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
    ) -> Result<PayChangeConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let (rows, has_next, total) = pay::list(
            context::db(ctx),
            principal,
            status.map(Into::into),
            first,
            after_id,
        )
        .await?;
        Ok(PayChangeConnection::new(
            rows.into_iter().map(|c| (c.id, PayChange(c))).collect(),
            has_next,
            after_id.is_some(),
            total,
        ))
    }

    /// Merit cycles, newest first (at most 20): for managers, who propose
    /// in them, and HR.
    async fn merit_cycles(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::merit::MeritCycle>> {
        let principal = context::principal(ctx)?;
        Ok(
            crate::services::merit::list(context::db(ctx), principal, bound::MERIT_CYCLES as u64)
                .await?
                .into_iter()
                .map(crate::graphql::types::merit::MeritCycle)
                .collect(),
        )
    }

    /// HR: the gender pay gap per role and market (EU Pay Transparency
    /// Directive 2023/970), in base pay, among people who declared WOMAN or
    /// MAN, with the role and pay each held on `asOf`. At most 1,000 groups.
    async fn pay_gap_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to report on, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Vec<PayGapBucket>> {
        let principal = context::principal(ctx)?;
        let as_of = crate::services::validate::date(
            "asOf",
            as_of.map_or_else(|| Utc::now().date_naive(), |d| d.0),
        )?;
        let ladder = context::ladder(ctx).await?;
        let buckets =
            pay::pay_gap_report(context::db(ctx), principal, &ladder, as_of, bound::BUCKETS)
                .await?;
        Ok(buckets.into_iter().map(PayGapBucket).collect())
    }
}
