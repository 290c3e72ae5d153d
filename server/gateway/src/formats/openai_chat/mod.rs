//! OpenAI Chat Completions.
//!
//! Reasoning round trip: assistant messages carry `reasoning_content` (DeepSeek style, the
//! reasoning text) and, when signatures exist, `thinking_blocks`
//! (`[{"type":"thinking","thinking","signature"} | {"type":"redacted_thinking","data"}]`).
//! A client that echoes `thinking_blocks` back gets its Anthropic signatures restored.
//! Gemini `thoughtSignature`s ride on tool calls as `extra_content.google.thought_signature`
//! (the field Google's own OpenAI-compatible endpoint uses).

pub mod request;
pub mod response;
pub mod stream;

use serde_json::{json, Value};

use crate::ir::{Part, StopReason};

pub(crate) fn stop_to_wire(s: &StopReason) -> &'static str {
    match s {
        StopReason::Stop | StopReason::StopSequence(_) => "stop",
        StopReason::Length => "length",
        StopReason::ToolCalls => "tool_calls",
        StopReason::ContentFilter => "content_filter",
    }
}

pub(crate) fn stop_from_wire(s: &str) -> StopReason {
    match s {
        "length" => StopReason::Length,
        "tool_calls" | "function_call" => StopReason::ToolCalls,
        "content_filter" => StopReason::ContentFilter,
        _ => StopReason::Stop,
    }
}

/// `thinking_blocks` entries for thinking parts that carry something worth round-tripping.
pub(crate) fn thinking_blocks(parts: &[Part]) -> Option<Value> {
    let needed = parts.iter().any(|p| {
        matches!(
            p,
            Part::Thinking {
                signature: Some(_),
                ..
            } | Part::RedactedThinking { .. }
        )
    });
    if !needed {
        return None;
    }
    let blocks: Vec<Value> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Thinking { text, signature } => {
                Some(json!({"type": "thinking", "thinking": text, "signature": signature}))
            }
            Part::RedactedThinking { data } => {
                Some(json!({"type": "redacted_thinking", "data": data}))
            }
            _ => None,
        })
        .collect();
    Some(Value::Array(blocks))
}

/// Parses `thinking_blocks` (see the module docs). Unknown entries are skipped.
pub(crate) fn parse_thinking_blocks(v: &Value) -> Vec<Part> {
    let Some(arr) = v.as_array() else {
        return Vec::new();
    };
    arr.iter()
        .filter_map(|b| match b.get("type").and_then(Value::as_str) {
            Some("thinking") => Some(Part::Thinking {
                text: b
                    .get("thinking")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                signature: b
                    .get("signature")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
            Some("redacted_thinking") => Some(Part::RedactedThinking {
                data: b.get("data").and_then(Value::as_str)?.to_string(),
            }),
            _ => None,
        })
        .collect()
}

pub(crate) fn tool_call_json(id: &str, name: &str, args: &str, sig: Option<&String>) -> Value {
    let mut tc =
        json!({"id": id, "type": "function", "function": {"name": name, "arguments": args}});
    if let Some(s) = sig {
        tc["extra_content"] = json!({"google": {"thought_signature": s}});
    }
    tc
}
