//! Settings → Resilience and its live state:
//! `GET /api/resilience` (breakers, cooldowns, settings), `POST /api/resilience/reset`,
//! `GET/PUT /api/settings/resilience`.

use super::SystemState;
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::resilience::ResilienceSettings;
use crate::store;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};

const KV_NAMESPACE: &str = "settings";
const KV_KEY: &str = "resilience";

pub async fn load(db: &DatabaseConnection) -> ResilienceSettings {
    store::kv::get_json(db, KV_NAMESPACE, KV_KEY)
        .await
        .unwrap_or_default()
}

pub async fn state(State(system): State<SystemState>) -> Json<Value> {
    let r = system.app.resilience();
    Json(json!({ "settings": r.settings(), "state": r.view() }))
}

pub async fn reset(State(system): State<SystemState>) -> Json<Value> {
    system.app.resilience().reset();
    tracing::info!("circuit breakers and cooldowns reset from the dashboard");
    Json(json!({ "success": true }))
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<ResilienceSettings> {
    Json(system.app.resilience().settings())
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<ResilienceSettings>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = system.app.resilience().settings();
    if let Some(n) = body.integer_in("baseCooldownSecs", 1, 86_400)? {
        s.base_cooldown_secs = n as u64;
    }
    if let Some(n) = body.integer_in("maxBackoffSteps", 0, 20)? {
        s.max_backoff_steps = n as u32;
    }
    if let Some(n) = body.integer_in("breakerThreshold", 1, 1000)? {
        s.breaker_threshold = n as u32;
    }
    if let Some(n) = body.integer_in("breakerResetSecs", 1, 86_400)? {
        s.breaker_reset_secs = n as u64;
    }
    if let Some(b) = body.boolean("useUpstreamHints")? {
        s.use_upstream_hints = b;
    }
    store::kv::set_json(system.app.db(), KV_NAMESPACE, KV_KEY, &s)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    system.app.resilience().set_settings(s);
    Ok(Json(s))
}
