//! Pure domain layer of Rungs: the career-ladder rules with no I/O and no clock.
//!
//! Everything here is a deterministic function of its arguments. Every
//! time-dependent answer takes an explicit `as_of` date supplied by the caller,
//! so the single-employee view and the dashboards compute the same result from
//! the same snapshot.
//!
//! - [`enums`]: the closed vocabularies (access roles, belts, CEFR levels,
//!   statuses) with their wire names.
//! - [`tenure`]: whole-calendar-month arithmetic.
//! - [`money`]: exact integer minor units, ISO 4217 exponents, raises, bands.
//! - [`eligibility`]: the one function that decides promotion eligibility.
//! - [`enrolment`]: the course enrolment state machine.
//! - [`nomination`]: the nomination state machine.
//! - [`staffing`]: how many Team Leads a site's CSRs need.
//! - [`plan`]: development plans that close the gaps, dated by the engine.
//! - [`stats`]: interpolated percentiles, of values or of counted values.
//! - [`words`]: dates, tracks, belts and languages in the words of people.

pub mod bounds;
pub mod eligibility;
pub mod eligibility_state;
pub mod enrolment;
// `wire_enum!` serves `mobility` too.
#[macro_use]
pub mod enums;
pub mod equity;
pub mod merit;
pub mod mobility;
pub mod money;
pub mod nomination;
pub mod pay_basis;
pub mod pay_gap;
pub mod plan;
pub mod staffing;
pub mod stats;
pub mod tenure;
pub mod words;
