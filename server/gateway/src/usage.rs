//! Token usage: one exact, format-neutral record and its mapping to and from each dialect.
//!
//! # The canonical meaning (what [`Usage`] fields count)
//!
//! * `input`: prompt tokens billed at the normal input rate. **Excludes** cache reads and
//!   cache writes (Anthropic's `input_tokens` meaning).
//! * `cache_read`: prompt tokens served from the prompt cache.
//! * `cache_write`: prompt tokens written to the prompt cache (Anthropic only reports these).
//! * `output`: all generated tokens, **including** reasoning tokens.
//! * `reasoning`: the part of `output` spent on reasoning (0 when the upstream does not say).
//!
//! The total prompt size is `input + cache_read + cache_write`; the total is that plus `output`.
//!
//! # Per-format mapping (read = upstream to [`Usage`], write = [`Usage`] to client)
//!
//! | format | read | write |
//! |---|---|---|
//! | OpenAI Chat | `input = prompt_tokens - cached_tokens - cache_creation_tokens`, `cache_read = prompt_tokens_details.cached_tokens`, `cache_write = prompt_tokens_details.cache_creation_tokens` (our extension, 0 if absent), `output = completion_tokens`, `reasoning = completion_tokens_details.reasoning_tokens` | `prompt_tokens = input + cache_read + cache_write` (the whole prompt, as OpenAI counts it), details as read, `total_tokens = prompt + completion` |
//! | Anthropic | `input_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens`, `output_tokens`; reasoning unknown (0) | the same fields; `reasoning` cannot be expressed and is dropped (it is inside `output_tokens`) |
//! | Gemini | `input = promptTokenCount - cachedContentTokenCount`, `cache_read = cachedContentTokenCount`, `output = candidatesTokenCount + thoughtsTokenCount` (Gemini counts thoughts apart), `reasoning = thoughtsTokenCount` | `promptTokenCount = input + cache_read + cache_write`, `candidatesTokenCount = output - reasoning`, `thoughtsTokenCount = reasoning`, `totalTokenCount = prompt + output` |
//! | Responses | like OpenAI Chat with `input_tokens`, `input_tokens_details.cached_tokens`, `output_tokens`, `output_tokens_details.reasoning_tokens` | same |
//!
//! No buffer is ever added, and numbers are only ever *overwritten* by later reports of the
//! same stream (every dialect reports cumulative counts), never summed, so nothing is counted
//! twice.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::format::Format;

/// Exact token counts of one request (see the module docs for the meaning of each field).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: u64,
}

impl Usage {
    /// The whole prompt: uncached input plus cache reads and writes.
    pub fn prompt_total(&self) -> u64 {
        self.input + self.cache_read + self.cache_write
    }

    pub fn total(&self) -> u64 {
        self.prompt_total() + self.output
    }

    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }
}

/// A partial usage report. Streams report usage in pieces (Anthropic sends input counts in
/// `message_start` and output counts in `message_delta`); each present field overwrites.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageUpdate {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub cache_read: Option<u64>,
    pub cache_write: Option<u64>,
    pub reasoning: Option<u64>,
}

impl UsageUpdate {
    pub fn apply_to(&self, u: &mut Usage) {
        if let Some(v) = self.input {
            u.input = v;
        }
        if let Some(v) = self.output {
            u.output = v;
        }
        if let Some(v) = self.cache_read {
            u.cache_read = v;
        }
        if let Some(v) = self.cache_write {
            u.cache_write = v;
        }
        if let Some(v) = self.reasoning {
            u.reasoning = v;
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == UsageUpdate::default()
    }

    pub fn full(u: Usage) -> Self {
        UsageUpdate {
            input: Some(u.input),
            output: Some(u.output),
            cache_read: Some(u.cache_read),
            cache_write: Some(u.cache_write),
            reasoning: Some(u.reasoning),
        }
    }
}

fn num(v: &Value, ptr: &str) -> Option<u64> {
    v.pointer(ptr).and_then(Value::as_u64)
}

/// Reads an OpenAI Chat `usage` object.
pub fn read_openai_chat(u: &Value) -> UsageUpdate {
    read_openai_like(
        u,
        "/prompt_tokens",
        "/completion_tokens",
        "/prompt_tokens_details",
        "/completion_tokens_details",
    )
}

/// Reads a Responses `usage` object.
pub fn read_responses(u: &Value) -> UsageUpdate {
    read_openai_like(
        u,
        "/input_tokens",
        "/output_tokens",
        "/input_tokens_details",
        "/output_tokens_details",
    )
}

fn read_openai_like(u: &Value, p: &str, c: &str, pd: &str, cd: &str) -> UsageUpdate {
    let prompt = num(u, p);
    let cached = num(u, &format!("{pd}/cached_tokens")).unwrap_or(0);
    let created = num(u, &format!("{pd}/cache_creation_tokens")).unwrap_or(0);
    UsageUpdate {
        input: prompt.map(|p| p.saturating_sub(cached).saturating_sub(created)),
        output: num(u, c),
        cache_read: prompt.map(|_| cached),
        cache_write: prompt.map(|_| created),
        reasoning: num(u, &format!("{cd}/reasoning_tokens")).or(num(u, c).map(|_| 0)),
    }
}

/// Reads an Anthropic `usage` object (from a message, `message_start` or `message_delta`).
pub fn read_anthropic(u: &Value) -> UsageUpdate {
    UsageUpdate {
        input: num(u, "/input_tokens"),
        output: num(u, "/output_tokens"),
        cache_read: num(u, "/cache_read_input_tokens"),
        cache_write: num(u, "/cache_creation_input_tokens"),
        reasoning: None,
    }
}

/// Reads a Gemini `usageMetadata` object.
pub fn read_gemini(u: &Value) -> UsageUpdate {
    let prompt = num(u, "/promptTokenCount");
    let cached = num(u, "/cachedContentTokenCount").unwrap_or(0);
    let candidates = num(u, "/candidatesTokenCount");
    let thoughts = num(u, "/thoughtsTokenCount");
    let output = match (candidates, thoughts) {
        (None, None) => None,
        (c, t) => Some(c.unwrap_or(0) + t.unwrap_or(0)),
    };
    UsageUpdate {
        input: prompt.map(|p| p.saturating_sub(cached)),
        output,
        cache_read: prompt.map(|_| cached),
        cache_write: prompt.map(|_| 0),
        reasoning: output.map(|_| thoughts.unwrap_or(0)),
    }
}

/// Extracts usage from a complete (non-stream) response body of `format`.
pub fn extract_usage(format: Format, body: &Value) -> Usage {
    let mut u = Usage::default();
    let upd = match format {
        Format::OpenAiChat => body.get("usage").map(read_openai_chat),
        Format::Anthropic => body.get("usage").map(read_anthropic),
        Format::Gemini => body.get("usageMetadata").map(read_gemini),
        Format::Responses => body
            .get("usage")
            .or_else(|| body.pointer("/response/usage"))
            .map(read_responses),
    };
    if let Some(upd) = upd {
        upd.apply_to(&mut u);
    }
    u
}

pub fn write_openai_chat(u: &Usage) -> Value {
    let mut prompt_details = json!({"cached_tokens": u.cache_read});
    if u.cache_write > 0 {
        prompt_details["cache_creation_tokens"] = json!(u.cache_write);
    }
    json!({
        "prompt_tokens": u.prompt_total(),
        "completion_tokens": u.output,
        "total_tokens": u.total(),
        "prompt_tokens_details": prompt_details,
        "completion_tokens_details": {"reasoning_tokens": u.reasoning},
    })
}

pub fn write_responses(u: &Usage) -> Value {
    let mut input_details = json!({"cached_tokens": u.cache_read});
    if u.cache_write > 0 {
        input_details["cache_creation_tokens"] = json!(u.cache_write);
    }
    json!({
        "input_tokens": u.prompt_total(),
        "input_tokens_details": input_details,
        "output_tokens": u.output,
        "output_tokens_details": {"reasoning_tokens": u.reasoning},
        "total_tokens": u.total(),
    })
}

pub fn write_anthropic(u: &Usage) -> Value {
    json!({
        "input_tokens": u.input,
        "cache_creation_input_tokens": u.cache_write,
        "cache_read_input_tokens": u.cache_read,
        "output_tokens": u.output,
    })
}

pub fn write_gemini(u: &Usage) -> Value {
    let mut v = json!({
        "promptTokenCount": u.prompt_total(),
        "candidatesTokenCount": u.output.saturating_sub(u.reasoning),
        "totalTokenCount": u.total(),
    });
    if u.cache_read > 0 {
        v["cachedContentTokenCount"] = json!(u.cache_read);
    }
    if u.reasoning > 0 {
        v["thoughtsTokenCount"] = json!(u.reasoning);
    }
    v
}
