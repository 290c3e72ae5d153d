use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A provider connection as the Providers page shows it. The key is only ever masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionInfo {
    pub id: String,
    /// Registry provider id (`openai`) or custom node id.
    pub provider: String,
    /// `OpenAI`, or the provider id when it no longer exists.
    pub provider_name: String,
    pub name: String,
    pub enabled: bool,
    /// Lower first.
    pub priority: i64,
    /// `sk-…abcd`; None when the connection has no key.
    pub key_masked: Option<String>,
    /// Set when the stored key cannot be decrypted any more.
    pub key_error: Option<String>,
    /// The connection's own base URL, if it overrides the provider's.
    pub base_url: Option<String>,
    /// The provider's base URL (what is used when `base_url` is None).
    pub default_base_url: Option<String>,
    /// `active` (last test passed) or `error`; None when never tested.
    pub test_status: Option<String>,
    pub last_error: Option<String>,
    /// Unix seconds.
    pub last_tested_at: Option<i64>,
}

/// A custom OpenAI- or Anthropic-compatible node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub base_url: String,
    /// `openai-compatible` or `anthropic-compatible`.
    pub kind: String,
    /// `chat` or `responses`.
    pub api_type: String,
    pub models: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvidersOverview {
    pub connections: Vec<ConnectionInfo>,
    pub nodes: Vec<NodeInfo>,
}

#[server(prefix = "/api/sf", endpoint = "list_providers")]
pub async fn list_providers() -> Result<ProvidersOverview, ServerFnError> {
    let backend = super::backend()?;
    backend.0.list_providers().await.map_err(ServerFnError::new)
}
