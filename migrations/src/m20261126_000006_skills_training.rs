//! Skills and training: the skill catalogue and proficiency levels, skill
//! assessments (history kept: a new one never overwrites an old one), skill
//! requirements of ladder steps, and courses with sessions and enrolments.
//!
//! A fresh database gets the skills of the source article and the five
//! proficiency levels, and no skill requirement: the ladder keeps exactly the
//! seeded defaults of the domain rules until HR (or `--demo` / `rungs seed`) adds some.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000006_skills_training"
    }
}

const UP: &str = r#"
CREATE TABLE skill (
    id {ID},
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at {TS} NOT NULL
)
--;;
CREATE TABLE proficiency_level (
    level INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL
)
--;;
CREATE TABLE skill_assessment (
    id {ID},
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    skill_id BIGINT NOT NULL REFERENCES skill(id),
    level INTEGER NOT NULL,
    source TEXT NOT NULL,
    assessed_on {DATE} NOT NULL,
    assessor_id BIGINT REFERENCES employee(id),
    note TEXT,
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX skill_assessment_employee ON skill_assessment(employee_id)
--;;
CREATE TABLE step_skill (
    id {ID},
    step_id BIGINT NOT NULL REFERENCES ladder_step(id) ON DELETE CASCADE,
    skill_id BIGINT NOT NULL REFERENCES skill(id),
    min_level INTEGER NOT NULL
)
--;;
CREATE INDEX step_skill_step ON step_skill(step_id)
--;;
CREATE TABLE course (
    id {ID},
    title TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    cert_kind TEXT,
    cert_name TEXT,
    cert_belt TEXT,
    cert_language TEXT,
    cert_cefr TEXT,
    validity_months INTEGER,
    skill_id BIGINT REFERENCES skill(id),
    skill_level INTEGER,
    created_at {TS} NOT NULL
)
--;;
CREATE TABLE course_session (
    id {ID},
    course_id BIGINT NOT NULL REFERENCES course(id),
    starts_on {DATE} NOT NULL,
    ends_on {DATE} NOT NULL,
    capacity INTEGER NOT NULL,
    trainer_id BIGINT REFERENCES employee(id),
    location TEXT,
    created_at {TS} NOT NULL
)
--;;
CREATE INDEX course_session_course ON course_session(course_id, starts_on)
--;;
CREATE TABLE enrolment (
    id {ID},
    session_id BIGINT NOT NULL REFERENCES course_session(id),
    employee_id BIGINT NOT NULL REFERENCES employee(id),
    status TEXT NOT NULL,
    completed_on {DATE},
    enrolled_by_id BIGINT REFERENCES employee(id),
    created_at {TS} NOT NULL,
    updated_at {TS} NOT NULL
)
--;;
CREATE INDEX enrolment_session ON enrolment(session_id)
--;;
CREATE INDEX enrolment_employee ON enrolment(employee_id)
--;;
CREATE UNIQUE INDEX enrolment_one_active ON enrolment(session_id, employee_id)
    WHERE status IN ('ENROLLED', 'WAITLISTED', 'COMPLETED')
--;;
INSERT INTO proficiency_level (level, name, description) VALUES
    (1, 'Novice', 'Knows the basics; needs guidance on routine work'),
    (2, 'Developing', 'Handles routine cases alone; needs help with harder ones'),
    (3, 'Proficient', 'Handles most cases alone and reliably'),
    (4, 'Advanced', 'Handles the hard cases and helps others'),
    (5, 'Expert', 'Sets the standard: teaches, designs and improves the practice')
"#;

/// The skills of the source article: (name, category, description).
const SKILLS: &[(&str, &str, &str)] = &[
    (
        "Active listening",
        "Customer interaction",
        "Hears the customer out and confirms the real issue before acting",
    ),
    (
        "Empathy",
        "Customer interaction",
        "Understands and acknowledges how the customer feels",
    ),
    (
        "Multitasking",
        "Customer interaction",
        "Handles chats, calls and tools at once without dropping any",
    ),
    (
        "Conflict resolution",
        "Customer interaction",
        "Turns an escalation into a resolved, satisfied customer",
    ),
    (
        "CRM proficiency",
        "Tools",
        "Works the CRM systems, chatbots and knowledge bases quickly and accurately",
    ),
    (
        "Process optimization",
        "Operations",
        "Finds and removes waste in support processes (Six Sigma thinking)",
    ),
    (
        "Coaching",
        "Leadership",
        "Runs coaching sessions that measurably improve a CSR's metrics",
    ),
];

/// Tables whose changes move `data_version` (facts the engine and the
/// dashboard snapshot read: assessments, and courses for `courseImpact`) or
/// `ladder_version` (what the ladder asks for and how it is worded).
/// Sessions and enrolments are read live, so they invalidate nothing.
const DATA_TABLES: &[&str] = &["skill_assessment", "course"];
const LADDER_TABLES: &[&str] = &["skill", "step_skill"];

fn seed_skills(backend: DatabaseBackend) -> String {
    let now = match backend {
        DatabaseBackend::Postgres => "now()",
        _ => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
    };
    let mut script = String::new();
    let quote = |text: &str| text.replace('\'', "''");
    for (name, category, description) in SKILLS {
        let (name, category, description) = (quote(name), quote(category), quote(description));
        script.push_str(&format!(
            "INSERT INTO skill (name, category, description, created_at) \
             VALUES ('{name}', '{category}', '{description}', {now})\n--;;\n"
        ));
    }
    script
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        sql::run(manager, UP).await?;
        sql::run(manager, &seed_skills(backend)).await?;
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
