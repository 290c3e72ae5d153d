//! Anthropic Messages.
//!
//! There is no native structured-output field: a JSON `response_format` becomes one extra
//! system text block appended *after* the client's system blocks (so cached prefixes stay
//! valid) that asks for JSON only, with the schema when there is one. See
//! [`request::json_instruction`].

pub mod request;
pub mod response;
pub mod stream;

use serde_json::{json, Value};

use crate::ir::{ImageSource, StopReason};

pub(crate) fn stop_to_wire(s: &StopReason) -> &'static str {
    match s {
        StopReason::Stop => "end_turn",
        StopReason::Length => "max_tokens",
        StopReason::ToolCalls => "tool_use",
        StopReason::ContentFilter => "refusal",
        StopReason::StopSequence(_) => "stop_sequence",
    }
}

pub(crate) fn stop_from_wire(s: &str, seq: Option<&str>) -> StopReason {
    match s {
        "max_tokens" | "model_context_window_exceeded" => StopReason::Length,
        "tool_use" => StopReason::ToolCalls,
        "refusal" => StopReason::ContentFilter,
        "stop_sequence" => StopReason::StopSequence(seq.map(str::to_string)),
        _ => StopReason::Stop,
    }
}

pub(crate) fn image_source_json(src: &ImageSource) -> Value {
    match src {
        ImageSource::Base64 { media_type, data } => {
            json!({"type": "base64", "media_type": media_type, "data": data})
        }
        ImageSource::Url { url, .. } => json!({"type": "url", "url": url}),
    }
}
