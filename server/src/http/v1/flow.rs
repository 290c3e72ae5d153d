//! What wraps the routing of a /v1 request (`proxy::handle` → here → `proxy::route`):
//!
//! - the exact response cache (`traffic::cache`): a hit answers at once with
//!   `X-OmniRoute-Cache: HIT` and records a usage row marked cached (no upstream cost);
//! - idempotency (`traffic::idempotency`): `Idempotency-Key` / `X-Request-Id` repeats within 5 s
//!   get the first answer (`X-OmniRoute-Idempotent-Replay: true`);
//! - opt-in progress events (`X-OmniRoute-Progress: true` on a stream): SSE comments
//!   (`: omniroute progress {...}`) announce routing, attempts and fallbacks before the first
//!   token; every SSE parser ignores comments, so standard SDKs read the stream as usual;
//! - the meta headers of every answer (`X-OmniRoute-Latency-Ms`, `-Cache`, `-Attempts`);
//! - latency telemetry (`traffic::telemetry`) of successful answers;
//! - the hooks the attempt loop calls: [`before_attempt`] (pacing, progress) and
//!   [`attempt_failed`].

use super::proxy::Ingress;
use crate::state::AppState;
use crate::traffic::cache::{self, CacheKey, CachedResponse};
use crate::traffic::idempotency::{self, Begin, Claim, Stored};
use crate::traffic::pacing::Permit;
use crate::usage::{self, UsageEvent};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use gateway::{Format, StreamTranslator};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub const H_PROVIDER: &str = "x-omniroute-provider";
pub const H_MODEL: &str = "x-omniroute-model";
pub const H_CONNECTION: &str = "x-omniroute-connection";
pub const H_ATTEMPTS: &str = "x-omniroute-attempts";
pub const H_LATENCY: &str = "x-omniroute-latency-ms";
pub const H_CACHE: &str = "x-omniroute-cache";
pub const H_REPLAY: &str = "x-omniroute-idempotent-replay";
pub const H_NO_CACHE: &str = "x-omniroute-no-cache";
pub const H_PROGRESS: &str = "x-omniroute-progress";

/// Non-streaming answers larger than this are not cached.
const MAX_CACHED_BODY: usize = 16 * 1024 * 1024;

fn truthy(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
        .unwrap_or(false)
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), v);
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The idempotency key of a request, scoped by caller and endpoint.
fn idempotency_key(ingress: &Ingress, headers: &HeaderMap) -> Option<String> {
    let value = ["idempotency-key", "x-request-id"]
        .iter()
        .find_map(|n| headers.get(*n))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 256)?;
    let caller = ingress.caller.0.as_ref().map_or("-", |k| k.id.as_str());
    Some(format!("{caller}\n{}\n{value}", ingress.endpoint))
}

/// What the request asks of the cache.
enum CacheUse {
    /// Not cacheable (or bypassed): `X-OmniRoute-Cache: BYPASS`.
    Bypass,
    /// Looked up and missed: store a successful answer under this key.
    Miss(CacheKey),
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_stream_request(ingress: &Ingress, body: Option<&Value>) -> bool {
    ingress.gemini_stream
        || body.and_then(|b| b.get("stream")).and_then(Value::as_bool) == Some(true)
}

pub async fn around(state: AppState, ingress: Ingress, headers: HeaderMap) -> Response {
    let started = Instant::now();
    // The Chat Tester shows real routes: no cache, no replay.
    if ingress.trace.is_some() {
        let mut response = super::proxy::route(state, ingress, headers).await;
        finish_headers(response.headers_mut(), started, "BYPASS");
        return response;
    }
    let traffic = state.traffic();
    // The body is parsed here only when a feature needs it: a possible cache entry (it names
    // a temperature) or progress events (which need to know whether it streams).
    let settings = traffic.cache.settings();
    let may_cache = settings.enabled
        && !ingress.gemini_stream
        && !truthy(&headers, H_NO_CACHE)
        && contains(&ingress.body, b"\"temperature\"");
    let wants_progress = truthy(&headers, H_PROGRESS);
    let parsed: Option<Value> = if may_cache || wants_progress {
        serde_json::from_slice(&ingress.body).ok()
    } else {
        None
    };
    let streaming = is_stream_request(&ingress, parsed.as_ref());

    // the cache
    let mut cache_use = CacheUse::Bypass;
    if may_cache && !streaming {
        if let Some(body) = parsed.as_ref().filter(|b| cache::cacheable(b)) {
            let model = ingress.model_from_path.clone().or_else(|| {
                body.get("model")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            if let Some(model) = model {
                let allowed = ingress
                    .caller
                    .0
                    .as_ref()
                    .is_none_or(|k| k.allows_model(&model));
                if allowed {
                    let key = cache::key(ingress.format.as_str(), ingress.endpoint, &model, body);
                    if let Some(hit) = traffic.cache.get(&key) {
                        return cache_hit(&state, &ingress, &model, &hit, started);
                    }
                    cache_use = CacheUse::Miss(key);
                }
            }
        }
    }

    // idempotency
    let mut claim: Option<Claim> = None;
    if let Some(key) = idempotency_key(&ingress, &headers) {
        let idem = &state.traffic().idempotency;
        let mut begin = idem.begin(key.clone());
        if let Begin::Wait(rx) = begin {
            begin = match idempotency::wait(rx).await {
                Ok(Some(answer)) => Begin::Replay(answer),
                // The first ended without an answer to share: this one runs (and may claim).
                Ok(None) => idem.begin(key),
                Err(()) => {
                    return super::error::V1Error::new(
                        ingress.format,
                        409,
                        &format!(
                            "a request with the same idempotency key is still running after {} s; retry later or use another key",
                            idempotency::MAX_WAIT.as_secs()
                        ),
                    )
                    .into_response_for()
                }
            };
        }
        match begin {
            Begin::Replay(answer) => return replay(&answer, started),
            Begin::First(c) => claim = Some(c),
            Begin::Wait(_) | Begin::Untracked => {}
        }
    }

    let progress = streaming && wants_progress;
    if progress {
        return with_progress(state, ingress, headers, started, claim);
    }

    let mut response = super::proxy::route(state.clone(), ingress, headers).await;
    let cache_label = match cache_use {
        CacheUse::Miss(_) => "MISS",
        CacheUse::Bypass => "BYPASS",
    };
    finish_headers(response.headers_mut(), started, cache_label);
    settle(&state, response, started, cache_use, claim).await
}

/// Latency, cache and attempts headers on an answer (attempts 0 when none was made).
fn finish_headers(headers: &mut HeaderMap, started: Instant, cache: &str) {
    set(
        headers,
        H_LATENCY,
        &started.elapsed().as_millis().to_string(),
    );
    set(headers, H_CACHE, cache);
    if !headers.contains_key(H_ATTEMPTS) {
        set(headers, H_ATTEMPTS, "0");
    }
}

fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"))
}

/// Stores what should be stored (cache, idempotency) and records telemetry, then answers.
async fn settle(
    state: &AppState,
    response: Response,
    started: Instant,
    cache_use: CacheUse,
    claim: Option<Claim>,
) -> Response {
    let ok = response.status().is_success();
    let provider = header_text(response.headers(), H_PROVIDER);
    if !ok {
        return response; // a dropped claim lets repeats try again
    }
    let (mut parts, body) = response.into_parts();
    let permit = parts.extensions.remove::<HeldPermit>();
    if is_event_stream(&parts.headers) {
        let body = tee(
            state.clone(),
            body,
            provider,
            started,
            claim.map(|c| (c, parts.status, parts.headers.clone())),
            permit,
        );
        return Response::from_parts(parts, body);
    }
    if let Some(p) = &provider {
        state.traffic().telemetry.record(p, started.elapsed());
    }
    if matches!(cache_use, CacheUse::Bypass) && claim.is_none() {
        return Response::from_parts(parts, body);
    }
    // A non-streaming answer is already in memory: reading it back costs no wait.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!("reading an answer to keep it failed: {e}");
            return unreadable();
        }
    };
    if let (CacheUse::Miss(key), true) = (cache_use, bytes.len() <= MAX_CACHED_BODY) {
        state.traffic().cache.put(
            key,
            CachedResponse {
                body: bytes.clone(),
                content_type: header_text(&parts.headers, header::CONTENT_TYPE.as_str())
                    .unwrap_or_else(|| "application/json".to_string()),
                provider: provider.clone(),
                model: header_text(&parts.headers, H_MODEL),
                connection: header_text(&parts.headers, H_CONNECTION),
            },
        );
    }
    if let Some(claim) = claim {
        if bytes.len() <= idempotency::MAX_BODY {
            claim.complete(stored(parts.status, &parts.headers, bytes.clone()));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A 502 when a finished answer could not be read back (it is in memory: should not happen).
fn unreadable() -> Response {
    let mut r = Response::new(Body::from("the answer could not be read back"));
    *r.status_mut() = StatusCode::BAD_GATEWAY;
    r
}

fn stored(status: StatusCode, headers: &HeaderMap, body: Bytes) -> Stored {
    Stored {
        status: status.as_u16(),
        headers: headers
            .iter()
            .filter(|(n, _)| {
                *n != header::CONTENT_LENGTH
                    && *n != header::TRANSFER_ENCODING
                    && n.as_str() != H_LATENCY
            })
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        body,
    }
}

fn replay(answer: &Stored, started: Instant) -> Response {
    let mut response = Response::new(Body::from(answer.body.clone()));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    for (n, v) in &answer.headers {
        response.headers_mut().insert(n.clone(), v.clone());
    }
    set(response.headers_mut(), H_REPLAY, "true");
    set(
        response.headers_mut(),
        H_LATENCY,
        &started.elapsed().as_millis().to_string(),
    );
    response
}

/// Forwards a stream and, when it ends, records its latency and hands it to the idempotency
/// claim (when it fits).
fn tee(
    state: AppState,
    body: Body,
    provider: Option<String>,
    started: Instant,
    claim: Option<(Claim, StatusCode, HeaderMap)>,
    permit: Option<HeldPermit>,
) -> Body {
    struct Tee {
        _permit: Option<HeldPermit>,
        inner: axum::body::BodyDataStream,
        state: AppState,
        provider: Option<String>,
        started: Instant,
        claim: Option<(Claim, StatusCode, HeaderMap)>,
        kept: Vec<u8>,
    }
    let t = Tee {
        _permit: permit,
        inner: body.into_data_stream(),
        state,
        provider,
        started,
        claim,
        kept: Vec::new(),
    };
    let stream = futures_util::stream::unfold(t, |mut t| async move {
        match t.inner.next().await {
            Some(Ok(chunk)) => {
                if t.claim.is_some() {
                    if t.kept.len() + chunk.len() <= idempotency::MAX_BODY {
                        t.kept.extend_from_slice(&chunk);
                    } else {
                        t.claim = None; // too large to keep: repeats go upstream
                    }
                }
                Some((Ok::<Bytes, axum::Error>(chunk), t))
            }
            Some(Err(e)) => Some((Err(e), t)),
            None => {
                if let Some(p) = &t.provider {
                    t.state.traffic().telemetry.record(p, t.started.elapsed());
                }
                if let Some((claim, status, headers)) = t.claim.take() {
                    claim.complete(stored(
                        status,
                        &headers,
                        Bytes::from(std::mem::take(&mut t.kept)),
                    ));
                }
                None
            }
        }
    });
    Body::from_stream(stream)
}

fn cache_hit(
    state: &AppState,
    ingress: &Ingress,
    model: &str,
    hit: &CachedResponse,
    started: Instant,
) -> Response {
    let mut event = UsageEvent::new(
        usage::new_request_id(),
        ingress.endpoint,
        ingress.format.as_str(),
        model,
        ingress.caller.0.as_ref(),
    );
    event.provider = hit.provider.clone();
    event.model = hit.model.clone();
    event.connection_id = hit.connection.clone();
    event.status = 200;
    event.success = true;
    event.cached = true;
    event.latency_ms = started.elapsed().as_millis() as u64;
    state.usage().record(event);

    let mut response = Response::new(Body::from(hit.body.clone()));
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&hit.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    for (name, value) in [
        (H_PROVIDER, &hit.provider),
        (H_MODEL, &hit.model),
        (H_CONNECTION, &hit.connection),
    ] {
        if let Some(v) = value {
            set(h, name, v);
        }
    }
    finish_headers(h, started, "HIT");
    response
}

/// The upstream timeouts of one attempt (Settings → Resilience).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Until the upstream's response headers arrive.
    pub headers: Duration,
    /// Until a stream produces its first output (failover is still possible until then).
    pub first_output: Duration,
    /// A stream silent this long is ended with an in-band error.
    pub idle: Duration,
}

impl Timeouts {
    pub fn of(state: &AppState) -> Timeouts {
        let s = state.resilience().settings();
        Timeouts {
            headers: Duration::from_secs(s.headers_timeout_secs.max(1)),
            first_output: Duration::from_secs(s.first_output_timeout_secs.max(1)),
            idle: Duration::from_secs(s.idle_timeout_secs.max(1)),
        }
    }
}

// ---- progress events ----

tokio::task_local! {
    static PROGRESS: mpsc::UnboundedSender<Bytes>;
}

/// Sends a progress event when the running request asked for them.
fn progress(event: Value) {
    let _ = PROGRESS.try_with(|tx| {
        let line = format!(": omniroute progress {event}\n\n");
        let _ = tx.send(Bytes::from(line));
    });
}

/// The attempt loop's hook before attempt `n` of `total`: waits for the account's pacing
/// (bounded) and announces the attempt. `Err` when the account stays busy: move on.
pub async fn before_attempt(
    state: &AppState,
    n: usize,
    total: usize,
    provider: &str,
    model: &str,
    connection: Option<(&str, &str)>,
) -> Result<Option<Permit>, crate::traffic::pacing::Busy> {
    let permit = match connection {
        Some((id, name)) => {
            let limits = state.resilience().settings().pace_limits();
            state
                .traffic()
                .pacing
                .acquire(id, limits)
                .await
                .map_err(|mut busy| {
                    busy.why = format!("{provider} connection {name:?} is busy: {}", busy.why);
                    busy
                })?
        }
        None => None,
    };
    progress(json!({
        "event": "attempt",
        "attempt": n,
        "of": total,
        "provider": provider,
        "model": model,
        "connection": connection.map(|(id, _)| id),
    }));
    Ok(permit)
}

/// The attempt loop's hook after a failed attempt that moves on.
pub fn attempt_failed(n: usize, what: &str) {
    progress(json!({ "event": "fallback", "attempt": n, "error": what }));
}

/// Marks an answer with who served it (attempts, provider, model, connection) where the
/// attempt did not already, and keeps the account's pacing permit until the answer ends.
pub fn answered_by(
    response: &mut Response,
    attempts: usize,
    provider: &str,
    model: &str,
    connection: Option<&str>,
    permit: Option<Permit>,
) {
    let headers = response.headers_mut();
    if !headers.contains_key(H_PROVIDER) {
        set(headers, H_PROVIDER, provider);
    }
    if !headers.contains_key(H_MODEL) {
        set(headers, H_MODEL, model);
    }
    if !headers.contains_key(H_ATTEMPTS) {
        set(headers, H_ATTEMPTS, &attempts.to_string());
    }
    if let Some(id) = connection {
        set(headers, H_CONNECTION, id);
    }
    if let Some(p) = permit {
        response
            .extensions_mut()
            .insert(HeldPermit(std::sync::Arc::new(p)));
    }
}

/// A pacing permit riding on a response until its body ends (see [`tee`]).
#[derive(Clone)]
struct HeldPermit(#[allow(dead_code)] std::sync::Arc<Permit>);

/// The number of attempts on an answer that has none yet (every target failed).
pub fn with_attempts(mut response: Response, attempts: usize) -> Response {
    if !response.headers().contains_key(H_ATTEMPTS) {
        set(response.headers_mut(), H_ATTEMPTS, &attempts.to_string());
    }
    response
}

/// A streaming request with progress events: the answer starts at once as an event stream;
/// progress comments flow while the request is routed; then the routed stream follows, or an
/// in-band error in the client's dialect when nothing could serve it.
fn with_progress(
    state: AppState,
    ingress: Ingress,
    headers: HeaderMap,
    started: Instant,
    claim: Option<Claim>,
) -> Response {
    let format = ingress.format;
    let requested = ingress
        .model_from_path
        .clone()
        .or_else(|| {
            serde_json::from_slice::<Value>(&ingress.body)
                .ok()
                .and_then(|b| b.get("model").and_then(Value::as_str).map(str::to_string))
        })
        .unwrap_or_default();
    let (tx, rx) = mpsc::unbounded_channel::<Bytes>();
    let routed_state = state.clone();
    let task = tokio::spawn(PROGRESS.scope(tx.clone(), async move {
        let response = super::proxy::route(routed_state, ingress, headers).await;
        let elapsed = started.elapsed();
        (response, elapsed)
    }));
    let _ = tx.send(Bytes::from(format!(
        ": omniroute progress {}\n\n",
        json!({ "event": "accepted", "model": requested })
    )));
    drop(tx);

    enum Phase {
        Routing {
            rx: mpsc::UnboundedReceiver<Bytes>,
            task: AbortOnDrop,
        },
        Body(axum::body::BodyDataStream),
        Done,
    }
    struct AbortOnDrop(Option<tokio::task::JoinHandle<(Response, Duration)>>);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            if let Some(t) = &self.0 {
                t.abort();
            }
        }
    }
    struct P {
        phase: Phase,
        state: AppState,
        format: Format,
        requested: String,
        claim: Option<Claim>,
        started: Instant,
    }
    let p = P {
        phase: Phase::Routing {
            rx,
            task: AbortOnDrop(Some(task)),
        },
        state,
        format,
        requested,
        claim,
        started,
    };
    let stream = futures_util::stream::unfold(p, |mut p| async move {
        match &mut p.phase {
            Phase::Done => None,
            Phase::Body(body) => match body.next().await {
                Some(Ok(chunk)) => Some((Ok::<Bytes, axum::Error>(chunk), p)),
                Some(Err(e)) => Some((Err(e), p)),
                None => None,
            },
            Phase::Routing { rx, task } => {
                // Progress lines first; when the sender is gone the route has ended.
                if let Some(line) = rx.recv().await {
                    return Some((Ok(line), p));
                }
                let joined = match task.0.take() {
                    Some(handle) => handle.await,
                    None => return None,
                };
                let (response, elapsed) = match joined {
                    Ok(r) => r,
                    Err(e) => {
                        p.phase = Phase::Done;
                        let mut t = StreamTranslator::new(p.format, p.format, &p.requested);
                        return Some((Ok(t.error_event(&format!("the request failed: {e}"))), p));
                    }
                };
                let status = response.status();
                let h = response.headers();
                let routed = json!({
                    "event": if status.is_success() { "routed" } else { "failed" },
                    "status": status.as_u16(),
                    "provider": header_text(h, H_PROVIDER),
                    "model": header_text(h, H_MODEL),
                    "connection": header_text(h, H_CONNECTION),
                    "attempts": header_text(h, H_ATTEMPTS).and_then(|a| a.parse::<u32>().ok()),
                    "latencyMs": elapsed.as_millis() as u64,
                });
                let line = Bytes::from(format!(": omniroute progress {routed}\n\n"));
                if status.is_success() && is_event_stream(h) {
                    let provider = header_text(h, H_PROVIDER);
                    let (mut parts, body) = response.into_parts();
                    let permit = parts.extensions.remove::<HeldPermit>();
                    let body = tee(
                        p.state.clone(),
                        body,
                        provider,
                        p.started,
                        p.claim
                            .take()
                            .map(|c| (c, parts.status, parts.headers.clone())),
                        permit,
                    );
                    p.phase = Phase::Body(body.into_data_stream());
                    return Some((Ok(line), p));
                }
                // An error answer (JSON in the client's dialect) becomes an in-band error.
                let body = axum::body::to_bytes(response.into_body(), 1024 * 1024)
                    .await
                    .unwrap_or_default();
                let message = gateway::upstream_error_message(&body);
                let mut t = StreamTranslator::new(p.format, p.format, &p.requested);
                let mut out = line.to_vec();
                out.extend_from_slice(&t.error_event(&format!("{} {message}", status.as_u16())));
                p.phase = Phase::Done;
                Some((Ok(Bytes::from(out)), p))
            }
        }
    });
    let mut response = Response::new(Body::from_stream(stream));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    set(h, H_PROGRESS, "true");
    set(h, H_CACHE, "BYPASS");
    set(h, H_LATENCY, &started.elapsed().as_millis().to_string());
    response
}
