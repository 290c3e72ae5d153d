use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A model as the provider lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpstreamModelInfo {
    pub id: String,
    pub name: Option<String>,
}

/// The provider's own model list, fetched with the connection's key and base URL.
#[server(prefix = "/api/sf", endpoint = "connection_models")]
pub async fn connection_models(id: String) -> Result<Vec<UpstreamModelInfo>, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .connection_models(id)
        .await
        .map_err(ServerFnError::new)
}
