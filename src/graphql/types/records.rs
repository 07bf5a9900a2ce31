//! Certifications, performance reviews and role-history rows.

use crate::graphql::ids::{self, Kind};
use async_graphql::{Context, Object, Result, ID};

use crate::db::entities::{certification, performance_review, role_assignment};
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{
    CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt,
};
use crate::graphql::types::ladder::{role_by_id, Money, Role};

pub struct Certification(pub certification::Model);

/// A certificate a person holds: a Six Sigma belt, a language level,
/// leadership training or another one.
#[Object]
impl Certification {
    /// The certificate's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Certification, self.0.id)
    }
    /// What kind of certificate it is.
    async fn kind(&self) -> CertificationKind {
        self.0.kind.into()
    }
    /// Its name as recorded, e.g. "Six Sigma Yellow Belt".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The belt; set for SIX_SIGMA only.
    async fn belt(&self) -> Option<SixSigmaBelt> {
        self.0.belt.map(Into::into)
    }
    /// ISO 639-1 code, e.g. "ja"; set for LANGUAGE only.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    /// The CEFR level in that language; set for LANGUAGE only.
    async fn cefr(&self) -> Option<CefrLevel> {
        self.0.cefr.map(Into::into)
    }
    /// The date it was issued.
    async fn issued_on(&self) -> Date {
        Date(self.0.issued_on)
    }
    /// The first day the certificate no longer counts (null: never expires).
    async fn expires_on(&self) -> Option<Date> {
        self.0.expires_on.map(Date)
    }
    /// Only VERIFIED certificates count towards eligibility.
    async fn status(&self) -> CertificationStatus {
        self.0.status.into()
    }
}

pub struct PerformanceReview(pub performance_review::Model);

/// One performance review: a rating for a period, with KPIs.
#[Object]
impl PerformanceReview {
    /// The review's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::PerformanceReview, self.0.id)
    }
    /// Last day of the period reviewed; eligibility takes the last two
    /// reviews by this date.
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    /// 1.0 - 5.0.
    async fn rating(&self) -> f64 {
        self.0.rating
    }
    /// Customer satisfaction, percent.
    async fn csat(&self) -> Option<f64> {
        self.0.csat
    }
    /// Average response time, in seconds.
    async fn avg_response_seconds(&self) -> Option<i32> {
        self.0.avg_response_seconds
    }
    /// Percent of interactions resolved correctly.
    async fn resolution_accuracy(&self) -> Option<f64> {
        self.0.resolution_accuracy
    }
    /// Customer interactions handled per day, on average.
    async fn interactions_per_day(&self) -> Option<f64> {
        self.0.interactions_per_day
    }
}

/// One role held, with its dates and the salary it started at.
pub struct RoleAssignment(pub role_assignment::Model);

/// One job role a person held, with its dates and the salary it started at.
#[Object]
impl RoleAssignment {
    /// The role-history row's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::RoleAssignment, self.0.id)
    }
    /// The job role held.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.job_role_id).await
    }
    /// The first day in that role (for a promotion: its effective date).
    async fn started_on(&self) -> Date {
        Date(self.0.started_on)
    }
    /// The first day of the next role; null for the current role.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// Salary on starting the role (for a promotion: the promotion pay).
    async fn salary(&self) -> Option<Money> {
        Some(Money::new(self.0.salary_minor, &self.0.currency))
    }
}
