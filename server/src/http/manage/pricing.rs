//! `/api/pricing`: USD per 1M tokens per provider and upstream model. `GET` lists (with
//! `?provider=`), `PUT` sets a price as a `user` row (`{"provider","model","input","output",
//! "cacheRead"?,"cacheWrite"?}`), `PATCH` changes the given fields of an existing price (or
//! creates one), `DELETE ?provider=&model=` removes a user price (the seed price, when the
//! registry has one, comes back). Seed rows cannot be deleted: override them with PUT.
//!
//! New prices apply to rows written from then on; recorded costs are not recomputed.

use super::body::JsonBody;
use super::usage::param;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::pricing::{self as store, Deletion};
use crate::usage::{iso, Price};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::Json;
use entity::pricing::Model;
use gateway::providers::Registry;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Most expensive accepted price per 1M tokens, to catch typos (per-token prices, cents).
const MAX_PRICE: f64 = 100_000.0;

fn view(row: &Model) -> Value {
    json!({
        "provider": row.provider,
        "model": row.model,
        "input": row.input,
        "output": row.output,
        "cacheRead": row.cache_read,
        "cacheWrite": row.cache_write,
        "source": row.source,
        "hasDefault": store::seed_price(&row.provider, &row.model).is_some(),
        "updatedAt": iso(row.updated_at),
    })
}

/// The provider id for a provider id or prefix (built-in) or custom node id or prefix.
fn canonical_provider(state: &AppState, given: &str) -> Option<String> {
    if let Some(p) = Registry::builtin().by_prefix(given) {
        return Some(p.id.to_string());
    }
    state
        .snapshot()
        .nodes
        .iter()
        .find(|n| n.id == given || n.prefix.eq_ignore_ascii_case(given))
        .map(|n| n.id.clone())
}

fn provider_of(state: &AppState, given: &str, field: &str) -> Result<String, ApiError> {
    canonical_provider(state, given).ok_or_else(|| {
        ApiError::bad_request(
            "unknown_provider",
            format!("{field} {given:?} is not a known provider: use a provider id or prefix from GET /api/models/catalog or a custom node from GET /api/provider-nodes"),
        )
    })
}

/// A price field: a number from 0 to MAX_PRICE, or null (unknown).
fn price_field(body: &JsonBody, field: &str) -> Result<Option<Option<f64>>, ApiError> {
    if !body.has(field) {
        return Ok(None);
    }
    match body.number(field)? {
        None => Ok(Some(None)),
        Some(v) if (0.0..=MAX_PRICE).contains(&v) => Ok(Some(Some(v))),
        Some(v) => Err(ApiError::bad_request(
            "invalid_field",
            format!("{field} must be a price in USD per 1M tokens from 0 to {MAX_PRICE} (got {v})"),
        )),
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let provider = param(&q, "provider")
        .map(|p| canonical_provider(&state, p).unwrap_or_else(|| p.to_string()));
    let rows = store::list(state.db(), provider.as_deref()).await?;
    Ok(Json(json!({
        "pricing": rows.iter().map(view).collect::<Vec<_>>(),
    })))
}

/// `PUT` (input and output required) and `PATCH` (given fields change) `/api/pricing`.
pub(super) async fn upsert(
    State(state): State<AppState>,
    method: Method,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let provider = provider_of(&state, &body.required_string("provider")?, "provider")?;
    let model = body.required_string("model")?;
    if model.chars().count() > 200 {
        return Err(ApiError::bad_request(
            "invalid_field",
            "model must have at most 200 characters",
        ));
    }
    let input = price_field(&body, "input")?;
    let output = price_field(&body, "output")?;
    let cache_read = price_field(&body, "cacheRead")?;
    let cache_write = price_field(&body, "cacheWrite")?;
    let existing = store::get(state.db(), &provider, &model).await?;
    let price = if method == Method::PATCH && existing.is_some() {
        let old = existing.as_ref().map(|r| Price {
            input: r.input,
            output: r.output,
            cache_read: r.cache_read,
            cache_write: r.cache_write,
        });
        let old = old.unwrap_or_default();
        Price {
            input: input.unwrap_or(old.input),
            output: output.unwrap_or(old.output),
            cache_read: cache_read.unwrap_or(old.cache_read),
            cache_write: cache_write.unwrap_or(old.cache_write),
        }
    } else {
        let required = |v: Option<Option<f64>>, field: &str| match v {
            Some(Some(p)) => Ok(Some(p)),
            _ => Err(ApiError::bad_request(
                "missing_field",
                format!("{field} is required (USD per 1M tokens)"),
            )),
        };
        Price {
            input: required(input, "input")?,
            output: required(output, "output")?,
            cache_read: cache_read.flatten(),
            cache_write: cache_write.flatten(),
        }
    };
    let row = store::upsert_user(state.db(), &provider, &model, &price).await?;
    state.usage().reload_prices(state.db()).await?;
    Ok(Json(json!({ "pricing": view(&row) })))
}

/// `DELETE /api/pricing?provider=&model=`.
pub(super) async fn delete(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let missing = |name: &str| {
        ApiError::bad_request(
            "missing_field",
            format!("{name} is required (?provider=&model=)"),
        )
    };
    let given = param(&q, "provider").ok_or_else(|| missing("provider"))?;
    let model = param(&q, "model").ok_or_else(|| missing("model"))?;
    let provider = canonical_provider(&state, given).unwrap_or_else(|| given.to_string());
    match store::delete_user(state.db(), &provider, model).await? {
        Deletion::NotFound => Err(ApiError::not_found(
            "price_not_found",
            format!("no price for {provider}/{model}"),
        )),
        Deletion::IsSeed => Err(ApiError::conflict(
            "seed_price",
            format!("the price of {provider}/{model} comes from the built-in registry and cannot be deleted; change it with PUT /api/pricing"),
        )),
        Deletion::Deleted(fallback) => {
            state.usage().reload_prices(state.db()).await?;
            Ok(Json(json!({
                "deleted": true,
                "pricing": fallback.as_ref().map(view),
            })))
        }
    }
}
