use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The Home page: `GET /api/overview`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub generated_at: String,
    pub today: Period,
    pub month: Period,
    pub top_models: Vec<TopRow>,
    pub top_providers: Vec<TopRow>,
    pub series: Series,
    pub health: HealthGlance,
    pub recent_errors: Vec<ErrorRow>,
    pub setup: Setup,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// Client requests.
    pub requests: i64,
    pub attempts: i64,
    pub failed: i64,
    /// Of attempts, 0..1; None without any.
    pub success_rate: Option<f64>,
    pub tokens: i64,
    /// USD; None when no price is known.
    pub cost: Option<f64>,
    pub unknown_cost_requests: i64,
    pub avg_latency_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopRow {
    pub name: String,
    pub requests: i64,
    pub failed: i64,
    pub cost: Option<f64>,
    pub tokens: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    pub range: String,
    pub bucket: String,
    pub points: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    /// Unix milliseconds.
    pub start: i64,
    pub time: String,
    pub requests: i64,
    pub failed: i64,
    pub cost: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthGlance {
    pub open_breakers: Vec<OpenBreaker>,
    pub cooldowns: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBreaker {
    pub provider: String,
    pub state: String,
    pub retry_in_secs: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorRow {
    pub id: i64,
    pub time: String,
    pub requested_model: String,
    pub provider: Option<String>,
    pub status: i32,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    pub providers: usize,
    pub api_keys: usize,
    pub requests: i64,
    pub steps: Vec<SetupStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStep {
    pub id: String,
    pub title: String,
    pub done: bool,
    pub href: String,
}

/// `range`: `24h`, `7d` or `30d`.
#[server(prefix = "/api/sf", endpoint = "overview")]
pub async fn get_overview(range: String) -> Result<Overview, ServerFnError> {
    let range = match range.as_str() {
        "24h" | "7d" | "30d" => range,
        _ => "7d".to_string(),
    };
    super::rest("GET", &format!("/api/overview?range={range}"), None).await
}
