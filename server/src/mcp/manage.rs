//! The MCP views of the management API (behind the dashboard login or a `manage` key):
//!
//! - `GET /api/mcp/status`: enabled, transports and their paths, the stdio command, allowed
//!   hosts, tool count, calls in the last 24 hours.
//! - `GET /api/mcp/tools`: every tool with its description, scopes and input schema, grouped
//!   by scope.
//! - `GET /api/mcp/audit?limit=&offset=&tool=&keyId=&status=ok|error`: the audit log, newest
//!   first.
//! - `GET /api/mcp/audit/stats?hours=24`: calls, errors and average duration per tool.
//! - `GET|PUT|PATCH /api/mcp/settings {"enabled","allowedHosts"}`.

use super::scopes;
use super::settings::{self, McpSettings};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use crate::store::mcp_audit::{self, AuditFilter};
use crate::usage::iso_ms;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router<SystemState> {
    Router::new()
        .route("/api/mcp/status", get(status))
        .route("/api/mcp/tools", get(tools))
        .route("/api/mcp/audit", get(audit))
        .route("/api/mcp/audit/stats", get(audit_stats))
        .route(
            "/api/mcp/settings",
            get(get_settings).put(put_settings).patch(put_settings),
        )
}

/// Every host the HTTP transports accept now.
pub fn effective_hosts(system: &SystemState, stored: &McpSettings) -> Vec<String> {
    let mut hosts = settings::default_allowed_hosts(system.app.config().host);
    for h in settings::env_allowed_hosts().into_iter().chain(
        stored
            .allowed_hosts
            .iter()
            .map(|h| h.trim().to_ascii_lowercase()),
    ) {
        if !h.is_empty() && !hosts.contains(&h) {
            hosts.push(h);
        }
    }
    hosts
}

async fn status(State(system): State<SystemState>) -> Result<Json<Value>, ApiError> {
    let hub = super::hub(&system);
    let db = system.app.db();
    let stored = hub.settings().mcp(db).await;
    let since = crate::usage::now_ms() - 24 * 3600 * 1000;
    let stats = mcp_audit::stats(db, since).await?;
    let calls: i64 = stats.iter().map(|s| s.calls).sum();
    let errors: i64 = stats.iter().map(|s| s.errors).sum();
    let exe = std::env::current_exe()
        .ok()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "omniroute".to_string());
    Ok(Json(json!({
        "enabled": stored.enabled,
        "transports": {
            "streamableHttp": "/api/mcp/stream",
            "sse": "/api/mcp/sse",
            "sseMessages": "/api/mcp/message",
            "stdio": "omniroute --mcp",
        },
        "command": exe,
        "dataDir": system.app.config().data_dir.display().to_string(),
        "allowedHosts": effective_hosts(&system, &stored),
        "allowedHostsEnv": settings::ALLOWED_HOSTS_ENV,
        "tools": super::server::all_tools().len(),
        "last24h": { "calls": calls, "errors": errors },
        "auditRowsDropped": hub.audit(db).dropped(),
    })))
}

async fn tools() -> Json<Value> {
    let all = super::server::all_tools();
    let groups: Vec<Value> = scopes::GROUPS
        .iter()
        .map(|group| {
            let tools: Vec<Value> = all
                .iter()
                .filter(|t| scopes::group(&t.name) == *group)
                .map(|t| {
                    json!({
                        "name": t.name,
                        "description": t.description,
                        "scopes": scopes::required(&t.name),
                        "inputSchema": t.input_schema,
                    })
                })
                .collect();
            json!({ "scope": group, "tools": tools })
        })
        .collect();
    Json(json!({ "total": all.len(), "manageImpliesAll": true, "groups": groups }))
}

fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn number(
    q: &HashMap<String, String>,
    name: &str,
    default: u64,
    max: u64,
) -> Result<u64, ApiError> {
    match param(q, name) {
        None => Ok(default),
        Some(v) => v.parse::<u64>().map(|n| n.min(max)).map_err(|_| {
            ApiError::bad_request(
                "invalid_query",
                format!("{name} must be a whole number (got {v:?})"),
            )
        }),
    }
}

async fn audit(
    State(system): State<SystemState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = number(&q, "limit", 50, 500)?.max(1);
    let offset = number(&q, "offset", 0, u64::MAX / 2)?;
    let success = match param(&q, "status") {
        None => None,
        Some("ok" | "success") => Some(true),
        Some("error" | "failed") => Some(false),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!("status must be ok or error (got {other:?})"),
            ))
        }
    };
    let filter = AuditFilter {
        tool: param(&q, "tool").map(str::to_string),
        key_id: param(&q, "keyId").map(str::to_string),
        success,
    };
    let (rows, total) = mcp_audit::page(system.app.db(), &filter, limit, offset).await?;
    let entries: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "time": iso_ms(r.ts),
                "ts": r.ts,
                "tool": r.tool,
                "scope": r.scope,
                "keyId": r.api_key_id,
                "keyName": r.key_name,
                "transport": r.transport,
                "durationMs": r.duration_ms,
                "success": r.success,
                "error": r.error,
            })
        })
        .collect();
    Ok(Json(
        json!({ "entries": entries, "total": total, "limit": limit, "offset": offset }),
    ))
}

async fn audit_stats(
    State(system): State<SystemState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let hours = number(&q, "hours", 24, 24 * 366)?.max(1);
    let since = crate::usage::now_ms() - i64::try_from(hours * 3600 * 1000).unwrap_or(i64::MAX);
    let stats = mcp_audit::stats(system.app.db(), since).await?;
    let tools: Vec<Value> = stats
        .iter()
        .map(|s| {
            json!({
                "tool": s.tool,
                "calls": s.calls,
                "errors": s.errors,
                "avgDurationMs": s.avg_duration_ms.map(|v| v.round() as i64),
                "lastCall": iso_ms(s.last_ts),
            })
        })
        .collect();
    Ok(Json(
        json!({ "since": iso_ms(since), "hours": hours, "tools": tools }),
    ))
}

fn settings_view(system: &SystemState, s: &McpSettings) -> Value {
    json!({
        "enabled": s.enabled,
        "allowedHosts": s.allowed_hosts,
        "effectiveAllowedHosts": effective_hosts(system, s),
    })
}

async fn get_settings(State(system): State<SystemState>) -> Json<Value> {
    let s = super::hub(&system).settings().mcp(system.app.db()).await;
    Json(settings_view(&system, &s))
}

async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let cell = super::hub(&system).settings();
    let mut s = cell.mcp(system.app.db()).await;
    if let Some(enabled) = body.boolean("enabled")? {
        s.enabled = enabled;
    }
    if let Some(hosts) = body.string_list("allowedHosts")? {
        let mut clean = Vec::new();
        for (i, h) in hosts.iter().enumerate() {
            let h = h.trim().to_ascii_lowercase();
            if h.is_empty() {
                continue;
            }
            let valid = h == "*"
                || (h.len() <= 255
                    && h.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    }));
            if !valid {
                return Err(ApiError::bad_request(
                    "invalid_field",
                    format!("allowedHosts[{i}]: {h:?} is not a host name, host:port or *"),
                ));
            }
            if !clean.contains(&h) {
                clean.push(h);
            }
        }
        s.allowed_hosts = clean;
    }
    cell.set_mcp(system.app.db(), s.clone()).await?;
    tracing::info!(
        "MCP server {} ({} extra allowed host(s))",
        if s.enabled { "enabled" } else { "disabled" },
        s.allowed_hosts.len()
    );
    Ok(Json(settings_view(&system, &s)))
}
