//! The seeded defaults of the domain rules (the shared DOMAIN.md): job roles, the ladder with its
//! requirements, and the Japan-market salary bands, so that a fresh database
//! is usable at once. HR changes all of it through the API afterwards.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_seed_defaults"
    }
}

const SEED: &str = r#"
INSERT INTO job_role (code, title, level) VALUES
    ('CSR', 'Customer Service Representative', 1),
    ('TEAM_LEAD', 'Team Lead', 2),
    ('QUALITY_ANALYST', 'Quality Analyst', 2),
    ('TRAINING_SPECIALIST', 'Training Specialist', 2),
    ('OPERATIONS_MANAGER', 'Operations Manager', 3),
    ('HR_GENERALIST', 'HR Generalist', 2),
    ('LOGISTICS_COORDINATOR', 'Logistics Coordinator', 2),
    ('VENDOR_MANAGER', 'Vendor Manager', 2)
--;;
INSERT INTO ladder_step (from_role_id, to_role_id, fast_track_months, standard_months,
                         min_rating, top_performer_rating, raise_min_bp, raise_max_bp)
SELECT f.id, t.id, 12, 18, 3.0, 4.0, 2000, 3000
FROM job_role f, job_role t
WHERE f.code = 'CSR' AND t.code IN ('TEAM_LEAD', 'QUALITY_ANALYST', 'TRAINING_SPECIALIST',
                                    'HR_GENERALIST', 'LOGISTICS_COORDINATOR', 'VENDOR_MANAGER')
ORDER BY t.id
--;;
INSERT INTO ladder_step (from_role_id, to_role_id, fast_track_months, standard_months,
                         min_rating, top_performer_rating, raise_min_bp, raise_max_bp)
SELECT f.id, t.id, 12, 18, 3.0, 4.0, 2000, 3000
FROM job_role f, job_role t
WHERE f.code = 'TEAM_LEAD' AND t.code = 'OPERATIONS_MANAGER'
--;;
INSERT INTO step_requirement (step_id, kind, min_belt, min_cefr, required_count)
SELECT s.id, 'LEADERSHIP_TRAINING', NULL, NULL, 1
FROM ladder_step s JOIN job_role f ON f.id = s.from_role_id JOIN job_role t ON t.id = s.to_role_id
WHERE f.code = 'CSR' AND t.code = 'TEAM_LEAD'
--;;
INSERT INTO step_requirement (step_id, kind, min_belt, min_cefr, required_count)
SELECT s.id, 'SIX_SIGMA', 'YELLOW', NULL, 1
FROM ladder_step s JOIN job_role f ON f.id = s.from_role_id JOIN job_role t ON t.id = s.to_role_id
WHERE f.code = 'CSR' AND t.code = 'QUALITY_ANALYST'
--;;
INSERT INTO step_requirement (step_id, kind, min_belt, min_cefr, required_count)
SELECT s.id, 'LANGUAGE', NULL, 'B2', 2
FROM ladder_step s JOIN job_role f ON f.id = s.from_role_id JOIN job_role t ON t.id = s.to_role_id
WHERE f.code = 'CSR' AND t.code = 'TRAINING_SPECIALIST'
--;;
INSERT INTO step_requirement (step_id, kind, min_belt, min_cefr, required_count)
SELECT s.id, r.kind, r.min_belt, r.min_cefr, r.required_count
FROM ladder_step s JOIN job_role f ON f.id = s.from_role_id JOIN job_role t ON t.id = s.to_role_id,
     (SELECT 'SIX_SIGMA' AS kind, 'GREEN' AS min_belt, NULL AS min_cefr, 1 AS required_count
      UNION ALL SELECT 'LEADERSHIP_TRAINING', NULL, NULL, 1
      UNION ALL SELECT 'LANGUAGE', NULL, 'B2', 2) r
WHERE f.code = 'TEAM_LEAD' AND t.code = 'OPERATIONS_MANAGER'
--;;
INSERT INTO salary_band (job_role_id, market, currency, min_minor, max_minor, midpoint_minor)
SELECT id, 'JP', 'JPY', 400000, 560000, 480000 FROM job_role WHERE code = 'CSR'
--;;
INSERT INTO salary_band (job_role_id, market, currency, min_minor, max_minor, midpoint_minor)
SELECT id, 'JP', 'JPY', 480000, 700000, 590000 FROM job_role WHERE level = 2
--;;
INSERT INTO salary_band (job_role_id, market, currency, min_minor, max_minor, midpoint_minor)
SELECT id, 'JP', 'JPY', 600000, 900000, 750000 FROM job_role WHERE code = 'OPERATIONS_MANAGER'
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, SEED).await
    }
}
