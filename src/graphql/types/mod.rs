//! GraphQL output types. They wrap entities and pick fields explicitly;
//! no database model is ever exposed as is.

pub mod audit;
pub mod connection;
pub mod dashboard;
pub mod employee;
pub mod enums;
pub mod ladder;
pub mod merit;
pub mod mobility;
pub mod nomination;
pub mod pay;
pub mod progression;
pub mod records;
pub mod report;
pub mod succession;
pub mod training;
