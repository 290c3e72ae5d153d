//! OpenAI Responses.
//!
//! Reasoning: upstream reasoning summaries (and `reasoning_text`) become thinking text;
//! towards a Responses client, thinking is emitted as a `reasoning` output item with
//! `summary_text` parts. Encrypted reasoning (`encrypted_content`) is only meaningful to
//! OpenAI and is dropped when crossing formats. Reasoning in the *request* history is not
//! rendered into Responses input (Responses rejects reasoning items whose ids it did not
//! issue).

pub mod request;
pub mod response;
pub mod stream;

use serde_json::{json, Value};

use crate::ir::StopReason;

/// `(status, incomplete_details)` of a finished response.
pub(crate) fn stop_to_wire(s: &StopReason) -> (&'static str, Value) {
    match s {
        StopReason::Length => ("incomplete", json!({"reason": "max_output_tokens"})),
        StopReason::ContentFilter => ("incomplete", json!({"reason": "content_filter"})),
        _ => ("completed", Value::Null),
    }
}

pub(crate) fn stop_from_wire(status: &str, details: Option<&Value>, had_calls: bool) -> StopReason {
    let reason = details
        .and_then(|d| d.get("reason"))
        .and_then(Value::as_str)
        .unwrap_or("");
    match (status, reason) {
        ("incomplete", "content_filter") => StopReason::ContentFilter,
        ("incomplete", _) => StopReason::Length,
        _ if had_calls => StopReason::ToolCalls,
        _ => StopReason::Stop,
    }
}
