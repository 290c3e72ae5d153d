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
    let mut state = serde_json::to_value(r.view()).unwrap_or_else(|_| json!({}));
    // per-model lockouts (routing::lockout) sit next to cooldowns and breakers
    state["lockouts"] = json!(system.app.routing().lockouts().view());
    Json(json!({ "settings": r.settings(), "state": state, "lockouts": state["lockouts"] }))
}

pub async fn reset(State(system): State<SystemState>) -> Json<Value> {
    system.app.resilience().reset();
    system.app.routing().lockouts().clear();
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
    if let Some(n) = body.integer_in("rpmLimit", 0, 1_000_000)? {
        s.rpm_limit = n as u32;
    }
    if let Some(n) = body.integer_in("minGapMs", 0, 3_600_000)? {
        s.min_gap_ms = n as u64;
    }
    if let Some(n) = body.integer_in("maxConcurrent", 0, 10_000)? {
        s.max_concurrent = n as u32;
    }
    if let Some(n) = body.integer_in("queueMaxWaitMs", 0, 600_000)? {
        s.queue_max_wait_ms = n as u64;
    }
    if let Some(n) = body.integer_in("queueMaxSize", 0, 100_000)? {
        s.queue_max_size = n as u32;
    }
    if let Some(n) = body.integer_in("headersTimeoutSecs", 1, 3600)? {
        s.headers_timeout_secs = n as u64;
    }
    if let Some(n) = body.integer_in("firstOutputTimeoutSecs", 1, 3600)? {
        s.first_output_timeout_secs = n as u64;
    }
    if let Some(n) = body.integer_in("idleTimeoutSecs", 1, 3600)? {
        s.idle_timeout_secs = n as u64;
    }
    store::kv::set_json(system.app.db(), KV_NAMESPACE, KV_KEY, &s)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    system.app.resilience().set_settings(s);
    Ok(Json(s))
}
