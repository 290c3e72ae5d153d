use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One step of a combo: a model string or another combo's name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComboStep {
    pub model: String,
    pub weight: Option<u32>,
}

/// Per-combo settings (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComboSettings {
    pub max_retries: Option<u32>,
    pub timeout_ms: Option<u64>,
    pub max_concurrency_per_model: Option<u32>,
    pub sticky_limit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComboInfo {
    pub id: String,
    pub name: String,
    pub strategy: String,
    pub steps: Vec<ComboStep>,
    pub settings: ComboSettings,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CombosOverview {
    pub combos: Vec<ComboInfo>,
    /// What a step may name: chat models of providers with a connection, then combos.
    pub models: Vec<String>,
}

/// The combos in display order and the models the step picker offers
/// (`GET /api/combos`, `GET /api/models/catalog`).
#[server(prefix = "/api/sf", endpoint = "list_combos")]
pub async fn list_combos() -> Result<CombosOverview, ServerFnError> {
    use serde_json::Value;
    let v: Value = super::rest("GET", "/api/combos", None).await?;
    let num = |x: &Value| x.as_u64();
    let combos: Vec<ComboInfo> = v["combos"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| ComboInfo {
            id: c["id"].as_str().unwrap_or_default().to_string(),
            name: c["name"].as_str().unwrap_or_default().to_string(),
            strategy: c["strategy"].as_str().unwrap_or("priority").to_string(),
            steps: c["models"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| ComboStep {
                    model: s["model"].as_str().unwrap_or_default().to_string(),
                    weight: num(&s["weight"]).map(|w| w as u32),
                })
                .collect(),
            settings: ComboSettings {
                max_retries: num(&c["config"]["maxRetries"]).map(|n| n as u32),
                timeout_ms: num(&c["config"]["timeoutMs"]),
                max_concurrency_per_model: num(&c["config"]["maxConcurrencyPerModel"])
                    .map(|n| n as u32),
                sticky_limit: num(&c["config"]["stickyLimit"]).map(|n| n as u32),
            },
            active: c["isActive"].as_bool().unwrap_or(true),
        })
        .collect();
    let cat: Value = super::rest("GET", "/api/models/catalog", None).await?;
    let mut models: Vec<String> = Vec::new();
    for group in cat["providers"].as_array().into_iter().flatten() {
        let reachable = group["activeConnections"].as_u64().unwrap_or(0) > 0;
        if !reachable {
            continue;
        }
        for m in group["models"].as_array().into_iter().flatten() {
            if m["type"].as_str().unwrap_or("chat") == "chat" {
                if let Some(id) = m["id"].as_str() {
                    models.push(id.to_string());
                }
            }
        }
    }
    models.extend(combos.iter().map(|c| c.name.clone()));
    Ok(CombosOverview { combos, models })
}
