//! Calling the REST API's handlers in-process (`/api/...` of the management and system
//! routers, without the dashboard gate: the MCP and A2A callers were authorised by their key
//! and scopes already). One source of truth per action: a tool validates, stores and reloads
//! exactly like the REST endpoint it stands for.

use crate::http::system::SystemState;
use axum::http::Method;
use serde_json::Value;

pub use crate::http::inprocess::ApiFailure;

/// Calls `path_and_query` on the API router; the JSON body of a success (`null` when empty).
pub async fn call(
    system: &SystemState,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
) -> Result<Value, ApiFailure> {
    let router = crate::http::api_routes(&system.app, system);
    crate::http::inprocess::call(router, method, path_and_query, body.as_ref()).await
}

/// `a b/c` → `a%20b%2Fc`, for path segments and query values.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from the pairs whose value is present (`?a=1&b=x`; empty when none).
pub fn query(pairs: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded_and_skip_missing_values() {
        assert_eq!(
            query(&[
                ("from", Some("2026-11-24".into())),
                ("model", None),
                ("q", Some("a b&c".into()))
            ]),
            "?from=2026-11-24&q=a%20b%26c"
        );
        assert_eq!(query(&[("x", None)]), "");
        assert_eq!(encode("openai/gpt-5"), "openai%2Fgpt-5");
    }
}
