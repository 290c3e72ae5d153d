use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One price row (`GET /api/pricing`): USD per 1M tokens, None when unknown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceRow {
    pub provider: String,
    pub model: String,
    pub input: Option<f64>,
    pub output: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    /// `seed` (built-in) or `user`.
    pub source: String,
    /// The built-in registry has a price for this model (deleting a user price restores it).
    pub has_default: bool,
}

#[server(prefix = "/api/sf", endpoint = "list_pricing")]
pub async fn list_pricing() -> Result<Vec<PriceRow>, ServerFnError> {
    let v: serde_json::Value = super::rest("GET", "/api/pricing", None).await?;
    Ok(v["pricing"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| PriceRow {
            provider: p["provider"].as_str().unwrap_or_default().to_string(),
            model: p["model"].as_str().unwrap_or_default().to_string(),
            input: p["input"].as_f64(),
            output: p["output"].as_f64(),
            cache_read: p["cacheRead"].as_f64(),
            cache_write: p["cacheWrite"].as_f64(),
            source: p["source"].as_str().unwrap_or_default().to_string(),
            has_default: p["hasDefault"].as_bool().unwrap_or(false),
        })
        .collect())
}
