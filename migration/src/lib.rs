//! Database migrations, applied in order at start-up.
//!
//! Migrations are append-only: a released migration is never edited. A later feature adds a
//! table by adding a file here and listing it in [`Migrator::migrations`]; entities in the
//! `entity` crate follow. The server refuses to open a database that has migrations this
//! binary does not know (it was written by a newer OmniRoute).

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261124_000002_providers;
mod m20261124_000003_api_keys;
mod m20261124_000004_usage;
mod m20261124_000005_combos;
mod m20261124_000006_usage_bodies;
mod m20261124_000007_mcp_a2a;
mod m20261124_000009_usage_cached;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261124_000002_providers::Migration),
            Box::new(m20261124_000003_api_keys::Migration),
            Box::new(m20261124_000004_usage::Migration),
            Box::new(m20261124_000005_combos::Migration),
            Box::new(m20261124_000006_usage_bodies::Migration),
            Box::new(m20261124_000007_mcp_a2a::Migration),
            Box::new(m20261124_000009_usage_cached::Migration),
        ]
    }
}

/// The names of every migration this binary knows, in order.
pub fn known_migration_names() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}
