//! The query root, one file per area, merged.

mod audit;
mod catalog;
mod dashboard;
mod employees;
mod federation;
mod mobility;
mod node;
mod nominations;
mod pay;
mod report;
mod succession;
mod training;

use async_graphql::MergedObject;

pub use node::Node;

/// Reads. Everything needs a signed-in user (`Authorization: Bearer
/// <token>` from `login`).
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    employees::EmployeeQuery,
    catalog::CatalogQuery,
    nominations::NominationQuery,
    pay::PayQuery,
    mobility::MobilityQuery,
    succession::SuccessionQuery,
    audit::AuditQuery,
    dashboard::DashboardQuery,
    report::ReportQuery,
    training::TrainingQuery,
    node::NodeQuery,
    federation::FederationQuery,
);
