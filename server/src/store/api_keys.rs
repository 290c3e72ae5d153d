//! The `api_keys` table.

use crate::auth::api_keys::KeyInfo;
use entity::api_keys;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    #[error("no API key with id {0}")]
    NotFound(String),
    #[error("an API key named {0:?} already exists")]
    DuplicateName(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn classify(e: DbErr, name: &str) -> KeyStoreError {
    let text = e.to_string();
    if text.contains("UNIQUE") && text.contains("api_keys.name") {
        KeyStoreError::DuplicateName(name.to_string())
    } else {
        KeyStoreError::Db(e)
    }
}

pub struct NewKey {
    pub name: String,
    pub key_hash: String,
    pub key_prefix: String,
    pub key_enc: Option<String>,
    pub scopes: Vec<String>,
    pub allowed_models: Option<Vec<String>>,
    pub expires_at: Option<i64>,
}

pub async fn create(
    db: &DatabaseConnection,
    new: NewKey,
) -> Result<api_keys::Model, KeyStoreError> {
    let now = super::now_unix();
    let row = api_keys::ActiveModel {
        id: Set(format!("key_{}", crate::config::random_hex(8))),
        name: Set(new.name.clone()),
        key_hash: Set(new.key_hash),
        key_prefix: Set(new.key_prefix),
        key_enc: Set(new.key_enc),
        scopes: Set(serde_json::to_string(&new.scopes).unwrap_or_else(|_| "[]".into())),
        allowed_models: Set(new
            .allowed_models
            .map(|m| serde_json::to_string(&m).unwrap_or_else(|_| "[]".into()))),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
    };
    row.insert(db).await.map_err(|e| classify(e, &new.name))
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<api_keys::Model>, DbErr> {
    api_keys::Entity::find()
        .order_by_asc(api_keys::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn get(db: &DatabaseConnection, id: &str) -> Result<api_keys::Model, KeyStoreError> {
    api_keys::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| KeyStoreError::NotFound(id.to_string()))
}

#[derive(Default)]
pub struct KeyPatch {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub allowed_models: Option<Option<Vec<String>>>,
    pub is_active: Option<bool>,
    pub expires_at: Option<Option<i64>>,
    pub revoke: bool,
    /// A regenerated key: (hash, display prefix, encrypted key).
    pub secret: Option<(String, String, Option<String>)>,
}

pub async fn update(
    db: &DatabaseConnection,
    id: &str,
    patch: KeyPatch,
) -> Result<api_keys::Model, KeyStoreError> {
    let current = get(db, id).await?;
    let name_for_error = patch.name.clone().unwrap_or_else(|| current.name.clone());
    let mut row: api_keys::ActiveModel = current.into();
    if let Some(name) = patch.name {
        row.name = Set(name);
    }
    if let Some(scopes) = patch.scopes {
        row.scopes = Set(serde_json::to_string(&scopes).unwrap_or_else(|_| "[]".into()));
    }
    if let Some(models) = patch.allowed_models {
        row.allowed_models =
            Set(models.map(|m| serde_json::to_string(&m).unwrap_or_else(|_| "[]".into())));
    }
    if let Some(active) = patch.is_active {
        row.is_active = Set(active);
    }
    if let Some(expires) = patch.expires_at {
        row.expires_at = Set(expires);
    }
    if patch.revoke {
        row.revoked_at = Set(Some(super::now_unix()));
    }
    if let Some((hash, prefix, enc)) = patch.secret {
        row.key_hash = Set(hash);
        row.key_prefix = Set(prefix);
        row.key_enc = Set(enc);
        row.revoked_at = Set(None);
    }
    row.updated_at = Set(super::now_unix());
    row.update(db)
        .await
        .map_err(|e| classify(e, &name_for_error))
}

pub async fn delete(db: &DatabaseConnection, id: &str) -> Result<(), KeyStoreError> {
    let result = api_keys::Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(KeyStoreError::NotFound(id.to_string()));
    }
    Ok(())
}

pub fn scopes_of(row: &api_keys::Model) -> Vec<String> {
    serde_json::from_str(&row.scopes).unwrap_or_default()
}

pub fn allowed_models_of(row: &api_keys::Model) -> Option<Vec<String>> {
    row.allowed_models
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
}

/// Every key by hash, for the request path.
pub async fn load_index(db: &DatabaseConnection) -> Result<HashMap<String, KeyInfo>, DbErr> {
    Ok(list(db)
        .await?
        .into_iter()
        .map(|row| {
            let info = KeyInfo {
                id: row.id.clone(),
                name: row.name.clone(),
                scopes: scopes_of(&row),
                allowed_models: allowed_models_of(&row),
                active: row.is_active,
                expires_at: row.expires_at,
                revoked: row.revoked_at.is_some(),
            };
            (row.key_hash, info)
        })
        .collect())
}
