//! Gemini `alt=sse` streaming <-> IR stream events.
//!
//! Gemini sends each functionCall whole, so the encoder buffers a call's argument
//! fragments and emits the call as one part when the response finishes.

use serde_json::{json, Value};

use super::{stop_from_wire, stop_to_wire};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{args_object, gen_id};
use crate::ir::{Part, StopReason, StreamEvent};
use crate::sse::{write_json, SseEvent};
use crate::stream::{Decoder, Encoder};
use crate::usage::{read_gemini, write_gemini, Usage};

#[derive(Default)]
pub struct GeminiDecoder {
    started: bool,
    tools: usize,
}

impl Decoder for GeminiDecoder {
    fn decode(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), TranslateError> {
        let data = ev.data.trim();
        if data.is_empty() || data == "[DONE]" {
            return Ok(());
        }
        let v: Value = serde_json::from_str(data).map_err(|e| {
            TranslateError::upstream(Format::Gemini, format!("bad chunk JSON: {e}"))
        })?;
        // A stream error may arrive as `{"error":{...}}` or `[{"error":{...}}]`.
        let err = v.get("error").or_else(|| v.pointer("/0/error"));
        if let Some(err) = err {
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
                id: v
                    .get("responseId")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                model: v
                    .get("modelVersion")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
        if let Some(u) = v.get("usageMetadata") {
            out.push(StreamEvent::Usage(read_gemini(u)));
        }
        let cand = v.pointer("/candidates/0");
        if let Some(parts) = cand
            .and_then(|c| c.pointer("/content/parts"))
            .and_then(Value::as_array)
        {
            let mut ir = Vec::new();
            super::response::parse_parts(parts, &mut ir);
            for p in ir {
                match p {
                    Part::Text { text, .. } => out.push(StreamEvent::TextDelta(text)),
                    Part::Thinking { text, .. } if !text.is_empty() => {
                        out.push(StreamEvent::ThinkingDelta(text))
                    }
                    Part::ToolCall {
                        id,
                        name,
                        arguments,
                        thought_signature,
                        ..
                    } => {
                        let index = self.tools;
                        self.tools += 1;
                        out.push(StreamEvent::ToolCallStart {
                            index,
                            id,
                            name,
                            thought_signature,
                        });
                        out.push(StreamEvent::ToolCallArgs {
                            index,
                            fragment: arguments,
                        });
                    }
                    _ => {}
                }
            }
        }
        if let Some(r) = cand
            .and_then(|c| c.get("finishReason"))
            .and_then(Value::as_str)
        {
            out.push(StreamEvent::Finish(stop_from_wire(r, self.tools > 0)));
        } else if v.pointer("/promptFeedback/blockReason").is_some() {
            out.push(StreamEvent::Finish(StopReason::ContentFilter));
        }
        Ok(())
    }
}

struct PendingCall {
    name: String,
    args: String,
    signature: Option<String>,
}

pub struct GeminiEncoder {
    id: String,
    model: String,
    calls: Vec<PendingCall>,
    stop: Option<StopReason>,
}

impl GeminiEncoder {
    pub fn new(client_model: &str) -> Self {
        GeminiEncoder {
            id: gen_id(""),
            model: client_model.to_string(),
            calls: Vec::new(),
            stop: None,
        }
    }

    fn chunk(
        &self,
        parts: Vec<Value>,
        finish: Option<&str>,
        usage: Option<&Usage>,
        out: &mut Vec<u8>,
    ) {
        let mut cand = json!({"index": 0});
        if !parts.is_empty() {
            cand["content"] = json!({"role": "model", "parts": parts});
        }
        if let Some(f) = finish {
            cand["finishReason"] = json!(f);
        }
        let mut v =
            json!({"candidates": [cand], "modelVersion": self.model, "responseId": self.id});
        if let Some(u) = usage {
            v["usageMetadata"] = write_gemini(u);
        }
        write_json(out, None, &v);
    }
}

impl Encoder for GeminiEncoder {
    fn event(
        &mut self,
        ev: &StreamEvent,
        _usage: &Usage,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError> {
        match ev {
            StreamEvent::Start { id: Some(id), .. } if !id.is_empty() => self.id = id.clone(),
            StreamEvent::TextDelta(t) => self.chunk(vec![json!({"text": t})], None, None, out),
            StreamEvent::ThinkingDelta(t) => {
                self.chunk(vec![json!({"text": t, "thought": true})], None, None, out)
            }
            StreamEvent::ToolCallStart {
                index,
                name,
                thought_signature,
                ..
            } => {
                while self.calls.len() <= *index {
                    self.calls.push(PendingCall {
                        name: String::new(),
                        args: String::new(),
                        signature: None,
                    });
                }
                self.calls[*index].name = name.clone();
                self.calls[*index].signature = thought_signature.clone();
            }
            StreamEvent::ToolCallArgs { index, fragment } => match self.calls.get_mut(*index) {
                Some(c) => c.args.push_str(fragment),
                None => {
                    return Err(TranslateError::StreamProtocol(format!(
                        "arguments for tool call {index} before its start"
                    )))
                }
            },
            StreamEvent::Finish(r) => self.stop = Some(r.clone()),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, usage: &Usage, out: &mut Vec<u8>) {
        let mut parts = Vec::new();
        for c in self.calls.drain(..) {
            let args =
                args_object(&c.args, "functionCall").unwrap_or_else(|_| json!({"_raw": c.args}));
            let mut p = json!({"functionCall": {"name": c.name, "args": args}});
            if let Some(s) = c.signature {
                p["thoughtSignature"] = json!(s);
            }
            parts.push(p);
        }
        let stop = self.stop.clone().unwrap_or(StopReason::Stop);
        self.chunk(parts, Some(stop_to_wire(&stop)), Some(usage), out);
    }

    fn error(&mut self, message: &str, _usage: &Usage, out: &mut Vec<u8>) {
        write_json(
            out,
            None,
            &json!({"error": {"code": 500, "message": message, "status": "INTERNAL"}}),
        );
    }
}
