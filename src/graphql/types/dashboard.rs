//! The HR dashboard. Each field is computed on demand; the eligibility
//! snapshot is loaded at most once per request however many fields use it.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::NaiveDate;
use tokio::sync::OnceCell;

use crate::db::facts::Ladder;
use crate::graphql::context;
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{CertificationKind, GroupBy};
use crate::services::dashboard::{self as service, Grouping, Scope, Snapshot};

pub struct Dashboard {
    scope: Scope,
    as_of: NaiveDate,
    ladder: Arc<Ladder>,
    snapshot: OnceCell<Arc<Snapshot>>,
    names: OnceCell<Arc<HashMap<i64, String>>>,
}

impl Dashboard {
    pub fn new(scope: Scope, as_of: NaiveDate, ladder: Arc<Ladder>) -> Self {
        Dashboard {
            scope,
            as_of,
            ladder,
            snapshot: OnceCell::new(),
            names: OnceCell::new(),
        }
    }

    async fn snapshot(&self, ctx: &Context<'_>) -> Result<Arc<Snapshot>> {
        let db = context::db(ctx);
        Ok(self
            .snapshot
            .get_or_try_init(|| async {
                service::snapshot(db, &self.ladder, self.scope, self.as_of).await
            })
            .await?
            .clone())
    }

    /// Whether this dashboard is for today (UTC), which the stored
    /// eligibility state answers.
    fn is_today(&self) -> bool {
        self.as_of == chrono::Utc::now().date_naive()
    }

    /// Manager names, loaded only when grouping by MANAGER.
    async fn names(
        &self,
        ctx: &Context<'_>,
        grouping: Grouping,
    ) -> Result<Arc<HashMap<i64, String>>> {
        if grouping != Grouping::Manager {
            return Ok(Arc::new(HashMap::new()));
        }
        let snapshot = self.snapshot(ctx).await?;
        let db = context::db(ctx);
        Ok(self
            .names
            .get_or_try_init(|| async {
                service::manager_names(db, snapshot.people.iter().filter_map(|p| p.manager_id))
                    .await
                    .map(Arc::new)
            })
            .await?
            .clone())
    }
}

fn grouping(by: GroupBy) -> Grouping {
    match by {
        GroupBy::Role => Grouping::Role,
        GroupBy::Site => Grouping::Site,
        GroupBy::Market => Grouping::Market,
        GroupBy::Manager => Grouping::Manager,
    }
}

/// A bucket's key as clients see it: for MANAGER the manager's global id
/// (usable as `managerId`, or with `node(id:)`), else as the service keyed
/// it.
fn public_key(grouping: Grouping, key: String) -> String {
    match (grouping, key.parse::<i64>()) {
        (Grouping::Manager, Ok(id)) => {
            crate::graphql::ids::of(crate::graphql::ids::Kind::Employee, id).0
        }
        _ => key,
    }
}

/// A count under a grouping key (role code, site, market, or manager's
/// global id).
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CountBucket {
    /// The group: role code, site, market, or the manager's global id ("none" for
    /// people without a manager).
    pub key: String,
    /// Human-readable key: role title, site, market, manager name ("no
    /// manager").
    pub label: String,
    /// People in the group hired on or before `asOf`.
    pub count: i32,
}

/// Eligibility under a grouping key.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct EligibilityBucket {
    /// The group: role code, site, market, or the manager's global id ("none" for
    /// people without a manager).
    pub key: String,
    /// Human-readable key: role title, site, market, manager name ("no
    /// manager").
    pub label: String,
    /// Everyone in the group hired on or before `asOf`.
    pub total: i32,
    /// At least one option ELIGIBLE.
    pub eligible: i32,
    /// Eligible on the fast track for at least one option.
    pub fast_track: i32,
    /// Not eligible, but only tenure is missing for some option.
    pub not_yet: i32,
    /// Every option INELIGIBLE.
    pub ineligible: i32,
    /// The role has no step out. `eligible + notYet + ineligible +
    /// noNextStep = total`.
    pub no_next_step: i32,
    /// Eligible for more than 6 months with no open nomination.
    pub stalled: i32,
}

/// How many people hold one kind and level of certificate.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CoverageBucket {
    /// The certificate kind.
    pub kind: CertificationKind,
    /// Belt, CEFR level, or ANY for leadership training and other kinds.
    pub level: String,
    /// People holding it, VERIFIED and valid on `asOf`.
    pub holders: i32,
    /// Holders / headcount.
    pub share: f64,
}

/// Compa-ratio (salary / band midpoint) distribution.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct CompaRatioBucket {
    /// The group: role code, site, market, or the manager's global id ("none" for
    /// people without a manager).
    pub key: String,
    /// Human-readable key: role title, site, market, manager name ("no
    /// manager").
    pub label: String,
    /// People in the group with a band to compare with.
    pub count: i32,
    /// Lowest compa-ratio in the group (1.0 = paid the band midpoint).
    pub min: f64,
    /// 25th percentile compa-ratio.
    pub p25: f64,
    /// Median compa-ratio.
    pub median: f64,
    /// 75th percentile compa-ratio.
    pub p75: f64,
    /// Highest compa-ratio in the group.
    pub max: f64,
    /// Paid below the band minimum.
    pub below_min: i32,
    /// Paid above the band maximum.
    pub above_max: i32,
}

/// Nominations of people in scope created on or before `asOf`, by their
/// status now.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct NominationFunnel {
    /// Still PENDING.
    pub pending: i32,
    /// APPROVED (promoted).
    pub approved: i32,
    /// REJECTED by HR.
    pub rejected: i32,
    /// WITHDRAWN by the nominator or HR.
    pub withdrawn: i32,
    /// Median days from nomination to approval or rejection (one decimal;
    /// withdrawals left out); null when none was decided.
    pub median_days_to_decision: Option<f64>,
}

/// Team Leads against the CSRs they supervise at one site (10 to 15 each).
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct LeadershipBucket {
    /// The site.
    pub site: String,
    /// CSRs at the site hired on or before `asOf`.
    pub csrs: i32,
    /// Team Leads at the site hired on or before `asOf`.
    pub team_leads: i32,
    /// Team Leads needed at 15 CSRs each (the minimum).
    pub needed_at_most15: i32,
    /// Team Leads needed at 10 CSRs each (comfortable).
    pub needed_at10: i32,
    /// Fewer Team Leads than the minimum.
    pub understaffed: bool,
}

/// How fast people reach their first promotion, per role promoted into.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct VelocityBucket {
    /// Code of the role promoted into.
    pub role_code: String,
    /// First promotions into that role starting on or before `asOf`.
    pub promotions: i32,
    /// Median whole months from hire to first promotion.
    pub median_months_to_promotion: Option<f64>,
}

/// HR figures over everyone (HR, ADMIN) or over a manager's reporting
/// chain, as of one date. People count from their hire date on, under
/// their current role, site, market and manager.
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[Object]
impl Dashboard {
    /// The date the figures are for (the `asOf` argument, default today,
    /// UTC).
    async fn as_of(&self) -> Date {
        Date(self.as_of)
    }

    /// People in scope hired on or before `asOf`, per group, by key.
    async fn headcount(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to group people by.")] group_by: GroupBy,
    ) -> Result<Vec<CountBucket>> {
        let db = context::db(ctx);
        let g = grouping(group_by);
        let list = service::headcount(db, &self.ladder, self.scope, self.as_of, g).await?;
        Ok(list
            .iter()
            .take(crate::graphql::cost::bound::BUCKETS)
            .cloned()
            .map(|b| CountBucket {
                key: public_key(g, b.key),
                label: b.label,
                count: b.count as i32,
            })
            .collect())
    }

    /// Eligibility as the engine decides it for each person (the same
    /// function as `Employee.progression`). For today (the default `asOf`)
    /// it reads the stored eligibility state, kept current by every write,
    /// and the database counts: milliseconds at any size. For another
    /// `asOf` the engine evaluates everyone in scope as of that day, in
    /// chunks of 10,000 (seconds at 100,000 people).
    async fn eligibility(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to group people by.")] group_by: GroupBy,
    ) -> Result<Vec<EligibilityBucket>> {
        let grouping = grouping(group_by);
        let buckets = if self.is_today() {
            let db = context::db(ctx);
            service::eligibility_today(db, &self.ladder, self.scope, self.as_of, grouping).await?
        } else {
            let snapshot = self.snapshot(ctx).await?;
            let names = self.names(ctx, grouping).await?;
            service::eligibility(&snapshot, &self.ladder, &names, grouping)
        };
        Ok(buckets
            .into_iter()
            .take(crate::graphql::cost::bound::BUCKETS)
            .map(|b| EligibilityBucket {
                key: public_key(grouping, b.key),
                label: b.label,
                total: b.total as i32,
                eligible: b.eligible as i32,
                fast_track: b.fast_track as i32,
                not_yet: b.not_yet as i32,
                ineligible: b.ineligible as i32,
                no_next_step: b.no_next_step as i32,
                stalled: b.stalled as i32,
            })
            .collect())
    }

    /// Courses by how many people in scope completing them (as of the
    /// dashboard's date) would unblock: some INELIGIBLE step turns NOT_YET
    /// or ELIGIBLE, as the eligibility engine decides. Most first; courses
    /// that unblock nobody are left out. Today's figures come from the
    /// stored eligibility state; another `asOf` runs the engine over
    /// everyone in scope.
    async fn course_impact(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::training::CourseImpact>> {
        use crate::graphql::types::training::{Course, CourseImpact};
        let db = context::db(ctx);
        let rows = if self.is_today() {
            service::course_impact_today(db, self.scope, self.as_of).await?
        } else {
            let snapshot = self.snapshot(ctx).await?;
            service::course_impact(db, &snapshot, self.as_of).await?
        };
        Ok(rows
            .into_iter()
            .take(crate::graphql::cost::bound::COURSES)
            .map(|row| CourseImpact {
                course: Course(row.course),
                people_unblocked: row.people as i32,
                seats_left: row.seats_left as i32,
                next_session_on: row.next_session_on.map(Date),
            })
            .collect())
    }

    /// People in scope holding each Six Sigma belt, CEFR level (in any
    /// language), leadership training and other certificate, VERIFIED and
    /// valid on `asOf`: one bucket per kind and level, each person counted
    /// once per bucket.
    async fn certification_coverage(&self, ctx: &Context<'_>) -> Result<Vec<CoverageBucket>> {
        let db = context::db(ctx);
        let list = service::certification_coverage(db, self.scope, self.as_of).await?;
        Ok(list
            .iter()
            .take(crate::graphql::cost::bound::BUCKETS)
            .cloned()
            .map(|b| CoverageBucket {
                kind: b.kind.into(),
                level: b.level,
                holders: b.holders as i32,
                share: b.share,
            })
            .collect())
    }

    /// Compa-ratios (salary / band midpoint) of people hired on or before
    /// `asOf` whose role and market have a band in their salary's currency,
    /// at today's salaries and bands, computed by the database.
    async fn compa_ratios(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to group people by.")] group_by: GroupBy,
    ) -> Result<Vec<CompaRatioBucket>> {
        let grouping = grouping(group_by);
        let db = context::db(ctx);
        Ok(
            service::compa_ratios(db, &self.ladder, self.scope, self.as_of, grouping)
                .await?
                .iter()
                .take(crate::graphql::cost::bound::BUCKETS)
                .cloned()
                .map(|b| CompaRatioBucket {
                    key: public_key(grouping, b.key),
                    label: b.label,
                    count: b.count as i32,
                    min: b.min,
                    p25: b.p25,
                    median: b.median,
                    p75: b.p75,
                    max: b.max,
                    below_min: b.below_min as i32,
                    above_max: b.above_max as i32,
                })
                .collect(),
        )
    }

    /// Nominations of people in scope created on or before `asOf`, by
    /// status, and the median time to a decision.
    async fn nomination_funnel(&self, ctx: &Context<'_>) -> Result<NominationFunnel> {
        let db = context::db(ctx);
        let f = service::nomination_funnel(db, self.scope, self.as_of).await?;
        Ok(NominationFunnel {
            pending: f.pending as i32,
            approved: f.approved as i32,
            rejected: f.rejected as i32,
            withdrawn: f.withdrawn as i32,
            median_days_to_decision: f.median_days_to_decision,
        })
    }

    /// Per site: the Team Lead seats its CSRs need against the READY_NOW
    /// successors on its Team Lead slate (issue 21); `atRisk` when it
    /// could not fill its next two openings. Worked out from the engine
    /// for every CSR in scope on `asOf` (not cached).
    async fn bench_strength(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::types::succession::BenchBucket>> {
        let db = context::db(ctx);
        let principal = context::principal(ctx)?;
        let coverage =
            service::leadership_coverage(db, &self.ladder, self.scope, self.as_of).await?;
        Ok(
            crate::services::succession::bench_strength(db, principal, &coverage, self.as_of)
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// Per site: CSRs, Team Leads and the Team Leads the CSRs need (one
    /// per 15 at least, one per 10 comfortably), by site.
    async fn leadership_coverage(&self, ctx: &Context<'_>) -> Result<Vec<LeadershipBucket>> {
        let db = context::db(ctx);
        let list = service::leadership_coverage(db, &self.ladder, self.scope, self.as_of).await?;
        Ok(list
            .iter()
            .take(crate::graphql::cost::bound::BUCKETS)
            .cloned()
            .map(|b| LeadershipBucket {
                site: b.site,
                csrs: b.csrs as i32,
                team_leads: b.team_leads as i32,
                needed_at_most15: b.needed_at_most_15 as i32,
                needed_at10: b.needed_at_10 as i32,
                understaffed: b.understaffed,
            })
            .collect())
    }

    /// Per role promoted into: first promotions (the second role in a
    /// person's history) starting on or before `asOf`, and the median
    /// months from hire, by role code.
    async fn promotion_velocity(&self, ctx: &Context<'_>) -> Result<Vec<VelocityBucket>> {
        let db = context::db(ctx);
        let list = service::promotion_velocity(db, &self.ladder, self.scope, self.as_of).await?;
        Ok(list
            .iter()
            .take(crate::graphql::cost::bound::BUCKETS)
            .cloned()
            .map(|b| VelocityBucket {
                role_code: b.role_code,
                promotions: b.promotions as i32,
                median_months_to_promotion: b.median_months_to_promotion,
            })
            .collect())
    }
}
