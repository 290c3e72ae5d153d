//! `/api/usage/budget`: spending limits per API key. `POST {"keyId","limit","period"?,
//! "warningThreshold"?}` sets (or replaces) a key's budget (`period` daily | weekly | monthly,
//! default monthly; `warningThreshold` 0-1, default 0.8); `GET` lists every budget with its
//! current spend; `DELETE ?keyId=` removes one.
//!
//! Periods are UTC days, ISO weeks (from Monday) and calendar months. A key whose spend in the
//! current period is at or above its limit gets 429 on /v1 until the period resets.

use super::body::JsonBody;
use super::usage::param;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::budgets as store;
use crate::usage::budget::{BudgetConfig, Period};
use crate::usage::{iso, iso_ms, now_ms};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::Json;
use entity::budgets::Model;
use serde_json::{json, Value};
use std::collections::HashMap;

fn view(state: &AppState, row: &Model, key_name: Option<&str>) -> Value {
    let config = store::config_of(row);
    let now = now_ms();
    let spent = state
        .usage()
        .budgets()
        .spent(&row.api_key_id, config.period, now);
    let (start, end) = config.period.bounds(now);
    json!({
        "keyId": row.api_key_id,
        "keyName": key_name,
        "limit": config.limit,
        "period": config.period.as_str(),
        "warningThreshold": config.warning_threshold,
        "spent": spent,
        "remaining": (config.limit - spent).max(0.0),
        "periodStart": iso_ms(start),
        "resetsAt": iso_ms(end),
        "warning": spent >= config.warning_threshold * config.limit,
        "exceeded": spent >= config.limit,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
    })
}

async fn key_names(state: &AppState) -> Result<HashMap<String, String>, ApiError> {
    Ok(crate::store::api_keys::list(state.db())
        .await?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect())
}

pub(super) async fn set(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let key_id = body.required_string("keyId")?;
    let limit = match body.number("limit")? {
        Some(v) if v > 0.0 => v,
        Some(v) => {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("limit must be an amount in USD above 0 (got {v})"),
            ))
        }
        None => {
            return Err(ApiError::bad_request(
                "missing_field",
                "limit is required (USD per period, e.g. 50)",
            ))
        }
    };
    let period = match body.string("period")? {
        None => Period::Monthly,
        Some(p) => Period::parse(&p).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_field",
                format!("period must be daily, weekly or monthly (got {p:?})"),
            )
        })?,
    };
    let warning_threshold = match body.number("warningThreshold")? {
        None => 0.8,
        Some(v) if (0.0..=1.0).contains(&v) => v,
        Some(v) => {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("warningThreshold must be between 0 and 1, e.g. 0.8 for 80% (got {v})"),
            ))
        }
    };
    let key = crate::store::api_keys::get(state.db(), &key_id).await?;
    let config = BudgetConfig {
        limit,
        period,
        warning_threshold,
    };
    let row = store::upsert(state.db(), &key_id, &config).await?;
    state.usage().budgets().set(&key_id, config);
    Ok(Json(
        json!({ "budget": view(&state, &row, Some(&key.name)) }),
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let names = key_names(&state).await?;
    let only = param(&q, "keyId");
    let rows = store::list(state.db()).await?;
    let budgets: Vec<Value> = rows
        .iter()
        .filter(|r| only.is_none_or(|k| k == r.api_key_id))
        .map(|r| view(&state, r, names.get(&r.api_key_id).map(String::as_str)))
        .collect();
    Ok(Json(json!({ "budgets": budgets })))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let key_id = param(&q, "keyId")
        .ok_or_else(|| ApiError::bad_request("missing_field", "keyId is required (?keyId=)"))?;
    if !store::delete(state.db(), key_id).await? {
        return Err(ApiError::not_found(
            "budget_not_found",
            format!("API key {key_id} has no budget"),
        ));
    }
    state.usage().budgets().remove(key_id);
    Ok(Json(json!({ "deleted": true, "keyId": key_id })))
}
