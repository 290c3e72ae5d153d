//! The per-request context every provider endpoint starts from: the request is recorded, its
//! JSON parsed, and the scenario for its model taken from the queue.

use std::time::Duration;

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::control::{gemini_path_model, App, RecordedRequest};
use crate::errors::{error_response, Dialect, HttpError};
use crate::scenario::{ErrorKind, Fault, Scenario};
use crate::server::ConnKill;

/// The largest request body the mock reads.
const MAX_BODY: usize = 64 * 1024 * 1024;

pub(crate) struct Call {
    pub app: App,
    /// The JSON body (`Null` when the body is not JSON).
    pub json: Value,
    /// The requested model, or `mock-model` when the request names none.
    pub model: String,
    pub query: Option<String>,
    pub scenario: Scenario,
    kill: Option<ConnKill>,
}

impl FromRequest<App> for Call {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, MAX_BODY)
            .await
            .map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()).into_response())?;
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let json = if content_type.starts_with("multipart/form-data") {
            multipart_json(&content_type, &body)
        } else {
            serde_json::from_slice::<Value>(&body).ok()
        };
        let path = parts.uri.path().to_owned();
        let model = json
            .as_ref()
            .and_then(|j| j["model"].as_str())
            .or_else(|| gemini_path_model(&path))
            .map(str::to_owned);
        let recorded = RecordedRequest {
            method: parts.method.to_string(),
            path,
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.clone(),
            json: json.clone(),
        };
        let query = recorded.query.clone();
        app.record(recorded);
        let scenario = app.take(model.as_deref()).unwrap_or_default();
        Ok(Call {
            app: app.clone(),
            json: json.unwrap_or(Value::Null),
            model: model.unwrap_or_else(|| "mock-model".to_owned()),
            query,
            scenario,
            kill: parts.extensions.get::<ConnKill>().cloned(),
        })
    }
}

impl Call {
    /// Whether the request body asked for a stream (`"stream": true`).
    pub fn wants_stream(&self) -> bool {
        self.json["stream"].as_bool().unwrap_or(false)
    }

    /// Waits out the first-byte delay, then applies the faults that happen before the response
    /// headers. `Some` is the whole response.
    pub async fn preflight(&self, dialect: Dialect) -> Option<Response> {
        if self.scenario.first_byte_delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(self.scenario.first_byte_delay_ms)).await;
        }
        match &self.scenario.fault {
            Some(Fault::RateLimit { retry_after_secs }) => Some(error_response(
                dialect,
                &HttpError {
                    status: 429,
                    kind: ErrorKind::RateLimit,
                    message: None,
                    retry_after_secs: Some(*retry_after_secs),
                    model: &self.model,
                },
            )),
            Some(Fault::Status {
                status,
                kind,
                message,
                retry_after_secs,
            }) => Some(error_response(
                dialect,
                &HttpError {
                    status: *status,
                    kind: kind.unwrap_or_else(|| ErrorKind::for_status(*status)),
                    message: message.as_deref(),
                    retry_after_secs: *retry_after_secs,
                    model: &self.model,
                },
            )),
            Some(Fault::ResetBeforeHeaders) => match &self.kill {
                Some(kill) => {
                    kill.kill();
                    // The connection task drops this future together with the connection.
                    std::future::pending::<()>().await;
                    None
                }
                None => Some(crate::stream::failing_body()),
            },
            _ => None,
        }
    }

    /// A response id with this prefix, unique within the server (`chatcmpl-mock-3`).
    pub fn id(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.app.next_id())
    }
}

/// A small multipart/form-data reader: text fields become strings, file fields become
/// `{"filename","content_type","size"}`.
fn multipart_json(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut fields = Map::new();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let first = find(rest, delimiter.as_bytes())?;
    rest = &rest[first + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        let content_start = head_end + 4;
        let end_marker = format!("\r\n{delimiter}");
        let content_len = find(&rest[content_start..], end_marker.as_bytes())?;
        let content = &rest[content_start..content_start + content_len];
        let mut name = None;
        let mut filename = None;
        let mut part_type = None;
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                name = param(line, "name");
                filename = param(line, "filename");
            } else if lower.starts_with("content-type:") {
                part_type = line.split_once(':').map(|(_, v)| v.trim().to_owned());
            }
        }
        if let Some(name) = name {
            let value = match filename {
                Some(f) => {
                    json!({ "filename": f, "content_type": part_type, "size": content.len() })
                }
                None => Value::String(String::from_utf8_lossy(content).into_owned()),
            };
            fields.insert(name, value);
        }
        rest = &rest[content_start + content_len + end_marker.len()..];
    }
    Some(Value::Object(fields))
}

fn param(line: &str, key: &str) -> Option<String> {
    line.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.eq_ignore_ascii_case(key)).then(|| v.trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
