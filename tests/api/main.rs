//! Integration tests: the real server over HTTP, a fresh database per test.

mod access;
mod accounts;
mod audit;
mod dashboard;
mod eligibility;
mod employees;
mod helpers;
mod http;
mod import;
mod nominations;
mod schema;
mod web;
