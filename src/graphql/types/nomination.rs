//! Nominations as GraphQL. Whoever may see a nomination reads its people,
//! target and status; its pay fields follow the nominee's salary visibility.

use crate::graphql::ids::{self, Kind};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use crate::db::entities::nomination;
use crate::graphql::context;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::enums::NominationStatus;
use crate::graphql::types::ladder::{role_by_id, Money, Role};

#[derive(Clone)]
pub struct Nomination(pub nomination::Model);

async fn employee(ctx: &Context<'_>, id: i64) -> Result<Employee> {
    ctx.data_unchecked::<Loaders>()
        .employees
        .load_one(id)
        .await?
        .map(Employee)
        .ok_or_else(|| crate::error::AppError::internal("employee missing").into())
}

/// A proposal to promote someone along one ladder step: PENDING until HR
/// approves or rejects it or it is withdrawn.
#[Object]
impl Nomination {
    /// The nomination's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Nomination, self.0.id)
    }
    /// The person put forward.
    async fn nominee(&self, ctx: &Context<'_>) -> Result<Employee> {
        employee(ctx, self.0.nominee_id).await
    }
    /// Who nominated them (a manager above them, or HR).
    async fn nominated_by(&self, ctx: &Context<'_>) -> Result<Employee> {
        employee(ctx, self.0.nominated_by_id).await
    }
    /// The job role they would be promoted into.
    async fn target_role(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.target_role_id).await
    }
    /// PENDING, APPROVED, REJECTED or WITHDRAWN.
    async fn status(&self) -> NominationStatus {
        self.0.status.into()
    }
    /// The nominator's reasons, as written.
    async fn justification(&self) -> &str {
        &self.0.justification
    }
    /// HR nominated someone not (yet) eligible, with a written reason.
    async fn r#override(&self) -> bool {
        self.0.is_override
    }
    /// Why HR nominated someone not (yet) eligible; null unless `override`.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    /// When the nomination was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was approved, rejected or withdrawn; null while PENDING.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// Who approved, rejected or withdrew it; null while PENDING.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        match self.0.decided_by_id {
            Some(id) => Ok(Some(employee(ctx, id).await?)),
            None => Ok(None),
        }
    }
    /// The rejection reason; null unless REJECTED.
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
    /// Pay after an approved promotion (null otherwise). Same visibility as
    /// the nominee's salary as it is now (a former nominator whose nominee
    /// has left their chain gets FORBIDDEN).
    async fn new_salary(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        context::require_private(ctx, self.0.nominee_id).await?;
        Ok(match (self.0.new_salary_minor, &self.0.currency) {
            (Some(minor), Some(currency)) => Some(Money::new(minor, currency)),
            _ => None,
        })
    }
    /// The raise granted on approval, in percent (null otherwise). Same
    /// visibility as `newSalary`.
    async fn raise_percent(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        context::require_private(ctx, self.0.nominee_id).await?;
        Ok(self.0.raise_bp.map(|bp| bp as f64 / 100.0))
    }
    /// The date the promotion takes effect; null unless APPROVED.
    async fn effective_on(&self) -> Option<Date> {
        self.0.effective_on.map(Date)
    }
}

pub struct PayPreview(pub crate::services::nominations::PayPreview);

/// What approving a nomination with a given raise would pay, computed as
/// `approveNomination` computes it: HR's decision panel asks for it as the
/// raise changes. A value with no id of its own.
#[Object]
impl PayPreview {
    /// The nomination previewed.
    async fn nomination(&self) -> Nomination {
        Nomination(self.0.nomination.clone())
    }
    /// The nominee's pay today.
    async fn current_salary(&self) -> Money {
        Money::new(self.0.current_minor, &self.0.currency)
    }
    /// The raise previewed, in percent (the step's minimum when none was
    /// asked for).
    async fn raise_percent(&self) -> f64 {
        self.0.raise_bp as f64 / 100.0
    }
    /// The smallest raise the step allows, in percent.
    async fn raise_min_percent(&self) -> f64 {
        self.0.raise_min_bp as f64 / 100.0
    }
    /// The largest raise the step allows, in percent.
    async fn raise_max_percent(&self) -> f64 {
        self.0.raise_max_bp as f64 / 100.0
    }
    /// The pay after the promotion: the raise, moved into the target band.
    async fn new_salary(&self) -> Money {
        Money::new(self.0.new_minor, &self.0.currency)
    }
    /// Whether the band moved the new pay away from the plain raise (up to
    /// its minimum or down to its maximum).
    async fn clamped_to_band(&self) -> bool {
        self.0.clamped()
    }
    /// The lowest pay of the target role's band in the nominee's market;
    /// null when there is no band in the nominee's currency.
    async fn band_min(&self) -> Option<Money> {
        self.0.band.as_ref().map(|b| Money::new(b.min, &b.currency))
    }
    /// The band's midpoint.
    async fn band_midpoint(&self) -> Option<Money> {
        self.0
            .band
            .as_ref()
            .map(|b| Money::new(b.midpoint, &b.currency))
    }
    /// The band's highest pay.
    async fn band_max(&self) -> Option<Money> {
        self.0.band.as_ref().map(|b| Money::new(b.max, &b.currency))
    }
    /// The new pay over the band's midpoint.
    async fn compa_ratio_after(&self) -> Option<f64> {
        self.0
            .own_band
            .as_ref()
            .and_then(|b| crate::domain::pay_basis::compa_ratio(self.0.new_minor, &self.0.terms, b))
    }
    /// Where the new pay sits in the band: 0 at its minimum, 1 at its
    /// maximum.
    async fn range_penetration_after(&self) -> Option<f64> {
        self.0.own_band.as_ref().and_then(|b| {
            crate::domain::pay_basis::range_penetration(self.0.new_minor, &self.0.terms, b)
        })
    }
}
