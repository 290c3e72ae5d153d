//! The registry: the built-in table plus lookups by id or model-string prefix.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use super::data::BUILTIN;
use super::types::{AuthStyle, ProviderSpec, WireFormat};

/// A set of providers. The built-in one is [`Registry::builtin`]; tests build their own with
/// [`Registry::from_providers`].
#[derive(Debug, Clone)]
pub struct Registry {
    providers: Cow<'static, [ProviderSpec]>,
}

impl Registry {
    /// The built-in providers (a static table; built once).
    pub fn builtin() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY.get_or_init(|| Registry {
            providers: Cow::Borrowed(BUILTIN),
        })
    }

    /// A registry of the given rows (for tests and tools); see [`Registry::problems`].
    pub fn from_providers(providers: Vec<ProviderSpec>) -> Self {
        Self {
            providers: Cow::Owned(providers),
        }
    }

    pub fn providers(&self) -> &[ProviderSpec] {
        &self.providers
    }

    /// A provider by its id (`deepseek`), exact.
    pub fn get(&self, id: &str) -> Option<&ProviderSpec> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// A provider by the first segment of a model string: its prefix (`ds`) or its id
    /// (`deepseek`), ASCII case-insensitive.
    pub fn by_prefix(&self, prefix_or_id: &str) -> Option<&ProviderSpec> {
        self.providers
            .iter()
            .find(|p| p.prefix.eq_ignore_ascii_case(prefix_or_id))
            .or_else(|| {
                self.providers
                    .iter()
                    .find(|p| p.id.eq_ignore_ascii_case(prefix_or_id))
            })
    }

    /// Whether a prefix or id is taken by any provider (custom nodes may not reuse it).
    pub fn is_taken(&self, name: &str) -> bool {
        self.by_prefix(name).is_some()
    }

    /// Everything wrong with the table, one sentence per problem; empty when well-formed.
    /// Checked by the tests for the built-in table.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut names = HashSet::new();
        for p in self.providers.iter() {
            let mut own = HashSet::new();
            for name in [p.id, p.prefix] {
                if !is_token(name) {
                    problems.push(format!("{}: id/prefix {name:?} is not a slug", p.id));
                }
                // id and prefix of one row may be equal; across rows every name is unique.
                if own.insert(name.to_ascii_lowercase()) && !names.insert(name.to_ascii_lowercase())
                {
                    problems.push(format!("{}: {name:?} is used by another provider", p.id));
                }
            }
            if p.name.trim().is_empty() {
                problems.push(format!("{}: empty display name", p.id));
            }
            if let Err(why) = check_base_url(p.base_url) {
                problems.push(format!("{}: base URL {}: {why}", p.id, p.base_url));
            }
            if p.local != p.base_url.starts_with("http://localhost:") {
                problems.push(format!("{}: local flag and localhost URL disagree", p.id));
            }
            if p.local && p.auth != AuthStyle::None {
                problems.push(format!("{}: a local server needs no key", p.id));
            }
            let paths = [Some(p.chat_path), p.stream_chat_path]
                .into_iter()
                .chain([
                    p.endpoints.embeddings,
                    p.endpoints.images,
                    p.endpoints.audio_speech,
                    p.endpoints.audio_transcriptions,
                    p.endpoints.models,
                ])
                .flatten();
            for path in paths {
                if !path.starts_with('/') || path.contains(char::is_whitespace) {
                    problems.push(format!("{}: path {path:?} must start with /", p.id));
                }
            }
            if p.format == WireFormat::Gemini
                && p.auth != AuthStyle::OAuth
                && !p.chat_path.contains("{model}")
            {
                problems.push(format!("{}: Gemini paths carry the model", p.id));
            }
            let uses_anthropic_version = p.headers.iter().any(|(k, _)| *k == "anthropic-version");
            if p.format == WireFormat::Anthropic && !uses_anthropic_version {
                problems.push(format!(
                    "{}: Anthropic format needs anthropic-version",
                    p.id
                ));
            }
            let mut models = HashSet::new();
            for m in p.models {
                if m.id.is_empty() || m.id.contains(char::is_whitespace) {
                    problems.push(format!("{}: bad model id {:?}", p.id, m.id));
                }
                if !models.insert(m.id) {
                    problems.push(format!("{}: model {} listed twice", p.id, m.id));
                }
                let prices = [
                    m.prices.input,
                    m.prices.output,
                    m.prices.cache_read,
                    m.prices.cache_write,
                ];
                if prices.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
                    problems.push(format!("{}/{}: negative or NaN price", p.id, m.id));
                }
                if let (Some(ctx), Some(out)) = (m.context_length, m.max_output_tokens) {
                    if out > ctx {
                        problems.push(format!("{}/{}: output cap above context", p.id, m.id));
                    }
                }
                if p.endpoint_for(m.kind).is_none() {
                    problems.push(format!(
                        "{}/{}: {} model but no such endpoint",
                        p.id,
                        m.id,
                        m.kind.as_str()
                    ));
                }
            }
        }
        problems
    }
}

/// A lowercase slug: letters, digits, `-`, `.`, `_`; no `/`.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
        })
}

/// A base URL is `http(s)://host[:port][/path]` without a trailing slash, query or fragment.
pub(crate) fn check_base_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or_default();
    let host_name =
        host.rsplit_once(':').map_or(
            host,
            |(h, port)| {
                if port.parse::<u16>().is_ok() {
                    h
                } else {
                    host
                }
            },
        );
    if host_name.is_empty() {
        return Err("has no host");
    }
    if url.ends_with('/') {
        return Err("ends with /");
    }
    if url.contains(['?', '#', ' ', '\t', '\n']) {
        return Err("has a query, fragment or whitespace");
    }
    if !host_name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':'))
    {
        return Err("host has invalid characters");
    }
    Ok(())
}
