//! Anthropic Messages and count_tokens.

use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::call::Call;
use crate::errors::Dialect;
use crate::reply::{fragments, input_words, pieces, Reply, Tokens};
use crate::stream::{self, frame, malformed_frame};

fn stop_reason(reply: &Reply) -> &'static str {
    if reply.has_tools() {
        "tool_use"
    } else {
        "end_turn"
    }
}

fn usage(t: &Tokens, output: u64) -> Value {
    json!({
        "input_tokens": t.input,
        "cache_creation_input_tokens": t.cache_write,
        "cache_read_input_tokens": t.cache_read,
        "output_tokens": output,
    })
}

/// `POST /v1/messages`.
pub(crate) async fn messages(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::Anthropic).await {
        return early;
    }
    let reply = Reply::new(&call.scenario, &call.json, &call.model);
    let id = call.id("msg_mock_");
    if call.wants_stream() {
        let frames = message_stream(&id, &reply);
        return stream::sse(
            frames,
            malformed_frame(Some("content_block_delta")),
            &call.scenario,
        );
    }
    let mut content = Vec::new();
    if let Some(r) = &reply.reasoning {
        content.push(json!({ "type": "thinking", "thinking": r, "signature": reply.signature }));
    }
    if !reply.text.is_empty() || !reply.has_tools() {
        content.push(json!({ "type": "text", "text": reply.text }));
    }
    for t in &reply.tools {
        content.push(json!({
            "type": "tool_use",
            "id": t.id_or("toolu"),
            "name": t.name,
            "input": if t.arguments.is_null() { json!({}) } else { t.arguments.clone() },
        }));
    }
    let body = json!({
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": reply.model,
        "content": content,
        "stop_reason": stop_reason(&reply),
        "stop_sequence": null,
        "usage": usage(&reply.tokens, reply.tokens.output),
    });
    stream::json(&body, &call.scenario)
}

fn message_stream(id: &str, reply: &Reply) -> Vec<Bytes> {
    let ev = |name: &str, data: Value| frame(Some(name), &data);
    let mut frames = vec![
        ev(
            "message_start",
            json!({ "type": "message_start", "message": {
                "id": id, "type": "message", "role": "assistant", "model": reply.model,
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": usage(&reply.tokens, 1),
            }}),
        ),
        ev("ping", json!({ "type": "ping" })),
    ];
    let mut index = 0;
    let mut block = |frames: &mut Vec<Bytes>, start: Value, deltas: Vec<Value>| {
        frames.push(ev(
            "content_block_start",
            json!({ "type": "content_block_start", "index": index, "content_block": start }),
        ));
        for delta in deltas {
            frames.push(ev(
                "content_block_delta",
                json!({ "type": "content_block_delta", "index": index, "delta": delta }),
            ));
        }
        frames.push(ev(
            "content_block_stop",
            json!({ "type": "content_block_stop", "index": index }),
        ));
        index += 1;
    };
    if let Some(r) = &reply.reasoning {
        let mut deltas: Vec<Value> = pieces(r)
            .into_iter()
            .map(|p| json!({ "type": "thinking_delta", "thinking": p }))
            .collect();
        deltas.push(json!({ "type": "signature_delta", "signature": reply.signature }));
        block(
            &mut frames,
            json!({ "type": "thinking", "thinking": "", "signature": "" }),
            deltas,
        );
    }
    if !reply.text.is_empty() || !reply.has_tools() {
        let deltas = pieces(&reply.text)
            .into_iter()
            .map(|p| json!({ "type": "text_delta", "text": p }))
            .collect();
        block(&mut frames, json!({ "type": "text", "text": "" }), deltas);
    }
    for t in &reply.tools {
        let deltas = fragments(&t.arguments_text)
            .into_iter()
            .map(|p| json!({ "type": "input_json_delta", "partial_json": p }))
            .collect();
        let start =
            json!({ "type": "tool_use", "id": t.id_or("toolu"), "name": t.name, "input": {} });
        block(&mut frames, start, deltas);
    }
    frames.push(ev(
        "message_delta",
        json!({
            "type": "message_delta",
            "delta": { "stop_reason": stop_reason(reply), "stop_sequence": null },
            "usage": { "output_tokens": reply.tokens.output },
        }),
    ));
    frames.push(ev("message_stop", json!({ "type": "message_stop" })));
    frames
}

/// `POST /v1/messages/count_tokens`: `{"input_tokens": <words in system + messages>}`.
pub(crate) async fn count_tokens(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::Anthropic).await {
        return early;
    }
    let tokens = call
        .scenario
        .usage
        .and_then(|u| u.input)
        .unwrap_or_else(|| input_words(&call.json));
    stream::json(&json!({ "input_tokens": tokens }), &call.scenario)
}
