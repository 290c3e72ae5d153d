//! `/api/settings/logging`: `{"recordBodies": bool, "retentionDays": n, "maxBodyBytes": n}`.
//! `GET` reads, `PUT` replaces (absent fields take their defaults: off, 7 days, 64 KiB),
//! `PATCH` changes the given fields. Takes effect at once: the next request reads the new
//! settings from memory (see `crate::usage::bodies`).

use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::state::AppState;
use crate::usage::bodies::{LoggingSettings, KV_KEY, MAX_BODY_BYTES_LIMIT, MAX_RETENTION_DAYS};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::Method;
use axum::Json;
use serde_json::{json, Value};

fn view(s: &LoggingSettings) -> Value {
    json!({
        "recordBodies": s.record_bodies,
        "retentionDays": s.retention_days,
        "maxBodyBytes": s.max_body_bytes,
    })
}

pub async fn get_settings(State(state): State<AppState>) -> Json<Value> {
    Json(view(&state.usage().logging().get()))
}

pub async fn put_settings(
    State(state): State<AppState>,
    method: Method,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = if method == Method::PATCH {
        state.usage().logging().get()
    } else {
        LoggingSettings::default()
    };
    if let Some(v) = body.boolean("recordBodies")? {
        s.record_bodies = v;
    }
    if let Some(v) = body.integer_in("retentionDays", 1, i64::from(MAX_RETENTION_DAYS))? {
        s.retention_days = u32::try_from(v).unwrap_or(MAX_RETENTION_DAYS);
    }
    if let Some(v) = body.integer_in("maxBodyBytes", 0, MAX_BODY_BYTES_LIMIT as i64)? {
        s.max_body_bytes = usize::try_from(v).unwrap_or(MAX_BODY_BYTES_LIMIT);
    }
    crate::store::kv::set_json(state.db(), "settings", KV_KEY, &s).await?;
    state.usage().logging().set(s);
    Ok(Json(view(&s)))
}
