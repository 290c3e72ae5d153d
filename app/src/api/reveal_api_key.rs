use leptos::prelude::*;

/// The full key, only when the server allows it (ALLOW_API_KEY_REVEAL=true) and the key was
/// stored encrypted.
#[server(prefix = "/api/sf", endpoint = "reveal_api_key")]
pub async fn reveal_api_key(id: String) -> Result<String, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .reveal_api_key(id)
        .await
        .map_err(ServerFnError::new)
}
