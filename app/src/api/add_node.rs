use super::list_providers::NodeInfo;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The "Add a custom node" form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewNodeInput {
    /// Empty: the prefix is the name.
    pub name: Option<String>,
    pub prefix: String,
    pub base_url: String,
    /// `openai-compatible` or `anthropic-compatible`.
    pub kind: String,
    /// `chat` or `responses`.
    pub api_type: String,
}

/// Adds a custom OpenAI- or Anthropic-compatible node.
#[server(prefix = "/api/sf", endpoint = "add_node")]
pub async fn add_node(
    name: String,
    prefix: String,
    base_url: String,
    kind: String,
    api_type: String,
) -> Result<NodeInfo, ServerFnError> {
    let name = name.trim();
    let input = NewNodeInput {
        name: (!name.is_empty()).then(|| name.to_string()),
        prefix: prefix.trim().to_string(),
        base_url: base_url.trim().to_string(),
        kind,
        api_type,
    };
    if input.prefix.is_empty() {
        return Err(ServerFnError::new("Enter a prefix, e.g. mylab."));
    }
    if input.base_url.is_empty() {
        return Err(ServerFnError::new(
            "Enter the base URL, e.g. https://llm.example.com/v1.",
        ));
    }
    let backend = super::backend()?;
    backend.0.add_node(input).await.map_err(ServerFnError::new)
}
