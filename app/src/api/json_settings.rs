use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings namespaces the dashboard edits as JSON (their shapes are documented in
/// `/api/openapi.json`): the path under `/api/settings/`.
pub const JSON_NAMESPACES: [&str; 7] = [
    "aliases",
    "fallback-chains",
    "auto-routing",
    "provider-blocking",
    "wait-for-cooldown",
    "proxy",
    "logging",
];

#[cfg(feature = "ssr")]
fn path_of(namespace: &str) -> Result<String, ServerFnError> {
    if JSON_NAMESPACES.contains(&namespace) {
        Ok(format!("/api/settings/{namespace}"))
    } else {
        Err(ServerFnError::new(format!(
            "{namespace} is not an editable settings section."
        )))
    }
}

/// The section's current settings, pretty-printed.
#[server(prefix = "/api/sf", endpoint = "json_settings")]
pub async fn get_json_settings(namespace: String) -> Result<String, ServerFnError> {
    let value: serde_json::Value = super::rest("GET", &path_of(&namespace)?, None).await?;
    serde_json::to_string_pretty(&value).map_err(|e| ServerFnError::new(e.to_string()))
}

/// Replaces the section with `json` (validated by the section's own handler).
#[server(prefix = "/api/sf", endpoint = "save_json_settings")]
pub async fn save_json_settings(namespace: String, json: String) -> Result<String, ServerFnError> {
    let path = path_of(&namespace)?;
    let body: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| ServerFnError::new(format!("The JSON is not valid: {e}.")))?;
    if !body.is_object() {
        return Err(ServerFnError::new(
            "The settings must be a JSON object ({ ... }).",
        ));
    }
    let saved: serde_json::Value = super::rest("PUT", &path, Some(body)).await?;
    serde_json::to_string_pretty(&saved).map_err(|e| ServerFnError::new(e.to_string()))
}

/// The outcome of a proxy test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyTestResult {
    pub ok: bool,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub error: Option<String>,
}

/// `POST /api/settings/proxy/test`: connects through `url` to `target` (optional).
#[server(prefix = "/api/sf", endpoint = "test_proxy")]
pub async fn test_proxy(url: String, target: String) -> Result<ProxyTestResult, ServerFnError> {
    let mut body = serde_json::json!({ "url": url.trim() });
    if !target.trim().is_empty() {
        body["target"] = serde_json::Value::String(target.trim().to_string());
    }
    super::rest("POST", "/api/settings/proxy/test", Some(body)).await
}
