use super::preview_cli_config::CliConfigInput;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CliApplied {
    pub path: String,
    /// Where the previous file was copied; None when there was none (or nothing changed).
    pub backup: Option<String>,
    pub unchanged: bool,
}

/// Writes the previewed configuration file (atomically, after a backup of the old one).
/// `expected_old` is the content the preview showed: a file changed since is not overwritten.
#[server(prefix = "/api/sf", endpoint = "apply_cli_config")]
pub async fn apply_cli_config(
    input: CliConfigInput,
    expected_old: String,
) -> Result<CliApplied, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .apply_cli_config(input, expected_old)
        .await
        .map_err(ServerFnError::new)
}
