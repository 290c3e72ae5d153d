//! Calling the REST API's handlers in-process (`/api/...` of the management and system
//! routers, without the dashboard gate: the MCP and A2A callers were authorised by their key
//! and scopes already). One source of truth per action: a tool validates, stores and reloads
//! exactly like the REST endpoint it stands for.

use crate::http::system::SystemState;
use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::Value;
use tower::ServiceExt;

/// The largest answer read back.
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// A refusal of the REST API: its status, stable code and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}, {})", self.message, self.status, self.code)
    }
}

/// Calls `path_and_query` on the API router; the JSON body of a success (`null` when empty).
pub async fn call(
    system: &SystemState,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
) -> Result<Value, ApiFailure> {
    let internal = |message: String| ApiFailure {
        status: 500,
        code: "internal".into(),
        message,
    };
    if !path_and_query.starts_with("/api/") || path_and_query.contains("..") {
        return Err(internal(format!("{path_and_query} is not an API path")));
    }
    let router = crate::http::manage::routes(system.app.clone())
        .merge(crate::http::system::routes(system.clone()));
    let request = Request::builder()
        .method(method)
        .uri(path_and_query)
        .header("content-type", "application/json")
        .body(match body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        })
        .map_err(|e| internal(format!("building the request: {e}")))?;
    let response = match router.oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), MAX_ANSWER)
        .await
        .map_err(|e| internal(format!("reading the answer: {e}")))?;
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(value);
    }
    Err(ApiFailure {
        status: status.as_u16(),
        code: value
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("error")
            .to_string(),
        message: value
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("the API answered HTTP {status}")),
    })
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
