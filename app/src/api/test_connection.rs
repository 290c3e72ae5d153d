use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The outcome of testing a connection against its provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionTest {
    pub ok: bool,
    /// The provider's HTTP status; None when no answer came.
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub message: String,
}

/// Tests a connection (its model list, or a one-token chat) and records the result.
#[server(prefix = "/api/sf", endpoint = "test_connection")]
pub async fn test_connection(id: String) -> Result<ConnectionTest, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .test_connection(id)
        .await
        .map_err(ServerFnError::new)
}
