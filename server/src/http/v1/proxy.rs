//! One client request through the gateway: resolve the model, pick connections, translate,
//! call the upstream, translate back.
//!
//! Failover: every failure before the first byte of output reaches the client (connect error,
//! timeout, 408/429/5xx, a rejected connection key, a stream that breaks before any output)
//! moves on to the next connection or candidate. After that, the stream ends with an in-band
//! error in the client's dialect, never a clean-looking end. A client error (400, 404, 422)
//! is returned as the upstream said it, in the client's dialect.

use super::error::V1Error;
use crate::snapshot::Connection;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use gateway::providers::{
    parse_model_string, AuthStyle, Registry, Resolution, ResolveError, ResolvedModel, WireFormat,
};
use gateway::{Format, StreamTranslator, TranslateOptions};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::time::timeout;

/// Until the upstream's response headers arrive.
const HEADERS_TIMEOUT: Duration = Duration::from_secs(120);
/// Until a stream produces its first output (failover is still possible until then).
const FIRST_OUTPUT_TIMEOUT: Duration = Duration::from_secs(120);
/// A stream silent this long is ended with an in-band error.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// During silences the client gets an SSE comment this often, so proxies keep the line open.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// A whole non-streaming response body.
const BODY_TIMEOUT: Duration = Duration::from_secs(600);

pub struct Ingress {
    pub format: Format,
    pub caller: super::Caller,
    pub body: Bytes,
    /// Gemini puts the model in the path.
    pub model_from_path: Option<String>,
    /// Gemini puts the stream flag in the path.
    pub gemini_stream: bool,
}

impl Ingress {
    pub fn new(format: Format, body: Bytes, caller: super::Caller) -> Self {
        Self {
            format,
            caller,
            body,
            model_from_path: None,
            gemini_stream: false,
        }
    }
}

pub fn format_of(wire: WireFormat) -> Format {
    match wire {
        WireFormat::OpenAiChat => Format::OpenAiChat,
        WireFormat::Anthropic => Format::Anthropic,
        WireFormat::Gemini => Format::Gemini,
        WireFormat::Responses => Format::Responses,
    }
}

/// Reads only the `model` field.
fn requested_model(format: Format, body: &[u8]) -> Result<String, V1Error> {
    #[derive(serde::Deserialize)]
    struct Peek {
        model: Option<serde_json::Value>,
    }
    let peek: Peek = serde_json::from_slice(body).map_err(|e| {
        V1Error::new(
            format,
            400,
            &format!("the request body is not valid JSON: {e}"),
        )
    })?;
    match peek.model {
        Some(serde_json::Value::String(m)) if !m.trim().is_empty() => Ok(m),
        Some(serde_json::Value::String(_)) | None => Err(V1Error::new(
            format,
            400,
            "model is required (for example \"openai/gpt-5\"); GET /v1/models lists the models of your connections",
        )),
        Some(_) => Err(V1Error::new(format, 400, "model must be a string")),
    }
}

struct Failure {
    what: String,
    status: Option<u16>,
    retry_after: Option<u64>,
}

enum AttemptError {
    /// Try the next connection or candidate.
    Retry(Failure),
    /// Answer the client with this.
    Final(Response),
}

pub async fn handle(state: AppState, ingress: Ingress, headers: HeaderMap) -> Response {
    let format = ingress.format;
    let requested = match &ingress.model_from_path {
        Some(m) => m.clone(),
        None => match requested_model(format, &ingress.body) {
            Ok(m) => m,
            Err(e) => return e.into_response_for(),
        },
    };
    if let Some(key) = &ingress.caller.0 {
        if !key.allows_model(&requested) {
            return V1Error::new(
                format,
                403,
                &format!("this API key may not use model {requested:?}"),
            )
            .into_response_for();
        }
    }
    let snapshot = state.snapshot();
    let registry = Registry::builtin();
    let candidates = match parse_model_string(registry, &snapshot.nodes, &requested) {
        Ok(Resolution::Exact(r)) => vec![r],
        Ok(Resolution::Candidates(v)) => v,
        Err(e) => {
            let status = match e {
                ResolveError::UnknownModel(_) | ResolveError::UnknownPrefix { .. } => 404,
                _ => 400,
            };
            return V1Error::new(
                format,
                status,
                &format!("{e}. GET /v1/models lists the models of your connections"),
            )
            .into_response_for();
        }
    };

    let mut attempts: Vec<(&ResolvedModel<'_>, Option<&Connection>)> = Vec::new();
    for candidate in &candidates {
        let connections = snapshot.connections_for(candidate.target.id());
        if connections.is_empty() {
            if candidate.target.auth() == AuthStyle::None {
                attempts.push((candidate, None)); // local servers need no account
            }
        } else {
            attempts.extend(connections.into_iter().map(|c| (candidate, Some(c))));
        }
    }
    if attempts.is_empty() {
        let names: Vec<String> = candidates
            .iter()
            .map(|c| format!("{} ({})", c.target.name(), c.target.id()))
            .collect();
        return V1Error::new(
            format,
            400,
            &format!(
                "model {requested:?} is served by {}, which has no enabled connection; add an API key in Dashboard → Providers or with POST /api/providers",
                names.join(" or ")
            ),
        )
        .into_response_for();
    }

    let mut failures = Vec::new();
    let total = attempts.len();
    for (index, (candidate, connection)) in attempts.into_iter().enumerate() {
        match attempt(
            &state,
            &ingress,
            &headers,
            &requested,
            candidate,
            connection,
            index + 1,
        )
        .await
        {
            Ok(response) => return response,
            Err(AttemptError::Final(response)) => return response,
            Err(AttemptError::Retry(failure)) => {
                tracing::warn!(
                    "attempt {}/{total} for {requested} failed: {}",
                    index + 1,
                    failure.what
                );
                failures.push(failure);
            }
        }
    }
    all_failed(format, &requested, failures)
}

fn all_failed(format: Format, requested: &str, failures: Vec<Failure>) -> Response {
    let summary: Vec<&str> = failures.iter().map(|f| f.what.as_str()).collect();
    let all_rate_limited = failures.iter().all(|f| f.status == Some(429));
    if all_rate_limited {
        let retry = failures.iter().filter_map(|f| f.retry_after).min();
        let when = retry
            .map(|s| format!(" The earliest retry is in {s} s."))
            .unwrap_or_default();
        return V1Error::new(
            format,
            429,
            &format!(
                "every connection for {requested} is rate limited: {}.{when}",
                summary.join("; ")
            ),
        )
        .retry_after(retry)
        .into_response_for();
    }
    let status = if failures
        .iter()
        .all(|f| matches!(f.status, Some(503) | Some(529)))
    {
        503
    } else {
        502
    };
    V1Error::new(
        format,
        status,
        &format!(
            "no upstream could serve {requested} ({} attempt(s)): {}",
            failures.len(),
            summary.join("; ")
        ),
    )
    .into_response_for()
}

pub(super) fn retry_after_secs(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|s| s.ceil().max(0.0) as u64)
}

/// Statuses that say "this account or this provider, now" rather than "this request".
pub(super) fn is_retryable(status: u16) -> bool {
    matches!(status, 401 | 402 | 403 | 408 | 409 | 425 | 429 | 500..=599)
}

#[allow(clippy::too_many_arguments)]
async fn attempt(
    state: &AppState,
    ingress: &Ingress,
    client_headers: &HeaderMap,
    requested: &str,
    candidate: &ResolvedModel<'_>,
    connection: Option<&Connection>,
    attempt_no: usize,
) -> Result<Response, AttemptError> {
    let format = ingress.format;
    let upstream_format = format_of(candidate.target.format());
    let who = match connection {
        Some(c) => format!("{} connection {:?}", candidate.target.id(), c.name),
        None => candidate.target.id().to_string(),
    };
    let signatures = super::signatures();
    let options = TranslateOptions {
        gemini_client_stream: ingress.gemini_stream,
        signatures: Some(&signatures),
        ..TranslateOptions::default()
    };
    let translated = gateway::translate_request(
        format,
        upstream_format,
        &ingress.body,
        &candidate.model,
        &options,
    )
    .map_err(|e| {
        AttemptError::Final(
            V1Error::new(format, e.http_status(), &e.to_string()).into_response_for(),
        )
    })?;
    for warning in &translated.warnings {
        tracing::debug!(
            "translation {} -> {}: {warning}",
            format.as_str(),
            upstream_format.as_str()
        );
    }

    let key = connection.and_then(|c| c.api_key.as_deref());
    let mut call = gateway::providers::UpstreamCall::chat(
        candidate.target,
        &translated.model,
        key,
        translated.stream,
    );
    if let Some(base) = connection.and_then(|c| c.base_url.as_deref()) {
        call = call.base_url(base);
    }
    let upstream = call.build().map_err(|e| {
        AttemptError::Retry(Failure {
            what: format!("{who}: {e}"),
            status: None,
            retry_after: None,
        })
    })?;

    let mut request = state
        .http()
        .post(&upstream.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    for (name, value) in &upstream.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if translated.stream {
        request = request.header(reqwest::header::ACCEPT, "text/event-stream");
    }
    if upstream_format == Format::Anthropic {
        if let Some(beta) = client_headers
            .get("anthropic-beta")
            .and_then(|v| v.to_str().ok())
        {
            request = request.header("anthropic-beta", beta);
        }
    }
    let started = Instant::now();
    let response = match timeout(HEADERS_TIMEOUT, request.body(translated.body).send()).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            return Err(AttemptError::Retry(Failure {
                what: format!("{who}: connection failed: {}", without_url(&e)),
                status: None,
                retry_after: None,
            }))
        }
        Err(_) => {
            return Err(AttemptError::Retry(Failure {
                what: format!("{who}: no response within {} s", HEADERS_TIMEOUT.as_secs()),
                status: Some(504),
                retry_after: None,
            }))
        }
    };

    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        let retry_after = retry_after_secs(response.headers());
        let body = timeout(Duration::from_secs(30), response.bytes())
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let message = gateway::upstream_error_message(&body);
        if is_retryable(status) {
            return Err(AttemptError::Retry(Failure {
                what: format!("{who}: {status} {message}"),
                status: Some(status),
                retry_after,
            }));
        }
        return Err(AttemptError::Final(
            V1Error::new(
                format,
                status,
                &format!("{} answered {status}: {message}", candidate.target.name()),
            )
            .retry_after(retry_after)
            .into_response_for(),
        ));
    }

    let meta = Meta {
        provider: candidate.target.id().to_string(),
        model: translated.model.clone(),
        attempt: attempt_no,
    };
    if translated.stream {
        let translator = StreamTranslator::new(upstream_format, format, requested)
            .with_include_usage(translated.client_include_usage)
            .with_signature_store(signatures.clone());
        stream_response(response, translator, meta, &who, started).await
    } else {
        let body = match timeout(BODY_TIMEOUT, response.bytes()).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                return Err(AttemptError::Retry(Failure {
                    what: format!("{who}: reading the response failed: {}", without_url(&e)),
                    status: None,
                    retry_after: None,
                }))
            }
            Err(_) => {
                return Err(AttemptError::Retry(Failure {
                    what: format!(
                        "{who}: the response took longer than {} s",
                        BODY_TIMEOUT.as_secs()
                    ),
                    status: Some(504),
                    retry_after: None,
                }))
            }
        };
        let out = gateway::translate_response(
            upstream_format,
            format,
            &body,
            requested,
            Some(&signatures),
        )
        .map_err(|e| {
            AttemptError::Retry(Failure {
                what: format!("{who}: unusable response: {e}"),
                status: Some(502),
                retry_after: None,
            })
        })?;
        let usage = out.usage;
        tracing::info!(
            provider = %meta.provider, model = %meta.model, ms = started.elapsed().as_millis() as u64,
            input = usage.input, output = usage.output, cache_read = usage.cache_read,
            cache_write = usage.cache_write, reasoning = usage.reasoning,
            "request completed"
        );
        let mut response = Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(out.body))
            .unwrap_or_default();
        add_meta_headers(
            response.headers_mut(),
            &meta.provider,
            &meta.model,
            meta.attempt,
        );
        Ok(response)
    }
}

struct Meta {
    provider: String,
    model: String,
    attempt: usize,
}

/// reqwest's Display includes the URL, which may carry a `key=` query parameter: describe the
/// error by its kind and causes instead.
pub(super) fn without_url(e: &reqwest::Error) -> String {
    let mut text = String::from(if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body could not be read"
    } else {
        "request failed"
    });
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

struct Live {
    upstream: BoxStream<'static, reqwest::Result<Bytes>>,
    translator: StreamTranslator,
    head: Option<Bytes>,
    done: bool,
    silent: Duration,
    meta: Meta,
    started: Instant,
}

async fn stream_response(
    response: reqwest::Response,
    mut translator: StreamTranslator,
    meta: Meta,
    who: &str,
    started: Instant,
) -> Result<Response, AttemptError> {
    let retry = |what: String| {
        AttemptError::Retry(Failure {
            what: format!("{who}: {what}"),
            status: Some(502),
            retry_after: None,
        })
    };
    let mut upstream: BoxStream<'static, reqwest::Result<Bytes>> = response.bytes_stream().boxed();
    let mut head = Vec::new();
    let mut done = false;
    // Hold the response until the first output: until then a failure can still move on.
    while !translator.saw_output() {
        match timeout(FIRST_OUTPUT_TIMEOUT, upstream.next()).await {
            Err(_) => {
                return Err(retry(format!(
                    "no output within {} s",
                    FIRST_OUTPUT_TIMEOUT.as_secs()
                )))
            }
            Ok(Some(Err(e))) => {
                return Err(retry(format!("the stream broke: {}", without_url(&e))))
            }
            Ok(Some(Ok(chunk))) => match translator.push(&chunk) {
                Ok(out) => head.extend_from_slice(&out),
                Err(e) => return Err(retry(format!("the stream was unusable: {}", e.error))),
            },
            Ok(None) => {
                match translator.finish() {
                    Ok(out) => head.extend_from_slice(&out),
                    Err(e) => return Err(retry(format!("the stream ended early: {}", e.error))),
                }
                if !translator.saw_output() {
                    return Err(retry("the stream ended without output".to_string()));
                }
                done = true;
            }
        }
    }
    let live = Live {
        upstream,
        translator,
        head: Some(Bytes::from(head)),
        done,
        silent: Duration::ZERO,
        meta,
        started,
    };
    let provider = live.meta.provider.clone();
    let model = live.meta.model.clone();
    let attempt = live.meta.attempt;
    let body = futures_util::stream::unfold(live, next_piece);
    let builder = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-accel-buffering", "no");
    let mut response = builder.body(Body::from_stream(body)).unwrap_or_default();
    add_meta_headers(response.headers_mut(), &provider, &model, attempt);
    Ok(response)
}

async fn next_piece(mut s: Live) -> Option<(Result<Bytes, Infallible>, Live)> {
    if let Some(head) = s.head.take() {
        if !head.is_empty() {
            return Some((Ok(head), s));
        }
    }
    if s.done {
        log_stream_end(&s, "completed");
        return None;
    }
    loop {
        match timeout(HEARTBEAT, s.upstream.next()).await {
            Err(_) => {
                s.silent += HEARTBEAT;
                if s.silent >= IDLE_TIMEOUT {
                    s.done = true;
                    let out = s.translator.error_event(&format!(
                        "the upstream sent nothing for {} s",
                        IDLE_TIMEOUT.as_secs()
                    ));
                    log_stream_end(&s, "idle timeout");
                    return Some((Ok(out), s));
                }
                return Some((Ok(Bytes::from_static(b": keepalive\n\n")), s));
            }
            Ok(Some(Ok(chunk))) => {
                s.silent = Duration::ZERO;
                match s.translator.push(&chunk) {
                    Ok(out) if out.is_empty() => continue,
                    Ok(out) => return Some((Ok(out), s)),
                    Err(e) => {
                        s.done = true;
                        let mut out = e.pending.to_vec();
                        out.extend_from_slice(&s.translator.error_event(&format!(
                            "the upstream stream was unusable: {}",
                            e.error
                        )));
                        log_stream_end(&s, "malformed upstream stream");
                        return Some((Ok(Bytes::from(out)), s));
                    }
                }
            }
            Ok(Some(Err(e))) => {
                s.done = true;
                let out = s.translator.error_event(&format!(
                    "the upstream connection broke: {}",
                    without_url(&e)
                ));
                log_stream_end(&s, "upstream broke");
                return Some((Ok(out), s));
            }
            Ok(None) => {
                s.done = true;
                let out = match s.translator.finish() {
                    Ok(out) => out,
                    Err(e) => {
                        let mut out = e.pending.to_vec();
                        out.extend_from_slice(&s.translator.error_event(&e.error.to_string()));
                        Bytes::from(out)
                    }
                };
                if out.is_empty() {
                    log_stream_end(&s, "completed");
                    return None;
                }
                return Some((Ok(out), s));
            }
        }
    }
}

fn log_stream_end(s: &Live, how: &str) {
    let usage = s.translator.usage();
    tracing::info!(
        provider = %s.meta.provider, model = %s.meta.model, ms = s.started.elapsed().as_millis() as u64,
        input = usage.input, output = usage.output, cache_read = usage.cache_read,
        cache_write = usage.cache_write, reasoning = usage.reasoning,
        "stream {how}"
    );
}

fn add_meta_headers(
    headers: &mut axum::http::HeaderMap,
    provider: &str,
    model: &str,
    attempt: usize,
) {
    if let Ok(v) = HeaderValue::from_str(provider) {
        headers.insert("x-omniroute-provider", v);
    }
    if let Ok(v) = HeaderValue::from_str(model) {
        headers.insert("x-omniroute-model", v);
    }
    if let Ok(v) = HeaderValue::from_str(&attempt.to_string()) {
        headers.insert("x-omniroute-attempts", v);
    }
}
