//! Global Object Identification (issue 18): the `Node` interface, and
//! `node(id:)` / `nodes(ids:)`, which find any entity by its global id
//! (`graphql::ids`) under exactly the rules of the typed field that reaches
//! it. Like `employee(id:)`, an entity you may not see answers null, as one
//! that does not exist would.

use async_graphql::{Context, Interface, Object, Result, ID};

use crate::auth::Principal;
use crate::db::entities::{
    certification, enrolment, performance_review, role_assignment, skill_assessment,
};
use crate::error::{AppError, AppResult};
use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::types::audit::AuditEvent;
use crate::graphql::types::employee::Employee;
use crate::graphql::types::ladder::{LadderStep, Role, SalaryBand};
use crate::graphql::types::nomination::Nomination;
use crate::graphql::types::records::{Certification, PerformanceReview, RoleAssignment};
use crate::graphql::types::training::{Course, CourseSession, Enrolment, Skill, SkillAssessment};
use crate::services::{lookup, nominations};

use crate::graphql::cost::bound::NODES as MAX_NODES;

/// An object with a global id: opaque, unique across every type, stable,
/// and accepted by `node(id:)`, `nodes(ids:)` and every `ID` argument that
/// names an object of its type.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global id: opaque (never parse it), unique across all types."
))]
pub enum Node {
    Application(crate::graphql::types::mobility::Application),
    AuditEvent(AuditEvent),
    Certification(Certification),
    Course(Course),
    CourseSession(CourseSession),
    Employee(Employee),
    Enrolment(Enrolment),
    EquityGrant(crate::graphql::types::pay::EquityGrant),
    LadderStep(LadderStep),
    MeritCycle(crate::graphql::types::merit::MeritCycle),
    MeritProposal(crate::graphql::types::merit::MeritProposal),
    Nomination(Nomination),
    Opening(crate::graphql::types::mobility::Opening),
    PayChange(crate::graphql::types::pay::PayChange),
    PerformanceReview(PerformanceReview),
    Role(Role),
    RoleAssignment(RoleAssignment),
    SalaryBand(SalaryBand),
    Skill(Skill),
    SkillAssessment(SkillAssessment),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id, if you may see it through its typed
    /// field; null otherwise, exactly as for an id that does not exist. An
    /// id that is not a Rungs global id is BAD_USER_INPUT.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, as some object's `id` field gave it.")] id: ID,
    ) -> Result<Option<Node>> {
        let principal = context::principal(ctx)?;
        let (kind, key) = decode("id", &id)?;
        Ok(find(ctx, principal, kind, &key).await?)
    }

    /// Several objects by their global ids (at most 100), in the order
    /// asked; each entry as `node(id:)` answers it (null when missing or
    /// hidden). One malformed id makes the whole field BAD_USER_INPUT.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        let principal = context::principal(ctx)?;
        if ids.len() > MAX_NODES {
            return Err(
                AppError::bad_input(format!("ids: at most {MAX_NODES} ids at once")).into(),
            );
        }
        let keys = ids
            .iter()
            .enumerate()
            .map(|(i, id)| decode(&format!("ids[{i}]"), id))
            .collect::<AppResult<Vec<_>>>()?;
        // Concurrently: employees, courses and sessions then share their
        // loader's batch; the other kinds are one primary-key read each
        // (at most 100), with the caller's chain read once per request.
        let found = futures::future::try_join_all(
            keys.iter()
                .map(|(kind, key)| find(ctx, principal, *kind, key)),
        )
        .await?;
        Ok(found)
    }
}

fn decode(field: &str, id: &ID) -> AppResult<(Kind, String)> {
    let (kind, key) = ids::decode(id).ok_or_else(|| {
        AppError::bad_input(format!(
            "{field}: \"{}\" is not a valid id",
            crate::services::validate::clip(id)
        ))
    })?;
    Ok((kind, key))
}

/// A personal record, if the caller may see its owner's private fields
/// (the rule of `Employee.certifications`, `reviews`, `roleHistory`,
/// `skillAssessments`; the relation comes from the request's cached chain,
/// so a page of ids costs no chain query each).
async fn private<E>(ctx: &Context<'_>, id: i64) -> AppResult<Option<E::Model>>
where
    E: lookup::Personal,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    let Some((row, owner)) = lookup::personal::<E>(context::db(ctx), id).await? else {
        return Ok(None);
    };
    let relation = context::relation(ctx, owner).await?;
    Ok(crate::auth::policy::may_view_private(relation).then_some(row))
}

/// The row id of a key: every kind but `Role` is keyed by one.
fn row_id(kind: Kind, key: &str) -> Option<i64> {
    key.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .filter(|_| kind != Kind::Role)
}

async fn find(
    ctx: &Context<'_>,
    principal: &Principal,
    kind: Kind,
    key: &str,
) -> AppResult<Option<Node>> {
    if kind == Kind::Role {
        let ladder = context::ladder(ctx).await?;
        return Ok(ladder
            .role_by_code(key)
            .cloned()
            .map(|r| Node::Role(Role(r))));
    }
    let Some(id) = row_id(kind, key) else {
        return Ok(None);
    };
    let db = context::db(ctx);
    let loaders = ctx.data_unchecked::<Loaders>();
    let hidden_is_none = |result: AppResult<Node>| match result {
        Ok(node) => Ok(Some(node)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(err) => Err(err),
    };
    Ok(match kind {
        Kind::Employee => super::employees::visible(ctx, principal, id)
            .await?
            .map(Node::Employee),
        Kind::Nomination => hidden_is_none(
            nominations::get(db, principal, id)
                .await
                .map(|n| Node::Nomination(Nomination(n))),
        )?,
        Kind::Course => loaders
            .courses
            .load_one(id)
            .await?
            .map(|c| Node::Course(Course(c))),
        Kind::CourseSession => loaders
            .sessions
            .load_one(id)
            .await?
            .map(|s| Node::CourseSession(CourseSession(s))),
        Kind::LadderStep | Kind::SalaryBand | Kind::Skill => {
            let ladder = context::ladder(ctx).await?;
            match kind {
                Kind::LadderStep => ladder
                    .steps
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| Node::LadderStep(LadderStep(s.clone()))),
                Kind::SalaryBand => ladder
                    .bands
                    .iter()
                    .find(|b| b.id == id)
                    .map(|b| Node::SalaryBand(SalaryBand::from(b.clone()))),
                _ => ladder
                    .skills
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| Node::Skill(Skill(s.clone()))),
            }
        }
        Kind::Certification => private::<certification::Entity>(ctx, id)
            .await?
            .map(|c| Node::Certification(Certification(c))),
        Kind::EquityGrant => private::<crate::db::entities::equity_grant::Entity>(ctx, id)
            .await?
            .map(|g| Node::EquityGrant(crate::graphql::types::pay::EquityGrant(g))),
        Kind::PayChange => private::<crate::db::entities::pay_change::Entity>(ctx, id)
            .await?
            .map(|c| Node::PayChange(crate::graphql::types::pay::PayChange(c))),
        Kind::PerformanceReview => private::<performance_review::Entity>(ctx, id)
            .await?
            .map(|r| Node::PerformanceReview(PerformanceReview(r))),
        Kind::RoleAssignment => private::<role_assignment::Entity>(ctx, id)
            .await?
            .map(|r| Node::RoleAssignment(RoleAssignment(r))),
        Kind::SkillAssessment => private::<skill_assessment::Entity>(ctx, id)
            .await?
            .map(|a| Node::SkillAssessment(SkillAssessment(a))),
        Kind::Enrolment => match lookup::personal::<enrolment::Entity>(db, id).await? {
            Some((row, owner)) => {
                let relation = context::relation(ctx, owner).await?;
                lookup::may_see_enrolment(db, principal, relation, &row)
                    .await?
                    .then_some(Node::Enrolment(Enrolment(row)))
            }
            None => None,
        },
        Kind::AuditEvent => lookup::audit_event(db, principal, id)
            .await?
            .map(|e| Node::AuditEvent(AuditEvent(e))),
        Kind::MeritCycle => match crate::services::merit::get(db, principal, id).await {
            Ok(cycle) => Some(Node::MeritCycle(crate::graphql::types::merit::MeritCycle(
                cycle,
            ))),
            Err(AppError::NotFound(_) | AppError::Forbidden(_)) => None,
            Err(err) => return Err(err),
        },
        Kind::MeritProposal => crate::services::merit::proposal(db, principal, id)
            .await?
            .map(|p| Node::MeritProposal(crate::graphql::types::merit::MeritProposal(p))),
        Kind::Opening => hidden_is_none(
            crate::services::mobility::get(db, id)
                .await
                .map(|o| Node::Opening(crate::graphql::types::mobility::Opening(o))),
        )?,
        Kind::Application => hidden_is_none(
            crate::services::mobility::get_application(db, principal, id)
                .await
                .map(|(a, _)| {
                    Node::Application(crate::graphql::types::mobility::Application::of(a))
                }),
        )?,
        Kind::Role => None,
    })
}
