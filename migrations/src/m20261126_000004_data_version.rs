//! Change counters maintained by the database itself.
//!
//! `data_version.version` moves on every change to the facts eligibility
//! depends on (employees, certifications, reviews, nominations, role
//! history); `ladder_version.version` on every change to roles, steps,
//! requirements and salary bands. Triggers do the counting, so no writer
//! (API, import, seed, a DBA's script) can forget, and every server process
//! can keep derived data (the ladder, dashboard snapshots) in memory and
//! check it is current with one small statement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000004_data_version"
    }
}

const DATA_TABLES: &[&str] = &[
    "employee",
    "certification",
    "performance_review",
    "nomination",
    "role_assignment",
];
const LADDER_TABLES: &[&str] = &["job_role", "ladder_step", "step_requirement", "salary_band"];

const CREATE: &str = r#"
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
)
--;;
INSERT INTO data_version (id, version) VALUES (1, 1)
"#;

/// The functions the PostgreSQL triggers call.
fn postgres_functions() -> String {
    let mut script = String::new();
    for counter in ["data_version", "ladder_version"] {
        script.push_str(&format!(
            "CREATE FUNCTION bump_{counter}() RETURNS trigger AS $$ \
             BEGIN UPDATE {counter} SET version = version + 1 WHERE id = 1; RETURN NULL; END \
             $$ LANGUAGE plpgsql\n--;;\n"
        ));
    }
    script
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, CREATE).await?;
        let backend = manager.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            sql::run(manager, &postgres_functions()).await?;
        }
        let triggers = sql::counter_triggers(
            backend,
            &[
                ("data_version", DATA_TABLES),
                ("ladder_version", LADDER_TABLES),
            ],
        );
        sql::run(manager, &triggers).await
    }
}
