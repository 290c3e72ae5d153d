use super::usage_types::LogRow;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The bodies recorded with a request (when Settings → logging records them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogBodies {
    pub request: Option<String>,
    pub request_truncated: bool,
    pub response: Option<String>,
    pub response_truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogDetail {
    pub log: LogRow,
    /// Every attempt of the same client request, in order (this one included).
    pub attempts: Vec<LogRow>,
    pub bodies: Option<LogBodies>,
}

#[server(prefix = "/api/sf", endpoint = "get_log_detail")]
pub async fn get_log_detail(id: i64) -> Result<LogDetail, ServerFnError> {
    let v: serde_json::Value = super::rest("GET", &format!("/api/usage/logs/{id}"), None).await?;
    let b = &v["bodies"];
    let bodies = (!b.is_null()).then(|| LogBodies {
        request: b["request"].as_str().map(str::to_string),
        request_truncated: b["requestTruncated"].as_bool().unwrap_or(false),
        response: b["response"].as_str().map(str::to_string),
        response_truncated: b["responseTruncated"].as_bool().unwrap_or(false),
    });
    Ok(LogDetail {
        log: LogRow::from_json(&v["log"]),
        attempts: v["attempts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(LogRow::from_json)
            .collect(),
        bodies,
    })
}
