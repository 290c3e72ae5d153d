//! `provider_connections`: one account (API key) of a provider or custom node.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provider_connections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Registry provider id (`openai`) or custom node id.
    pub provider: String,
    pub name: String,
    /// `enc:v1:<nonce b64>:<ciphertext b64>`; never the plaintext key.
    pub api_key_enc: Option<String>,
    pub base_url: Option<String>,
    /// Lower is tried first.
    pub priority: i64,
    pub is_active: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
    pub last_tested_at: Option<i64>,
    /// `active` or `error` after a connection test.
    pub test_status: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
