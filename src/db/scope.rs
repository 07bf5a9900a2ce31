//! Row scopes: who may see whom. A MANAGER reaches their whole reporting
//! chain (direct and indirect reports); the walks are recursive CTEs that run
//! unchanged on SQLite and PostgreSQL, bounded in depth so that even a
//! corrupted (cyclic) hierarchy cannot loop.
//!
//! Ids are formatted into the SQL as integers (`i64`), never as text from a
//! request, so there is nothing to inject.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbErr, Statement};

/// The deepest reporting chain followed.
pub const MAX_DEPTH: u32 = 64;

/// SQL selecting the ids (column `id`) of everyone below `manager_id`.
pub fn chain_ids_sql(manager_id: i64) -> String {
    format!(
        "WITH RECURSIVE chain(id, depth) AS (\
           SELECT id, 1 FROM employee WHERE manager_id = {manager_id} \
           UNION ALL \
           SELECT e.id, chain.depth + 1 FROM employee e JOIN chain ON e.manager_id = chain.id \
           WHERE chain.depth < {MAX_DEPTH}) \
         SELECT id FROM chain"
    )
}

/// A condition on `column` (a qualified SQL column such as
/// `employee.id`): its value is someone below `manager_id`.
pub fn in_chain(column: &str, manager_id: i64) -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::Expr::cust(format!("{column} IN ({})", chain_ids_sql(manager_id)))
}

/// Everyone below `manager_id`, directly or indirectly.
pub async fn chain_ids<C: ConnectionTrait>(db: &C, manager_id: i64) -> Result<HashSet<i64>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            chain_ids_sql(manager_id),
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<i64>("", "id"))
        .collect()
}

/// SQL selecting the ids (column `id`) of everyone above `employee_id`
/// (their manager, the manager's manager, ...).
pub fn managers_above_sql(employee_id: i64) -> String {
    format!(
        "WITH RECURSIVE up(id, depth) AS (\
           SELECT manager_id, 1 FROM employee WHERE id = {employee_id} AND manager_id IS NOT NULL \
           UNION ALL \
           SELECT e.manager_id, up.depth + 1 FROM employee e JOIN up ON e.id = up.id \
           WHERE e.manager_id IS NOT NULL AND up.depth < {MAX_DEPTH}) \
         SELECT id FROM up"
    )
}

/// Whether `ancestor_id` stands above `employee_id` in the reporting chain.
pub async fn is_above<C: ConnectionTrait>(
    db: &C,
    ancestor_id: i64,
    employee_id: i64,
) -> Result<bool, DbErr> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM ({}) above WHERE id = {ancestor_id}",
        managers_above_sql(employee_id)
    );
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let count = match row {
        Some(row) => row.try_get::<i64>("", "n")?,
        None => 0,
    };
    Ok(count > 0)
}
