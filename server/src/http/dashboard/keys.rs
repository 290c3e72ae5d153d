//! The API Manager's backend. Changes go through the management API's own handlers
//! (`/api/keys...`, called in-process on `manage::routes`), so the dashboard and the REST API
//! validate, hash, log and reload the key index alike; the list is read from the store.

use super::rest::call;
use crate::auth::api_keys::SCOPES;
use crate::state::AppState;
use crate::store::api_keys as store;
use app::api::create_api_key::{expiry_days, model_patterns, IssuedKey, NewApiKeyInput};
use app::api::endpoints_info::KeyBrief;
use app::api::list_api_keys::{ApiKeyInfo, ApiKeysOverview};
use axum::http::Method;
use axum::Router;
use serde_json::{json, Value};

fn info(row: &entity::api_keys::Model, now: i64) -> ApiKeyInfo {
    ApiKeyInfo {
        id: row.id.clone(),
        name: row.name.clone(),
        prefix: row.key_prefix.clone(),
        scopes: store::scopes_of(row),
        allowed_models: store::allowed_models_of(row).unwrap_or_default(),
        enabled: row.is_active,
        revealable: row.key_enc.is_some(),
        created_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
        expired: row.expires_at.is_some_and(|t| t <= now),
    }
}

async fn rows(state: &AppState) -> Result<Vec<ApiKeyInfo>, String> {
    let now = crate::store::now_unix();
    let rows = store::list(state.db())
        .await
        .map_err(|e| super::internal(&anyhow::Error::new(e)))?;
    Ok(rows.iter().map(|r| info(r, now)).collect())
}

pub(super) async fn list(state: &AppState) -> Result<ApiKeysOverview, String> {
    Ok(ApiKeysOverview {
        keys: rows(state).await?,
        scopes: SCOPES.iter().map(|s| s.to_string()).collect(),
        reveal_allowed: state.config().allow_api_key_reveal,
    })
}

/// The keys as the Endpoints and CLI Tools pages name them.
pub(super) async fn briefs(state: &AppState) -> Result<Vec<KeyBrief>, String> {
    let reveal = state.config().allow_api_key_reveal;
    Ok(rows(state)
        .await?
        .into_iter()
        .map(|k| KeyBrief {
            usable: k.usable(),
            revealable: reveal && k.revealable,
            id: k.id,
            name: k.name,
            prefix: k.prefix,
        })
        .collect())
}

fn path_id(id: &str) -> Result<&str, String> {
    // Ids are `key_<hex>`; anything else cannot name a key (and must not alter the path).
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Ok(id)
    } else {
        Err("No such API key.".to_string())
    }
}

fn issued(value: &Value) -> Result<IssuedKey, String> {
    let text = |field: &str| value.get(field).and_then(Value::as_str).map(str::to_string);
    match (text("id"), text("name"), text("key")) {
        (Some(id), Some(name), Some(key)) => Ok(IssuedKey { id, name, key }),
        _ => Err(super::internal(&anyhow::anyhow!(
            "the keys API answered without id, name or key"
        ))),
    }
}

pub(super) async fn create(manage: &Router, input: NewApiKeyInput) -> Result<IssuedKey, String> {
    let mut body = json!({ "name": input.name.trim(), "scopes": input.scopes });
    let models = model_patterns(&input.allowed_models);
    if !models.is_empty() {
        body["allowedModels"] = json!(models);
    }
    if let Some(days) = expiry_days(&input.expires_in_days)? {
        body["expiresAt"] = json!(crate::store::now_unix() + days * 86_400);
    }
    let created = call(manage, Method::POST, "/api/keys", Some(body)).await?;
    issued(&created)
}

pub(super) async fn set_enabled(manage: &Router, id: &str, enabled: bool) -> Result<(), String> {
    let path = format!("/api/keys/{}", path_id(id)?);
    call(
        manage,
        Method::PATCH,
        &path,
        Some(json!({ "isActive": enabled })),
    )
    .await?;
    Ok(())
}

pub(super) async fn revoke(manage: &Router, id: &str) -> Result<(), String> {
    let path = format!("/api/keys/{}/revoke", path_id(id)?);
    call(manage, Method::POST, &path, None).await?;
    Ok(())
}

pub(super) async fn regenerate(manage: &Router, id: &str) -> Result<IssuedKey, String> {
    let path = format!("/api/keys/{}/regenerate", path_id(id)?);
    let answer = call(manage, Method::POST, &path, None).await?;
    issued(&answer)
}

pub(super) async fn delete(manage: &Router, id: &str) -> Result<(), String> {
    let path = format!("/api/keys/{}", path_id(id)?);
    call(manage, Method::DELETE, &path, None).await?;
    Ok(())
}

pub(super) async fn reveal(manage: &Router, id: &str) -> Result<String, String> {
    let path = format!("/api/keys/{}/reveal", path_id(id)?);
    let answer = call(manage, Method::GET, &path, None).await?;
    answer
        .get("key")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| super::internal(&anyhow::anyhow!("the reveal answer has no key")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_key_ids_reach_the_path() {
        assert!(path_id("key_0a1b").is_ok());
        assert!(path_id("../providers").is_err());
        assert!(path_id("").is_err());
    }
}
