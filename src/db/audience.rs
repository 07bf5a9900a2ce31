//! Who may hear of an event, worked out once per event for every
//! subscriber of the process: the managers above the person it concerns,
//! and which of the subscribers' login sessions are still live (with the
//! principal each stands for now). Two statements per event, however many
//! subscribers there are.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, Statement};

use crate::auth::Principal;
use crate::domain::enums::AccessRole;

/// What every subscriber's check of one event needs.
#[derive(Debug, Default)]
pub struct Audience {
    /// Everyone above the employee the event concerns.
    pub managers_above: HashSet<i64>,
    /// Live sessions among the subscribers', with their principal now.
    pub live: HashMap<i64, Principal>,
}

/// Most session ids in one statement.
const CHUNK: usize = 500;

/// The audience of an event about `employee_id`, for subscribers holding
/// `sessions`.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
    sessions: &[i64],
) -> Result<Audience, DbErr> {
    let backend = db.get_database_backend();
    let sql = crate::db::scope::managers_above_sql(employee_id);
    let managers_above = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
        .iter()
        .map(|row| row.try_get::<i64>("", "id"))
        .collect::<Result<HashSet<_>, _>>()?;
    let mut live = HashMap::new();
    for chunk in sessions.chunks(CHUNK) {
        // Integers only: nothing to inject.
        let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = crate::db::placeholders(
            backend,
            &format!(
                "SELECT s.id AS session_id, e.id AS employee_id, e.access_role \
                 FROM login_session s JOIN employee e ON e.id = s.employee_id \
                 WHERE s.id IN ({}) AND s.revoked_at IS NULL AND s.expires_at > ?",
                ids.join(",")
            ),
        );
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [Utc::now().into()],
            ))
            .await?;
        for row in rows {
            let session_id: i64 = row.try_get("", "session_id")?;
            let employee_id: i64 = row.try_get("", "employee_id")?;
            let role: String = row.try_get("", "access_role")?;
            if let Some(access_role) = AccessRole::parse(&role) {
                live.insert(
                    session_id,
                    Principal {
                        employee_id,
                        access_role,
                        session_id,
                    },
                );
            }
        }
    }
    Ok(Audience {
        managers_above,
        live,
    })
}
