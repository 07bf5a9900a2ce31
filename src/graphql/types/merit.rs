//! Merit cycles as GraphQL (issue 20): for managers and HR
//! (`policy::may_see_merit_cycles`); a manager reads the proposals they
//! made, HR every one.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};

use crate::db::entities::{merit_budget, merit_cycle, merit_proposal};
use crate::domain::merit::Guideline;
use crate::graphql::context;
use crate::graphql::cost::bound;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::connection::{page_args, MeritProposalConnection};
use crate::graphql::types::employee::Employee;
use crate::graphql::types::ladder::Money;
use crate::services::merit;

/// Whether a merit cycle takes proposals.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MeritCycleStatus {
    /// Managers propose; nothing applies yet.
    Open,
    /// Closed by HR: every proposal became an approved MERIT pay change.
    Closed,
}

/// How a merit cycle's budget is split.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MeritBudgetBy {
    /// One budget per site.
    Site,
    /// One budget per market.
    Market,
}

impl From<MeritBudgetBy> for merit::BudgetBy {
    fn from(value: MeritBudgetBy) -> Self {
        match value {
            MeritBudgetBy::Site => merit::BudgetBy::Site,
            MeritBudgetBy::Market => merit::BudgetBy::Market,
        }
    }
}

#[derive(Clone)]
pub struct MeritCycle(pub merit_cycle::Model);

/// A merit cycle: raises without promotions, proposed by managers within a
/// budget and guided by a matrix, applied together when HR closes it.
#[Object]
impl MeritCycle {
    /// The cycle's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::MeritCycle, self.0.id)
    }
    /// Its name, e.g. "2027 merit review".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The day the new pay applies from.
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }
    /// OPEN or CLOSED.
    async fn status(&self) -> MeritCycleStatus {
        if self.0.status == merit::CLOSED {
            MeritCycleStatus::Closed
        } else {
            MeritCycleStatus::Open
        }
    }
    /// The budget, in percent of the scope's annualised full-time payroll.
    async fn budget_percent(&self) -> f64 {
        self.0.budget_bp as f64 / 100.0
    }
    /// Per site or per market.
    async fn budget_by(&self) -> MeritBudgetBy {
        if self.0.budget_by == "SITE" {
            MeritBudgetBy::Site
        } else {
            MeritBudgetBy::Market
        }
    }
    /// Only this market's people; null: everyone.
    async fn market(&self) -> Option<&str> {
        self.0.market.as_deref()
    }
    /// Budget, used and remaining per scope (exact; at most 300 scopes): HR
    /// every one, a manager those of the sites or markets of their
    /// reporting chain.
    async fn budgets(&self, ctx: &Context<'_>) -> Result<Vec<MeritBudget>> {
        let principal = context::principal(ctx)?;
        Ok(merit::budgets(
            context::db(ctx),
            principal,
            &self.0,
            bound::MERIT_BUDGETS as u64,
        )
        .await?
        .into_iter()
        .map(MeritBudget)
        .collect())
    }
    /// The merit matrix: rating band × quarter of the band → a range of
    /// percent.
    async fn matrix(&self, ctx: &Context<'_>) -> Result<Vec<MeritGuideline>> {
        Ok(merit::matrix(&context::db(ctx).conn, self.0.id)
            .await?
            .into_iter()
            .take(bound::BUCKETS)
            .map(MeritGuideline::from)
            .collect())
    }
    /// How many proposals the cycle holds (its progress).
    async fn proposal_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = merit::proposal_count(context::db(ctx), self.0.id).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
    /// Proposals in id order: HR every one, a manager those they made.
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit it for the first page.")]
        after: Option<String>,
    ) -> Result<MeritProposalConnection> {
        let principal = context::principal(ctx)?;
        let (first, after_id) = page_args(first, after.as_deref())?;
        let (rows, has_next, total) =
            merit::proposals(context::db(ctx), principal, self.0.id, first, after_id).await?;
        Ok(MeritProposalConnection::new(
            rows.into_iter().map(|p| (p.id, MeritProposal(p))).collect(),
            has_next,
            after_id.is_some(),
            total,
        ))
    }
    /// Where one of your people stands in this cycle's matrix: their rating,
    /// the quarter of the band their pay is in, and the guideline (their
    /// manager or HR).
    async fn guideline_for(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The employee's global id.")] employee_id: ID,
    ) -> Result<MeritAdvice> {
        let principal = context::principal(ctx)?;
        let employee_id = ids::parse("employeeId", Kind::Employee, &employee_id)?;
        let advice = merit::advice(context::db(ctx), principal, &self.0, employee_id).await?;
        Ok(MeritAdvice {
            rating: advice.rating,
            compa_quartile: i32::from(advice.quartile),
            guideline: advice.guideline.map(MeritGuideline::from),
        })
    }
}

pub struct MeritBudget(pub merit_budget::Model);

/// One scope's merit budget. A value with no id of its own.
#[Object]
impl MeritBudget {
    /// The site or market.
    async fn scope(&self) -> &str {
        &self.0.scope
    }
    /// The scope's annualised full-time payroll when the cycle opened.
    async fn payroll(&self) -> Money {
        Money::new(self.0.payroll_minor, &self.0.currency)
    }
    /// The budget: the cycle's percentage of the payroll.
    async fn budget(&self) -> Money {
        Money::new(self.0.budget_minor, &self.0.currency)
    }
    /// What the proposals use: their annualised increases.
    async fn used(&self) -> Money {
        Money::new(self.0.used_minor, &self.0.currency)
    }
    /// Budget − used.
    async fn remaining(&self) -> Money {
        Money::new(self.0.budget_minor - self.0.used_minor, &self.0.currency)
    }
}

/// One cell of a merit matrix. A value with no id of its own.
#[derive(SimpleObject, Clone, Debug)]
pub struct MeritGuideline {
    /// Ratings from (inclusive).
    pub min_rating: f64,
    /// Ratings to (exclusive; 5.0 belongs to the top band).
    pub max_rating: f64,
    /// 1 to 4: the quarter of the band the pay sits in (1 lowest).
    pub compa_quartile: i32,
    /// The smallest raise the cell guides, in percent.
    pub min_percent: f64,
    /// The largest raise the cell guides, in percent.
    pub max_percent: f64,
}

impl From<Guideline> for MeritGuideline {
    fn from(g: Guideline) -> Self {
        MeritGuideline {
            min_rating: g.min_rating_cp as f64 / 100.0,
            max_rating: g.max_rating_cp as f64 / 100.0,
            compa_quartile: i32::from(g.quartile),
            min_percent: g.min_bp as f64 / 100.0,
            max_percent: g.max_bp as f64 / 100.0,
        }
    }
}

/// Where someone stands in a merit matrix. A value with no id of its own.
#[derive(SimpleObject, Clone, Debug)]
pub struct MeritAdvice {
    /// Their rating (mean of the last two reviews); null without reviews.
    pub rating: Option<f64>,
    /// 1 to 4: the quarter of their band their pay sits in.
    pub compa_quartile: i32,
    /// The matrix's range for them; null when none applies (no rating):
    /// any proposal then needs a justification.
    pub guideline: Option<MeritGuideline>,
}

#[derive(Clone)]
pub struct MeritProposal(pub merit_proposal::Model);

/// A manager's merit raise for one person in a cycle.
#[Object]
impl MeritProposal {
    /// The proposal's global id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::MeritProposal, self.0.id)
    }
    /// Whose pay.
    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        ctx.data_unchecked::<Loaders>()
            .employees
            .load_one(self.0.employee_id)
            .await?
            .map(Employee)
            .ok_or_else(|| crate::error::AppError::internal("employee missing").into())
    }
    /// The raise, in percent.
    async fn percent(&self) -> f64 {
        self.0.percent_bp as f64 / 100.0
    }
    /// The pay when it was proposed.
    async fn before(&self) -> Money {
        Money::new(self.0.before_minor, &self.0.currency)
    }
    /// The new pay.
    async fn new_salary(&self) -> Money {
        Money::new(self.0.new_minor, &self.0.currency)
    }
    /// Why, when outside the guideline.
    async fn justification(&self) -> Option<&str> {
        self.0.justification.as_deref()
    }
    /// Who proposed it.
    async fn proposed_by(&self, ctx: &Context<'_>) -> Result<Employee> {
        ctx.data_unchecked::<Loaders>()
            .employees
            .load_one(self.0.proposed_by_id)
            .await?
            .map(Employee)
            .ok_or_else(|| crate::error::AppError::internal("proposer missing").into())
    }
}
