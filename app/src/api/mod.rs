//! Server functions (one per file) and the types they share with the browser. Their URLs live
//! under `/api/sf/`, behind the dashboard login.

pub mod a2a_tasks;
pub mod add_connection;
pub mod add_node;
pub mod ai_settings;
pub mod appearance_settings;
pub mod apply_cli_config;
pub mod cache_settings;
pub mod cancel_a2a_task;
pub mod change_password;
pub mod chat_test;
pub mod cli_setup;
pub mod combos_overview;
pub mod connection_models;
pub mod create_api_key;
pub mod delete_api_key;
pub mod delete_budget;
pub mod delete_combo;
pub mod delete_connection;
pub mod delete_node;
pub mod endpoints_info;
pub mod general_settings;
pub mod get_log_detail;
pub mod health_traffic;
pub mod ip_access_settings;
pub mod json_settings;
pub mod list_api_keys;
pub mod list_budgets;
pub mod list_logs;
pub mod list_pricing;
pub mod list_providers;
pub mod mcp_audit;
pub mod mcp_overview;
pub mod overview;
pub mod preview_cli_config;
pub mod provider_choices;
pub mod regenerate_api_key;
pub mod reorder_combos;
pub mod reset_price;
pub mod resilience_settings;
pub mod resilience_state;
pub mod reveal_api_key;
pub mod revoke_api_key;
pub mod routing_decisions;
pub mod routing_settings;
pub mod save_agent_settings;
pub mod save_budget;
pub mod save_combo;
pub mod save_price;
pub mod security_settings;
pub mod set_api_key_enabled;
pub mod set_connection_enabled;
pub mod system_status;
pub mod test_combo;
pub mod test_connection;
pub mod translate;
pub mod translator_tools;
pub mod usage_overview;
pub mod usage_types;

use leptos::prelude::ServerFnError;

/// The message of a server function error, without the framework's prefix.
pub fn error_text(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(msg) => msg.clone(),
        other => other.to_string(),
    }
}

/// Calls the REST API in-process (server side of a server function) and reads its answer as
/// `T`: `rest("GET", "/api/usage/summary", None)`. A refusal carries the API's message.
#[cfg(feature = "ssr")]
pub async fn rest<T: serde::de::DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<T, ServerFnError> {
    let value = backend()?
        .0
        .api_call(method, path, body)
        .await
        .map_err(ServerFnError::new)?;
    serde_json::from_value(value)
        .map_err(|e| ServerFnError::new(format!("unexpected answer from {path}: {e}")))
}

#[cfg(feature = "ssr")]
pub(crate) fn backend() -> Result<crate::backend::Backend, ServerFnError> {
    leptos::prelude::use_context::<crate::backend::Backend>()
        .ok_or_else(|| ServerFnError::new("the dashboard backend is not available"))
}
