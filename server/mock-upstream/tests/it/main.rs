//! Wire-shape and fault tests against a real mock server on a loopback port.
// Test helpers are not `#[test]` functions, so clippy's allow-unwrap-in-tests misses them.
#![allow(clippy::unwrap_used)]

mod anthropic;
mod control;
mod faults;
mod gemini;
mod media;
mod openai;
mod responses;

use std::time::Duration;

use mock_upstream::{MockHandle, MockUpstream};
use serde_json::{json, Value};

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

pub async fn mock() -> MockHandle {
    MockUpstream::start().await
}

pub async fn post(mock: &MockHandle, path: &str, body: Value) -> reqwest::Response {
    client()
        .post(format!("{}{path}", mock.url()))
        .header("authorization", "Bearer sk-test")
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub async fn post_json(mock: &MockHandle, path: &str, body: Value) -> Value {
    let r = post(mock, path, body).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

/// One parsed SSE frame.
#[derive(Debug, Clone)]
pub struct Frame {
    pub event: Option<String>,
    pub data: String,
}

impl Frame {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{e}: {}", self.data))
    }
}

pub fn parse_sse(text: &str) -> Vec<Frame> {
    text.split("\n\n")
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            let mut event = None;
            let mut data = String::new();
            for line in f.lines() {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = Some(e.to_owned());
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            Frame { event, data }
        })
        .collect()
}

pub async fn post_sse(mock: &MockHandle, path: &str, body: Value) -> Vec<Frame> {
    let r = post(mock, path, body).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    parse_sse(&r.text().await.unwrap())
}

pub fn chat_body(model: &str, text: &str, stream: bool) -> Value {
    json!({ "model": model, "stream": stream, "messages": [
        { "role": "system", "content": "be brief" },
        { "role": "user", "content": text },
    ]})
}
