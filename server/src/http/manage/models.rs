//! Custom models (`/api/provider-models`) and the model catalog (`/api/models/catalog`).

use super::body::JsonBody;
use super::{iso, refresh_snapshot, resolve_provider, ApiError};
use crate::state::AppState;
use crate::store::providers::{self as store, StoredModel};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gateway::providers::{catalog as build_catalog, Registry};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

fn model_json(m: &StoredModel) -> Value {
    json!({
        "provider": m.provider,
        "modelId": m.model_id,
        "modelName": m.model_name,
        "source": m.source,
        "createdAt": iso(m.created_at),
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct ModelQuery {
    provider: Option<String>,
    model: Option<String>,
    #[serde(rename = "modelId")]
    model_id: Option<String>,
}

fn non_empty(v: Option<&String>) -> Option<&str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// `GET /api/provider-models[?provider=openai]`.
pub(super) async fn list(
    State(state): State<AppState>,
    Query(query): Query<ModelQuery>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.snapshot();
    let provider = match non_empty(query.provider.as_ref()) {
        Some(p) => Some(resolve_provider(&snapshot, p, "provider")?.id().to_string()),
        None => None,
    };
    let models: Vec<Value> = store::list_models(state.db(), provider.as_deref())
        .await?
        .iter()
        .map(model_json)
        .collect();
    Ok(Json(json!({ "models": models })))
}

/// `POST /api/provider-models {"provider","modelId","modelName"?}` → 201 (200 when the model
/// was there already; its name is updated).
pub(super) async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let provider = body.required_string("provider")?;
    let model_id = body.required_string("modelId")?;
    let model_name = body.string("modelName")?;
    if model_id.chars().any(char::is_whitespace) {
        return Err(ApiError::bad_request(
            "invalid_field",
            format!("modelId must not contain spaces (got {model_id:?})"),
        ));
    }
    let snapshot = state.snapshot();
    let provider = resolve_provider(&snapshot, &provider, "provider")?
        .id()
        .to_string();
    let (model, created) =
        store::upsert_model(state.db(), &provider, &model_id, model_name.as_deref()).await?;
    refresh_snapshot(&state).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "model": model_json(&model) }))).into_response())
}

/// `DELETE /api/provider-models?provider=openai&model=gpt-5.2`.
pub(super) async fn delete(
    State(state): State<AppState>,
    Query(query): Query<ModelQuery>,
) -> Result<Json<Value>, ApiError> {
    let provider = non_empty(query.provider.as_ref()).ok_or_else(|| {
        ApiError::bad_request("missing_field", "provider is required (?provider=...)")
    })?;
    let model = non_empty(query.model.as_ref())
        .or_else(|| non_empty(query.model_id.as_ref()))
        .ok_or_else(|| ApiError::bad_request("missing_field", "model is required (?model=...)"))?;
    let snapshot = state.snapshot();
    let provider = resolve_provider(&snapshot, provider, "provider")?
        .id()
        .to_string();
    if !store::delete_model(state.db(), &provider, model).await? {
        return Err(ApiError::not_found(
            "model_not_found",
            format!("provider {provider} has no custom model {model:?}"),
        ));
    }
    refresh_snapshot(&state).await?;
    Ok(Json(
        json!({ "success": true, "provider": provider, "modelId": model }),
    ))
}

/// `GET /api/models/catalog`: every provider with its models and their type: the built-in
/// registry, the custom models added to it, and the custom nodes. Each group says how many
/// connections it has (`connections`, `activeConnections`).
pub(super) async fn catalog(State(state): State<AppState>) -> Json<Value> {
    let snapshot = state.snapshot();
    let groups = build_catalog(Registry::builtin(), &snapshot.nodes);
    let mut custom: HashMap<&str, Vec<&crate::snapshot::CustomModel>> = HashMap::new();
    for m in &snapshot.custom_models {
        custom.entry(m.provider.as_str()).or_default().push(m);
    }
    let providers: Vec<Value> = groups
        .iter()
        .map(|g| {
            let mut group = serde_json::to_value(g).unwrap_or(Value::Null);
            let added = custom.get(g.provider.as_str());
            if let Some(models) = group["models"].as_array_mut() {
                for m in models.iter_mut() {
                    let native = m["model"].as_str().unwrap_or_default();
                    let entry = added.and_then(|a| a.iter().find(|c| c.model_id == native));
                    m["custom"] = json!(g.custom || entry.is_some());
                    if let Some(name) = entry.and_then(|c| c.model_name.as_deref()) {
                        m["name"] = json!(name);
                    }
                }
                // Custom models of built-in providers that the registry does not list.
                if !g.custom {
                    for c in added.into_iter().flatten() {
                        if g.models.iter().any(|k| k.model == c.model_id) {
                            continue;
                        }
                        models.push(json!({
                            "id": format!("{}/{}", g.prefix, c.model_id),
                            "model": c.model_id,
                            "type": "chat",
                            "contextLength": null,
                            "maxOutputTokens": null,
                            "prices": null,
                            "custom": true,
                            "name": c.model_name,
                        }));
                    }
                }
            }
            let all = snapshot
                .connections
                .iter()
                .filter(|c| c.provider == g.provider)
                .count();
            group["connections"] = json!(all);
            group["activeConnections"] = json!(snapshot.connections_for(&g.provider).len());
            group
        })
        .collect();
    Json(json!({ "providers": providers }))
}
