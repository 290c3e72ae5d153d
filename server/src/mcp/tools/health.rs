//! Scope `health`: the gateway's health (uptime, circuit breakers, cooldowns, queues) and
//! resetting breakers and cooldowns.

use super::{ok, reply};
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ResetInput {
    /// Must be true: resetting forgets every cooldown and closes every circuit breaker.
    pub confirm: bool,
}

#[tool_router(router = health_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_get_health",
        description = "Health of the gateway: version, uptime, connections per provider, the response cache, circuit breakers (open / half-open providers) and accounts cooling down after rate limits, and dropped-row counters of the usage and audit queues."
    )]
    async fn get_health(&self) -> CallToolResult {
        let app = &self.system.app;
        let resilience = match self.api(Method::GET, "/api/resilience", None).await {
            Ok(v) => v,
            Err(e) => return super::fail(e),
        };
        let snapshot = app.snapshot();
        let mut per_provider: std::collections::BTreeMap<String, usize> = Default::default();
        for c in snapshot.connections.iter() {
            *per_provider.entry(c.provider.clone()).or_default() += 1;
        }
        let hub = crate::mcp::hub(&self.system);
        // The response cache, when this build has one.
        let cache = self.api(Method::GET, "/api/cache/stats", None).await.ok();
        ok(json!({
            "cache": cache,
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "uptimeSecs": app.uptime_secs(),
            "connections": per_provider,
            "combos": app.combos().get().len(),
            "resilience": resilience,
            "queues": {
                "usageRowsDropped": app.usage().dropped(),
                "auditRowsDropped": hub.audit(app.db()).dropped(),
            },
        }))
    }

    #[tool(
        name = "omniroute_cache_stats",
        description = "Statistics of the response cache: entries, size, hits, misses and hit rate, and whether it is on."
    )]
    async fn cache_stats(&self) -> CallToolResult {
        match self.api(Method::GET, "/api/cache/stats", None).await {
            Ok(stats) => ok(json!({ "stats": stats })),
            Err(e) => super::fail(format!("no response cache statistics: {e}")),
        }
    }

    #[tool(
        name = "omniroute_reset_resilience",
        description = "Closes every circuit breaker and ends every account cooldown at once (after fixing a provider outage or a billing problem). Requires confirm: true."
    )]
    async fn reset_resilience(&self, Parameters(input): Parameters<ResetInput>) -> CallToolResult {
        if !input.confirm {
            return super::fail("set confirm to true to reset every breaker and cooldown");
        }
        reply(
            self.api(Method::POST, "/api/resilience/reset", None)
                .await
                .map(|_: Value| json!({ "success": true })),
        )
    }
}
