use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the Health page's System Status card shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemStatus {
    pub version: String,
    pub uptime_secs: u64,
    /// Resident memory of the server process; None where the OS does not tell.
    pub memory_rss_bytes: Option<u64>,
    pub data_dir: String,
    /// storage.sqlite plus its write-ahead log.
    pub db_size_bytes: u64,
    /// The server's clock when this was measured (unix seconds).
    pub measured_at: i64,
}

#[server(prefix = "/api/sf", endpoint = "system_status")]
pub async fn get_system_status() -> Result<SystemStatus, ServerFnError> {
    let backend = super::backend()?;
    backend.0.system_status().await.map_err(ServerFnError::new)
}
