//! OpenAI Responses complete responses <-> IR.

use serde_json::{json, Value};

use super::{stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{gen_id, now_unix};
use crate::ir::{ChatResponse, Part};
use crate::usage::{read_responses, write_responses, Usage};

pub fn parse(v: &Value) -> Result<ChatResponse, TranslateError> {
    // accept both the bare response and a `response.completed` event payload
    let r = v.get("response").filter(|r| r.is_object()).unwrap_or(v);
    let output = r.get("output").and_then(Value::as_array).ok_or_else(|| {
        TranslateError::upstream(Format::Responses, "response has no output array")
    })?;
    let mut content = Vec::new();
    for item in output {
        let s = |k: &str| {
            item.get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        match item.get("type").and_then(Value::as_str) {
            Some("reasoning") => {
                let mut texts: Vec<String> = Vec::new();
                for key in ["summary", "content"] {
                    if let Some(a) = item.get(key).and_then(Value::as_array) {
                        texts.extend(a.iter().filter_map(|p| {
                            p.get("text").and_then(Value::as_str).map(str::to_string)
                        }));
                    }
                }
                if !texts.is_empty() {
                    content.push(Part::Thinking {
                        text: texts.join("\n\n"),
                        signature: None,
                    });
                }
            }
            Some("message") => {
                if let Some(parts) = item.get("content").and_then(Value::as_array) {
                    for p in parts {
                        let t = p
                            .get("text")
                            .or_else(|| p.get("refusal"))
                            .and_then(Value::as_str);
                        if let Some(t) = t {
                            content.push(Part::text(t));
                        }
                    }
                }
            }
            Some("function_call") => content.push(Part::ToolCall {
                id: s("call_id"),
                name: s("name"),
                arguments: s("arguments"),
                thought_signature: None,
                cache_control: None,
            }),
            _ => {} // built-in tool calls have no counterpart elsewhere
        }
    }
    let had_calls = content.iter().any(|p| matches!(p, Part::ToolCall { .. }));
    let mut usage = Usage::default();
    if let Some(u) = r.get("usage") {
        read_responses(u).apply_to(&mut usage);
    }
    Ok(ChatResponse {
        id: r.get("id").and_then(Value::as_str).map(str::to_string),
        model: r.get("model").and_then(Value::as_str).map(str::to_string),
        content,
        stop: stop_from_wire(
            r.get("status")
                .and_then(Value::as_str)
                .unwrap_or("completed"),
            r.get("incomplete_details"),
            had_calls,
        ),
        usage,
    })
}

/// The `response` object shared by the non-stream body and the stream's lifecycle events.
pub(crate) fn response_object(
    id: &str,
    model: &str,
    created_at: u64,
    status: &str,
    output: Vec<Value>,
    usage: Option<&Usage>,
    incomplete: Value,
) -> Value {
    json!({
        "id": id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        "error": null,
        "incomplete_details": incomplete,
        "model": model,
        "output": output,
        "usage": usage.map(write_responses),
    })
}

pub fn render(r: &ChatResponse, client_model: &str) -> Value {
    let mut output = Vec::new();
    let thinking: Vec<&str> = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::Thinking { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    if !thinking.is_empty() {
        output.push(json!({"id": gen_id("rs_"), "type": "reasoning",
            "summary": [{"type": "summary_text", "text": thinking.join("\n\n")}]}));
    }
    let text: String = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    if !text.is_empty() {
        output.push(json!({"id": gen_id("msg_"), "type": "message", "status": "completed", "role": "assistant",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}));
    }
    for p in &r.content {
        if let Part::ToolCall {
            id,
            name,
            arguments,
            ..
        } = p
        {
            let args = if arguments.trim().is_empty() {
                "{}"
            } else {
                arguments.as_str()
            };
            output.push(
                json!({"id": gen_id("fc_"), "type": "function_call", "status": "completed",
                "call_id": id, "name": name, "arguments": args}),
            );
        }
    }
    let (status, incomplete) = stop_to_wire(&r.stop);
    let id =
        r.id.clone()
            .filter(|i| i.starts_with("resp_"))
            .unwrap_or_else(|| gen_id("resp_"));
    response_object(
        &id,
        client_model,
        now_unix(),
        status,
        output,
        Some(&r.usage),
        incomplete,
    )
}
