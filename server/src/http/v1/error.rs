//! Errors of the client API, in the caller's own dialect (OpenAI, Anthropic, Gemini,
//! Responses), with the right status and, when the upstream gave one, its Retry-After.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use gateway::Format;

#[derive(Debug, Clone)]
pub struct V1Error {
    pub format: Format,
    pub status: u16,
    pub message: String,
    /// The dialect's error type/code when the default for the status is not right.
    pub kind: Option<&'static str>,
    pub retry_after: Option<u64>,
}

impl V1Error {
    pub fn new(format: Format, status: u16, message: &str) -> Self {
        Self {
            format,
            status,
            message: message.to_string(),
            kind: None,
            retry_after: None,
        }
    }

    pub fn retry_after(mut self, secs: Option<u64>) -> Self {
        self.retry_after = secs;
        self
    }

    pub fn into_response_for(self) -> Response {
        let body = gateway::error_body(self.format, self.status, &self.message, self.kind);
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
