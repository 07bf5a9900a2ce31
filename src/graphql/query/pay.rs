use async_graphql::{Context, Object, Result};
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
