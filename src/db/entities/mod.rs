//! sea-orm entities, one per table. They never leave `db/` and `services/`:
//! GraphQL output types wrap them and pick fields explicitly.

pub mod audit_event;
pub mod certification;
pub mod employee;
pub mod job_role;
pub mod ladder_step;
pub mod login_session;
pub mod nomination;
pub mod performance_review;
pub mod role_assignment;
pub mod salary_band;
pub mod step_requirement;
