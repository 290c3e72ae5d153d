use leptos::prelude::*;

/// Removes a key's budget (`DELETE /api/usage/budget?keyId=`).
#[server(prefix = "/api/sf", endpoint = "delete_budget")]
pub async fn delete_budget(key_id: String) -> Result<(), ServerFnError> {
    let q = super::usage_types::query_string(&[("keyId", &key_id)]);
    let _: serde_json::Value =
        super::rest("DELETE", &format!("/api/usage/budget{q}"), None).await?;
    Ok(())
}
