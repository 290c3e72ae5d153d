//! sea-orm entities, one module per table. They follow the migrations in the `migration` crate.

pub mod api_keys;
pub mod key_value;
pub mod provider_connections;
pub mod provider_models;
pub mod provider_nodes;
pub mod sessions;
