//! MCP and A2A settings (Dashboard → MCP & A2A), stored in `key_value` under `settings/mcp`
//! and `settings/a2a`, cached in memory (read on every MCP/A2A request).
//!
//! - `mcp.enabled` (default on): off → `/api/mcp/stream` and `/api/mcp/sse` answer 503.
//! - `mcp.allowedHosts`: `Host` names (or `host:port`) the MCP HTTP transports accept besides
//!   the loopback names and the bind address; `*` accepts any. The MCP SDK's servers refuse
//!   other hosts by default against DNS rebinding; OMNIROUTE_MCP_ALLOWED_HOSTS (comma
//!   separated, process environment) adds to the list.
//! - `a2a.enabled` (default on): off → `POST /a2a` answers a JSON-RPC error -32000 with 503.
//! - `a2a.defaultModel`: what smart-routing uses when a message names no model.
//!
//! Both are on by default because neither is open: every call needs an API key with the
//! right scope (the reference implementation, whose A2A endpoint is open without a key,
//! defaults them off).

use crate::store;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use std::sync::RwLock;
use tokio::sync::OnceCell;

const NAMESPACE: &str = "settings";
const MCP_KEY: &str = "mcp";
const A2A_KEY: &str = "a2a";
pub const ALLOWED_HOSTS_ENV: &str = "OMNIROUTE_MCP_ALLOWED_HOSTS";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct McpSettings {
    pub enabled: bool,
    pub allowed_hosts: Vec<String>,
}

impl Default for McpSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            allowed_hosts: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct A2aSettings {
    pub enabled: bool,
    pub default_model: Option<String>,
}

impl Default for A2aSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            default_model: None,
        }
    }
}

#[derive(Debug, Default)]
pub struct SettingsCell {
    loaded: OnceCell<()>,
    mcp: RwLock<McpSettings>,
    a2a: RwLock<A2aSettings>,
}

impl SettingsCell {
    async fn ensure_loaded(&self, db: &DatabaseConnection) {
        self.loaded
            .get_or_init(|| async {
                if let Some(m) = store::kv::get_json::<McpSettings>(db, NAMESPACE, MCP_KEY).await {
                    *self.mcp.write().unwrap_or_else(|p| p.into_inner()) = m;
                }
                if let Some(a) = store::kv::get_json::<A2aSettings>(db, NAMESPACE, A2A_KEY).await {
                    *self.a2a.write().unwrap_or_else(|p| p.into_inner()) = a;
                }
            })
            .await;
    }

    pub async fn mcp(&self, db: &DatabaseConnection) -> McpSettings {
        self.ensure_loaded(db).await;
        self.mcp.read().map(|g| g.clone()).unwrap_or_default()
    }

    pub async fn a2a(&self, db: &DatabaseConnection) -> A2aSettings {
        self.ensure_loaded(db).await;
        self.a2a.read().map(|g| g.clone()).unwrap_or_default()
    }

    pub async fn set_mcp(
        &self,
        db: &DatabaseConnection,
        value: McpSettings,
    ) -> Result<(), sea_orm::DbErr> {
        self.ensure_loaded(db).await;
        store::kv::set_json(db, NAMESPACE, MCP_KEY, &value).await?;
        *self.mcp.write().unwrap_or_else(|p| p.into_inner()) = value;
        Ok(())
    }

    pub async fn set_a2a(
        &self,
        db: &DatabaseConnection,
        value: A2aSettings,
    ) -> Result<(), sea_orm::DbErr> {
        self.ensure_loaded(db).await;
        store::kv::set_json(db, NAMESPACE, A2A_KEY, &value).await?;
        *self.a2a.write().unwrap_or_else(|p| p.into_inner()) = value;
        Ok(())
    }
}

/// The hosts from OMNIROUTE_MCP_ALLOWED_HOSTS.
pub fn env_allowed_hosts() -> Vec<String> {
    std::env::var(ALLOWED_HOSTS_ENV)
        .unwrap_or_default()
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect()
}

/// The hosts always accepted: loopback names, and the bind address when it is a specific one.
pub fn default_allowed_hosts(bind: std::net::IpAddr) -> Vec<String> {
    let mut hosts = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    if !bind.is_unspecified() && !bind.is_loopback() {
        hosts.push(bind.to_string());
    }
    hosts
}

/// Whether a `Host` header value is accepted by `allowed` (names, `name:port`, or `*`).
pub fn host_allowed(host_header: &str, allowed: &[String]) -> bool {
    let authority = host_header.trim().to_ascii_lowercase();
    if authority.is_empty() {
        return false;
    }
    let name = host_name(&authority);
    allowed.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        entry == "*"
            || entry == authority
            || entry.trim_start_matches('[').trim_end_matches(']') == name
    })
}

/// `example.com:8080` → `example.com`; `[::1]:20128` → `::1`.
fn host_name(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => {
            name
        }
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_by_name_or_authority() {
        let allowed = default_allowed_hosts("127.0.0.1".parse().unwrap());
        assert!(host_allowed("127.0.0.1:20128", &allowed));
        assert!(host_allowed("LOCALHOST:3000", &allowed));
        assert!(host_allowed("[::1]:20128", &allowed));
        assert!(!host_allowed("evil.example:20128", &allowed));
        assert!(!host_allowed("", &allowed));
        let mut more = allowed.clone();
        more.push("gw.example.com:8443".into());
        assert!(host_allowed("gw.example.com:8443", &more));
        assert!(!host_allowed("gw.example.com:9999", &more));
        assert!(host_allowed("anything", &["*".to_string()]));
        let lan = default_allowed_hosts("192.168.1.5".parse().unwrap());
        assert!(host_allowed("192.168.1.5:20128", &lan));
        assert!(!default_allowed_hosts("0.0.0.0".parse().unwrap()).contains(&"0.0.0.0".into()));
    }
}
