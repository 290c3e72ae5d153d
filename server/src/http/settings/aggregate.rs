//! `GET /api/settings`: every settings namespace in one object, keyed by name
//! (`{"routing": {...}, "resilience": {...}, "ipAccess": {...}, "ai": {...}, ...}`).
//! `PATCH /api/settings`: a partial object of the same shape; each namespace present is sent to
//! that namespace's own `PUT /api/settings/<name>` handler, so validation is the same as there.
//! Unknown names are refused before anything changes; namespaces apply in the order listed in
//! [`NAMESPACES`], and a refusal names its namespace and which ones were already saved.
//!
//! A namespace whose endpoint does not exist in this build is left out of the GET.

use crate::http::error::ApiError;
use crate::http::system::SystemState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Json;
use serde_json::{Map, Value};

/// `(key in the aggregate, path under /api/settings/)`.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("general", "general"),
    ("appearance", "appearance"),
    ("ai", "ai"),
    ("security", "security"),
    ("ipAccess", "ip-access"),
    ("providerBlocking", "provider-blocking"),
    ("routing", "routing"),
    ("autoRouting", "auto-routing"),
    ("aliases", "aliases"),
    ("fallbackChains", "fallback-chains"),
    ("resilience", "resilience"),
    ("waitForCooldown", "wait-for-cooldown"),
    ("cache", "cache"),
    ("proxy", "proxy"),
    ("logging", "logging"),
    ("translator", "translator"),
];

/// Namespaces that describe rather than configure.
const READ_ONLY: &[&str] = &["general"];

/// Every `/api` route a namespace could live on (management and system routers).
fn api(system: &SystemState) -> axum::Router {
    crate::http::api_routes(&system.app, system)
}

/// The status and JSON answer of an in-process call (refusals as `{"error","message"}`).
async fn call(
    router: &axum::Router,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Result<(StatusCode, Value), ApiError> {
    match crate::http::inprocess::call(router.clone(), method, path, body).await {
        Ok(value) => Ok((StatusCode::OK, value)),
        Err(f) => Ok((
            StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            serde_json::json!({ "error": f.code, "message": f.message }),
        )),
    }
}

pub async fn get_all(State(system): State<SystemState>) -> Result<Json<Value>, ApiError> {
    let router = api(&system);
    let mut out = Map::new();
    for (key, path) in NAMESPACES {
        let (status, value) =
            call(&router, Method::GET, &format!("/api/settings/{path}"), None).await?;
        if status.is_success() {
            out.insert((*key).to_string(), value);
        } else if status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED {
            tracing::warn!("GET /api/settings/{path} answered {status} for the settings aggregate");
        }
    }
    Ok(Json(Value::Object(out)))
}

pub async fn patch_all(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let patch: Map<String, Value> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return Err(ApiError::bad_request(
                "invalid_body",
                "the request body must be a JSON object of settings namespaces",
            ))
        }
        Err(e) => {
            return Err(ApiError::bad_request(
                "invalid_json",
                format!("the request body is not valid JSON: {e}"),
            ))
        }
    };
    let router = api(&system);
    // Refuse unknown or unavailable namespaces and non-objects before changing anything.
    for (key, value) in &patch {
        let Some((_, path)) = NAMESPACES.iter().find(|(k, _)| k == key) else {
            let names: Vec<&str> = NAMESPACES.iter().map(|(k, _)| *k).collect();
            return Err(ApiError::bad_request(
                "invalid_field",
                format!(
                    "{key:?} is not a settings namespace (known: {})",
                    names.join(", ")
                ),
            ));
        };
        if READ_ONLY.contains(&key.as_str()) {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("{key} is read-only (it describes the storage)"),
            ));
        }
        if !value.is_object() {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("{key} must be an object of its settings"),
            ));
        }
        let (status, _) =
            call(&router, Method::GET, &format!("/api/settings/{path}"), None).await?;
        if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("{key}: this server has no /api/settings/{path}"),
            ));
        }
    }
    let mut saved: Vec<&str> = Vec::new();
    for (key, path) in NAMESPACES {
        let Some(value) = patch.get(*key) else {
            continue;
        };
        let (status, answer) = call(
            &router,
            Method::PUT,
            &format!("/api/settings/{path}"),
            Some(value),
        )
        .await?;
        if !status.is_success() {
            let message = answer
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("refused")
                .to_string();
            let already = if saved.is_empty() {
                String::from("nothing was changed")
            } else {
                format!("already saved: {}", saved.join(", "))
            };
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("{key}: {message} ({already})"),
            ));
        }
        saved.push(key);
    }
    get_all(State(system)).await
}
