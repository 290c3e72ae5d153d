//! The gateway engine: wire formats, the translation hub and the provider registry.
//! It knows nothing of axum, sea-orm, tokio or reqwest, so it can be tested and benchmarked
//! on its own.
//!
//! # Map
//!
//! | Need | Module |
//! |---|---|
//! | The four formats (`openai_chat`, `anthropic`, `gemini`, `responses`) | [`format`] |
//! | The hub's internal representation (requests, responses, stream events) | [`ir`] |
//! | Translate a request / a complete response (entry points) | [`translate`] |
//! | Translate a stream, event by event | [`stream`] ([`StreamTranslator`]) |
//! | Collect an upstream stream into one complete response | [`aggregate`] ([`StreamAggregator`]) |
//! | Per-format parsing and rendering (request, response, stream) | [`formats`]`::{openai_chat, anthropic, gemini, responses}` |
//! | Incremental SSE parsing and writing | [`sse`] |
//! | Token usage, exact, and how totals map between formats | [`usage`] |
//! | Gemini thought signatures / Anthropic thinking kept across turns | [`signatures`] |
//! | Errors, and error bodies in each client dialect | [`errors`] |
//! | Token estimate for `count_tokens` | [`count_tokens`] |
//! | Byte-preserving edits of top-level JSON fields (pass-through) | [`json_scan`] |
//! | Provider registry and model resolution | [`providers`] |
//!
//! # How the HTTP layer uses it
//!
//! 1. [`translate_request`] the client body into the upstream's format
//!    ([`TranslatedRequest::gemini_path`] gives the Gemini URL path).
//! 2. Non-stream: [`translate_response`] the upstream body back; it returns exact [`Usage`].
//! 3. Stream: a [`StreamTranslator`] per response; `push` each upstream chunk and flush what
//!    it returns, `finish` at upstream EOF, `error_event` on failure after the first byte
//!    (before it, `saw_output() == false` means failing over is still invisible).
//! 4. Upstream streams but the client wanted JSON: a [`StreamAggregator`].
//! 5. Errors before any byte: [`error_body`] in the client's dialect.

pub mod aggregate;
pub mod count_tokens;
pub mod errors;
pub mod format;
pub mod formats;
pub mod ir;
pub mod json_scan;
pub mod providers;
pub mod signatures;
pub mod sse;
pub mod stream;
pub mod translate;
pub mod usage;

pub use aggregate::StreamAggregator;
pub use count_tokens::{count_tokens_body, estimate_request_tokens};
pub use errors::{error_body, upstream_error_message, TranslateError};
pub use format::Format;
pub use signatures::SignatureStore;
pub use stream::{StreamError, StreamTranslator};
pub use translate::{
    translate_request, translate_response, TranslateOptions, TranslatedRequest, TranslatedResponse,
};
pub use usage::Usage;
