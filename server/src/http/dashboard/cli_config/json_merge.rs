//! Merging OmniRoute's settings into the JSON configuration files of Claude Code
//! (`~/.claude/settings.json`) and OpenClaw (`~/.openclaw/openclaw.json`). Every other
//! setting, and the order of the keys, stays as the user wrote it.

use super::ordered_json::Json;

fn parse(existing: &str) -> Result<Json, String> {
    if existing.trim().is_empty() {
        return Ok(Json::Object(Vec::new()));
    }
    let root: Json =
        serde_json::from_str(existing).map_err(|e| format!("it is not valid JSON ({e})"))?;
    match root {
        Json::Object(_) => Ok(root),
        other => Err(format!("it holds {}, not a JSON object", other.kind())),
    }
}

fn render(root: &Json) -> Result<String, String> {
    serde_json::to_string_pretty(root)
        .map(|text| text + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// The object at `key` of `parent`, created when absent. `path` names it in errors.
fn object_at<'a>(parent: &'a mut Json, key: &str, path: &str) -> Result<&'a mut Json, String> {
    if parent.get_mut(key).is_none() {
        parent.set(key, Json::Object(Vec::new()));
    }
    match parent.get_mut(key) {
        Some(child @ Json::Object(_)) => Ok(child),
        Some(other) => Err(format!("\"{path}\" is {}, not an object", other.kind())),
        None => Err(format!("\"{path}\" could not be created")),
    }
}

/// Claude Code: `env.ANTHROPIC_BASE_URL` (the server root, no /v1), `env.ANTHROPIC_AUTH_TOKEN`
/// and the top-level `model`.
pub(crate) fn merge_claude(
    existing: &str,
    base: &str,
    key: &str,
    model: &str,
) -> Result<String, String> {
    let mut root = parse(existing)?;
    let env = object_at(&mut root, "env", "env")?;
    env.set("ANTHROPIC_BASE_URL", Json::str(base));
    env.set("ANTHROPIC_AUTH_TOKEN", Json::str(key));
    root.set("model", Json::str(model));
    render(&root)
}

/// The display name OpenClaw shows for a model: its id without the provider prefix.
fn short_name(model: &str) -> &str {
    model.rsplit('/').next().unwrap_or(model)
}

/// OpenClaw: the `omniroute` provider under `models.providers` (OpenAI-compatible, on /v1)
/// with the chosen model added to its list, and `agents.defaults.model.primary`.
pub(crate) fn merge_openclaw(
    existing: &str,
    base: &str,
    key: &str,
    model: &str,
) -> Result<String, String> {
    let mut root = parse(existing)?;
    {
        let models = object_at(&mut root, "models", "models")?;
        let providers = object_at(models, "providers", "models.providers")?;
        let provider = object_at(providers, "omniroute", "models.providers.omniroute")?;
        provider.set("baseUrl", Json::str(&format!("{base}/v1")));
        provider.set("apiKey", Json::str(key));
        provider.set("api", Json::str("openai-completions"));
        let entry = Json::Object(vec![
            ("id".to_string(), Json::str(model)),
            ("name".to_string(), Json::str(short_name(model))),
        ]);
        match provider.get_mut("models") {
            Some(Json::Array(list)) => {
                let listed = list
                    .iter_mut()
                    .any(|m| matches!(m.get_mut("id"), Some(Json::String(id)) if id == model));
                if !listed {
                    list.push(entry);
                }
            }
            Some(other) => {
                return Err(format!(
                    "\"models.providers.omniroute.models\" is {}, not an array",
                    other.kind()
                ))
            }
            None => provider.set("models", Json::Array(vec![entry])),
        }
    }
    let agents = object_at(&mut root, "agents", "agents")?;
    let defaults = object_at(agents, "defaults", "agents.defaults")?;
    if !matches!(defaults.get_mut("model"), None | Some(Json::Object(_))) {
        // A plain model string is the setting being replaced.
        defaults.set("model", Json::Object(Vec::new()));
    }
    let chosen = object_at(defaults, "model", "agents.defaults.model")?;
    chosen.set("primary", Json::str(&format!("omniroute/{model}")));
    render(&root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const BASE: &str = "http://localhost:20128";

    #[test]
    fn claude_into_nothing() {
        let out = merge_claude("", BASE, "sk-or-abc", "openai/gpt-4o").unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["env"]["ANTHROPIC_BASE_URL"], BASE);
        assert_eq!(v["env"]["ANTHROPIC_AUTH_TOKEN"], "sk-or-abc");
        assert_eq!(v["model"], "openai/gpt-4o");
        assert!(out.ends_with("}\n"));
    }

    #[test]
    fn claude_keeps_other_settings_and_their_order() {
        let existing = r#"{
  "theme": "dark",
  "permissions": { "allow": ["Bash(ls)"] },
  "env": { "FOO": "1", "ANTHROPIC_BASE_URL": "https://old.example" },
  "zeta": 1.5
}"#;
        let out = merge_claude(existing, BASE, "sk-or-abc", "ds/deepseek-chat").unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["theme"], "dark");
        assert_eq!(v["permissions"]["allow"][0], "Bash(ls)");
        assert_eq!(v["env"]["FOO"], "1");
        assert_eq!(v["env"]["ANTHROPIC_BASE_URL"], BASE);
        assert_eq!(v["zeta"], 1.5);
        // the user's order: theme before permissions before env; new keys at the end
        let (t, p, e, m) = (
            out.find("\"theme\"").unwrap(),
            out.find("\"permissions\"").unwrap(),
            out.find("\"env\"").unwrap(),
            out.find("\"model\"").unwrap(),
        );
        assert!(t < p && p < e && e < m, "{out}");
        assert!(out.find("\"FOO\"").unwrap() < out.find("ANTHROPIC_BASE_URL").unwrap());
        // merging again changes nothing
        assert_eq!(
            merge_claude(&out, BASE, "sk-or-abc", "ds/deepseek-chat").unwrap(),
            out
        );
    }

    #[test]
    fn claude_refuses_malformed_files() {
        let err = merge_claude("{\"theme\": \"dark\",", BASE, "k", "m").unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        let err = merge_claude("[1, 2]", BASE, "k", "m").unwrap_err();
        assert!(err.contains("an array, not a JSON object"), "{err}");
        let err = merge_claude("{\"env\": \"x\"}", BASE, "k", "m").unwrap_err();
        assert!(err.contains("\"env\" is a string"), "{err}");
    }

    #[test]
    fn openclaw_adds_the_provider_and_primary_model() {
        let existing = r#"{
  "channels": { "telegram": { "enabled": true } },
  "models": { "providers": { "other": { "baseUrl": "https://x" },
    "omniroute": { "baseUrl": "old", "models": [{ "id": "if/kimi-k2", "name": "kimi-k2" }] } } },
  "agents": { "defaults": { "model": { "primary": "other/x", "fallbacks": ["a"] }, "workspace": "~/w" } }
}"#;
        let out = merge_openclaw(existing, BASE, "sk-or-abc", "openai/gpt-4o").unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["channels"]["telegram"]["enabled"], true);
        assert_eq!(v["models"]["providers"]["other"]["baseUrl"], "https://x");
        let p = &v["models"]["providers"]["omniroute"];
        assert_eq!(p["baseUrl"], format!("{BASE}/v1"));
        assert_eq!(p["apiKey"], "sk-or-abc");
        assert_eq!(p["api"], "openai-completions");
        assert_eq!(p["models"][0]["id"], "if/kimi-k2");
        assert_eq!(p["models"][1]["id"], "openai/gpt-4o");
        assert_eq!(p["models"][1]["name"], "gpt-4o");
        assert_eq!(
            v["agents"]["defaults"]["model"]["primary"],
            "omniroute/openai/gpt-4o"
        );
        assert_eq!(v["agents"]["defaults"]["model"]["fallbacks"][0], "a");
        assert_eq!(v["agents"]["defaults"]["workspace"], "~/w");
        assert_eq!(
            merge_openclaw(&out, BASE, "sk-or-abc", "openai/gpt-4o").unwrap(),
            out
        );
        let err = merge_openclaw("{\"models\": []}", BASE, "k", "m").unwrap_err();
        assert!(err.contains("\"models\" is an array"), "{err}");
    }
}
