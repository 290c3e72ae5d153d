use leptos::prelude::*;

/// Deletes an API key.
#[server(prefix = "/api/sf", endpoint = "delete_api_key")]
pub async fn delete_api_key(id: String) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .delete_api_key(id)
        .await
        .map_err(ServerFnError::new)
}
