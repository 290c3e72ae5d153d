//! Gemini complete responses <-> IR.

use serde_json::{json, Value};

use super::{image_part, stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{args_object, gen_id};
use crate::ir::{ChatResponse, ImageSource, Part, StopReason};
use crate::usage::{read_gemini, write_gemini, Usage};

/// Parts of one candidate (shared with the stream decoder).
pub(crate) fn parse_parts(parts: &[Value], out: &mut Vec<Part>) {
    for p in parts {
        let sig = p
            .get("thoughtSignature")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(fc) = p.get("functionCall") {
            out.push(Part::ToolCall {
                id: fc
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| gen_id("call_")),
                name: fc
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                arguments: fc
                    .get("args")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "{}".into()),
                thought_signature: sig,
                cache_control: None,
            });
        } else if let Some(t) = p.get("text").and_then(Value::as_str) {
            if p.get("thought").and_then(Value::as_bool) == Some(true) {
                out.push(Part::Thinking {
                    text: t.to_string(),
                    signature: None,
                });
            } else if !t.is_empty() {
                out.push(Part::text(t));
            }
        } else if let Some(d) = p.get("inlineData") {
            out.push(Part::Image {
                source: ImageSource::Base64 {
                    media_type: d
                        .get("mimeType")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    data: d
                        .get("data")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                },
                detail: None,
                cache_control: None,
            });
        }
    }
}

pub fn parse(v: &Value) -> Result<ChatResponse, TranslateError> {
    let mut content = Vec::new();
    let cand = v.pointer("/candidates/0");
    if let Some(parts) = cand
        .and_then(|c| c.pointer("/content/parts"))
        .and_then(Value::as_array)
    {
        parse_parts(parts, &mut content);
    }
    let had_calls = content.iter().any(|p| matches!(p, Part::ToolCall { .. }));
    let stop = match cand
        .and_then(|c| c.get("finishReason"))
        .and_then(Value::as_str)
    {
        Some(r) => stop_from_wire(r, had_calls),
        None if v.pointer("/promptFeedback/blockReason").is_some() => StopReason::ContentFilter,
        None if cand.is_none() => {
            return Err(TranslateError::upstream(
                Format::Gemini,
                "response has no candidates",
            ))
        }
        None => stop_from_wire("STOP", had_calls),
    };
    let mut usage = Usage::default();
    if let Some(u) = v.get("usageMetadata") {
        read_gemini(u).apply_to(&mut usage);
    }
    Ok(ChatResponse {
        id: v
            .get("responseId")
            .and_then(Value::as_str)
            .map(str::to_string),
        model: v
            .get("modelVersion")
            .and_then(Value::as_str)
            .map(str::to_string),
        content,
        stop,
        usage,
    })
}

/// One IR part as a Gemini response part (`None` for parts Gemini cannot show).
pub(crate) fn part_json(p: &Part) -> Option<Value> {
    match p {
        Part::Text { text, .. } => Some(json!({"text": text})),
        Part::Thinking { text, .. } => Some(json!({"text": text, "thought": true})),
        Part::ToolCall {
            name,
            arguments,
            thought_signature,
            ..
        } => {
            let args = args_object(arguments, "functionCall")
                .unwrap_or_else(|_| json!({"_raw": arguments}));
            let mut v = json!({"functionCall": {"name": name, "args": args}});
            if let Some(s) = thought_signature {
                v["thoughtSignature"] = json!(s);
            }
            Some(v)
        }
        Part::Image { source, .. } => Some(image_part(source)),
        Part::RedactedThinking { .. } | Part::ToolResult { .. } => None,
    }
}

pub fn render(r: &ChatResponse, client_model: &str) -> Value {
    let parts: Vec<Value> = r.content.iter().filter_map(part_json).collect();
    json!({
        "candidates": [{
            "content": {"role": "model", "parts": parts},
            "finishReason": stop_to_wire(&r.stop),
            "index": 0,
        }],
        "usageMetadata": write_gemini(&r.usage),
        "modelVersion": client_model,
        "responseId": r.id.clone().unwrap_or_else(|| gen_id("")),
    })
}
