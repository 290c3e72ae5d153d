//! Scope `models`: the models a request can reach now, and the model catalog (every known
//! provider and model with context length and prices).

use super::{fail, ok};
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ListModelsInput {
    /// Only model ids containing this text (case-insensitive), e.g. "gpt" or "openai/".
    #[serde(default)]
    pub search: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInput {
    /// Only this provider (id or prefix, e.g. "openai", "ds").
    #[serde(default)]
    pub provider: Option<String>,
    /// Only models whose id or name contains this text (case-insensitive).
    #[serde(default)]
    pub search: Option<String>,
    /// Only providers with at least one enabled connection (default true).
    #[serde(default)]
    pub connected_only: Option<bool>,
}

fn contains(haystack: &Value, needle: &str) -> bool {
    haystack
        .as_str()
        .is_some_and(|h| h.to_ascii_lowercase().contains(needle))
}

#[tool_router(router = model_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_list_models",
        description = "The models a request can use right now (what GET /v1/models answers): combos by name, and provider/model ids of the providers with an enabled connection."
    )]
    async fn list_models(&self, Parameters(input): Parameters<ListModelsInput>) -> CallToolResult {
        let response =
            crate::http::v1::models::list_openai(axum::extract::State(self.system.app.clone()))
                .await;
        let bytes = match axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024).await {
            Ok(b) => b,
            Err(e) => return fail(format!("reading the model list: {e}")),
        };
        let list: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let needle = input.search.map(|s| s.to_ascii_lowercase());
        let models: Vec<Value> = list["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| needle.as_deref().is_none_or(|n| contains(&m["id"], n)))
            .map(|m| json!({ "id": m["id"], "ownedBy": m["owned_by"] }))
            .collect();
        ok(json!({ "count": models.len(), "models": models }))
    }

    #[tool(
        name = "omniroute_models_catalog",
        description = "The model catalog: known providers and their models with type, context length, output limit and prices per 1M tokens, and how many connections each provider has. Filter by provider or text."
    )]
    async fn models_catalog(&self, Parameters(input): Parameters<CatalogInput>) -> CallToolResult {
        let catalog = match self.api(Method::GET, "/api/models/catalog", None).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let connected_only = input.connected_only.unwrap_or(true);
        let provider = input.provider.map(|p| p.to_ascii_lowercase());
        let needle = input.search.map(|s| s.to_ascii_lowercase());
        let providers: Vec<Value> = catalog["providers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| !connected_only || g["activeConnections"].as_u64().unwrap_or(0) > 0)
            .filter(|g| {
                provider.as_deref().is_none_or(|p| {
                    g["provider"]
                        .as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case(p))
                        || g["prefix"]
                            .as_str()
                            .is_some_and(|v| v.eq_ignore_ascii_case(p))
                })
            })
            .filter_map(|g| {
                let mut g = g.clone();
                if let (Some(n), Some(models)) = (needle.as_deref(), g["models"].as_array_mut()) {
                    models.retain(|m| contains(&m["id"], n) || contains(&m["name"], n));
                    if models.is_empty() {
                        return None;
                    }
                }
                Some(g)
            })
            .collect();
        ok(json!({ "providers": providers }))
    }
}
