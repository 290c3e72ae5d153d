use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The Health page's Active Lockouts, Cache and Latency Telemetry cards, from
/// `GET /api/resilience`, `GET /api/cache/stats` and `GET /api/telemetry/latency`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthTraffic {
    pub cache: CacheStats,
    pub latency: Vec<LatencyRow>,
    pub latency_window_secs: u64,
    pub lockouts: Vec<LockoutRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CacheStats {
    pub enabled: bool,
    pub entries: u64,
    pub bytes: u64,
    pub max_entries: u64,
    pub ttl_secs: u64,
    pub hits: u64,
    pub misses: u64,
    pub hit_rate: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LatencyRow {
    pub provider: String,
    pub samples: u64,
    pub p50_ms: u64,
    pub p95_ms: u64,
    pub p99_ms: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LockoutRow {
    pub connection_id: String,
    pub provider: String,
    pub model: String,
    pub remaining_secs: u64,
    pub reason: String,
}

#[server(prefix = "/api/sf", endpoint = "health_traffic")]
pub async fn get_health_traffic() -> Result<HealthTraffic, ServerFnError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Latency {
        window_secs: u64,
        providers: Vec<LatencyRow>,
    }
    let cache: CacheStats = super::rest("GET", "/api/cache/stats", None).await?;
    let latency: Latency = super::rest("GET", "/api/telemetry/latency", None).await?;
    let resilience: serde_json::Value = super::rest("GET", "/api/resilience", None).await?;
    // Per-model lockouts, where the resilience state lists them.
    let lockouts = resilience
        .get("lockouts")
        .or_else(|| resilience.get("state").and_then(|s| s.get("lockouts")))
        .cloned()
        .and_then(|v| serde_json::from_value::<Vec<LockoutRow>>(v).ok())
        .unwrap_or_default();
    Ok(HealthTraffic {
        cache,
        latency: latency.providers,
        latency_window_secs: latency.window_secs,
        lockouts,
    })
}

/// Empties the response cache (`DELETE /api/cache`); answers how many entries went.
#[server(prefix = "/api/sf", endpoint = "flush_cache")]
pub async fn flush_cache() -> Result<u64, ServerFnError> {
    #[derive(Deserialize)]
    struct Flushed {
        removed: u64,
    }
    let f: Flushed = super::rest("DELETE", "/api/cache", None).await?;
    Ok(f.removed)
}
