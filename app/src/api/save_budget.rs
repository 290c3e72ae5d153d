use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The budget form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetInput {
    pub key_id: String,
    /// USD per period.
    pub limit: String,
    pub period: String,
    /// Percent, e.g. `80`.
    pub warning_percent: String,
}

/// Sets (or replaces) a key's budget through `POST /api/usage/budget`.
#[server(prefix = "/api/sf", endpoint = "save_budget")]
pub async fn save_budget(input: BudgetInput) -> Result<(), ServerFnError> {
    if input.key_id.trim().is_empty() {
        return Err(ServerFnError::new("Choose an API key."));
    }
    let limit: f64 = input
        .limit
        .trim()
        .trim_start_matches('$')
        .parse()
        .map_err(|_| {
            ServerFnError::new(format!(
                "The limit must be an amount in USD, like 25 (got {:?}).",
                input.limit
            ))
        })?;
    let percent = input.warning_percent.trim().trim_end_matches('%');
    let threshold = if percent.is_empty() {
        0.8
    } else {
        let p: f64 = percent.parse().map_err(|_| {
            ServerFnError::new(format!(
                "The warning threshold must be a percentage from 0 to 100 (got {:?}).",
                input.warning_percent
            ))
        })?;
        p / 100.0
    };
    let _: serde_json::Value = super::rest(
        "POST",
        "/api/usage/budget",
        Some(serde_json::json!({
            "keyId": input.key_id.trim(),
            "limit": limit,
            "period": input.period,
            "warningThreshold": threshold,
        })),
    )
    .await?;
    Ok(())
}
