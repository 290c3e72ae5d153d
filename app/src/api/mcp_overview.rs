use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One MCP tool as the MCP & A2A page lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct McpToolInfo {
    pub name: String,
    pub description: String,
    /// Every scope the tool needs (`manage` holds them all).
    pub scopes: Vec<String>,
}

/// The tools of one scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScopeGroup {
    pub scope: String,
    pub tools: Vec<McpToolInfo>,
}

/// An A2A skill.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SkillInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub scope: String,
}

/// What the MCP & A2A page shows at the top: switches, endpoints, tools, skills.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct McpOverview {
    /// This server as the browser reached it (`http://localhost:20128`).
    pub base_url: String,
    pub mcp_enabled: bool,
    pub a2a_enabled: bool,
    /// Hosts added in the dashboard.
    pub allowed_hosts: Vec<String>,
    /// Every host the MCP HTTP transports accept (loopback, bind address, env, added).
    pub effective_hosts: Vec<String>,
    pub allowed_hosts_env: String,
    pub default_model: Option<String>,
    /// The binary's path, for the stdio configuration.
    pub command: String,
    pub data_dir: String,
    pub tool_count: u64,
    pub calls_24h: i64,
    pub errors_24h: i64,
    pub groups: Vec<ScopeGroup>,
    pub skills: Vec<SkillInfo>,
    /// Tasks per state.
    pub task_counts: Vec<(String, i64)>,
    pub running: u64,
}

#[server(prefix = "/api/sf", endpoint = "mcp_overview")]
pub async fn get_mcp_overview() -> Result<McpOverview, ServerFnError> {
    use serde_json::Value;
    let mcp: Value = super::rest("GET", "/api/mcp/status", None).await?;
    let settings: Value = super::rest("GET", "/api/mcp/settings", None).await?;
    let a2a: Value = super::rest("GET", "/api/a2a/status", None).await?;
    let tools: Value = super::rest("GET", "/api/mcp/tools", None).await?;
    let base_url = super::endpoints_info::get_endpoints_info().await?.base_url;
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let groups = tools["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| ScopeGroup {
            scope: text(&g["scope"]),
            tools: g["tools"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| McpToolInfo {
                    name: text(&t["name"]),
                    description: text(&t["description"]),
                    scopes: strings(&t["scopes"]),
                })
                .collect(),
        })
        .collect();
    let skills = a2a["skills"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| SkillInfo {
            id: text(&s["id"]),
            name: text(&s["name"]),
            description: text(&s["description"]),
            scope: text(&s["scope"]),
        })
        .collect();
    let mut task_counts: Vec<(String, i64)> = a2a["tasks"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(0)))
        .collect();
    task_counts.sort();
    Ok(McpOverview {
        base_url,
        mcp_enabled: mcp["enabled"].as_bool().unwrap_or(false),
        a2a_enabled: a2a["enabled"].as_bool().unwrap_or(false),
        allowed_hosts: strings(&settings["allowedHosts"]),
        effective_hosts: strings(&mcp["allowedHosts"]),
        allowed_hosts_env: text(&mcp["allowedHostsEnv"]),
        default_model: a2a["defaultModel"].as_str().map(str::to_string),
        command: text(&mcp["command"]),
        data_dir: text(&mcp["dataDir"]),
        tool_count: mcp["tools"].as_u64().unwrap_or(0),
        calls_24h: mcp["last24h"]["calls"].as_i64().unwrap_or(0),
        errors_24h: mcp["last24h"]["errors"].as_i64().unwrap_or(0),
        groups,
        skills,
        task_counts,
        running: a2a["running"].as_u64().unwrap_or(0),
    })
}
