//! The ready-to-paste configurations, filled with this server's URL, a key and a model.
//! "Apply" on the server writes the same settings into the tools' files (merged with what
//! is there).

/// Shown where the full key is unknown (the server keeps only a hash of it).
pub const KEY_PLACEHOLDER: &str = "<your key>";

/// The key, or the placeholder when none was given.
pub fn key_or_placeholder(key: &str) -> &str {
    let key = key.trim();
    if key.is_empty() {
        KEY_PLACEHOLDER
    } else {
        key
    }
}

/// A JSON string literal.
pub fn json_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A shell word in double quotes.
fn sh_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `~/.claude/settings.json`: the Claude-compatible root (no /v1) and the key.
pub fn claude(base: &str, key: &str, model: &str) -> String {
    format!(
        "{{\n  \"env\": {{\n    \"ANTHROPIC_BASE_URL\": {},\n    \"ANTHROPIC_AUTH_TOKEN\": {}\n  }},\n  \"model\": {}\n}}\n",
        json_str(base),
        json_str(key_or_placeholder(key)),
        json_str(model)
    )
}

/// `~/.codex/config.toml`: a custom provider on the Responses API; Codex reads the key from
/// `OMNIROUTE_API_KEY`.
pub fn codex_toml(base: &str, model: &str) -> String {
    // JSON string escaping is valid TOML basic-string escaping for these characters.
    format!(
        "model = {}\nmodel_provider = \"omniroute\"\n\n[model_providers.omniroute]\nname = \"OmniRoute\"\nbase_url = {}\nenv_key = \"OMNIROUTE_API_KEY\"\nwire_api = \"responses\"\n",
        json_str(model),
        json_str(&format!("{base}/v1"))
    )
}

pub fn codex_env(key: &str) -> String {
    format!(
        "export OMNIROUTE_API_KEY={}\n",
        sh_str(key_or_placeholder(key))
    )
}

/// Codex without a config file: the OpenAI variables, root URL.
pub fn codex_env_only(base: &str, key: &str, model: &str) -> String {
    format!(
        "export OPENAI_BASE_URL={}\nexport OPENAI_API_KEY={}\ncodex -m {} \"your prompt\"\n",
        sh_str(base),
        sh_str(key_or_placeholder(key)),
        sh_str(model)
    )
}

/// Cursor: Settings → Models → Advanced.
pub fn cursor(base: &str, key: &str, model: &str) -> String {
    format!(
        "OpenAI API Base URL: {base}/v1\nOpenAI API Key: {}\nModel: {model}\n",
        key_or_placeholder(key)
    )
}

/// Cline, Continue, RooCode: the "OpenAI Compatible" provider.
pub fn cline(base: &str, key: &str, model: &str) -> String {
    format!(
        "Provider: OpenAI Compatible\nBase URL: {base}/v1\nAPI Key: {}\nModel: {model}\n",
        key_or_placeholder(key)
    )
}

/// `~/.openclaw/openclaw.json`: an `omniroute` provider (OpenAI-compatible) and the default
/// model.
pub fn openclaw(base: &str, key: &str, model: &str) -> String {
    let name = model.rsplit('/').next().unwrap_or(model);
    format!(
        "{{\n  \"agents\": {{\n    \"defaults\": {{\n      \"model\": {{ \"primary\": {} }}\n    }}\n  }},\n  \"models\": {{\n    \"providers\": {{\n      \"omniroute\": {{\n        \"baseUrl\": {},\n        \"apiKey\": {},\n        \"api\": \"openai-completions\",\n        \"models\": [{{ \"id\": {}, \"name\": {} }}]\n      }}\n    }}\n  }}\n}}\n",
        json_str(&format!("omniroute/{model}")),
        json_str(&format!("{base}/v1")),
        json_str(key_or_placeholder(key)),
        json_str(model),
        json_str(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_filled_in() {
        let base = "http://localhost:20128";
        let c = claude(base, "", "openai/gpt-4o");
        assert!(c.contains("\"ANTHROPIC_BASE_URL\": \"http://localhost:20128\","));
        assert!(c.contains("\"ANTHROPIC_AUTH_TOKEN\": \"<your key>\""));
        assert!(codex_toml(base, "m").contains("base_url = \"http://localhost:20128/v1\""));
        assert!(codex_env("sk-or-x$").contains("\"sk-or-x\\$\""));
        assert!(cursor(base, "k", "m").contains("OpenAI API Base URL: http://localhost:20128/v1"));
        let o = openclaw(base, "k", "if/kimi-k2");
        assert!(
            o.contains("\"primary\": \"omniroute/if/kimi-k2\"")
                && o.contains("\"name\": \"kimi-k2\"")
        );
        assert_eq!(json_str("a\"b"), "\"a\\\"b\"");
    }
}
