//! Anthropic complete responses <-> IR.

use serde_json::{json, Value};

use super::{image_source_json, stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{args_object, gen_id};
use crate::ir::{ChatResponse, Part, StopReason};
use crate::usage::{read_anthropic, write_anthropic, Usage};

pub fn parse(v: &Value) -> Result<ChatResponse, TranslateError> {
    let blocks = v.get("content").and_then(Value::as_array).ok_or_else(|| {
        TranslateError::upstream(Format::Anthropic, "response has no content array")
    })?;
    let mut content = Vec::new();
    for b in blocks {
        let s = |k: &str| b.get(k).and_then(Value::as_str).map(str::to_string);
        match b.get("type").and_then(Value::as_str) {
            Some("text") => content.push(Part::text(s("text").unwrap_or_default())),
            Some("thinking") => content.push(Part::Thinking {
                text: s("thinking").unwrap_or_default(),
                signature: s("signature").filter(|x| !x.is_empty()),
            }),
            Some("redacted_thinking") => content.push(Part::RedactedThinking {
                data: s("data").unwrap_or_default(),
            }),
            Some("tool_use") => content.push(Part::ToolCall {
                id: s("id").unwrap_or_else(|| gen_id("toolu_")),
                name: s("name").unwrap_or_default(),
                arguments: b
                    .get("input")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "{}".into()),
                thought_signature: None,
                cache_control: None,
            }),
            _ => {} // server tool blocks and citations have no counterpart elsewhere
        }
    }
    let mut usage = Usage::default();
    if let Some(u) = v.get("usage") {
        read_anthropic(u).apply_to(&mut usage);
    }
    let stop = match v.get("stop_reason").and_then(Value::as_str) {
        Some(r) => stop_from_wire(r, v.get("stop_sequence").and_then(Value::as_str)),
        None => StopReason::Stop,
    };
    Ok(ChatResponse {
        id: v.get("id").and_then(Value::as_str).map(str::to_string),
        model: v.get("model").and_then(Value::as_str).map(str::to_string),
        content,
        stop,
        usage,
    })
}

pub fn render(r: &ChatResponse, client_model: &str) -> Value {
    let content: Vec<Value> = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(json!({"type": "text", "text": text})),
            Part::Thinking { text, signature } => Some(json!({
                "type": "thinking", "thinking": text, "signature": signature.clone().unwrap_or_default()
            })),
            Part::RedactedThinking { data } => Some(json!({"type": "redacted_thinking", "data": data})),
            Part::ToolCall {
                id,
                name,
                arguments,
                ..
            } => Some(json!({
                "type": "tool_use", "id": id, "name": name,
                // invalid JSON from a model is carried as a string rather than lost
                "input": args_object(arguments, "tool_use").unwrap_or_else(|_| json!({"_raw": arguments})),
            })),
            Part::Image { source, .. } => Some(json!({"type": "image", "source": image_source_json(source)})),
            Part::ToolResult { .. } => None,
        })
        .collect();
    let id =
        r.id.clone()
            .filter(|i| i.starts_with("msg_"))
            .unwrap_or_else(|| gen_id("msg_"));
    let stop_sequence = match &r.stop {
        StopReason::StopSequence(Some(s)) => json!(s),
        _ => Value::Null,
    };
    json!({
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": client_model,
        "content": content,
        "stop_reason": stop_to_wire(&r.stop),
        "stop_sequence": stop_sequence,
        "usage": write_anthropic(&r.usage),
    })
}
