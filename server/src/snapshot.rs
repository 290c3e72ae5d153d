//! What the request path reads: an in-memory copy of the routing configuration (connections,
//! custom nodes, custom models), rebuilt after every change. The proxy never queries the
//! database to route a request.

use gateway::providers::CustomNode;
use std::sync::{Arc, RwLock};

/// A provider account: one API key (or none, for local providers) of one provider.
#[derive(Clone)]
pub struct Connection {
    pub id: String,
    /// Registry provider id (`openai`, `deepseek`, ...) or a custom node id.
    pub provider: String,
    pub name: String,
    /// Decrypted; never logged (see the Debug impl), never returned by the API in full.
    pub api_key: Option<String>,
    /// Replaces the provider's base URL (self-hosted endpoints, tests against a mock).
    pub base_url: Option<String>,
    /// Lower first.
    pub priority: i64,
    pub enabled: bool,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("name", &self.name)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("priority", &self.priority)
            .field("enabled", &self.enabled)
            .finish()
    }
}

/// A model id added by the user to a provider (`POST /api/provider-models`).
#[derive(Debug, Clone)]
pub struct CustomModel {
    pub provider: String,
    pub model_id: String,
    pub model_name: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub connections: Vec<Connection>,
    pub nodes: Vec<CustomNode>,
    pub custom_models: Vec<CustomModel>,
}

impl Snapshot {
    /// Enabled connections of a provider (or custom node), by priority.
    pub fn connections_for(&self, provider: &str) -> Vec<&Connection> {
        let mut out: Vec<&Connection> = self
            .connections
            .iter()
            .filter(|c| c.enabled && c.provider == provider)
            .collect();
        out.sort_by_key(|c| c.priority);
        out
    }
}

/// The current snapshot, swapped whole on change.
#[derive(Debug, Default)]
pub struct SnapshotCell(RwLock<Arc<Snapshot>>);

impl SnapshotCell {
    pub fn get(&self) -> Arc<Snapshot> {
        self.0
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }
    pub fn set(&self, snapshot: Snapshot) {
        let mut guard = self.0.write().unwrap_or_else(|p| p.into_inner());
        *guard = Arc::new(snapshot);
    }
}
