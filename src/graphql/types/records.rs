//! Certifications, performance reviews and role-history rows.

use async_graphql::{Context, Object, Result, ID};

use crate::db::entities::{certification, performance_review, role_assignment};
use crate::domain::enums as domain;
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{
    stored, CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt,
};
use crate::graphql::types::ladder::{role_by_id, Money, Role};

pub struct Certification(pub certification::Model);

#[Object]
impl Certification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> Result<CertificationKind> {
        Ok(stored(domain::CertificationKind::parse(&self.0.kind), "kind")?.into())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn belt(&self) -> Option<SixSigmaBelt> {
        self.0
            .belt
            .as_deref()
            .and_then(domain::SixSigmaBelt::parse)
            .map(Into::into)
    }
    /// ISO 639-1 code, e.g. "ja".
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    async fn cefr(&self) -> Option<CefrLevel> {
        self.0
            .cefr
            .as_deref()
            .and_then(domain::CefrLevel::parse)
            .map(Into::into)
    }
    async fn issued_on(&self) -> Date {
        Date(self.0.issued_on)
    }
    /// The first day the certificate no longer counts (null: never expires).
    async fn expires_on(&self) -> Option<Date> {
        self.0.expires_on.map(Date)
    }
    /// Only VERIFIED certificates count towards eligibility.
    async fn status(&self) -> Result<CertificationStatus> {
        Ok(stored(domain::CertificationStatus::parse(&self.0.status), "status")?.into())
    }
}

pub struct PerformanceReview(pub performance_review::Model);

#[Object]
impl PerformanceReview {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
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
    async fn avg_response_seconds(&self) -> Option<i32> {
        self.0.avg_response_seconds
    }
    /// Percent of interactions resolved correctly.
    async fn resolution_accuracy(&self) -> Option<f64> {
        self.0.resolution_accuracy
    }
    async fn interactions_per_day(&self) -> Option<f64> {
        self.0.interactions_per_day
    }
}

/// One role held, with its dates and the salary it started at.
pub struct RoleAssignment(pub role_assignment::Model);

#[Object]
impl RoleAssignment {
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.job_role_id).await
    }
    async fn started_on(&self) -> Date {
        Date(self.0.started_on)
    }
    /// Null for the current role.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    async fn salary(&self) -> Option<Money> {
        Some(Money::new(self.0.salary_minor, &self.0.currency))
    }
}
