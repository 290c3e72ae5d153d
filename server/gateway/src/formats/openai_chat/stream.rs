//! OpenAI Chat streaming: chunks (`chat.completion.chunk`) <-> IR stream events.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{gen_id, now_unix};
use crate::ir::{StopReason, StreamEvent};
use crate::sse::{write_comment, write_event, write_json, SseEvent};
use crate::stream::{Decoder, Encoder};
use crate::usage::{read_openai_chat, Usage};

#[derive(Default)]
pub struct ChatDecoder {
    started: bool,
    /// OpenAI `tool_calls[].index` -> our ordinal.
    tools: HashMap<u64, usize>,
}

impl Decoder for ChatDecoder {
    fn decode(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), TranslateError> {
        let data = ev.data.trim();
        if data == "[DONE]" {
            out.push(StreamEvent::End);
            return Ok(());
        }
        if data.is_empty() {
            return Ok(());
        }
        let v: Value = serde_json::from_str(data).map_err(|e| {
            TranslateError::upstream(Format::OpenAiChat, format!("bad chunk JSON: {e}"))
        })?;
        if let Some(err) = v.get("error") {
            let msg = err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| err.to_string());
            out.push(StreamEvent::Error(msg));
            return Ok(());
        }
        if !self.started {
            self.started = true;
            out.push(StreamEvent::Start {
                id: v.get("id").and_then(Value::as_str).map(str::to_string),
                model: v.get("model").and_then(Value::as_str).map(str::to_string),
            });
        }
        if let Some(choice) = v.pointer("/choices/0") {
            if let Some(delta) = choice.get("delta") {
                self.decode_delta(delta, out);
            }
            if let Some(fr) = choice.get("finish_reason").and_then(Value::as_str) {
                let mut r = stop_from_wire(fr);
                if r == StopReason::Stop && !self.tools.is_empty() {
                    r = StopReason::ToolCalls;
                }
                out.push(StreamEvent::Finish(r));
            }
        }
        if let Some(u) = v.get("usage").filter(|u| u.is_object()) {
            out.push(StreamEvent::Usage(read_openai_chat(u)));
        }
        Ok(())
    }
}

impl ChatDecoder {
    fn decode_delta(&mut self, delta: &Value, out: &mut Vec<StreamEvent>) {
        let reasoning = delta
            .get("reasoning_content")
            .or_else(|| delta.get("reasoning"))
            .and_then(Value::as_str);
        if let Some(r) = reasoning.filter(|s| !s.is_empty()) {
            out.push(StreamEvent::ThinkingDelta(r.to_string()));
        }
        if let Some(blocks) = delta.get("thinking_blocks").and_then(Value::as_array) {
            for b in blocks {
                if let Some(sig) = b.get("signature").and_then(Value::as_str) {
                    out.push(StreamEvent::ThinkingSignature(sig.to_string()));
                } else if b.get("type").and_then(Value::as_str) == Some("redacted_thinking") {
                    if let Some(d) = b.get("data").and_then(Value::as_str) {
                        out.push(StreamEvent::RedactedThinking(d.to_string()));
                    }
                }
            }
        }
        if let Some(c) = delta.get("content").and_then(Value::as_str) {
            if !c.is_empty() {
                out.push(StreamEvent::TextDelta(c.to_string()));
            }
        }
        if let Some(tcs) = delta.get("tool_calls").and_then(Value::as_array) {
            for (pos, tc) in tcs.iter().enumerate() {
                let idx = tc
                    .get("index")
                    .and_then(Value::as_u64)
                    .unwrap_or(pos as u64);
                let args = tc
                    .pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let ordinal = match self.tools.get(&idx) {
                    Some(o) => *o,
                    None => {
                        let o = self.tools.len();
                        self.tools.insert(idx, o);
                        out.push(StreamEvent::ToolCallStart {
                            index: o,
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
                            thought_signature: tc
                                .pointer("/extra_content/google/thought_signature")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        });
                        o
                    }
                };
                if !args.is_empty() {
                    out.push(StreamEvent::ToolCallArgs {
                        index: ordinal,
                        fragment: args.to_string(),
                    });
                }
            }
        }
    }
}

pub struct ChatEncoder {
    id: String,
    model: String,
    created: u64,
    include_usage: bool,
    started: bool,
    /// Per tool ordinal: bytes of arguments sent so far.
    tool_args: Vec<usize>,
    finish_sent: bool,
}

impl ChatEncoder {
    pub fn new(client_model: &str, include_usage: bool) -> Self {
        ChatEncoder {
            id: gen_id("chatcmpl-"),
            model: client_model.to_string(),
            created: now_unix(),
            include_usage,
            started: false,
            tool_args: Vec::new(),
            finish_sent: false,
        }
    }

    fn chunk(&self, delta: Value, finish: Option<&str>, out: &mut Vec<u8>) {
        let v = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
        });
        write_json(out, None, &v);
    }

    fn ensure_started(&mut self, out: &mut Vec<u8>) {
        if !self.started {
            self.started = true;
            self.chunk(json!({"role": "assistant", "content": ""}), None, out);
        }
    }

    fn send_finish(&mut self, reason: &StopReason, out: &mut Vec<u8>) {
        if self.finish_sent {
            return;
        }
        self.ensure_started(out);
        // A tool call that never got arguments still needs valid JSON for the client.
        for i in 0..self.tool_args.len() {
            if self.tool_args[i] == 0 {
                self.tool_args[i] = 2;
                self.chunk(
                    json!({"tool_calls": [{"index": i, "function": {"arguments": "{}"}}]}),
                    None,
                    out,
                );
            }
        }
        self.finish_sent = true;
        self.chunk(json!({}), Some(stop_to_wire(reason)), out);
    }
}

impl Encoder for ChatEncoder {
    fn event(
        &mut self,
        ev: &StreamEvent,
        _usage: &Usage,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        match ev {
            StreamEvent::Start { id, .. } => {
                if let Some(id) = id.as_ref().filter(|i| !i.is_empty()) {
                    if !self.started {
                        self.id = id.clone();
                    }
                }
            }
            StreamEvent::TextDelta(t) => {
                self.ensure_started(out);
                self.chunk(json!({"content": t}), None, out);
            }
            StreamEvent::ThinkingDelta(t) => {
                self.ensure_started(out);
                self.chunk(json!({"reasoning_content": t}), None, out);
            }
            StreamEvent::ThinkingSignature(s) => {
                self.ensure_started(out);
                self.chunk(
                    json!({"thinking_blocks": [{"type": "thinking", "thinking": "", "signature": s}]}),
                    None,
                    out,
                );
            }
            StreamEvent::RedactedThinking(d) => {
                self.ensure_started(out);
                self.chunk(
                    json!({"thinking_blocks": [{"type": "redacted_thinking", "data": d}]}),
                    None,
                    out,
                );
            }
            StreamEvent::ToolCallStart {
                index,
                id,
                name,
                thought_signature,
            } => {
                self.ensure_started(out);
                while self.tool_args.len() <= *index {
                    self.tool_args.push(0);
                }
                let mut tc = json!({"index": index, "id": id, "type": "function", "function": {"name": name, "arguments": ""}});
                if let Some(s) = thought_signature {
                    tc["extra_content"] = json!({"google": {"thought_signature": s}});
                }
                self.chunk(json!({"tool_calls": [tc]}), None, out);
            }
            StreamEvent::ToolCallArgs { index, fragment } => {
                if *index >= self.tool_args.len() {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} before its start"
                    )));
                }
                self.tool_args[*index] += fragment.len();
                self.chunk(
                    json!({"tool_calls": [{"index": index, "function": {"arguments": fragment}}]}),
                    None,
                    out,
                );
            }
            StreamEvent::Finish(r) => self.send_finish(r, out),
            StreamEvent::Ping => write_comment(out, "ping"),
            StreamEvent::Usage(_) | StreamEvent::End | StreamEvent::Error(_) => {}
        }
        Ok(())
    }

    fn finish(&mut self, usage: &Usage, out: &mut Vec<u8>) {
        self.send_finish(&StopReason::Stop, out);
        if self.include_usage {
            let v = json!({
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model,
                "choices": [],
                "usage": crate::usage::write_openai_chat(usage),
            });
            write_json(out, None, &v);
        }
        write_event(out, None, "[DONE]");
    }

    fn error(&mut self, message: &str, _usage: &Usage, out: &mut Vec<u8>) {
        let v = json!({"error": {"message": message, "type": "server_error", "code": "upstream_error", "param": null}});
        write_json(out, None, &v);
        write_event(out, None, "[DONE]");
    }
}
