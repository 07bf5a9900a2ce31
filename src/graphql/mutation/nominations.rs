use crate::graphql::ids::{self, Kind};
use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::scalars::Date;
use crate::graphql::subscription::event_bus;
use crate::graphql::types::nomination::Nomination;
use crate::services::nominations;

#[derive(Default)]
pub struct NominationMutation;

/// Whom to nominate, for which role, and why.
#[derive(InputObject)]
pub struct NominateInput {
    /// The person put forward (never yourself).
    pub nominee_id: ID,
    /// Code of the role to promote into: a ladder step out of the nominee's
    /// current role, e.g. "TEAM_LEAD".
    pub target_role_code: String,
    /// Why, in words (at most 2,000 characters).
    pub justification: String,
    /// HR only: nominate someone not (yet) ELIGIBLE; needs `overrideReason`.
    #[graphql(default = false)]
    pub r#override: bool,
    /// Required with `override` (at most 2,000 characters); ignored without.
    pub override_reason: Option<String>,
}

#[Object]
impl NominationMutation {
    /// A manager nominates someone in their chain (HR: anyone) who is
    /// ELIGIBLE today for the target role. NOT_ELIGIBLE lists the gaps.
    async fn nominate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: NominateInput,
    ) -> Result<Nomination> {
        let principal = context::principal(ctx)?;
        let input = nominations::NominateInput {
            nominee_id: ids::parse("nomineeId", Kind::Employee, &input.nominee_id)?,
            target_role_code: input.target_role_code,
            justification: input.justification,
            is_override: input.r#override,
            override_reason: input.override_reason,
        };
        let today = Utc::now().date_naive();
        Ok(Nomination(
            nominations::nominate(context::db(ctx), event_bus(ctx)?, principal, input, today)
                .await?,
        ))
    }

    /// HR: promote. `raisePercent` within the step's range (default its
    /// minimum); `effectiveOn` defaults to today. Nobody decides a
    /// nomination in which they are the nominee or the nominator
    /// (FORBIDDEN).
    async fn approve_nomination(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nomination's global id.")] id: ID,
        #[graphql(desc = "The raise, in percent, within the step's range (default: its minimum).")]
        raise_percent: Option<f64>,
        #[graphql(desc = "The promotion's effective date (default today, UTC).")]
        effective_on: Option<Date>,
    ) -> Result<Nomination> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let id = ids::parse("id", Kind::Nomination, &id)?;
        let today = Utc::now().date_naive();
        Ok(Nomination(
            nominations::approve(
                context::db(ctx),
                event_bus(ctx)?,
                principal,
                id,
                raise_percent,
                effective_on.map(|d| d.0),
                today,
            )
            .await?,
        ))
    }

    /// HR: reject with a reason (never a nomination in which you are the
    /// nominee or the nominator).
    async fn reject_nomination(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nomination's global id.")] id: ID,
        #[graphql(desc = "Why, for the nominee and the nominator (required).")] reason: String,
    ) -> Result<Nomination> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let id = ids::parse("id", Kind::Nomination, &id)?;
        Ok(Nomination(
            nominations::reject(context::db(ctx), event_bus(ctx)?, principal, id, &reason).await?,
        ))
    }

    /// The nominator or HR withdraws a PENDING nomination. A nomination you
    /// may not see is NOT_FOUND, like a missing one.
    async fn withdraw_nomination(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nomination's global id.")] id: ID,
    ) -> Result<Nomination> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Nomination, &id)?;
        Ok(Nomination(
            nominations::withdraw(context::db(ctx), event_bus(ctx)?, principal, id).await?,
        ))
    }
}
