//! Scope `providers`: the provider connections (accounts): list, add, test.

use super::{fail, reply};
use crate::mcp::api::encode;
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddProviderInput {
    /// The provider id or prefix (openai, anthropic, deepseek, ds, ...) or a custom node id.
    pub provider: String,
    /// The provider's API key (stored encrypted; never shown again in full).
    #[serde(default)]
    pub api_key: Option<String>,
    /// A name for this connection (account), e.g. "work".
    #[serde(default)]
    pub name: Option<String>,
    /// Replaces the provider's base URL (self-hosted or proxied endpoints).
    #[serde(default)]
    pub base_url: Option<String>,
    /// false adds the connection disabled (default true).
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ConnectionInput {
    /// The connection id (from omniroute_list_providers) or its name.
    pub connection: String,
}

#[tool_router(router = provider_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_list_providers",
        description = "The provider connections (accounts): id, provider, name, masked key, base URL, priority, whether enabled."
    )]
    async fn list_providers(&self) -> CallToolResult {
        reply(self.api(Method::GET, "/api/providers", None).await)
    }

    #[tool(
        name = "omniroute_add_provider",
        description = "Adds a provider connection (an account with its API key) so requests can be routed to that provider. Answers the new connection (key masked)."
    )]
    async fn add_provider(&self, Parameters(i): Parameters<AddProviderInput>) -> CallToolResult {
        let mut body = json!({ "provider": i.provider });
        if let Some(k) = i.api_key {
            body["apiKey"] = json!(k);
        }
        if let Some(n) = i.name {
            body["name"] = json!(n);
        }
        if let Some(u) = i.base_url {
            body["baseUrl"] = json!(u);
        }
        if let Some(a) = i.active {
            body["isActive"] = json!(a);
        }
        reply(self.api(Method::POST, "/api/providers", Some(body)).await)
    }

    #[tool(
        name = "omniroute_test_provider",
        description = "Tests a provider connection with a live call to the provider (its model list or a tiny request): whether the key works, the latency, and the error if any."
    )]
    async fn test_provider(&self, Parameters(i): Parameters<ConnectionInput>) -> CallToolResult {
        let id = match self.connection_id(&i.connection).await {
            Ok(id) => id,
            Err(e) => return fail(e),
        };
        reply(
            self.api(
                Method::POST,
                &format!("/api/providers/{}/test", encode(&id)),
                None,
            )
            .await,
        )
    }
}

impl McpServer {
    /// A connection's id from its id or name.
    async fn connection_id(&self, given: &str) -> Result<String, String> {
        let list = self.api(Method::GET, "/api/providers", None).await?;
        let rows = list["connections"].as_array().cloned().unwrap_or_default();
        let found: Vec<&Value> = rows
            .iter()
            .filter(|c| c["id"] == given || c["name"] == given)
            .collect();
        match found.as_slice() {
            [one] => one["id"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| "the connection has no id".to_string()),
            [] => Err(format!(
                "no connection {given:?}: omniroute_list_providers lists them"
            )),
            _ => Err(format!(
                "several connections are named {given:?}: pass the connection id"
            )),
        }
    }
}
