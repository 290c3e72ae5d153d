//! `mcp_tool_audit`: one row per MCP tool call (see the migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mcp_tool_audit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unix milliseconds when the call arrived.
    pub ts: i64,
    pub tool: String,
    /// The scope that allowed the call (`health`, `combos`, ...).
    pub scope: String,
    /// NULL for the local stdio operator without a key.
    pub api_key_id: Option<String>,
    pub key_name: Option<String>,
    /// `stream` (streamable HTTP), `sse` or `stdio`.
    pub transport: String,
    pub duration_ms: i64,
    pub success: bool,
    pub error: Option<String>,
    /// SHA-256 (hex) of the arguments' JSON.
    pub input_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
