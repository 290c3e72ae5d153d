//! Settings → AI: `GET/PUT /api/settings/ai {"thinkingBudget","systemPrompt","systemPromptPosition"}`.
//! Applied to every /v1 chat request by `crate::ai_settings`.

use super::{save, KV_NAMESPACE};
use crate::ai_settings::{AiSettings, PromptPosition};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;

pub const KV_KEY: &str = "ai";
/// The longest global system prompt accepted.
pub const MAX_PROMPT_CHARS: usize = 20_000;

pub async fn get_settings(State(system): State<SystemState>) -> Json<AiSettings> {
    Json((*system.app.ai().ai()).clone())
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<AiSettings>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = (*system.app.ai().ai()).clone();
    if let Some(n) = body.integer_in("thinkingBudget", 0, 200_000)? {
        s.thinking_budget = n as u32;
    }
    if let Some(text) = body.nullable_string("systemPrompt")? {
        let text = text.unwrap_or_default();
        if text.chars().count() > MAX_PROMPT_CHARS {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("systemPrompt is longer than {MAX_PROMPT_CHARS} characters"),
            ));
        }
        s.system_prompt = text;
    }
    if let Some(p) = body.string("systemPromptPosition")? {
        s.system_prompt_position = PromptPosition::parse(&p).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_field",
                format!("systemPromptPosition must be prepend or append (got {p:?})"),
            )
        })?;
    }
    save(&system.app, KV_NAMESPACE, KV_KEY, &s).await?;
    system.app.ai().set_ai(s.clone());
    Ok(Json(s))
}
