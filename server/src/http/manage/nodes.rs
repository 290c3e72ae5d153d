//! Custom provider nodes: `/api/provider-nodes[/{id}]`. A node is a user-defined
//! OpenAI- or Anthropic-compatible endpoint reached with `prefix/model`.

use super::body::{self, JsonBody};
use super::{iso, refresh_snapshot, ApiError};
use crate::state::AppState;
use crate::store::providers::{self as store, api_type_str, kind_str, StoredNode};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gateway::providers::{
    validate_custom_node, CustomApiType, CustomNode, CustomNodeError, CustomNodeKind, Registry,
};
use serde_json::{json, Value};

fn node_json(n: &StoredNode) -> Value {
    json!({
        "id": n.node.id,
        "name": n.node.name,
        "prefix": n.node.prefix,
        "baseUrl": n.node.base_url,
        "type": kind_str(n.node.kind),
        "apiType": api_type_str(n.node.api_type),
        "models": n.node.models,
        "createdAt": iso(n.created_at),
        "updatedAt": iso(n.updated_at),
    })
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "node_not_found",
        format!("no provider node with id {id:?}; list them with GET /api/provider-nodes"),
    )
}

pub(crate) fn parse_kind(text: &str) -> Result<CustomNodeKind, ApiError> {
    match text {
        "openai-compatible" | "openai" => Ok(CustomNodeKind::OpenaiCompatible),
        "anthropic-compatible" | "anthropic" => Ok(CustomNodeKind::AnthropicCompatible),
        _ => Err(ApiError::bad_request(
            "invalid_field",
            format!(
                "type must be \"openai-compatible\" or \"anthropic-compatible\" (got {text:?})"
            ),
        )),
    }
}

pub(crate) fn parse_api_type(text: &str) -> Result<CustomApiType, ApiError> {
    match text {
        "chat" => Ok(CustomApiType::Chat),
        "responses" => Ok(CustomApiType::Responses),
        _ => Err(ApiError::bad_request(
            "invalid_field",
            format!("apiType must be \"chat\" or \"responses\" (got {text:?})"),
        )),
    }
}

/// Checks a node against the built-in providers and the other nodes, naming the clash.
fn validate(node: &CustomNode, others: &[CustomNode]) -> Result<(), ApiError> {
    let registry = Registry::builtin();
    validate_custom_node(registry, others, node).map_err(|e| match e {
        CustomNodeError::BadPrefix(_) => ApiError::bad_request("invalid_prefix", e.to_string()),
        CustomNodeError::PrefixTakenByBuiltin(prefix) => {
            let owner = registry
                .by_prefix(&prefix)
                .map(|p| format!("{} ({}/)", p.name, p.prefix))
                .unwrap_or_else(|| "a built-in provider".to_string());
            let reserved = if registry.by_prefix(&prefix).is_some_and(|p| p.is_oauth()) {
                " (reserved for its OAuth connections)"
            } else {
                ""
            };
            ApiError::conflict(
                "prefix_taken",
                format!("prefix {prefix:?} is already used by the built-in provider {owner}{reserved}; choose another prefix"),
            )
        }
        CustomNodeError::PrefixTakenByNode(prefix) => {
            let owner = others
                .iter()
                .find(|o| o.id != node.id && o.prefix.eq_ignore_ascii_case(&prefix))
                .map(|o| format!("{:?} (id {})", o.name, o.id))
                .unwrap_or_else(|| "another node".to_string());
            ApiError::conflict(
                "prefix_taken",
                format!("prefix {prefix:?} is already used by the custom node {owner}; choose another prefix"),
            )
        }
        CustomNodeError::BadBaseUrl { .. } => {
            ApiError::bad_request("invalid_field", e.to_string())
        }
    })
}

async fn others(state: &AppState) -> Result<Vec<CustomNode>, ApiError> {
    Ok(store::list_nodes(state.db())
        .await?
        .into_iter()
        .map(|n| n.node)
        .collect())
}

/// `GET /api/provider-nodes`.
pub(super) async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let nodes: Vec<Value> = store::list_nodes(state.db())
        .await?
        .iter()
        .map(node_json)
        .collect();
    Ok(Json(json!({ "nodes": nodes })))
}

/// `GET /api/provider-nodes/{id}`.
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let node = store::get_node(state.db(), &id)
        .await?
        .ok_or_else(|| not_found(&id))?;
    Ok(Json(json!({ "node": node_json(&node) })))
}

/// `POST /api/provider-nodes {"name","prefix","baseUrl","type","apiType"}` → 201.
pub(super) async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let prefix = body.required_string("prefix")?;
    let base_url = body::base_url("baseUrl", &body.required_string("baseUrl")?)?;
    let kind = match body.string("type")? {
        Some(t) => parse_kind(&t)?,
        None => CustomNodeKind::OpenaiCompatible,
    };
    let api_type = match body.string("apiType")? {
        Some(t) => parse_api_type(&t)?,
        None => CustomApiType::Chat,
    };
    let name = body.string("name")?.unwrap_or_else(|| prefix.clone());
    let node = CustomNode {
        id: String::new(),
        name,
        prefix,
        base_url,
        kind,
        api_type,
        models: Vec::new(),
    };
    let stored = add_node(&state, node).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "node": node_json(&stored) })),
    )
        .into_response())
}

/// Checks a new node (fields already read; `id` is ignored) against the providers and the
/// other nodes, stores it and refreshes the snapshot (shared with the dashboard).
pub(crate) async fn add_node(state: &AppState, node: CustomNode) -> Result<StoredNode, ApiError> {
    validate(&node, &others(state).await?)?;
    let stored = store::insert_node(state.db(), &node)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => ApiError::conflict(
                "prefix_taken",
                format!(
                    "prefix {:?} is already used by another custom node",
                    node.prefix
                ),
            ),
            other => other.into(),
        })?;
    refresh_snapshot(state).await?;
    tracing::info!(
        "added custom provider node {} ({}/ → {})",
        stored.node.id,
        stored.node.prefix,
        stored.node.base_url
    );
    Ok(stored)
}

/// `PUT|PATCH /api/provider-nodes/{id}`: any of `name`, `prefix`, `baseUrl`, `type`,
/// `apiType`.
pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let name = body.present_string("name")?;
    let prefix = body.present_string("prefix")?;
    let base_url = match body.present_string("baseUrl")? {
        Some(url) => Some(body::base_url("baseUrl", &url)?),
        None => None,
    };
    let kind = match body.present_string("type")? {
        Some(t) => Some(parse_kind(&t)?),
        None => None,
    };
    let api_type = match body.present_string("apiType")? {
        Some(t) => Some(parse_api_type(&t)?),
        None => None,
    };
    let mut node = store::get_node(state.db(), &id)
        .await?
        .ok_or_else(|| not_found(&id))?
        .node;
    if let Some(v) = name {
        node.name = v;
    }
    if let Some(v) = prefix {
        node.prefix = v;
    }
    if let Some(v) = base_url {
        node.base_url = v;
    }
    if let Some(v) = kind {
        node.kind = v;
    }
    if let Some(v) = api_type {
        node.api_type = v;
    }
    validate(&node, &others(&state).await?)?;
    let stored = store::update_node(state.db(), &node)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => ApiError::conflict(
                "prefix_taken",
                format!(
                    "prefix {:?} is already used by another custom node",
                    node.prefix
                ),
            ),
            other => other.into(),
        })?
        .ok_or_else(|| not_found(&id))?;
    refresh_snapshot(&state).await?;
    Ok(Json(json!({ "node": node_json(&stored) })))
}

/// `DELETE /api/provider-nodes/{id}`: the node, its connections and its custom models.
pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let removed = delete_node(&state, &id).await?;
    Ok(Json(json!({
        "success": true,
        "id": id,
        "deletedConnections": removed.connections,
        "deletedModels": removed.models,
    })))
}

/// Deletes a node with its connections and custom models, and refreshes the snapshot
/// (shared with the dashboard).
pub(crate) async fn delete_node(
    state: &AppState,
    id: &str,
) -> Result<store::NodeDeletion, ApiError> {
    let removed = store::delete_node(state.db(), id)
        .await?
        .ok_or_else(|| not_found(id))?;
    refresh_snapshot(state).await?;
    tracing::info!(
        "deleted custom provider node {id} with {} connection(s) and {} model(s)",
        removed.connections,
        removed.models
    );
    Ok(removed)
}
