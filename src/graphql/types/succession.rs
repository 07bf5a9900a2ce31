//! Succession as GraphQL (issue 21): slates, the 9-box, potential and
//! bench strength, for managers (their chain) and HR (`auth::policy`).

use async_graphql::{Context, Enum, Object, Result, SimpleObject};

use crate::db::entities::potential_assessment;
use crate::domain::mobility;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::services::succession as service;

/// How soon a successor could take the seat.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// ELIGIBLE for the role now.
    ReadyNow,
    /// Expected ELIGIBLE within 24 months.
    OneToTwoYears,
    /// Later, or not on a path yet.
    ThreePlusYears,
}

impl From<mobility::Readiness> for Readiness {
    fn from(value: mobility::Readiness) -> Self {
        match value {
            mobility::Readiness::ReadyNow => Readiness::ReadyNow,
            mobility::Readiness::OneToTwoYears => Readiness::OneToTwoYears,
            mobility::Readiness::ThreePlusYears => Readiness::ThreePlusYears,
        }
    }
}

impl From<Readiness> for mobility::Readiness {
    fn from(value: Readiness) -> Self {
        match value {
            Readiness::ReadyNow => mobility::Readiness::ReadyNow,
            Readiness::OneToTwoYears => mobility::Readiness::OneToTwoYears,
            Readiness::ThreePlusYears => mobility::Readiness::ThreePlusYears,
        }
    }
}

/// A 9-box level: of performance (from reviews) or of potential (assessed
/// by a manager).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PotentialLevel {
    /// Performance: a rating under 3.00; potential: little growth expected.
    Low,
    /// Performance: a rating of 3.00 to 3.99; potential: growth within the role family.
    Medium,
    /// Performance: a rating of 4.00 or more; potential: ready to grow into leadership.
    High,
}

impl From<mobility::PotentialLevel> for PotentialLevel {
    fn from(value: mobility::PotentialLevel) -> Self {
        match value {
            mobility::PotentialLevel::Low => PotentialLevel::Low,
            mobility::PotentialLevel::Medium => PotentialLevel::Medium,
            mobility::PotentialLevel::High => PotentialLevel::High,
        }
    }
}

impl From<PotentialLevel> for mobility::PotentialLevel {
    fn from(value: PotentialLevel) -> Self {
        match value {
            PotentialLevel::Low => mobility::PotentialLevel::Low,
            PotentialLevel::Medium => mobility::PotentialLevel::Medium,
            PotentialLevel::High => mobility::PotentialLevel::High,
        }
    }
}

/// The successors for one leadership role at one site.
pub struct SuccessionSlate(pub service::Slate);

/// The successors for one leadership role at one site.
#[Object]
impl SuccessionSlate {
    /// The site whose seat it is.
    async fn site(&self) -> &str {
        &self.0.site
    }
    /// TEAM_LEAD or OPERATIONS_MANAGER.
    async fn role_code(&self) -> &str {
        &self.0.role_code
    }
    /// Confirmed successors first (by readiness), then the engine's
    /// suggestions (ranked as applicants are); at most 25.
    async fn successors(&self) -> Vec<Successor> {
        self.0.successors.iter().cloned().map(Successor).collect()
    }
}

/// One person on a slate.
pub struct Successor(pub service::Successor);

/// One person on a slate.
#[Object]
impl Successor {
    /// Who would take the seat.
    async fn employee(&self) -> Employee {
        Employee(self.0.employee.clone())
    }
    /// Confirmed by a manager or HR, or suggested from the engine's
    /// standing on `asOf`.
    async fn readiness(&self) -> Readiness {
        self.0.readiness.into()
    }
    /// Suggested by the engine; nobody confirmed it.
    async fn suggested(&self) -> bool {
        self.0.suggested
    }
    /// Who confirmed it, when someone did.
    async fn confirmed_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.confirmed_by_id else {
            return Ok(None);
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.employees.load_one(id).await?.map(Employee))
    }
}

/// One cell of a 9-box.
pub struct NineBoxCell(pub service::Cell);

/// One cell of a 9-box: the people with this performance and potential.
#[Object]
impl NineBoxCell {
    /// From the rating on `asOf`: 4.00 and up HIGH, 3.00 and up MEDIUM.
    async fn performance(&self) -> PotentialLevel {
        self.0.performance.into()
    }
    /// The latest assessment on or before `asOf`.
    async fn potential(&self) -> PotentialLevel {
        self.0.potential.into()
    }
    /// Everyone in the cell.
    async fn count(&self) -> i32 {
        self.0.count as i32
    }
    /// The first 100 in the cell, highest rating first.
    async fn employees(&self) -> Vec<Employee> {
        self.0.employees.iter().cloned().map(Employee).collect()
    }
}

/// One assessment of someone's potential.
pub struct PotentialAssessment(pub potential_assessment::Model);

/// One assessment of someone's potential.
#[Object]
impl PotentialAssessment {
    /// The level assessed.
    async fn potential(&self) -> Option<PotentialLevel> {
        mobility::PotentialLevel::parse(&self.0.potential).map(Into::into)
    }
    /// The day it was assessed (it counts from then).
    async fn assessed_on(&self) -> Date {
        Date(self.0.assessed_on)
    }
    /// Who assessed it.
    async fn assessed_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .employees
            .load_one(self.0.assessed_by_id)
            .await?
            .map(Employee))
    }
}

/// One site's bench for Team Lead seats.
#[derive(SimpleObject)]
pub struct BenchBucket {
    /// The site.
    pub site: String,
    /// Team Leads its CSRs need (one per 15 at most).
    pub team_lead_seats_needed: i32,
    /// READY_NOW successors on its Team Lead slate.
    pub ready_now: i32,
    /// READY_NOW successors missing to fill the larger of the open seats
    /// and the next two openings.
    pub shortfall: i32,
    /// The site could not fill its next two openings (shortfall above 0).
    pub at_risk: bool,
}

impl From<service::BenchBucket> for BenchBucket {
    fn from(b: service::BenchBucket) -> Self {
        BenchBucket {
            site: b.site,
            team_lead_seats_needed: b.team_lead_seats_needed as i32,
            ready_now: b.ready_now as i32,
            shortfall: b.shortfall as i32,
            at_risk: b.at_risk,
        }
    }
}
