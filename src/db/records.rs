//! Reads of records that batch loaders and services share: one statement
//! for a whole batch of keys.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};

use crate::db::entities::{certification, employee, skill_assessment};
use crate::domain::enrolment as enrolment_rules;
use crate::domain::enums::EnrolmentStatus;

/// Whether an employee with this id exists (the one existence check; reads
/// no row, only counts the key).
pub async fn employee_exists<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    Ok(employee::Entity::find()
        .filter(employee::Column::Id.eq(id))
        .count(db)
        .await?
        > 0)
}

/// Every assessment of `ids`, newest first per employee.
pub async fn assessments_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<Vec<skill_assessment::Model>, DbErr> {
    skill_assessment::Entity::find()
        .filter(skill_assessment::Column::EmployeeId.is_in(ids.iter().copied()))
        .order_by_desc(skill_assessment::Column::AssessedOn)
        .order_by_desc(skill_assessment::Column::Id)
        .all(db)
        .await
}

/// Seats taken (ENROLLED or COMPLETED) and waitlist length per session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeatCount {
    pub taken: i64,
    pub waitlisted: i64,
}

#[derive(Debug, FromQueryResult)]
struct CountRow {
    session_id: i64,
    status: String,
    n: i64,
}

/// Seats per session of `session_ids`, in one statement.
pub async fn seat_counts<C: ConnectionTrait>(
    db: &C,
    session_ids: &[i64],
) -> Result<HashMap<i64, SeatCount>, DbErr> {
    let mut out: HashMap<i64, SeatCount> = HashMap::new();
    if session_ids.is_empty() {
        return Ok(out);
    }
    let list: Vec<String> = session_ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT session_id, status, COUNT(*) AS n FROM enrolment \
         WHERE session_id IN ({}) GROUP BY session_id, status",
        list.join(",")
    );
    let rows = CountRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await?;
    for row in rows {
        let count = out.entry(row.session_id).or_default();
        match EnrolmentStatus::parse(&row.status) {
            Some(status) if enrolment_rules::holds_seat(status) => count.taken += row.n,
            Some(EnrolmentStatus::Waitlisted) => count.waitlisted += row.n,
            _ => {}
        }
    }
    Ok(out)
}

/// Reads a course session inside `txn`, locking its row on PostgreSQL
/// (`FOR UPDATE`) so seat counts cannot race; SQLite's BEGIN IMMEDIATE
/// already serialises writers.
pub async fn lock_course_session(
    txn: &sea_orm::DatabaseTransaction,
    session_id: i64,
) -> Result<Option<crate::db::entities::course_session::Model>, DbErr> {
    use crate::db::entities::course_session;
    let backend = txn.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM course_session WHERE id = $1 FOR UPDATE",
            [session_id.into()],
        ))
        .await?;
    }
    course_session::Entity::find_by_id(session_id)
        .one(txn)
        .await
}

/// Reads an employee inside `txn`, locking the row on PostgreSQL (`FOR
/// UPDATE`) so two decisions that change their pay cannot both pass a check
/// on the old pay; SQLite's BEGIN IMMEDIATE already serialises writers.
pub async fn lock_employee(
    txn: &sea_orm::DatabaseTransaction,
    employee_id: i64,
) -> Result<Option<employee::Model>, DbErr> {
    let backend = txn.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM employee WHERE id = $1 FOR UPDATE",
            [employee_id.into()],
        ))
        .await?;
    }
    employee::Entity::find_by_id(employee_id).one(txn).await
}

/// Employees as readers see them: every column but `password_hash`, which
/// reads as NULL, so a password hash never leaves the sign-in and
/// password-change code (which read it on their own) for a loader, a page
/// or the session cache, and is never sent by the database for them.
pub fn employees_without_secrets() -> sea_orm::Select<employee::Entity> {
    use sea_orm::{Iterable, QuerySelect};
    employee::Entity::find()
        .select_only()
        .columns(employee::Column::iter().filter(|c| !matches!(c, employee::Column::PasswordHash)))
        .column_as(
            sea_orm::sea_query::Expr::cust("CAST(NULL AS TEXT)"),
            "password_hash",
        )
}

/// Employees' rows (without secrets) by id.
pub async fn employees_by_id<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, employee::Model>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let rows = employees_without_secrets()
        .filter(employee::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|e| (e.id, e)).collect())
}

/// Employees' certificates by employee id, oldest first; everyone in `ids`
/// has an entry, an empty list for those with none.
pub async fn certifications_by_employee<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<certification::Model>>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let rows = certification::Entity::find()
        .filter(certification::Column::EmployeeId.is_in(ids.iter().copied()))
        .order_by_asc(certification::Column::IssuedOn)
        .order_by_asc(certification::Column::Id)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<i64, Vec<certification::Model>> =
        ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        out.entry(row.employee_id).or_default().push(row);
    }
    Ok(out)
}

/// The same column list for raw SQL over the employee table aliased
/// `alias`.
pub fn employee_columns_without_secrets(alias: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    employee::Column::iter()
        .map(|c| {
            if matches!(c, employee::Column::PasswordHash) {
                "CAST(NULL AS TEXT) AS password_hash".to_owned()
            } else {
                format!("{alias}.{}", c.as_str())
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One employee's row (without secrets) and their certificates, oldest
/// first, in one statement (a join) where the row and then the certificates
/// would take two: `employee(id:)` asks for both in one level.
pub async fn employee_with_certifications<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<(employee::Model, Vec<certification::Model>)>, DbErr> {
    use sea_orm::{FromQueryResult, IdenStatic, Iterable, Statement};
    let employee_columns = employee::Column::iter()
        .map(|c| {
            if matches!(c, employee::Column::PasswordHash) {
                "CAST(NULL AS TEXT) AS e_password_hash".to_owned()
            } else {
                format!("e.{0} AS e_{0}", c.as_str())
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let certification_columns = certification::Column::iter()
        .map(|c| format!("c.{0} AS c_{0}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let backend = db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    let statement = Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT {employee_columns}, {certification_columns} FROM employee e \
             LEFT JOIN certification c ON c.employee_id = e.id \
             WHERE e.id = {placeholder} ORDER BY c.issued_on, c.id"
        ),
        [id.into()],
    );
    let rows = db.query_all_raw(statement).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let employee = employee::Model::from_query_result(first, "e_")?;
    let mut certifications = Vec::new();
    for row in &rows {
        if let Some(certification) = certification::Model::from_query_result_optional(row, "c_")? {
            certifications.push(certification);
        }
    }
    Ok(Some((employee, certifications)))
}

/// One row by its primary key (`node(id:)` reads an entity this way before
/// its owner's access check).
pub async fn by_id<E, C>(db: &C, id: i64) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
    C: ConnectionTrait,
{
    E::find_by_id(id).one(db).await
}

/// The id of the employee with this employee number, if any.
pub async fn employee_id_by_number<C: ConnectionTrait>(
    db: &C,
    number: &str,
) -> Result<Option<i64>, DbErr> {
    Ok(employee::Entity::find()
        .filter(employee::Column::EmployeeNumber.eq(number))
        .one(db)
        .await?
        .map(|e| e.id))
}
