//! Provider connections: `/api/providers[/{id}]`, `/{id}/test`, `/{id}/models`,
//! `/{id}/models/import`. A connection is one account (API key) of a provider; a provider may
//! have many. Keys are stored encrypted and only ever shown masked (`sk-…abcd`).

use super::body::{self, JsonBody};
use super::upstream::{self, ListError};
use super::{iso, provider_name, refresh_snapshot, resolve_provider, ApiError};
use crate::crypto::SecretBox;
use crate::snapshot::Snapshot;
use crate::state::AppState;
use crate::store::providers::{self as store, ConnectionPatch, NewConnection, StoredConnection};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gateway::providers::Target;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn secrets(state: &AppState) -> SecretBox {
    SecretBox::new(&state.config().storage_encryption_key)
}

/// Shows the start of a key's vendor prefix and its last 4 characters: `sk-…abcd`. Short
/// keys show less, so that a mask never gives away most of a key.
pub(crate) fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let n = chars.len();
    if n < 8 {
        return "…".to_string();
    }
    let tail_len = if n < 16 { 2 } else { 4 };
    let tail: String = chars[n - tail_len..].iter().collect();
    let head: String = match chars.iter().position(|c| *c == '-' || *c == '_') {
        Some(at) if at < 6 && at + 1 + tail_len + 8 <= n => chars[..=at].iter().collect(),
        _ => String::new(),
    };
    format!("{head}…{tail}")
}

fn connection_json(c: &StoredConnection, snapshot: &Snapshot) -> Value {
    json!({
        "id": c.id,
        "provider": c.provider,
        "providerName": provider_name(snapshot, &c.provider),
        "authType": "apikey",
        "name": c.name,
        "priority": c.priority,
        "isActive": c.is_active,
        "baseUrl": c.base_url,
        "apiKeyMasked": c.api_key.as_deref().map(mask_key),
        "hasApiKey": c.api_key.is_some() || c.key_error.is_some(),
        "keyError": c.key_error.as_ref().map(|e| format!("{e}; set apiKey again")),
        "testStatus": c.test_status,
        "lastError": c.last_error,
        "lastTestedAt": c.last_tested_at.map(iso),
        "createdAt": iso(c.created_at),
        "updatedAt": iso(c.updated_at),
    })
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "connection_not_found",
        format!("no provider connection with id {id:?}; list them with GET /api/providers"),
    )
}

async fn load(state: &AppState, id: &str) -> Result<StoredConnection, ApiError> {
    store::get_connection(state.db(), &secrets(state), id)
        .await?
        .ok_or_else(|| not_found(id))
}

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    provider: Option<String>,
}

/// `GET /api/providers[?provider=openai]`.
pub(super) async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.snapshot();
    let wanted = match query.provider.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Some(resolve_provider(&snapshot, p, "provider")?.id()),
        _ => None,
    };
    let connections: Vec<Value> = store::list_connections(state.db(), &secrets(&state))
        .await?
        .iter()
        .filter(|c| wanted.is_none_or(|w| c.provider == w))
        .map(|c| connection_json(c, &snapshot))
        .collect();
    Ok(Json(json!({ "connections": connections })))
}

/// `GET /api/providers/{id}`.
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = load(&state, &id).await?;
    Ok(Json(
        json!({ "connection": connection_json(&c, &state.snapshot()) }),
    ))
}

fn requires_key(target: Target<'_>) -> bool {
    target.auth().requires_key()
}

/// `POST /api/providers {"provider","apiKey","name","baseUrl"?,"priority"?}` → 201.
pub(super) async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let provider = body.required_string("provider")?;
    let api_key = body.string("apiKey")?;
    let name = body.string("name")?;
    let base_url = match body.string("baseUrl")? {
        Some(url) => Some(body::base_url("baseUrl", &url)?),
        None => None,
    };
    let priority = body.integer("priority")?;
    let is_active = body.boolean("isActive")?;
    let fields = NewConnectionFields {
        provider,
        name,
        api_key,
        base_url,
        priority,
        is_active,
    };
    let created = add_connection(&state, fields).await?;
    let out = json!({ "connection": connection_json(&created, &state.snapshot()) });
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// A new connection's fields, read and checked (the base URL normalised with
/// [`super::body::base_url`]) but not yet resolved against the providers.
pub(crate) struct NewConnectionFields {
    pub provider: String,
    pub name: Option<String>,
    pub api_key: Option<String>,
    pub base_url: Option<String>,
    pub priority: Option<i64>,
    pub is_active: Option<bool>,
}

/// Adds a connection to a built-in provider or custom node and refreshes the snapshot (the
/// work of `POST /api/providers`, shared with the dashboard).
pub(crate) async fn add_connection(
    state: &AppState,
    fields: NewConnectionFields,
) -> Result<StoredConnection, ApiError> {
    let snapshot = state.snapshot();
    let target = resolve_provider(&snapshot, &fields.provider, "provider")?;
    if fields.api_key.is_none() && requires_key(target) {
        return Err(ApiError::bad_request(
            "missing_field",
            format!("apiKey is required for provider {}", target.id()),
        ));
    }
    let new = NewConnection {
        provider: target.id().to_string(),
        name: fields.name.unwrap_or_else(|| target.name().to_string()),
        api_key: fields.api_key,
        base_url: fields.base_url,
        priority: fields.priority,
    };
    let secrets = secrets(state);
    let mut created = store::insert_connection(state.db(), &secrets, new).await?;
    if fields.is_active == Some(false) {
        let patch = ConnectionPatch {
            is_active: Some(false),
            ..ConnectionPatch::default()
        };
        if let Some(c) = store::update_connection(state.db(), &secrets, &created.id, patch).await? {
            created = c;
        }
    }
    refresh_snapshot(state).await?;
    tracing::info!(
        "added provider connection {:?} ({}, id {})",
        created.name,
        created.provider,
        created.id
    );
    Ok(created)
}

/// `PATCH /api/providers/{id}` (or PUT): any of `isActive`, `priority`, `name`, `apiKey`,
/// `baseUrl`. `baseUrl: null` goes back to the provider's default.
pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let patch = ConnectionPatch {
        name: body.present_string("name")?,
        api_key: body.nullable_string("apiKey")?,
        base_url: match body.nullable_string("baseUrl")? {
            Some(Some(url)) => Some(Some(body::base_url("baseUrl", &url)?)),
            other => other,
        },
        priority: body.integer("priority")?,
        is_active: body.boolean("isActive")?,
    };
    if patch.name.is_none()
        && patch.api_key.is_none()
        && patch.base_url.is_none()
        && patch.priority.is_none()
        && patch.is_active.is_none()
    {
        return Err(ApiError::bad_request(
            "invalid_body",
            "nothing to change: send one or more of isActive, priority, name, apiKey, baseUrl",
        ));
    }
    let updated = update_connection(&state, &id, patch).await?;
    Ok(Json(
        json!({ "connection": connection_json(&updated, &state.snapshot()) }),
    ))
}

/// Applies a non-empty patch to a connection and refreshes the snapshot (the work of
/// `PATCH /api/providers/{id}`, shared with the dashboard).
pub(crate) async fn update_connection(
    state: &AppState,
    id: &str,
    patch: ConnectionPatch,
) -> Result<StoredConnection, ApiError> {
    let current = load(state, id).await?;
    if patch.api_key == Some(None) {
        let snapshot = state.snapshot();
        let needs = resolve_provider(&snapshot, &current.provider, "provider")
            .map(requires_key)
            .unwrap_or(true);
        if needs {
            return Err(ApiError::bad_request(
                "missing_field",
                format!(
                    "apiKey cannot be removed: provider {} needs one",
                    current.provider
                ),
            ));
        }
    }
    let updated = store::update_connection(state.db(), &secrets(state), id, patch)
        .await?
        .ok_or_else(|| not_found(id))?;
    refresh_snapshot(state).await?;
    Ok(updated)
}

/// `DELETE /api/providers/{id}`.
pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    delete_connection(&state, &id).await?;
    Ok(Json(json!({ "success": true, "id": id })))
}

/// Deletes a connection and refreshes the snapshot (shared with the dashboard).
pub(crate) async fn delete_connection(state: &AppState, id: &str) -> Result<(), ApiError> {
    if !store::delete_connection(state.db(), id).await? {
        return Err(not_found(id));
    }
    refresh_snapshot(state).await?;
    tracing::info!("deleted provider connection {id}");
    Ok(())
}

/// The connection's provider as a routing target (it may be a node deleted since).
fn target_of<'a>(snapshot: &'a Snapshot, c: &StoredConnection) -> Result<Target<'a>, ApiError> {
    resolve_provider(snapshot, &c.provider, "provider").map_err(|_| {
        ApiError::conflict(
            "provider_gone",
            format!(
                "connection {} belongs to provider {:?}, which no longer exists",
                c.id, c.provider
            ),
        )
    })
}

/// `POST /api/providers/{id}/test` → `{"ok","status","latencyMs","message"}`.
pub(super) async fn test(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<upstream::Probe>, ApiError> {
    test_connection(&state, &id).await.map(Json)
}

/// Tests a connection against its provider and records the outcome (shared with the
/// dashboard).
pub(crate) async fn test_connection(
    state: &AppState,
    id: &str,
) -> Result<upstream::Probe, ApiError> {
    let c = load(state, id).await?;
    let snapshot = state.snapshot();
    let target = target_of(&snapshot, &c)?;
    let probe = upstream::probe(state, target, &c).await;
    let error = (!probe.ok).then_some(probe.message.as_str());
    store::record_test(state.db(), id, probe.ok, error).await?;
    if !probe.ok {
        tracing::warn!(
            "test of provider connection {:?} ({}) failed: {}",
            c.name,
            c.provider,
            probe.message
        );
    }
    Ok(probe)
}

fn list_error(e: ListError) -> ApiError {
    match e {
        ListError::NoEndpoint(provider) => ApiError::bad_request(
            "no_model_list",
            format!("provider {provider} has no model-list endpoint; add model ids with POST /api/provider-models"),
        ),
        ListError::Build(e) => ApiError::bad_request("connection_unusable", e.to_string()),
        ListError::Upstream { message, .. } => ApiError::upstream("upstream_error", message),
    }
}

/// `GET /api/providers/{id}/models`: the upstream's own model list.
pub(super) async fn upstream_models(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (c, models) = connection_models(&state, &id).await?;
    Ok(Json(json!({
        "provider": c.provider,
        "connectionId": c.id,
        "models": models,
    })))
}

/// The upstream's own model list, fetched with the connection's key and base URL (shared
/// with the dashboard).
pub(crate) async fn connection_models(
    state: &AppState,
    id: &str,
) -> Result<(StoredConnection, Vec<upstream::UpstreamModel>), ApiError> {
    let c = load(state, id).await?;
    let snapshot = state.snapshot();
    let target = target_of(&snapshot, &c)?;
    let models = upstream::list_models(state, target, &c)
        .await
        .map_err(list_error)?;
    Ok((c, models))
}

/// `POST /api/providers/{id}/models/import [{"models":["id",...]}]`: stores the upstream's
/// models (all, or the ones named) as custom models of the provider.
pub(super) async fn import_models(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse_optional(&bytes)?;
    let only = body.string_list("models")?;
    let c = load(&state, &id).await?;
    let snapshot = state.snapshot();
    let target = target_of(&snapshot, &c)?;
    let listed = upstream::list_models(&state, target, &c)
        .await
        .map_err(list_error)?;
    let mut not_listed = Vec::new();
    let chosen: Vec<_> = match &only {
        None => listed,
        Some(wanted) => {
            not_listed = wanted
                .iter()
                .filter(|w| !listed.iter().any(|m| &m.id == *w))
                .cloned()
                .collect();
            listed
                .into_iter()
                .filter(|m| wanted.contains(&m.id))
                .collect()
        }
    };
    let rows: Vec<(String, Option<String>)> = chosen
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    let added = store::import_models(state.db(), &c.provider, &rows).await?;
    refresh_snapshot(&state).await?;
    let ids: Vec<&str> = chosen.iter().map(|m| m.id.as_str()).collect();
    Ok(Json(json!({
        "provider": c.provider,
        "imported": added,
        "total": ids.len(),
        "models": ids,
        "notListed": not_listed,
    })))
}

#[cfg(test)]
mod tests {
    use super::mask_key;

    #[test]
    fn masks_never_show_most_of_a_key() {
        assert_eq!(mask_key("sk-proj-abcdefghijklmnop1234"), "sk-…1234");
        assert_eq!(mask_key("AIzaSyabcdefghijklmn9876"), "…9876");
        assert_eq!(mask_key("short"), "…");
        assert_eq!(mask_key("sk-12345678"), "…78");
    }
}
