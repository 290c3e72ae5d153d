//! `api_keys`: client keys (hashed), their scopes and restrictions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// HMAC-SHA256 of the key with API_KEY_SECRET, hex.
    pub key_hash: String,
    /// The first characters, to recognise a key in lists.
    pub key_prefix: String,
    /// The key encrypted at rest, only when ALLOW_API_KEY_REVEAL was on at creation.
    pub key_enc: Option<String>,
    /// JSON array of scope names.
    pub scopes: String,
    /// JSON array of model patterns (`*` wildcard), or NULL for every model.
    pub allowed_models: Option<String>,
    pub is_active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
