use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → AI: `GET/PUT /api/settings/ai`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AiSettings {
    pub thinking_budget: u32,
    pub system_prompt: String,
    /// `prepend` or `append`.
    pub system_prompt_position: String,
}

#[server(prefix = "/api/sf", endpoint = "ai_settings")]
pub async fn get_ai_settings() -> Result<AiSettings, ServerFnError> {
    super::rest("GET", "/api/settings/ai", None).await
}

#[server(prefix = "/api/sf", endpoint = "save_ai_settings")]
pub async fn save_ai_settings(
    thinking_budget: String,
    system_prompt: String,
    system_prompt_position: String,
) -> Result<AiSettings, ServerFnError> {
    let budget: u32 = thinking_budget.trim().parse().map_err(|_| {
        ServerFnError::new("The thinking budget must be a whole number of tokens from 0 to 200000 (0 turns it off).")
    })?;
    super::rest(
        "PUT",
        "/api/settings/ai",
        Some(serde_json::json!({
            "thinkingBudget": budget,
            "systemPrompt": system_prompt,
            "systemPromptPosition": system_prompt_position,
        })),
    )
    .await
}
