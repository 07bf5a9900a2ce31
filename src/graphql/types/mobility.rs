//! Internal mobility as GraphQL (issue 21): openings anyone signed in
//! reads, with their own standing; applications for the applicant, the
//! opening's hiring manager or poster, and HR (`auth::policy`).

use async_graphql::{Context, Enum, Object, Result, ID};

use crate::db::entities::{application, employee, opening};
use crate::domain::eligibility::OptionResult;
use crate::domain::mobility;
use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::connection::{page_args, ApplicationConnection};
use crate::graphql::types::employee::{as_of_or_today, Employee};
use crate::graphql::types::enums::WorkArrangement;
use crate::graphql::types::ladder::Role;
use crate::graphql::types::progression::PromotionOption;
use crate::services::mobility as service;
use chrono::{DateTime, Utc};

/// Whether an opening takes applications.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OpeningStatus {
    /// Takes applications until its closing date.
    Open,
    /// Every seat was taken.
    Filled,
    /// Closed by its hiring manager or HR.
    Closed,
}

impl From<OpeningStatus> for mobility::OpeningStatus {
    fn from(value: OpeningStatus) -> Self {
        match value {
            OpeningStatus::Open => mobility::OpeningStatus::Open,
            OpeningStatus::Filled => mobility::OpeningStatus::Filled,
            OpeningStatus::Closed => mobility::OpeningStatus::Closed,
        }
    }
}

impl From<mobility::OpeningStatus> for OpeningStatus {
    fn from(value: mobility::OpeningStatus) -> Self {
        match value {
            mobility::OpeningStatus::Open => OpeningStatus::Open,
            mobility::OpeningStatus::Filled => OpeningStatus::Filled,
            mobility::OpeningStatus::Closed => OpeningStatus::Closed,
        }
    }
}

/// Where an application stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ApplicationStatus {
    /// Sent by the applicant.
    Applied,
    /// Kept for a closer look by the hiring side.
    Shortlisted,
    /// Offered the seat; the applicant accepts or declines.
    Offered,
    /// Accepted: the person moved.
    Accepted,
    /// The applicant declined the offer.
    Declined,
    /// Rejected by the hiring side (or when the opening closed or filled).
    Rejected,
    /// Withdrawn by the applicant.
    Withdrawn,
}

impl From<ApplicationStatus> for mobility::ApplicationStatus {
    fn from(value: ApplicationStatus) -> Self {
        match value {
            ApplicationStatus::Applied => mobility::ApplicationStatus::Applied,
            ApplicationStatus::Shortlisted => mobility::ApplicationStatus::Shortlisted,
            ApplicationStatus::Offered => mobility::ApplicationStatus::Offered,
            ApplicationStatus::Accepted => mobility::ApplicationStatus::Accepted,
            ApplicationStatus::Declined => mobility::ApplicationStatus::Declined,
            ApplicationStatus::Rejected => mobility::ApplicationStatus::Rejected,
            ApplicationStatus::Withdrawn => mobility::ApplicationStatus::Withdrawn,
        }
    }
}

impl From<mobility::ApplicationStatus> for ApplicationStatus {
    fn from(value: mobility::ApplicationStatus) -> Self {
        match value {
            mobility::ApplicationStatus::Applied => ApplicationStatus::Applied,
            mobility::ApplicationStatus::Shortlisted => ApplicationStatus::Shortlisted,
            mobility::ApplicationStatus::Offered => ApplicationStatus::Offered,
            mobility::ApplicationStatus::Accepted => ApplicationStatus::Accepted,
            mobility::ApplicationStatus::Declined => ApplicationStatus::Declined,
            mobility::ApplicationStatus::Rejected => ApplicationStatus::Rejected,
            mobility::ApplicationStatus::Withdrawn => ApplicationStatus::Withdrawn,
        }
    }
}

/// What kind of move a ladder step is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A step up: the step's raise range applies.
    Promotion,
    /// A move across (HR, logistics, vendor management): no raise, pay
    /// stays inside the target band.
    Lateral,
}

impl StepKind {
    /// The stored text's kind (anything but LATERAL is a promotion).
    pub fn of(stored: &str) -> StepKind {
        if stored == "LATERAL" {
            StepKind::Lateral
        } else {
            StepKind::Promotion
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Promotion => "PROMOTION",
            StepKind::Lateral => "LATERAL",
        }
    }
}

#[derive(Clone)]
pub struct Opening(pub opening::Model);

/// A position people inside the organisation may apply to: a role at a
/// site, posted by a manager (for their own team) or HR.
#[Object]
impl Opening {
    /// The opening's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Opening, self.0.id)
    }
    /// The role to fill.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .role(self.0.job_role_id)
            .cloned()
            .map(Role)
            .ok_or_else(|| crate::error::AppError::internal("unknown role"))?)
    }
    /// Where the seats are.
    async fn site(&self) -> &str {
        &self.0.site
    }
    /// The market, which with the role selects the pay band.
    async fn market(&self) -> &str {
        &self.0.market
    }
    /// On site, remote or hybrid.
    async fn work_arrangement(&self) -> WorkArrangement {
        let domain: crate::domain::enums::WorkArrangement = self.0.work_arrangement.into();
        domain.into()
    }
    /// How many people it hires.
    async fn seats(&self) -> i32 {
        self.0.seats
    }
    /// How many seats are taken.
    async fn filled(&self) -> i32 {
        self.0.filled
    }
    /// The last day it takes applications.
    async fn closes_on(&self) -> Date {
        Date(self.0.closes_on)
    }
    /// OPEN, FILLED or CLOSED.
    async fn status(&self) -> OpeningStatus {
        mobility::OpeningStatus::parse(&self.0.status)
            .unwrap_or(mobility::OpeningStatus::Closed)
            .into()
    }
    /// Days before their `eligibleOn` someone NOT_YET may apply; null:
    /// ELIGIBLE people only.
    async fn not_yet_window_days(&self) -> Option<i32> {
        self.0.not_yet_window_days
    }
    /// Who posted it.
    async fn posted_by(&self, ctx: &Context<'_>) -> Result<Employee> {
        employee_by_id(ctx, self.0.posted_by_id).await
    }
    /// Whom the person hired reports to; they move the applications.
    async fn hiring_manager(&self, ctx: &Context<'_>) -> Result<Employee> {
        employee_by_id(ctx, self.0.hiring_manager_id).await
    }
    /// The caller's own standing for this role as of `asOf` (default
    /// today), from the eligibility engine: null when no ladder step leads
    /// from their role to it.
    async fn my_standing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Option<PromotionOption>> {
        let principal = context::principal(ctx)?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let Some(me) = loaders.employees.load_one(principal.employee_id).await? else {
            return Ok(None);
        };
        let facts = loaders.facts.load_one(me.id).await?.unwrap_or_default();
        let ladder = context::ladder(ctx).await?;
        let as_of = as_of_or_today(as_of);
        Ok(
            service::standing_for(&ladder, &me, &facts, self.0.job_role_id, as_of)
                .and_then(|o| PromotionOption::new(&ladder, o, &me.currency, &self.0.market)),
        )
    }
    /// Its applications ranked by standing (ELIGIBLE, then NOT_YET by
    /// `eligibleOn`, then INELIGIBLE), then months of service, then
    /// rating; at most 500 are ranked. For the hiring manager, who posted
    /// it, and HR; anyone else FORBIDDEN.
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
        #[graphql(desc = "The day to evaluate standing, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<ApplicationConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let as_of = as_of_or_today(as_of);
        let ranked =
            service::ranked_applications(context::db(ctx), principal, &self.0, as_of).await?;
        let total = ranked.len() as u64;
        // The cursor is the last application seen; one no longer in the
        // ranked list (it moved out of the bound) is BAD_USER_INPUT rather
        // than a silently empty page.
        let start = match after_id {
            Some(after) => ranked
                .iter()
                .position(|r| r.application.id == after)
                .map(|i| i + 1)
                .ok_or_else(|| {
                    crate::error::AppError::bad_input(
                        "after: that application is no longer in the ranked list; start again",
                    )
                })?,
            None => 0,
        };
        let rows: Vec<(i64, Application)> = ranked
            .into_iter()
            .skip(start)
            .take(first as usize + 1)
            .map(|r| {
                (
                    r.application.id,
                    Application {
                        row: r.application,
                        opening: Some(Box::new(self.0.clone())),
                        applicant: Some(Box::new(r.applicant)),
                        standing: Some(Box::new(r.standing)),
                    },
                )
            })
            .collect();
        let (page, has_next) = crate::db::paging::split(rows, first);
        Ok(ApplicationConnection::new(
            page,
            has_next,
            after_id.is_some(),
            total,
        ))
    }
}

async fn employee_by_id(ctx: &Context<'_>, id: i64) -> Result<Employee> {
    let loaders = ctx.data_unchecked::<Loaders>();
    Ok(loaders
        .employees
        .load_one(id)
        .await?
        .map(Employee)
        .ok_or_else(|| crate::error::AppError::internal("employee missing"))?)
}

/// An application as the API returns it; the ranked list already knows
/// the applicant and their standing.
#[derive(Clone)]
pub struct Application {
    pub row: application::Model,
    /// The opening, when the list that returns it already read it (boxed:
    /// the value stays small in the `Node` union).
    pub opening: Option<Box<opening::Model>>,
    pub applicant: Option<Box<employee::Model>>,
    /// `Some(None)`: worked out, and no step leads to the role.
    pub standing: Option<Box<Option<OptionResult>>>,
}

impl Application {
    pub fn of(row: application::Model) -> Application {
        Application {
            row,
            opening: None,
            applicant: None,
            standing: None,
        }
    }

    /// Its opening: the one the list read, else read now.
    async fn opening_row(&self, ctx: &Context<'_>) -> Result<opening::Model> {
        match &self.opening {
            Some(found) => Ok(found.as_ref().clone()),
            None => Ok(service::get(context::db(ctx), self.row.opening_id).await?),
        }
    }
}

/// One person's application to one opening.
#[Object]
impl Application {
    /// The application's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Application, self.row.id)
    }
    /// The opening applied to.
    async fn opening(&self, ctx: &Context<'_>) -> Result<Opening> {
        Ok(Opening(self.opening_row(ctx).await?))
    }
    /// Who applied.
    async fn applicant(&self, ctx: &Context<'_>) -> Result<Employee> {
        match &self.applicant {
            Some(found) => Ok(Employee(found.as_ref().clone())),
            None => employee_by_id(ctx, self.row.employee_id).await,
        }
    }
    /// Where it stands.
    async fn status(&self) -> ApplicationStatus {
        mobility::ApplicationStatus::parse(&self.row.status)
            .unwrap_or(mobility::ApplicationStatus::Withdrawn)
            .into()
    }
    /// The applicant's standing for the opening's role today, from the
    /// eligibility engine; null when no ladder step leads there from their
    /// current role. Projected pay (and its warnings) only for those who
    /// may see the applicant's pay: a hiring manager outside their chain
    /// sees the standing without it.
    async fn standing(&self, ctx: &Context<'_>) -> Result<Option<PromotionOption>> {
        let loaders = ctx.data_unchecked::<Loaders>();
        let ladder = context::ladder(ctx).await?;
        let applicant = match &self.applicant {
            Some(found) => found.as_ref().clone(),
            None => match loaders.employees.load_one(self.row.employee_id).await? {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let opening = self.opening_row(ctx).await?;
        let option = match &self.standing {
            Some(known) => known.as_ref().clone(),
            None => {
                let facts = loaders
                    .facts
                    .load_one(applicant.id)
                    .await?
                    .unwrap_or_default();
                service::standing_for(
                    &ladder,
                    &applicant,
                    &facts,
                    opening.job_role_id,
                    as_of_or_today(None),
                )
            }
        };
        // Projected pay and its warnings come from the applicant's salary:
        // only for those who may see it (the applicant, their chain, HR).
        let private =
            crate::auth::policy::may_view_private(context::relation(ctx, applicant.id).await?);
        Ok(option.and_then(|mut o| {
            if !private {
                o.projected_salary = None;
                o.warnings.clear();
            }
            PromotionOption::new(&ladder, o, &applicant.currency, &opening.market)
        }))
    }
    /// The applicant's short note.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
    /// Why it was last moved, when someone said (a rejection always says).
    async fn reason(&self) -> Option<&str> {
        self.row.reason.as_deref()
    }
    /// When it was sent.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    /// When it was last moved.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.row.decided_at
    }
}
