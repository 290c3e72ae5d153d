//! Settings → Appearance, stored on the server so it follows the user from browser to browser:
//! `GET/PUT /api/settings/appearance {"hiddenNav","compactSidebar","homePanels"}`. The theme
//! itself stays per browser (ThemeSwitch). The dashboard layout applies these.

use super::{save, KV_NAMESPACE};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use crate::store;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

pub const KV_KEY: &str = "appearance";

/// Sidebar entries that may be hidden (Home and Settings always stay).
pub const HIDEABLE_NAV: &[&str] = &[
    "providers",
    "combos",
    "usage",
    "costs",
    "logs",
    "health",
    "api-manager",
    "endpoints",
    "cli-tools",
    "translator",
    "mcp",
];

/// Home page panels that may be hidden.
pub const HOME_PANELS: &[&str] = &["chart", "top", "health", "errors", "getting-started"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Appearance {
    /// Page slugs left out of the sidebar.
    pub hidden_nav: Vec<String>,
    /// Icons only.
    pub compact_sidebar: bool,
    /// Home panels left out.
    pub hidden_panels: Vec<String>,
}

pub async fn load(system: &SystemState) -> Appearance {
    store::kv::get_json(system.app.db(), KV_NAMESPACE, KV_KEY)
        .await
        .unwrap_or_default()
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<serde_json::Value> {
    Json(view(&load(&system).await))
}

fn view(a: &Appearance) -> serde_json::Value {
    serde_json::json!({
        "hiddenNav": a.hidden_nav,
        "compactSidebar": a.compact_sidebar,
        "hiddenPanels": a.hidden_panels,
        "hideableNav": HIDEABLE_NAV,
        "homePanels": HOME_PANELS,
    })
}

fn checked(field: &str, list: Vec<String>, allowed: &[&str]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for item in list {
        if !allowed.contains(&item.as_str()) {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!("{field}: {item:?} is not one of {}", allowed.join(", ")),
            ));
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut a = load(&system).await;
    if let Some(list) = body.string_list("hiddenNav")? {
        a.hidden_nav = checked("hiddenNav", list, HIDEABLE_NAV)?;
    }
    if let Some(b) = body.boolean("compactSidebar")? {
        a.compact_sidebar = b;
    }
    if let Some(list) = body.string_list("hiddenPanels")? {
        a.hidden_panels = checked("hiddenPanels", list, HOME_PANELS)?;
    }
    save(&system.app, KV_NAMESPACE, KV_KEY, &a).await?;
    Ok(Json(view(&a)))
}
