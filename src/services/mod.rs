//! Use cases, one function each: load facts, ask the domain, check access,
//! write inside one transaction and append the audit event.

pub mod accounts;
pub mod audit;
pub mod catalog;
pub mod dashboard;
pub mod eligibility_state;
pub mod eligible;
pub mod employees;
pub mod import;
pub mod import_employees;
pub mod import_records;
pub mod lookup;
pub mod merit;
pub mod mobility;
pub mod nominations;
pub mod pay;
pub mod progression;
pub mod records;
pub mod report;
pub mod skills;
pub mod succession;
pub mod throttle;
pub mod training;
pub mod validate;
