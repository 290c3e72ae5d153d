//! Stream -> complete response: for upstreams that only stream (or when the gateway chose
//! to stream upstream) while the client asked for a plain JSON response. Feeds the upstream
//! SSE through the same decoders as [`crate::StreamTranslator`] and collects a
//! [`ChatResponse`]; memory is the size of the final response.

use crate::errors::TranslateError;
use crate::format::Format;
use crate::ir::{ChatResponse, Part, StopReason, StreamEvent};
use crate::signatures::SignatureStore;
use crate::sse::{SseItem, SseParser};
use crate::stream::{decoder_for, Decoder};
use crate::translate::{remember_signatures, render_response, TranslatedResponse};
use crate::usage::Usage;

pub struct StreamAggregator {
    upstream: Format,
    parser: SseParser,
    decoder: Box<dyn Decoder>,
    resp: ChatResponse,
    /// tool ordinal -> index in `resp.content`
    calls: Vec<usize>,
    finished: bool,
    error: Option<String>,
}

impl StreamAggregator {
    pub fn new(upstream: Format) -> Self {
        StreamAggregator {
            upstream,
            parser: SseParser::new(),
            decoder: decoder_for(upstream),
            resp: ChatResponse {
                id: None,
                model: None,
                content: Vec::new(),
                stop: StopReason::Stop,
                usage: Usage::default(),
            },
            calls: Vec::new(),
            finished: false,
            error: None,
        }
    }

    /// Feeds upstream bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TranslateError> {
        let mut items = Vec::new();
        self.parser.push(chunk, &mut items)?;
        self.handle(items)
    }

    fn handle(&mut self, items: Vec<SseItem>) -> Result<(), TranslateError> {
        let mut events = Vec::new();
        for item in items {
            if let SseItem::Event(ev) = item {
                self.decoder.decode(&ev, &mut events)?;
            }
        }
        for e in events {
            self.apply(e);
        }
        Ok(())
    }

    fn apply(&mut self, e: StreamEvent) {
        let content = &mut self.resp.content;
        match e {
            StreamEvent::Start { id, model } => {
                self.resp.id = self.resp.id.take().or(id);
                self.resp.model = self.resp.model.take().or(model);
            }
            StreamEvent::TextDelta(t) => match content.last_mut() {
                Some(Part::Text { text, .. }) => text.push_str(&t),
                _ => content.push(Part::text(t)),
            },
            StreamEvent::ThinkingDelta(t) => match content.last_mut() {
                Some(Part::Thinking {
                    text,
                    signature: None,
                }) => text.push_str(&t),
                _ => content.push(Part::Thinking {
                    text: t,
                    signature: None,
                }),
            },
            StreamEvent::ThinkingSignature(s) => match content.last_mut() {
                Some(Part::Thinking { signature, .. }) if signature.is_none() => {
                    *signature = Some(s)
                }
                _ => content.push(Part::Thinking {
                    text: String::new(),
                    signature: Some(s),
                }),
            },
            StreamEvent::RedactedThinking(data) => content.push(Part::RedactedThinking { data }),
            StreamEvent::ToolCallStart {
                index,
                id,
                name,
                thought_signature,
            } => {
                while self.calls.len() <= index {
                    self.calls.push(usize::MAX);
                }
                self.calls[index] = content.len();
                content.push(Part::ToolCall {
                    id,
                    name,
                    arguments: String::new(),
                    thought_signature,
                    cache_control: None,
                });
            }
            StreamEvent::ToolCallArgs { index, fragment } => {
                if let Some(Part::ToolCall { arguments, .. }) =
                    self.calls.get(index).and_then(|&i| content.get_mut(i))
                {
                    arguments.push_str(&fragment);
                }
            }
            StreamEvent::Usage(u) => u.apply_to(&mut self.resp.usage),
            StreamEvent::Finish(r) => {
                self.resp.stop = r;
                self.finished = true;
            }
            StreamEvent::End => self.finished = true,
            StreamEvent::Error(m) => self.error = Some(m),
            StreamEvent::Ping => {}
        }
    }

    /// Usage known so far.
    pub fn usage(&self) -> Usage {
        self.resp.usage
    }

    /// At upstream EOF: the complete response in the client's format. An upstream error
    /// event or a stream that never finished is an error (the caller answers with
    /// [`crate::error_body`]).
    pub fn finish(
        mut self,
        client: Format,
        client_model: &str,
        signatures: Option<&SignatureStore>,
    ) -> Result<TranslatedResponse, TranslateError> {
        let mut items = Vec::new();
        self.parser.finish(&mut items)?;
        self.handle(items)?;
        if let Some(m) = self.error {
            return Err(TranslateError::upstream(
                self.upstream,
                format!("upstream error: {m}"),
            ));
        }
        if !self.finished {
            return Err(TranslateError::StreamProtocol(
                "upstream stream ended before the response was complete".into(),
            ));
        }
        if let Some(store) = signatures {
            remember_signatures(self.upstream, client, &self.resp.content, store);
        }
        let body = render_response(client, &self.resp, client_model);
        Ok(TranslatedResponse {
            body: serde_json::to_vec(&body)
                .map_err(|e| TranslateError::InvalidJson(e.to_string()))?,
            usage: self.resp.usage,
        })
    }
}
