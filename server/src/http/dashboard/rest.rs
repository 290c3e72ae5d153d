//! Server functions that change or read something the REST API already serves call its
//! handlers in-process (`/api/...` on the management and system routers, without the auth
//! layer: server functions sit behind the dashboard login already). One source of truth per
//! action: the dashboard and the REST API validate, store and reload alike.

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use serde_json::Value;
use tower::ServiceExt;

/// The largest answer read back (usage logs and exports of a page are well below this).
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// Calls `path` on the API router. Answers the JSON body of a success (`null` for an empty
/// one), or the API's `message` (already worded for people) of a refusal.
pub(super) async fn call(
    api: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    if !path.starts_with("/api/") || path.contains("..") {
        return Err(format!("{path} is not a management API path."));
    }
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(match body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        })
        .map_err(|e| super::internal(&anyhow::Error::new(e)))?;
    let response = match api.clone().oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), MAX_ANSWER)
        .await
        .map_err(|e| super::internal(&anyhow::Error::new(e)))?;
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(value);
    }
    match value.get("message").and_then(Value::as_str) {
        Some(message) => Err(sentence(message)),
        None => Err(format!("The server refused the request (HTTP {status}).")),
    }
}

/// `an API key named "x" already exists` → `An API key named "x" already exists.`
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "The server refused the request.".to_string(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A method name from a server function (`"GET"`, `"post"`…).
pub(super) fn method(name: &str) -> Result<Method, String> {
    Method::from_bytes(name.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("{name} is not an HTTP method."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("an API key named \"x\" already exists"),
            "An API key named \"x\" already exists."
        );
        assert_eq!(sentence("done."), "Done.");
        assert!(method("patch").is_ok());
        assert!(method("no such").is_err());
    }
}
