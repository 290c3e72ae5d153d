// A plain HTML form posts one field per control: these server functions take each as an
// argument (so the forms work without JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → Appearance, stored on the server: `GET/PUT /api/settings/appearance`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Appearance {
    pub hidden_nav: Vec<String>,
    pub compact_sidebar: bool,
    pub hidden_panels: Vec<String>,
}

#[server(prefix = "/api/sf", endpoint = "appearance_settings")]
pub async fn get_appearance() -> Result<Appearance, ServerFnError> {
    super::rest("GET", "/api/settings/appearance", None).await
}

/// Sidebar entries that may be hidden, with their labels (Home and Settings always stay).
pub const NAV_CHOICES: [(&str, &str); 11] = [
    ("providers", "Providers"),
    ("combos", "Combos"),
    ("usage", "Usage"),
    ("costs", "Costs"),
    ("logs", "Logs"),
    ("health", "Health"),
    ("api-manager", "API Manager"),
    ("endpoints", "Endpoints"),
    ("cli-tools", "CLI Tools"),
    ("translator", "Translator"),
    ("mcp", "MCP & A2A"),
];

/// Home panels that may be hidden.
pub const PANEL_CHOICES: [(&str, &str); 5] = [
    ("getting-started", "Getting started"),
    ("chart", "Usage chart"),
    ("top", "Top models and providers"),
    ("health", "Health at a glance"),
    ("errors", "Recent errors"),
];

/// From the Appearance form: a checkbox arrives (as `on`) only when checked, and a checked
/// box means "show".
#[server(prefix = "/api/sf", endpoint = "save_appearance")]
pub async fn save_appearance(
    #[server(default)] compact_sidebar: Option<String>,
    #[server(default)] nav_providers: Option<String>,
    #[server(default)] nav_combos: Option<String>,
    #[server(default)] nav_usage: Option<String>,
    #[server(default)] nav_costs: Option<String>,
    #[server(default)] nav_logs: Option<String>,
    #[server(default)] nav_health: Option<String>,
    #[server(default)] nav_api_manager: Option<String>,
    #[server(default)] nav_endpoints: Option<String>,
    #[server(default)] nav_cli_tools: Option<String>,
    #[server(default)] nav_translator: Option<String>,
    #[server(default)] nav_mcp: Option<String>,
    #[server(default)] panel_getting_started: Option<String>,
    #[server(default)] panel_chart: Option<String>,
    #[server(default)] panel_top: Option<String>,
    #[server(default)] panel_health: Option<String>,
    #[server(default)] panel_errors: Option<String>,
) -> Result<Appearance, ServerFnError> {
    let nav = [
        ("providers", nav_providers),
        ("combos", nav_combos),
        ("usage", nav_usage),
        ("costs", nav_costs),
        ("logs", nav_logs),
        ("health", nav_health),
        ("api-manager", nav_api_manager),
        ("endpoints", nav_endpoints),
        ("cli-tools", nav_cli_tools),
        ("translator", nav_translator),
        ("mcp", nav_mcp),
    ];
    let panels = [
        ("getting-started", panel_getting_started),
        ("chart", panel_chart),
        ("top", panel_top),
        ("health", panel_health),
        ("errors", panel_errors),
    ];
    let hidden = |items: &[(&str, Option<String>)]| -> Vec<String> {
        items
            .iter()
            .filter(|(_, shown)| shown.is_none())
            .map(|(id, _)| id.to_string())
            .collect()
    };
    super::rest(
        "PUT",
        "/api/settings/appearance",
        Some(serde_json::json!({
            "hiddenNav": hidden(&nav),
            "hiddenPanels": hidden(&panels),
            "compactSidebar": compact_sidebar.is_some(),
        })),
    )
    .await
}
