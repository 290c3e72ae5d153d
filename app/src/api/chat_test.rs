use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A chat sent through the real gateway path by the Translator's Chat Tester.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatTestInput {
    /// The client format: `openai_chat`, `anthropic`, `gemini`, `responses`.
    pub format: String,
    /// Required for Gemini (its model is in the URL); otherwise it replaces the body's model
    /// when not empty.
    pub model: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatTestAttempt {
    pub provider: String,
    pub upstream_format: String,
    pub url: String,
    pub translated_request: String,
    pub status: Option<u16>,
    pub upstream_response: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatTestOutput {
    pub client_request: String,
    pub attempts: Vec<ChatTestAttempt>,
    pub status: u16,
    pub client_response: String,
}

#[server(prefix = "/api/sf", endpoint = "chat_test")]
pub async fn chat_test(input: ChatTestInput) -> Result<ChatTestOutput, ServerFnError> {
    if input.body.trim().is_empty() {
        return Err(ServerFnError::new(
            "Write a request first (or load the example).",
        ));
    }
    if input.body.len() > super::translate::MAX_BODY_BYTES {
        return Err(ServerFnError::new("The request is larger than 512 KiB."));
    }
    let backend = super::backend()?;
    backend.0.chat_test(input).await.map_err(ServerFnError::new)
}
