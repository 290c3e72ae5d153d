//! `/api/keys`: API keys for /v1, the management API and MCP. The full key is answered once,
//! at creation (and at regeneration); the database keeps its HMAC, and the key itself only
//! encrypted and only when ALLOW_API_KEY_REVEAL=true.

use super::body::JsonBody;
use super::iso;
use crate::auth::api_keys::{self, SCOPES};
use crate::crypto::SecretBox;
use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::api_keys::{self as store, KeyPatch, KeyStoreError, NewKey};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use entity::api_keys::Model;
use serde_json::{json, Value};

impl From<KeyStoreError> for ApiError {
    fn from(e: KeyStoreError) -> Self {
        match e {
            KeyStoreError::NotFound(id) => {
                ApiError::not_found("key_not_found", format!("no API key with id {id}"))
            }
            KeyStoreError::DuplicateName(name) => ApiError::conflict(
                "duplicate_name",
                format!("an API key named {name:?} already exists"),
            ),
            KeyStoreError::Db(e) => ApiError::Internal(anyhow::Error::new(e)),
        }
    }
}

fn view(row: &Model) -> Value {
    json!({
        "id": row.id,
        "name": row.name,
        "keyPrefix": row.key_prefix,
        "scopes": store::scopes_of(row),
        "allowedModels": store::allowed_models_of(row),
        "isActive": row.is_active,
        "revealable": row.key_enc.is_some(),
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
        "expiresAt": row.expires_at.map(iso),
        "revokedAt": row.revoked_at.map(iso),
        "lastUsedAt": row.last_used_at.map(iso),
    })
}

fn scopes(body: &JsonBody) -> Result<Option<Vec<String>>, ApiError> {
    let Some(list) = body.string_list("scopes")? else {
        return Ok(None);
    };
    for scope in &list {
        if !SCOPES.contains(&scope.as_str()) {
            return Err(ApiError::bad_request(
                "invalid_scope",
                format!(
                    "scopes: unknown scope {scope:?}; known scopes are {}",
                    SCOPES.join(", ")
                ),
            ));
        }
    }
    let mut unique = list;
    unique.sort();
    unique.dedup();
    Ok(Some(unique))
}

fn name(body: &JsonBody, required: bool) -> Result<Option<String>, ApiError> {
    let name = if required {
        Some(body.required_string("name")?)
    } else {
        body.string("name")?
    };
    if let Some(n) = &name {
        if n.chars().count() > 100 {
            return Err(ApiError::bad_request(
                "invalid_field",
                "name must have at most 100 characters",
            ));
        }
    }
    Ok(name)
}

/// `expiresAt`: unix seconds or null (never).
fn expires_at(body: &JsonBody) -> Result<Option<Option<i64>>, ApiError> {
    if !body.has("expiresAt") {
        return Ok(None);
    }
    match body.integer("expiresAt")? {
        None => Ok(Some(None)),
        Some(t) if t > crate::store::now_unix() => Ok(Some(Some(t))),
        Some(_) => Err(ApiError::bad_request(
            "invalid_field",
            "expiresAt must be in the future (unix seconds)",
        )),
    }
}

fn allowed_models(body: &JsonBody) -> Result<Option<Option<Vec<String>>>, ApiError> {
    if !body.has("allowedModels") {
        return Ok(None);
    }
    Ok(Some(
        body.string_list("allowedModels")?.filter(|l| !l.is_empty()),
    ))
}

/// A fresh secret: the key, its hash, its display prefix and (when allowed) its encryption.
fn new_secret(state: &AppState) -> Result<(String, String, String, Option<String>), ApiError> {
    let key = api_keys::generate();
    let hash = api_keys::hash(&state.config().api_key_secret, &key);
    let prefix = api_keys::display_prefix(&key);
    let enc = if state.config().allow_api_key_reveal {
        let sealed = SecretBox::new(&state.config().storage_encryption_key)
            .encrypt(&key)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("encrypting the key: {e}")))?;
        Some(sealed)
    } else {
        None
    };
    Ok((key, hash, prefix, enc))
}

async fn reload(state: &AppState) -> Result<(), ApiError> {
    state
        .reload_keys()
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))
}

pub(super) async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&body)?;
    let name = name(&body, true)?.unwrap_or_default();
    let scopes = scopes(&body)?.unwrap_or_else(|| {
        api_keys::DEFAULT_SCOPES
            .iter()
            .map(|s| s.to_string())
            .collect()
    });
    if scopes.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_scope",
            "scopes must name at least one scope",
        ));
    }
    let (key, key_hash, key_prefix, key_enc) = new_secret(&state)?;
    let row = store::create(
        state.db(),
        NewKey {
            name,
            key_hash,
            key_prefix,
            key_enc,
            scopes,
            allowed_models: allowed_models(&body)?.flatten(),
            expires_at: expires_at(&body)?.flatten(),
        },
    )
    .await?;
    reload(&state).await?;
    tracing::info!("API key {:?} ({}) created", row.name, row.id);
    let mut out = view(&row);
    out["key"] = json!(key);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

pub(super) async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let rows = store::list(state.db())
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    Ok(Json(
        json!({ "keys": rows.iter().map(view).collect::<Vec<_>>() }),
    ))
}

pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(view(&store::get(state.db(), &id).await?)))
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let patch = KeyPatch {
        name: name(&body, false)?,
        scopes: scopes(&body)?,
        allowed_models: allowed_models(&body)?,
        is_active: body.boolean("isActive")?,
        expires_at: expires_at(&body)?,
        revoke: false,
        secret: None,
    };
    if patch.scopes.as_ref().is_some_and(Vec::is_empty) {
        return Err(ApiError::bad_request(
            "invalid_scope",
            "scopes must name at least one scope",
        ));
    }
    let row = store::update(state.db(), &id, patch).await?;
    reload(&state).await?;
    Ok(Json(view(&row)))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    store::delete(state.db(), &id).await?;
    reload(&state).await?;
    Ok(Json(json!({ "success": true, "id": id })))
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let patch = KeyPatch {
        revoke: true,
        ..KeyPatch::default()
    };
    let row = store::update(state.db(), &id, patch).await?;
    reload(&state).await?;
    tracing::info!("API key {:?} ({}) revoked", row.name, row.id);
    Ok(Json(view(&row)))
}

pub(super) async fn regenerate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    store::get(state.db(), &id).await?;
    let (key, hash, prefix, enc) = new_secret(&state)?;
    let patch = KeyPatch {
        secret: Some((hash, prefix, enc)),
        ..KeyPatch::default()
    };
    let row = store::update(state.db(), &id, patch).await?;
    reload(&state).await?;
    let mut out = view(&row);
    out["key"] = json!(key);
    Ok(Json(out))
}

pub(super) async fn reveal(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = store::get(state.db(), &id).await?;
    if !state.config().allow_api_key_reveal {
        return Err(ApiError::Forbidden {
            code: "reveal_disabled",
            message: "revealing keys is off; start OmniRoute with ALLOW_API_KEY_REVEAL=true (keys created before that cannot be revealed)".into(),
        });
    }
    let Some(sealed) = row.key_enc else {
        return Err(ApiError::Forbidden {
            code: "not_revealable",
            message: "this key was created while ALLOW_API_KEY_REVEAL was off; only its hash is stored. Regenerate it to get a new key".into(),
        });
    };
    let key = SecretBox::new(&state.config().storage_encryption_key)
        .decrypt(&sealed)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("decrypting the key: {e}")))?;
    Ok(Json(json!({ "id": row.id, "key": key })))
}
