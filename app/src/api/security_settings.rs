use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → Security switches: `GET/PUT /api/settings/security`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecuritySettings {
    pub models_require_key: bool,
    /// off, log, flag or block.
    pub injection_guard: String,
}

#[server(prefix = "/api/sf", endpoint = "security_settings")]
pub async fn get_security_settings() -> Result<SecuritySettings, ServerFnError> {
    super::rest("GET", "/api/settings/security", None).await
}

#[server(prefix = "/api/sf", endpoint = "save_security_settings")]
pub async fn save_security_settings(
    injection_guard: String,
    #[server(default)] models_require_key: Option<String>,
) -> Result<SecuritySettings, ServerFnError> {
    super::rest(
        "PUT",
        "/api/settings/security",
        Some(serde_json::json!({
            "injectionGuard": injection_guard,
            "modelsRequireKey": models_require_key.is_some(),
        })),
    )
    .await
}
