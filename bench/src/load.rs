//! The load generator: closed-loop request runs (N workers, a fixed number of requests),
//! streaming runs that time the first token and the whole stream, and a pile of streams held
//! open. The same client and the same code time the direct and the gateway path.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Client;
use serde_json::Value;
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;

/// One request to time: where it goes, its headers and body, and how to read its stream.
pub struct Endpoint {
    pub url: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub dialect: Dialect,
}

/// The client's wire format, for spotting the first token in a stream.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    OpenAiChat,
    Anthropic,
}

impl Endpoint {
    pub fn new(url: String, body: &Value, dialect: Dialect) -> Result<Self> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if dialect == Dialect::Anthropic {
            headers.insert(
                HeaderName::from_static("anthropic-version"),
                HeaderValue::from_static("2023-06-01"),
            );
        }
        Ok(Self {
            url,
            headers,
            body: Bytes::from(serde_json::to_vec(body)?),
            dialect,
        })
    }
}

/// A pooled HTTP/1.1 client with TCP_NODELAY: the cheapest reqwest gets on loopback.
pub fn client() -> Result<Client> {
    Ok(Client::builder()
        .http1_only()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1024)
        .connect_timeout(Duration::from_secs(10))
        .build()?)
}

/// Per-request limit in timed runs: a hung request ends the run instead of hanging it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The outcome of a closed-loop run.
#[derive(Default)]
pub struct Run {
    pub latencies: Vec<Duration>,
    pub wall: Duration,
    pub errors: usize,
    pub first_error: Option<String>,
}

impl Run {
    pub fn rps(&self) -> f64 {
        let secs = self.wall.as_secs_f64();
        if secs > 0.0 {
            self.latencies.len() as f64 / secs
        } else {
            0.0
        }
    }

    /// Folds another run of the same kind into this one (rounds are pooled).
    pub fn absorb(&mut self, other: Run) {
        self.latencies.extend(other.latencies);
        self.wall += other.wall;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

async fn one(client: &Client, ep: &Endpoint) -> Result<Bytes> {
    let response = client
        .post(&ep.url)
        .headers(ep.headers.clone())
        .body(ep.body.clone())
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await?;
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        bail!("HTTP {status}: {}", excerpt(&body));
    }
    Ok(body)
}

/// The start of a body, for error messages.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.into_owned(),
    }
}

/// One request whose answer must be a success; returns the body (for sanity checks).
pub async fn check(client: &Client, ep: &Endpoint) -> Result<Bytes> {
    one(client, ep)
        .await
        .with_context(|| format!("POST {}", ep.url))
}

/// `requests` requests from `concurrency` workers, each sending its next request as soon as
/// the previous one is answered. Stops early at `deadline`.
pub async fn closed_loop(
    client: &Client,
    ep: &Arc<Endpoint>,
    concurrency: usize,
    requests: usize,
    deadline: Instant,
) -> Result<Run> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let (client, ep, next) = (client.clone(), ep.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut run = Run::default();
            while next.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let t = Instant::now();
                match one(&client, &ep).await {
                    Ok(_) => run.latencies.push(t.elapsed()),
                    Err(e) => {
                        run.errors += 1;
                        run.first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            run
        }));
    }
    let mut total = Run::default();
    for w in workers {
        total.absorb(w.await?);
    }
    total.wall = started.elapsed();
    Ok(total)
}

/// Timings of one streaming request.
#[derive(Clone, Copy)]
pub struct StreamSample {
    /// From sending the request to the arrival of the first event with answer text.
    pub first_token: Duration,
    /// From sending the request to the end of the body.
    pub total: Duration,
    /// `data:` events received (the OpenAI `[DONE]` included).
    pub events: usize,
}

/// Splits SSE bytes into events and finds the first one that carries answer text.
struct SseReader {
    buf: Vec<u8>,
    events: usize,
    dialect: Dialect,
    saw_token: bool,
}

impl SseReader {
    fn new(dialect: Dialect) -> Self {
        Self {
            buf: Vec::new(),
            events: 0,
            dialect,
            saw_token: false,
        }
    }

    /// Feeds a chunk; true if the first token arrived in it.
    fn push(&mut self, chunk: &[u8]) -> bool {
        self.buf.extend_from_slice(chunk);
        let mut first_now = false;
        while let Some(end) = find(&self.buf, b"\n\n") {
            let event: Vec<u8> = self.buf.drain(..end + 2).collect();
            let Some(data) = data_line(&event) else {
                continue; // comments (keep-alives) and blank events
            };
            self.events += 1;
            if !self.saw_token && self.carries_text(data) {
                self.saw_token = true;
                first_now = true;
            }
        }
        first_now
    }

    fn carries_text(&self, data: &[u8]) -> bool {
        let Ok(v) = serde_json::from_slice::<Value>(data) else {
            return false;
        };
        let text = match self.dialect {
            Dialect::OpenAiChat => &v["choices"][0]["delta"]["content"],
            Dialect::Anthropic => &v["delta"]["text"],
        };
        text.as_str().is_some_and(|t| !t.is_empty())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn data_line(event: &[u8]) -> Option<&[u8]> {
    event
        .split(|b| *b == b'\n')
        .find_map(|line| line.strip_prefix(b"data:"))
        .map(|d| d.strip_prefix(b" ").unwrap_or(d))
}

/// One streaming request, timed.
pub async fn stream_once(client: &Client, ep: &Endpoint) -> Result<StreamSample> {
    let started = Instant::now();
    let mut response = client
        .post(&ep.url)
        .headers(ep.headers.clone())
        .body(ep.body.clone())
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        let body = response.bytes().await.unwrap_or_default();
        bail!("HTTP {status}: {}", excerpt(&body));
    }
    let mut reader = SseReader::new(ep.dialect);
    let mut first_token = None;
    while let Some(chunk) = response.chunk().await? {
        if reader.push(&chunk) {
            first_token = Some(started.elapsed());
        }
    }
    let total = started.elapsed();
    Ok(StreamSample {
        first_token: first_token.context("the stream carried no answer text")?,
        total,
        events: reader.events,
    })
}

/// `count` streams one after the other (concurrency 1), stopping early at `deadline`.
pub async fn stream_run(
    client: &Client,
    ep: &Endpoint,
    count: usize,
    deadline: Instant,
) -> Result<Vec<StreamSample>> {
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        if Instant::now() >= deadline {
            break;
        }
        samples.push(
            stream_once(client, ep)
                .await
                .with_context(|| format!("stream from {}", ep.url))?,
        );
    }
    Ok(samples)
}

/// Streams held open: each task has its response headers and first token and waits.
pub struct OpenStreams {
    tasks: Vec<JoinHandle<()>>,
    pub opened: usize,
    pub failed: usize,
    pub first_error: Option<String>,
    pub open_time: Duration,
}

impl OpenStreams {
    /// Drops every stream (the client closes its connections).
    pub async fn close(self) {
        for t in &self.tasks {
            t.abort();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Opens `count` streams against an upstream that stalls after its first events, at most
/// 64 connecting at once (a burst of 1,000 SYNs would only measure the accept backlog).
pub async fn open_streams(
    ep: &Arc<Endpoint>,
    count: usize,
    limit: Duration,
) -> Result<OpenStreams> {
    // Its own client: held connections must not sit in the timed runs' pool afterwards.
    let client = Client::builder()
        .http1_only()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(0)
        .connect_timeout(Duration::from_secs(10))
        .build()?;
    let gate = Arc::new(Semaphore::new(64));
    let (tx, mut rx) = mpsc::channel::<Result<(), String>>(count.max(1));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for _ in 0..count {
        let (client, ep, gate, tx) = (client.clone(), ep.clone(), gate.clone(), tx.clone());
        tasks.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await;
            let opened = async {
                let mut response = client
                    .post(&ep.url)
                    .headers(ep.headers.clone())
                    .body(ep.body.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("HTTP {}", response.status()));
                }
                let mut reader = SseReader::new(ep.dialect);
                loop {
                    match response.chunk().await {
                        Ok(Some(chunk)) if reader.push(&chunk) => return Ok(response),
                        Ok(Some(_)) => {}
                        Ok(None) => return Err("the stream ended".to_string()),
                        Err(e) => return Err(e.to_string()),
                    }
                }
            }
            .await;
            drop(permit);
            match opened {
                Ok(response) => {
                    let _ = tx.send(Ok(())).await;
                    // Hold the stream until aborted; read on so keep-alives do not pile up.
                    let mut response = response;
                    while let Ok(Some(_)) = response.chunk().await {}
                    std::future::pending::<()>().await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                }
            }
        }));
    }
    drop(tx);
    let mut open = OpenStreams {
        tasks,
        opened: 0,
        failed: 0,
        first_error: None,
        open_time: Duration::ZERO,
    };
    let deadline = tokio::time::Instant::now() + limit;
    while open.opened + open.failed < count {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Ok(()))) => open.opened += 1,
            Ok(Some(Err(e))) => {
                open.failed += 1;
                open.first_error.get_or_insert(e);
            }
            Ok(None) | Err(_) => break,
        }
    }
    open.open_time = started.elapsed();
    Ok(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_first_text_across_chunk_boundaries() {
        let mut r = SseReader::new(Dialect::OpenAiChat);
        assert!(!r.push(
            b"data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
        ));
        assert!(!r.push(b": keepalive\n\ndata: {\"choices\":[{\"delta\":{\"cont"));
        assert!(r.push(b"ent\":\"mock: \"}}]}\n\ndata: [DONE]\n\n"));
        assert_eq!(r.events, 3);
    }

    #[test]
    fn anthropic_text_delta_is_the_first_token() {
        let mut r = SseReader::new(Dialect::Anthropic);
        assert!(!r.push(b"event: message_start\ndata: {\"type\":\"message_start\"}\n\n"));
        assert!(r.push(
            b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"mock:\"}}\n\n"
        ));
    }
}
