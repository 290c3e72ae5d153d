//! sea-orm entities, one module per table. They follow the migrations in the `migration` crate.

pub mod a2a_task_events;
pub mod a2a_tasks;
pub mod api_keys;
pub mod budgets;
pub mod combos;
pub mod key_value;
pub mod mcp_tool_audit;
pub mod pricing;
pub mod provider_connections;
pub mod provider_models;
pub mod provider_nodes;
pub mod sessions;
pub mod usage_bodies;
pub mod usage_history;
