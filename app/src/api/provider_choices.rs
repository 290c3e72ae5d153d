use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A provider a connection can be added to: an API-key provider of the registry or a custom
/// node. Subscription (OAuth) providers are not offered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderChoice {
    pub id: String,
    pub name: String,
    /// The model-string prefix (`openai/gpt-4o`).
    pub prefix: String,
    /// False for local servers (Ollama, vLLM...), which need no key.
    pub needs_key: bool,
    pub default_base_url: String,
    /// A custom node rather than a built-in provider.
    pub custom: bool,
}

#[server(prefix = "/api/sf", endpoint = "provider_choices")]
pub async fn provider_choices() -> Result<Vec<ProviderChoice>, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .provider_choices()
        .await
        .map_err(ServerFnError::new)
}
