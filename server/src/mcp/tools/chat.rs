//! Scope `chat`: a chat request through the gateway's routing.

use super::{fail, ok};
use crate::mcp::chat::{self, ChatRequest};
use crate::mcp::scopes::McpCaller;
use crate::mcp::server::McpServer;
use rmcp::handler::server::common::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteRequestInput {
    /// The model: provider/model (e.g. openai/gpt-5), a bare model name, or a combo name.
    pub model: String,
    /// The user's prompt.
    pub prompt: String,
    /// An optional system prompt.
    #[serde(default)]
    pub system: Option<String>,
    /// Earlier turns, oldest first, as OpenAI Chat messages ({"role","content"}); the prompt
    /// is sent after them.
    #[serde(default)]
    pub history: Option<Vec<serde_json::Value>>,
    /// Upper bound on the answer's tokens.
    #[serde(default)]
    pub max_tokens: Option<u64>,
    /// Sampling temperature (0-2).
    #[serde(default)]
    pub temperature: Option<f64>,
    /// A session id for sticky routing (lkgp, round-robin).
    #[serde(default)]
    pub session: Option<String>,
}

#[tool_router(router = chat_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_route_request",
        description = "Sends a chat request through OmniRoute's routing (combos, account strategy, cooldowns, circuit breakers, failover) exactly like POST /v1/chat/completions, and answers the reply with the route taken: the provider, model and connection that served it, every attempt, token usage and latency."
    )]
    async fn route_request(
        &self,
        Parameters(input): Parameters<RouteRequestInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        if input.model.trim().is_empty() {
            return fail("model is required (omniroute_list_models lists them)");
        }
        let mut messages = input.history.unwrap_or_default();
        messages.push(chat::user(&input.prompt));
        let request = ChatRequest {
            model: input.model,
            system: input.system,
            messages,
            max_tokens: input.max_tokens,
            temperature: input.temperature,
            session: input.session,
        };
        match chat::route_chat(&self.system.app, caller.key.as_ref(), request).await {
            Ok(out) => ok(json!({
                "answer": out.answer,
                "finishReason": out.finish_reason,
                "route": out.route,
                "usage": out.usage,
                "latencyMs": out.latency_ms,
            })),
            Err(e) => fail(format!(
                "the request failed: {} (HTTP {}); route tried: {}",
                e.message,
                e.status,
                serde_json::to_string(&e.route).unwrap_or_default()
            )),
        }
    }
}
