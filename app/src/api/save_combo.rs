use super::combos_overview::{ComboSettings, ComboStep};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComboForm {
    /// None: a new combo.
    pub id: Option<String>,
    pub name: String,
    pub strategy: String,
    pub steps: Vec<ComboStep>,
    pub settings: ComboSettings,
}

/// Creates or replaces a combo (the form travels as JSON: nested optional fields do not
/// survive a form encoding).
pub async fn save_combo(form: ComboForm) -> Result<(), ServerFnError> {
    save_combo_json(serde_json::to_string(&form).map_err(|e| ServerFnError::new(e.to_string()))?)
        .await
}

/// `POST /api/combos` (new) or `PUT /api/combos/{id}`.
#[server(prefix = "/api/sf", endpoint = "save_combo")]
pub async fn save_combo_json(form: String) -> Result<(), ServerFnError> {
    use serde_json::{json, Map, Value};
    let form: ComboForm = serde_json::from_str(&form)
        .map_err(|e| ServerFnError::new(format!("unreadable combo form: {e}")))?;
    let models: Vec<Value> = form
        .steps
        .iter()
        .filter(|s| !s.model.trim().is_empty())
        .map(|s| match s.weight {
            Some(w) => json!({ "model": s.model.trim(), "weight": w }),
            None => json!({ "model": s.model.trim() }),
        })
        .collect();
    let mut config = Map::new();
    let s = &form.settings;
    for (key, value) in [
        ("maxRetries", s.max_retries.map(u64::from)),
        ("timeoutMs", s.timeout_ms),
        (
            "maxConcurrencyPerModel",
            s.max_concurrency_per_model.map(u64::from),
        ),
        ("stickyLimit", s.sticky_limit.map(u64::from)),
    ] {
        if let Some(v) = value {
            config.insert(key.into(), json!(v));
        }
    }
    let body = json!({
        "name": form.name.trim(),
        "strategy": form.strategy,
        "models": models,
        "config": config,
    });
    let _: Value = match &form.id {
        Some(id) => super::rest("PUT", &format!("/api/combos/{id}"), Some(body)).await?,
        None => super::rest("POST", "/api/combos", Some(body)).await?,
    };
    Ok(())
}
