use super::list_providers::ConnectionInfo;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The "Add an API key" form. Empty optional fields are None.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewConnectionInput {
    pub provider: String,
    pub name: Option<String>,
    pub api_key: Option<String>,
    pub base_url: Option<String>,
}

#[cfg(feature = "ssr")]
fn non_empty(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Adds an API-key connection to a provider or custom node.
#[server(prefix = "/api/sf", endpoint = "add_connection")]
pub async fn add_connection(
    provider: String,
    name: String,
    api_key: String,
    base_url: String,
) -> Result<ConnectionInfo, ServerFnError> {
    let input = NewConnectionInput {
        provider: provider.trim().to_string(),
        name: non_empty(name),
        api_key: non_empty(api_key),
        base_url: non_empty(base_url),
    };
    if input.provider.is_empty() {
        return Err(ServerFnError::new("Choose a provider."));
    }
    let backend = super::backend()?;
    backend
        .0
        .add_connection(input)
        .await
        .map_err(ServerFnError::new)
}
