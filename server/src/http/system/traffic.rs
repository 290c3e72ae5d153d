//! The response cache and latency telemetry under `/api` (Health cards, Settings → Cache):
//! `GET /api/cache/stats`, `DELETE /api/cache` (flush), `GET/PUT /api/settings/cache`,
//! `GET /api/telemetry/latency`, and the pacing queues in `GET /api/telemetry/queues`.

use super::SystemState;
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::store;
use crate::traffic::cache::CacheSettings;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};

const KV_NAMESPACE: &str = "settings";
const KV_KEY: &str = "cache";

pub async fn load(db: &DatabaseConnection) -> CacheSettings {
    store::kv::get_json(db, KV_NAMESPACE, KV_KEY)
        .await
        .unwrap_or_default()
}

pub async fn cache_stats(State(system): State<SystemState>) -> Json<Value> {
    Json(json!(system.app.traffic().cache.stats()))
}

pub async fn flush_cache(State(system): State<SystemState>) -> Json<Value> {
    let removed = system.app.traffic().cache.flush();
    tracing::info!("response cache flushed ({removed} entries)");
    Json(json!({ "success": true, "removed": removed }))
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<CacheSettings> {
    Json(system.app.traffic().cache.settings())
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<CacheSettings>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = system.app.traffic().cache.settings();
    if let Some(b) = body.boolean("enabled")? {
        s.enabled = b;
    }
    if let Some(n) = body.integer_in("ttlSecs", 1, 7 * 86_400)? {
        s.ttl_secs = n as u64;
    }
    if let Some(n) = body.integer_in("maxEntries", 1, 1_000_000)? {
        s.max_entries = n as usize;
    }
    if let Some(n) = body.integer_in("maxBytes", 1024, 4 * 1024 * 1024 * 1024)? {
        s.max_bytes = n as usize;
    }
    store::kv::set_json(system.app.db(), KV_NAMESPACE, KV_KEY, &s)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    system.app.traffic().cache.set_settings(s);
    Ok(Json(s))
}

pub async fn latency(State(system): State<SystemState>) -> Json<Value> {
    Json(json!({
        "windowSecs": crate::traffic::telemetry::WINDOW.as_secs(),
        "maxSamples": crate::traffic::telemetry::SAMPLES,
        "providers": system.app.traffic().telemetry.view(),
    }))
}

pub async fn queues(State(system): State<SystemState>) -> Json<Value> {
    let queues: Vec<Value> = system
        .app
        .traffic()
        .pacing
        .view()
        .into_iter()
        .map(|(id, running, waiting)| {
            json!({ "connectionId": id, "running": running, "waiting": waiting })
        })
        .collect();
    Json(json!({ "queues": queues }))
}

pub fn routes() -> axum::Router<SystemState> {
    use axum::routing::{delete, get};
    axum::Router::new()
        .route("/api/cache/stats", get(cache_stats))
        .route("/api/cache", delete(flush_cache))
        .route(
            "/api/settings/cache",
            get(get_settings).put(put_settings).patch(put_settings),
        )
        .route("/api/telemetry/latency", get(latency))
        .route("/api/telemetry/queues", get(queues))
}
