//! Gemini `generateContent` / `streamGenerateContent` and the model list.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::call::Call;
use crate::errors::Dialect;
use crate::openai::MODELS;
use crate::reply::{pieces, Reply, Tokens};
use crate::stream::{self, frame, malformed_frame};

fn usage(t: &Tokens) -> Value {
    let candidates = t.output.saturating_sub(t.reasoning);
    let mut u = json!({
        "promptTokenCount": t.prompt_total(),
        "candidatesTokenCount": candidates,
        "totalTokenCount": t.prompt_total() + t.output,
    });
    if t.cache_read > 0 {
        u["cachedContentTokenCount"] = json!(t.cache_read);
    }
    if t.reasoning > 0 {
        u["thoughtsTokenCount"] = json!(t.reasoning);
    }
    u
}

fn candidate(parts: Vec<Value>, finish: Option<&str>) -> Value {
    let mut c = json!({ "content": { "role": "model", "parts": parts }, "index": 0 });
    if let Some(f) = finish {
        c["finishReason"] = json!(f);
    }
    c
}

/// The answer parts after the thoughts; the thought signature rides on the first of them.
fn answer_parts(reply: &Reply, text_pieces: &[&str]) -> Vec<Value> {
    let mut parts: Vec<Value> = text_pieces.iter().map(|p| json!({ "text": p })).collect();
    parts.extend(
        reply
            .tools
            .iter()
            .map(|t| json!({ "functionCall": { "name": t.name, "args": if t.arguments.is_null() { json!({}) } else { t.arguments.clone() } } })),
    );
    if reply.reasoning.is_some() {
        if let Some(first) = parts.first_mut() {
            first["thoughtSignature"] = json!(reply.signature);
        }
    }
    parts
}

/// `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent[?alt=sse]`.
pub(crate) async fn generate(Path(target): Path<String>, call: Call) -> Response {
    let Some((_, action)) = target.rsplit_once(':') else {
        return not_found(&target);
    };
    let stream_mode = match action {
        "generateContent" => false,
        "streamGenerateContent" => true,
        _ => return not_found(&target),
    };
    if let Some(early) = call.preflight(Dialect::Gemini).await {
        return early;
    }
    let reply = Reply::new(&call.scenario, &call.json, &call.model);
    let response_id = call.id("mock-response-");
    let envelope = |candidate: Value, usage_metadata: Option<Value>| {
        let mut v = json!({
            "candidates": [candidate],
            "modelVersion": reply.model,
            "responseId": response_id,
        });
        if let Some(u) = usage_metadata {
            v["usageMetadata"] = u;
        }
        v
    };
    if !stream_mode {
        let mut parts = Vec::new();
        if let Some(r) = &reply.reasoning {
            parts.push(json!({ "text": r, "thought": true }));
        }
        let text: Vec<&str> = if reply.text.is_empty() {
            Vec::new()
        } else {
            vec![reply.text.as_str()]
        };
        parts.extend(answer_parts(&reply, &text));
        let body = envelope(candidate(parts, Some("STOP")), Some(usage(&reply.tokens)));
        return stream::json(&body, &call.scenario);
    }
    // Streaming: thoughts word by word, then text word by word, then the function calls and
    // finishReason + usage in the last chunk (Gemini has no separate terminal event).
    let mut chunks: Vec<Value> = Vec::new();
    if let Some(r) = &reply.reasoning {
        for p in pieces(r) {
            chunks.push(envelope(
                candidate(vec![json!({ "text": p, "thought": true })], None),
                None,
            ));
        }
    }
    let text_pieces = pieces(&reply.text);
    let answer = answer_parts(&reply, &text_pieces);
    let last = answer.len().saturating_sub(if reply.has_tools() {
        reply.tools.len()
    } else {
        1
    });
    let (streamed, final_parts) = answer.split_at(last.min(answer.len()));
    for part in streamed {
        chunks.push(envelope(candidate(vec![part.clone()], None), None));
    }
    chunks.push(envelope(
        candidate(final_parts.to_vec(), Some("STOP")),
        Some(usage(&reply.tokens)),
    ));
    let sse = call
        .query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "alt=sse"));
    if sse {
        let frames: Vec<Bytes> = chunks.iter().map(|c| frame(None, c)).collect();
        return stream::sse(frames, malformed_frame(None), &call.scenario);
    }
    // Without alt=sse Gemini streams one JSON array.
    stream::json(&Value::Array(chunks), &call.scenario)
}

fn not_found(target: &str) -> Response {
    let body = json!({ "error": {
        "code": 404,
        "message": format!("mock: unknown method in {target}"),
        "status": "NOT_FOUND",
    }});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// `GET /v1beta/models`.
pub(crate) async fn models(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::Gemini).await {
        return early;
    }
    let models: Vec<Value> = MODELS
        .iter()
        .map(|m| {
            json!({
                "name": format!("models/{m}"),
                "displayName": m,
                "supportedGenerationMethods": ["generateContent", "streamGenerateContent"],
            })
        })
        .collect();
    stream::json(&json!({ "models": models }), &call.scenario)
}
