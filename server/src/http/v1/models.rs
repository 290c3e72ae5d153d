//! Model lists: what the connections can serve. `GET /v1/models` (OpenAI shape),
//! `GET /v1/models/{id}`, `GET /v1beta/models` (Gemini shape).

use super::error::V1Error;
use crate::snapshot::Snapshot;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gateway::providers::{AuthStyle, Registry};
use gateway::Format;
use serde_json::{json, Value};

/// `(id, owner)` of every model a request could reach now: the known and custom models of
/// providers with an enabled connection (local providers need none), and of custom nodes.
pub(super) fn available(snapshot: &Snapshot) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let registry = Registry::builtin();
    for provider in registry.providers() {
        let usable = if provider.auth == AuthStyle::None {
            true
        } else {
            !snapshot.connections_for(provider.id).is_empty()
        };
        if !usable || provider.is_oauth() {
            continue;
        }
        for model in provider.models {
            out.push((
                format!("{}/{}", provider.prefix, model.id),
                provider.id.to_string(),
            ));
        }
        for custom in snapshot
            .custom_models
            .iter()
            .filter(|m| m.provider == provider.id)
        {
            let id = format!("{}/{}", provider.prefix, custom.model_id);
            if !out.iter().any(|(existing, _)| existing == &id) {
                out.push((id, provider.id.to_string()));
            }
        }
    }
    for node in &snapshot.nodes {
        if snapshot.connections_for(&node.id).is_empty() {
            continue;
        }
        for model in &node.models {
            out.push((format!("{}/{}", node.prefix, model), node.id.clone()));
        }
        for custom in snapshot
            .custom_models
            .iter()
            .filter(|m| m.provider == node.id)
        {
            out.push((
                format!("{}/{}", node.prefix, custom.model_id),
                node.id.clone(),
            ));
        }
    }
    out
}

fn openai_model(id: &str, owner: &str) -> Value {
    json!({ "id": id, "object": "model", "created": 0, "owned_by": owner })
}

/// The combos, usable as models by name.
fn combo_names(state: &AppState) -> Vec<(String, String)> {
    state
        .combos()
        .get()
        .iter()
        .map(|c| (c.name.clone(), "combo".to_string()))
        .collect()
}

pub async fn list_openai(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let mut models = combo_names(&state);
    models.extend(available(&snapshot));
    let data: Vec<Value> = models
        .iter()
        .map(|(id, owner)| openai_model(id, owner))
        .collect();
    Json(json!({ "object": "list", "data": data })).into_response()
}

pub async fn get_openai(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let snapshot = state.snapshot();
    let mut models = combo_names(&state);
    models.extend(available(&snapshot));
    match models.into_iter().find(|(m, _)| *m == id) {
        Some((id, owner)) => Json(openai_model(&id, &owner)).into_response(),
        None => V1Error::new(
            Format::OpenAiChat,
            404,
            &format!("model {id:?} is not available; GET /v1/models lists the models of your connections"),
        )
        .into_response_for(),
    }
}

pub async fn list_gemini(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let models: Vec<Value> = available(&snapshot)
        .iter()
        .map(|(id, _)| {
            json!({
                "name": format!("models/{id}"),
                "displayName": id,
                "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
            })
        })
        .collect();
    Json(json!({ "models": models })).into_response()
}
