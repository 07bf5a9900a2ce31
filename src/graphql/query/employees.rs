use async_graphql::{Context, InputObject, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::types::connection::{page_args, EmployeeConnection};
use crate::graphql::types::employee::Employee;
use crate::services::employees;

#[derive(Default)]
pub struct EmployeeQuery;

/// Narrows the `employees` listing; all fields combine with AND.
#[derive(InputObject, Default)]
pub struct EmployeeFilter {
    /// Current job role code, e.g. "CSR".
    pub role_code: Option<String>,
    /// Site, exactly as recorded (case-sensitive).
    pub site: Option<String>,
    /// Market code, e.g. "JP" (any case).
    pub market: Option<String>,
    /// Direct reports of this manager.
    pub manager_id: Option<ID>,
    /// Target role code: only people ELIGIBLE for it today.
    pub eligible_for: Option<String>,
    /// Part of the name or email, case-insensitive.
    pub search: Option<String>,
    /// Only people stalled today (true), or only people not stalled
    /// (false): the dashboard's "stalled" figure, person by person
    /// (managers and HR, as the dashboard; FORBIDDEN for an EMPLOYEE).
    pub stalled: Option<bool>,
    /// Only people whose best option today has this status (the
    /// dashboard's eligibility bars, person by person; managers and HR).
    pub best_status: Option<crate::graphql::types::enums::EligibilityStatus>,
}

/// The employee's row, if the principal may see it in full: the access check
/// of `services::employees`, then the operation's employee loader (which
/// already holds the signed-in person's row, read with their token).
async fn viewable(
    ctx: &Context<'_>,
    principal: &crate::auth::Principal,
    id: i64,
) -> crate::error::AppResult<crate::db::entities::employee::Model> {
    let db = context::db(ctx);
    employees::check_view(db, principal, id).await?;
    let loaders = ctx.data_unchecked::<Loaders>();
    // The row and the certificates asked for with it, in one statement
    // when neither is known yet (kept by this process, or fed), then kept
    // as the loaders would keep them.
    if ctx.look_ahead().field("certifications").exists()
        && !loaders.employees.has(id)
        && !loaders.certifications.has(id)
        && db.kept_employees.get(&id).is_none()
        && db.kept_certifications.get(&id).is_none()
    {
        let generations = (
            db.kept_employees.generation(),
            db.kept_certifications.generation(),
        );
        if let Some((row, certifications)) =
            crate::db::records::employee_with_certifications(&db.conn, id).await?
        {
            if loaders.kept {
                db.kept_employees.keep([(id, &row)], generations.0);
                db.kept_certifications
                    .keep([(id, &certifications)], generations.1);
            }
            loaders.employees.feed_one(id, row);
            loaders.certifications.feed_one(id, certifications);
        }
    }
    loaders
        .employees
        .load_one(id)
        .await?
        .ok_or_else(|| crate::error::AppError::not_found("employee"))
}

/// The employee if the principal may see them; `None` when they do not
/// exist or are hidden, which look the same (`employee(id:)`, `node(id:)`
/// and the federation's entity resolver all answer this way).
pub(super) async fn visible(
    ctx: &Context<'_>,
    principal: &crate::auth::Principal,
    id: i64,
) -> crate::error::AppResult<Option<Employee>> {
    match viewable(ctx, principal, id).await {
        Ok(model) => Ok(Some(Employee(model))),
        Err(crate::error::AppError::NotFound(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

#[Object]
impl EmployeeQuery {
    /// The signed-in employee.
    async fn me(&self, ctx: &Context<'_>) -> Result<Employee> {
        let principal = context::principal(ctx)?;
        Ok(Employee(
            viewable(ctx, principal, principal.employee_id).await?,
        ))
    }

    /// One employee: yourself, anyone in your reporting chain, or anyone for
    /// HR and ADMIN; null otherwise, exactly as for an id that does not
    /// exist.
    async fn employee(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The employee's global id.")] id: ID,
    ) -> Result<Option<Employee>> {
        let principal = context::principal(ctx)?;
        let id = ids::parse("id", Kind::Employee, &id)?;
        Ok(visible(ctx, principal, id).await?)
    }

    /// Everyone you may see, in id order. `first` at most 100 (default 20).
    async fn employees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
        #[graphql(desc = "Narrows the list; omitted fields do not filter.")] filter: Option<
            EmployeeFilter,
        >,
    ) -> Result<EmployeeConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let service_filter = employees::EmployeeFilter {
            role_code: filter.role_code,
            site: filter.site,
            market: filter.market,
            manager_id: filter
                .manager_id
                .map(|id| ids::parse("managerId", Kind::Employee, &id))
                .transpose()?,
            eligible_for: filter.eligible_for,
            search: filter.search,
            stalled: filter.stalled,
            best_status: filter.best_status.map(Into::into),
        };
        let ladder = context::ladder(ctx).await?;
        let count_total = ctx.look_ahead().field("totalCount").exists();
        let page = employees::list(
            context::db(ctx),
            principal,
            &ladder,
            &service_filter,
            first,
            after_id,
            count_total,
        )
        .await?;
        Ok(EmployeeConnection::new(
            page.rows.into_iter().map(|e| (e.id, Employee(e))).collect(),
            page.has_next,
            after_id.is_some(),
            page.total,
        ))
    }
}
