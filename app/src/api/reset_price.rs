use leptos::prelude::*;

/// Removes a user price (`DELETE /api/pricing?provider=&model=`): the built-in price, when
/// there is one, applies again.
#[server(prefix = "/api/sf", endpoint = "reset_price")]
pub async fn reset_price(provider: String, model: String) -> Result<(), ServerFnError> {
    let q = super::usage_types::query_string(&[("provider", &provider), ("model", &model)]);
    let _: serde_json::Value = super::rest("DELETE", &format!("/api/pricing{q}"), None).await?;
    Ok(())
}
