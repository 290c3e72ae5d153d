//! `provider_nodes`: user-defined OpenAI- or Anthropic-compatible endpoints.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provider_nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// The model-string prefix (`mybox` in `mybox/llama3`); unique.
    pub prefix: String,
    pub base_url: String,
    /// `openai-compatible` or `anthropic-compatible`.
    #[sea_orm(column_name = "type")]
    pub kind: String,
    /// `chat` or `responses`.
    pub api_type: String,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
