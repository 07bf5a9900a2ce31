//! The core schema: roles and the ladder, employees, certifications, reviews,
//! salary bands, role history, login sessions, nominations and the audit log.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000001_schema"
    }
}

const TABLES: &str = r#"
CREATE TABLE job_role (
    id {ID},
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    level INTEGER NOT NULL
)
--;;
CREATE TABLE ladder_step (
    id {ID},
    from_role_id BIGINT NOT NULL REFERENCES job_role(id),
    to_role_id BIGINT NOT NULL REFERENCES job_role(id),
    fast_track_months INTEGER NOT NULL,
    standard_months INTEGER NOT NULL,
    min_rating {F64} NOT NULL,
    top_performer_rating {F64} NOT NULL,
    raise_min_bp BIGINT NOT NULL,
    raise_max_bp BIGINT NOT NULL,
    UNIQUE (from_role_id, to_role_id)
)
--;;
CREATE TABLE step_requirement (
    id {ID},
    step_id BIGINT NOT NULL REFERENCES ladder_step(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    min_belt TEXT,
    min_cefr TEXT,
    required_count INTEGER NOT NULL
)
--;;
CREATE INDEX step_requirement_step ON step_requirement(step_id)
--;;
CREATE TABLE employee (
    id {ID},
    employee_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    access_role TEXT NOT NULL,
    job_role_id BIGINT NOT NULL REFERENCES job_role(id),
    manager_id BIGINT REFERENCES employee(id),
    site TEXT NOT NULL,
    market TEXT NOT NULL,
    work_arrangement TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    hired_on {DATE} NOT NULL,
    role_since {DATE} NOT NULL,
    salary_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    created_at {TS} NOT NULL,
    updated_at {TS} NOT NULL
)
--;;
CREATE INDEX employee_manager ON employee(manager_id)
--;;
CREATE INDEX employee_role ON employee(job_role_id)
--;;
CREATE INDEX employee_site ON employee(site)
--;;
CREATE INDEX employee_market ON employee(market)
--;;
CREATE TABLE certification (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    belt TEXT,
    language TEXT,
    cefr TEXT,
    issued_on {DATE} NOT NULL,
    expires_on {DATE},
    status TEXT NOT NULL,
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX certification_employee ON certification(employee_id)
--;;
CREATE TABLE performance_review (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    period_end {DATE} NOT NULL,
    rating {F64} NOT NULL,
    csat {F64},
    avg_response_seconds INTEGER,
    resolution_accuracy {F64},
    interactions_per_day {F64},
    recorded_by_id BIGINT REFERENCES employee(id),
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX performance_review_employee ON performance_review(employee_id, period_end)
--;;
CREATE TABLE salary_band (
    id {ID},
    job_role_id BIGINT NOT NULL REFERENCES job_role(id),
    market TEXT NOT NULL,
    currency TEXT NOT NULL,
    min_minor BIGINT NOT NULL,
    max_minor BIGINT NOT NULL,
    midpoint_minor BIGINT NOT NULL,
    UNIQUE (job_role_id, market)
)
--;;
CREATE TABLE role_assignment (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    job_role_id BIGINT NOT NULL REFERENCES job_role(id),
    started_on {DATE} NOT NULL,
    ended_on {DATE},
    salary_minor BIGINT NOT NULL,
    currency TEXT NOT NULL
)
--;;
CREATE INDEX role_assignment_employee ON role_assignment(employee_id, started_on)
--;;
CREATE TABLE login_session (
    id {ID},
    token_hash TEXT NOT NULL UNIQUE,
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    created_at {TS} NOT NULL,
    expires_at {TS} NOT NULL,
    revoked_at {TS}
)
--;;
CREATE INDEX login_session_employee ON login_session(employee_id)
--;;
CREATE TABLE nomination (
    id {ID},
    nominee_id BIGINT NOT NULL REFERENCES employee(id),
    nominated_by_id BIGINT NOT NULL REFERENCES employee(id),
    step_id BIGINT NOT NULL REFERENCES ladder_step(id),
    target_role_id BIGINT NOT NULL REFERENCES job_role(id),
    status TEXT NOT NULL,
    justification TEXT NOT NULL,
    is_override BOOLEAN NOT NULL,
    override_reason TEXT,
    created_at {TS} NOT NULL,
    decided_at {TS},
    decided_by_id BIGINT REFERENCES employee(id),
    decision_reason TEXT,
    raise_bp BIGINT,
    new_salary_minor BIGINT,
    currency TEXT,
    effective_on {DATE}
)
--;;
CREATE UNIQUE INDEX nomination_one_pending ON nomination(nominee_id) WHERE status = 'PENDING'
--;;
CREATE INDEX nomination_status ON nomination(status, id)
--;;
CREATE INDEX nomination_nominee ON nomination(nominee_id)
--;;
CREATE TABLE audit_event (
    id {ID},
    at {TS} NOT NULL,
    actor_id BIGINT REFERENCES employee(id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    details TEXT NOT NULL
)
--;;
CREATE INDEX audit_event_entity ON audit_event(entity, id)
--;;
CREATE INDEX audit_event_actor ON audit_event(actor_id, id)
"#;

/// The audit log is append-only in the database itself, not only in the API.
const AUDIT_GUARD_SQLITE: &str = r#"
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
--;;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
"#;

const AUDIT_GUARD_POSTGRES: &str = r#"
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END
$$ LANGUAGE plpgsql
--;;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
--;;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, TABLES).await?;
        sql::run_per_backend(manager, AUDIT_GUARD_SQLITE, AUDIT_GUARD_POSTGRES).await
    }
}
