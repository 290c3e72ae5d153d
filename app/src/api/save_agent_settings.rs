use leptos::prelude::*;

/// The switches of the MCP & A2A page (a form: an unchecked box is absent), the extra MCP
/// hosts (comma or line separated) and the A2A default model. Answers a confirmation.
#[server(prefix = "/api/sf", endpoint = "save_agent_settings")]
pub async fn save_agent_settings(
    #[server(default)] mcp_enabled: Option<String>,
    #[server(default)] a2a_enabled: Option<String>,
    #[server(default)] allowed_hosts: String,
    #[server(default)] default_model: String,
) -> Result<String, ServerFnError> {
    use serde_json::{json, Value};
    let hosts: Vec<String> = allowed_hosts
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect();
    let model = default_model.trim();
    let _: Value = super::rest(
        "PUT",
        "/api/mcp/settings",
        Some(json!({ "enabled": mcp_enabled.is_some(), "allowedHosts": hosts })),
    )
    .await?;
    let _: Value = super::rest(
        "PUT",
        "/api/a2a/settings",
        Some(json!({
            "enabled": a2a_enabled.is_some(),
            "defaultModel": if model.is_empty() { Value::Null } else { json!(model) },
        })),
    )
    .await?;
    let state = |on: bool| if on { "on" } else { "off" };
    Ok(format!(
        "Saved: MCP is {}, A2A is {}.",
        state(mcp_enabled.is_some()),
        state(a2a_enabled.is_some())
    ))
}
