//! `usage_history`: one row per attempt to serve a client request (see the migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Shared by every attempt of one client request.
    pub request_id: String,
    /// Unix milliseconds.
    pub ts: i64,
    /// NULL for anonymous callers (loopback without a key).
    pub api_key_id: Option<String>,
    pub api_key_name: Option<String>,
    pub requested_model: String,
    /// The resolved provider (or custom node) id; NULL when refused before resolution.
    pub provider: Option<String>,
    /// The model id sent upstream.
    pub model: Option<String>,
    pub connection_id: Option<String>,
    pub combo: Option<String>,
    /// `chat`, `messages`, `responses`, `gemini`, `completions`, `embeddings`, ...
    pub endpoint: String,
    pub client_format: String,
    pub upstream_format: Option<String>,
    /// Prompt tokens at the normal rate (cache reads and writes excluded).
    pub tokens_input: i64,
    /// Generated tokens, reasoning included.
    pub tokens_output: i64,
    pub tokens_cache_read: i64,
    pub tokens_cache_write: i64,
    /// The part of `tokens_output` spent on reasoning.
    pub tokens_reasoning: i64,
    pub latency_ms: i64,
    pub ttft_ms: Option<i64>,
    pub status: i32,
    pub success: bool,
    pub error: Option<String>,
    pub attempt: i32,
    pub streamed: bool,
    /// Answered from the response cache (migration 000009): no upstream call, cost 0.
    pub cached: bool,
    /// USD; NULL when unknown (a needed price is missing).
    pub cost_usd: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
