use leptos::prelude::*;

/// Deletes a connection and its stored key.
#[server(prefix = "/api/sf", endpoint = "delete_connection")]
pub async fn delete_connection(id: String) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .delete_connection(id)
        .await
        .map_err(ServerFnError::new)
}
