//! The mutation root, one file per area, merged.

mod account;
mod catalog;
mod employees;
mod mobility;
mod nominations;
mod pay;
mod records;
mod succession;
mod training;

use async_graphql::MergedObject;

/// Changes. Every change is recorded in the audit log; who may call a
/// mutation is in its description.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    account::AccountMutation,
    employees::EmployeeMutation,
    records::RecordMutation,
    catalog::CatalogMutation,
    nominations::NominationMutation,
    pay::PayMutation,
    mobility::MobilityMutation,
    succession::SuccessionMutation,
    training::TrainingMutation,
);
