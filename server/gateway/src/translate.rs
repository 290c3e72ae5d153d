//! The entry points for complete (non-stream) bodies: requests going upstream and responses
//! coming back. Streams go through [`crate::stream::StreamTranslator`].

use serde::de::IgnoredAny;
use serde_json::Value;

use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{anthropic, gemini, openai_chat, responses, RenderCtx};
use crate::ir::{ChatRequest, ChatResponse, Part};
use crate::json_scan::{get_top_level, set_top_level};
use crate::signatures::SignatureStore;
use crate::usage::{extract_usage, Usage};

/// Knobs of a request translation.
#[derive(Debug, Clone, Copy)]
pub struct TranslateOptions<'a> {
    /// `max_tokens` for an Anthropic target when the client sent none (Anthropic requires
    /// one). Default 8192.
    pub default_max_tokens: u64,
    /// Ask an OpenAI Chat upstream for the usage chunk even when the client did not, so usage
    /// can be recorded; [`crate::StreamTranslator::with_include_usage`] hides it again.
    /// Default true.
    pub request_upstream_usage: bool,
    /// For a Gemini *client*: whether it called `streamGenerateContent` (the flag is in the
    /// URL, not the body). Ignored for other source formats.
    pub gemini_client_stream: bool,
    /// Where Gemini thought signatures and Anthropic thinking blocks are looked up.
    pub signatures: Option<&'a SignatureStore>,
}

impl Default for TranslateOptions<'_> {
    fn default() -> Self {
        TranslateOptions {
            default_max_tokens: 8192,
            request_upstream_usage: true,
            gemini_client_stream: false,
            signatures: None,
        }
    }
}

/// A request ready for the upstream.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatedRequest {
    /// The upstream format.
    pub format: Format,
    /// JSON body to send.
    pub body: Vec<u8>,
    /// Whether the upstream response will be a stream.
    pub stream: bool,
    /// The upstream model (for Gemini it goes in the URL, see [`Self::gemini_path`]).
    pub model: String,
    /// Whether an OpenAI Chat client asked for the final usage chunk (always true for the
    /// other client formats, which always report usage).
    pub client_include_usage: bool,
    /// What was dropped because the target cannot express it, for logs.
    pub warnings: Vec<String>,
}

impl TranslatedRequest {
    /// For a Gemini upstream: the path after the API version, e.g.
    /// `models/gemini-2.5-pro:streamGenerateContent?alt=sse`.
    pub fn gemini_path(&self) -> Option<String> {
        (self.format == Format::Gemini).then(|| {
            let model = self.model.strip_prefix("models/").unwrap_or(&self.model);
            if self.stream {
                format!("models/{model}:streamGenerateContent?alt=sse")
            } else {
                format!("models/{model}:generateContent")
            }
        })
    }
}

fn parse_json(body: &[u8]) -> Result<Value, TranslateError> {
    serde_json::from_slice(body).map_err(|e| TranslateError::InvalidJson(e.to_string()))
}

/// Parses a client request of `format` into the IR.
pub fn parse_request(format: Format, body: &Value) -> Result<ChatRequest, TranslateError> {
    match format {
        Format::OpenAiChat => openai_chat::request::parse(body),
        Format::Anthropic => anthropic::request::parse(body),
        Format::Gemini => gemini::request::parse(body),
        Format::Responses => responses::request::parse(body),
    }
}

/// Renders the IR as a request of `format`.
pub fn render_request(
    format: Format,
    req: &ChatRequest,
    ctx: &mut RenderCtx<'_>,
) -> Result<Value, TranslateError> {
    match format {
        Format::OpenAiChat => openai_chat::request::render(req, ctx),
        Format::Anthropic => anthropic::request::render(req, ctx),
        Format::Gemini => gemini::request::render(req, ctx),
        Format::Responses => responses::request::render(req, ctx),
    }
}

/// Translates a client request of format `from` into a request of format `to` for
/// `target_model`. Same format is a byte-preserving pass-through that only sets `model`
/// (and, for OpenAI Chat streams, `stream_options.include_usage` when
/// [`TranslateOptions::request_upstream_usage`] is set).
pub fn translate_request(
    from: Format,
    to: Format,
    body: &[u8],
    target_model: &str,
    opts: &TranslateOptions<'_>,
) -> Result<TranslatedRequest, TranslateError> {
    if from == to {
        return passthrough_request(from, body, target_model, opts);
    }
    let v = parse_json(body)?;
    let mut req = parse_request(from, &v)?;
    if from == Format::Gemini {
        req.stream = opts.gemini_client_stream;
    }
    let mut ctx = RenderCtx {
        target_model,
        default_max_tokens: opts.default_max_tokens,
        request_upstream_usage: opts.request_upstream_usage,
        signatures: opts.signatures,
        warnings: std::mem::take(&mut req.warnings),
    };
    let out = render_request(to, &req, &mut ctx)?;
    Ok(TranslatedRequest {
        format: to,
        body: serde_json::to_vec(&out).map_err(|e| TranslateError::InvalidJson(e.to_string()))?,
        stream: req.stream,
        model: target_model.to_string(),
        client_include_usage: req.include_usage,
        warnings: ctx.warnings,
    })
}

fn passthrough_request(
    format: Format,
    body: &[u8],
    target_model: &str,
    opts: &TranslateOptions<'_>,
) -> Result<TranslatedRequest, TranslateError> {
    serde_json::from_slice::<IgnoredAny>(body)
        .map_err(|e| TranslateError::InvalidJson(e.to_string()))?;
    let bad = |e: String| TranslateError::InvalidJson(e);
    let mut result = TranslatedRequest {
        format,
        body: Vec::new(),
        stream: false,
        model: target_model.to_string(),
        client_include_usage: true,
        warnings: Vec::new(),
    };
    if format == Format::Gemini {
        result.body = body.to_vec();
        result.stream = opts.gemini_client_stream;
        return Ok(result);
    }
    let model_json = Value::from(target_model).to_string();
    let mut out = set_top_level(body, "model", &model_json).map_err(bad)?;
    result.stream = get_top_level(&out, "stream").map_err(bad)? == Some(b"true".as_slice());
    if format == Format::OpenAiChat {
        let so = get_top_level(&out, "stream_options")
            .map_err(bad)?
            .map(parse_json)
            .transpose()?;
        result.client_include_usage = so
            .as_ref()
            .and_then(|s| s.get("include_usage"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if result.stream && opts.request_upstream_usage && !result.client_include_usage {
            let mut so = match so {
                Some(Value::Object(o)) => o,
                _ => serde_json::Map::new(),
            };
            so.insert("include_usage".into(), Value::Bool(true));
            out = set_top_level(&out, "stream_options", &Value::Object(so).to_string())
                .map_err(bad)?;
        }
    }
    result.body = out;
    Ok(result)
}

/// A complete response ready for the client.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatedResponse {
    pub body: Vec<u8>,
    /// Exact upstream usage (see [`crate::usage`]).
    pub usage: Usage,
}

/// Parses an upstream response of `format` into the IR.
pub fn parse_response(format: Format, body: &Value) -> Result<ChatResponse, TranslateError> {
    match format {
        Format::OpenAiChat => openai_chat::response::parse(body),
        Format::Anthropic => anthropic::response::parse(body),
        Format::Gemini => gemini::response::parse(body),
        Format::Responses => responses::response::parse(body),
    }
}

/// Renders the IR as a complete response of `format`, naming `client_model`.
pub fn render_response(format: Format, r: &ChatResponse, client_model: &str) -> Value {
    match format {
        Format::OpenAiChat => openai_chat::response::render(r, client_model),
        Format::Anthropic => anthropic::response::render(r, client_model),
        Format::Gemini => gemini::response::render(r, client_model),
        Format::Responses => responses::response::render(r, client_model),
    }
}

/// Translates a complete upstream response (`upstream` format) into the client's format.
/// The client-visible model is `client_model`. Same format keeps every other byte.
pub fn translate_response(
    upstream: Format,
    client: Format,
    body: &[u8],
    client_model: &str,
    signatures: Option<&SignatureStore>,
) -> Result<TranslatedResponse, TranslateError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| TranslateError::upstream(upstream, format!("response is not JSON: {e}")))?;
    if upstream == client {
        let key = if client == Format::Gemini {
            "modelVersion"
        } else {
            "model"
        };
        let has = get_top_level(body, key).map_err(|e| TranslateError::upstream(upstream, e))?;
        let out = if has.is_some() {
            set_top_level(body, key, &Value::from(client_model).to_string())
                .map_err(|e| TranslateError::upstream(upstream, e))?
        } else {
            body.to_vec()
        };
        return Ok(TranslatedResponse {
            body: out,
            usage: extract_usage(upstream, &v),
        });
    }
    let r = parse_response(upstream, &v)?;
    if let Some(store) = signatures {
        remember_signatures(upstream, client, &r.content, store);
    }
    let out = render_response(client, &r, client_model);
    Ok(TranslatedResponse {
        body: serde_json::to_vec(&out).map_err(|e| TranslateError::InvalidJson(e.to_string()))?,
        usage: r.usage,
    })
}

/// Records what the next turn will need and the client may not echo (see
/// [`SignatureStore`]).
pub(crate) fn remember_signatures(
    upstream: Format,
    client: Format,
    parts: &[Part],
    store: &SignatureStore,
) {
    let thinking: Vec<Part> = parts
        .iter()
        .filter(|p| matches!(p, Part::Thinking { .. } | Part::RedactedThinking { .. }))
        .cloned()
        .collect();
    for p in parts {
        if let Part::ToolCall {
            id,
            thought_signature,
            ..
        } = p
        {
            if let Some(sig) = thought_signature {
                store.put_thought_signature(id, sig);
            }
            if upstream == Format::Anthropic && client != Format::Anthropic && !thinking.is_empty()
            {
                store.put_thinking(id, thinking.clone());
            }
        }
    }
}
