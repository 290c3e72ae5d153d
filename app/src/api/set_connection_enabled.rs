use leptos::prelude::*;

/// Enables or disables a connection (a disabled one is never routed to).
#[server(prefix = "/api/sf", endpoint = "set_connection_enabled")]
pub async fn set_connection_enabled(id: String, enabled: bool) -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .set_connection_enabled(id, enabled)
        .await
        .map_err(ServerFnError::new)
}
