//! One module per wire format. Each has `request` (parse to / render from
//! [`crate::ir::ChatRequest`]), `response` (complete responses, [`crate::ir::ChatResponse`])
//! and `stream` (a decoder from upstream SSE events to [`crate::ir::StreamEvent`]s and an
//! encoder from those events to client SSE bytes).

pub mod anthropic;
pub mod gemini;
pub mod openai_chat;
pub mod responses;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::errors::TranslateError;
use crate::format::Format;
use crate::signatures::SignatureStore;

/// What a request renderer needs besides the IR.
pub struct RenderCtx<'a> {
    pub target_model: &'a str,
    /// Anthropic requires `max_tokens`; used when the client sent none.
    pub default_max_tokens: u64,
    /// Ask an OpenAI upstream for a usage chunk even if the client did not (for accounting).
    pub request_upstream_usage: bool,
    pub signatures: Option<&'a SignatureStore>,
    /// Human-readable notes about what was dropped on the way.
    pub warnings: Vec<String>,
}

impl RenderCtx<'_> {
    pub(crate) fn warn(&mut self, msg: impl Into<String>) {
        let msg = msg.into();
        if !self.warnings.contains(&msg) {
            self.warnings.push(msg);
        }
    }
}

/// OpenAI Chat and Responses top-level keys that mean the same thing in both, so they
/// survive a Chat <-> Responses translation as extras.
pub(crate) const OPENAI_SHARED_KEYS: &[&str] = &[
    "metadata",
    "store",
    "service_tier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "safety_identifier",
    "user",
    "top_logprobs",
];

/// Copies extras into `out` when the target may understand them (see `ChatRequest::extra`).
pub(crate) fn merge_extras(
    req: &crate::ir::ChatRequest,
    target: Format,
    out: &mut Map<String, Value>,
    ctx: &mut RenderCtx<'_>,
) {
    let Some(source) = req.extra_source else {
        return;
    };
    for (k, v) in &req.extra {
        if out.contains_key(k) {
            continue;
        }
        let keep = source == target
            || (source.family() == target.family() && OPENAI_SHARED_KEYS.contains(&k.as_str()));
        if keep {
            out.insert(k.clone(), v.clone());
        } else {
            ctx.warn(format!("dropped field '{k}' (not supported by {target})"));
        }
    }
}

/// A fresh id with `prefix`: unique within the process, not guessable as a sequence.
pub fn gen_id(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    // splitmix64 over time and counter: cheap, well mixed, no dependency
    let mut x = t ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    format!("{prefix}{x:016x}{:06x}", n & 0xFF_FFFF)
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

// ---- small typed accessors that name the field in errors ----

pub(crate) fn as_object<'a>(
    v: &'a Value,
    path: &str,
) -> Result<&'a Map<String, Value>, TranslateError> {
    v.as_object()
        .ok_or_else(|| TranslateError::field(path, "expected an object"))
}

pub(crate) fn as_array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, TranslateError> {
    v.as_array()
        .ok_or_else(|| TranslateError::field(path, "expected an array"))
}

/// An optional field that, when present and not null, must be a string.
pub(crate) fn opt_str(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<String>, TranslateError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(TranslateError::field(join(path, key), "expected a string")),
    }
}

pub(crate) fn req_str(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<String, TranslateError> {
    opt_str(o, key, path)?.ok_or_else(|| TranslateError::MissingField(join(path, key)))
}

pub(crate) fn opt_f64(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<f64>, TranslateError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| TranslateError::field(join(path, key), "expected a number")),
    }
}

pub(crate) fn opt_u64(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<u64>, TranslateError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            TranslateError::field(join(path, key), "expected a non-negative integer")
        }),
    }
}

pub(crate) fn opt_bool(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<bool>, TranslateError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(TranslateError::field(join(path, key), "expected a boolean")),
    }
}

/// `stop` may be a string or an array of strings.
pub(crate) fn stop_list(
    o: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Vec<String>, TranslateError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    TranslateError::field(format!("{}[{i}]", join(path, key)), "expected a string")
                })
            })
            .collect(),
        Some(_) => Err(TranslateError::field(
            join(path, key),
            "expected a string or an array of strings",
        )),
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Parses a tool-call arguments value: a JSON string is kept verbatim, an object is
/// serialised (some clients send objects).
pub(crate) fn args_string(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Parses tool-call arguments into a JSON object for formats that carry objects (Anthropic
/// `input`, Gemini `args`). Empty means `{}`; invalid JSON is an error naming the call.
pub(crate) fn args_object(args: &str, path: &str) -> Result<Value, TranslateError> {
    if args.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_str(args).map_err(|e| {
        TranslateError::field(path, format!("tool call arguments are not valid JSON: {e}"))
    })
}

/// Concatenated text of the text parts.
pub(crate) fn joined_text(parts: &[crate::ir::Part], sep: &str) -> String {
    let texts: Vec<&str> = parts
        .iter()
        .filter_map(|p| match p {
            crate::ir::Part::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    texts.join(sep)
}
