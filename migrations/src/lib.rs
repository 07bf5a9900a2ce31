//! Database migrations for Rungs, one file per change, named by date.
//!
//! The DDL is written once with a few type placeholders so the same schema is
//! created on SQLite (the embedded default) and PostgreSQL (production).

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_schema;
mod m20261126_000002_seed_defaults;
mod m20261126_000003_ladder_version;
mod m20261126_000004_data_version;
mod m20261126_000005_login_throttle;
mod m20261126_000006_skills_training;
mod m20261126_000007_eligibility_state;
mod m20261126_000008_eligibility_cells;
mod m20261202_000009_dashboard_indexes;
mod m20261202_000010_auth_notify;
mod m20261204_000011_facts_notify;
mod m20261204_000012_events_notify;
mod m20261204_000013_pay_changes;
mod m20261204_000014_gender;
mod m20261204_000015_equity;
mod m20261204_000016_leadership_pay;
mod m20261204_000017_pay_basis;
mod m20261204_000018_merit_cycles;
mod m20261204_000019_notify_ids;
mod m20261204_000020_mobility;
mod m20261204_000021_application_events;
mod m20261204_000022_succession;
mod m20261205_000023_pay_terms_history;
mod m20261205_000024_scheduled_pay;
mod sql;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_schema::Migration),
            Box::new(m20261126_000002_seed_defaults::Migration),
            Box::new(m20261126_000003_ladder_version::Migration),
            Box::new(m20261126_000004_data_version::Migration),
            Box::new(m20261126_000005_login_throttle::Migration),
            Box::new(m20261126_000006_skills_training::Migration),
            Box::new(m20261126_000007_eligibility_state::Migration),
            Box::new(m20261126_000008_eligibility_cells::Migration),
            Box::new(m20261202_000009_dashboard_indexes::Migration),
            Box::new(m20261202_000010_auth_notify::Migration),
            Box::new(m20261204_000011_facts_notify::Migration),
            Box::new(m20261204_000012_events_notify::Migration),
            Box::new(m20261204_000013_pay_changes::Migration),
            Box::new(m20261204_000014_gender::Migration),
            Box::new(m20261204_000015_equity::Migration),
            Box::new(m20261204_000016_leadership_pay::Migration),
            Box::new(m20261204_000017_pay_basis::Migration),
            Box::new(m20261204_000018_merit_cycles::Migration),
            Box::new(m20261204_000019_notify_ids::Migration),
            Box::new(m20261204_000020_mobility::Migration),
            Box::new(m20261204_000021_application_events::Migration),
            Box::new(m20261204_000022_succession::Migration),
            Box::new(m20261205_000023_pay_terms_history::Migration),
            Box::new(m20261205_000024_scheduled_pay::Migration),
        ]
    }
}
