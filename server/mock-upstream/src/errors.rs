//! Error bodies and headers in each provider's own dialect.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::scenario::ErrorKind;

/// Which provider's error shape an endpoint answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// OpenAI Chat, Responses, legacy completions, embeddings, images, audio, models.
    OpenAi,
    Anthropic,
    Gemini,
}

/// One HTTP error to send.
pub(crate) struct HttpError<'a> {
    pub status: u16,
    pub kind: ErrorKind,
    pub message: Option<&'a str>,
    pub retry_after_secs: Option<u64>,
    pub model: &'a str,
}

fn default_message(kind: ErrorKind, dialect: Dialect, model: &str) -> String {
    match (kind, dialect) {
        (ErrorKind::ContextLengthExceeded, Dialect::OpenAi) => format!(
            "This model's maximum context length is 128000 tokens. However, your messages \
             resulted in 200000 tokens. Please reduce the length of the messages. ({model})"
        ),
        (ErrorKind::ContextLengthExceeded, Dialect::Anthropic) => {
            "prompt is too long: 210000 tokens > 200000 maximum".to_owned()
        }
        (ErrorKind::ContextLengthExceeded, Dialect::Gemini) => {
            "The input token count (1200000) exceeds the maximum number of tokens allowed \
             (1048576)."
                .to_owned()
        }
        (ErrorKind::InvalidRequest, _) => "mock: invalid request".to_owned(),
        (ErrorKind::Authentication, Dialect::Gemini) => {
            "API key not valid. Please pass a valid API key.".to_owned()
        }
        (ErrorKind::Authentication, _) => "Incorrect API key provided.".to_owned(),
        (ErrorKind::PermissionDenied, _) => {
            "Your API key does not have permission to use the specified resource.".to_owned()
        }
        (ErrorKind::NotFound, _) => {
            format!("The model `{model}` does not exist or you do not have access to it.")
        }
        (ErrorKind::RateLimit, Dialect::Gemini) => {
            "Resource has been exhausted (e.g. check quota).".to_owned()
        }
        (ErrorKind::RateLimit, _) => {
            format!("Rate limit reached for {model}. Please try again later.")
        }
        (ErrorKind::Server, _) => {
            "The server had an error while processing your request.".to_owned()
        }
        (ErrorKind::Overloaded, Dialect::Anthropic) => "Overloaded".to_owned(),
        (ErrorKind::Overloaded, _) => "The model is overloaded. Please try again later.".to_owned(),
    }
}

fn openai_body(kind: ErrorKind, message: &str) -> Value {
    let (kind_name, code, param) = match kind {
        ErrorKind::InvalidRequest => ("invalid_request_error", Value::Null, Value::Null),
        ErrorKind::ContextLengthExceeded => (
            "invalid_request_error",
            json!("context_length_exceeded"),
            json!("messages"),
        ),
        ErrorKind::Authentication => (
            "invalid_request_error",
            json!("invalid_api_key"),
            Value::Null,
        ),
        ErrorKind::PermissionDenied => ("permission_error", Value::Null, Value::Null),
        ErrorKind::NotFound => (
            "invalid_request_error",
            json!("model_not_found"),
            json!("model"),
        ),
        ErrorKind::RateLimit => ("requests", json!("rate_limit_exceeded"), Value::Null),
        ErrorKind::Server => ("server_error", Value::Null, Value::Null),
        ErrorKind::Overloaded => ("server_error", json!("service_unavailable"), Value::Null),
    };
    json!({ "error": { "message": message, "type": kind_name, "param": param, "code": code } })
}

fn anthropic_body(kind: ErrorKind, message: &str) -> Value {
    let kind_name = match kind {
        ErrorKind::InvalidRequest | ErrorKind::ContextLengthExceeded => "invalid_request_error",
        ErrorKind::Authentication => "authentication_error",
        ErrorKind::PermissionDenied => "permission_error",
        ErrorKind::NotFound => "not_found_error",
        ErrorKind::RateLimit => "rate_limit_error",
        ErrorKind::Server => "api_error",
        ErrorKind::Overloaded => "overloaded_error",
    };
    json!({ "type": "error", "error": { "type": kind_name, "message": message } })
}

fn gemini_body(status: u16, kind: ErrorKind, message: &str, retry: Option<u64>) -> Value {
    let status_name = match kind {
        ErrorKind::InvalidRequest | ErrorKind::ContextLengthExceeded => "INVALID_ARGUMENT",
        ErrorKind::Authentication => "UNAUTHENTICATED",
        ErrorKind::PermissionDenied => "PERMISSION_DENIED",
        ErrorKind::NotFound => "NOT_FOUND",
        ErrorKind::RateLimit => "RESOURCE_EXHAUSTED",
        ErrorKind::Server => "INTERNAL",
        ErrorKind::Overloaded => "UNAVAILABLE",
    };
    let mut body =
        json!({ "error": { "code": status, "message": message, "status": status_name } });
    if let Some(secs) = retry {
        body["error"]["details"] = json!([{
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            "retryDelay": format!("{secs}s"),
        }]);
    }
    body
}

/// The response for an HTTP error in the dialect of the endpoint.
pub(crate) fn error_response(dialect: Dialect, e: &HttpError<'_>) -> Response {
    let message = e
        .message
        .map_or_else(|| default_message(e.kind, dialect, e.model), str::to_owned);
    let body = match dialect {
        Dialect::OpenAi => openai_body(e.kind, &message),
        Dialect::Anthropic => anthropic_body(e.kind, &message),
        Dialect::Gemini => gemini_body(e.status, e.kind, &message, e.retry_after_secs),
    };
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    };
    if let Some(secs) = e.retry_after_secs {
        put("retry-after", secs.to_string());
    }
    if e.kind == ErrorKind::RateLimit {
        match dialect {
            Dialect::OpenAi => {
                put("x-ratelimit-limit-requests", "60".to_owned());
                put("x-ratelimit-remaining-requests", "0".to_owned());
                let reset = e.retry_after_secs.unwrap_or(1);
                put("x-ratelimit-reset-requests", format!("{reset}s"));
            }
            Dialect::Anthropic => {
                put("anthropic-ratelimit-requests-limit", "60".to_owned());
                put("anthropic-ratelimit-requests-remaining", "0".to_owned());
            }
            Dialect::Gemini => {}
        }
    }
    if dialect == Dialect::Anthropic {
        put("request-id", "req_mock".to_owned());
    }
    response
}
