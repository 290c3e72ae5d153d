use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Translator → Test Bench: `POST /api/translator/bench`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub summary: BenchSummary,
    pub cases: Vec<BenchCase>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchSummary {
    pub total: usize,
    pub clean: usize,
    pub lossy: usize,
    pub failed: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchCase {
    pub mode: String,
    pub from: String,
    pub to: String,
    /// clean, lossy or failed.
    pub status: String,
    pub error: Option<String>,
    pub differences: Vec<BenchDifference>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchDifference {
    pub path: String,
    pub expected: Option<serde_json::Value>,
    pub actual: Option<serde_json::Value>,
}

/// `modes`: `all`, `request` or `response`.
#[server(prefix = "/api/sf", endpoint = "translator_bench")]
pub async fn run_bench(modes: String) -> Result<BenchReport, ServerFnError> {
    let modes: Vec<&str> = match modes.as_str() {
        "request" => vec!["request"],
        "response" => vec!["response"],
        _ => vec!["request", "response"],
    };
    super::rest(
        "POST",
        "/api/translator/bench",
        Some(serde_json::json!({ "modes": modes })),
    )
    .await
}

/// Translator → Live Monitor: `GET /api/translator/monitor`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorView {
    pub recording: bool,
    pub always: bool,
    pub capacity: usize,
    pub entries: Vec<MonitorEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorEntry {
    pub id: u64,
    pub time: i64,
    pub source_format: String,
    pub target_format: String,
    pub requested_model: String,
    pub model: String,
    pub provider: String,
    pub before: String,
    pub after: String,
    pub before_bytes: usize,
    pub after_bytes: usize,
}

#[server(prefix = "/api/sf", endpoint = "translator_monitor")]
pub async fn get_monitor() -> Result<MonitorView, ServerFnError> {
    super::rest("GET", "/api/translator/monitor", None).await
}

#[server(prefix = "/api/sf", endpoint = "translator_monitor_clear")]
pub async fn clear_monitor() -> Result<(), ServerFnError> {
    let _: serde_json::Value = super::rest("DELETE", "/api/translator/monitor", None).await?;
    Ok(())
}

/// Settings: keep the Live Monitor recording while its page is closed.
#[server(prefix = "/api/sf", endpoint = "save_translator_settings")]
pub async fn save_live_monitor(
    #[server(default)] live_monitor: Option<String>,
) -> Result<bool, ServerFnError> {
    let v: serde_json::Value = super::rest(
        "PUT",
        "/api/settings/translator",
        Some(serde_json::json!({ "liveMonitor": live_monitor.is_some() })),
    )
    .await?;
    Ok(v.get("liveMonitor")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false))
}

#[server(prefix = "/api/sf", endpoint = "translator_settings")]
pub async fn get_live_monitor_setting() -> Result<bool, ServerFnError> {
    let v: serde_json::Value = super::rest("GET", "/api/settings/translator", None).await?;
    Ok(v.get("liveMonitor")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false))
}
