//! Dedicated provider routes: `/v1/providers/{provider}/chat/completions`, `/embeddings`,
//! `/images/generations` and `/models`. The provider's prefix is added to the model when it
//! is missing; a model of another provider is a 400.

use super::error::V1Error;
use super::media::{self, MediaBody};
use super::proxy::{self, Ingress};
use super::Caller;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use gateway::providers::{Endpoint, Registry};
use gateway::Format;

fn err(status: u16, message: &str) -> Response {
    V1Error::new(Format::OpenAiChat, status, message).into_response_for()
}

/// `(provider id, prefix)` of a built-in provider or custom node named by id or prefix.
fn lookup(state: &AppState, name: &str) -> Option<(String, String)> {
    if let Some(p) = Registry::builtin().by_prefix(name) {
        return Some((p.id.to_string(), p.prefix.to_string()));
    }
    state
        .snapshot()
        .nodes
        .iter()
        .find(|n| n.id.eq_ignore_ascii_case(name) || n.prefix.eq_ignore_ascii_case(name))
        .map(|n| (n.id.clone(), n.prefix.clone()))
}

/// The body with its model pinned to the provider, or the error to answer.
fn pin(state: &AppState, provider: &str, body: &[u8]) -> Result<Bytes, Box<Response>> {
    let Some((id, prefix)) = lookup(state, provider) else {
        return Err(Box::new(err(
            404,
            &format!("unknown provider {provider:?}; GET /api/models/catalog lists the providers"),
        )));
    };
    let model: String = match gateway::json_scan::get_top_level(body, "model") {
        Ok(Some(raw)) => {
            serde_json::from_slice(raw).map_err(|_| Box::new(err(400, "model must be a string")))?
        }
        Ok(None) => return Err(Box::new(err(400, "model is required"))),
        Err(e) => {
            return Err(Box::new(err(
                400,
                &format!("the request body is not valid JSON: {e}"),
            )))
        }
    };
    let pinned = match model.split_once('/') {
        Some((first, rest)) => match lookup(state, first) {
            Some((other, _)) if other == id => format!("{prefix}/{rest}"),
            Some((other, _)) => {
                return Err(Box::new(err(
                    400,
                    &format!("model {model:?} belongs to provider {other}, not {id}; use /v1/providers/{other}/... or drop the prefix"),
                )))
            }
            None => format!("{prefix}/{model}"), // e.g. together's "meta-llama/..."
        },
        None => format!("{prefix}/{model}"),
    };
    let quoted = serde_json::to_string(&pinned).unwrap_or_default();
    gateway::json_scan::set_top_level(body, "model", &quoted)
        .map(Bytes::from)
        .map_err(|e| {
            Box::new(err(
                400,
                &format!("the request body is not valid JSON: {e}"),
            ))
        })
}

pub async fn chat(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match pin(&state, &provider, &body) {
        Ok(body) => {
            proxy::handle(
                state,
                Ingress::new(Format::OpenAiChat, body, caller),
                headers,
            )
            .await
        }
        Err(response) => *response,
    }
}

pub async fn embeddings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(provider): Path<String>,
    body: Bytes,
) -> Response {
    match pin(&state, &provider, &body) {
        Ok(body) => media::handle(state, caller, Endpoint::Embeddings, MediaBody::Json(body)).await,
        Err(response) => *response,
    }
}

pub async fn images(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(provider): Path<String>,
    body: Bytes,
) -> Response {
    match pin(&state, &provider, &body) {
        Ok(body) => media::handle(state, caller, Endpoint::Images, MediaBody::Json(body)).await,
        Err(response) => *response,
    }
}

pub async fn models(State(state): State<AppState>, Path(provider): Path<String>) -> Response {
    let Some((id, prefix)) = lookup(&state, &provider) else {
        return err(404, &format!("unknown provider {provider:?}"));
    };
    let list = super::models::available(&state.snapshot());
    let data: Vec<serde_json::Value> = list
        .iter()
        .filter(|(model, owner)| *owner == id || model.starts_with(&format!("{prefix}/")))
        .map(|(model, owner)| serde_json::json!({ "id": model, "object": "model", "created": 0, "owned_by": owner }))
        .collect();
    axum::Json(serde_json::json!({ "object": "list", "data": data })).into_response()
}
