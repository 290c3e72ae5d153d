use super::routing_decisions::DecisionDetail;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComboTestResult {
    pub status: u16,
    pub ok: bool,
    pub text: Option<String>,
    pub error: Option<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub latency_ms: u64,
    pub decision: Option<DecisionDetail>,
}

/// Sends a short chat through a combo (or any model) and reports the route it took
/// (`POST /api/routing/test`).
#[server(prefix = "/api/sf", endpoint = "test_combo")]
pub async fn test_combo(model: String, prompt: String) -> Result<ComboTestResult, ServerFnError> {
    let v: serde_json::Value = super::rest(
        "POST",
        "/api/routing/test",
        Some(serde_json::json!({ "model": model, "prompt": prompt })),
    )
    .await?;
    let s = |x: &serde_json::Value| x.as_str().map(str::to_string);
    Ok(ComboTestResult {
        status: v["status"].as_u64().unwrap_or(0) as u16,
        ok: v["ok"].as_bool().unwrap_or(false),
        text: s(&v["text"]),
        error: s(&v["error"]),
        provider: s(&v["provider"]),
        model: s(&v["model"]),
        latency_ms: v["latencyMs"].as_u64().unwrap_or(0),
        decision: v["decision"]
            .is_object()
            .then(|| super::routing_decisions::detail_of(&v["decision"])),
    })
}
