//! Response bodies that stream: SSE event lists and JSON bodies, with the mid-body faults
//! (stall, truncation, malformed data, reset) and the delay between chunks.

use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream;
use serde_json::Value;

use crate::scenario::{Fault, Scenario};

/// One SSE frame: optional `event:` line, one `data:` line, blank line.
pub(crate) fn frame(event: Option<&str>, data: &Value) -> Bytes {
    let mut s = String::new();
    if let Some(e) = event {
        s.push_str("event: ");
        s.push_str(e);
        s.push('\n');
    }
    s.push_str("data: ");
    s.push_str(&data.to_string());
    s.push_str("\n\n");
    Bytes::from(s)
}

/// A raw `data:` frame (for `[DONE]`).
pub(crate) fn raw_frame(data: &str) -> Bytes {
    Bytes::from(format!("data: {data}\n\n"))
}

/// The frame a malformed-chunk fault injects, with the stream's `event:` line if it uses one.
pub(crate) fn malformed_frame(event: Option<&str>) -> Bytes {
    match event {
        Some(e) => Bytes::from(format!("event: {e}\ndata: {{\"mock\": malformed,\n\n")),
        None => Bytes::from_static(b"data: {\"mock\": malformed,\n\n"),
    }
}

enum Step {
    Send(Bytes),
    Stall,
    Fail,
}

/// Where a mid-body fault applies and what it does to the list of chunks.
fn plan(chunks: Vec<Bytes>, malformed: Bytes, fault: Option<&Fault>) -> Vec<Step> {
    let len = chunks.len();
    // Stall/truncate/reset always drop at least the terminal chunk.
    let cut = |after: Option<usize>| after.unwrap_or(len / 2).min(len.saturating_sub(1));
    let mut chunks = chunks.into_iter().map(Step::Send);
    match fault {
        Some(Fault::Stall { after_events }) => {
            let mut steps: Vec<Step> = chunks.take(cut(*after_events)).collect();
            steps.push(Step::Stall);
            steps
        }
        Some(Fault::Truncate { after_events }) => chunks.take(cut(*after_events)).collect(),
        Some(Fault::MissingDone) => chunks.take(len.saturating_sub(1)).collect(),
        Some(Fault::ResetMidStream { after_events }) => {
            let mut steps: Vec<Step> = chunks.take(cut(*after_events)).collect();
            steps.push(Step::Fail);
            steps
        }
        Some(Fault::MalformedChunk { after_events }) => {
            let at = after_events.unwrap_or(1).min(len);
            let mut steps: Vec<Step> = chunks.by_ref().take(at).collect();
            steps.push(Step::Send(malformed));
            steps.extend(chunks);
            steps
        }
        _ => chunks.collect(),
    }
}

fn body(chunks: Vec<Bytes>, malformed: Bytes, scenario: &Scenario) -> Body {
    let steps = plan(chunks, malformed, scenario.fault.as_ref());
    let delay = Duration::from_millis(scenario.chunk_delay_ms);
    let s = stream::unfold(
        (steps.into_iter(), true),
        move |(mut steps, first)| async move {
            let step = steps.next()?;
            if !first && !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let item = match step {
                Step::Send(bytes) => Ok(bytes),
                Step::Stall => {
                    // Hang until the client (or the mock's shutdown) drops the connection.
                    std::future::pending::<()>().await;
                    return None;
                }
                Step::Fail => {
                    // Let hyper flush what was sent so far; the reset must come mid-body,
                    // not before the headers.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "mock: reset mid-stream",
                    ))
                }
            };
            Some((item, (steps, false)))
        },
    );
    Body::from_stream(s)
}

fn response(content_type: &'static str, body: Body) -> Response {
    let mut r = Response::new(body);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// An SSE response of these frames, faults and delays applied.
pub(crate) fn sse(frames: Vec<Bytes>, malformed: Bytes, scenario: &Scenario) -> Response {
    let mut r = response("text/event-stream", body(frames, malformed, scenario));
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// A JSON response. With a mid-body fault the body is sent in two halves so that the fault
/// (stall, truncation, reset, garbage in the middle) lands inside the document.
pub(crate) fn json(value: &Value, scenario: &Scenario) -> Response {
    let text = value.to_string();
    let mid_body_fault = matches!(
        scenario.fault,
        Some(
            Fault::Stall { .. }
                | Fault::Truncate { .. }
                | Fault::MalformedChunk { .. }
                | Fault::ResetMidStream { .. }
        )
    );
    if !mid_body_fault && scenario.chunk_delay_ms == 0 {
        return response("application/json", Body::from(text));
    }
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let halves = vec![
        Bytes::copy_from_slice(&text.as_bytes()[..cut]),
        Bytes::copy_from_slice(&text.as_bytes()[cut..]),
    ];
    let body = body(halves, Bytes::from_static(b"{not json"), scenario);
    response("application/json", body)
}

/// A plain body of the given type (audio, text), no faults beyond the pre-header ones.
pub(crate) fn bytes(content_type: &'static str, data: Vec<u8>) -> Response {
    response(content_type, Body::from(data))
}

/// A body that fails as soon as it is polled (used when the connection cannot be reset).
pub(crate) fn failing_body() -> Response {
    let s = stream::once(async {
        Err::<Bytes, io::Error>(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "mock: reset",
        ))
    });
    Response::new(Body::from_stream(s))
}
