//! OpenAI-shaped endpoints that are forwarded as they are, with only the model id changed:
//! `/v1/embeddings`, `/v1/images/generations`, `/v1/audio/speech` (JSON) and
//! `/v1/audio/transcriptions` (multipart). The upstream's answer (JSON, or audio bytes) is
//! streamed back unchanged; failures move on to the next connection like chat requests do.

use super::error::V1Error;
use super::proxy::{is_retryable, retry_after_secs, without_url};
use crate::resilience::Outcome;
use crate::snapshot::Connection;
use crate::state::AppState;
use crate::usage::{self, Recording, UsageEvent};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use gateway::providers::{
    parse_model_string, AuthStyle, Endpoint, Registry, Resolution, ResolvedModel, UpstreamCall,
};
use gateway::Format;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(600);

pub enum MediaBody {
    Json(Bytes),
    /// Raw multipart body and its content type (boundary included).
    Multipart(Bytes, String),
}

fn err(status: u16, message: &str) -> Response {
    V1Error::new(Format::OpenAiChat, status, message).into_response_for()
}

pub async fn handle(
    state: AppState,
    caller: super::Caller,
    endpoint: Endpoint,
    body: MediaBody,
) -> Response {
    let requested = match &body {
        MediaBody::Json(bytes) => match gateway::json_scan::get_top_level(bytes, "model") {
            Ok(Some(raw)) => match serde_json::from_slice::<String>(raw) {
                Ok(m) if !m.trim().is_empty() => m,
                _ => return err(400, "model must be a non-empty string"),
            },
            Ok(None) => {
                return err(
                    400,
                    "model is required; GET /v1/models lists the models of your connections",
                )
            }
            Err(e) => return err(400, &format!("the request body is not valid JSON: {e}")),
        },
        MediaBody::Multipart(bytes, content_type) => {
            match multipart_field(bytes, content_type, "model") {
                Some(m) if !m.trim().is_empty() => m,
                _ => return err(400, "the form field model is required"),
            }
        }
    };
    let base = UsageEvent::new(
        usage::new_request_id(),
        endpoint_name(endpoint),
        Format::OpenAiChat.as_str(),
        &requested,
        caller.0.as_ref(),
    );
    if let Some(key) = &caller.0 {
        if !key.allows_model(&requested) {
            return err(
                403,
                &format!("this API key may not use model {requested:?}"),
            );
        }
        let now = usage::now_ms();
        if let Err(over) = state.usage().budgets().check(&key.id, now) {
            let error = super::proxy::over_budget(Format::OpenAiChat, &over, now);
            let mut event = base.clone();
            event.status = 429;
            event.error = Some(error.message.clone());
            state.usage().record(event);
            return error.into_response_for();
        }
    }
    let snapshot = state.snapshot();
    let candidates = match parse_model_string(Registry::builtin(), &snapshot.nodes, &requested) {
        Ok(Resolution::Exact(r)) => vec![r],
        Ok(Resolution::Candidates(v)) => v,
        Err(e) => {
            return err(
                404,
                &format!("{e}. GET /v1/models lists the models of your connections"),
            )
        }
    };
    // Like chat requests: accounts cooling down and providers whose breaker is open are skipped.
    let resilience = state.resilience();
    let mut resting: Option<u64> = None;
    let mut attempts: Vec<(&ResolvedModel<'_>, Option<&Connection>)> = Vec::new();
    for candidate in &candidates {
        if let Err(wait) = resilience.breaker_allows(candidate.target.id()) {
            resting = Some(resting.map_or(wait.as_secs(), |r| r.min(wait.as_secs())));
            continue;
        }
        let connections = state.accounts().order(
            candidate.target.id(),
            snapshot.connections_for(candidate.target.id()),
        );
        if connections.is_empty() && candidate.target.auth() == AuthStyle::None {
            attempts.push((candidate, None));
        }
        for connection in connections {
            match resilience.cooling_until(&connection.id) {
                Some(until) => {
                    let secs = until
                        .saturating_duration_since(std::time::Instant::now())
                        .as_secs();
                    resting = Some(resting.map_or(secs, |r| r.min(secs)));
                }
                None => attempts.push((candidate, Some(connection))),
            }
        }
    }
    if attempts.is_empty() {
        if let Some(secs) = resting {
            let secs = secs.max(1);
            return V1Error::new(
                Format::OpenAiChat,
                429,
                &format!("every target for {requested:?} is resting (cooldown or open circuit breaker); the earliest recovers in {secs} s"),
            )
            .retry_after(Some(secs))
            .into_response_for();
        }
        return err(
            400,
            &format!("model {requested:?} has no enabled connection; add an API key in Dashboard → Providers or with POST /api/providers"),
        );
    }

    let mut failures: Vec<String> = Vec::new();
    let mut last_status = 502;
    let mut last_retry = None;
    for (index, (candidate, connection)) in attempts.into_iter().enumerate() {
        let who = match connection {
            Some(c) => format!("{} connection {:?}", candidate.target.id(), c.name),
            None => candidate.target.id().to_string(),
        };
        // Records the attempt when it ends, or as 499 if the client leaves while it runs.
        let mut recording = Recording::new(
            state.usage(),
            base.for_attempt(
                index as u32 + 1,
                candidate.target.id(),
                &candidate.model,
                connection.map(|c| c.id.as_str()),
                Some(Format::OpenAiChat.as_str()),
            ),
            std::time::Instant::now(),
        );
        let key = connection.and_then(|c| c.api_key.as_deref());
        let mut call =
            UpstreamCall::chat(candidate.target, &candidate.model, key, false).endpoint(endpoint);
        if let Some(base) = connection.and_then(|c| c.base_url.as_deref()) {
            call = call.base_url(base);
        }
        let upstream = match call.build() {
            Ok(u) => u,
            Err(e) => {
                failures.push(format!("{who}: {e}"));
                recording.finish(502, failures.last().cloned());
                continue;
            }
        };
        let (payload, content_type) = match &body {
            MediaBody::Json(bytes) => {
                let quoted = serde_json::to_string(&candidate.model).unwrap_or_default();
                match gateway::json_scan::set_top_level(bytes, "model", &quoted) {
                    Ok(b) => (Bytes::from(b), "application/json".to_string()),
                    Err(e) => {
                        let message = format!("the request body is not valid JSON: {e}");
                        recording.finish(400, Some(message.clone()));
                        return err(400, &message);
                    }
                }
            }
            MediaBody::Multipart(bytes, ct) => {
                match replace_multipart_field(bytes, ct, "model", &candidate.model) {
                    Some(b) => (Bytes::from(b), ct.clone()),
                    None => {
                        let message = "the multipart body could not be read";
                        recording.finish(400, Some(message.to_string()));
                        return err(400, message);
                    }
                }
            }
        };
        let mut request = state
            .http_for(candidate.target.id())
            .post(&upstream.url)
            .header(reqwest::header::CONTENT_TYPE, content_type);
        for (name, value) in &upstream.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = match tokio::time::timeout(TIMEOUT, request.body(payload).send()).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                failures.push(format!("{who}: {}", without_url(&e)));
                recording.finish(502, failures.last().cloned());
                resilience.record(
                    candidate.target.id(),
                    conn_id(connection),
                    Outcome::ProviderFault,
                    None,
                );
                continue;
            }
            Err(_) => {
                failures.push(format!("{who}: no response within {} s", TIMEOUT.as_secs()));
                recording.finish(504, failures.last().cloned());
                resilience.record(
                    candidate.target.id(),
                    conn_id(connection),
                    Outcome::ProviderFault,
                    None,
                );
                continue;
            }
        };
        let status = response.status().as_u16();
        resilience.record(
            candidate.target.id(),
            conn_id(connection),
            Outcome::from_status(Some(status)),
            retry_after_secs(response.headers()).map(std::time::Duration::from_secs),
        );
        if !(200..300).contains(&status) {
            let retry_after = retry_after_secs(response.headers());
            let body = response.bytes().await.unwrap_or_default();
            let message = gateway::upstream_error_message(&body);
            recording.finish(status, Some(format!("{who}: {status} {message}")));
            if is_retryable(status) {
                failures.push(format!("{who}: {status} {message}"));
                last_status = if status == 429 { 429 } else { 502 };
                last_retry = retry_after.or(last_retry);
                continue;
            }
            return V1Error::new(
                Format::OpenAiChat,
                status,
                &format!("{} answered {status}: {message}", candidate.target.name()),
            )
            .retry_after(retry_after)
            .into_response_for();
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        // A JSON answer is read whole for its token counts (`usage::media`), then forwarded
        // unchanged; audio is streamed through (no tokens: an unknown cost).
        let body = if content_type.starts_with("application/json") {
            match tokio::time::timeout(TIMEOUT, response.bytes()).await {
                Ok(Ok(bytes)) => {
                    recording.usage = usage::media::from_response(&bytes);
                    Body::from(bytes)
                }
                _ => {
                    let message = format!("{who}: the response could not be read");
                    recording.finish(502, Some(message.clone()));
                    return err(502, &message);
                }
            }
        } else {
            Body::from_stream(response.bytes_stream())
        };
        let mut out = Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .unwrap_or_default();
        if let Ok(v) = candidate.target.id().parse() {
            out.headers_mut().insert("x-omniroute-provider", v);
        }
        recording.finish(200, None);
        return out;
    }
    V1Error::new(
        Format::OpenAiChat,
        last_status,
        &format!(
            "no upstream could serve {requested}: {}",
            failures.join("; ")
        ),
    )
    .retry_after(last_retry)
    .into_response_for()
}

/// What usage rows call a media endpoint.
fn endpoint_name(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Embeddings => "embeddings",
        Endpoint::Images => "images",
        Endpoint::AudioSpeech => "speech",
        Endpoint::AudioTranscriptions => "transcriptions",
        Endpoint::Chat => "chat",
        Endpoint::Models => "models",
    }
}

fn conn_id(connection: Option<&Connection>) -> Option<&str> {
    connection.map(|c| c.id.as_str())
}

fn boundary(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
}

/// `(start, end)` of the value of form field `name` in a multipart body.
fn field_span(body: &[u8], content_type: &str, name: &str) -> Option<(usize, usize)> {
    let delimiter = format!("--{}", boundary(content_type)?);
    let delimiter = delimiter.as_bytes();
    let needle = format!("name=\"{name}\"");
    let mut pos = find(body, delimiter, 0)?;
    loop {
        let part_start = pos + delimiter.len();
        let next = find(body, delimiter, part_start)?;
        let part = &body[part_start..next];
        if let Some(head_end) = find(part, b"\r\n\r\n", 0) {
            let head = String::from_utf8_lossy(&part[..head_end]);
            let is_field = head.lines().any(|l| {
                l.to_ascii_lowercase().starts_with("content-disposition") && l.contains(&needle)
            });
            if is_field {
                let start = part_start + head_end + 4;
                let end = next.checked_sub(2)?; // the CRLF before the delimiter
                return (start <= end).then_some((start, end));
            }
        }
        pos = next;
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The raw bytes of a form field (a file upload).
pub fn multipart_bytes<'a>(body: &'a [u8], content_type: &str, name: &str) -> Option<&'a [u8]> {
    let (start, end) = field_span(body, content_type, name)?;
    Some(&body[start..end])
}

pub fn multipart_field(body: &[u8], content_type: &str, name: &str) -> Option<String> {
    let (start, end) = field_span(body, content_type, name)?;
    String::from_utf8(body[start..end].to_vec()).ok()
}

fn replace_multipart_field(
    body: &[u8],
    content_type: &str,
    name: &str,
    value: &str,
) -> Option<Vec<u8>> {
    let (start, end) = field_span(body, content_type, name)?;
    let mut out = Vec::with_capacity(body.len() + value.len());
    out.extend_from_slice(&body[..start]);
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&body[end..]);
    Some(out)
}

/// Content type of a request, for the multipart endpoint.
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_model_is_found_and_replaced() {
        let ct = "multipart/form-data; boundary=XyZ";
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\nBYTES\r\n--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngroq/whisper-large-v3\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_field(body, ct, "model").as_deref(),
            Some("groq/whisper-large-v3")
        );
        let out = replace_multipart_field(body, ct, "model", "whisper-large-v3").unwrap();
        assert_eq!(
            multipart_field(&out, ct, "model").as_deref(),
            Some("whisper-large-v3")
        );
        assert!(out.windows(5).any(|w| w == b"BYTES"));
        assert!(multipart_field(body, ct, "missing").is_none());
        assert!(multipart_field(body, "multipart/form-data", "model").is_none());
    }
}
