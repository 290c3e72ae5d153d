//! Usage recording, pricing and budgets.
//!
//! # Recording
//!
//! The request path builds a [`UsageEvent`] per attempt (every failed attempt of a request is
//! an event with its own status and error; the successful one carries the token counts) and
//! hands it to [`UsageRecorder::record`], a non-blocking `try_send` on a bounded channel
//! ([`CHANNEL_CAPACITY`]). When the channel is full the event is dropped, counted, and a
//! warning is logged at most every 10 s: the proxy never waits on the database.
//!
//! One writer task ([`writer`]) takes events from the channel and writes them in batches
//! (every [`FLUSH_INTERVAL`], or as soon as [`BATCH_MAX`] rows are waiting), one transaction
//! per batch. It computes each row's cost from the in-memory price book at write time, then
//! adds the cost to the in-memory spend of the row's API key (see [`budget`]).
//!
//! On shutdown, `run()` calls [`UsageRecorder::shutdown`] after axum's graceful shutdown has
//! returned (every response body, streams included, has ended or been dropped, so every event
//! is in the channel): the writer closes the channel, drains what is buffered, writes it and
//! ends, and `shutdown` awaits it.
//!
//! Request and response bodies are stored only when Settings → logging turns it on (off by
//! default): see [`bodies`].
//!
//! # Cost
//!
//! `cost = (input × in + cache_read × cache_read_price + cache_write × cache_write_price +
//! output × out) / 1e6`, with the token kinds of `gateway::Usage`: `input` excludes cache
//! reads and writes, and reasoning tokens are inside `output` (billed at the output price, as
//! every provider bills them), so they are not added again. A kind with tokens needs its
//! price: when it is missing (or the model has no pricing row) the cost is NULL, "unknown",
//! never 0. A failed attempt without tokens costs 0; a successful one whose upstream reported
//! no usage costs NULL (unknown).

pub mod bodies;
pub mod budget;
pub mod media;
pub mod retention;
pub mod writer;

use budget::Budgets;
use gateway::Usage;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Events waiting for the writer; beyond this they are dropped (and counted).
pub const CHANNEL_CAPACITY: usize = 10_000;
/// A batch is written at most this long after its first event arrived...
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// ...or as soon as this many events are waiting.
pub const BATCH_MAX: usize = 1000;

/// One attempt to serve a client request.
#[derive(Debug, Clone)]
pub struct UsageEvent {
    /// Shared by every attempt of one client request.
    pub request_id: String,
    /// Unix milliseconds when the request arrived.
    pub ts_ms: i64,
    /// None for anonymous callers (loopback without a key).
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub requested_model: String,
    pub provider: Option<String>,
    /// The model id sent upstream.
    pub model: Option<String>,
    pub connection_id: Option<String>,
    /// The combo the request went through (not yet used).
    pub combo: Option<String>,
    /// `chat`, `messages`, `responses`, `gemini`, `completions`, `embeddings`, `images`,
    /// `speech`, `transcriptions`.
    pub endpoint: &'static str,
    pub client_format: &'static str,
    pub upstream_format: Option<&'static str>,
    pub usage: Usage,
    pub latency_ms: u64,
    /// Streams: from the start of the attempt to the first output.
    pub ttft_ms: Option<u64>,
    pub status: u16,
    pub success: bool,
    pub error: Option<String>,
    pub attempt: u32,
    pub streamed: bool,
    /// Answered from the response cache: no upstream call, no cost.
    pub cached: bool,
    /// The request and response bodies, when recording them is on.
    pub bodies: Option<Box<bodies::Bodies>>,
}

impl UsageEvent {
    /// An event for a request of `endpoint`, before any attempt.
    pub fn new(
        request_id: String,
        endpoint: &'static str,
        client_format: &'static str,
        requested_model: &str,
        key: Option<&crate::auth::api_keys::KeyInfo>,
    ) -> Self {
        Self {
            request_id,
            ts_ms: now_ms(),
            key_id: key.map(|k| k.id.clone()),
            key_name: key.map(|k| k.name.clone()),
            requested_model: requested_model.to_string(),
            provider: None,
            model: None,
            connection_id: None,
            combo: None,
            endpoint,
            client_format,
            upstream_format: None,
            usage: Usage::default(),
            latency_ms: 0,
            ttft_ms: None,
            status: 0,
            success: false,
            error: None,
            attempt: 0,
            streamed: false,
            cached: false,
            bodies: None,
        }
    }

    /// A copy for one attempt against `provider` / `model` (through `connection`).
    pub fn for_attempt(
        &self,
        attempt: u32,
        provider: &str,
        model: &str,
        connection_id: Option<&str>,
        upstream_format: Option<&'static str>,
    ) -> Self {
        let mut e = self.clone();
        e.attempt = attempt;
        e.provider = Some(provider.to_string());
        e.model = Some(model.to_string());
        e.connection_id = connection_id.map(str::to_string);
        e.upstream_format = upstream_format;
        e
    }

    /// Marks the event failed with `status` and `error`.
    pub fn failed(mut self, status: u16, error: impl Into<String>, started: Instant) -> Self {
        self.status = status;
        self.success = false;
        self.error = Some(error.into());
        self.latency_ms = started.elapsed().as_millis() as u64;
        self
    }
}

/// One attempt being served: records its event exactly once, when [`Recording::finish`] is
/// called or, if it never is (the client went away and axum dropped the handler or the
/// response body), when it is dropped, as 499 with the usage seen so far.
pub struct Recording {
    recorder: UsageRecorder,
    event: Option<UsageEvent>,
    started: Instant,
    /// The usage seen so far (streams update it as they go).
    pub usage: Usage,
    /// The bodies, when recording them is on.
    capture: Option<bodies::Capture>,
}

impl Recording {
    pub fn new(recorder: &UsageRecorder, event: UsageEvent, started: Instant) -> Self {
        Self {
            recorder: recorder.clone(),
            event: Some(event),
            started,
            usage: Usage::default(),
            capture: bodies::Capture::when_enabled(&recorder.logging().get()),
        }
    }

    /// Keeps the client's request body for the log (when recording bodies is on).
    pub fn capture_request(&mut self, body: &[u8]) {
        if let Some(c) = self.capture.as_mut() {
            c.request(body);
        }
    }

    /// Appends to the response body kept for the log (when recording bodies is on).
    pub fn capture_response(&mut self, body: &[u8]) {
        if let Some(c) = self.capture.as_mut() {
            c.response(body);
        }
    }

    pub fn event_mut(&mut self) -> Option<&mut UsageEvent> {
        self.event.as_mut()
    }

    /// Takes the event out without recording it.
    pub fn take(&mut self) -> Option<UsageEvent> {
        self.event.take()
    }

    /// A `Recording` that takes over this one's event (this one then records nothing).
    pub fn moved(&mut self) -> Recording {
        Recording {
            recorder: self.recorder.clone(),
            event: self.event.take(),
            started: self.started,
            usage: self.usage,
            capture: self.capture.take(),
        }
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    /// Records the event (once): `error` None means success.
    pub fn finish(&mut self, status: u16, error: Option<String>) {
        if let Some(mut e) = self.event.take() {
            e.usage = self.usage;
            e.latency_ms = self.started.elapsed().as_millis() as u64;
            e.status = status;
            e.success = error.is_none();
            e.error = error;
            if let Some(c) = self.capture.take() {
                e.bodies = Some(Box::new(c.bodies));
            }
            self.recorder.record(e);
        }
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if self.event.is_some() {
            self.finish(
                499,
                Some("client closed the connection before the response ended".to_string()),
            );
        }
    }
}

/// Unix seconds as RFC 3339 UTC (`2026-11-24T10:00:00Z`).
pub fn iso(secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => secs.to_string(),
    }
}

/// Unix milliseconds as RFC 3339 UTC with milliseconds (`2026-11-24T10:00:00.123Z`).
pub fn iso_ms(ms: i64) -> String {
    let base = iso(ms.div_euclid(1000));
    match base.strip_suffix('Z') {
        Some(head) => format!("{head}.{:03}Z", ms.rem_euclid(1000)),
        None => base,
    }
}

/// A new request id (16 hex characters).
pub fn new_request_id() -> String {
    crate::config::random_hex(8)
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Prices of one model, USD per 1M tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Price {
    pub input: Option<f64>,
    pub output: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
}

/// The cost of `usage` at `price` (see the module docs), or None when unknown.
pub fn cost(usage: &Usage, price: Option<&Price>, success: bool) -> Option<f64> {
    if usage.is_empty() {
        return if success { None } else { Some(0.0) };
    }
    let price = price?;
    let mut total = 0.0;
    for (tokens, per_million) in [
        (usage.input, price.input),
        (usage.cache_read, price.cache_read),
        (usage.cache_write, price.cache_write),
        (usage.output, price.output),
    ] {
        if tokens > 0 {
            total += tokens as f64 * per_million? / 1e6;
        }
    }
    Some(total)
}

/// Every price by provider and model, swapped whole after a change.
#[derive(Default)]
pub struct PriceBook(RwLock<Arc<HashMap<String, HashMap<String, Price>>>>);

impl PriceBook {
    pub fn set(&self, book: HashMap<String, HashMap<String, Price>>) {
        let mut guard = self.0.write().unwrap_or_else(|p| p.into_inner());
        *guard = Arc::new(book);
    }

    pub fn get(&self) -> Arc<HashMap<String, HashMap<String, Price>>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

struct Inner {
    tx: mpsc::Sender<UsageEvent>,
    rx: Mutex<Option<mpsc::Receiver<UsageEvent>>>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    writer: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    dropped: AtomicU64,
    last_drop_log: Mutex<Option<Instant>>,
    prices: PriceBook,
    budgets: Budgets,
    logging: bodies::LoggingCell,
}

/// The handle the request path records events with (cheap to clone).
#[derive(Clone)]
pub struct UsageRecorder(Arc<Inner>);

impl Default for UsageRecorder {
    fn default() -> Self {
        Self::new()
    }
}

impl UsageRecorder {
    pub fn new() -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        Self(Arc::new(Inner {
            tx,
            rx: Mutex::new(Some(rx)),
            stop: Mutex::new(None),
            writer: tokio::sync::Mutex::new(None),
            dropped: AtomicU64::new(0),
            last_drop_log: Mutex::new(None),
            prices: PriceBook::default(),
            budgets: Budgets::default(),
            logging: bodies::LoggingCell::default(),
        }))
    }

    /// Queues an event for the writer; never waits. A full (or closed) channel drops it.
    pub fn record(&self, event: UsageEvent) {
        tracing::debug!(
            request = %event.request_id, attempt = event.attempt, endpoint = event.endpoint,
            provider = event.provider.as_deref().unwrap_or("-"), model = event.model.as_deref().unwrap_or("-"),
            status = event.status, ms = event.latency_ms,
            input = event.usage.input, output = event.usage.output, cache_read = event.usage.cache_read,
            cache_write = event.usage.cache_write, reasoning = event.usage.reasoning,
            "usage event"
        );
        if self.0.tx.try_send(event).is_err() {
            let total = self.0.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            let mut last = self
                .0
                .last_drop_log
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if last.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                *last = Some(Instant::now());
                tracing::warn!(
                    "usage recording is behind: the queue of {CHANNEL_CAPACITY} rows is full or closed; {total} row(s) dropped so far"
                );
            }
        }
    }

    /// Events dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.0.dropped.load(Ordering::Relaxed)
    }

    pub fn prices(&self) -> &PriceBook {
        &self.0.prices
    }

    pub fn budgets(&self) -> &Budgets {
        &self.0.budgets
    }

    /// Body recording and retention (Settings → logging).
    pub fn logging(&self) -> &bodies::LoggingCell {
        &self.0.logging
    }

    /// Seeds the pricing table, loads prices, budgets and the spend of the current periods.
    pub async fn load(&self, db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
        use anyhow::Context;
        crate::store::pricing::seed(db)
            .await
            .context("seeding the pricing table")?;
        self.reload_prices(db)
            .await
            .context("loading the pricing table")?;
        self.0
            .budgets
            .load(db, now_ms())
            .await
            .context("loading budgets and spend")?;
        self.0
            .logging
            .load(db)
            .await
            .context("loading the logging settings")?;
        Ok(())
    }

    pub async fn reload_prices(
        &self,
        db: &sea_orm::DatabaseConnection,
    ) -> Result<(), sea_orm::DbErr> {
        let book = crate::store::pricing::load_book(db).await?;
        self.0.prices.set(book);
        Ok(())
    }

    /// Starts the writer task (once).
    pub fn start_writer(&self, db: sea_orm::DatabaseConnection) {
        let Some(rx) = self.0.rx.lock().unwrap_or_else(|p| p.into_inner()).take() else {
            return;
        };
        let (stop_tx, stop_rx) = oneshot::channel();
        *self.0.stop.lock().unwrap_or_else(|p| p.into_inner()) = Some(stop_tx);
        let handle = tokio::spawn(writer::run(db, rx, stop_rx, self.clone()));
        if let Ok(mut slot) = self.0.writer.try_lock() {
            *slot = Some(handle);
        }
    }

    /// Stops accepting events, writes every queued one and waits for the writer to end.
    pub async fn shutdown(&self) {
        if let Some(stop) = self.0.stop.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = stop.send(());
        }
        let handle = self.0.writer.lock().await.take();
        if let Some(handle) = handle {
            if let Err(e) = handle.await {
                tracing::error!("the usage writer failed: {e}");
            }
        }
        let dropped = self.dropped();
        if dropped > 0 {
            tracing::warn!("{dropped} usage row(s) were dropped because the queue was full");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, output: u64, cache_read: u64, cache_write: u64, reasoning: u64) -> Usage {
        Usage {
            input,
            output,
            cache_read,
            cache_write,
            reasoning,
        }
    }

    #[test]
    fn cost_counts_every_kind_once_and_unknown_is_none() {
        let p = Price {
            input: Some(3.0),
            output: Some(15.0),
            cache_read: Some(0.3),
            cache_write: Some(3.75),
        };
        // reasoning (500) is inside output (2000): not billed twice
        let c = cost(&usage(1000, 2000, 10_000, 4000, 500), Some(&p), true).unwrap();
        assert!((c - 0.051).abs() < 1e-12, "{c}");
        assert_eq!(cost(&usage(1, 1, 0, 0, 0), None, true), None);
        let no_cache_write = Price {
            cache_write: None,
            ..p
        };
        assert_eq!(
            cost(&usage(1, 1, 0, 5, 0), Some(&no_cache_write), true),
            None
        );
        assert!(cost(&usage(1, 1, 0, 0, 0), Some(&no_cache_write), true).is_some());
        assert_eq!(cost(&Usage::default(), Some(&p), false), Some(0.0));
        assert_eq!(cost(&Usage::default(), Some(&p), true), None);
    }

    #[tokio::test]
    async fn a_full_queue_drops_and_counts_without_blocking() {
        let recorder = UsageRecorder::new();
        let event = UsageEvent::new("r".into(), "chat", "openai_chat", "m", None);
        for _ in 0..CHANNEL_CAPACITY + 5 {
            recorder.record(event.clone());
        }
        assert_eq!(recorder.dropped(), 5);
    }
}
