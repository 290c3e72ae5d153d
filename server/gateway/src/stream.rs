//! The stateful stream translator: upstream SSE bytes in, client SSE bytes out, event by
//! event. Memory is bounded by one SSE event plus small per-response state (open blocks,
//! tool-call bookkeeping; the Responses encoder keeps the output text it must repeat in its
//! `*.done` and `response.completed` events, as the protocol requires).
//!
//! Different formats: upstream events are decoded into [`StreamEvent`]s by the upstream
//! format's [`Decoder`] and re-encoded by the client format's [`Encoder`].
//! Same format: the upstream bytes are forwarded event by event with only the model name
//! rewritten; the decoder still runs so usage, `saw_output` and the end of the stream are
//! known.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{anthropic, gemini, openai_chat, responses};
use crate::ir::{Part, StreamEvent};
use crate::json_scan::set_top_level;
use crate::signatures::SignatureStore;
use crate::sse::{write_comment, write_event, SseEvent, SseItem, SseParser};
use crate::usage::Usage;

/// Upstream SSE event -> IR events, for one format.
pub trait Decoder: Send {
    fn decode(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), TranslateError>;
}

/// IR events -> client SSE bytes, for one format.
pub trait Encoder: Send {
    /// `usage` is the cumulative usage known so far.
    fn event(
        &mut self,
        ev: &StreamEvent,
        usage: &Usage,
        out: &mut Vec<u8>,
    ) -> Result<(), TranslateError>;
    /// Clean end of the response: closing events.
    fn finish(&mut self, usage: &Usage, out: &mut Vec<u8>);
    /// End the stream with an in-band error.
    fn error(&mut self, message: &str, usage: &Usage, out: &mut Vec<u8>);
}

pub(crate) fn decoder_for(f: Format) -> Box<dyn Decoder> {
    match f {
        Format::OpenAiChat => Box::new(openai_chat::stream::ChatDecoder::default()),
        Format::Anthropic => Box::new(anthropic::stream::AnthropicDecoder::default()),
        Format::Gemini => Box::new(gemini::stream::GeminiDecoder::default()),
        Format::Responses => Box::new(responses::stream::ResponsesDecoder::default()),
    }
}

pub(crate) fn encoder_for(f: Format, model: &str, include_usage: bool) -> Box<dyn Encoder> {
    match f {
        Format::OpenAiChat => Box::new(openai_chat::stream::ChatEncoder::new(model, include_usage)),
        Format::Anthropic => Box::new(anthropic::stream::AnthropicEncoder::new(model)),
        Format::Gemini => Box::new(gemini::stream::GeminiEncoder::new(model)),
        Format::Responses => Box::new(responses::stream::ResponsesEncoder::new(model)),
    }
}

/// A translation failure mid-stream. `pending` holds the client bytes produced from the
/// events before the bad one: flush them, then [`StreamTranslator::error_event`].
#[derive(Debug, Clone, thiserror::Error)]
#[error("{error}")]
pub struct StreamError {
    pub error: TranslateError,
    pub pending: Bytes,
}

/// See the module docs. One per streamed response.
pub struct StreamTranslator {
    upstream: Format,
    client: Format,
    client_model: String,
    parser: SseParser,
    decoder: Box<dyn Decoder>,
    encoder: Box<dyn Encoder>,
    passthrough: bool,
    include_usage: bool,
    usage: Usage,
    saw_output: bool,
    saw_finish: bool,
    finished: bool,
    store: Option<Arc<SignatureStore>>,
    /// Anthropic thinking of the current turn, remembered for tool-call ids (see
    /// [`SignatureStore`]).
    thinking: Vec<Part>,
    items: Vec<SseItem>,
    events: Vec<StreamEvent>,
}

impl StreamTranslator {
    /// `client_model` is the model name the client asked for; it replaces the upstream's.
    pub fn new(upstream: Format, client: Format, client_model: &str) -> Self {
        StreamTranslator {
            upstream,
            client,
            client_model: client_model.to_string(),
            parser: SseParser::new(),
            decoder: decoder_for(upstream),
            encoder: encoder_for(client, client_model, false),
            passthrough: upstream == client,
            include_usage: false,
            usage: Usage::default(),
            saw_output: false,
            saw_finish: false,
            finished: false,
            store: None,
            thinking: Vec::new(),
            items: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Whether an OpenAI Chat client asked for the usage chunk
    /// (`stream_options.include_usage`, see [`crate::TranslatedRequest::client_include_usage`]).
    /// When it did not, a usage-only chunk the gateway requested for accounting is removed.
    pub fn with_include_usage(mut self, include: bool) -> Self {
        self.include_usage = include;
        self.encoder = encoder_for(self.client, &self.client_model, include);
        self
    }

    pub fn with_signature_store(mut self, store: Arc<SignatureStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Usage known so far (exact upstream numbers, see [`crate::usage`]).
    pub fn usage(&self) -> Usage {
        self.usage
    }

    /// Whether meaningful output (text, reasoning, a tool call) has reached the client.
    /// Before that, a failure may still fail over to another target.
    pub fn saw_output(&self) -> bool {
        self.saw_output
    }

    /// Whether the stream has ended (cleanly or with an error event).
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Feeds upstream bytes; returns client bytes ready to flush (possibly empty).
    pub fn push(&mut self, chunk: &[u8]) -> Result<Bytes, StreamError> {
        let mut out = Vec::new();
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        let res = self
            .parser
            .push(chunk, &mut items)
            .and_then(|_| self.handle_items(&items, &mut out));
        self.items = items;
        match res {
            Ok(()) => Ok(Bytes::from(out)),
            Err(error) => Err(StreamError {
                error,
                pending: Bytes::from(out),
            }),
        }
    }

    /// Call at upstream EOF. Emits the closing events; if the upstream stopped before telling
    /// us the response was complete, ends with an in-band error instead of a clean-looking end.
    pub fn finish(&mut self) -> Result<Bytes, StreamError> {
        let mut out = Vec::new();
        let mut items = Vec::new();
        let res = self
            .parser
            .finish(&mut items)
            .and_then(|_| self.handle_items(&items, &mut out));
        if let Err(error) = res {
            return Err(StreamError {
                error,
                pending: Bytes::from(out),
            });
        }
        if !self.finished {
            if self.saw_finish {
                self.close_cleanly(&mut out);
            } else {
                self.finished = true;
                self.encoder.error(
                    "upstream stream ended before the response was complete",
                    &self.usage,
                    &mut out,
                );
            }
        }
        Ok(Bytes::from(out))
    }

    /// Ends the stream with an in-band error in the client's dialect (OpenAI: an `error`
    /// chunk then `[DONE]`; Anthropic: `event: error`; Responses: `response.failed`;
    /// Gemini: an error object event). Empty if the stream already ended.
    pub fn error_event(&mut self, message: &str) -> Bytes {
        if self.finished {
            return Bytes::new();
        }
        self.finished = true;
        let mut out = Vec::new();
        self.encoder.error(message, &self.usage, &mut out);
        Bytes::from(out)
    }

    fn close_cleanly(&mut self, out: &mut Vec<u8>) {
        self.finished = true;
        if !self.passthrough {
            self.encoder.finish(&self.usage, out);
            return;
        }
        // The upstream skipped its own end marker but the response is complete.
        match self.client {
            Format::OpenAiChat => write_event(out, None, "[DONE]"),
            Format::Anthropic => {
                write_event(out, Some("message_stop"), r#"{"type":"message_stop"}"#)
            }
            Format::Gemini | Format::Responses => {}
        }
    }

    fn handle_items(&mut self, items: &[SseItem], out: &mut Vec<u8>) -> Result<(), TranslateError> {
        for item in items {
            if self.finished {
                // Keep reading for usage that trails the end marker, emit nothing more.
                if let SseItem::Event(ev) = item {
                    let mut evs = Vec::new();
                    if self.decoder.decode(ev, &mut evs).is_ok() {
                        for e in &evs {
                            if let StreamEvent::Usage(u) = e {
                                u.apply_to(&mut self.usage);
                            }
                        }
                    }
                }
                continue;
            }
            match item {
                SseItem::Comment(c) => write_comment(out, c),
                SseItem::Event(ev) => self.handle_event(ev, out)?,
            }
        }
        Ok(())
    }

    fn handle_event(&mut self, ev: &SseEvent, out: &mut Vec<u8>) -> Result<(), TranslateError> {
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        let res = self.decoder.decode(ev, &mut events);
        if let Err(e) = res {
            self.events = events;
            return Err(e);
        }
        if self.passthrough {
            let usage_only = events.iter().any(|e| matches!(e, StreamEvent::Usage(_)))
                && events
                    .iter()
                    .all(|e| matches!(e, StreamEvent::Usage(_) | StreamEvent::Start { .. }));
            let suppress = self.client == Format::OpenAiChat && usage_only && !self.include_usage;
            if !suppress {
                let data = rewrite_model(self.client, ev, &self.client_model);
                write_event(out, ev.event.as_deref(), &data);
            }
        }
        let mut result = Ok(());
        for e in &events {
            self.observe(e);
            if self.passthrough {
                match e {
                    StreamEvent::End | StreamEvent::Error(_) => self.finished = true,
                    _ => {}
                }
                continue;
            }
            match e {
                StreamEvent::End => {
                    self.close_cleanly(out);
                    break;
                }
                StreamEvent::Error(msg) => {
                    self.finished = true;
                    self.encoder.error(msg, &self.usage, out);
                    break;
                }
                _ => {
                    if let Err(err) = self.encoder.event(e, &self.usage, out) {
                        result = Err(err);
                        break;
                    }
                }
            }
        }
        self.events = events;
        result
    }

    /// Bookkeeping common to both modes: usage, progress, signatures.
    fn observe(&mut self, e: &StreamEvent) {
        match e {
            StreamEvent::Usage(u) => u.apply_to(&mut self.usage),
            StreamEvent::Finish(_) => self.saw_finish = true,
            StreamEvent::TextDelta(_) | StreamEvent::RedactedThinking(_) => self.saw_output = true,
            StreamEvent::ThinkingDelta(_) | StreamEvent::ThinkingSignature(_) => {
                self.saw_output = true
            }
            StreamEvent::ToolCallStart { .. } | StreamEvent::ToolCallArgs { .. } => {
                self.saw_output = true
            }
            _ => {}
        }
        let Some(store) = &self.store else {
            return;
        };
        let remember_thinking =
            self.upstream == Format::Anthropic && self.client != Format::Anthropic;
        match e {
            StreamEvent::ThinkingDelta(t) if remember_thinking => match self.thinking.last_mut() {
                Some(Part::Thinking {
                    text,
                    signature: None,
                }) => text.push_str(t),
                _ => self.thinking.push(Part::Thinking {
                    text: t.clone(),
                    signature: None,
                }),
            },
            StreamEvent::ThinkingSignature(s) if remember_thinking => {
                match self.thinking.last_mut() {
                    Some(Part::Thinking { signature, .. }) if signature.is_none() => {
                        *signature = Some(s.clone())
                    }
                    _ => self.thinking.push(Part::Thinking {
                        text: String::new(),
                        signature: Some(s.clone()),
                    }),
                }
            }
            StreamEvent::RedactedThinking(d) if remember_thinking => self
                .thinking
                .push(Part::RedactedThinking { data: d.clone() }),
            StreamEvent::ToolCallStart {
                id,
                thought_signature,
                ..
            } => {
                if let Some(sig) = thought_signature {
                    store.put_thought_signature(id, sig);
                }
                if remember_thinking && !self.thinking.is_empty() {
                    store.put_thinking(id, self.thinking.clone());
                }
            }
            _ => {}
        }
    }
}

/// The event's data with the client's model name in place of the upstream's.
fn rewrite_model(client: Format, ev: &SseEvent, model: &str) -> String {
    let model_json = Value::from(model).to_string();
    let data = ev.data.as_str();
    let replaced = match client {
        Format::OpenAiChat => replace_top(data, "model", &model_json),
        Format::Gemini => replace_top(data, "modelVersion", &model_json),
        Format::Anthropic if data.contains("\"message_start\"") => {
            replace_nested(data, "/message", model)
        }
        Format::Responses if data.contains("\"response\"") => {
            replace_nested(data, "/response", model)
        }
        _ => None,
    };
    replaced.unwrap_or_else(|| data.to_string())
}

fn replace_top(data: &str, key: &str, value: &str) -> Option<String> {
    if !data.trim_start().starts_with('{') {
        return None;
    }
    let has = crate::json_scan::get_top_level(data.as_bytes(), key).ok()??;
    let _ = has;
    let bytes = set_top_level(data.as_bytes(), key, value).ok()?;
    String::from_utf8(bytes).ok()
}

fn replace_nested(data: &str, ptr: &str, model: &str) -> Option<String> {
    let mut v: Value = serde_json::from_str(data).ok()?;
    let obj = v.pointer_mut(ptr)?.as_object_mut()?;
    if !obj.contains_key("model") {
        return None;
    }
    obj.insert("model".into(), Value::from(model));
    Some(v.to_string())
}
