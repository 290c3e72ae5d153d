use leptos::prelude::*;

/// Deletes a custom node with its connections and custom models.
#[server(prefix = "/api/sf", endpoint = "delete_node")]
pub async fn delete_node(id: String) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend.0.delete_node(id).await.map_err(ServerFnError::new)
}
