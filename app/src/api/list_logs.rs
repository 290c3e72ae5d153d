use super::list_budgets::KeyChoice;
use super::usage_types::LogRow;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows per page of the request log.
pub const LOGS_PER_PAGE: u64 = 25;

/// The Logs page's filters, from its address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogQuery {
    /// `ok`, `error` or empty.
    pub status: String,
    pub provider: String,
    pub model: String,
    pub key_id: String,
    /// Free text.
    pub q: String,
    /// From 1.
    pub page: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// Matching rows.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Filter choices: providers and models seen in the log, and the keys.
    pub providers: Vec<String>,
    pub models: Vec<String>,
    pub keys: Vec<KeyChoice>,
}

#[server(prefix = "/api/sf", endpoint = "list_logs")]
pub async fn list_logs(query: LogQuery) -> Result<LogPage, ServerFnError> {
    use super::rest;
    use super::usage_types::query_string;
    use serde_json::Value;
    let page = query.page.max(1);
    let offset = ((page - 1) * LOGS_PER_PAGE).to_string();
    let limit = LOGS_PER_PAGE.to_string();
    let qs = query_string(&[
        ("status", &query.status),
        ("provider", &query.provider),
        ("model", &query.model),
        ("keyId", &query.key_id),
        ("q", &query.q),
        ("limit", &limit),
        ("offset", &offset),
    ]);
    let v: Value = rest("GET", &format!("/api/usage/logs{qs}"), None).await?;
    let rows = v["logs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(LogRow::from_json)
        .collect();
    let names = |v: Value| -> Vec<String> {
        v["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["key"].as_str().map(str::to_string))
            .collect()
    };
    let mut providers = names(rest("GET", "/api/usage/summary?groupBy=provider", None).await?);
    let mut models = names(rest("GET", "/api/usage/summary?groupBy=model", None).await?);
    providers.sort();
    models.sort();
    let k: Value = rest("GET", "/api/keys", None).await?;
    let keys = k["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| KeyChoice {
            id: k["id"].as_str().unwrap_or_default().to_string(),
            name: k["name"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    Ok(LogPage {
        rows,
        total: v["total"].as_u64().unwrap_or(0),
        page,
        per_page: LOGS_PER_PAGE,
        providers,
        models,
        keys,
    })
}
