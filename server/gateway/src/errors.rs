//! The translation error type, and error bodies in each client dialect.

use serde_json::{json, Value};

use crate::format::Format;

/// Everything that can go wrong while translating. Messages name the offending field with a
/// JSON-path-like location (`messages[2].content[0]`) so a client can fix its request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The body is not JSON (or not a JSON object where one is required).
    #[error("invalid JSON body: {0}")]
    InvalidJson(String),
    /// A required field is absent.
    #[error("{0}: required field is missing")]
    MissingField(String),
    /// A field is present but has the wrong type or value.
    #[error("{path}: {message}")]
    InvalidField { path: String, message: String },
    /// A format name that is not one of ours.
    #[error("unknown wire format '{0}'")]
    UnknownFormat(String),
    /// The upstream sent something we cannot parse (bad JSON in an SSE event, wrong shape).
    /// Mid-stream, the caller turns this into an in-band error event.
    #[error("malformed upstream {format} data: {message}")]
    MalformedUpstream { format: Format, message: String },
    /// The stream violates the protocol in a way we refuse to paper over.
    #[error("stream protocol error: {0}")]
    StreamProtocol(String),
}

impl TranslateError {
    pub(crate) fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        TranslateError::InvalidField {
            path: path.into(),
            message: message.into(),
        }
    }

    pub(crate) fn upstream(format: Format, message: impl Into<String>) -> Self {
        TranslateError::MalformedUpstream {
            format,
            message: message.into(),
        }
    }

    /// The HTTP status the HTTP layer should answer with when this error happens before any
    /// byte was sent: client mistakes are 400, upstream garbage is 502.
    pub fn http_status(&self) -> u16 {
        match self {
            TranslateError::MalformedUpstream { .. } | TranslateError::StreamProtocol(_) => 502,
            _ => 400,
        }
    }
}

/// Builds an error body in the dialect of `format`, so the client's SDK recognises it.
///
/// * OpenAI Chat and Responses: `{"error":{"message","type","code","param"}}`
/// * Anthropic: `{"type":"error","error":{"type","message"}}`
/// * Gemini: `{"error":{"code","message","status"}}`
///
/// `kind` overrides the derived type/code (e.g. `"insufficient_quota"`); by default it is
/// derived from `status`.
pub fn error_body(format: Format, status: u16, message: &str, kind: Option<&str>) -> Value {
    match format {
        Format::OpenAiChat | Format::Responses => {
            let ty = kind.unwrap_or_else(|| openai_error_type(status));
            json!({"error": {"message": message, "type": ty, "code": kind.map(str::to_string).or_else(|| openai_error_code(status).map(str::to_string)), "param": null}})
        }
        Format::Anthropic => {
            let ty = kind.unwrap_or_else(|| anthropic_error_type(status));
            json!({"type": "error", "error": {"type": ty, "message": message}})
        }
        Format::Gemini => {
            let st = kind.unwrap_or_else(|| gemini_status(status));
            json!({"error": {"code": status, "message": message, "status": st}})
        }
    }
}

fn openai_error_type(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        400..=499 => "invalid_request_error",
        _ => "server_error",
    }
}

fn openai_error_code(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("invalid_api_key"),
        404 => Some("model_not_found"),
        429 => Some("rate_limit_exceeded"),
        500..=599 => Some("server_error"),
        _ => None,
    }
}

pub(crate) fn anthropic_error_type(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 | 503 => "overloaded_error",
        400..=499 => "invalid_request_error",
        _ => "api_error",
    }
}

pub(crate) fn gemini_status(status: u16) -> &'static str {
    match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 | 529 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        402..=498 => "FAILED_PRECONDITION",
        _ => "INTERNAL",
    }
}

/// Extracts a human-readable message from an upstream error body of any dialect, for logs
/// and for re-wrapping into the client's dialect. Falls back to the raw text (truncated).
pub fn upstream_error_message(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let candidates = [
            v.pointer("/error/message"),
            v.pointer("/message"),
            v.pointer("/error"),
            v.pointer("/0/error/message"),
        ];
        for c in candidates.into_iter().flatten() {
            if let Some(s) = c.as_str() {
                return s.to_string();
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    let mut end = text.len().min(500);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}
