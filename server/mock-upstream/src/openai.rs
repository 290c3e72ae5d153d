//! OpenAI Chat Completions, legacy Completions, Models and Embeddings.

use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::call::Call;
use crate::errors::Dialect;
use crate::reply::{fragments, pieces, words, Reply, Tokens};
use crate::stream::{self, frame, malformed_frame, raw_frame};

/// The fixed `created` timestamp of every response (deterministic output).
pub(crate) const CREATED: u64 = 1_700_000_000;

/// Models listed by `GET /v1/models`.
pub(crate) const MODELS: [&str; 6] = [
    "mock-chat",
    "mock-reasoning",
    "mock-embedding",
    "mock-image",
    "mock-tts",
    "mock-whisper",
];

fn usage(t: &Tokens) -> Value {
    json!({
        "prompt_tokens": t.prompt_total(),
        "completion_tokens": t.output,
        "total_tokens": t.prompt_total() + t.output,
        "prompt_tokens_details": { "cached_tokens": t.cache_read },
        "completion_tokens_details": { "reasoning_tokens": t.reasoning },
    })
}

fn finish_reason(reply: &Reply) -> &'static str {
    if reply.has_tools() {
        "tool_calls"
    } else {
        "stop"
    }
}

/// `POST /v1/chat/completions`.
pub(crate) async fn chat_completions(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let reply = Reply::new(&call.scenario, &call.json, &call.model);
    let id = call.id("chatcmpl-mock-");
    if call.wants_stream() {
        let include_usage = call.json["stream_options"]["include_usage"]
            .as_bool()
            .unwrap_or(false);
        let frames = chat_stream(&id, &reply, include_usage);
        return stream::sse(frames, malformed_frame(None), &call.scenario);
    }
    let mut message = json!({ "role": "assistant", "content": reply.text });
    if reply.text.is_empty() && reply.has_tools() {
        message["content"] = Value::Null;
    }
    if let Some(r) = &reply.reasoning {
        message["reasoning_content"] = json!(r);
    }
    if reply.has_tools() {
        message["tool_calls"] = reply
            .tools
            .iter()
            .map(|t| {
                json!({
                    "id": t.id_or("call"),
                    "type": "function",
                    "function": { "name": t.name, "arguments": t.arguments_text },
                })
            })
            .collect();
    }
    let body = json!({
        "id": id,
        "object": "chat.completion",
        "created": CREATED,
        "model": reply.model,
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish_reason(&reply),
        }],
        "usage": usage(&reply.tokens),
    });
    stream::json(&body, &call.scenario)
}

fn chat_stream(id: &str, reply: &Reply, include_usage: bool) -> Vec<Bytes> {
    let chunk = |delta: Value, finish: Value| {
        let mut c = json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": reply.model,
            "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish }],
        });
        if include_usage {
            c["usage"] = Value::Null;
        }
        frame(None, &c)
    };
    let mut frames = vec![chunk(
        json!({ "role": "assistant", "content": "" }),
        Value::Null,
    )];
    if let Some(r) = &reply.reasoning {
        for piece in pieces(r) {
            frames.push(chunk(json!({ "reasoning_content": piece }), Value::Null));
        }
    }
    for piece in pieces(&reply.text) {
        frames.push(chunk(json!({ "content": piece }), Value::Null));
    }
    for (index, t) in reply.tools.iter().enumerate() {
        let opening = json!({ "tool_calls": [{
            "index": index,
            "id": t.id_or("call"),
            "type": "function",
            "function": { "name": t.name, "arguments": "" },
        }]});
        frames.push(chunk(opening, Value::Null));
        for fragment in fragments(&t.arguments_text) {
            let delta = json!({ "tool_calls": [{ "index": index, "function": { "arguments": fragment } }] });
            frames.push(chunk(delta, Value::Null));
        }
    }
    frames.push(chunk(json!({}), json!(finish_reason(reply))));
    if include_usage {
        frames.push(frame(
            None,
            &json!({
                "id": id,
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": reply.model,
                "choices": [],
                "usage": usage(&reply.tokens),
            }),
        ));
    }
    frames.push(raw_frame("[DONE]"));
    frames
}

/// `POST /v1/completions` (legacy text completions).
pub(crate) async fn completions(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let reply = Reply::new(&call.scenario, &call.json, &call.model);
    let id = call.id("cmpl-mock-");
    let t = &reply.tokens;
    let usage = json!({
        "prompt_tokens": t.prompt_total(),
        "completion_tokens": t.output,
        "total_tokens": t.prompt_total() + t.output,
    });
    let choice = |text: &str, finish: Value| json!({ "text": text, "index": 0, "logprobs": null, "finish_reason": finish });
    if call.wants_stream() {
        let mut frames: Vec<Bytes> = pieces(&reply.text)
            .into_iter()
            .map(|p| {
                frame(
                    None,
                    &json!({ "id": id, "object": "text_completion", "created": CREATED,
                             "model": reply.model, "choices": [choice(p, Value::Null)] }),
                )
            })
            .collect();
        frames.push(frame(
            None,
            &json!({ "id": id, "object": "text_completion", "created": CREATED,
                     "model": reply.model, "choices": [choice("", json!("stop"))], "usage": usage }),
        ));
        frames.push(raw_frame("[DONE]"));
        return stream::sse(frames, malformed_frame(None), &call.scenario);
    }
    let body = json!({
        "id": id,
        "object": "text_completion",
        "created": CREATED,
        "model": reply.model,
        "choices": [choice(&reply.text, json!("stop"))],
        "usage": usage,
    });
    stream::json(&body, &call.scenario)
}

/// `GET /v1/models`: OpenAI's list shape, or Anthropic's when the request carries an
/// `anthropic-version` header.
pub(crate) async fn models(headers: HeaderMap, call: Call) -> Response {
    let anthropic = headers.contains_key("anthropic-version");
    let dialect = if anthropic {
        Dialect::Anthropic
    } else {
        Dialect::OpenAi
    };
    if let Some(early) = call.preflight(dialect).await {
        return early;
    }
    let body = if anthropic {
        let data: Vec<Value> = MODELS
            .iter()
            .map(|id| {
                json!({ "type": "model", "id": id, "display_name": id,
                              "created_at": "2023-11-14T22:13:20Z" })
            })
            .collect();
        json!({ "data": data, "has_more": false, "first_id": MODELS[0],
                "last_id": MODELS[MODELS.len() - 1] })
    } else {
        let data: Vec<Value> = MODELS
            .iter()
            .map(
                |id| json!({ "id": id, "object": "model", "created": CREATED, "owned_by": "mock" }),
            )
            .collect();
        json!({ "object": "list", "data": data })
    };
    stream::json(&body, &call.scenario)
}

/// A deterministic unit-ish vector for a text (FNV-1a seeded per dimension).
pub(crate) fn embedding(text: &str, dims: usize) -> Vec<f32> {
    (0..dims)
        .map(|d| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (d as u64);
            for b in text.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            // Map to [-1, 1) with 3 decimals so values are exact in JSON.
            ((h % 2000) as f32 - 1000.0) / 1000.0
        })
        .collect()
}

/// `POST /v1/embeddings`: one deterministic vector per input (`dimensions`, default 8).
pub(crate) async fn embeddings(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let inputs: Vec<String> = match &call.json["input"] {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let dims = call.json["dimensions"]
        .as_u64()
        .map_or(8, |d| d.clamp(1, 4096) as usize);
    let tokens: u64 = call
        .scenario
        .usage
        .and_then(|u| u.input)
        .unwrap_or_else(|| inputs.iter().map(|s| words(s)).sum());
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, s)| json!({ "object": "embedding", "index": i, "embedding": embedding(s, dims) }))
        .collect();
    let body = json!({
        "object": "list",
        "data": data,
        "model": call.model,
        "usage": { "prompt_tokens": tokens, "total_tokens": tokens },
    });
    stream::json(&body, &call.scenario)
}
