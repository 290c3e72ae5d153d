//! `/api/settings/proxy`: outbound proxies for upstream calls (see `crate::outbound`).
//!
//! - `GET` → `{"global": {"url"}, "perProvider": {"<provider>": {"url"}}, "noProxy": [...]}`,
//!   passwords in URLs shown as `****` (a PUT that sends `****` back keeps the stored one).
//!   Stored sealed with STORAGE_ENCRYPTION_KEY.
//! - `PUT` replaces them: `global` and each `perProvider` entry are `{"url": "..."}`, a bare
//!   URL string, or `null` (no global proxy; for a provider: direct even with a global proxy).
//!   Providers are named by id or prefix (built-in) or custom node id. Every URL is checked
//!   (scheme http/https/socks5/socks5h, host, port): a bad one is a 400 naming its field.
//! - `POST /api/settings/proxy/test {"url", "target"?}` fetches `target` (default
//!   [`DEFAULT_TARGET`]) through the proxy and answers `{ok, status, latencyMs, error}`.

use crate::http::error::ApiError;
use crate::outbound::{self, ProxyRef, ProxySettings};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use gateway::providers::Registry;
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

pub const DEFAULT_TARGET: &str = "https://www.gstatic.com/generate_204";
const TEST_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_NO_PROXY: usize = 200;

fn invalid(field: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request("invalid_field", format!("{field}: {why}"))
}

/// The settings as shown: passwords in proxy URLs masked (see [`outbound::masked`]).
fn view(s: &ProxySettings) -> Value {
    let shown = |r: &ProxyRef| r.url.as_deref().map(outbound::masked);
    json!({
        "global": { "url": shown(&s.global) },
        "perProvider": s.per_provider.iter().map(|(k, v)| (k.clone(), json!({ "url": shown(v) }))).collect::<Map<String, Value>>(),
        "noProxy": s.no_proxy,
    })
}

fn object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::bad_request(
            "invalid_body",
            "the request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::bad_request(
            "invalid_body",
            format!("the request body is not valid JSON: {e}"),
        )),
    }
}

/// `{"url": ...}`, a URL string, or null; a masked password is restored from `previous`.
fn proxy_ref(field: &str, v: &Value, previous: Option<&str>) -> Result<ProxyRef, ApiError> {
    let url = match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => match m.get("url") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(invalid(&format!("{field}.url"), "must be a string or null")),
        },
        _ => {
            return Err(invalid(
                field,
                "must be {\"url\": \"http://host:port\"}, a URL string, or null",
            ))
        }
    };
    match url {
        Some(u) if !u.trim().is_empty() => {
            let url = outbound::validate_url(&u).map_err(|e| invalid(field, e))?;
            Ok(ProxyRef {
                url: Some(outbound::unmasked(url, previous).map_err(|e| invalid(field, e))?),
            })
        }
        _ => Ok(ProxyRef { url: None }),
    }
}

fn provider_id(state: &AppState, given: &str) -> Option<String> {
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

pub async fn get_settings(State(state): State<AppState>) -> Json<Value> {
    Json(view(&state.outbound().settings()))
}

pub async fn put_settings(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = object(&body)?;
    let old = state.outbound().settings();
    let mut s = ProxySettings::default();
    if let Some(v) = body.get("global") {
        s.global = proxy_ref("global", v, old.global.url.as_deref())?;
    }
    match body.get("perProvider") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (given, v) in m {
                let field = format!("perProvider.{given}");
                let id = provider_id(&state, given).ok_or_else(|| {
                    invalid(
                        &field,
                        format!("{given:?} is not a known provider: use a provider id or prefix from GET /api/models/catalog or a custom node id"),
                    )
                })?;
                let previous = old.per_provider.get(&id).and_then(|p| p.url.as_deref());
                let proxy = proxy_ref(&field, v, previous)?;
                s.per_provider.insert(id, proxy);
            }
        }
        Some(_) => {
            return Err(invalid(
                "perProvider",
                "must be an object of provider → {\"url\"}",
            ))
        }
    }
    match body.get("noProxy") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            if items.len() > MAX_NO_PROXY {
                return Err(invalid(
                    "noProxy",
                    format!("at most {MAX_NO_PROXY} entries"),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                let host = item
                    .as_str()
                    .map(str::trim)
                    .filter(|h| {
                        !h.is_empty()
                            && h.len() <= 253
                            && h.chars().all(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/' | '*' | '_')
                            })
                    })
                    .ok_or_else(|| {
                        invalid(
                            &format!("noProxy[{i}]"),
                            "must be a host, .domain, IP or CIDR (e.g. localhost, .internal.example, 10.0.0.0/8)",
                        )
                    })?;
                s.no_proxy.push(host.to_string());
            }
        }
        Some(_) => return Err(invalid("noProxy", "must be a list of hosts")),
    }
    outbound::save(
        state.db(),
        &crate::http::manage::providers::secrets(&state),
        &s,
    )
    .await?;
    state.outbound().set(s.clone());
    Ok(Json(view(&s)))
}

pub async fn test(State(_): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body = object(&body)?;
    let url = match body.get("url") {
        Some(Value::String(u)) => outbound::validate_url(u).map_err(|e| invalid("url", e))?,
        None | Some(Value::Null) => {
            return Err(ApiError::bad_request(
                "missing_field",
                "url is required: the proxy to test, e.g. http://127.0.0.1:8080",
            ))
        }
        Some(_) => return Err(invalid("url", "must be a string")),
    };
    let target = match body.get("target") {
        None | Some(Value::Null) => DEFAULT_TARGET.to_string(),
        Some(Value::String(t)) => match reqwest::Url::parse(t.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u.to_string(),
            _ => return Err(invalid("target", "must be an http(s) URL")),
        },
        Some(_) => return Err(invalid("target", "must be a string")),
    };
    let client = outbound::build_client(Some(&url), &[])
        .map_err(|e| invalid("url", format!("unusable proxy: {e}")))?;
    let started = Instant::now();
    let result = client.get(&target).timeout(TEST_TIMEOUT).send().await;
    let latency = started.elapsed().as_millis() as u64;
    Ok(Json(match result {
        Ok(resp) => {
            let status = resp.status();
            let ok = status.is_success() || status.is_redirection();
            json!({
                "ok": ok,
                "url": url,
                "target": target,
                "status": status.as_u16(),
                "latencyMs": latency,
                "error": (!ok).then(|| format!("the proxy answered HTTP {status}")),
            })
        }
        Err(e) => json!({
            "ok": false,
            "url": url,
            "target": target,
            "status": null,
            "latencyMs": latency,
            "error": error_chain(&e),
        }),
    }))
}

/// The error and its causes, without the request URL.
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        format!("no answer within {} s", TEST_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        "the request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
