//! Gemini `generateContent` / `streamGenerateContent?alt=sse`.
//!
//! The model and the stream flag live in the URL, not the body: see
//! [`crate::translate::TranslatedRequest::gemini_path`]. Function calls carry no ids in
//! Gemini, so ids are generated on the way out (and functionResponses are matched to calls
//! by name, in order, on the way in). `thoughtSignature`s of functionCall parts are kept on
//! [`crate::ir::Part::ToolCall`] and in the [`crate::signatures::SignatureStore`].

pub mod request;
pub mod response;
pub mod schema;
pub mod stream;

use serde_json::{json, Value};

use crate::ir::{ImageSource, StopReason};

/// What Gemini documents as the placeholder for a functionCall whose signature is unknown
/// (e.g. history produced by another model): it skips validation instead of failing.
pub const DUMMY_THOUGHT_SIGNATURE: &str = "skip_thought_signature_validator";

pub(crate) fn stop_to_wire(s: &StopReason) -> &'static str {
    match s {
        StopReason::Stop | StopReason::ToolCalls | StopReason::StopSequence(_) => "STOP",
        StopReason::Length => "MAX_TOKENS",
        StopReason::ContentFilter => "SAFETY",
    }
}

pub(crate) fn stop_from_wire(s: &str, had_tool_calls: bool) -> StopReason {
    match s {
        "MAX_TOKENS" => StopReason::Length,
        "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII" | "IMAGE_SAFETY" => {
            StopReason::ContentFilter
        }
        _ if had_tool_calls => StopReason::ToolCalls,
        _ => StopReason::Stop,
    }
}

pub(crate) fn image_part(src: &ImageSource) -> Value {
    match src {
        ImageSource::Base64 { media_type, data } => {
            json!({"inlineData": {"mimeType": media_type, "data": data}})
        }
        ImageSource::Url { url, .. } => {
            json!({"fileData": {"mimeType": src.guess_media_type(), "fileUri": url}})
        }
    }
}
