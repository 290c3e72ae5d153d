use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the decision list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionLine {
    pub id: String,
    pub at: String,
    pub requested: String,
    pub kind: String,
    pub strategy: String,
    pub winner: Option<String>,
    pub fallbacks: u64,
    pub status: u16,
    pub total_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub model: String,
    pub provider: String,
    pub score: Option<f64>,
    /// (factor, value 0-1), for auto-routing.
    pub factors: Vec<(String, f64)>,
    pub via: Vec<String>,
    pub chain: bool,
    pub skipped: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptLine {
    pub model: String,
    pub provider: String,
    pub status: Option<u16>,
    pub ok: bool,
    pub error: Option<String>,
    pub action: Option<String>,
    pub latency_ms: u64,
}

/// A decision in full (`GET /api/routing/decisions/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionDetail {
    pub line: DecisionLine,
    pub routed: String,
    pub alias: Option<String>,
    pub explored: bool,
    pub estimated_tokens: u64,
    pub pruned: u64,
    pub planning_us: u64,
    pub waited_ms: Option<u64>,
    pub candidates: Vec<CandidateLine>,
    pub attempts: Vec<AttemptLine>,
}

pub fn line_of(d: &serde_json::Value) -> DecisionLine {
    DecisionLine {
        id: d["id"].as_str().unwrap_or_default().to_string(),
        at: d["at"].as_str().unwrap_or_default().to_string(),
        requested: d["requested"].as_str().unwrap_or_default().to_string(),
        kind: d["kind"].as_str().unwrap_or_default().to_string(),
        strategy: d["strategy"].as_str().unwrap_or_default().to_string(),
        winner: d["winner"]["model"].as_str().map(str::to_string),
        fallbacks: d["fallbacks"].as_u64().unwrap_or(0),
        status: d["status"].as_u64().unwrap_or(0) as u16,
        total_ms: d["totalMs"].as_u64().unwrap_or(0),
    }
}

pub fn detail_of(d: &serde_json::Value) -> DecisionDetail {
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    DecisionDetail {
        line: line_of(d),
        routed: s(&d["routed"]).unwrap_or_default(),
        alias: s(&d["alias"]),
        explored: d["explored"].as_bool().unwrap_or(false),
        estimated_tokens: d["estimatedTokens"].as_u64().unwrap_or(0),
        pruned: d["pruned"].as_u64().unwrap_or(0),
        planning_us: d["planningUs"].as_u64().unwrap_or(0),
        waited_ms: d["waitedMs"].as_u64(),
        candidates: d["candidates"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| CandidateLine {
                model: s(&c["model"]).unwrap_or_default(),
                provider: s(&c["provider"]).unwrap_or_default(),
                score: c["score"].as_f64(),
                factors: c["factors"]
                    .as_object()
                    .map(|f| {
                        f.iter()
                            .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                            .collect()
                    })
                    .unwrap_or_default(),
                via: c["via"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                chain: c["chain"].as_bool().unwrap_or(false),
                skipped: s(&c["skipped"]),
            })
            .collect(),
        attempts: d["attempts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| AttemptLine {
                model: s(&a["model"]).unwrap_or_default(),
                provider: s(&a["provider"]).unwrap_or_default(),
                status: a["status"].as_u64().map(|n| n as u16),
                ok: a["ok"].as_bool().unwrap_or(false),
                error: s(&a["error"]),
                action: s(&a["action"]),
                latency_ms: a["latencyMs"].as_u64().unwrap_or(0),
            })
            .collect(),
    }
}

/// The newest routing decisions (`GET /api/routing/decisions?limit`).
#[server(prefix = "/api/sf", endpoint = "routing_decisions")]
pub async fn routing_decisions(limit: u32) -> Result<Vec<DecisionLine>, ServerFnError> {
    let v: serde_json::Value = super::rest(
        "GET",
        &format!("/api/routing/decisions?limit={limit}"),
        None,
    )
    .await?;
    Ok(v["decisions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(line_of)
        .collect())
}

/// One decision in full.
#[server(prefix = "/api/sf", endpoint = "routing_decision")]
pub async fn routing_decision(id: String) -> Result<DecisionDetail, ServerFnError> {
    let v: serde_json::Value =
        super::rest("GET", &format!("/api/routing/decisions/{id}"), None).await?;
    Ok(detail_of(&v["decision"]))
}
