use leptos::prelude::*;

/// Revokes an API key: every request with it is refused (regenerating gives it a new secret).
#[server(prefix = "/api/sf", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: String) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .revoke_api_key(id)
        .await
        .map_err(ServerFnError::new)
}
