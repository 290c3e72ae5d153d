//! One client request through the gateway: resolve the model, pick connections, translate,
//! call the upstream, translate back.
//!
//! Failover: every failure before the first byte of output reaches the client (connect error,
//! timeout, 408/429/5xx, a rejected connection key, a stream that breaks before any output)
//! moves on to the next connection or candidate. After that, the stream ends with an in-band
//! error in the client's dialect, never a clean-looking end. A client error (400, 404, 422)
//! is returned as the upstream said it, in the client's dialect.

use super::error::V1Error;
use crate::resilience::Outcome;
use crate::snapshot::Connection;
use crate::state::AppState;
use crate::usage::{self, Recording, UsageEvent};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use gateway::providers::{ResolvedModel, WireFormat};
use gateway::{Format, StreamTranslator, TranslateOptions};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::time::timeout;

// The header, first-output and idle timeouts are settings (Settings → Resilience), read per
// attempt through `flow::Timeouts`.
/// During silences the client gets an SSE comment this often, so proxies keep the line open.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// A whole non-streaming response body.
const BODY_TIMEOUT: Duration = Duration::from_secs(600);

pub struct Ingress {
    pub format: Format,
    pub caller: super::Caller,
    /// A record of each step, for the Chat Tester; None on real client requests.
    pub trace: Option<super::trace::SharedTrace>,
    pub body: Bytes,
    /// Gemini puts the model in the path.
    pub model_from_path: Option<String>,
    /// Gemini puts the stream flag in the path.
    pub gemini_stream: bool,
    /// What usage rows call the endpoint (`chat`, `messages`, `completions`, ...).
    pub endpoint: &'static str,
}

impl Ingress {
    pub fn new(format: Format, body: Bytes, caller: super::Caller) -> Self {
        Self {
            format,
            caller,
            trace: None,
            body,
            model_from_path: None,
            gemini_stream: false,
            endpoint: match format {
                Format::OpenAiChat => "chat",
                Format::Anthropic => "messages",
                Format::Gemini => "gemini",
                Format::Responses => "responses",
            },
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

/// The sticky-session key: `X-Session-Id` or `x_session_id` (nginx drops underscores unless
/// told otherwise, so both are read).
fn session_key(headers: &HeaderMap) -> Option<String> {
    ["x-session-id", "x_session_id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 256)
        .map(str::to_string)
}

/// Records a request refused before any attempt and answers it.
fn refuse(state: &AppState, base: &UsageEvent, error: V1Error) -> Response {
    let mut event = base.clone();
    event.status = error.status;
    event.success = false;
    event.error = Some(error.message.clone());
    state.usage().record(event);
    error.into_response_for()
}

/// USD for messages: `$1.50`, or more digits when cents are not enough.
pub(super) fn usd(v: f64) -> String {
    let short = format!("{v:.2}");
    if short.parse::<f64>().ok() == Some(v) {
        format!("${short}")
    } else {
        format!("${v:.4}")
    }
}

/// The 429 of a key over its budget, in the caller's dialect, with Retry-After.
pub(super) fn over_budget(format: Format, over: &usage::budget::Exceeded, now_ms: i64) -> V1Error {
    let secs = ((over.resets_at_ms - now_ms).max(0) as u64)
        .div_ceil(1000)
        .max(1);
    V1Error::new(
        format,
        429,
        &format!(
            "this API key has used its {} budget: {} spent of the {} limit. The budget resets at {} (in {secs} s); raise it in Dashboard → Costs → Budget or with POST /api/usage/budget",
            over.period.as_str(),
            usd(over.spent),
            usd(over.limit),
            usage::iso(over.resets_at_ms.div_euclid(1000)),
        ),
    )
    .retry_after(Some(secs))
}

/// One client request: cache, idempotency, progress events and meta headers around
/// [`route`] (see `flow`).
pub async fn handle(state: AppState, ingress: Ingress, headers: HeaderMap) -> Response {
    super::flow::around(state, ingress, headers).await
}

pub(super) async fn route(state: AppState, ingress: Ingress, headers: HeaderMap) -> Response {
    let format = ingress.format;
    let requested = match &ingress.model_from_path {
        Some(m) => m.clone(),
        None => match requested_model(format, &ingress.body) {
            Ok(m) => m,
            Err(e) => return e.into_response_for(),
        },
    };
    let base = UsageEvent::new(
        usage::new_request_id(),
        ingress.endpoint,
        format.as_str(),
        &requested,
        ingress.caller.0.as_ref(),
    );
    if let Some(key) = &ingress.caller.0 {
        if !key.allows_model(&requested) {
            return refuse(
                &state,
                &base,
                V1Error::new(
                    format,
                    403,
                    &format!("this API key may not use model {requested:?}"),
                ),
            );
        }
        let now = usage::now_ms();
        if let Err(over) = state.usage().budgets().check(&key.id, now) {
            return refuse(&state, &base, over_budget(format, &over, now));
        }
    }
    let snapshot = state.snapshot();
    let session = session_key(&headers);
    let mut base = base;

    // Aliases, combos, auto-routing, fallback chains, provider blocking and the resting
    // checks (breakers, cooldowns, per-model lockouts, wait-for-cooldown): `routing::route`.
    let mut route = match crate::routing::route::build(
        &state,
        &snapshot,
        &requested,
        session.as_deref(),
        ingress.body.len(),
        &base.request_id,
    )
    .await
    {
        Ok(route) => route,
        Err(r) => {
            return refuse(
                &state,
                &base,
                V1Error::new(format, r.status, &r.message).retry_after(r.retry_after),
            )
        }
    };
    base.combo = route.combo.clone();
    let combos = state.combos();
    let resilience = state.resilience();
    let attempts = std::mem::take(&mut route.attempts);
    let mut ingress = ingress;

    let mut failures = Vec::new();
    let total = attempts.len();
    // A combo's `maxRetries` bounds the targets tried after the first; its `timeoutMs` caps
    // each attempt's header and first-output timeouts.
    let max_tries = route.config.max_retries.map(|n| n as usize + 1);
    let time_cap = route.config.timeout_ms.map(Duration::from_millis);
    let mut tried = 0usize;
    for (index, routed) in attempts.iter().enumerate() {
        if max_tries.is_some_and(|max| tried >= max) {
            tracing::debug!("{requested}: the combo's retry limit ({tried} attempt(s)) is reached");
            break;
        }
        // After a context-length error only larger windows go on; context-relay may hand a
        // summary of the conversation to the next target.
        if let Some(why) = route.skip(routed) {
            tracing::debug!(
                "attempt {}/{total} for {requested} skipped: {why}",
                index + 1
            );
            continue;
        }
        if let Some(body) = route.relay_body(format, &ingress.body) {
            ingress.body = Bytes::from(body);
        }
        let resolved = route.target(routed).resolved.clone();
        let candidate = &resolved;
        let connection = routed.connection;
        let planned_target = route.planned_of(routed).cloned();
        let target = planned_target.as_ref();
        // Pacing of the account (bounded wait; a busy account is skipped) and progress events.
        let permit = match super::flow::before_attempt(
            &state,
            index + 1,
            total,
            candidate.target.id(),
            &candidate.model,
            connection.map(|c| (c.id.as_str(), c.name.as_str())),
        )
        .await
        {
            Ok(permit) => permit,
            Err(busy) => {
                failures.push(Failure {
                    what: busy.why,
                    status: Some(429),
                    retry_after: Some(busy.retry_after_secs),
                });
                continue;
            }
        };
        tried += 1;
        let _combo_flight = target.map(|t| combos.runtime().begin(&t.model));
        let attempt_started = Instant::now();
        // Records the attempt when it ends, or as 499 if the client leaves while it runs.
        let mut recording = Recording::new(
            state.usage(),
            base.for_attempt(
                index as u32 + 1,
                candidate.target.id(),
                &candidate.model,
                connection.map(|c| c.id.as_str()),
                Some(format_of(candidate.target.format()).as_str()),
            ),
            Instant::now(),
        );
        recording.capture_request(&ingress.body);
        // Counts as the account's failure unless marked as a success below.
        let flight = connection.map(|c| state.accounts().start(&c.id));
        match attempt(
            &state,
            &ingress,
            &headers,
            &requested,
            candidate,
            connection,
            index + 1,
            time_cap,
            &mut recording,
        )
        .await
        {
            // A client error is the request's fault, not the account's.
            Ok(response) | Err(AttemptError::Final(response)) => {
                if let Some(flight) = flight {
                    flight.succeeded();
                }
                let ok = response.status().is_success();
                let outcome = if ok {
                    Outcome::Success
                } else {
                    Outcome::ClientError
                };
                resilience.record(
                    candidate.target.id(),
                    connection.map(|c| c.id.as_str()),
                    outcome,
                    None,
                );
                let ms = attempt_started.elapsed().as_millis() as u64;
                if let Some(t) = target {
                    combos
                        .runtime()
                        .record_target(t, session.as_deref(), ok, ms);
                }
                route.succeeded(routed, response.status().as_u16(), ms);
                let mut response = response;
                super::flow::answered_by(
                    &mut response,
                    index + 1,
                    candidate.target.id(),
                    &candidate.model,
                    connection.map(|c| c.id.as_str()),
                    permit,
                );
                route.finish(&state, &mut response);
                return response;
            }
            Err(AttemptError::Retry(failure)) => {
                let ms = attempt_started.elapsed().as_millis() as u64;
                // A model that is missing or out of its own quota is locked out of this
                // connection instead of cooling the whole connection down.
                let after = route.failed(
                    &state,
                    routed,
                    failure.status,
                    &failure.what,
                    failure.retry_after,
                    ms,
                );
                resilience.record(
                    candidate.target.id(),
                    connection
                        .filter(|_| after.cool_connection)
                        .map(|c| c.id.as_str()),
                    Outcome::from_status(failure.status),
                    failure.retry_after.map(Duration::from_secs),
                );
                if let Some(t) = target {
                    combos
                        .runtime()
                        .record_target(t, session.as_deref(), false, ms);
                }
                recording.finish(failure.status.unwrap_or(502), Some(failure.what.clone()));
                drop(flight);
                tracing::warn!(
                    "attempt {}/{total} for {requested} failed: {}",
                    index + 1,
                    failure.what
                );
                super::flow::attempt_failed(index + 1, &failure.what);
                failures.push(failure);
            }
        }
    }
    let tried = failures.len();
    let mut response = super::flow::with_attempts(all_failed(format, &requested, failures), tried);
    route.finish(&state, &mut response);
    response
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
    } else if !failures.is_empty() && failures.iter().all(|f| f.status == Some(404)) {
        404 // the model is not available anywhere it was tried (see routing::classify)
    } else if failures.iter().any(|f| f.status == Some(400)) {
        400 // a context-length error and no larger window to move to
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
    time_cap: Option<Duration>,
    recording: &mut Recording,
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
        recording.finish(e.http_status(), Some(e.to_string()));
        AttemptError::Final(
            V1Error::new(format, e.http_status(), &e.to_string()).into_response_for(),
        )
    })?;
    if let Some(event) = recording.event_mut() {
        event.model = Some(translated.model.clone());
        event.streamed = translated.stream;
    }
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
    trace_step(ingress, |t| {
        t.attempts.push(super::trace::TraceAttempt {
            provider: candidate.target.id().to_string(),
            upstream_format: upstream_format.as_str().to_string(),
            url: super::trace::url_without_query(&upstream.url),
            translated_request: super::trace::clip(&translated.body),
            ..Default::default()
        })
    });
    state
        .monitor()
        .record(crate::translation_monitor::Translation {
            source: format.as_str(),
            target: upstream_format.as_str(),
            requested_model: requested,
            model: &translated.model,
            provider: candidate.target.id(),
            before: &ingress.body,
            after: &translated.body,
        });

    let mut request = state
        .http_for(candidate.target.id())
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
    let mut timeouts = super::flow::Timeouts::of(state);
    if let Some(cap) = time_cap {
        timeouts.headers = timeouts.headers.min(cap);
        timeouts.first_output = timeouts.first_output.min(cap);
    }
    let response = match timeout(timeouts.headers, request.body(translated.body).send()).await {
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
                what: format!(
                    "{who}: no response within {} s",
                    timeouts.headers.as_secs_f64()
                ),
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
        trace_step(ingress, |t| {
            if let Some(a) = t.attempts.last_mut() {
                a.status = Some(status);
                a.upstream_response = super::trace::clip(&body);
            }
        });
        // Context-length errors and models unavailable on this connection move on too
        // (routing::classify); other client errors are returned as they are.
        if is_retryable(status)
            || crate::routing::classify::classify(status, &message)
                != crate::routing::classify::ErrorClass::Other
        {
            return Err(AttemptError::Retry(Failure {
                what: format!("{who}: {status} {message}"),
                status: Some(status),
                retry_after,
            }));
        }
        recording.capture_response(&body);
        recording.finish(status, Some(format!("{who}: {status} {message}")));
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
        timeouts,
    };
    if translated.stream {
        let translator = StreamTranslator::new(upstream_format, format, requested)
            .with_include_usage(translated.client_include_usage)
            .with_signature_store(signatures.clone());
        stream_response(response, translator, meta, &who, started, recording).await
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
        trace_step(ingress, |t| {
            if let Some(a) = t.attempts.last_mut() {
                a.status = Some(status);
                a.upstream_response = super::trace::clip(&body);
            }
        });
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
        recording.usage = out.usage;
        recording.capture_response(&out.body);
        recording.finish(200, None);
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

/// Records a step in the request's trace, when it has one (the dashboard's Chat Tester).
fn trace_step(ingress: &Ingress, step: impl FnOnce(&mut super::trace::Trace)) {
    if let Some(trace) = &ingress.trace {
        if let Ok(mut t) = trace.lock() {
            step(&mut t);
        }
    }
}

struct Meta {
    provider: String,
    model: String,
    attempt: usize,
    timeouts: super::flow::Timeouts,
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
    /// Records the usage row when the stream ends or, when the client goes away and axum
    /// drops the body, on drop (499, with the usage seen so far).
    record: Recording,
}

async fn stream_response(
    response: reqwest::Response,
    mut translator: StreamTranslator,
    meta: Meta,
    who: &str,
    started: Instant,
    recording: &mut Recording,
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
        match timeout(meta.timeouts.first_output, upstream.next()).await {
            Err(_) => {
                return Err(retry(format!(
                    "no output within {} s",
                    meta.timeouts.first_output.as_secs_f64()
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
    // The event moves into the body: from now on the stream records it.
    let mut record = recording.moved();
    if let Some(event) = record.event_mut() {
        event.ttft_ms = Some(started.elapsed().as_millis() as u64);
    }
    record.usage = translator.usage();
    record.capture_response(&head);
    let live = Live {
        upstream,
        translator,
        head: Some(Bytes::from(head)),
        done,
        silent: Duration::ZERO,
        meta,
        started,
        record,
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
        end_stream(&mut s, 200, None);
        return None;
    }
    loop {
        let idle = s.meta.timeouts.idle;
        let nap = HEARTBEAT
            .min(idle.saturating_sub(s.silent))
            .max(Duration::from_millis(1));
        match timeout(nap, s.upstream.next()).await {
            Err(_) => {
                s.silent += nap;
                if s.silent >= idle {
                    s.done = true;
                    let out = s.translator.error_event(&format!(
                        "the upstream sent nothing for {} s",
                        idle.as_secs()
                    ));
                    let why = format!(
                        "idle timeout: the upstream sent nothing for {} s",
                        idle.as_secs()
                    );
                    end_stream(&mut s, 504, Some(why));
                    return Some((Ok(out), s));
                }
                return Some((Ok(Bytes::from_static(b": keepalive\n\n")), s));
            }
            Ok(Some(Ok(chunk))) => {
                s.silent = Duration::ZERO;
                let pushed = s.translator.push(&chunk);
                s.record.usage = s.translator.usage();
                match pushed {
                    Ok(out) if out.is_empty() => continue,
                    Ok(out) => {
                        s.record.capture_response(&out);
                        return Some((Ok(out), s));
                    }
                    Err(e) => {
                        s.done = true;
                        let mut out = e.pending.to_vec();
                        out.extend_from_slice(&s.translator.error_event(&format!(
                            "the upstream stream was unusable: {}",
                            e.error
                        )));
                        let why = format!("the upstream stream was unusable: {}", e.error);
                        end_stream(&mut s, 502, Some(why));
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
                let why = format!("the upstream connection broke: {}", without_url(&e));
                end_stream(&mut s, 502, Some(why));
                return Some((Ok(out), s));
            }
            Ok(None) => {
                s.done = true;
                let out = match s.translator.finish() {
                    Ok(out) => {
                        end_stream(&mut s, 200, None);
                        out
                    }
                    Err(e) => {
                        let mut out = e.pending.to_vec();
                        out.extend_from_slice(&s.translator.error_event(&e.error.to_string()));
                        end_stream(
                            &mut s,
                            502,
                            Some(format!("the upstream stream ended early: {}", e.error)),
                        );
                        Bytes::from(out)
                    }
                };
                if out.is_empty() {
                    return None;
                }
                return Some((Ok(out), s));
            }
        }
    }
}

/// Records the stream's usage row (once: later calls do nothing).
fn end_stream(s: &mut Live, status: u16, error: Option<String>) {
    s.record.usage = s.translator.usage();
    let usage = s.record.usage;
    tracing::debug!(
        provider = %s.meta.provider, model = %s.meta.model, ms = s.started.elapsed().as_millis() as u64,
        input = usage.input, output = usage.output, cache_read = usage.cache_read,
        cache_write = usage.cache_write, reasoning = usage.reasoning, status,
        "stream ended"
    );
    s.record.finish(status, error);
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
