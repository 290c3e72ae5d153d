use super::endpoints_info::KeyBrief;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the CLI Tools page needs to fill in the configurations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CliSetup {
    /// This server as the browser reached it, without a trailing slash.
    pub base_url: String,
    /// What `GET /v1/models` lists now.
    pub models: Vec<String>,
    pub keys: Vec<KeyBrief>,
    /// Whether a /v1 request without a key is refused.
    pub key_required: bool,
    /// Ok(home directory the config files are written under), or why "Apply" is refused.
    pub apply: Result<String, String>,
}

#[server(prefix = "/api/sf", endpoint = "cli_setup")]
pub async fn get_cli_setup() -> Result<CliSetup, ServerFnError> {
    let backend = super::backend()?;
    backend.0.cli_setup().await.map_err(ServerFnError::new)
}
