//! The Employee node. Directory fields (name, work email, role, site,
//! manager, reports...) are visible to any signed-in user who reaches the
//! node; private fields (salary, hire and role dates, tenure, access role,
//! certifications, reviews, progression, history) only to the person, their
//! reporting chain, HR and ADMIN, else FORBIDDEN (`auth::policy`).

use crate::graphql::ids::{self, Kind};
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{NaiveDate, Utc};

use crate::db::entities::employee;
use crate::domain::{eligibility, pay_basis, tenure};
use crate::graphql::context;
use crate::graphql::cost::bound;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{AccessRole, EmploymentType, PayBasis, WorkArrangement};
use crate::graphql::types::ladder::{role_by_id, Money, Role, SalaryBand};
use crate::graphql::types::progression::Progression;
use crate::graphql::types::records::{Certification, PerformanceReview, RoleAssignment};
use crate::graphql::types::training::{EmployeeSkill, Enrolment, Plan, Skill, SkillAssessment};

#[derive(Clone)]
pub struct Employee(pub employee::Model);

/// Whole calendar months of service and in the current role.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct Tenure {
    /// Whole calendar months since the hire date.
    pub months_of_service: i32,
    /// Whole calendar months since the current job role started.
    pub months_in_role: i32,
}

pub fn as_of_or_today(as_of: Option<Date>) -> NaiveDate {
    as_of
        .map(|d| d.0)
        .unwrap_or_else(|| Utc::now().date_naive())
}

impl Employee {
    /// Their potential assessments, oldest first, batched across the
    /// employees of the answer.
    async fn potentials(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::db::entities::potential_assessment::Model>> {
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .potentials
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }

    async fn require_potential(&self, ctx: &Context<'_>) -> Result<()> {
        let relation = context::relation(ctx, self.0.id).await?;
        if crate::auth::policy::may_see_potential(relation) {
            Ok(())
        } else {
            Err(crate::error::AppError::Forbidden(
                "potential is for the reporting chain and HR".into(),
            )
            .into())
        }
    }

    async fn require_private(&self, ctx: &Context<'_>) -> Result<()> {
        Ok(context::require_private(ctx, self.0.id).await?)
    }
}

/// A person in the organisation. Directory fields are visible to anyone
/// signed in who reaches the node; the private ones (salary, dates, tenure,
/// access role, records, progression, history) only to the person, their
/// reporting chain, HR and ADMIN, else FORBIDDEN.
#[Object]
impl Employee {
    /// The employee's id.
    pub async fn id(&self) -> ID {
        ids::of(Kind::Employee, self.0.id)
    }
    /// HR's employee number, unique (generated as "E000042" unless HR gave
    /// one).
    async fn employee_number(&self) -> &str {
        &self.0.employee_number
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Work email, lower-case; the sign-in name. Unique.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// What this person may do in Rungs. Same visibility as salary.
    async fn access_role(&self, ctx: &Context<'_>) -> Result<AccessRole> {
        self.require_private(ctx).await?;
        Ok(self.0.access_role.into())
    }
    /// The job role: where this person stands on the ladder.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        role_by_id(ctx, self.0.job_role_id).await
    }
    /// The direct manager; null at the top of the organisation.
    async fn manager(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.manager_id else {
            return Ok(None);
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.employees.load_one(id).await?.map(Employee))
    }
    /// Direct reports, in id order (at most 1,000).
    async fn reports(&self, ctx: &Context<'_>) -> Result<Vec<Employee>> {
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .reports
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(bound::REPORTS)
            .map(Employee)
            .collect())
    }
    /// The site (office or centre) the person works at, as HR wrote it.
    async fn site(&self) -> &str {
        &self.0.site
    }
    /// Market code, e.g. "JP": with the job role it selects the salary band.
    async fn market(&self) -> &str {
        &self.0.market
    }
    /// Where the person works: on site, remote or hybrid.
    async fn work_arrangement(&self) -> WorkArrangement {
        self.0.work_arrangement.into()
    }
    /// Full-time, part-time or gig.
    async fn employment_type(&self) -> EmploymentType {
        self.0.employment_type.into()
    }
    /// The hire date. Same visibility as salary.
    async fn hired_on(&self, ctx: &Context<'_>) -> Result<Date> {
        self.require_private(ctx).await?;
        Ok(Date(self.0.hired_on))
    }
    /// The date the current job role started. Same visibility as salary.
    async fn role_since(&self, ctx: &Context<'_>) -> Result<Date> {
        self.require_private(ctx).await?;
        Ok(Date(self.0.role_since))
    }
    /// Whole calendar months as of `asOf` (default today, UTC). Same
    /// visibility as salary.
    async fn tenure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Tenure> {
        self.require_private(ctx).await?;
        let as_of = as_of_or_today(as_of);
        Ok(Tenure {
            months_of_service: tenure::months_between(self.0.hired_on, as_of) as i32,
            months_in_role: tenure::months_between(self.0.role_since, as_of) as i32,
        })
    }
    /// Salary, per `payBasis`. Visible to the person, their chain, HR and
    /// ADMIN.
    async fn salary(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        self.require_private(ctx).await?;
        Ok(Some(Money::new(self.0.salary_minor, &self.0.currency)))
    }
    /// The band of the person's role in their market (pay transparency:
    /// bands are public); null without one.
    async fn salary_band(&self, ctx: &Context<'_>) -> Result<Option<SalaryBand>> {
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .band(self.0.job_role_id, &self.0.market)
            .cloned()
            .map(SalaryBand::from))
    }
    /// What `salary` is per: a year, a month or an hour. Same visibility
    /// as salary.
    async fn pay_basis(&self, ctx: &Context<'_>) -> Result<PayBasis> {
        self.require_private(ctx).await?;
        Ok(self.0.pay_basis.into())
    }
    /// Full-time equivalent: 1 full time, 0.5 half time. Same visibility as
    /// salary.
    async fn fte(&self, ctx: &Context<'_>) -> Result<f64> {
        self.require_private(ctx).await?;
        Ok(crate::domain::pay_basis::fte_number(self.0.fte_bp))
    }
    /// The salary as a full-time equivalent per year (what compa-ratio,
    /// range penetration and dashboards compare): ANNUAL ÷ FTE, MONTHLY ×
    /// 12 ÷ FTE, HOURLY × the market's standard annual hours; rounded to
    /// the currency's unit. Same visibility as salary.
    async fn annualised_salary(&self, ctx: &Context<'_>) -> Result<Option<Money>> {
        self.require_private(ctx).await?;
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .pay_terms(&self.0)
            .annualise(self.0.salary_minor)
            .map(|annual| Money::new(annual, &self.0.currency)))
    }
    /// Salary / band midpoint for the current role and market (null without
    /// a band in the salary's currency). Same visibility as salary.
    async fn compa_ratio(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        self.require_private(ctx).await?;
        let ladder = context::ladder(ctx).await?;
        let terms = ladder.pay_terms(&self.0);
        Ok(ladder
            .band_own(self.0.job_role_id, &self.0)
            .and_then(|b| pay_basis::compa_ratio(self.0.salary_minor, &terms, &b)))
    }
    /// (salary - band min) / (band max - band min). Same visibility as salary.
    async fn range_penetration(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        self.require_private(ctx).await?;
        let ladder = context::ladder(ctx).await?;
        let terms = ladder.pay_terms(&self.0);
        Ok(ladder
            .band_own(self.0.job_role_id, &self.0)
            .and_then(|b| pay_basis::range_penetration(self.0.salary_minor, &terms, &b)))
    }
    /// Every certificate on record, whatever its status (only VERIFIED,
    /// unexpired ones count), oldest issue date first (at most 200). Same
    /// visibility as salary.
    async fn certifications(&self, ctx: &Context<'_>) -> Result<Vec<Certification>> {
        self.require_private(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .certifications
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(Certification)
            .collect())
    }
    /// Performance reviews, newest period first.
    async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<PerformanceReview>> {
        self.require_private(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .reviews
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(PerformanceReview)
            .collect())
    }
    /// Where this person stands on every ladder step out of their role as
    /// of `asOf` (default today, UTC), with what is missing and from when.
    async fn progression(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Progression> {
        self.require_private(ctx).await?;
        Progression::load(ctx, &self.0, as_of_or_today(as_of)).await
    }
    /// Every skill of the catalogue with the person's counted level (the
    /// latest manager, HR or course assessment on or before `asOf`) and
    /// their own latest self-assessment.
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Vec<EmployeeSkill>> {
        self.require_private(ctx).await?;
        let as_of = as_of_or_today(as_of);
        let ladder = context::ladder(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let facts = loaders.facts.load_one(self.0.id).await?.unwrap_or_default();
        Ok(ladder
            .skills
            .iter()
            .take(bound::SKILLS)
            .map(|skill| {
                let counted = eligibility::counted_assessment_on(&facts.skills, skill.id, as_of);
                EmployeeSkill {
                    skill: Skill(skill.clone()),
                    level: counted.map(|a| i32::from(a.level)),
                    self_level: eligibility::self_level_on(&facts.skills, skill.id, as_of)
                        .map(i32::from),
                    assessed_on: counted.map(|a| Date(a.assessed_on)),
                }
            })
            .collect())
    }
    /// Every skill assessment, newest first (history: none is overwritten).
    async fn skill_assessments(&self, ctx: &Context<'_>) -> Result<Vec<SkillAssessment>> {
        self.require_private(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .assessments
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(SkillAssessment)
            .collect())
    }
    /// Course enrolments, newest first.
    async fn enrolments(&self, ctx: &Context<'_>) -> Result<Vec<Enrolment>> {
        self.require_private(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders
            .enrolments
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(Enrolment)
            .collect())
    }
    /// A dated plan towards `targetRoleCode` (a step out of the current
    /// role): for each gap, the action that closes it (a course session
    /// with free seats, a certificate to renew, reviews to reach the bar),
    /// ordered, and the earliest date the person could be ELIGIBLE if they
    /// take them, as the eligibility engine decides it.
    async fn plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The role to plan for, by code (a step out of the current role), e.g. \"TEAM_LEAD\"."
        )]
        target_role_code: String,
        #[graphql(desc = "The day to evaluate, an ISO 8601 date; default today (UTC).")]
        as_of: Option<Date>,
    ) -> Result<Plan> {
        self.require_private(ctx).await?;
        let as_of = as_of_or_today(as_of);
        let ladder = context::ladder(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let facts = loaders.facts.load_one(self.0.id).await?.unwrap_or_default();
        let plan = crate::services::progression::plan(
            context::db(ctx),
            &ladder,
            &self.0,
            &facts,
            &target_role_code,
            as_of,
        )
        .await?;
        Ok(Plan { plan, ladder })
    }
    /// Gender as declared, for the pay-gap report: the person and HR only
    /// (FORBIDDEN for anyone else, their manager included); null when not
    /// declared.
    async fn gender(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::types::enums::Gender>> {
        let relation = context::relation(ctx, self.0.id).await?;
        Ok(
            crate::services::pay::gender_of(context::db(ctx), relation, self.0.id)
                .await?
                .map(Into::into),
        )
    }
    /// Potential for the 9-box (issue 21): the latest assessment on or
    /// before `asOf`, null when none. Their managers and HR only: not the
    /// person (FORBIDDEN), as it is calibration, not a rating given to them.
    async fn potential(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to read it for (default today).")] as_of: Option<Date>,
    ) -> Result<Option<crate::graphql::types::succession::PotentialLevel>> {
        self.require_potential(ctx).await?;
        let history = self.potentials(ctx).await?;
        Ok(
            crate::services::succession::potential_on(&history, as_of_or_today(as_of))
                .map(Into::into),
        )
    }
    /// Every assessment of potential, newest first (at most 200). Same
    /// visibility as `potential`.
    async fn potential_history(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::succession::PotentialAssessment>> {
        self.require_potential(ctx).await?;
        Ok(self
            .potentials(ctx)
            .await?
            .into_iter()
            .rev()
            .take(bound::PERSONAL_RECORDS)
            .map(crate::graphql::types::succession::PotentialAssessment)
            .collect())
    }
    /// Bonus target, in percent of base pay (set on promotion into a
    /// leadership band); null without one. Same visibility as salary.
    async fn bonus_target_percent(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        self.require_private(ctx).await?;
        Ok(
            crate::services::pay::bonus_target_bp(context::db(ctx), self.0.id)
                .await?
                .map(|bp| bp as f64 / 100.0),
        )
    }
    /// Equity granted, oldest first (at most 200), with what has vested on
    /// any day. Same visibility as salary.
    async fn equity_grants(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::pay::EquityGrant>> {
        self.require_private(ctx).await?;
        let rows = ctx
            .data_unchecked::<Loaders>()
            .equity_grants
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(crate::graphql::types::pay::EquityGrant)
            .collect())
    }
    /// Every change of pay, promotions included, newest first (at most
    /// 200): old and new pay, why, from when, who proposed and who decided.
    /// Same visibility as salary.
    async fn pay_history(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::pay::PayChange>> {
        self.require_private(ctx).await?;
        let rows = ctx
            .data_unchecked::<Loaders>()
            .pay_history
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .take(bound::PERSONAL_RECORDS)
            .map(crate::graphql::types::pay::PayChange)
            .collect())
    }
    /// Every role held, oldest first, with dates and salary.
    async fn role_history(&self, ctx: &Context<'_>) -> Result<Vec<RoleAssignment>> {
        self.require_private(ctx).await?;
        let loaders = ctx.data_unchecked::<Loaders>();
        let mut history = loaders
            .history
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        // At most the latest `bound::PERSONAL_RECORDS`.
        let older = history.len().saturating_sub(bound::PERSONAL_RECORDS);
        Ok(history
            .split_off(older)
            .into_iter()
            .map(RoleAssignment)
            .collect())
    }
}
