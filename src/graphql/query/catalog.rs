use async_graphql::{Context, Object, Result};

use crate::graphql::context;
use crate::graphql::types::ladder::{Role, SalaryBand};
use crate::services::catalog;

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Every job role, lowest level first, with the steps out of it.
    async fn ladder(&self, ctx: &Context<'_>) -> Result<Vec<Role>> {
        context::principal(ctx)?;
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .roles
            .iter()
            .take(crate::graphql::cost::bound::ROLES)
            .cloned()
            .map(Role)
            .collect())
    }

    /// Salary bands (visible to everyone signed in: pay transparency).
    async fn salary_bands(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this role's bands, by code.")] role_code: Option<String>,
        #[graphql(desc = "Only this market's bands, e.g. \"JP\".")] market: Option<String>,
    ) -> Result<Vec<SalaryBand>> {
        context::principal(ctx)?;
        let ladder = context::ladder(ctx).await?;
        let bands = catalog::salary_bands(
            context::db(ctx),
            &ladder,
            role_code.as_deref(),
            market.as_deref(),
        )
        .await?;
        Ok(bands
            .into_iter()
            .take(crate::graphql::cost::bound::SALARY_BANDS)
            .map(SalaryBand::from)
            .collect())
    }
}
