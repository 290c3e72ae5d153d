// A plain HTML form posts one field per control: these server functions take each as an
// argument (so the forms work without JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use std::collections::BTreeMap;

/// Settings → Resilience: `GET/PUT /api/settings/resilience`, as the server has it (numbers
/// and switches by camelCase name).
#[server(prefix = "/api/sf", endpoint = "resilience_settings")]
pub async fn get_resilience_settings() -> Result<BTreeMap<String, serde_json::Value>, ServerFnError>
{
    super::rest("GET", "/api/settings/resilience", None).await
}

/// The form's fields: `(form name, API name, label, unit / help)`. Only those the server
/// reports are shown and sent.
pub const RESILIENCE_FIELDS: [(&str, &str, &str, &str); 10] = [
    (
        "base_cooldown_secs",
        "baseCooldownSecs",
        "Base cooldown",
        "Seconds an account rests after its first 429 (doubles per repeat).",
    ),
    (
        "max_backoff_steps",
        "maxBackoffSteps",
        "Backoff steps",
        "How many times the cooldown may double.",
    ),
    (
        "use_upstream_hints",
        "useUpstreamHints",
        "Honour Retry-After",
        "Use the provider's Retry-After when it sends one.",
    ),
    (
        "breaker_threshold",
        "breakerThreshold",
        "Breaker threshold",
        "Consecutive provider faults (timeouts, 5xx) that open a provider's breaker.",
    ),
    (
        "breaker_reset_secs",
        "breakerResetSecs",
        "Breaker reset",
        "Seconds before an open breaker lets a probe through.",
    ),
    (
        "rpm_limit",
        "rpmLimit",
        "Requests per minute per account",
        "0 means no limit.",
    ),
    (
        "min_gap_ms",
        "minGapMs",
        "Minimum gap between requests (ms)",
        "Per account; 0 means none.",
    ),
    (
        "max_concurrent",
        "maxConcurrent",
        "Concurrent requests per account",
        "0 means no limit.",
    ),
    (
        "queue_max_wait_ms",
        "queueMaxWaitMs",
        "Queue wait (ms)",
        "How long a request waits for its account before moving on.",
    ),
    (
        "queue_max_size",
        "queueMaxSize",
        "Queue size",
        "Requests waiting per account at most.",
    ),
];

/// A form field's label by its API name.
pub fn field_label(api_name: &str) -> &'static str {
    RESILIENCE_FIELDS
        .iter()
        .find(|f| f.1 == api_name)
        .map_or("This field", |f| f.2)
}

#[server(prefix = "/api/sf", endpoint = "save_resilience_settings")]
pub async fn save_resilience_settings(
    #[server(default)] base_cooldown_secs: Option<String>,
    #[server(default)] max_backoff_steps: Option<String>,
    #[server(default)] use_upstream_hints: Option<String>,
    #[server(default)] breaker_threshold: Option<String>,
    #[server(default)] breaker_reset_secs: Option<String>,
    #[server(default)] rpm_limit: Option<String>,
    #[server(default)] min_gap_ms: Option<String>,
    #[server(default)] max_concurrent: Option<String>,
    #[server(default)] queue_max_wait_ms: Option<String>,
    #[server(default)] queue_max_size: Option<String>,
) -> Result<BTreeMap<String, serde_json::Value>, ServerFnError> {
    let given = [
        ("baseCooldownSecs", base_cooldown_secs),
        ("maxBackoffSteps", max_backoff_steps),
        ("useUpstreamHints", use_upstream_hints),
        ("breakerThreshold", breaker_threshold),
        ("breakerResetSecs", breaker_reset_secs),
        ("rpmLimit", rpm_limit),
        ("minGapMs", min_gap_ms),
        ("maxConcurrent", max_concurrent),
        ("queueMaxWaitMs", queue_max_wait_ms),
        ("queueMaxSize", queue_max_size),
    ];
    let current: BTreeMap<String, serde_json::Value> =
        super::rest("GET", "/api/settings/resilience", None).await?;
    let mut patch = serde_json::Map::new();
    for (field, text) in given {
        let Some(existing) = current.get(field) else {
            continue;
        };
        let value = match existing {
            // Switches come as a yes/no select.
            serde_json::Value::Bool(_) => match text.as_deref() {
                Some("true") => serde_json::Value::Bool(true),
                Some("false") => serde_json::Value::Bool(false),
                _ => continue,
            },
            _ => {
                let Some(text) = text else { continue };
                let text = text.trim();
                let n: i64 = text.parse().map_err(|_| {
                    ServerFnError::new(format!(
                        "{} must be a whole number (got {text:?}).",
                        field_label(field)
                    ))
                })?;
                serde_json::Value::from(n)
            }
        };
        patch.insert(field.to_string(), value);
    }
    super::rest(
        "PUT",
        "/api/settings/resilience",
        Some(serde_json::Value::Object(patch)),
    )
    .await
}
