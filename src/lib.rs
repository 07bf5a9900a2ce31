//! Rungs: career mobility and skills tracking for customer-service
//! organisations, as a GraphQL API. This file only declares modules so that
//! `tests/` can use the crate.

pub mod auth;
pub mod bench;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod connections;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod seed;
pub mod services;
pub mod startup;
pub mod tally;
pub mod telemetry;
pub mod web;
pub mod ws;
