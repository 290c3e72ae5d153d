use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → Security → IP access control: `GET/PUT /api/settings/ip-access`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IpAccess {
    pub enabled: bool,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

#[server(prefix = "/api/sf", endpoint = "ip_access_settings")]
pub async fn get_ip_access() -> Result<IpAccess, ServerFnError> {
    super::rest("GET", "/api/settings/ip-access", None).await
}

/// The lists come one entry per line (commas also separate).
#[server(prefix = "/api/sf", endpoint = "save_ip_access")]
pub async fn save_ip_access(
    allow: String,
    deny: String,
    #[server(default)] enabled: Option<String>,
) -> Result<IpAccess, ServerFnError> {
    let lines = |text: &str| -> Vec<String> {
        text.split(['\n', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    super::rest(
        "PUT",
        "/api/settings/ip-access",
        Some(serde_json::json!({
            "enabled": enabled.is_some(),
            "allow": lines(&allow),
            "deny": lines(&deny),
        })),
    )
    .await
}
