//! The MCP tools, one file per scope group. Each tool is a method of `McpServer` with a
//! `#[tool]` attribute (rmcp derives the input's JSON schema from its `schemars` type; every
//! field has a description). Tools answer a JSON object (as structured content and as text);
//! a failure is a tool error (`isError: true`) whose text says what went wrong.
//!
//! The scopes each tool needs are in `super::scopes::TOOL_SCOPES`; a test checks that every
//! tool has an entry and every entry a tool.

mod chat;
mod combos;
mod health;
mod keys;
mod models;
mod providers;
mod system;
mod usage;

use super::api::{self, ApiFailure};
use super::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{json, Value};

/// Every tool.
pub(super) fn all() -> ToolRouter<McpServer> {
    McpServer::health_tools()
        + McpServer::model_tools()
        + McpServer::combo_tools()
        + McpServer::chat_tools()
        + McpServer::usage_tools()
        + McpServer::provider_tools()
        + McpServer::key_tools()
        + McpServer::system_tools()
}

/// A successful answer: the JSON (objects as they are; anything else under `result`).
pub(crate) fn ok(value: Value) -> CallToolResult {
    let value = match value {
        Value::Object(_) => value,
        other => json!({ "result": other }),
    };
    CallToolResult::structured(value)
}

/// A failed call, explained.
pub(crate) fn fail(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.into())])
}

/// `Ok(value)` → success, `Err(message)` → a tool error.
pub(crate) fn reply(result: Result<Value, String>) -> CallToolResult {
    match result {
        Ok(v) => ok(v),
        Err(e) => fail(e),
    }
}

impl McpServer {
    /// Calls the REST API in-process; a refusal becomes the API's message.
    pub(crate) async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        api::call(&self.system, method, path, body)
            .await
            .map_err(|e: ApiFailure| e.to_string())
    }

    /// A combo's id from its id or name.
    pub(crate) async fn combo_id(&self, combo: &str) -> Result<String, String> {
        let list = self.api(Method::GET, "/api/combos", None).await?;
        list["combos"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["id"] == combo || c["name"] == combo)
            .and_then(|c| c["id"].as_str())
            .map(str::to_string)
            .ok_or_else(|| format!("no combo named {combo:?}: omniroute_list_combos lists them"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scopes::TOOL_SCOPES;

    #[test]
    fn every_tool_has_scopes_and_every_scope_entry_a_tool() {
        let tools = super::all().list_all();
        for tool in &tools {
            assert!(
                TOOL_SCOPES.iter().any(|(name, _)| *name == tool.name),
                "{} has no scope entry",
                tool.name
            );
            assert!(
                tool.description.as_deref().is_some_and(|d| d.len() > 20),
                "{} needs a description",
                tool.name
            );
            // Every input property is described, so clients can show what to fill in.
            if let Some(props) = tool
                .input_schema
                .get("properties")
                .and_then(|p| p.as_object())
            {
                for (name, prop) in props {
                    let described = prop.get("description").is_some() || prop.get("$ref").is_some();
                    assert!(described, "{}.{name} has no description", tool.name);
                }
            }
        }
        for (name, _) in TOOL_SCOPES {
            assert!(
                tools.iter().any(|t| t.name == *name),
                "{name} is not a tool"
            );
        }
    }
}
