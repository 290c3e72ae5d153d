//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the management API, generated from
//! [`OPERATIONS`], the one table of every route under `/api` (method, path, summary, access,
//! query parameters, request and response schemas). `server/tests/openapi.rs` reads the
//! routers' sources for every `/api` route and checks each is in the table, and calls every
//! operation of the table to check the router has it: a route added without its entry here
//! fails the tests.
//!
//! The document sits behind the dashboard login (or a `manage`-scoped key), like the API it
//! describes; the dashboard links to it from the sidebar.

use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials.
    Public,
    /// The dashboard session or a Bearer API key with the `manage` scope.
    Manage,
    /// A Bearer API key with MCP scopes (the MCP transports).
    McpKey,
}

/// One operation of the management API.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Lower case: `get`, `post`, `put`, `patch`, `delete`.
    pub method: &'static str,
    /// Axum's syntax, which is OpenAPI's: `/api/keys/{id}`.
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub access: Access,
    /// `(name, description)` of the optional query parameters.
    pub query: &'static [(&'static str, &'static str)],
    /// A schema name of [`schemas`] for the JSON body, if the operation reads one.
    pub request: Option<&'static str>,
    /// The schema name of a successful answer.
    pub response: &'static str,
}

const fn op(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
) -> Operation {
    Operation {
        method,
        path,
        summary,
        tag,
        access: Access::Manage,
        query: &[],
        request: None,
        response: "Object",
    }
}

impl Operation {
    const fn public(mut self) -> Self {
        self.access = Access::Public;
        self
    }
    const fn mcp(mut self) -> Self {
        self.access = Access::McpKey;
        self
    }
    const fn query(mut self, q: &'static [(&'static str, &'static str)]) -> Self {
        self.query = q;
        self
    }
    const fn body(mut self, schema: &'static str) -> Self {
        self.request = Some(schema);
        self
    }
    const fn answers(mut self, schema: &'static str) -> Self {
        self.response = schema;
        self
    }
}

const USAGE_SUMMARY: &[(&str, &str)] = &[
    ("from", "Start (inclusive)"),
    ("to", "End (exclusive)"),
    ("provider", "Provider id"),
    ("model", "Upstream model id"),
    ("keyId", "API key id"),
    ("status", "ok, error, or an HTTP status code"),
    ("q", "Text search"),
    ("groupBy", "provider, model, key, day or hour"),
];
const USAGE_HISTORY: &[(&str, &str)] = &[
    ("from", "Start (inclusive)"),
    ("to", "End (exclusive)"),
    ("bucket", "hour or day (default: by the range's length)"),
    ("provider", "Provider id"),
    ("model", "Upstream model id"),
    ("keyId", "API key id"),
];
const USAGE_LOGS: &[(&str, &str)] = &[
    ("from", "Start (inclusive)"),
    ("to", "End (exclusive)"),
    ("provider", "Provider id"),
    ("model", "Upstream model id"),
    ("keyId", "API key id"),
    ("status", "ok, error, or an HTTP status code"),
    (
        "q",
        "Text in the request id, models, provider, key name or error",
    ),
    ("limit", "Rows per page, 1-1000 (default 50)"),
    ("offset", "Rows to skip"),
];

/// Every route under `/api` (server functions under `/api/sf/` excepted).
pub const OPERATIONS: &[Operation] = &[
    // System
    op("get", "/api/health", "System", "Liveness and readiness")
        .public()
        .answers("Health"),
    op(
        "get",
        "/api/openapi.json",
        "System",
        "This OpenAPI document",
    ),
    op(
        "get",
        "/api/overview",
        "System",
        "The Home page's overview: traffic, providers, health",
    ),
    // Auth
    op(
        "post",
        "/api/auth/login",
        "Auth",
        "Log in with the admin password (sets the session cookie)",
    )
    .public()
    .body("Login"),
    op("post", "/api/auth/logout", "Auth", "Log out").public(),
    op(
        "get",
        "/api/auth/status",
        "Auth",
        "Whether this session is logged in",
    )
    .public(),
    // Providers
    op(
        "get",
        "/api/providers",
        "Providers",
        "List provider connections",
    ),
    op(
        "post",
        "/api/providers",
        "Providers",
        "Add a provider connection",
    )
    .body("Object"),
    op(
        "get",
        "/api/providers/catalog",
        "Providers",
        "The built-in provider and model catalog",
    ),
    op("get", "/api/providers/{id}", "Providers", "One connection"),
    op(
        "put",
        "/api/providers/{id}",
        "Providers",
        "Change a connection",
    )
    .body("Object"),
    op(
        "patch",
        "/api/providers/{id}",
        "Providers",
        "Change fields of a connection",
    )
    .body("Object"),
    op(
        "delete",
        "/api/providers/{id}",
        "Providers",
        "Delete a connection",
    ),
    op(
        "post",
        "/api/providers/{id}/test",
        "Providers",
        "Test a connection against its upstream",
    ),
    op(
        "get",
        "/api/providers/{id}/models",
        "Providers",
        "The upstream's model list",
    ),
    op(
        "post",
        "/api/providers/{id}/models/import",
        "Providers",
        "Import upstream models as custom models",
    )
    .body("Object"),
    op(
        "get",
        "/api/provider-nodes",
        "Providers",
        "List custom OpenAI/Anthropic-compatible nodes",
    ),
    op(
        "post",
        "/api/provider-nodes",
        "Providers",
        "Add a custom node",
    )
    .body("Object"),
    op(
        "get",
        "/api/provider-nodes/{id}",
        "Providers",
        "One custom node",
    ),
    op(
        "put",
        "/api/provider-nodes/{id}",
        "Providers",
        "Change a custom node",
    )
    .body("Object"),
    op(
        "patch",
        "/api/provider-nodes/{id}",
        "Providers",
        "Change fields of a custom node",
    )
    .body("Object"),
    op(
        "delete",
        "/api/provider-nodes/{id}",
        "Providers",
        "Delete a custom node",
    ),
    op(
        "get",
        "/api/provider-models",
        "Providers",
        "List custom model ids",
    ),
    op(
        "post",
        "/api/provider-models",
        "Providers",
        "Add a custom model id",
    )
    .body("Object"),
    op(
        "delete",
        "/api/provider-models",
        "Providers",
        "Remove a custom model id",
    )
    .query(&[("provider", "Provider id"), ("model", "Model id")]),
    op(
        "get",
        "/api/models/catalog",
        "Providers",
        "Every model the gateway serves",
    ),
    // Keys
    op("get", "/api/keys", "Keys", "List API keys (prefixes only)").answers("ApiKeyList"),
    op(
        "post",
        "/api/keys",
        "Keys",
        "Create an API key (the key is in the answer, once)",
    )
    .body("NewApiKey")
    .answers("IssuedKey"),
    op("get", "/api/keys/{id}", "Keys", "One API key").answers("ApiKey"),
    op("put", "/api/keys/{id}", "Keys", "Change an API key")
        .body("Object")
        .answers("ApiKey"),
    op(
        "patch",
        "/api/keys/{id}",
        "Keys",
        "Change fields of an API key",
    )
    .body("Object")
    .answers("ApiKey"),
    op("delete", "/api/keys/{id}", "Keys", "Delete an API key"),
    op("post", "/api/keys/{id}/revoke", "Keys", "Revoke an API key"),
    op(
        "post",
        "/api/keys/{id}/regenerate",
        "Keys",
        "Give an API key a new secret (shown once)",
    )
    .answers("IssuedKey"),
    op(
        "get",
        "/api/keys/{id}/reveal",
        "Keys",
        "Show a key again (ALLOW_API_KEY_REVEAL=true)",
    ),
    op(
        "post",
        "/api/keys/{id}/reveal",
        "Keys",
        "Show a key again (ALLOW_API_KEY_REVEAL=true)",
    ),
    // Combos
    op("get", "/api/combos", "Combos", "List combos"),
    op("post", "/api/combos", "Combos", "Create a combo").body("Object"),
    op("post", "/api/combos/reorder", "Combos", "Reorder combos").body("Object"),
    op("get", "/api/combos/{id}", "Combos", "One combo"),
    op("put", "/api/combos/{id}", "Combos", "Change a combo").body("Object"),
    op(
        "patch",
        "/api/combos/{id}",
        "Combos",
        "Change fields of a combo",
    )
    .body("Object"),
    op("delete", "/api/combos/{id}", "Combos", "Delete a combo"),
    op(
        "get",
        "/api/combos/{id}/plan",
        "Combos",
        "Preview the order a combo would try",
    ),
    op(
        "post",
        "/api/combos/{id}/plan",
        "Combos",
        "Preview the plan for a given request",
    )
    .body("Object"),
    // Routing
    op(
        "get",
        "/api/routing/decisions",
        "Routing",
        "Recent routing decisions",
    ),
    op(
        "get",
        "/api/routing/decisions/{id}",
        "Routing",
        "One routing decision",
    ),
    op(
        "post",
        "/api/routing/test",
        "Routing",
        "Resolve a model without sending a request",
    )
    .body("Object"),
    op("get", "/api/settings/aliases", "Routing", "Model aliases"),
    op(
        "put",
        "/api/settings/aliases",
        "Routing",
        "Replace the model aliases",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/auto-routing",
        "Routing",
        "Auto-routing settings",
    ),
    op(
        "put",
        "/api/settings/auto-routing",
        "Routing",
        "Replace the auto-routing settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/auto-routing",
        "Routing",
        "Change auto-routing settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/fallback-chains",
        "Routing",
        "Fallback chains",
    ),
    op(
        "put",
        "/api/settings/fallback-chains",
        "Routing",
        "Replace the fallback chains",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/provider-blocking",
        "Routing",
        "Blocked providers",
    ),
    op(
        "put",
        "/api/settings/provider-blocking",
        "Routing",
        "Replace the blocked providers",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/wait-for-cooldown",
        "Routing",
        "Waiting for a cooling account",
    ),
    op(
        "put",
        "/api/settings/wait-for-cooldown",
        "Routing",
        "Replace the wait-for-cooldown settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/wait-for-cooldown",
        "Routing",
        "Change the wait-for-cooldown settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/routing",
        "Routing",
        "The account strategy",
    ),
    op(
        "put",
        "/api/settings/routing",
        "Routing",
        "Replace the account strategy",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/routing",
        "Routing",
        "Change the account strategy",
    )
    .body("Object"),
    // Usage and costs
    op(
        "get",
        "/api/usage/summary",
        "Usage",
        "Totals, optionally grouped",
    )
    .query(USAGE_SUMMARY)
    .answers("UsageSummary"),
    op(
        "get",
        "/api/usage/history",
        "Usage",
        "Totals per hour or day, for charts",
    )
    .query(USAGE_HISTORY)
    .answers("UsageHistory"),
    op(
        "get",
        "/api/usage/logs",
        "Usage",
        "The request log, newest first",
    )
    .query(USAGE_LOGS)
    .answers("UsageLogPage"),
    op(
        "get",
        "/api/usage/logs/{id}",
        "Usage",
        "One log row, every attempt of its request and the recorded bodies",
    )
    .answers("UsageLogDetail"),
    op(
        "get",
        "/api/usage/budget",
        "Costs",
        "Budgets with their current spend",
    )
    .query(&[("keyId", "Only this key's budget")])
    .answers("BudgetList"),
    op(
        "post",
        "/api/usage/budget",
        "Costs",
        "Set (or replace) a key's budget",
    )
    .body("BudgetInput")
    .answers("BudgetOne"),
    op(
        "delete",
        "/api/usage/budget",
        "Costs",
        "Remove a key's budget",
    )
    .query(&[("keyId", "The key (required)")]),
    op("get", "/api/pricing", "Costs", "Prices per 1M tokens")
        .query(&[("provider", "Only this provider")])
        .answers("PriceList"),
    op("put", "/api/pricing", "Costs", "Set a model's price")
        .body("PriceInput")
        .answers("PriceOne"),
    op(
        "patch",
        "/api/pricing",
        "Costs",
        "Change fields of a model's price",
    )
    .body("PriceInput")
    .answers("PriceOne"),
    op(
        "delete",
        "/api/pricing",
        "Costs",
        "Remove a user price (the built-in one applies again)",
    )
    .query(&[
        ("provider", "Provider id (required)"),
        ("model", "Model id (required)"),
    ]),
    // Settings
    op("get", "/api/settings", "Settings", "Every setting"),
    op("patch", "/api/settings", "Settings", "Change settings").body("Object"),
    op(
        "get",
        "/api/settings/general",
        "Settings",
        "General settings",
    ),
    op(
        "post",
        "/api/settings/general/import",
        "Settings",
        "Import settings",
    )
    .body("Object"),
    op("get", "/api/settings/ai", "Settings", "AI settings"),
    op(
        "put",
        "/api/settings/ai",
        "Settings",
        "Replace the AI settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/ai",
        "Settings",
        "Change AI settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/appearance",
        "Settings",
        "Appearance settings",
    ),
    op(
        "put",
        "/api/settings/appearance",
        "Settings",
        "Replace the appearance settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/appearance",
        "Settings",
        "Change appearance settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/security",
        "Settings",
        "Security settings",
    ),
    op(
        "put",
        "/api/settings/security",
        "Settings",
        "Replace the security settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/security",
        "Settings",
        "Change security settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/translator",
        "Settings",
        "Translator settings",
    ),
    op(
        "put",
        "/api/settings/translator",
        "Settings",
        "Replace the translator settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/translator",
        "Settings",
        "Change translator settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/ip-access",
        "Settings",
        "IP allow and deny lists",
    ),
    op(
        "put",
        "/api/settings/ip-access",
        "Settings",
        "Replace the IP allow and deny lists",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/ip-access",
        "Settings",
        "Change the IP allow and deny lists",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/resilience",
        "Settings",
        "Cooldown and circuit breaker settings",
    ),
    op(
        "put",
        "/api/settings/resilience",
        "Settings",
        "Replace the resilience settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/resilience",
        "Settings",
        "Change resilience settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/cache",
        "Settings",
        "Response cache settings",
    ),
    op(
        "put",
        "/api/settings/cache",
        "Settings",
        "Replace the response cache settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/settings/cache",
        "Settings",
        "Change response cache settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/settings/logging",
        "Settings",
        "Request/response body logging and retention",
    )
    .answers("LoggingSettings"),
    op(
        "put",
        "/api/settings/logging",
        "Settings",
        "Replace the logging settings",
    )
    .body("LoggingSettings")
    .answers("LoggingSettings"),
    op(
        "patch",
        "/api/settings/logging",
        "Settings",
        "Change logging settings",
    )
    .body("LoggingSettings")
    .answers("LoggingSettings"),
    op(
        "get",
        "/api/settings/proxy",
        "Settings",
        "Outbound proxies for upstream calls",
    )
    .answers("ProxySettings"),
    op(
        "put",
        "/api/settings/proxy",
        "Settings",
        "Replace the outbound proxy settings",
    )
    .body("ProxySettings")
    .answers("ProxySettings"),
    op(
        "post",
        "/api/settings/proxy/test",
        "Settings",
        "Connect through a proxy and report the latency",
    )
    .body("ProxyTest")
    .answers("ProxyTestResult"),
    // Health and traffic
    op(
        "get",
        "/api/resilience",
        "Health",
        "Circuit breakers and cooling accounts",
    ),
    op(
        "post",
        "/api/resilience/reset",
        "Health",
        "Close every breaker and end every cooldown",
    ),
    op(
        "get",
        "/api/cache/stats",
        "Health",
        "Response cache statistics",
    ),
    op("delete", "/api/cache", "Health", "Empty the response cache"),
    op(
        "get",
        "/api/telemetry/latency",
        "Health",
        "Latency percentiles per provider",
    ),
    op(
        "get",
        "/api/telemetry/queues",
        "Health",
        "Request queues per account",
    ),
    // Translator
    op(
        "post",
        "/api/translator/bench",
        "Translator",
        "Benchmark a translation",
    )
    .body("Object"),
    op(
        "get",
        "/api/translator/monitor",
        "Translator",
        "Recent translations (live monitor)",
    ),
    op(
        "delete",
        "/api/translator/monitor",
        "Translator",
        "Clear the live monitor",
    ),
    // Backups
    op(
        "get",
        "/api/db-backups/export",
        "Backups",
        "Download the database (.sqlite)",
    )
    .answers("Binary"),
    op(
        "get",
        "/api/db-backups/exportAll",
        "Backups",
        "Download everything without credentials (.tar.gz)",
    )
    .answers("Binary"),
    op(
        "post",
        "/api/db-backups/import",
        "Backups",
        "Replace the database with an uploaded one (validated, backed up first)",
    )
    .body("Binary"),
    // MCP and A2A
    op("get", "/api/mcp/status", "MCP & A2A", "MCP server state"),
    op("get", "/api/mcp/settings", "MCP & A2A", "MCP settings"),
    op(
        "put",
        "/api/mcp/settings",
        "MCP & A2A",
        "Replace the MCP settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/mcp/settings",
        "MCP & A2A",
        "Change MCP settings",
    )
    .body("Object"),
    op(
        "get",
        "/api/mcp/tools",
        "MCP & A2A",
        "The MCP tools and their scopes",
    ),
    op(
        "get",
        "/api/mcp/audit",
        "MCP & A2A",
        "MCP tool calls (audit log)",
    ),
    op(
        "get",
        "/api/mcp/audit/stats",
        "MCP & A2A",
        "MCP audit statistics",
    ),
    op(
        "post",
        "/api/mcp/stream",
        "MCP & A2A",
        "MCP Streamable HTTP transport",
    )
    .mcp()
    .body("Object"),
    op(
        "get",
        "/api/mcp/stream",
        "MCP & A2A",
        "MCP Streamable HTTP transport (server events)",
    )
    .mcp(),
    op(
        "delete",
        "/api/mcp/stream",
        "MCP & A2A",
        "End an MCP Streamable HTTP session",
    )
    .mcp(),
    op(
        "get",
        "/api/mcp/sse",
        "MCP & A2A",
        "MCP SSE transport: the event stream",
    )
    .mcp(),
    op(
        "post",
        "/api/mcp/sse",
        "MCP & A2A",
        "MCP SSE transport: a message",
    )
    .mcp()
    .body("Object"),
    op(
        "post",
        "/api/mcp/message",
        "MCP & A2A",
        "MCP SSE transport: a message",
    )
    .mcp()
    .body("Object"),
    op("get", "/api/a2a/status", "MCP & A2A", "A2A server state"),
    op("get", "/api/a2a/settings", "MCP & A2A", "A2A settings"),
    op(
        "put",
        "/api/a2a/settings",
        "MCP & A2A",
        "Replace the A2A settings",
    )
    .body("Object"),
    op(
        "patch",
        "/api/a2a/settings",
        "MCP & A2A",
        "Change A2A settings",
    )
    .body("Object"),
    op("get", "/api/a2a/tasks", "MCP & A2A", "A2A tasks"),
    op("get", "/api/a2a/tasks/{id}", "MCP & A2A", "One A2A task"),
    op(
        "post",
        "/api/a2a/tasks/{id}/cancel",
        "MCP & A2A",
        "Cancel an A2A task",
    ),
];

fn nullable(kind: &str) -> Value {
    json!({ "type": [kind, "null"] })
}

/// The named schemas operations refer to.
pub fn schemas() -> Value {
    let tokens = json!({
        "type": "object",
        "properties": {
            "input": { "type": "integer" }, "output": { "type": "integer" },
            "cacheRead": { "type": "integer" }, "cacheWrite": { "type": "integer" },
            "reasoning": { "type": "integer" }, "total": { "type": "integer" }
        }
    });
    let totals = json!({
        "type": "object",
        "properties": {
            "requests": { "type": "integer", "description": "Rows: upstream attempts and refused requests" },
            "failed": { "type": "integer" },
            "clientRequests": { "type": "integer" },
            "tokens": tokens,
            "cost": { "type": ["number", "null"], "description": "USD; null when every row's cost is unknown" },
            "unknownCostRequests": { "type": "integer" },
            "avgLatencyMs": nullable("integer"),
        }
    });
    let log = json!({
        "type": "object",
        "properties": {
            "id": { "type": "integer" }, "requestId": { "type": "string" },
            "time": { "type": "string", "format": "date-time" }, "timestamp": { "type": "integer" },
            "apiKeyId": nullable("string"), "apiKeyName": nullable("string"),
            "requestedModel": { "type": "string" }, "provider": nullable("string"), "model": nullable("string"),
            "connectionId": nullable("string"), "combo": nullable("string"), "endpoint": { "type": "string" },
            "clientFormat": { "type": "string" }, "upstreamFormat": nullable("string"),
            "tokens": tokens, "latencyMs": { "type": "integer" }, "ttftMs": nullable("integer"),
            "status": { "type": "integer" }, "success": { "type": "boolean" }, "error": nullable("string"),
            "attempt": { "type": "integer" }, "streamed": { "type": "boolean" }, "cost": nullable("number"),
        }
    });
    let price = json!({
        "type": "object",
        "required": ["provider", "model"],
        "properties": {
            "provider": { "type": "string" }, "model": { "type": "string" },
            "input": nullable("number"), "output": nullable("number"),
            "cacheRead": nullable("number"), "cacheWrite": nullable("number"),
            "source": { "type": "string", "enum": ["seed", "user"] },
            "hasDefault": { "type": "boolean" },
            "updatedAt": { "type": "string", "format": "date-time" },
        }
    });
    let budget = json!({
        "type": "object",
        "properties": {
            "keyId": { "type": "string" }, "keyName": nullable("string"),
            "limit": { "type": "number" },
            "period": { "type": "string", "enum": ["daily", "weekly", "monthly"] },
            "warningThreshold": { "type": "number" }, "spent": { "type": "number" },
            "remaining": { "type": "number" },
            "periodStart": { "type": "string", "format": "date-time" },
            "resetsAt": { "type": "string", "format": "date-time" },
            "warning": { "type": "boolean" }, "exceeded": { "type": "boolean" },
        }
    });
    let api_key = json!({
        "type": "object",
        "properties": {
            "id": { "type": "string" }, "name": { "type": "string" }, "prefix": { "type": "string" },
            "scopes": { "type": "array", "items": { "type": "string" } },
            "enabled": { "type": "boolean" },
        }
    });
    let proxy = json!({
        "type": "object",
        "properties": { "url": { "type": ["string", "null"], "description": "http://, https://, socks5:// or socks5h://host:port" } }
    });
    json!({
        "Object": { "type": "object" },
        "Binary": { "type": "string", "format": "binary" },
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": { "error": { "type": "string" }, "message": { "type": "string" } }
        },
        "Health": { "type": "object", "properties": { "status": { "type": "string" } } },
        "Login": { "type": "object", "required": ["password"], "properties": { "password": { "type": "string" } } },
        "ApiKey": api_key,
        "ApiKeyList": { "type": "object", "properties": { "keys": { "type": "array", "items": { "$ref": "#/components/schemas/ApiKey" } } } },
        "NewApiKey": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": { "type": "string" },
                "scopes": { "type": "array", "items": { "type": "string" } },
                "allowedModels": { "type": "array", "items": { "type": "string" } },
            }
        },
        "IssuedKey": { "type": "object", "properties": { "id": { "type": "string" }, "key": { "type": "string" }, "name": { "type": "string" } } },
        "UsageTotals": totals,
        "UsageSummary": {
            "type": "object",
            "properties": {
                "from": nullable("string"), "to": nullable("string"), "groupBy": nullable("string"),
                "totals": { "$ref": "#/components/schemas/UsageTotals" },
                "groups": { "type": ["array", "null"], "items": { "$ref": "#/components/schemas/UsageTotals" } },
            }
        },
        "UsageHistory": {
            "type": "object",
            "properties": {
                "bucket": { "type": "string", "enum": ["hour", "day"] },
                "points": { "type": "array", "items": { "$ref": "#/components/schemas/UsageTotals" } },
            }
        },
        "UsageLog": log,
        "UsageLogPage": {
            "type": "object",
            "properties": {
                "logs": { "type": "array", "items": { "$ref": "#/components/schemas/UsageLog" } },
                "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
            }
        },
        "UsageLogDetail": {
            "type": "object",
            "properties": {
                "log": { "$ref": "#/components/schemas/UsageLog" },
                "attempts": { "type": "array", "items": { "$ref": "#/components/schemas/UsageLog" } },
                "bodies": {
                    "type": ["object", "null"],
                    "properties": {
                        "request": nullable("string"), "requestTruncated": { "type": "boolean" },
                        "response": nullable("string"), "responseTruncated": { "type": "boolean" },
                    }
                },
            }
        },
        "Price": price,
        "PriceList": { "type": "object", "properties": { "pricing": { "type": "array", "items": { "$ref": "#/components/schemas/Price" } } } },
        "PriceOne": { "type": "object", "properties": { "pricing": { "$ref": "#/components/schemas/Price" } } },
        "PriceInput": {
            "type": "object",
            "required": ["provider", "model"],
            "properties": {
                "provider": { "type": "string" }, "model": { "type": "string" },
                "input": nullable("number"), "output": nullable("number"),
                "cacheRead": nullable("number"), "cacheWrite": nullable("number"),
            }
        },
        "Budget": budget,
        "BudgetList": { "type": "object", "properties": { "budgets": { "type": "array", "items": { "$ref": "#/components/schemas/Budget" } } } },
        "BudgetOne": { "type": "object", "properties": { "budget": { "$ref": "#/components/schemas/Budget" } } },
        "BudgetInput": {
            "type": "object",
            "required": ["keyId", "limit"],
            "properties": {
                "keyId": { "type": "string" }, "limit": { "type": "number", "exclusiveMinimum": 0 },
                "period": { "type": "string", "enum": ["daily", "weekly", "monthly"] },
                "warningThreshold": { "type": "number", "minimum": 0, "maximum": 1 },
            }
        },
        "LoggingSettings": {
            "type": "object",
            "properties": {
                "recordBodies": { "type": "boolean", "description": "Store request and response bodies (off by default)" },
                "retentionDays": { "type": "integer", "minimum": 1, "description": "Bodies and log rows older than this are deleted" },
                "maxBodyBytes": { "type": "integer", "minimum": 0, "description": "Each body is truncated to this size" },
            }
        },
        "Proxy": proxy,
        "ProxySettings": {
            "type": "object",
            "properties": {
                "global": { "$ref": "#/components/schemas/Proxy" },
                "perProvider": { "type": "object", "additionalProperties": { "$ref": "#/components/schemas/Proxy" } },
                "noProxy": { "type": "array", "items": { "type": "string" }, "description": "Hosts (or .suffixes) reached directly" },
            }
        },
        "ProxyTest": {
            "type": "object",
            "required": ["url"],
            "properties": { "url": { "type": "string" }, "target": { "type": "string", "description": "The URL to fetch through it (default https://www.google.com/generate_204)" } }
        },
        "ProxyTestResult": {
            "type": "object",
            "properties": {
                "ok": { "type": "boolean" }, "status": nullable("integer"),
                "latencyMs": { "type": "integer" }, "error": nullable("string"),
            }
        },
    })
}

fn parameters(o: &Operation) -> Vec<Value> {
    let mut out: Vec<Value> = o
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            json!({ "name": name.trim_start_matches('*'), "in": "path", "required": true, "schema": { "type": "string" } })
        })
        .collect();
    out.extend(o.query.iter().map(|(name, description)| {
        json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
    }));
    out
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn content(name: &str) -> Value {
    if name == "Binary" {
        json!({ "application/octet-stream": { "schema": schema_ref(name) } })
    } else {
        json!({ "application/json": { "schema": schema_ref(name) } })
    }
}

fn operation_id(o: &Operation) -> String {
    let mut id = o.method.to_string();
    for part in o
        .path
        .trim_start_matches("/api/")
        .split(['/', '-', '.', '{', '}'])
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.extend(first.to_uppercase());
            id.extend(chars);
        }
    }
    id
}

/// The whole document.
pub fn document(version: &str) -> Value {
    let mut paths = Map::new();
    for o in OPERATIONS {
        let error = json!({ "description": "Refused", "content": { "application/json": { "schema": schema_ref("Error") } } });
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({ "description": "Success", "content": content(o.response) }),
        );
        responses.insert("400".into(), error.clone());
        if o.access != Access::Public {
            responses.insert("401".into(), error.clone());
            responses.insert("403".into(), error.clone());
        }
        if o.path.contains('{') {
            responses.insert("404".into(), error);
        }
        let mut operation = json!({
            "operationId": operation_id(o),
            "summary": o.summary,
            "tags": [o.tag],
            "parameters": parameters(o),
            "responses": responses,
        });
        operation["security"] = match o.access {
            Access::Public => json!([]),
            Access::Manage => json!([{ "session": [] }, { "apiKey": [] }]),
            Access::McpKey => json!([{ "apiKey": [] }]),
        };
        if o.access == Access::McpKey {
            operation["description"] =
                json!("Authenticated by an API key carrying the MCP scopes of the tools called.");
        }
        if let Some(body) = o.request {
            operation["requestBody"] = json!({ "required": true, "content": content(body) });
        }
        let item = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        item[o.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "OmniRoute management API",
            "version": version,
            "description": "The management API under /api. Authenticate with the dashboard session cookie (state-changing calls from a browser must be same-origin) or with `Authorization: Bearer <key>` for an API key with the `manage` scope. Errors are `{\"error\", \"message\"}`. The client API (/v1) follows the OpenAI, Anthropic and Gemini wire formats and is not described here.",
        },
        "servers": [{ "url": "/" }],
        "tags": tags(),
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::http::SESSION_COOKIE },
                "apiKey": { "type": "http", "scheme": "bearer", "description": "An API key (sk-...) with the manage scope" },
            }
        }
    })
}

fn tags() -> Vec<Value> {
    let mut seen: Vec<&str> = Vec::new();
    for o in OPERATIONS {
        if !seen.contains(&o.tag) {
            seen.push(o.tag);
        }
    }
    seen.into_iter().map(|t| json!({ "name": t })).collect()
}

/// `GET /api/openapi.json`.
pub async fn openapi(State(_): State<AppState>) -> Json<Value> {
    Json(document(env!("CARGO_PKG_VERSION")))
}

/// `/api/openapi.json` and the settings routes of the same area (body logging, outbound
/// proxies).
pub fn routes(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/api/openapi.json", axum::routing::get(openapi))
        .route(
            "/api/settings/logging",
            axum::routing::get(super::logging_settings::get_settings)
                .put(super::logging_settings::put_settings)
                .patch(super::logging_settings::put_settings),
        )
        .route(
            "/api/settings/proxy",
            axum::routing::get(super::proxy_settings::get_settings)
                .put(super::proxy_settings::put_settings),
        )
        .route(
            "/api/settings/proxy/test",
            axum::routing::post(super::proxy_settings::test),
        )
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_unique_and_refers_to_known_schemas() {
        let schemas = schemas();
        let mut seen = std::collections::HashSet::new();
        for o in OPERATIONS {
            assert!(o.path.starts_with("/api/"), "{}", o.path);
            assert!(
                matches!(o.method, "get" | "post" | "put" | "patch" | "delete"),
                "{} {}",
                o.method,
                o.path
            );
            assert!(
                seen.insert((o.method, o.path)),
                "twice: {} {}",
                o.method,
                o.path
            );
            for name in o.request.iter().chain(std::iter::once(&o.response)) {
                assert!(
                    schemas.get(name).is_some(),
                    "{name} of {} {}",
                    o.method,
                    o.path
                );
            }
        }
        let doc = document("0");
        let text = doc.to_string();
        // every $ref points at a defined schema
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(schemas.get(&name).is_some(), "dangling $ref {name}");
        }
        let ids: std::collections::HashSet<String> = OPERATIONS.iter().map(operation_id).collect();
        assert_eq!(ids.len(), OPERATIONS.len(), "operation ids are unique");
        assert_eq!(
            doc["paths"]["/api/keys/{id}"]["get"]["parameters"][0]["name"],
            "id"
        );
    }
}
