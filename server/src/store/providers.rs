//! Provider connections, custom nodes and custom models: the tables `provider_connections`,
//! `provider_nodes` and `provider_models`, and the snapshot the request path reads.
//!
//! API keys are encrypted here on the way in and decrypted on the way out (see `crypto`);
//! callers never see `api_key_enc`.

use crate::config::Config;
use crate::crypto::{CryptoError, SecretBox};
use crate::snapshot::{Connection, CustomModel, Snapshot};
use entity::{provider_connections as conn, provider_models as pmodel, provider_nodes as pnode};
use gateway::providers::{CustomApiType, CustomNode, CustomNodeKind};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(DbErr),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
    /// A unique constraint refused the write (a node prefix taken meanwhile).
    #[error("already exists: {0}")]
    Conflict(String),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => StoreError::Conflict(msg),
            _ => StoreError::Db(e),
        }
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// A connection as the management API sees it, with the key decrypted.
#[derive(Clone)]
pub struct StoredConnection {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub api_key: Option<String>,
    /// Set when a stored key exists but cannot be decrypted (the encryption key changed).
    pub key_error: Option<CryptoError>,
    pub base_url: Option<String>,
    pub priority: i64,
    pub is_active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_tested_at: Option<i64>,
    pub test_status: Option<String>,
    pub last_error: Option<String>,
}

impl std::fmt::Debug for StoredConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredConnection")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl StoredConnection {
    fn from_row(row: conn::Model, secrets: &SecretBox) -> Self {
        let (api_key, key_error) = match row.api_key_enc.as_deref() {
            None => (None, None),
            Some(stored) => match secrets.decrypt(stored) {
                Ok(key) => (Some(key), None),
                Err(e) => (None, Some(e)),
            },
        };
        Self {
            id: row.id,
            provider: row.provider,
            name: row.name,
            api_key,
            key_error,
            base_url: row.base_url,
            priority: row.priority,
            is_active: row.is_active,
            created_at: row.created_at,
            updated_at: row.updated_at,
            last_tested_at: row.last_tested_at,
            test_status: row.test_status,
            last_error: row.last_error,
        }
    }
}

/// What `POST /api/providers` stores. `priority: None` puts the connection last.
pub struct NewConnection {
    pub provider: String,
    pub name: String,
    pub api_key: Option<String>,
    pub base_url: Option<String>,
    pub priority: Option<i64>,
}

/// A partial update; `None` leaves a field as it is, `Some(None)` clears a nullable one.
#[derive(Default)]
pub struct ConnectionPatch {
    pub name: Option<String>,
    pub api_key: Option<Option<String>>,
    pub base_url: Option<Option<String>>,
    pub priority: Option<i64>,
    pub is_active: Option<bool>,
}

/// A UUID v4-shaped random id.
pub fn new_id() -> String {
    let h = crate::config::random_hex(16);
    // Version 4 and the RFC 4122 variant, so the id reads as a regular UUID.
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

pub async fn list_connections(
    db: &DatabaseConnection,
    secrets: &SecretBox,
) -> Result<Vec<StoredConnection>> {
    let rows = conn::Entity::find()
        .order_by_asc(conn::Column::Provider)
        .order_by_asc(conn::Column::Priority)
        .order_by_asc(conn::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredConnection::from_row(r, secrets))
        .collect())
}

pub async fn get_connection(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    id: &str,
) -> Result<Option<StoredConnection>> {
    Ok(conn::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(|r| StoredConnection::from_row(r, secrets)))
}

pub async fn insert_connection(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    new: NewConnection,
) -> Result<StoredConnection> {
    let priority = match new.priority {
        Some(p) => p,
        None => next_priority(db, &new.provider).await?,
    };
    let api_key_enc = match new.api_key.as_deref() {
        Some(key) => Some(secrets.encrypt(key)?),
        None => None,
    };
    let now = super::now_unix();
    let row = conn::ActiveModel {
        id: Set(new_id()),
        provider: Set(new.provider),
        name: Set(new.name),
        api_key_enc: Set(api_key_enc),
        base_url: Set(new.base_url),
        priority: Set(priority),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        last_tested_at: Set(None),
        test_status: Set(None),
        last_error: Set(None),
    }
    .insert(db)
    .await?;
    Ok(StoredConnection::from_row(row, secrets))
}

/// One more than the highest priority of the provider's connections (1 for the first).
async fn next_priority(db: &DatabaseConnection, provider: &str) -> Result<i64> {
    let last = conn::Entity::find()
        .filter(conn::Column::Provider.eq(provider))
        .order_by_desc(conn::Column::Priority)
        .one(db)
        .await?;
    Ok(last.map_or(1, |r| r.priority.saturating_add(1)))
}

/// `None` when there is no such connection.
pub async fn update_connection(
    db: &DatabaseConnection,
    secrets: &SecretBox,
    id: &str,
    patch: ConnectionPatch,
) -> Result<Option<StoredConnection>> {
    let Some(row) = conn::Entity::find_by_id(id.to_string()).one(db).await? else {
        return Ok(None);
    };
    let mut active: conn::ActiveModel = row.into();
    if let Some(name) = patch.name {
        active.name = Set(name);
    }
    if let Some(key) = patch.api_key {
        let enc = match key.as_deref() {
            Some(key) => Some(secrets.encrypt(key)?),
            None => None,
        };
        active.api_key_enc = Set(enc);
    }
    if let Some(base_url) = patch.base_url {
        active.base_url = Set(base_url);
    }
    if let Some(priority) = patch.priority {
        active.priority = Set(priority);
    }
    if let Some(is_active) = patch.is_active {
        active.is_active = Set(is_active);
    }
    active.updated_at = Set(super::now_unix());
    let row = active.update(db).await?;
    Ok(Some(StoredConnection::from_row(row, secrets)))
}

/// Whether a connection was deleted.
pub async fn delete_connection(db: &DatabaseConnection, id: &str) -> Result<bool> {
    let done = conn::Entity::delete_by_id(id.to_string()).exec(db).await?;
    Ok(done.rows_affected > 0)
}

/// Records the outcome of a connection test (`active` or `error`).
pub async fn record_test(
    db: &DatabaseConnection,
    id: &str,
    ok: bool,
    error: Option<&str>,
) -> Result<()> {
    let status = if ok { "active" } else { "error" };
    conn::Entity::update_many()
        .col_expr(conn::Column::LastTestedAt, Expr::value(super::now_unix()))
        .col_expr(conn::Column::TestStatus, Expr::value(status))
        .col_expr(
            conn::Column::LastError,
            Expr::value(error.map(str::to_string)),
        )
        .filter(conn::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

// ---- custom nodes ----

/// A custom node with its bookkeeping. `node.models` is filled from `provider_models`.
#[derive(Debug, Clone)]
pub struct StoredNode {
    pub node: CustomNode,
    pub created_at: i64,
    pub updated_at: i64,
}

pub fn kind_str(kind: CustomNodeKind) -> &'static str {
    match kind {
        CustomNodeKind::OpenaiCompatible => "openai-compatible",
        CustomNodeKind::AnthropicCompatible => "anthropic-compatible",
    }
}

pub fn api_type_str(api_type: CustomApiType) -> &'static str {
    match api_type {
        CustomApiType::Chat => "chat",
        CustomApiType::Responses => "responses",
    }
}

fn node_from_row(row: pnode::Model, models: Vec<String>) -> StoredNode {
    // Rows are written by this module only; an unexpected value falls back to the default.
    let kind = match row.kind.as_str() {
        "anthropic-compatible" => CustomNodeKind::AnthropicCompatible,
        _ => CustomNodeKind::OpenaiCompatible,
    };
    let api_type = match row.api_type.as_str() {
        "responses" => CustomApiType::Responses,
        _ => CustomApiType::Chat,
    };
    StoredNode {
        node: CustomNode {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            base_url: row.base_url,
            kind,
            api_type,
            models,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn models_of<'a>(models: &'a [pmodel::Model], provider: &'a str) -> Vec<String> {
    models
        .iter()
        .filter(|m| m.provider == provider)
        .map(|m| m.model_id.clone())
        .collect()
}

pub async fn list_nodes(db: &DatabaseConnection) -> Result<Vec<StoredNode>> {
    let rows = pnode::Entity::find()
        .order_by_asc(pnode::Column::CreatedAt)
        .order_by_asc(pnode::Column::Prefix)
        .all(db)
        .await?;
    let models = all_models(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = models_of(&models, &r.id);
            node_from_row(r, m)
        })
        .collect())
}

pub async fn get_node(db: &DatabaseConnection, id: &str) -> Result<Option<StoredNode>> {
    let Some(row) = pnode::Entity::find_by_id(id.to_string()).one(db).await? else {
        return Ok(None);
    };
    let models = list_models(db, Some(&row.id)).await?;
    let ids = models.into_iter().map(|m| m.model_id).collect();
    Ok(Some(node_from_row(row, ids)))
}

/// Inserts a node (already validated). Its id is `<type>-<prefix>`, with a numeric suffix
/// when a node renamed since holds that id.
pub async fn insert_node(db: &DatabaseConnection, node: &CustomNode) -> Result<StoredNode> {
    let base = format!("{}-{}", kind_str(node.kind), node.prefix);
    let mut id = base.clone();
    let mut n = 2;
    while pnode::Entity::find_by_id(id.clone())
        .one(db)
        .await?
        .is_some()
    {
        id = format!("{base}-{n}");
        n += 1;
    }
    let now = super::now_unix();
    let row = pnode::ActiveModel {
        id: Set(id),
        name: Set(node.name.clone()),
        prefix: Set(node.prefix.clone()),
        base_url: Set(node.base_url.clone()),
        kind: Set(kind_str(node.kind).to_string()),
        api_type: Set(api_type_str(node.api_type).to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(node_from_row(row, Vec::new()))
}

/// Replaces a node's editable fields (already validated); `None` when it does not exist.
pub async fn update_node(db: &DatabaseConnection, node: &CustomNode) -> Result<Option<StoredNode>> {
    let Some(row) = pnode::Entity::find_by_id(node.id.clone()).one(db).await? else {
        return Ok(None);
    };
    let mut active: pnode::ActiveModel = row.into();
    active.name = Set(node.name.clone());
    active.prefix = Set(node.prefix.clone());
    active.base_url = Set(node.base_url.clone());
    active.kind = Set(kind_str(node.kind).to_string());
    active.api_type = Set(api_type_str(node.api_type).to_string());
    active.updated_at = Set(super::now_unix());
    let row = active.update(db).await?;
    Ok(Some(node_from_row(row, node.models.clone())))
}

/// What deleting a node removed with it.
#[derive(Debug, Clone, Copy)]
pub struct NodeDeletion {
    pub connections: u64,
    pub models: u64,
}

/// Deletes a node with its connections and custom models (they are useless without it).
pub async fn delete_node(db: &DatabaseConnection, id: &str) -> Result<Option<NodeDeletion>> {
    let txn = db.begin().await?;
    let done = pnode::Entity::delete_by_id(id.to_string())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(None);
    }
    let connections = conn::Entity::delete_many()
        .filter(conn::Column::Provider.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    let models = pmodel::Entity::delete_many()
        .filter(pmodel::Column::Provider.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(Some(NodeDeletion {
        connections,
        models,
    }))
}

// ---- custom models ----

/// A model id added to a provider.
#[derive(Debug, Clone)]
pub struct StoredModel {
    pub provider: String,
    pub model_id: String,
    pub model_name: Option<String>,
    /// `manual` or `imported`.
    pub source: String,
    pub created_at: i64,
}

impl From<pmodel::Model> for StoredModel {
    fn from(m: pmodel::Model) -> Self {
        Self {
            provider: m.provider,
            model_id: m.model_id,
            model_name: m.model_name,
            source: m.source,
            created_at: m.created_at,
        }
    }
}

async fn all_models(db: &impl ConnectionTrait) -> Result<Vec<pmodel::Model>> {
    Ok(pmodel::Entity::find()
        .order_by_asc(pmodel::Column::Provider)
        .order_by_asc(pmodel::Column::CreatedAt)
        .order_by_asc(pmodel::Column::ModelId)
        .all(db)
        .await?)
}

/// The custom models of one provider, or of all.
pub async fn list_models(
    db: &DatabaseConnection,
    provider: Option<&str>,
) -> Result<Vec<StoredModel>> {
    let mut query = pmodel::Entity::find();
    if let Some(provider) = provider {
        query = query.filter(pmodel::Column::Provider.eq(provider));
    }
    let rows = query
        .order_by_asc(pmodel::Column::Provider)
        .order_by_asc(pmodel::Column::CreatedAt)
        .order_by_asc(pmodel::Column::ModelId)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(StoredModel::from).collect())
}

/// Adds a model by hand, or renames it if present. Returns the row and whether it is new.
pub async fn upsert_model(
    db: &DatabaseConnection,
    provider: &str,
    model_id: &str,
    model_name: Option<&str>,
) -> Result<(StoredModel, bool)> {
    let key = (provider.to_string(), model_id.to_string());
    if let Some(row) = pmodel::Entity::find_by_id(key.clone()).one(db).await? {
        let mut active: pmodel::ActiveModel = row.into();
        if let Some(name) = model_name {
            active.model_name = Set(Some(name.to_string()));
        }
        let row = active.update(db).await?;
        return Ok((row.into(), false));
    }
    let row = pmodel::ActiveModel {
        provider: Set(key.0),
        model_id: Set(key.1),
        model_name: Set(model_name.map(str::to_string)),
        source: Set("manual".to_string()),
        created_at: Set(super::now_unix()),
    }
    .insert(db)
    .await?;
    Ok((row.into(), true))
}

/// Stores imported model ids (id, display name); ids already present are left as they are.
/// Returns how many were new.
pub async fn import_models(
    db: &DatabaseConnection,
    provider: &str,
    models: &[(String, Option<String>)],
) -> Result<u64> {
    if models.is_empty() {
        return Ok(0);
    }
    let txn = db.begin().await?;
    let before = count_models(&txn, provider).await?;
    let now = super::now_unix();
    for chunk in models.chunks(200) {
        let rows = chunk.iter().map(|(id, name)| pmodel::ActiveModel {
            provider: Set(provider.to_string()),
            model_id: Set(id.clone()),
            model_name: Set(name.clone()),
            source: Set("imported".to_string()),
            created_at: Set(now),
        });
        pmodel::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([pmodel::Column::Provider, pmodel::Column::ModelId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let after = count_models(&txn, provider).await?;
    txn.commit().await?;
    Ok(after.saturating_sub(before))
}

async fn count_models(db: &impl ConnectionTrait, provider: &str) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(pmodel::Entity::find()
        .filter(pmodel::Column::Provider.eq(provider))
        .count(db)
        .await?)
}

/// Whether a model was removed.
pub async fn delete_model(db: &DatabaseConnection, provider: &str, model_id: &str) -> Result<bool> {
    let done = pmodel::Entity::delete_by_id((provider.to_string(), model_id.to_string()))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

// ---- the snapshot ----

/// Reads everything the request path needs into a fresh snapshot. A key that cannot be
/// decrypted (the encryption key changed) disables its connection with a warning; it never
/// stops start-up.
pub async fn load_snapshot(db: &DatabaseConnection, config: &Config) -> anyhow::Result<Snapshot> {
    let secrets = SecretBox::new(&config.storage_encryption_key);
    let connections = list_connections(db, &secrets)
        .await?
        .into_iter()
        .map(|c| {
            if let Some(e) = &c.key_error {
                tracing::warn!(
                    "provider connection {:?} ({}, id {}) is disabled: {e}; set its API key again",
                    c.name,
                    c.provider,
                    c.id
                );
            }
            Connection {
                enabled: c.is_active && c.key_error.is_none(),
                id: c.id,
                provider: c.provider,
                name: c.name,
                api_key: c.api_key,
                base_url: c.base_url,
                priority: c.priority,
            }
        })
        .collect();
    let nodes = list_nodes(db).await?.into_iter().map(|n| n.node).collect();
    let custom_models = all_models(db)
        .await?
        .into_iter()
        .map(|m| CustomModel {
            provider: m.provider,
            model_id: m.model_id,
            model_name: m.model_name,
        })
        .collect();
    Ok(Snapshot {
        connections,
        nodes,
        custom_models,
    })
}
