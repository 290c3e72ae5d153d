use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An API key as the Endpoints and CLI Tools pages name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyBrief {
    pub id: String,
    pub name: String,
    /// `sk-or-AbCd…wXyZ`.
    pub prefix: String,
    /// Enabled, not revoked, not expired.
    pub usable: bool,
    /// Its full text can be shown again (ALLOW_API_KEY_REVEAL=true when it was made).
    pub revealable: bool,
}

/// What the Endpoints page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointsInfo {
    /// This server as the browser reached it, without a trailing slash
    /// (`http://localhost:20128`).
    pub base_url: String,
    /// Whether a /v1 request without a key is refused.
    pub key_required: bool,
    /// Why (REQUIRE_API_KEY, or the listen address).
    pub key_policy: String,
    pub keys: Vec<KeyBrief>,
}

/// One base URL a client can be pointed at.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub id: &'static str,
    pub title: &'static str,
    pub url: String,
    pub note: &'static str,
}

/// The endpoints that work today, built on `base` (no trailing slash).
pub fn endpoints(base: &str) -> Vec<Endpoint> {
    vec![
        Endpoint {
            id: "openai",
            title: "OpenAI-compatible",
            url: format!("{base}/v1"),
            note: "Chat Completions, Responses, Embeddings, Images, Audio and the model list. For Cursor, Cline, Continue, RooCode and the OpenAI SDKs.",
        },
        Endpoint {
            id: "anthropic",
            title: "Claude-compatible root",
            url: base.to_string(),
            note: "ANTHROPIC_BASE_URL for Claude Code and the Anthropic SDKs, which add /v1/messages themselves. Do not append /v1.",
        },
        Endpoint {
            id: "gemini",
            title: "Gemini-compatible",
            url: format!("{base}/v1beta"),
            note: "models/{model}:generateContent and :streamGenerateContent, and the model list, for Gemini clients.",
        },
        Endpoint {
            id: "responses",
            title: "Responses at the root (Codex)",
            url: format!("{base}/responses"),
            note: "Where Codex CLI sends requests with OPENAI_BASE_URL set to the root; the same API is at /v1/responses.",
        },
        Endpoint {
            id: "models",
            title: "Model list",
            url: format!("{base}/v1/models"),
            note: "The models your connections serve, in the OpenAI shape.",
        },
    ]
}

#[server(prefix = "/api/sf", endpoint = "endpoints_info")]
pub async fn get_endpoints_info() -> Result<EndpointsInfo, ServerFnError> {
    let backend = super::backend()?;
    backend.0.endpoints_info().await.map_err(ServerFnError::new)
}
