use async_graphql::{Context, Object, Result};

use crate::graphql::context;
use crate::graphql::scalars::Date;
use crate::graphql::types::dashboard::Dashboard;
use crate::graphql::types::employee::as_of_or_today;
use crate::services::dashboard::Scope;

#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// HR and ADMIN: everyone; MANAGER: their reporting chain; EMPLOYEE:
    /// FORBIDDEN. Figures as of `asOf` (default today, UTC).
    async fn dashboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Dashboard> {
        let principal = context::principal(ctx)?;
        let scope = Scope::for_principal(principal)?;
        let ladder = context::ladder(ctx).await?;
        Ok(Dashboard::new(scope, as_of_or_today(as_of), ladder))
    }
}
