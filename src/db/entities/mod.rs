//! sea-orm entities, one per table. They never leave `db/` and `services/`:
//! GraphQL output types wrap them and pick fields explicitly.

pub mod application;
pub mod audit_event;
pub mod certification;
pub mod course;
pub mod course_session;
pub mod employee;
pub mod employee_bonus;
pub mod employee_gender;
pub mod enrolment;
pub mod enums;
pub mod equity_grant;
pub mod job_role;
pub mod ladder_step;
pub mod login_session;
pub mod market_hours;
pub mod merit_budget;
pub mod merit_cycle;
pub mod merit_guideline;
pub mod merit_proposal;
pub mod nomination;
pub mod opening;
pub mod pay_change;
pub mod performance_review;
pub mod potential_assessment;
pub mod proficiency_level;
pub mod role_assignment;
pub mod salary_band;
pub mod skill;
pub mod skill_assessment;
pub mod step_requirement;
pub mod step_skill;
pub mod successor;
