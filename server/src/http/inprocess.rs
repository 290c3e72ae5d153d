//! Calling the REST API's handlers in-process (`/api/...` on [`super::api_routes`], without the
//! login gate): the dashboard's server functions, `PATCH /api/settings`, and the MCP and A2A
//! tools (whose callers were authorised by their key and scopes already) all change things
//! through the same handlers as the REST API — one source of truth per action.

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use serde_json::Value;
use tower::ServiceExt;

/// The largest answer read back (usage logs and exports of a page are well below this).
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

/// Calls `path_and_query` on `router`; the JSON body of a success (`null` when empty).
pub async fn call(
    router: Router,
    method: Method,
    path_and_query: &str,
    body: Option<&Value>,
) -> Result<Value, ApiFailure> {
    let internal = |message: String| ApiFailure {
        status: 500,
        code: "internal".into(),
        message,
    };
    if !path_and_query.starts_with("/api/") || path_and_query.contains("..") {
        return Err(internal(format!("{path_and_query} is not an API path")));
    }
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
