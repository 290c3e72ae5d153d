use leptos::prelude::*;

/// Persists the display order (`POST /api/combos/reorder {"ids"}`).
pub async fn reorder_combos(ids: Vec<String>) -> Result<(), ServerFnError> {
    reorder_combos_json(ids.join("\n")).await
}

/// The ids, one per line (combo ids never contain a newline).
#[server(prefix = "/api/sf", endpoint = "reorder_combos")]
pub async fn reorder_combos_json(ids: String) -> Result<(), ServerFnError> {
    let ids: Vec<&str> = ids.lines().filter(|l| !l.is_empty()).collect();
    let _: serde_json::Value = super::rest(
        "POST",
        "/api/combos/reorder",
        Some(serde_json::json!({ "ids": ids })),
    )
    .await?;
    Ok(())
}
