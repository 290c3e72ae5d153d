//! A mock LLM provider: a real HTTP server on a loopback port that speaks the OpenAI Chat,
//! OpenAI Responses, Anthropic Messages and Gemini wire formats (streaming included), plus
//! embeddings, images and audio, with scripted replies and fault switches. Used by the
//! gateway's integration tests and by the benchmarks.
//!
//! # Use from Rust
//!
//! ```no_run
//! # async fn demo() {
//! use mock_upstream::{Fault, MockUpstream, Scenario};
//! use serde_json::json;
//!
//! let mock = MockUpstream::start().await; // 127.0.0.1, free port; stops when dropped
//! let openai_base = format!("{}/v1", mock.url()); // Anthropic: same; Gemini: {url}/v1beta
//!
//! mock.push(Scenario::text("Hello!").for_model("gpt-x"));
//! mock.push(Scenario::rate_limited(2)); // next request (any model): 429, Retry-After: 2
//! mock.push(Scenario::default().with_tool_call("get_weather", json!({"city": "Paris"})));
//! mock.push(Scenario::default().with_fault(Fault::Stall { after_events: Some(3) }));
//!
//! // ... run the gateway against `openai_base` ...
//! let sent = mock.requests(); // method, path, query, headers, body, parsed JSON
//! assert_eq!(sent[0].header("authorization"), Some("Bearer sk-test"));
//! # }
//! ```
//!
//! # Use over HTTP (the `mock-upstream` binary, browser tests, benchmarks)
//!
//! `mock-upstream --port 9999` prints `listening on http://127.0.0.1:9999` to stderr.
//! `POST /__mock/scenarios` takes one [`Scenario`] as JSON or an array of them;
//! `GET /__mock/requests` lists the recorded requests; `POST /__mock/reset` clears both.
//!
//! # Endpoints
//!
//! | path | dialect |
//! | --- | --- |
//! | `POST /v1/chat/completions` (stream, `stream_options.include_usage`) | OpenAI |
//! | `POST /v1/responses` (stream: full event sequence) | OpenAI Responses |
//! | `POST /v1/completions` (legacy) | OpenAI |
//! | `POST /v1/messages` (stream: `message_start` … `message_stop`), `/v1/messages/count_tokens` | Anthropic |
//! | `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent[?alt=sse]` | Gemini |
//! | `GET /v1/models` (Anthropic shape if `anthropic-version` is sent), `GET /v1beta/models` | both |
//! | `POST /v1/embeddings`, `/v1/images/generations`, `/v1/audio/speech`, `/v1/audio/transcriptions` | OpenAI |
//!
//! # Deterministic defaults
//!
//! - Reply text: `"mock: " + <text of the last user message>` (trailing space trimmed).
//! - Every response echoes the requested model (`model`, `modelVersion`).
//! - Usage: input = whitespace-separated words in the request's message texts (system,
//!   messages, instructions, input, contents, prompt; not roles or tool arguments);
//!   output = words of the reply + words of the reasoning + 1 per tool call;
//!   reasoning = words of the reasoning; cache read/write = 0. See [`Usage`] for how each
//!   dialect reports them.
//! - Streams send one word per event (reasoning, then text), tool-call arguments in
//!   8-character fragments; ids count up per server (`chatcmpl-mock-1`, `msg_mock_2`...);
//!   `created` is always 1700000000.
//! - Embeddings: a deterministic vector per input (`dimensions`, default 8). Images: a 1x1
//!   PNG. Speech: 100 bytes per input word with the format's content type. Transcription:
//!   `"mock transcription of <filename> (<size> bytes)"`.
//!
//! # Scenarios and faults
//!
//! Queued scenarios are consumed one per request, first match wins (a scenario with a
//! `model` only matches requests for that model). Faults ([`Fault`]) answer in the dialect
//! of the endpoint called: 429 with `Retry-After` and the provider's rate-limit body, any
//! status with a provider-shaped error ([`ErrorKind`]), a TCP reset before the headers, a
//! stall / truncation / reset after N events, a malformed `data:` line, a slow first byte and
//! a delay between chunks. Non-stream bodies take the mid-body faults too (the JSON is sent in
//! two halves).

mod anthropic;
mod call;
mod control;
mod errors;
mod gemini;
mod media;
mod openai;
mod reply;
mod responses;
mod scenario;
mod server;
mod stream;

pub use control::RecordedRequest;
pub use media::PNG_1X1_BASE64;
pub use scenario::{ErrorKind, Fault, Scenario, ToolCall, Usage};
pub use server::{MockHandle, MockUpstream};
