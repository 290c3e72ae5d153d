//! Scopes `keys` and `auth`: API keys (list, create, revoke) and who the caller is.
//!
//! A caller without the `manage` scope cannot hand out more than it holds: it may create keys
//! only with scopes it has, and revoke only keys whose scopes it has (no escalation through
//! the `keys` scope).

use super::{fail, ok, reply};
use crate::mcp::api::encode;
use crate::mcp::scopes::{self, McpCaller};
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::common::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateKeyInput {
    /// A unique name for the key, e.g. "ci-bot".
    pub name: String,
    /// Scopes: chat (the /v1 API), manage (the management API), and the MCP scopes analytics, auth, billing, combos, health, keys, memory, models, providers, system. Default: chat.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Expiry as unix seconds; omit for a key that does not expire.
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// Model patterns the key may use (`*` wildcard, e.g. "openai/*"); omit for every model.
    #[serde(default)]
    pub allowed_models: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct RevokeKeyInput {
    /// The key's id (from omniroute_list_keys) or its name.
    pub key: String,
}

#[tool_router(router = key_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_list_keys",
        description = "The API keys: id, name, masked prefix, scopes, allowed models, expiry, whether active or revoked, last use. Never the keys themselves."
    )]
    async fn list_keys(&self) -> CallToolResult {
        reply(self.api(Method::GET, "/api/keys", None).await)
    }

    #[tool(
        name = "omniroute_create_key",
        description = "Creates an API key and answers it once (it is stored hashed and cannot be shown again). Without the manage scope you can only give the new key scopes you hold yourself."
    )]
    async fn create_key(
        &self,
        Parameters(i): Parameters<CreateKeyInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        let wanted = i.scopes.unwrap_or_else(|| vec!["chat".to_string()]);
        let beyond: Vec<&String> = wanted.iter().filter(|s| !caller.holds(s)).collect();
        if !beyond.is_empty() {
            return fail(format!(
                "you cannot create a key with scopes you do not hold: {}",
                beyond
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut body = json!({ "name": i.name, "scopes": wanted });
        if let Some(t) = i.expires_at {
            body["expiresAt"] = json!(t);
        }
        if let Some(m) = i.allowed_models {
            body["allowedModels"] = json!(m);
        }
        reply(self.api(Method::POST, "/api/keys", Some(body)).await)
    }

    #[tool(
        name = "omniroute_revoke_key",
        description = "Revokes an API key for good: every request with it is refused from now on. Without the manage scope you can only revoke keys whose scopes you hold."
    )]
    async fn revoke_key(
        &self,
        Parameters(i): Parameters<RevokeKeyInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        let list = match self.api(Method::GET, "/api/keys", None).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let matches: Vec<Value> = list["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|k| k["id"] == i.key.as_str() || k["name"] == i.key.as_str())
            .cloned()
            .collect();
        let key = match matches.as_slice() {
            [one] => one.clone(),
            [] => {
                return fail(format!(
                    "no API key {:?}: omniroute_list_keys lists them",
                    i.key
                ))
            }
            _ => return fail(format!("several keys match {:?}: pass the key id", i.key)),
        };
        let beyond: Vec<String> = key["scopes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|s| !caller.holds(s))
            .map(str::to_string)
            .collect();
        if !beyond.is_empty() {
            return fail(format!(
                "you cannot revoke a key with scopes you do not hold ({})",
                beyond.join(", ")
            ));
        }
        let id = key["id"].as_str().unwrap_or_default();
        reply(
            self.api(
                Method::POST,
                &format!("/api/keys/{}/revoke", encode(id)),
                None,
            )
            .await,
        )
    }

    #[tool(
        name = "omniroute_whoami",
        description = "Who you are to OmniRoute: the calling API key (id, name, scopes, allowed models, expiry) and the MCP tools those scopes let you call, by scope."
    )]
    async fn whoami(&self, Extension(caller): Extension<McpCaller>) -> CallToolResult {
        let mut by_scope: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for (tool, _) in scopes::TOOL_SCOPES {
            if caller.may_call(tool) {
                by_scope.entry(scopes::group(tool)).or_default().push(tool);
            }
        }
        let key = caller.key.as_ref().map(|k| {
            json!({
                "id": k.id,
                "name": k.name,
                "scopes": k.scopes,
                "allowedModels": k.allowed_models,
                "expiresAt": k.expires_at,
            })
        });
        ok(json!({
            "caller": caller.describe(),
            "key": key,
            "manageImpliesAllScopes": true,
            "tools": by_scope,
        }))
    }
}
