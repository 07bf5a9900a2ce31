use async_graphql::{Context, InputObject, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{CefrLevel, CertificationKind, SixSigmaBelt};
use crate::graphql::types::records::{Certification, PerformanceReview};
use crate::services::records;

#[derive(Default)]
pub struct RecordMutation;

/// A certificate to record for someone.
#[derive(InputObject)]
pub struct AddCertificationInput {
    /// Whose certificate: your own id, or anyone's for HR.
    pub employee_id: ID,
    /// What kind of certificate it is.
    pub kind: CertificationKind,
    /// Its name, e.g. "Six Sigma Yellow Belt" (at most 200 characters).
    pub name: String,
    /// Required for SIX_SIGMA, refused for other kinds.
    pub belt: Option<SixSigmaBelt>,
    /// ISO 639-1 code, e.g. "ja"; required for LANGUAGE, refused for other
    /// kinds.
    pub language: Option<String>,
    /// The CEFR level; required for LANGUAGE, refused for other kinds.
    pub cefr: Option<CefrLevel>,
    /// The date it was issued; not in the future.
    pub issued_on: Date,
    /// The first day it no longer counts (after `issuedOn`); omitted: it
    /// never expires.
    pub expires_on: Option<Date>,
}

/// A performance review to record.
#[derive(InputObject)]
pub struct RecordReviewInput {
    /// Who is reviewed (never yourself).
    pub employee_id: ID,
    /// Last day of the period reviewed.
    pub period_end: Date,
    /// 1.0 - 5.0.
    pub rating: f64,
    /// Percent, 0 - 100.
    pub csat: Option<f64>,
    /// Average response time in seconds, 0 - 86400.
    pub avg_response_seconds: Option<i32>,
    /// Percent, 0 - 100.
    pub resolution_accuracy: Option<f64>,
    /// Customer interactions handled per day, on average, 0 - 10000.
    pub interactions_per_day: Option<f64>,
}

#[Object]
impl RecordMutation {
    /// Your own certificate (PENDING until HR verifies it; HR's own too,
    /// until another HR user does), or anyone else's for HR (VERIFIED at
    /// once).
    async fn add_certification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: AddCertificationInput,
    ) -> Result<Certification> {
        let principal = context::principal(ctx)?;
        let new = records::NewCertification {
            employee_id: ids::parse("employeeId", Kind::Employee, &input.employee_id)?,
            kind: input.kind.into(),
            name: input.name,
            belt: input.belt.map(Into::into),
            language: input.language,
            cefr: input.cefr.map(Into::into),
            issued_on: input.issued_on.0,
            expires_on: input.expires_on.map(|d| d.0),
        };
        Ok(Certification(
            records::add_certification(context::db(ctx), principal, new).await?,
        ))
    }

    /// HR: verify (approve = true) or reject a PENDING certificate; never
    /// your own (FORBIDDEN).
    async fn verify_certification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The certificate's global id.")] id: ID,
        #[graphql(desc = "True verifies the certificate, false rejects it.")] approve: bool,
    ) -> Result<Certification> {
        let principal = context::principal(ctx)?;
        principal.require_hr()?;
        let id = ids::parse("id", Kind::Certification, &id)?;
        Ok(Certification(
            records::verify_certification(context::db(ctx), principal, id, approve).await?,
        ))
    }

    /// A manager for someone in their chain, or HR for anyone.
    async fn record_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create or change.")] input: RecordReviewInput,
    ) -> Result<PerformanceReview> {
        let principal = context::principal(ctx)?;
        let new = records::NewReview {
            employee_id: ids::parse("employeeId", Kind::Employee, &input.employee_id)?,
            period_end: input.period_end.0,
            rating: input.rating,
            csat: input.csat,
            avg_response_seconds: input.avg_response_seconds,
            resolution_accuracy: input.resolution_accuracy,
            interactions_per_day: input.interactions_per_day,
        };
        Ok(PerformanceReview(
            records::record_review(context::db(ctx), principal, new).await?,
        ))
    }
}
