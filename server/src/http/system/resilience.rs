//! Settings → Resilience and its live state:
//! `GET /api/resilience` (breakers, cooldowns, settings), `POST /api/resilience/reset`,
//! `GET/PUT /api/settings/resilience`.

use super::SystemState;
use crate::http::error::ApiError;
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
    store::kv::get(db, KV_NAMESPACE, KV_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str(&v).ok())
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
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the request body must be a JSON object",
        ));
    };
    let mut s = system.app.resilience().settings();
    let number = |field: &str, min: u64, max: u64| -> Result<Option<u64>, ApiError> {
        match map.get(field) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| (min..=max).contains(n))
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_field",
                        format!("{field} must be a whole number from {min} to {max}"),
                    )
                }),
        }
    };
    if let Some(n) = number("baseCooldownSecs", 1, 86_400)? {
        s.base_cooldown_secs = n;
    }
    if let Some(n) = number("maxBackoffSteps", 0, 20)? {
        s.max_backoff_steps = n as u32;
    }
    if let Some(n) = number("breakerThreshold", 1, 1000)? {
        s.breaker_threshold = n as u32;
    }
    if let Some(n) = number("breakerResetSecs", 1, 86_400)? {
        s.breaker_reset_secs = n;
    }
    if let Some(v) = map.get("useUpstreamHints") {
        s.use_upstream_hints = v.as_bool().ok_or_else(|| {
            ApiError::bad_request("invalid_field", "useUpstreamHints must be true or false")
        })?;
    }
    let stored = serde_json::to_string(&s).map_err(|e| ApiError::Internal(e.into()))?;
    store::kv::set(system.app.db(), KV_NAMESPACE, KV_KEY, &stored)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    system.app.resilience().set_settings(s);
    Ok(Json(s))
}
