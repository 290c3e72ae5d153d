use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Tasks per page on the MCP & A2A page.
pub const TASKS_PER_PAGE: u64 = 20;

/// One A2A task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: String,
    pub skill: String,
    /// submitted, working, completed, failed or canceled.
    pub state: String,
    pub key_name: Option<String>,
    /// The start of the request's text.
    pub input: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub error: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub duration_ms: i64,
}

impl TaskRow {
    pub fn finished(&self) -> bool {
        matches!(self.state.as_str(), "completed" | "failed" | "canceled")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskPage {
    pub tasks: Vec<TaskRow>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

#[server(prefix = "/api/sf", endpoint = "a2a_tasks")]
pub async fn list_a2a_tasks(page: u64) -> Result<TaskPage, ServerFnError> {
    use serde_json::Value;
    let page = page.max(1);
    let offset = (page - 1) * TASKS_PER_PAGE;
    let v: Value = super::rest(
        "GET",
        &format!("/api/a2a/tasks?limit={TASKS_PER_PAGE}&offset={offset}"),
        None,
    )
    .await?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let tasks = v["tasks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| TaskRow {
            id: text(&t["id"]),
            skill: text(&t["skill"]),
            state: text(&t["state"]),
            key_name: t["keyName"].as_str().map(str::to_string),
            input: text(&t["input"]),
            provider: t["provider"].as_str().map(str::to_string),
            model: t["model"].as_str().map(str::to_string),
            error: t["error"].as_str().map(str::to_string),
            created_at: text(&t["createdAt"]),
            duration_ms: t["durationMs"].as_i64().unwrap_or(0),
        })
        .collect();
    Ok(TaskPage {
        tasks,
        total: v["total"].as_u64().unwrap_or(0),
        page,
        per_page: TASKS_PER_PAGE,
    })
}
