use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A key's budget with its spend in the current period (`GET /api/usage/budget`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetRow {
    pub key_id: String,
    pub key_name: Option<String>,
    /// USD per period.
    pub limit: f64,
    /// `daily`, `weekly` or `monthly`.
    pub period: String,
    /// 0-1.
    pub warning_threshold: f64,
    pub spent: f64,
    pub remaining: f64,
    /// RFC 3339.
    pub resets_at: String,
    pub warning: bool,
    pub exceeded: bool,
}

/// A key a budget can be set for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyChoice {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetsOverview {
    pub budgets: Vec<BudgetRow>,
    pub keys: Vec<KeyChoice>,
}

#[server(prefix = "/api/sf", endpoint = "list_budgets")]
pub async fn list_budgets() -> Result<BudgetsOverview, ServerFnError> {
    use serde_json::Value;
    let v: Value = super::rest("GET", "/api/usage/budget", None).await?;
    let budgets = v["budgets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| BudgetRow {
            key_id: b["keyId"].as_str().unwrap_or_default().to_string(),
            key_name: b["keyName"].as_str().map(str::to_string),
            limit: b["limit"].as_f64().unwrap_or(0.0),
            period: b["period"].as_str().unwrap_or_default().to_string(),
            warning_threshold: b["warningThreshold"].as_f64().unwrap_or(0.8),
            spent: b["spent"].as_f64().unwrap_or(0.0),
            remaining: b["remaining"].as_f64().unwrap_or(0.0),
            resets_at: b["resetsAt"].as_str().unwrap_or_default().to_string(),
            warning: b["warning"].as_bool().unwrap_or(false),
            exceeded: b["exceeded"].as_bool().unwrap_or(false),
        })
        .collect();
    let k: Value = super::rest("GET", "/api/keys", None).await?;
    let keys = k["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|k| k["revokedAt"].is_null())
        .map(|k| KeyChoice {
            id: k["id"].as_str().unwrap_or_default().to_string(),
            name: k["name"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    Ok(BudgetsOverview { budgets, keys })
}
