//! The `eligibleFor` filter: who is ELIGIBLE for a target role today. The
//! database narrows to the roles a step leads from; the engine decides.

use chrono::Utc;
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, Select};

use crate::db::entities::employee;
use crate::db::facts::{facts_of, Facts, Ladder};
use crate::db::Db;
use crate::domain::enums::EligibilityStatus;
use crate::error::AppResult;
use crate::services::catalog::unknown_role;
use crate::services::employees::EmployeePage;
use crate::services::progression;

pub async fn list_eligible(
    db: &Db,
    ladder: &Ladder,
    base: Select<employee::Entity>,
    target_code: &str,
    first: u64,
    after: Option<i64>,
) -> AppResult<EmployeePage> {
    let target = ladder
        .role_by_code(target_code.trim())
        .ok_or_else(|| unknown_role(target_code))?;
    let steps: Vec<_> = ladder
        .steps
        .iter()
        .filter(|s| s.to_role_id == target.id)
        .collect();
    let from_roles: Vec<i64> = steps.iter().map(|s| s.from_role_id).collect();
    let candidates = base
        .filter(employee::Column::JobRoleId.is_in(from_roles))
        .order_by_asc(employee::Column::Id)
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = candidates.iter().map(|e| e.id).collect();
    let facts = facts_of(&db.conn, &ids).await?;
    let today = Utc::now().date_naive();
    let none = Facts::default();
    let eligible: Vec<employee::Model> = candidates
        .into_iter()
        .filter(|e| {
            let f = facts.get(&e.id).unwrap_or(&none);
            let result = progression::evaluate(ladder, e, f, today);
            result.options.iter().any(|o| {
                o.status == EligibilityStatus::Eligible && steps.iter().any(|s| s.id == o.step_id)
            })
        })
        .collect();
    let total = eligible.len() as u64;
    let after_cursor: Vec<employee::Model> = eligible
        .into_iter()
        .filter(|e| after.is_none_or(|a| e.id > a))
        .take(
            usize::try_from(first)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        )
        .collect();
    let (rows, has_next) = crate::db::paging::split(after_cursor, first);
    Ok(EmployeePage {
        rows,
        has_next,
        total,
    })
}
