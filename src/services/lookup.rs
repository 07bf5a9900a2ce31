//! One entity by its row id, for `node(id:)` (issue 18), under the same
//! rules as the typed field that reaches it: `None` when it does not exist
//! and when the principal may not see it, which look the same.

use sea_orm::EntityTrait;

use crate::auth::{policy, Principal};
use crate::db::entities::{
    audit_event, certification, enrolment, performance_review, role_assignment, skill_assessment,
};
use crate::db::records::by_id;
use crate::db::Db;
use crate::error::AppResult;

/// A row that belongs to one employee and is shown with their private
/// fields (`Employee.certifications`, `reviews`, `roleHistory`,
/// `skillAssessments`): self, a manager above, HR, ADMIN.
pub trait Personal: EntityTrait {
    fn owner(model: &Self::Model) -> i64;
}

impl Personal for enrolment::Entity {
    fn owner(model: &enrolment::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for certification::Entity {
    fn owner(model: &certification::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for performance_review::Entity {
    fn owner(model: &performance_review::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for role_assignment::Entity {
    fn owner(model: &role_assignment::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for crate::db::entities::equity_grant::Entity {
    fn owner(model: &crate::db::entities::equity_grant::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for crate::db::entities::pay_change::Entity {
    fn owner(model: &crate::db::entities::pay_change::Model) -> i64 {
        model.employee_id
    }
}

impl Personal for skill_assessment::Entity {
    fn owner(model: &skill_assessment::Model) -> i64 {
        model.employee_id
    }
}

/// A personal record by id, with its owner (whose private fields decide
/// who sees it: `policy::may_view_private` on the caller's relation to
/// them, which the resolver has from the request's cached chain).
pub async fn personal<E>(db: &Db, id: i64) -> AppResult<Option<(E::Model, i64)>>
where
    E: Personal,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    Ok(by_id::<E, _>(&db.conn, id).await?.map(|row| {
        let owner = E::owner(&row);
        (row, owner)
    }))
}

/// Whether the principal sees `row` (`policy::may_see_enrolment`: whoever
/// sees the person's private fields, given as `relation`, and the session's
/// trainer).
pub async fn may_see_enrolment(
    db: &Db,
    principal: &Principal,
    relation: policy::Relation,
    row: &enrolment::Model,
) -> AppResult<bool> {
    let trainer = !policy::may_view_private(relation)
        && crate::services::training::is_session_trainer(&db.conn, principal, row.session_id)
            .await?;
    Ok(policy::may_see_enrolment(relation, trainer))
}

/// An audit event, for HR and ADMIN (as `auditEvents`).
pub async fn audit_event(
    db: &Db,
    principal: &Principal,
    id: i64,
) -> AppResult<Option<audit_event::Model>> {
    if principal.require_hr().is_err() {
        return Ok(None);
    }
    Ok(by_id::<audit_event::Entity, _>(&db.conn, id).await?)
}
