//! Integration tests: the real server over HTTP, a fresh database per test.
// The whole crate is tests: a failed unwrap here is a failed test.
#![allow(clippy::unwrap_used)]

mod access;
mod accounts;
mod attacks;
mod audit;
mod bad_input;
mod cost;
mod crash;
mod dashboard;
mod directory;
mod duties;
mod eligibility;
mod employees;
mod events;
mod federation;
mod hardening;
mod helpers;
mod http;
mod import;
mod kept;
mod merit;
mod mobility;
mod nodes;
mod nominations;
mod oracles;
mod pay;
mod pay_basis;
mod persisted;
mod processes;
mod replica;
mod schema;
mod sessions;
mod shutdown;
mod state;
mod succession;
mod throttle;
mod training;
mod trusted;
mod web;
