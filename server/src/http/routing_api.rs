//! The routing settings and records under `/api` (behind the dashboard login):
//!
//! - `GET/PUT /api/settings/auto-routing` `{"weights":{..},"blacklist":[..],"poolSize","exploration"}`
//! - `GET/PUT /api/settings/aliases` `[{"pattern":"claude-sonnet-*","target":"..."}]`
//!   (or `{"aliases":[..]}`)
//! - `GET/PUT /api/settings/fallback-chains` `{"<model>":["m2","m3"]}`
//! - `GET/PUT /api/settings/provider-blocking` `{"blocked":["provider-id",..]}`
//! - `GET/PUT /api/settings/wait-for-cooldown` `{"enabled","maxWaitSecs"}`
//! - `GET /api/routing/decisions[?limit]`, `GET /api/routing/decisions/{id}`
//! - `POST /api/routing/test` `{"model","prompt"?}`: a short chat through the real proxy,
//!   answered with the route it took (the Combos page's "test").
//!
//! Every PUT is validated whole (a bad entry → 400 naming it), stored in `key_value` and
//! applied at once.

use super::error::ApiError;
use super::manage::body::JsonBody;
use crate::routing::aliases::{self, Alias, AliasTable};
use crate::routing::policy::{
    AutoSettings, Blocking, WaitSettings, Weights, KEY_ALIASES, KEY_AUTO, KEY_BLOCKING, KEY_CHAINS,
    KEY_WAIT, KV_NAMESPACE, MAX_POOL, MAX_WAIT_SECS,
};
use crate::routing::route::{DECISION_HEADER, MAX_CHAIN};
use crate::state::AppState;
use crate::store;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use gateway::providers::Registry;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(
            "/api/settings/auto-routing",
            get(get_auto).put(put_auto).patch(put_auto),
        )
        .route("/api/settings/aliases", get(get_aliases).put(put_aliases))
        .route(
            "/api/settings/fallback-chains",
            get(get_chains).put(put_chains),
        )
        .route(
            "/api/settings/provider-blocking",
            get(get_blocking).put(put_blocking),
        )
        .route(
            "/api/settings/wait-for-cooldown",
            get(get_wait).put(put_wait).patch(put_wait),
        )
        .route("/api/routing/decisions", get(list_decisions))
        .route("/api/routing/decisions/{id}", get(get_decision))
        .route("/api/routing/test", post(test_route))
        .with_state(state)
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_field", message)
}

async fn save<T: serde::Serialize>(state: &AppState, key: &str, value: &T) -> Result<(), ApiError> {
    store::kv::set_json(state.db(), KV_NAMESPACE, key, value)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// The provider id for a provider id or prefix (built-in) or custom node id or prefix.
fn provider_id(state: &AppState, name: &str) -> Option<String> {
    let registry = Registry::builtin();
    if let Some(p) = registry.get(name).or_else(|| registry.by_prefix(name)) {
        return Some(p.id.to_string());
    }
    state
        .snapshot()
        .nodes
        .iter()
        .find(|n| n.id == name || n.prefix.eq_ignore_ascii_case(name))
        .map(|n| n.id.clone())
}

fn provider_list(state: &AppState, field: &str, value: &Value) -> Result<Vec<String>, ApiError> {
    let items = value
        .as_array()
        .ok_or_else(|| invalid(format!("{field} must be an array of provider ids")))?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = item
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid(format!("{field}[{i}] must be a provider id")))?;
        let id = provider_id(state, name).ok_or_else(|| {
            invalid(format!(
                "{field}[{i}]: {name:?} is not a known provider or custom node (GET /api/providers/catalog lists them)"
            ))
        })?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

// ---- auto-routing -------------------------------------------------------------------------

fn auto_view(s: &AutoSettings) -> Value {
    json!({
        "weights": s.weights,
        "blacklist": s.blacklist,
        "poolSize": s.pool_size,
        "exploration": s.exploration,
        "variants": crate::routing::auto::Variant::ALL.map(|v| v.name()),
    })
}

async fn get_auto(State(state): State<AppState>) -> Json<Value> {
    Json(auto_view(&state.routing().policy().auto))
}

async fn put_auto(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let raw: Map<String, Value> = serde_json::from_slice(&bytes).unwrap_or_default();
    let mut s = state.routing().policy().auto.clone();
    if let Some(w) = raw.get("weights") {
        let w = w
            .as_object()
            .ok_or_else(|| invalid("weights must be an object"))?;
        let mut weights: Weights = s.weights;
        for (name, value) in w {
            let slot = weights.get_mut(name).ok_or_else(|| {
                invalid(format!(
                    "weights.{name} is not a factor; use {}",
                    Weights::FIELDS.join(", ")
                ))
            })?;
            let v = value
                .as_f64()
                .filter(|v| (0.0..=100.0).contains(v))
                .ok_or_else(|| invalid(format!("weights.{name} must be a number from 0 to 100")))?;
            *slot = v;
        }
        s.weights = weights;
    }
    if let Some(list) = raw.get("blacklist") {
        s.blacklist = provider_list(&state, "blacklist", list)?;
    }
    if let Some(n) = body.integer_in("poolSize", 1, MAX_POOL as i64)? {
        s.pool_size = n as usize;
    }
    if let Some(x) = body.number("exploration")? {
        if !(0.0..=1.0).contains(&x) {
            return Err(invalid("exploration must be a number from 0 to 1"));
        }
        s.exploration = x;
    }
    save(&state, KEY_AUTO, &s).await?;
    state.routing().update(|p| p.auto = s.clone());
    Ok(Json(auto_view(&s)))
}

// ---- aliases ------------------------------------------------------------------------------

fn aliases_view(table: &AliasTable) -> Value {
    json!({ "aliases": table.saved() })
}

async fn get_aliases(State(state): State<AppState>) -> Json<Value> {
    Json(aliases_view(&state.routing().policy().aliases))
}

fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the request body is empty; send JSON",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!("the request body is not valid JSON: {e}"),
        )
    })
}

async fn put_aliases(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, ApiError> {
    let value = parse_json(&bytes)?;
    let list = match &value {
        Value::Array(a) => a.clone(),
        Value::Object(o) => match o.get("aliases") {
            Some(Value::Array(a)) => a.clone(),
            _ => {
                return Err(invalid(
                    "send an array of {\"pattern\",\"target\"} or {\"aliases\":[...]}",
                ))
            }
        },
        _ => return Err(invalid("send an array of {\"pattern\",\"target\"}")),
    };
    if list.len() > aliases::MAX_ALIASES {
        return Err(invalid(format!("at most {} aliases", aliases::MAX_ALIASES)));
    }
    let mut saved: Vec<Alias> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let field = |name: &str| {
            item.get(name)
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string())
                .ok_or_else(|| invalid(format!("aliases[{i}].{name} must be a string")))
        };
        let alias = Alias {
            pattern: field("pattern")?,
            target: field("target")?,
        };
        aliases::validate(&alias).map_err(|e| invalid(format!("aliases[{i}]: {e}")))?;
        if saved.iter().any(|a| a.pattern == alias.pattern) {
            return Err(invalid(format!(
                "aliases[{i}]: pattern {:?} appears twice",
                alias.pattern
            )));
        }
        saved.push(alias);
    }
    save(&state, KEY_ALIASES, &saved).await?;
    let table = AliasTable::new(saved);
    state.routing().update(|p| p.aliases = table.clone());
    Ok(Json(aliases_view(&table)))
}

// ---- fallback chains ----------------------------------------------------------------------

async fn get_chains(State(state): State<AppState>) -> Json<BTreeMap<String, Vec<String>>> {
    Json(state.routing().policy().chains.clone())
}

async fn put_chains(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<BTreeMap<String, Vec<String>>>, ApiError> {
    let value = parse_json(&bytes)?;
    let map = value
        .as_object()
        .ok_or_else(|| invalid("send an object {\"<model>\": [\"fallback\", ...]}"))?;
    if map.len() > 1000 {
        return Err(invalid("at most 1000 fallback chains"));
    }
    let mut chains = BTreeMap::new();
    for (model, list) in map {
        let model = model.trim();
        if model.is_empty() {
            return Err(invalid("a fallback chain needs a model name as its key"));
        }
        let items = list.as_array().ok_or_else(|| {
            invalid(format!(
                "{model}: the chain must be an array of model names"
            ))
        })?;
        if items.len() > MAX_CHAIN {
            return Err(invalid(format!(
                "{model}: a chain has at most {MAX_CHAIN} models"
            )));
        }
        let mut chain: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let m = item
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| invalid(format!("{model}[{i}] must be a model or combo name")))?;
            if m == model {
                return Err(invalid(format!(
                    "{model}[{i}]: a chain cannot name its own model"
                )));
            }
            if !chain.iter().any(|c| c == m) {
                chain.push(m.to_string());
            }
        }
        if !chain.is_empty() {
            chains.insert(model.to_string(), chain);
        }
    }
    save(&state, KEY_CHAINS, &chains).await?;
    state.routing().update(|p| p.chains = chains.clone());
    Ok(Json(chains))
}

// ---- provider blocking --------------------------------------------------------------------

async fn get_blocking(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "blocked": state.routing().policy().blocked }))
}

async fn put_blocking(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    JsonBody::parse(&bytes)?;
    let raw: Map<String, Value> = serde_json::from_slice(&bytes).unwrap_or_default();
    let blocked = match raw.get("blocked") {
        Some(list) => provider_list(&state, "blocked", list)?,
        None => return Err(invalid("blocked is required: an array of provider ids")),
    };
    let stored = Blocking {
        blocked: blocked.clone(),
    };
    save(&state, KEY_BLOCKING, &stored).await?;
    state.routing().update(|p| p.blocked = blocked.clone());
    Ok(Json(json!({ "blocked": blocked })))
}

// ---- wait-for-cooldown --------------------------------------------------------------------

async fn get_wait(State(state): State<AppState>) -> Json<WaitSettings> {
    Json(state.routing().policy().wait)
}

async fn put_wait(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<WaitSettings>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let mut s = state.routing().policy().wait;
    if let Some(b) = body.boolean("enabled")? {
        s.enabled = b;
    }
    if let Some(n) = body.integer_in("maxWaitSecs", 1, MAX_WAIT_SECS as i64)? {
        s.max_wait_secs = n as u64;
    }
    save(&state, KEY_WAIT, &s).await?;
    state.routing().update(|p| p.wait = s);
    Ok(Json(s))
}

// ---- decisions ----------------------------------------------------------------------------

async fn list_decisions(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = match q.get("limit") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=crate::routing::decisions::CAPACITY).contains(n))
            .ok_or_else(|| {
                invalid(format!(
                    "limit must be a whole number from 1 to {}",
                    crate::routing::decisions::CAPACITY
                ))
            })?,
        None => 50,
    };
    let decisions: Vec<Value> = state
        .routing()
        .decisions()
        .recent(limit)
        .iter()
        .map(|d| d.summary())
        .collect();
    Ok(Json(json!({
        "decisions": decisions,
        "kept": state.routing().decisions().len(),
        "capacity": crate::routing::decisions::CAPACITY,
    })))
}

async fn get_decision(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = state.routing().decisions().get(&id).ok_or_else(|| {
        ApiError::not_found(
            "decision_not_found",
            format!(
                "no decision {id:?} is kept (the newest {} are)",
                crate::routing::decisions::CAPACITY
            ),
        )
    })?;
    Ok(Json(json!({ "decision": d })))
}

// ---- test a route -------------------------------------------------------------------------

/// `POST /api/routing/test {"model","prompt"?}`: a short, uncached chat through the proxy.
async fn test_route(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, ApiError> {
    use crate::http::v1::proxy::{self, Ingress};
    use crate::http::v1::Caller;
    let body = JsonBody::parse(&bytes)?;
    let model = body.required_string("model")?;
    let prompt = body
        .string("prompt")?
        .unwrap_or_else(|| "Say hello in five words.".to_string());
    if prompt.chars().count() > 4000 {
        return Err(invalid("prompt is at most 4000 characters"));
    }
    let request = json!({
        "model": model,
        "max_tokens": 64,
        "stream": false,
        "messages": [{ "role": "user", "content": prompt }],
    });
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        "x-omniroute-no-cache",
        axum::http::HeaderValue::from_static("true"),
    );
    let ingress = Ingress::new(
        gateway::Format::OpenAiChat,
        Bytes::from(request.to_string()),
        Caller(None),
    );
    let started = std::time::Instant::now();
    let response = proxy::handle(state.clone(), ingress, headers).await;
    let status = response.status().as_u16();
    let answer_headers = response.headers().clone();
    let header = |name: &str| {
        answer_headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let decision_id = header(DECISION_HEADER);
    let provider = header("x-omniroute-provider");
    let upstream_model = header("x-omniroute-model");
    let bytes = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading the answer: {e}")))?;
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let text = answer["choices"][0]["message"]["content"]
        .as_str()
        .map(str::to_string);
    let error = answer["error"]["message"].as_str().map(str::to_string);
    let decision = decision_id
        .as_deref()
        .and_then(|id| state.routing().decisions().get(id));
    Ok(Json(json!({
        "status": status,
        "ok": (200..300).contains(&status),
        "text": text,
        "error": error,
        "provider": provider,
        "model": upstream_model,
        "latencyMs": started.elapsed().as_millis() as u64,
        "decisionId": decision_id,
        "decision": decision,
    })))
}
