//! Scope `system`: the server's settings (read and change), through each section's REST
//! endpoint, so a change is validated and applied exactly as from the dashboard.

use super::{fail, ok, reply};
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Settings sections and their endpoints.
const SECTIONS: &[(&str, &str)] = &[
    ("routing", "/api/settings/routing"),
    ("resilience", "/api/settings/resilience"),
    ("ip-access", "/api/settings/ip-access"),
    ("mcp", "/api/mcp/settings"),
    ("a2a", "/api/a2a/settings"),
    ("cache", "/api/settings/cache"),
];

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct GetSettingsInput {
    /// One section: routing (account strategy), resilience (cooldowns, breakers), ip-access, mcp, a2a, cache. Default: all.
    #[serde(default)]
    pub section: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SetSettingsInput {
    /// The section to change: routing, resilience, ip-access, mcp, a2a or cache.
    pub section: String,
    /// The fields to change, as omniroute_get_settings shows them (e.g. {"accountStrategy":"round-robin"} for routing); fields not given keep their value.
    pub values: Map<String, Value>,
}

fn endpoint(section: &str) -> Result<&'static str, String> {
    SECTIONS
        .iter()
        .find(|(name, _)| *name == section)
        .map(|(_, path)| *path)
        .ok_or_else(|| {
            format!(
                "unknown settings section {section:?}: one of {}",
                SECTIONS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

#[tool_router(router = system_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_get_settings",
        description = "The server's settings by section: routing (account strategy, sticky limit), resilience (cooldowns, circuit breakers), ip-access (allow and deny lists), mcp and a2a (enabled, allowed hosts, default model), cache (the response cache)."
    )]
    async fn get_settings(&self, Parameters(i): Parameters<GetSettingsInput>) -> CallToolResult {
        let sections: Vec<&str> = match i.section.as_deref() {
            Some(s) => match endpoint(s) {
                Ok(_) => vec![s],
                Err(e) => return fail(e),
            },
            None => SECTIONS.iter().map(|(n, _)| *n).collect(),
        };
        let mut out = Map::new();
        for s in sections {
            let Ok(path) = endpoint(s) else { continue };
            match self.api(Method::GET, path, None).await {
                Ok(v) => out.insert(s.to_string(), v),
                Err(e) => out.insert(s.to_string(), json!({ "error": e })),
            };
        }
        ok(Value::Object(out))
    }

    #[tool(
        name = "omniroute_set_settings",
        description = "Changes some fields of one settings section (routing, resilience, ip-access, mcp, a2a, cache); the change applies at once, validated like the dashboard's. Answers the section's new values."
    )]
    async fn set_settings(&self, Parameters(i): Parameters<SetSettingsInput>) -> CallToolResult {
        let path = match endpoint(&i.section) {
            Ok(p) => p,
            Err(e) => return fail(e),
        };
        reply(
            self.api(Method::PATCH, path, Some(Value::Object(i.values)))
                .await,
        )
    }

    #[tool(
        name = "omniroute_cache_flush",
        description = "Empties the response cache: the next identical requests go to the providers again. Requires confirm: true."
    )]
    async fn cache_flush(&self, Parameters(i): Parameters<FlushInput>) -> CallToolResult {
        if !i.confirm {
            return fail("set confirm to true to empty the response cache");
        }
        reply(self.api(Method::DELETE, "/api/cache", None).await)
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct FlushInput {
    /// Must be true: every cached response is dropped.
    pub confirm: bool,
}
