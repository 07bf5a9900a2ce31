//! Sign-in sessions as stored (`login_session`), read with the employee
//! they belong to. The rules (expiry, revocation, the per-process cache)
//! are in `services::accounts` and `auth::sessions`.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

use crate::db::entities::employee;

/// A live session found by its token digest.
pub struct LiveSession {
    pub employee: employee::Model,
    pub session_id: i64,
    pub expires_at: DateTime<Utc>,
    /// The ladder version, read in the same statement so the ladder cache
    /// check costs nothing extra.
    pub ladder_version: i64,
}

/// The session whose token hashes to `digest`, unless revoked or expired
/// at `now`, with its employee row and the ladder version: one statement.
pub async fn live_session<C: ConnectionTrait>(
    conn: &C,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<LiveSession>, DbErr> {
    let backend = conn.get_database_backend();
    let sql = crate::db::placeholders(
        backend,
        &format!(
            "SELECT {}, s.id AS session_id, s.expires_at AS session_expires_at, \
                    (SELECT version FROM ladder_version WHERE id = 1) AS ladder_version \
             FROM login_session s JOIN employee e ON e.id = s.employee_id \
             WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?",
            crate::db::records::employee_columns_without_secrets("e")
        ),
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [digest.into(), now.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(LiveSession {
        employee: employee::Model::from_query_result(&row, "")?,
        session_id: row.try_get("", "session_id")?,
        expires_at: row.try_get("", "session_expires_at")?,
        ladder_version: row.try_get("", "ladder_version")?,
    }))
}
