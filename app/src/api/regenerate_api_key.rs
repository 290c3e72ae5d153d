use super::create_api_key::IssuedKey;
use leptos::prelude::*;

/// Gives a key a new secret (the old one stops working at once) and answers it once.
#[server(prefix = "/api/sf", endpoint = "regenerate_api_key")]
pub async fn regenerate_api_key(id: String) -> Result<IssuedKey, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .regenerate_api_key(id)
        .await
        .map_err(ServerFnError::new)
}
