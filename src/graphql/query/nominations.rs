use async_graphql::{Context, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::connection::{page_args, NominationConnection};
use crate::graphql::types::enums::NominationStatus;
use crate::graphql::types::nomination::{Nomination, PayPreview};
use crate::services::nominations;

#[derive(Default)]
pub struct NominationQuery;

#[Object]
impl NominationQuery {
    /// Nominations, newest first: HR all, a MANAGER those in their chain
    /// (and their own), an EMPLOYEE their own.
    async fn nominations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only nominations in this status.")] status: Option<NominationStatus>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
    ) -> Result<NominationConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let (rows, has_next, total) = nominations::list(
            context::db(ctx),
            principal,
            status.map(Into::into),
            first,
            after_id,
        )
        .await?;
        Ok(NominationConnection::new(
            rows.into_iter().map(|n| (n.id, Nomination(n))).collect(),
            has_next,
            after_id.is_some(),
            total,
        ))
    }

    /// One nomination, if you may see it; null otherwise, exactly as for an
    /// id that does not exist.
    async fn nomination(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nomination's global id.")] id: ID,
    ) -> Result<Option<Nomination>> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Nomination, &id)?;
        match nominations::get(context::db(ctx), principal, id).await {
            Ok(n) => Ok(Some(Nomination(n))),
            Err(crate::error::AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// HR: what approving this nomination with `raisePercent` would pay,
    /// exactly as `approveNomination` would compute it, with the target
    /// band and the position in it after. Only those who may decide the
    /// nomination (never for one you are in or made).
    async fn promotion_pay_preview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nomination's global id.")] nomination_id: ID,
        #[graphql(desc = "The raise, in percent, within the step's range (default: its minimum).")]
        raise_percent: Option<f64>,
    ) -> Result<PayPreview> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("nominationId", Kind::Nomination, &nomination_id)?;
        let preview = nominations::preview(context::db(ctx), principal, id, raise_percent).await?;
        Ok(PayPreview(preview))
    }
}
