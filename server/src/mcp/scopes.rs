//! Which scopes each MCP tool needs, and whether a caller has them.
//!
//! Tools are grouped in the user guide's ten MCP scopes (analytics, auth, billing, combos,
//! health, keys, memory, models, providers, system) plus `chat` for the tools that send a
//! prompt to a provider (they spend money exactly like `/v1`, which also needs `chat`).
//! A key with the `manage` scope may use every tool: it can already do everything the tools
//! do through the management REST API. `memory` has no tools yet (there is no memory store).
//!
//! A tool that needs several scopes (testing a combo sends a prompt) needs all of them.

use crate::auth::api_keys::KeyInfo;

/// Tool name → the scopes it needs (all of them). The first one is the tool's group.
pub const TOOL_SCOPES: &[(&str, &[&str])] = &[
    ("omniroute_get_health", &["health"]),
    ("omniroute_reset_resilience", &["health"]),
    ("omniroute_cache_stats", &["health"]),
    ("omniroute_cache_flush", &["system"]),
    ("omniroute_list_models", &["models"]),
    ("omniroute_models_catalog", &["models"]),
    ("omniroute_list_combos", &["combos"]),
    ("omniroute_get_combo", &["combos"]),
    ("omniroute_switch_combo", &["combos"]),
    ("omniroute_simulate_route", &["combos"]),
    ("omniroute_test_combo", &["combos", "chat"]),
    ("omniroute_route_request", &["chat"]),
    ("omniroute_usage_report", &["analytics"]),
    ("omniroute_usage_logs", &["analytics"]),
    ("omniroute_explain_route", &["analytics"]),
    ("omniroute_cost_report", &["billing"]),
    ("omniroute_check_budget", &["billing"]),
    ("omniroute_list_pricing", &["billing"]),
    ("omniroute_list_providers", &["providers"]),
    ("omniroute_add_provider", &["providers"]),
    ("omniroute_test_provider", &["providers"]),
    ("omniroute_list_keys", &["keys"]),
    ("omniroute_create_key", &["keys"]),
    ("omniroute_revoke_key", &["keys"]),
    ("omniroute_whoami", &["auth"]),
    ("omniroute_get_settings", &["system"]),
    ("omniroute_set_settings", &["system"]),
];

/// The scope groups shown in the dashboard, in order (`chat` last: it is not an MCP group of
/// the guide but gates the prompt-sending tools).
pub const GROUPS: &[&str] = &[
    "analytics",
    "auth",
    "billing",
    "combos",
    "health",
    "keys",
    "memory",
    "models",
    "providers",
    "system",
    "chat",
];

/// The scopes a tool needs; None for a tool this server does not have.
pub fn required(tool: &str) -> Option<&'static [&'static str]> {
    TOOL_SCOPES
        .iter()
        .find(|(name, _)| *name == tool)
        .map(|(_, scopes)| *scopes)
}

/// The tool's group (its first scope).
pub fn group(tool: &str) -> &'static str {
    required(tool)
        .and_then(|s| s.first().copied())
        .unwrap_or("system")
}

/// Who calls a tool: a key on the HTTP transports (always), or on stdio the key given with
/// `--api-key` / OMNIROUTE_API_KEY, or nobody (the local operator who started the process,
/// who can read the database anyway: every tool).
#[derive(Debug, Clone)]
pub struct McpCaller {
    pub key: Option<KeyInfo>,
}

impl McpCaller {
    pub fn local_operator() -> Self {
        Self { key: None }
    }

    pub fn with_key(key: KeyInfo) -> Self {
        Self { key: Some(key) }
    }

    /// Whether the caller holds `scope` (`manage` holds every scope; the local operator too).
    pub fn holds(&self, scope: &str) -> bool {
        match &self.key {
            None => true,
            Some(k) => k.has_scope("manage") || k.has_scope(scope),
        }
    }

    /// The scopes of `tool` the caller lacks (empty: allowed). An unknown tool lacks nothing
    /// here; the tool router answers for it.
    pub fn missing_for(&self, tool: &str) -> Vec<&'static str> {
        required(tool)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|s| !self.holds(s))
            .collect()
    }

    pub fn may_call(&self, tool: &str) -> bool {
        required(tool).is_some() && self.missing_for(tool).is_empty()
    }

    pub fn key_id(&self) -> Option<&str> {
        self.key.as_ref().map(|k| k.id.as_str())
    }

    pub fn describe(&self) -> String {
        match &self.key {
            None => "the local operator (stdio without an API key)".to_string(),
            Some(k) => format!("API key {:?} (scopes: {})", k.name, k.scopes.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: &[&str]) -> McpCaller {
        McpCaller::with_key(KeyInfo {
            id: "k".into(),
            name: "k".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            allowed_models: None,
            active: true,
            expires_at: None,
            revoked: false,
        })
    }

    #[test]
    fn every_scope_is_a_known_key_scope_and_every_group_is_listed() {
        for (tool, scopes) in TOOL_SCOPES {
            assert!(!scopes.is_empty(), "{tool}");
            for s in *scopes {
                assert!(crate::auth::api_keys::SCOPES.contains(s), "{tool}: {s}");
                assert!(GROUPS.contains(s), "{tool}: {s}");
            }
        }
        for g in GROUPS {
            assert!(crate::auth::api_keys::SCOPES.contains(g), "{g}");
        }
    }

    #[test]
    fn keys_see_their_scopes_manage_sees_all() {
        let health = key(&["health"]);
        assert!(health.may_call("omniroute_get_health"));
        assert!(!health.may_call("omniroute_create_key"));
        assert_eq!(health.missing_for("omniroute_create_key"), vec!["keys"]);
        let combos = key(&["combos"]);
        assert_eq!(combos.missing_for("omniroute_test_combo"), vec!["chat"]);
        let manage = key(&["manage"]);
        assert!(TOOL_SCOPES.iter().all(|(t, _)| manage.may_call(t)));
        assert!(McpCaller::local_operator().may_call("omniroute_revoke_key"));
        assert!(!manage.may_call("no_such_tool"));
    }
}
