//! Succession (issue 21): slates and the 9-box, for managers (their
//! chain) and HR.

use async_graphql::{Context, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::as_of_or_today;
use crate::graphql::types::succession::{NineBoxCell, SuccessionSlate};
use crate::services::succession;

#[derive(Default)]
pub struct SuccessionQuery;

#[Object]
impl SuccessionQuery {
    /// Succession slates for the leadership seats (Team Lead, Operations
    /// Manager) of a site, or of every site: confirmed successors first,
    /// then the engine's suggestions (READY_NOW: ELIGIBLE; ONE_TO_TWO_YEARS:
    /// NOT_YET within 24 months). HR sees everyone; a MANAGER their
    /// reporting chain; an EMPLOYEE gets FORBIDDEN. At most 200 slates of
    /// 25; more than 20,000 people at once is refused (narrow by site).
    async fn succession_slates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this site.")] site: Option<String>,
        #[graphql(desc = "The day the standing is worked out for (default today).")] as_of: Option<
            Date,
        >,
    ) -> Result<Vec<SuccessionSlate>> {
        let principal = context::principal(ctx)?;
        Ok(succession::slates(
            context::db(ctx),
            principal,
            site.as_deref(),
            as_of_or_today(as_of),
        )
        .await?
        .into_iter()
        .map(SuccessionSlate)
        .collect())
    }

    /// The 9-box of a site and/or a manager's chain: nine cells,
    /// performance (from reviews) by potential (assessed by managers), LOW
    /// to HIGH. HR anyone; a MANAGER their own chain (or a manager's in
    /// it); an EMPLOYEE gets FORBIDDEN.
    async fn nine_box(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this site.")] site: Option<String>,
        #[graphql(desc = "Only this manager's reporting chain (a MANAGER: default their own).")]
        manager_id: Option<ID>,
        #[graphql(desc = "The day performance and potential are read for (default today).")]
        as_of: Option<Date>,
    ) -> Result<Vec<NineBoxCell>> {
        let principal = context::principal(ctx)?;
        let manager_id = ids::parse_opt("managerId", Kind::Employee, manager_id.as_ref())?;
        Ok(succession::nine_box(
            context::db(ctx),
            principal,
            site.as_deref(),
            manager_id,
            as_of_or_today(as_of),
        )
        .await?
        .into_iter()
        .map(NineBoxCell)
        .collect())
    }
}
