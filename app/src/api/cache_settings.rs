use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The response cache (Settings → AI): `GET /api/cache/stats`, `GET/PUT /api/settings/cache`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CacheView {
    pub enabled: bool,
    pub entries: u64,
    pub bytes: u64,
    pub max_entries: u64,
    pub max_bytes: u64,
    pub ttl_secs: u64,
    pub hits: u64,
    pub misses: u64,
    pub hit_rate: f64,
}

#[server(prefix = "/api/sf", endpoint = "cache_stats")]
pub async fn get_cache_stats() -> Result<CacheView, ServerFnError> {
    super::rest("GET", "/api/cache/stats", None).await
}

#[server(prefix = "/api/sf", endpoint = "save_cache_settings")]
pub async fn save_cache_settings(
    ttl_secs: String,
    #[server(default)] enabled: Option<String>,
) -> Result<CacheView, ServerFnError> {
    let ttl: u64 = ttl_secs.trim().parse().map_err(|_| {
        ServerFnError::new("The cache lifetime must be a whole number of seconds (1 to 604800).")
    })?;
    let _: serde_json::Value = super::rest(
        "PUT",
        "/api/settings/cache",
        Some(serde_json::json!({ "enabled": enabled.is_some(), "ttlSecs": ttl })),
    )
    .await?;
    get_cache_stats().await
}
