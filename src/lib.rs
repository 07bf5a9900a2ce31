//! Rungs: career mobility and skills tracking for customer-service
//! organisations, as a GraphQL API. This file only declares modules so that
//! `tests/` can use the crate.

pub mod auth;
pub mod cli;
pub mod config;
pub mod connections;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod services;
pub mod startup;
pub mod tally;
pub mod telemetry;
#[cfg(feature = "tools")]
pub mod tools;
#[cfg(feature = "tools")]
pub use tools::{bench, demo, demo_courses, seed};
pub mod web;
pub mod ws;
