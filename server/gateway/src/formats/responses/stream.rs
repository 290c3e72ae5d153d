//! OpenAI Responses streaming events <-> IR stream events.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::response::response_object;
use super::{stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{gen_id, now_unix};
use crate::ir::{StopReason, StreamEvent};
use crate::sse::{write_json, SseEvent};
use crate::stream::{Decoder, Encoder};
use crate::usage::{read_responses, Usage};

#[derive(Default)]
pub struct ResponsesDecoder {
    /// output_index -> (tool ordinal, arguments seen)
    calls: HashMap<u64, (usize, bool)>,
    n_calls: usize,
    started: bool,
}

impl Decoder for ResponsesDecoder {
    fn decode(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), TranslateError> {
        let data = ev.data.trim();
        if data.is_empty() || data == "[DONE]" {
            return Ok(());
        }
        let v: Value = serde_json::from_str(data).map_err(|e| {
            TranslateError::upstream(Format::Responses, format!("bad event JSON: {e}"))
        })?;
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .or(ev.event.as_deref())
            .unwrap_or("");
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let oi = v.get("output_index").and_then(Value::as_u64).unwrap_or(0);
        match ty {
            "response.created" | "response.in_progress" if !self.started => {
                self.started = true;
                out.push(StreamEvent::Start {
                    id: s("/response/id"),
                    model: s("/response/model"),
                });
            }
            "response.output_item.added"
                if v.pointer("/item/type").and_then(Value::as_str) == Some("function_call") =>
            {
                let ordinal = self.n_calls;
                self.n_calls += 1;
                self.calls.insert(oi, (ordinal, false));
                out.push(StreamEvent::ToolCallStart {
                    index: ordinal,
                    id: s("/item/call_id").unwrap_or_else(|| gen_id("call_")),
                    name: s("/item/name").unwrap_or_default(),
                    thought_signature: None,
                });
                if let Some(a) = s("/item/arguments").filter(|a| !a.is_empty()) {
                    self.args(oi, a, out);
                }
            }
            "response.function_call_arguments.delta" => {
                if let Some(d) = s("/delta").filter(|d| !d.is_empty()) {
                    self.args(oi, d, out);
                }
            }
            "response.function_call_arguments.done" => {
                if let Some(a) = s("/arguments") {
                    if self.calls.get(&oi).is_some_and(|(_, seen)| !seen) {
                        self.args(oi, a, out);
                    }
                }
            }
            "response.output_item.done" => {
                if let Some(a) = s("/item/arguments") {
                    if self.calls.get(&oi).is_some_and(|(_, seen)| !seen) {
                        self.args(oi, a, out);
                    }
                }
            }
            "response.output_text.delta" | "response.refusal.delta" => {
                if let Some(d) = s("/delta").filter(|d| !d.is_empty()) {
                    out.push(StreamEvent::TextDelta(d));
                }
            }
            "response.reasoning_summary_text.delta" | "response.reasoning_text.delta" => {
                if let Some(d) = s("/delta").filter(|d| !d.is_empty()) {
                    out.push(StreamEvent::ThinkingDelta(d));
                }
            }
            "response.reasoning_summary_part.added"
                if v.get("summary_index").and_then(Value::as_u64).unwrap_or(0) > 0 =>
            {
                out.push(StreamEvent::ThinkingDelta("\n\n".into()));
            }
            "response.completed" | "response.incomplete" => {
                let r = v.get("response").unwrap_or(&Value::Null);
                if let Some(u) = r.get("usage").filter(|u| u.is_object()) {
                    out.push(StreamEvent::Usage(read_responses(u)));
                }
                let status = r.get("status").and_then(Value::as_str).unwrap_or(
                    if ty == "response.incomplete" {
                        "incomplete"
                    } else {
                        "completed"
                    },
                );
                out.push(StreamEvent::Finish(stop_from_wire(
                    status,
                    r.get("incomplete_details"),
                    self.n_calls > 0,
                )));
                out.push(StreamEvent::End);
            }
            "response.failed" => {
                if let Some(u) = v.pointer("/response/usage").filter(|u| u.is_object()) {
                    out.push(StreamEvent::Usage(read_responses(u)));
                }
                out.push(StreamEvent::Error(
                    s("/response/error/message")
                        .unwrap_or_else(|| "upstream response failed".into()),
                ));
            }
            "error" => out.push(StreamEvent::Error(
                s("/message")
                    .or_else(|| s("/error/message"))
                    .unwrap_or_else(|| v.to_string()),
            )),
            _ => {}
        }
        Ok(())
    }
}

impl ResponsesDecoder {
    fn args(&mut self, oi: u64, fragment: String, out: &mut Vec<StreamEvent>) {
        if let Some((ordinal, seen)) = self.calls.get_mut(&oi) {
            *seen = true;
            out.push(StreamEvent::ToolCallArgs {
                index: *ordinal,
                fragment,
            });
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reasoning,
    Message,
    Call,
}

struct Item {
    id: String,
    kind: Kind,
    /// text, reasoning summary, or call arguments
    text: String,
    call_id: String,
    name: String,
    done: bool,
}

impl Item {
    fn json(&self, done: bool) -> Value {
        let status = if done { "completed" } else { "in_progress" };
        match self.kind {
            Kind::Reasoning => {
                let summary = if done {
                    json!([{"type": "summary_text", "text": self.text}])
                } else {
                    json!([])
                };
                json!({"id": self.id, "type": "reasoning", "summary": summary})
            }
            Kind::Message => {
                let content = if done {
                    json!([{"type": "output_text", "text": self.text, "annotations": []}])
                } else {
                    json!([])
                };
                json!({"id": self.id, "type": "message", "status": status, "role": "assistant", "content": content})
            }
            Kind::Call => json!({"id": self.id, "type": "function_call", "status": status,
                "call_id": self.call_id, "name": self.name,
                "arguments": if done { self.text.as_str() } else { "" }}),
        }
    }
}

pub struct ResponsesEncoder {
    id: String,
    model: String,
    created_at: u64,
    seq: u64,
    started: bool,
    items: Vec<Item>,
    /// The open text or reasoning item (calls stay open until the end).
    current: Option<usize>,
    /// tool ordinal -> item index
    calls: HashMap<usize, usize>,
    stop: Option<StopReason>,
}

impl ResponsesEncoder {
    pub fn new(client_model: &str) -> Self {
        ResponsesEncoder {
            id: gen_id("resp_"),
            model: client_model.to_string(),
            created_at: now_unix(),
            seq: 0,
            started: false,
            items: Vec::new(),
            current: None,
            calls: HashMap::new(),
            stop: None,
        }
    }

    fn emit(&mut self, ty: &str, mut v: Value, out: &mut Vec<u8>) {
        v["type"] = json!(ty);
        v["sequence_number"] = json!(self.seq);
        self.seq += 1;
        write_json(out, Some(ty), &v);
    }

    fn response(&self, status: &str, usage: Option<&Usage>, incomplete: Value) -> Value {
        let output = self.items.iter().map(|i| i.json(true)).collect();
        response_object(
            &self.id,
            &self.model,
            self.created_at,
            status,
            output,
            usage,
            incomplete,
        )
    }

    fn ensure_started(&mut self, out: &mut Vec<u8>) {
        if self.started {
            return;
        }
        self.started = true;
        let r = response_object(
            &self.id,
            &self.model,
            self.created_at,
            "in_progress",
            vec![],
            None,
            Value::Null,
        );
        self.emit("response.created", json!({"response": r}), out);
        self.emit("response.in_progress", json!({"response": r}), out);
    }

    fn add_item(&mut self, kind: Kind, call_id: &str, name: &str, out: &mut Vec<u8>) -> usize {
        let prefix = match kind {
            Kind::Reasoning => "rs_",
            Kind::Message => "msg_",
            Kind::Call => "fc_",
        };
        let item = Item {
            id: gen_id(prefix),
            kind,
            text: String::new(),
            call_id: call_id.to_string(),
            name: name.to_string(),
            done: false,
        };
        let idx = self.items.len();
        let added = item.json(false);
        let item_id = item.id.clone();
        self.items.push(item);
        self.emit(
            "response.output_item.added",
            json!({"output_index": idx, "item": added}),
            out,
        );
        match kind {
            Kind::Message => self.emit("response.content_part.added", json!({"item_id": item_id, "output_index": idx,
                "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}}), out),
            Kind::Reasoning => self.emit("response.reasoning_summary_part.added", json!({"item_id": item_id,
                "output_index": idx, "summary_index": 0, "part": {"type": "summary_text", "text": ""}}), out),
            Kind::Call => {}
        }
        idx
    }

    fn close_item(&mut self, idx: usize, out: &mut Vec<u8>) {
        if self.items[idx].done {
            return;
        }
        self.items[idx].done = true;
        let (id, text, kind) = (
            self.items[idx].id.clone(),
            self.items[idx].text.clone(),
            self.items[idx].kind,
        );
        match kind {
            Kind::Message => {
                self.emit("response.output_text.done", json!({"item_id": id, "output_index": idx, "content_index": 0, "text": text, "logprobs": []}), out);
                self.emit(
                    "response.content_part.done",
                    json!({"item_id": id, "output_index": idx, "content_index": 0,
                    "part": {"type": "output_text", "text": text, "annotations": []}}),
                    out,
                );
            }
            Kind::Reasoning => {
                self.emit(
                    "response.reasoning_summary_text.done",
                    json!({"item_id": id, "output_index": idx, "summary_index": 0, "text": text}),
                    out,
                );
                self.emit(
                    "response.reasoning_summary_part.done",
                    json!({"item_id": id, "output_index": idx, "summary_index": 0,
                    "part": {"type": "summary_text", "text": text}}),
                    out,
                );
            }
            Kind::Call => {
                if text.is_empty() {
                    self.items[idx].text = "{}".into();
                }
                let args = self.items[idx].text.clone();
                self.emit(
                    "response.function_call_arguments.done",
                    json!({"item_id": id, "output_index": idx, "arguments": args}),
                    out,
                );
            }
        }
        let item = self.items[idx].json(true);
        self.emit(
            "response.output_item.done",
            json!({"output_index": idx, "item": item}),
            out,
        );
    }

    /// The open item of `kind`, opening one (and closing the other text-like item) if needed.
    fn current_of(&mut self, kind: Kind, out: &mut Vec<u8>) -> usize {
        if let Some(c) = self.current {
            if self.items[c].kind == kind {
                return c;
            }
            self.close_item(c, out);
        }
        let idx = self.add_item(kind, "", "", out);
        self.current = Some(idx);
        idx
    }

    fn close_all(&mut self, out: &mut Vec<u8>) {
        self.current = None;
        for i in 0..self.items.len() {
            self.close_item(i, out);
        }
    }
}

impl Encoder for ResponsesEncoder {
    fn event(
        &mut self,
        ev: &StreamEvent,
        _usage: &Usage,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        if matches!(
            ev,
            StreamEvent::Start { .. }
                | StreamEvent::Usage(_)
                | StreamEvent::End
                | StreamEvent::Error(_)
        ) {
            return Ok(());
        }
        self.ensure_started(out);
        match ev {
            StreamEvent::TextDelta(t) => {
                let idx = self.current_of(Kind::Message, out);
                self.items[idx].text.push_str(t);
                let id = self.items[idx].id.clone();
                self.emit("response.output_text.delta", json!({"item_id": id, "output_index": idx, "content_index": 0, "delta": t, "logprobs": []}), out);
            }
            StreamEvent::ThinkingDelta(t) => {
                let idx = self.current_of(Kind::Reasoning, out);
                self.items[idx].text.push_str(t);
                let id = self.items[idx].id.clone();
                self.emit(
                    "response.reasoning_summary_text.delta",
                    json!({"item_id": id, "output_index": idx, "summary_index": 0, "delta": t}),
                    out,
                );
            }
            StreamEvent::ToolCallStart {
                index, id, name, ..
            } => {
                if let Some(c) = self.current.take() {
                    self.close_item(c, out);
                }
                let idx = self.add_item(Kind::Call, id, name, out);
                self.calls.insert(*index, idx);
            }
            StreamEvent::ToolCallArgs { index, fragment } => {
                let Some(&idx) = self.calls.get(index) else {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} before its start"
                    )));
                };
                if self.items[idx].done {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} after it was completed"
                    )));
                }
                self.items[idx].text.push_str(fragment);
                let id = self.items[idx].id.clone();
                self.emit(
                    "response.function_call_arguments.delta",
                    json!({"item_id": id, "output_index": idx, "delta": fragment}),
                    out,
                );
            }
            StreamEvent::Finish(r) => {
                self.stop = Some(r.clone());
                self.close_all(out);
            }
            // Responses has no place for signatures or redacted reasoning.
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, usage: &Usage, out: &mut Vec<u8>) {
        self.ensure_started(out);
        self.close_all(out);
        let stop = self.stop.clone().unwrap_or(StopReason::Stop);
        let (status, incomplete) = stop_to_wire(&stop);
        let r = self.response(status, Some(usage), incomplete);
        let ty = if status == "incomplete" {
            "response.incomplete"
        } else {
            "response.completed"
        };
        self.emit(ty, json!({"response": r}), out);
    }

    fn error(&mut self, message: &str, usage: &Usage, out: &mut Vec<u8>) {
        self.ensure_started(out);
        let mut r = self.response("failed", Some(usage), Value::Null);
        r["error"] = json!({"code": "server_error", "message": message});
        self.emit("response.failed", json!({"response": r}), out);
    }
}
