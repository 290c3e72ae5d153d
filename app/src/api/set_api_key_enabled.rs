use leptos::prelude::*;

/// Enables or disables an API key (a disabled key is refused until enabled again).
#[server(prefix = "/api/sf", endpoint = "set_api_key_enabled")]
pub async fn set_api_key_enabled(id: String, enabled: bool) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .set_api_key_enabled(id, enabled)
        .await
        .map_err(ServerFnError::new)
}
