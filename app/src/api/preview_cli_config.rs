use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The tools whose configuration file "Apply" can write on this machine.
pub const APPLY_TOOLS: &[&str] = &["claude", "codex", "openclaw"];

/// What goes into a tool's configuration file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CliConfigInput {
    /// `claude`, `codex` or `openclaw`.
    pub tool: String,
    /// The full API key; empty when unknown (Codex reads it from the environment instead).
    pub key: String,
    pub model: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    /// `same`, `add`, `del`, or `skip` (a run of unchanged lines left out; `text` says how many).
    pub kind: String,
    pub text: String,
}

/// The file "Apply" would write, before it is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CliPreview {
    pub path: String,
    pub exists: bool,
    /// The current content ("" when the file does not exist); "Apply" refuses if it changed.
    pub old: String,
    pub new: String,
    pub diff: Vec<DiffLine>,
    /// The file already says all this.
    pub unchanged: bool,
}

/// Computes the merged configuration file and its diff; writes nothing.
#[server(prefix = "/api/sf", endpoint = "preview_cli_config")]
pub async fn preview_cli_config(input: CliConfigInput) -> Result<CliPreview, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .preview_cli_config(input)
        .await
        .map_err(ServerFnError::new)
}
