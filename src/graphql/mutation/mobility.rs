//! Internal mobility (issue 21): openings, applications, offers.

use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::Utc;

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::subscription::event_bus;
use crate::graphql::types::enums::WorkArrangement;
use crate::graphql::types::mobility::{Application, ApplicationStatus, Opening};
use crate::services::mobility;

#[derive(Default)]
pub struct MobilityMutation;

/// An opening to post.
#[derive(InputObject)]
pub struct OpeningInput {
    /// The role to fill, by code (e.g. "TEAM_LEAD").
    pub role_code: String,
    /// Where the seats are (a manager: a site their reporting chain works
    /// at).
    pub site: String,
    /// The market, e.g. "JP": with the role it selects the pay band.
    pub market: String,
    /// On site, remote or hybrid.
    pub work_arrangement: WorkArrangement,
    /// How many people it hires, 1 to 500 (default 1).
    #[graphql(default = 1)]
    pub seats: i32,
    /// The last day it takes applications: today up to a year ahead.
    pub closes_on: Date,
    /// HR only: whom the people hired report to (default: the poster).
    pub hiring_manager_id: Option<ID>,
    /// Let people NOT_YET eligible apply within this many days (0 to 365)
    /// of their `eligibleOn`; omitted: ELIGIBLE people only.
    pub not_yet_window_days: Option<i32>,
}

#[Object]
impl MobilityMutation {
    /// Posts an opening: a MANAGER for their own team at a site their
    /// reporting chain works at; HR anywhere, for any manager. Audited.
    async fn post_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to post.")] input: OpeningInput,
    ) -> Result<Opening> {
        let principal = context::principal(ctx)?;
        let work_arrangement: crate::domain::enums::WorkArrangement = input.work_arrangement.into();
        let input = mobility::PostInput {
            role_code: input.role_code,
            site: input.site,
            market: input.market,
            work_arrangement: work_arrangement.into(),
            seats: input.seats,
            closes_on: input.closes_on.0,
            hiring_manager_id: ids::parse_opt(
                "hiringManagerId",
                Kind::Employee,
                input.hiring_manager_id.as_ref(),
            )?,
            not_yet_window_days: input.not_yet_window_days,
        };
        Ok(Opening(
            mobility::post(context::db(ctx), principal, input, Utc::now().date_naive()).await?,
        ))
    }

    /// Closes an opening (its hiring manager, who posted it, or HR): no
    /// more applications, and those in progress are REJECTED. Audited.
    async fn close_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The opening's id.")] id: ID,
    ) -> Result<Opening> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Opening, &id)?;
        Ok(Opening(
            mobility::close(context::db(ctx), event_bus(ctx)?, principal, id).await?,
        ))
    }

    /// Applies to an open opening with a short note (at most 1,000
    /// characters). The caller's standing for its role must be ELIGIBLE,
    /// or NOT_YET within the opening's window, else NOT_ELIGIBLE with the
    /// gaps; one application in progress per opening. Audited.
    async fn apply_to_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The opening's id.")] opening_id: ID,
        #[graphql(desc = "Why you, in a few words (at most 1,000 characters).")] note: Option<
            String,
        >,
    ) -> Result<Application> {
        let principal = context::principal(ctx)?;
        let opening_id = ids::parse("openingId", Kind::Opening, &opening_id)?;
        Ok(Application::of(
            mobility::apply(
                context::db(ctx),
                event_bus(ctx)?,
                principal,
                opening_id,
                note,
                Utc::now().date_naive(),
            )
            .await?,
        ))
    }

    /// The applicant withdraws their application (while APPLIED,
    /// SHORTLISTED or OFFERED). Audited.
    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application's id.")] id: ID,
    ) -> Result<Application> {
        move_to(ctx, &id, ApplicationStatus::Withdrawn, None).await
    }

    /// Moves an application: the hiring side (the opening's hiring
    /// manager, who posted it, HR; never for their own application)
    /// SHORTLISTS, OFFERS (while a seat is free) or REJECTS (with a
    /// reason); the applicant WITHDRAWS or DECLINES an offer. Anything else
    /// is CONFLICT (a move the state does not allow) or FORBIDDEN (a move
    /// that is not the caller's). Audited.
    async fn move_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application's id.")] id: ID,
        #[graphql(desc = "The state to move it to.")] to: ApplicationStatus,
        #[graphql(desc = "Why (at most 1,000 characters); required to reject.")] reason: Option<
            String,
        >,
    ) -> Result<Application> {
        move_to(ctx, &id, to, reason).await
    }

    /// The applicant accepts their offer: in one transaction a seat is
    /// taken (never more than the opening has) and they move: role, site,
    /// market, work arrangement, manager (the hiring manager), pay inside
    /// the target band (the step's promotion rule, or for a LATERAL step
    /// the same pay clamped into the band), role and pay history. Their
    /// hire date, and so months of service, is kept; time in role starts
    /// again on `effectiveOn` (today, the default, or earlier). Audited.
    async fn accept_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application's id.")] application_id: ID,
        #[graphql(desc = "The day the move starts: today (the default) or earlier.")]
        effective_on: Option<Date>,
    ) -> Result<Application> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("applicationId", Kind::Application, &application_id)?;
        Ok(Application::of(
            mobility::accept_offer(
                context::db(ctx),
                event_bus(ctx)?,
                principal,
                id,
                effective_on.map(|d| d.0),
                Utc::now().date_naive(),
            )
            .await?,
        ))
    }
}

/// `moveApplication` and `withdrawApplication`: one service call.
async fn move_to(
    ctx: &Context<'_>,
    id: &ID,
    to: ApplicationStatus,
    reason: Option<String>,
) -> Result<Application> {
    let principal = context::principal(ctx)?;
    let id = ids::parse("id", Kind::Application, id)?;
    Ok(Application::of(
        mobility::move_application(
            context::db(ctx),
            event_bus(ctx)?,
            principal,
            id,
            mobility_status(to),
            reason,
        )
        .await?,
    ))
}

fn mobility_status(status: ApplicationStatus) -> crate::domain::mobility::ApplicationStatus {
    status.into()
}
