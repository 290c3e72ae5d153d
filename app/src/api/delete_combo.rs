use leptos::prelude::*;

/// `DELETE /api/combos/{id}`.
#[server(prefix = "/api/sf", endpoint = "delete_combo")]
pub async fn delete_combo(id: String) -> Result<(), ServerFnError> {
    let _: serde_json::Value = super::rest("DELETE", &format!("/api/combos/{id}"), None).await?;
    Ok(())
}
