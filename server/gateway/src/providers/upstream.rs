//! Building the upstream URL and auth headers for a resolved target.

use std::fmt;

use thiserror::Error;

use super::data::ANTHROPIC_HEADERS;
use super::resolve::Target;
use super::types::{AuthStyle, WireFormat};

/// Which upstream endpoint a call goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Chat,
    Embeddings,
    Images,
    AudioSpeech,
    AudioTranscriptions,
    Models,
}

impl Endpoint {
    const fn label(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::Embeddings => "embeddings",
            Self::Images => "images",
            Self::AudioSpeech => "audio speech",
            Self::AudioTranscriptions => "audio transcriptions",
            Self::Models => "model listing",
        }
    }
}

/// Why an upstream request cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    #[error("provider {provider} needs an API key and none is configured")]
    MissingApiKey { provider: String },
    #[error("provider {provider} signs in with OAuth, which is not supported yet")]
    OAuthNotSupported { provider: String },
    #[error("provider {provider} has no {endpoint} endpoint")]
    NoSuchEndpoint {
        provider: String,
        endpoint: &'static str,
    },
}

/// What to call: the parts of a request that depend on the provider. The body is the
/// translator's business.
#[derive(Clone, PartialEq, Eq)]
pub struct UpstreamRequest {
    pub url: String,
    /// Auth header (if the style uses one) followed by the provider's fixed headers.
    pub headers: Vec<(String, String)>,
    pub format: WireFormat,
}

impl UpstreamRequest {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Keys never reach logs through `{:?}`.
impl fmt::Debug for UpstreamRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.find("key=") {
            Some(at) => {
                let end = self.url[at..].find('&').map_or(self.url.len(), |e| at + e);
                format!("{}key=<redacted>{}", &self.url[..at], &self.url[end..])
            }
            None => self.url.clone(),
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = ["authorization", "x-api-key", "x-goog-api-key"]
                    .iter()
                    .any(|s| k.eq_ignore_ascii_case(s));
                (k.as_str(), if secret { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("UpstreamRequest")
            .field("url", &url)
            .field("headers", &headers)
            .field("format", &self.format)
            .finish()
    }
}

/// A call to build: target, model, key, stream flag, and optionally another base URL (tests
/// point providers at the mock upstream this way; users at a proxy or regional endpoint).
#[derive(Debug, Clone, Copy)]
pub struct UpstreamCall<'a> {
    pub target: Target<'a>,
    pub model: &'a str,
    pub api_key: Option<&'a str>,
    pub stream: bool,
    pub endpoint: Endpoint,
    pub base_url: Option<&'a str>,
}

impl<'a> UpstreamCall<'a> {
    /// A chat call (the common case).
    pub fn chat(
        target: Target<'a>,
        model: &'a str,
        api_key: Option<&'a str>,
        stream: bool,
    ) -> Self {
        Self {
            target,
            model,
            api_key,
            stream,
            endpoint: Endpoint::Chat,
            base_url: None,
        }
    }

    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Replaces the target's base URL (a trailing `/` is ignored).
    pub fn base_url(mut self, base_url: &'a str) -> Self {
        self.base_url = Some(base_url);
        self
    }

    pub fn build(&self) -> Result<UpstreamRequest, BuildError> {
        let auth = self.target.auth();
        let provider = || self.target.id().to_owned();
        if auth == AuthStyle::OAuth {
            return Err(BuildError::OAuthNotSupported {
                provider: provider(),
            });
        }
        let key = self.api_key.filter(|k| !k.trim().is_empty());
        if auth.requires_key() && key.is_none() {
            return Err(BuildError::MissingApiKey {
                provider: provider(),
            });
        }
        let path = self.path().ok_or_else(|| BuildError::NoSuchEndpoint {
            provider: provider(),
            endpoint: self.endpoint.label(),
        })?;
        let base = self
            .base_url
            .unwrap_or_else(|| self.target.base_url())
            .trim_end_matches('/');
        let mut url = format!(
            "{base}{}",
            path.replace("{model}", &encode(self.model, true))
        );
        let mut headers = Vec::with_capacity(3);
        match (auth, key) {
            (AuthStyle::Bearer | AuthStyle::None, Some(k)) => {
                headers.push(("authorization".to_owned(), format!("Bearer {k}")));
            }
            (AuthStyle::XApiKey, Some(k)) => headers.push(("x-api-key".to_owned(), k.to_owned())),
            (AuthStyle::XGoogApiKey, Some(k)) => {
                headers.push(("x-goog-api-key".to_owned(), k.to_owned()));
            }
            (AuthStyle::QueryKey, Some(k)) => {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str("key=");
                url.push_str(&encode(k, false));
            }
            _ => {}
        }
        let fixed: &[(&str, &str)] = match self.target {
            Target::Builtin(p) => p.headers,
            Target::Custom(_) if self.target.format() == WireFormat::Anthropic => ANTHROPIC_HEADERS,
            Target::Custom(_) => &[],
        };
        headers.extend(
            fixed
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Ok(UpstreamRequest {
            url,
            headers,
            format: self.target.format(),
        })
    }

    fn path(&self) -> Option<&'a str> {
        match self.target {
            Target::Builtin(p) => match self.endpoint {
                Endpoint::Chat if self.stream => Some(p.stream_chat_path.unwrap_or(p.chat_path)),
                Endpoint::Chat => Some(p.chat_path),
                Endpoint::Embeddings => p.endpoints.embeddings,
                Endpoint::Images => p.endpoints.images,
                Endpoint::AudioSpeech => p.endpoints.audio_speech,
                Endpoint::AudioTranscriptions => p.endpoints.audio_transcriptions,
                Endpoint::Models => p.endpoints.models,
            },
            // Custom nodes follow the OpenAI (or Anthropic) layout under their base URL.
            Target::Custom(n) => match (self.endpoint, n.format()) {
                (Endpoint::Chat, WireFormat::Anthropic) => Some("/messages"),
                (Endpoint::Chat, WireFormat::Responses) => Some("/responses"),
                (Endpoint::Chat, _) => Some("/chat/completions"),
                (Endpoint::Models, _) => Some("/models"),
                (_, WireFormat::Anthropic) => None,
                (Endpoint::Embeddings, _) => Some("/embeddings"),
                (Endpoint::Images, _) => Some("/images/generations"),
                (Endpoint::AudioSpeech, _) => Some("/audio/speech"),
                (Endpoint::AudioTranscriptions, _) => Some("/audio/transcriptions"),
            },
        }
    }
}

/// Percent-encodes what may not appear raw in a path segment or query value. Model ids keep
/// `/` (Fireworks paths) and `:` (Ollama tags).
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let raw = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && matches!(b, b'/' | b':' | b'@'));
        if raw {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
