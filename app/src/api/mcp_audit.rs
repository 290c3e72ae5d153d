use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Audit rows per page on the MCP & A2A page.
pub const AUDIT_PER_PAGE: u64 = 20;

/// One audited MCP tool call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix milliseconds.
    pub ts: i64,
    pub tool: String,
    pub scope: String,
    pub key_name: Option<String>,
    pub transport: String,
    pub duration_ms: i64,
    pub success: bool,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

#[server(prefix = "/api/sf", endpoint = "mcp_audit")]
pub async fn list_mcp_audit(page: u64) -> Result<AuditPage, ServerFnError> {
    use serde_json::Value;
    let page = page.max(1);
    let offset = (page - 1) * AUDIT_PER_PAGE;
    let v: Value = super::rest(
        "GET",
        &format!("/api/mcp/audit?limit={AUDIT_PER_PAGE}&offset={offset}"),
        None,
    )
    .await?;
    let entries = v["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| AuditEntry {
            id: e["id"].as_i64().unwrap_or(0),
            ts: e["ts"].as_i64().unwrap_or(0),
            tool: e["tool"].as_str().unwrap_or_default().to_string(),
            scope: e["scope"].as_str().unwrap_or_default().to_string(),
            key_name: e["keyName"].as_str().map(str::to_string),
            transport: e["transport"].as_str().unwrap_or_default().to_string(),
            duration_ms: e["durationMs"].as_i64().unwrap_or(0),
            success: e["success"].as_bool().unwrap_or(false),
            error: e["error"].as_str().map(str::to_string),
        })
        .collect();
    Ok(AuditPage {
        entries,
        total: v["total"].as_u64().unwrap_or(0),
        page,
        per_page: AUDIT_PER_PAGE,
    })
}
