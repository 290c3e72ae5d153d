use leptos::prelude::*;

/// Cancels an A2A task that has not finished.
#[server(prefix = "/api/sf", endpoint = "cancel_a2a_task")]
pub async fn cancel_a2a_task(id: String) -> Result<String, ServerFnError> {
    let path = format!(
        "/api/a2a/tasks/{}/cancel",
        id.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
    );
    let _: serde_json::Value = super::rest("POST", &path, None).await?;
    Ok("Task canceled.".to_string())
}
