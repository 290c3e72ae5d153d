use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An API key as the API Manager lists it: never the key itself, only its display prefix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: String,
    pub name: String,
    /// `sk-or-AbCd…wXyZ`.
    pub prefix: String,
    pub scopes: Vec<String>,
    /// Model patterns the key is limited to; empty: every model.
    pub allowed_models: Vec<String>,
    pub enabled: bool,
    /// The key is stored encrypted and the server allows showing it again.
    pub revealable: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Expired at the time of listing.
    pub expired: bool,
}

impl ApiKeyInfo {
    /// Whether a request with this key is accepted now.
    pub fn usable(&self) -> bool {
        self.enabled && self.revoked_at.is_none() && !self.expired
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeysOverview {
    pub keys: Vec<ApiKeyInfo>,
    /// Every scope a key can carry, in the server's order.
    pub scopes: Vec<String>,
    /// ALLOW_API_KEY_REVEAL=true.
    pub reveal_allowed: bool,
}

#[server(prefix = "/api/sf", endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<ApiKeysOverview, ServerFnError> {
    let backend = super::backend()?;
    backend.0.list_api_keys().await.map_err(ServerFnError::new)
}
