//! OpenAI Responses API, with the full streaming event sequence.

use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::call::Call;
use crate::errors::Dialect;
use crate::openai::CREATED;
use crate::reply::{fragments, pieces, Reply, Tokens};
use crate::stream::{self, frame, malformed_frame};

fn usage(t: &Tokens) -> Value {
    json!({
        "input_tokens": t.prompt_total(),
        "input_tokens_details": { "cached_tokens": t.cache_read },
        "output_tokens": t.output,
        "output_tokens_details": { "reasoning_tokens": t.reasoning },
        "total_tokens": t.prompt_total() + t.output,
    })
}

/// The finished output items, in order: reasoning, message, function calls.
fn output_items(reply: &Reply, n: u64) -> Vec<Value> {
    let mut items = Vec::new();
    if let Some(r) = &reply.reasoning {
        items.push(json!({
            "type": "reasoning",
            "id": format!("rs_mock_{n}"),
            "summary": [{ "type": "summary_text", "text": r }],
        }));
    }
    if !reply.text.is_empty() || !reply.has_tools() {
        items.push(json!({
            "type": "message",
            "id": format!("msg_mock_{n}"),
            "status": "completed",
            "role": "assistant",
            "content": [{ "type": "output_text", "text": reply.text, "annotations": [] }],
        }));
    }
    for t in &reply.tools {
        items.push(json!({
            "type": "function_call",
            "id": format!("fc_mock_{n}_{}", t.n),
            "call_id": t.id_or("call"),
            "name": t.name,
            "arguments": t.arguments_text,
            "status": "completed",
        }));
    }
    items
}

fn response_object(
    id: &str,
    reply: &Reply,
    status: &str,
    output: Vec<Value>,
    usage_v: Value,
) -> Value {
    json!({
        "id": id,
        "object": "response",
        "created_at": CREATED,
        "status": status,
        "model": reply.model,
        "output": output,
        "usage": usage_v,
        "error": null,
        "incomplete_details": null,
    })
}

/// `POST /v1/responses`.
pub(crate) async fn responses(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let reply = Reply::new(&call.scenario, &call.json, &call.model);
    let n = call.app.next_id();
    let id = format!("resp_mock_{n}");
    let items = output_items(&reply, n);
    if !call.wants_stream() {
        let body = response_object(&id, &reply, "completed", items, usage(&reply.tokens));
        return stream::json(&body, &call.scenario);
    }
    let mut events = Events::default();
    let shell = response_object(&id, &reply, "in_progress", Vec::new(), Value::Null);
    events.push("response.created", json!({ "response": shell }));
    events.push("response.in_progress", json!({ "response": shell }));
    for (output_index, item) in items.iter().enumerate() {
        stream_item(&mut events, output_index, item, &reply);
    }
    let done = response_object(&id, &reply, "completed", items, usage(&reply.tokens));
    events.push("response.completed", json!({ "response": done }));
    stream::sse(
        events.frames,
        malformed_frame(Some("response.output_text.delta")),
        &call.scenario,
    )
}

#[derive(Default)]
struct Events {
    frames: Vec<Bytes>,
    sequence: u64,
}

impl Events {
    fn push(&mut self, kind: &str, mut data: Value) {
        data["type"] = json!(kind);
        data["sequence_number"] = json!(self.sequence);
        self.sequence += 1;
        self.frames.push(frame(Some(kind), &data));
    }
}

fn stream_item(events: &mut Events, output_index: usize, item: &Value, reply: &Reply) {
    let item_id = item["id"].clone();
    let mut opened = item.clone();
    match item["type"].as_str() {
        Some("reasoning") => {
            opened["summary"] = json!([]);
            events.push(
                "response.output_item.added",
                json!({ "output_index": output_index, "item": opened }),
            );
            let at =
                json!({ "item_id": item_id, "output_index": output_index, "summary_index": 0 });
            let text = reply.reasoning.as_deref().unwrap_or_default();
            events.push(
                "response.reasoning_summary_part.added",
                merge(
                    &at,
                    json!({ "part": { "type": "summary_text", "text": "" } }),
                ),
            );
            for p in pieces(text) {
                events.push(
                    "response.reasoning_summary_text.delta",
                    merge(&at, json!({ "delta": p })),
                );
            }
            events.push(
                "response.reasoning_summary_text.done",
                merge(&at, json!({ "text": text })),
            );
            events.push(
                "response.reasoning_summary_part.done",
                merge(
                    &at,
                    json!({ "part": { "type": "summary_text", "text": text } }),
                ),
            );
        }
        Some("message") => {
            opened["status"] = json!("in_progress");
            opened["content"] = json!([]);
            events.push(
                "response.output_item.added",
                json!({ "output_index": output_index, "item": opened }),
            );
            let at =
                json!({ "item_id": item_id, "output_index": output_index, "content_index": 0 });
            events.push(
                "response.content_part.added",
                merge(
                    &at,
                    json!({ "part": { "type": "output_text", "text": "", "annotations": [] } }),
                ),
            );
            for p in pieces(&reply.text) {
                events.push(
                    "response.output_text.delta",
                    merge(&at, json!({ "delta": p })),
                );
            }
            events.push(
                "response.output_text.done",
                merge(&at, json!({ "text": reply.text })),
            );
            events.push(
                "response.content_part.done",
                merge(&at, json!({ "part": item["content"][0] })),
            );
        }
        _ => {
            opened["status"] = json!("in_progress");
            opened["arguments"] = json!("");
            events.push(
                "response.output_item.added",
                json!({ "output_index": output_index, "item": opened }),
            );
            let at = json!({ "item_id": item_id, "output_index": output_index });
            let args = item["arguments"].as_str().unwrap_or_default();
            for p in fragments(args) {
                events.push(
                    "response.function_call_arguments.delta",
                    merge(&at, json!({ "delta": p })),
                );
            }
            events.push(
                "response.function_call_arguments.done",
                merge(&at, json!({ "arguments": args })),
            );
        }
    }
    events.push(
        "response.output_item.done",
        json!({ "output_index": output_index, "item": item }),
    );
}

fn merge(base: &Value, extra: Value) -> Value {
    let mut out = base.clone();
    if let (Some(o), Value::Object(e)) = (out.as_object_mut(), extra) {
        o.extend(e);
    }
    out
}
