//! OpenAI Chat complete responses <-> IR.

use serde_json::{json, Map, Value};

use super::{parse_thinking_blocks, stop_from_wire, stop_to_wire, thinking_blocks, tool_call_json};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{args_string, gen_id, now_unix};
use crate::ir::{ChatResponse, Part, StopReason};
use crate::usage::{read_openai_chat, Usage};

pub fn parse(v: &Value) -> Result<ChatResponse, TranslateError> {
    let bad = |m: &str| TranslateError::upstream(Format::OpenAiChat, m.to_string());
    let choice = v
        .pointer("/choices/0")
        .ok_or_else(|| bad("response has no choices[0]"))?;
    let msg = choice
        .get("message")
        .ok_or_else(|| bad("choices[0] has no message"))?;
    let mut content = Vec::new();
    if let Some(tb) = msg.get("thinking_blocks") {
        content.extend(parse_thinking_blocks(tb));
    }
    if content.is_empty() {
        let rc = msg
            .get("reasoning_content")
            .or_else(|| msg.get("reasoning"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if let Some(text) = rc {
            content.push(Part::Thinking {
                text: text.to_string(),
                signature: None,
            });
        }
    }
    match msg.get("content") {
        Some(Value::String(s)) if !s.is_empty() => content.push(Part::text(s.clone())),
        Some(Value::Array(parts)) => {
            for p in parts {
                if let Some(t) = p.get("text").and_then(Value::as_str) {
                    content.push(Part::text(t));
                }
            }
        }
        _ => {}
    }
    if let Some(r) = msg.get("refusal").and_then(Value::as_str) {
        content.push(Part::text(r));
    }
    if let Some(tcs) = msg.get("tool_calls").and_then(Value::as_array) {
        for tc in tcs {
            content.push(Part::ToolCall {
                id: tc
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| gen_id("call_")),
                name: tc
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                arguments: args_string(tc.pointer("/function/arguments")),
                thought_signature: tc
                    .pointer("/extra_content/google/thought_signature")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                cache_control: None,
            });
        }
    }
    let mut usage = Usage::default();
    if let Some(u) = v.get("usage") {
        read_openai_chat(u).apply_to(&mut usage);
    }
    Ok(ChatResponse {
        id: v.get("id").and_then(Value::as_str).map(str::to_string),
        model: v.get("model").and_then(Value::as_str).map(str::to_string),
        content,
        stop: choice
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(stop_from_wire)
            .unwrap_or(StopReason::Stop),
        usage,
    })
}

pub fn render(r: &ChatResponse, client_model: &str) -> Value {
    let mut msg = Map::new();
    msg.insert("role".into(), json!("assistant"));
    let text: String = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let thinking: String = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::Thinking { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let tool_calls: Vec<Value> = r
        .content
        .iter()
        .filter_map(|p| match p {
            Part::ToolCall {
                id,
                name,
                arguments,
                thought_signature,
                ..
            } => {
                let args = if arguments.trim().is_empty() {
                    "{}"
                } else {
                    arguments
                };
                Some(tool_call_json(id, name, args, thought_signature.as_ref()))
            }
            _ => None,
        })
        .collect();
    let has_tools = !tool_calls.is_empty();
    msg.insert(
        "content".into(),
        if text.is_empty() && has_tools {
            Value::Null
        } else {
            json!(text)
        },
    );
    if !thinking.is_empty() {
        msg.insert("reasoning_content".into(), json!(thinking));
    }
    if let Some(tb) = thinking_blocks(&r.content) {
        msg.insert("thinking_blocks".into(), tb);
    }
    if has_tools {
        msg.insert("tool_calls".into(), Value::Array(tool_calls));
    }
    json!({
        "id": r.id.clone().unwrap_or_else(|| gen_id("chatcmpl-")),
        "object": "chat.completion",
        "created": now_unix(),
        "model": client_model,
        "choices": [{
            "index": 0,
            "message": Value::Object(msg),
            "finish_reason": stop_to_wire(&r.stop),
            "logprobs": null,
        }],
        "usage": crate::usage::write_openai_chat(&r.usage),
    })
}
