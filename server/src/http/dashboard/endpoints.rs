//! What the Endpoints and CLI Tools pages learn from the request: this server's base URL as
//! the browser reached it, whether the browser sits on this machine, and the key policy.

use crate::config::Config;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use serde_json::Value;
use std::net::{IpAddr, SocketAddr};

/// A Host header worth echoing into URLs and config files: a name or address and a port,
/// nothing that could break out of a URL or a JSON/TOML string.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'))
}

/// The base URL from the request's headers (Host, and X-Forwarded-Proto behind an HTTPS
/// proxy), else from the listen address.
pub(super) fn base_url_from(headers: &HeaderMap, config: &Config) -> String {
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
    {
        Some(p) if p == "https" => "https",
        _ => "http",
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| valid_host(h));
    match host {
        Some(h) => format!("{scheme}://{h}"),
        None => {
            let ip = if config.host.is_unspecified() {
                "localhost".to_string()
            } else {
                match config.host {
                    IpAddr::V6(v6) => format!("[{v6}]"),
                    IpAddr::V4(v4) => v4.to_string(),
                }
            };
            format!("http://{ip}:{}", config.port)
        }
    }
}

pub(super) async fn base_url(state: &AppState) -> String {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    base_url_from(&headers, state.config())
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Ok when the browser runs on this machine: the peer is a loopback address and no proxy
/// header names anyone else. "Apply" writes files on this machine, so only its user may.
pub(super) fn local_only(peer: Option<SocketAddr>, headers: &HeaderMap) -> Result<(), String> {
    const REFUSED: &str = "Apply writes configuration files on the machine OmniRoute runs on, so it works only when the dashboard is opened on that machine (http://localhost). Copy the configuration above instead.";
    let Some(peer) = peer else {
        return Err(REFUSED.to_string());
    };
    if !is_loopback(peer.ip()) {
        return Err(REFUSED.to_string());
    }
    // A reverse proxy on this machine connects from loopback on behalf of someone else.
    let forwarded = ["x-forwarded-for", "x-real-ip", "forwarded"]
        .iter()
        .any(|name| headers.contains_key(*name));
    if forwarded {
        return Err(REFUSED.to_string());
    }
    Ok(())
}

pub(super) async fn check_local() -> Result<(), String> {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(addr)| addr);
    local_only(peer, &headers)
}

/// Whether /v1 needs a key, and why, in words.
pub(super) fn key_policy(config: &Config) -> (bool, String) {
    let required = config.api_key_required();
    let why = match config.require_api_key {
        Some(true) => "Every /v1 request needs an API key (REQUIRE_API_KEY=true).".to_string(),
        Some(false) => "No API key is needed (REQUIRE_API_KEY=false). A key that is sent must still be valid.".to_string(),
        None if config.listens_beyond_loopback() => format!(
            "Every /v1 request needs an API key: the server listens on {}, beyond this machine.",
            config.host
        ),
        None => format!(
            "No API key is needed while the server listens on {} (this machine only); set REQUIRE_API_KEY=true to always require one. A key that is sent must still be valid.",
            config.host
        ),
    };
    (required, why)
}

/// The ids `GET /v1/models` lists now, from that very handler.
pub(super) async fn model_ids(state: &AppState) -> Result<Vec<String>, String> {
    let response = crate::http::v1::models::list_openai(State(state.clone())).await;
    let bytes = axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024)
        .await
        .map_err(|e| super::internal(&anyhow::Error::new(e)))?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| super::internal(&anyhow::Error::new(e)))?;
    Ok(value
        .get("data")
        .and_then(Value::as_array)
        .map(|data| {
            data.iter()
                .filter_map(|m| m.get("id").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(*k, v);
            }
        }
        h
    }

    #[test]
    fn loopback_only() {
        let local: SocketAddr = ([127, 0, 0, 1], 5000).into();
        let remote: SocketAddr = ([192, 168, 1, 9], 5000).into();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap_or(local);
        assert!(local_only(Some(local), &HeaderMap::new()).is_ok());
        assert!(local_only(Some(mapped), &HeaderMap::new()).is_ok());
        assert!(local_only(Some(remote), &HeaderMap::new()).is_err());
        assert!(local_only(None, &HeaderMap::new()).is_err());
        let proxied = headers(&[("x-forwarded-for", "203.0.113.5")]);
        assert!(local_only(Some(local), &proxied).is_err());
    }

    #[test]
    fn hosts() {
        assert!(valid_host("localhost:20128"));
        assert!(valid_host("[::1]:20128"));
        assert!(!valid_host("evil\"host"));
        assert!(!valid_host("a/b"));
        assert!(!valid_host(""));
    }
}
