//! Anthropic streaming events <-> IR stream events.
//!
//! The encoder keeps exactly one `tool_use` block per tool call. Only one block can be open
//! at a time, so when an OpenAI upstream interleaves parallel calls by index, the first call
//! streams live and later calls are buffered and emitted whole (one `input_json_delta`
//! each) when the response finishes: blocks are never re-opened and arguments stay
//! byte-identical.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::gen_id;
use crate::ir::{StopReason, StreamEvent};
use crate::sse::{write_json, SseEvent};
use crate::stream::{Decoder, Encoder};
use crate::usage::{read_anthropic, Usage};

#[derive(Debug, Clone)]
enum Block {
    Other,
    Tool {
        ordinal: usize,
        got_delta: bool,
        initial: Option<String>,
    },
}

#[derive(Default)]
pub struct AnthropicDecoder {
    blocks: HashMap<u64, Block>,
    tools: usize,
}

impl Decoder for AnthropicDecoder {
    fn decode(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), TranslateError> {
        if ev.data.trim().is_empty() {
            return Ok(());
        }
        let v: Value = serde_json::from_str(&ev.data).map_err(|e| {
            TranslateError::upstream(Format::Anthropic, format!("bad event JSON: {e}"))
        })?;
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .or(ev.event.as_deref())
            .unwrap_or("");
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
        match ty {
            "message_start" => {
                out.push(StreamEvent::Start {
                    id: s("/message/id"),
                    model: s("/message/model"),
                });
                if let Some(u) = v.pointer("/message/usage") {
                    out.push(StreamEvent::Usage(read_anthropic(u)));
                }
            }
            "content_block_start" => {
                let cb = v.get("content_block").unwrap_or(&Value::Null);
                let cs = |k: &str| cb.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let block = match cb.get("type").and_then(Value::as_str).unwrap_or("") {
                    "text" => {
                        let t = cs("text");
                        if !t.is_empty() {
                            out.push(StreamEvent::TextDelta(t));
                        }
                        Block::Other
                    }
                    "thinking" => {
                        let t = cs("thinking");
                        if !t.is_empty() {
                            out.push(StreamEvent::ThinkingDelta(t));
                        }
                        Block::Other
                    }
                    "redacted_thinking" => {
                        out.push(StreamEvent::RedactedThinking(cs("data")));
                        Block::Other
                    }
                    "tool_use" => {
                        let ordinal = self.tools;
                        self.tools += 1;
                        out.push(StreamEvent::ToolCallStart {
                            index: ordinal,
                            id: cb
                                .get("id")
                                .and_then(Value::as_str)
                                .map(str::to_string)
                                .unwrap_or_else(|| gen_id("toolu_")),
                            name: cs("name"),
                            thought_signature: None,
                        });
                        let initial = cb
                            .get("input")
                            .filter(|i| i.as_object().is_some_and(|o| !o.is_empty()))
                            .map(Value::to_string);
                        Block::Tool {
                            ordinal,
                            got_delta: false,
                            initial,
                        }
                    }
                    _ => Block::Other, // server tools, citations: no counterpart elsewhere
                };
                self.blocks.insert(index, block);
            }
            "content_block_delta" => {
                let d = v.get("delta").unwrap_or(&Value::Null);
                let ds = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                match d.get("type").and_then(Value::as_str).unwrap_or("") {
                    "text_delta" => out.push(StreamEvent::TextDelta(ds("text"))),
                    "thinking_delta" => out.push(StreamEvent::ThinkingDelta(ds("thinking"))),
                    "signature_delta" => out.push(StreamEvent::ThinkingSignature(ds("signature"))),
                    "input_json_delta" => {
                        if let Some(Block::Tool {
                            ordinal, got_delta, ..
                        }) = self.blocks.get_mut(&index)
                        {
                            let frag = ds("partial_json");
                            if !frag.is_empty() {
                                *got_delta = true;
                                out.push(StreamEvent::ToolCallArgs {
                                    index: *ordinal,
                                    fragment: frag,
                                });
                            }
                        } else {
                            return Err(TranslateError::upstream(
                                Format::Anthropic,
                                format!("input_json_delta for block {index}, which is not a tool_use block"),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some(Block::Tool {
                    ordinal,
                    got_delta: false,
                    initial: Some(initial),
                }) = self.blocks.remove(&index)
                {
                    out.push(StreamEvent::ToolCallArgs {
                        index: ordinal,
                        fragment: initial,
                    });
                }
            }
            "message_delta" => {
                if let Some(r) = v.pointer("/delta/stop_reason").and_then(Value::as_str) {
                    out.push(StreamEvent::Finish(stop_from_wire(
                        r,
                        v.pointer("/delta/stop_sequence").and_then(Value::as_str),
                    )));
                }
                if let Some(u) = v.get("usage") {
                    out.push(StreamEvent::Usage(read_anthropic(u)));
                }
            }
            "message_stop" => out.push(StreamEvent::End),
            "ping" => out.push(StreamEvent::Ping),
            "error" => out.push(StreamEvent::Error(
                s("/error/message").unwrap_or_else(|| v.to_string()),
            )),
            _ => {}
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Text,
    Thinking,
    Tool(usize),
}

#[derive(Debug, Default)]
struct ToolState {
    id: String,
    name: String,
    /// Buffered arguments while the call waits for its block.
    args: String,
    opened: bool,
    closed: bool,
}

pub struct AnthropicEncoder {
    id: String,
    model: String,
    started: bool,
    next_index: usize,
    open: Option<(Open, usize)>,
    tools: Vec<ToolState>,
    stop: Option<StopReason>,
    tools_flushed: bool,
}

impl AnthropicEncoder {
    pub fn new(client_model: &str) -> Self {
        AnthropicEncoder {
            id: gen_id("msg_"),
            model: client_model.to_string(),
            started: false,
            next_index: 0,
            open: None,
            tools: Vec::new(),
            stop: None,
            tools_flushed: false,
        }
    }

    fn emit(out: &mut Vec<u8>, v: Value) {
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        write_json(out, Some(&ty), &v);
    }

    fn ensure_started(&mut self, usage: &Usage, out: &mut Vec<u8>) {
        if self.started {
            return;
        }
        self.started = true;
        Self::emit(
            out,
            json!({"type": "message_start", "message": {
                "id": self.id, "type": "message", "role": "assistant", "model": self.model,
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": {
                    "input_tokens": usage.input,
                    "cache_creation_input_tokens": usage.cache_write,
                    "cache_read_input_tokens": usage.cache_read,
                    "output_tokens": usage.output,
                },
            }}),
        );
    }

    fn close(&mut self, out: &mut Vec<u8>) {
        if let Some((kind, idx)) = self.open.take() {
            if let Open::Tool(o) = kind {
                if let Some(t) = self.tools.get_mut(o) {
                    t.closed = true;
                }
            }
            Self::emit(out, json!({"type": "content_block_stop", "index": idx}));
        }
    }

    fn open_block(&mut self, kind: Open, block: Value, out: &mut Vec<u8>) -> usize {
        self.close(out);
        let idx = self.next_index;
        self.next_index += 1;
        Self::emit(
            out,
            json!({"type": "content_block_start", "index": idx, "content_block": block}),
        );
        self.open = Some((kind, idx));
        idx
    }

    fn delta(&self, idx: usize, delta: Value, out: &mut Vec<u8>) {
        Self::emit(
            out,
            json!({"type": "content_block_delta", "index": idx, "delta": delta}),
        );
    }

    fn open_tool(&mut self, o: usize, out: &mut Vec<u8>) -> usize {
        let (id, name) = (self.tools[o].id.clone(), self.tools[o].name.clone());
        self.tools[o].opened = true;
        self.open_block(
            Open::Tool(o),
            json!({"type": "tool_use", "id": id, "name": name, "input": {}}),
            out,
        )
    }

    /// Closes the open block and emits every buffered tool call whole.
    fn flush_tools(&mut self, out: &mut Vec<u8>) {
        self.close(out);
        for o in 0..self.tools.len() {
            if self.tools[o].opened {
                continue;
            }
            let idx = self.open_tool(o, out);
            let args = std::mem::take(&mut self.tools[o].args);
            if !args.is_empty() {
                self.delta(
                    idx,
                    json!({"type": "input_json_delta", "partial_json": args}),
                    out,
                );
            }
            self.close(out);
        }
        self.tools_flushed = true;
    }
}

impl Encoder for AnthropicEncoder {
    fn event(
        &mut self,
        ev: &StreamEvent,
        usage: &Usage,
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
        self.ensure_started(usage, out);
        match ev {
            StreamEvent::TextDelta(t) => {
                let idx = match self.open {
                    Some((Open::Text, i)) => i,
                    _ => self.open_block(Open::Text, json!({"type": "text", "text": ""}), out),
                };
                self.delta(idx, json!({"type": "text_delta", "text": t}), out);
            }
            StreamEvent::ThinkingDelta(t) => {
                let idx = match self.open {
                    Some((Open::Thinking, i)) => i,
                    _ => self.open_block(
                        Open::Thinking,
                        json!({"type": "thinking", "thinking": "", "signature": ""}),
                        out,
                    ),
                };
                self.delta(idx, json!({"type": "thinking_delta", "thinking": t}), out);
            }
            StreamEvent::ThinkingSignature(s) => {
                let idx = match self.open {
                    Some((Open::Thinking, i)) => i,
                    _ => self.open_block(
                        Open::Thinking,
                        json!({"type": "thinking", "thinking": "", "signature": ""}),
                        out,
                    ),
                };
                self.delta(idx, json!({"type": "signature_delta", "signature": s}), out);
                self.close(out); // a signature ends its thinking block
            }
            StreamEvent::RedactedThinking(d) => {
                self.open_block(
                    Open::Text,
                    json!({"type": "redacted_thinking", "data": d}),
                    out,
                );
                self.close(out);
            }
            StreamEvent::ToolCallStart {
                index, id, name, ..
            } => {
                while self.tools.len() <= *index {
                    self.tools.push(ToolState::default());
                }
                self.tools[*index].id = id.clone();
                self.tools[*index].name = name.clone();
                let other_tool_open = matches!(self.open, Some((Open::Tool(o), _)) if o != *index);
                if !other_tool_open && !self.tools_flushed {
                    self.open_tool(*index, out);
                } else if self.tools_flushed {
                    return Err(TranslateError::StreamProtocol(
                        "tool call started after the response finished".into(),
                    ));
                }
            }
            StreamEvent::ToolCallArgs { index, fragment } => {
                let Some(t) = self.tools.get_mut(*index) else {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} before its start"
                    )));
                };
                if t.closed {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} after its block was closed"
                    )));
                }
                if t.opened {
                    if let Some((_, idx)) = self.open {
                        self.delta(
                            idx,
                            json!({"type": "input_json_delta", "partial_json": fragment}),
                            out,
                        );
                    }
                } else {
                    t.args.push_str(fragment);
                }
            }
            StreamEvent::Finish(r) => {
                self.stop = Some(r.clone());
                self.flush_tools(out);
            }
            StreamEvent::Ping => Self::emit(out, json!({"type": "ping"})),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, usage: &Usage, out: &mut Vec<u8>) {
        self.ensure_started(usage, out);
        self.flush_tools(out);
        let stop = self.stop.clone().unwrap_or(StopReason::Stop);
        let seq = match &stop {
            StopReason::StopSequence(Some(s)) => json!(s),
            _ => Value::Null,
        };
        Self::emit(
            out,
            json!({"type": "message_delta",
            "delta": {"stop_reason": stop_to_wire(&stop), "stop_sequence": seq},
            "usage": {
                "input_tokens": usage.input,
                "cache_creation_input_tokens": usage.cache_write,
                "cache_read_input_tokens": usage.cache_read,
                "output_tokens": usage.output,
            }}),
        );
        Self::emit(out, json!({"type": "message_stop"}));
    }

    fn error(&mut self, message: &str, _usage: &Usage, out: &mut Vec<u8>) {
        Self::emit(
            out,
            json!({"type": "error", "error": {"type": "api_error", "message": message}}),
        );
    }
}
