use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the Translator Playground sends. Formats are `openai_chat`, `anthropic`, `gemini`,
/// `responses`; `mode` is `request`, `response` or `stream`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TranslateInput {
    pub mode: String,
    /// The client's format.
    pub source: String,
    /// The provider's format.
    pub target: String,
    /// The model to name in the output; empty: the body's own, or a placeholder.
    pub model: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TranslateOutput {
    /// Pretty JSON (request, response) or SSE text (stream).
    pub text: String,
    /// What the target format cannot express and was dropped.
    pub warnings: Vec<String>,
}

/// The largest body the playground accepts.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// Translates a request (source → target), or a response or stream (target → source, the way
/// the gateway returns a provider's answer to the client).
#[server(prefix = "/api/sf", endpoint = "translate")]
pub async fn translate(input: TranslateInput) -> Result<TranslateOutput, ServerFnError> {
    if input.body.len() > MAX_BODY_BYTES {
        return Err(ServerFnError::new(format!(
            "The body is larger than {} KiB.",
            MAX_BODY_BYTES / 1024
        )));
    }
    if input.body.trim().is_empty() {
        return Err(ServerFnError::new(
            "Paste a body first (or load the example).",
        ));
    }
    let backend = super::backend()?;
    backend.0.translate(input).await.map_err(ServerFnError::new)
}
