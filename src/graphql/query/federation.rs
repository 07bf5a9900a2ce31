//! Apollo Federation 2 (issue 18): Rungs as a subgraph. `Employee` is an
//! entity keyed by its global `id` and by its `employeeNumber`, `Role` by
//! its `code`. async-graphql adds `_service { sdl }` and `_entities` for
//! these resolvers; they are not fields of the schema clients see. Each
//! resolves under the same rules as the typed field: an employee you may
//! not see is null, as for `employee(id:)`. The cost model bounds
//! `_entities` at 100 representations (`graphql::cost`).

use async_graphql::{Context, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::employee::Employee;
use crate::graphql::types::ladder::Role;

#[derive(Default)]
pub struct FederationQuery;

#[Object]
impl FederationQuery {
    /// An employee by global id, for the federation gateway.
    #[graphql(entity)]
    async fn find_employee_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Employee>> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Employee, &id)?;
        Ok(super::employees::visible(ctx, principal, id).await?)
    }

    /// An employee by employee number, for the federation gateway.
    #[graphql(entity)]
    async fn find_employee_by_employee_number(
        &self,
        ctx: &Context<'_>,
        employee_number: String,
    ) -> Result<Option<Employee>> {
        let principal = context::principal(ctx)?;
        let db = context::db(ctx);
        let Some(id) =
            crate::db::records::employee_id_by_number(&db.conn, employee_number.trim()).await?
        else {
            return Ok(None);
        };
        Ok(super::employees::visible(ctx, principal, id).await?)
    }

    /// A job role by code, for the federation gateway.
    #[graphql(entity)]
    async fn find_role_by_code(&self, ctx: &Context<'_>, code: String) -> Result<Option<Role>> {
        context::principal(ctx)?;
        let ladder = context::ladder(ctx).await?;
        Ok(ladder.role_by_code(code.trim()).cloned().map(Role))
    }
}
