//! Internal mobility (issue 21): the openings, and one's own applications.

use async_graphql::{Context, InputObject, Object, Result};

use crate::graphql::context;
use crate::graphql::types::connection::{page_args, OpeningConnection};
use crate::graphql::types::mobility::{Application, Opening, OpeningStatus};
use crate::services::mobility;

#[derive(Default)]
pub struct MobilityQuery;

/// Which openings to list.
#[derive(InputObject, Default)]
pub struct OpeningFilter {
    /// Only openings in this status (OPEN: those taking applications).
    pub status: Option<OpeningStatus>,
    /// Only openings at this site.
    pub site: Option<String>,
    /// Only openings for this role (a role code, e.g. "TEAM_LEAD").
    pub role_code: Option<String>,
}

#[Object]
impl MobilityQuery {
    /// Openings, newest first, for anyone signed in; each tells the
    /// caller's own standing for its role (`myStanding`).
    async fn openings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Which openings; default every one.")] filter: Option<OpeningFilter>,
    ) -> Result<OpeningConnection> {
        context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let role_id = match &filter.role_code {
            Some(code) => match context::ladder(ctx).await?.role_by_code(code) {
                Some(role) => Some(role.id),
                None => {
                    return Ok(OpeningConnection::new(
                        Vec::new(),
                        false,
                        after_id.is_some(),
                        0,
                    ))
                }
            },
            None => None,
        };
        let service_filter = mobility::OpeningFilter {
            status: filter.status.map(Into::into),
            site: filter.site,
            role_id,
        };
        let (rows, has_next, total) =
            mobility::list(context::db(ctx), &service_filter, first, after_id).await?;
        Ok(OpeningConnection::new(
            rows.into_iter().map(|o| (o.id, Opening(o))).collect(),
            has_next,
            after_id.is_some(),
            total,
        ))
    }

    /// The caller's own applications, newest first (at most 500).
    async fn my_applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        let principal = context::principal(ctx)?;
        Ok(mobility::mine(context::db(ctx), principal)
            .await?
            .into_iter()
            .map(|(row, opening)| Application {
                opening: opening.map(Box::new),
                ..Application::of(row)
            })
            .collect())
    }
}
