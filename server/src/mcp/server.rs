//! The MCP server itself (an rmcp `ServerHandler`): lists the tools the caller's scopes
//! allow, checks the scopes again on every call, runs the tool and audits the call.

use super::scopes::{self, McpCaller};
use crate::http::system::SystemState;
use crate::store::mcp_audit::AuditRow;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, ErrorCode, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::json;
use std::sync::OnceLock;
use std::time::Instant;

/// One MCP session's server. The HTTP transports create one per session and read the caller
/// of each request from its HTTP parts (set by `http::authenticate`); SSE and stdio sessions
/// have one caller for their whole life.
#[derive(Clone)]
pub struct McpServer {
    pub(crate) system: SystemState,
    fixed_caller: Option<McpCaller>,
    transport: &'static str,
}

/// Every tool, built once.
pub(crate) fn router() -> &'static ToolRouter<McpServer> {
    static ROUTER: OnceLock<ToolRouter<McpServer>> = OnceLock::new();
    ROUTER.get_or_init(super::tools::all)
}

/// Every tool definition (name, description, input schema), sorted by name.
pub fn all_tools() -> Vec<Tool> {
    router().list_all()
}

impl McpServer {
    /// A server for the streamable HTTP transport (caller per request).
    pub fn per_request(system: SystemState) -> Self {
        Self {
            system,
            fixed_caller: None,
            transport: "stream",
        }
    }

    /// A server whose caller is fixed (SSE session, stdio).
    pub fn for_caller(system: SystemState, caller: McpCaller, transport: &'static str) -> Self {
        Self {
            system,
            fixed_caller: Some(caller),
            transport,
        }
    }

    fn caller(&self, context: &RequestContext<RoleServer>) -> Result<McpCaller, ErrorData> {
        if let Some(c) = &self.fixed_caller {
            return Ok(c.clone());
        }
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<McpCaller>())
            .cloned()
            .ok_or_else(|| {
                ErrorData::new(
                    ErrorCode::INVALID_REQUEST,
                    "no API key on this request: send Authorization: Bearer <key>",
                    None,
                )
            })
    }

    fn audit(&self, row: AuditRow) {
        super::hub(&self.system)
            .audit(self.system.app.db())
            .record(row);
    }
}

fn now_ms() -> i64 {
    crate::usage::now_ms()
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("omniroute", env!("CARGO_PKG_VERSION"))
                    .with_title("OmniRoute AI gateway"),
            )
            .with_instructions(
                "OmniRoute routes LLM requests across providers, accounts and combos. Its tools \
                 report health, models, combos, usage and costs, manage providers, keys and \
                 settings, and send a chat through the gateway's routing \
                 (omniroute_route_request). You see the tools your API key's scopes allow.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = self.caller(&context)?;
        let tools: Vec<Tool> = router()
            .list_all()
            .into_iter()
            .filter(|t| caller.may_call(&t.name))
            .collect();
        let modern = context
            .protocol_version()
            .is_some_and(|v| v >= rmcp::model::ProtocolVersion::V_2026_07_28);
        let mut result = ListToolsResult::with_all_items(tools);
        if modern {
            // The list depends on the key: no shared caching.
            result = result.with_ttl_ms(0).with_cache_scope(CacheScope::Private);
        }
        Ok(result)
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        router().get(name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        mut context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let started = Instant::now();
        let ts_ms = now_ms();
        let caller = self.caller(&context)?;
        let tool = request.name.to_string();
        let row = |success: bool, error: Option<String>| AuditRow {
            ts_ms,
            tool: tool.clone(),
            scope: scopes::required(&tool)
                .map(|_| scopes::group(&tool))
                .unwrap_or("unknown")
                .to_string(),
            key_id: caller.key.as_ref().map(|k| k.id.clone()),
            key_name: caller.key.as_ref().map(|k| k.name.clone()),
            transport: self.transport,
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            success,
            error,
            input_hash: super::audit::input_hash(request.arguments.as_ref()),
        };
        if scopes::required(&tool).is_none() {
            let message = format!("unknown tool {tool:?}: tools/list shows the tools you may call");
            self.audit(row(false, Some(message.clone())));
            return Err(ErrorData::invalid_params(message, None));
        }
        let missing = caller.missing_for(&tool);
        if !missing.is_empty() {
            let message = format!(
                "tool {tool} needs the {} scope{}, which {} lacks",
                missing.join(" and "),
                if missing.len() > 1 { "s" } else { "" },
                caller.describe()
            );
            self.audit(row(false, Some(message.clone())));
            tracing::info!("MCP: refused {tool}: {message}");
            return Err(ErrorData::new(
                ErrorCode::INVALID_REQUEST,
                message,
                Some(
                    json!({ "missingScopes": missing, "requiredScopes": scopes::required(&tool) }),
                ),
            ));
        }
        context.extensions.insert(caller.clone());
        let audit_row = row(true, None);
        let result = router()
            .call(ToolCallContext::new(self, request, context))
            .await;
        let (success, error) = match &result {
            Ok(CallToolResponse::Complete(r)) if r.is_error == Some(true) => {
                let text = r
                    .content
                    .iter()
                    .filter_map(|c| c.as_text().map(|t| t.text.clone()))
                    .collect::<Vec<_>>()
                    .join(" ");
                (false, Some(text.chars().take(1000).collect()))
            }
            Ok(_) => (true, None),
            Err(e) => (false, Some(e.message.to_string())),
        };
        self.audit(AuditRow {
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            success,
            error,
            ..audit_row
        });
        result
    }
}
