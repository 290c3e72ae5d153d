//! The /v1 client API through the real binary, against a real mock upstream: every client
//! dialect, translation to other upstream formats, streaming, failover and errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{Fault, MockHandle, MockUpstream, Scenario};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A logged-in management client and a connection to `provider` pointed at the mock.
async fn connect(server: &Server, provider: &str, name: &str, key: &str, base: &str) -> String {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": provider, "apiKey": key, "name": name, "baseUrl": base }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    body["connection"]["id"].as_str().unwrap().to_string()
}

async fn setup(provider: &str, mock_path: &str) -> (Server, MockHandle) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}{mock_path}", mock.url());
    connect(&server, provider, "main", "sk-test-1", &base).await;
    (server, mock)
}

fn sse_data(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

fn sse_events(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("event:"))
        .map(|e| e.trim().to_string())
        .collect()
}

#[tokio::test]
async fn openai_client_to_openai_upstream() {
    let (server, mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "hello there" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-omniroute-provider"], "openai");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "mock: hello there"
    );
    assert_eq!(body["model"], "openai/gpt-test");
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.header("authorization"), Some("Bearer sk-test-1"));
    assert_eq!(
        sent.json.as_ref().unwrap()["model"],
        "gpt-test",
        "prefix stripped upstream"
    );
    // usage passed through exactly
    assert_eq!(body["usage"]["prompt_tokens"], 2);
    assert_eq!(body["usage"]["completion_tokens"], 3);
}

#[tokio::test]
async fn openai_client_streams_with_usage() {
    let (server, _mock) = setup("openai", "/v1").await;
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({
            "model": "openai/gpt-test", "stream": true, "stream_options": { "include_usage": true },
            "messages": [{ "role": "user", "content": "one two three" }]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let text = resp.text().await.unwrap();
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
    let chunks = sse_data(&text);
    let content: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(content, "mock: one two three");
    let usage = chunks
        .iter()
        .rev()
        .find(|c| c["usage"].is_object())
        .unwrap();
    assert_eq!(usage["usage"]["prompt_tokens"], 3);
}

#[tokio::test]
async fn anthropic_client_through_an_openai_upstream() {
    let (server, mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/messages"))
        .header("anthropic-version", "2023-06-01")
        .json(&json!({
            "model": "openai/gpt-test", "max_tokens": 100, "system": "be brief",
            "messages": [{ "role": "user", "content": "hi claude" }]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["type"], "message");
    assert_eq!(body["role"], "assistant");
    assert_eq!(body["content"][0]["text"], "mock: hi claude");
    assert_eq!(body["stop_reason"], "end_turn");
    let sent = mock.last_request().unwrap().json.unwrap();
    assert_eq!(
        sent["messages"][0]["role"], "system",
        "system prompt became a system message"
    );

    // streaming: the full Anthropic event sequence
    let resp = http
        .post(server.url("/v1/messages"))
        .json(&json!({
            "model": "openai/gpt-test", "max_tokens": 100, "stream": true,
            "messages": [{ "role": "user", "content": "stream please" }]
        }))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    let events = sse_events(&text);
    assert_eq!(
        events.first().map(String::as_str),
        Some("message_start"),
        "{text}"
    );
    assert_eq!(
        events.last().map(String::as_str),
        Some("message_stop"),
        "{text}"
    );
    assert!(events.iter().any(|e| e == "content_block_delta"));
    let joined: String = sse_data(&text)
        .iter()
        .filter_map(|d| d["delta"]["text"].as_str())
        .collect();
    assert_eq!(joined, "mock: stream please");
}

#[tokio::test]
async fn anthropic_pass_through_uses_x_api_key() {
    let (server, mock) = setup("anthropic", "/v1").await;
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .header("anthropic-beta", "prompt-caching-2024-07-31")
        .json(&json!({
            "model": "anthropic/claude-test", "max_tokens": 50,
            "messages": [{ "role": "user", "content": [{ "type": "text", "text": "cached", "cache_control": { "type": "ephemeral" } }] }]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["content"][0]["text"], "mock: cached");
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.header("x-api-key"), Some("sk-test-1"));
    assert!(sent.header("anthropic-version").is_some());
    assert_eq!(
        sent.header("anthropic-beta"),
        Some("prompt-caching-2024-07-31")
    );
    let json = sent.json.unwrap();
    assert_eq!(json["model"], "claude-test");
    assert_eq!(
        json["messages"][0]["content"][0]["cache_control"]["type"],
        "ephemeral"
    );
}

#[tokio::test]
async fn gemini_and_responses_clients() {
    let (server, _mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1beta/models/openai/gpt-test:generateContent"))
        .json(&json!({ "contents": [{ "role": "user", "parts": [{ "text": "hola" }] }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["candidates"][0]["content"]["parts"][0]["text"],
        "mock: hola"
    );

    let resp = http
        .post(server.url("/v1beta/models/openai/gpt-test:streamGenerateContent?alt=sse"))
        .json(&json!({ "contents": [{ "role": "user", "parts": [{ "text": "stream hola" }] }] }))
        .send()
        .await
        .unwrap();
    let text: String = sse_data(&resp.text().await.unwrap())
        .iter()
        .filter_map(|c| {
            c["candidates"][0]["content"]["parts"][0]["text"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(text, "mock: stream hola");

    // Codex-style: Responses API on the bare root path, streaming
    let resp = http
        .post(server.url("/responses"))
        .json(&json!({ "model": "openai/gpt-test", "input": "write code", "stream": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    let events = sse_events(&text);
    assert_eq!(
        events.first().map(String::as_str),
        Some("response.created"),
        "{text}"
    );
    assert_eq!(
        events.last().map(String::as_str),
        Some("response.completed"),
        "{text}"
    );
    let done = sse_data(&text).into_iter().last().unwrap();
    assert_eq!(
        done["response"]["output"][0]["content"][0]["text"],
        "mock: write code"
    );
}

#[tokio::test]
async fn a_rate_limited_connection_fails_over_to_the_next() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "openai", "first", "sk-first", &base).await;
    connect(&server, "openai", "second", "sk-second", &base).await;
    mock.push(Scenario::rate_limited(30));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-omniroute-attempts"], "2");
    let keys: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(keys, ["Bearer sk-first", "Bearer sk-second"]);
}

#[tokio::test]
async fn when_every_connection_is_limited_the_client_gets_429_with_retry_after() {
    let (server, mock) = setup("openai", "/v1").await;
    mock.push(Scenario::rate_limited(7));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .json(&json!({ "model": "openai/gpt-test", "max_tokens": 10, "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()["retry-after"], "7");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "rate_limit_error");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("7 s"),
        "{body}"
    );
}

#[tokio::test]
async fn a_client_error_is_returned_not_retried() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "openai", "first", "sk-first", &base).await;
    connect(&server, "openai", "second", "sk-second", &base).await;
    mock.push(Scenario::status(400));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert!(body["error"]["message"].is_string(), "{body}");
    assert_eq!(
        mock.requests().len(),
        1,
        "not retried on another connection"
    );
}

#[tokio::test]
async fn a_reset_before_headers_fails_over() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "openai", "first", "sk-first", &base).await;
    connect(&server, "openai", "second", "sk-second", &base).await;
    mock.push(Scenario::fault(Fault::ResetBeforeHeaders));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "stream": true, "messages": [{ "role": "user", "content": "again" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(
        text.contains("mock: again") || text.contains("again"),
        "{text}"
    );
}

#[tokio::test]
async fn a_stream_that_breaks_after_output_ends_with_an_in_band_error() {
    let (server, mock) = setup("openai", "/v1").await;
    mock.push(
        Scenario::text("alpha beta gamma delta epsilon").with_fault(Fault::Truncate {
            after_events: Some(3),
        }),
    );
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .json(&json!({ "model": "openai/gpt-test", "max_tokens": 10, "stream": true, "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "the first bytes were already sent"
    );
    let text = resp.text().await.unwrap();
    let events = sse_events(&text);
    assert_eq!(events.last().map(String::as_str), Some("error"), "{text}");
    assert!(
        !events.iter().any(|e| e == "message_stop"),
        "no clean-looking end: {text}"
    );
}

#[tokio::test]
async fn bad_requests_are_explained_in_the_callers_dialect() {
    let (server, _mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "/v1/chat/completions",
            json!({ "messages": [] }),
            400,
            "model is required",
        ),
        (
            "/v1/chat/completions",
            json!({ "model": "nope/x", "messages": [] }),
            404,
            "unknown provider prefix",
        ),
        (
            "/v1/chat/completions",
            json!({ "model": "cc/claude-opus-4-7", "messages": [] }),
            400,
            "subscription",
        ),
        (
            "/v1/chat/completions",
            json!({ "model": "groq/llama-3.3-70b-versatile", "messages": [] }),
            400,
            "no enabled connection",
        ),
        (
            "/v1/messages",
            json!({ "model": 5 }),
            400,
            "model must be a string",
        ),
    ];
    for (path, body, status, needle) in cases {
        let resp = http
            .post(server.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "{path} {body}");
        let v: Value = resp.json().await.unwrap();
        let message = if path == "/v1/messages" {
            assert_eq!(v["type"], "error", "{v}");
            v["error"]["message"].as_str().unwrap().to_string()
        } else {
            v["error"]["message"].as_str().unwrap().to_string()
        };
        assert!(message.contains(needle), "{path}: {message}");
    }
    let resp = http
        .post(server.url("/v1beta/models/openai/gpt-test:generateContent"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"]["code"], 400, "gemini error object: {v}");
    assert!(v["error"]["status"].is_string());
}

#[tokio::test]
async fn models_lists_what_the_connections_serve() {
    let (server, _mock) = setup("anthropic", "/v1").await;
    let v: Value = reqwest::get(server.url("/v1/models"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["object"], "list");
    let ids: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.iter().any(|id| id.starts_with("anthropic/")), "{ids:?}");
    assert!(
        !ids.iter().any(|id| id.starts_with("openai/")),
        "no openai connection: {ids:?}"
    );
}

#[tokio::test]
async fn beyond_loopback_v1_is_closed_without_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["--port", "0", "--host", "0.0.0.0", "--data-dir"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped());
    let server = Server::start_in_cmd(cmd);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let resp = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "messages": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["error"]["message"].as_str().unwrap().contains("API key"),
        "{v}"
    );
}

#[tokio::test]
async fn embeddings_images_and_audio_are_forwarded_with_the_model_changed() {
    let (server, mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/embeddings"))
        .json(&json!({ "model": "openai/text-embedding-3-small", "input": ["a", "b"], "dimensions": 4 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.path, "/v1/embeddings");
    assert_eq!(sent.json.unwrap()["model"], "text-embedding-3-small");

    let resp = http
        .post(server.url("/v1/images/generations"))
        .json(&json!({ "model": "openai/gpt-image-1", "prompt": "a cat" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["data"][0]["b64_json"].is_string() || v["data"][0]["url"].is_string(),
        "{v}"
    );

    let resp = http
        .post(server.url("/v1/audio/speech"))
        .json(&json!({ "model": "openai/tts-1", "input": "hello world", "voice": "alloy" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("audio/"));
    assert_eq!(
        resp.bytes().await.unwrap().len(),
        200,
        "100 bytes per word from the mock"
    );

    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; 1234])
                .file_name("clip.mp3")
                .mime_str("audio/mpeg")
                .unwrap(),
        )
        .text("model", "openai/whisper-1");
    let resp = http
        .post(server.url("/v1/audio/transcriptions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["text"]
            .as_str()
            .unwrap()
            .contains("clip.mp3 (1234 bytes)"),
        "{v}"
    );
    let sent = mock.last_request().unwrap();
    assert_eq!(
        sent.json.unwrap()["model"],
        "whisper-1",
        "model field rewritten in the multipart body"
    );
}

#[tokio::test]
async fn legacy_completions_go_through_chat() {
    let (server, mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/completions"))
        .json(&json!({ "model": "openai/gpt-test", "prompt": "complete me", "max_tokens": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["object"], "text_completion");
    assert_eq!(v["choices"][0]["text"], "mock: complete me");
    assert_eq!(mock.last_request().unwrap().path, "/v1/chat/completions");

    let resp = http
        .post(server.url("/v1/completions"))
        .json(&json!({ "model": "openai/gpt-test", "prompt": "stream me", "stream": true }))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    let joined: String = sse_data(&text)
        .iter()
        .filter_map(|c| c["choices"][0]["text"].as_str().map(str::to_string))
        .collect();
    assert_eq!(joined, "mock: stream me");
    assert!(
        sse_data(&text)
            .iter()
            .all(|c| c["object"] == "text_completion"),
        "{text}"
    );

    let resp = http
        .post(server.url("/v1/completions"))
        .json(&json!({ "model": "openai/gpt-test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: Value = resp.json().await.unwrap();
    assert!(v["error"]["message"].as_str().unwrap().contains("prompt"));
}

#[tokio::test]
async fn provider_routes_pin_the_provider() {
    let (server, mock) = setup("openai", "/v1").await;
    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/providers/openai/chat/completions"))
        .json(
            &json!({ "model": "gpt-test", "messages": [{ "role": "user", "content": "pinned" }] }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        mock.last_request().unwrap().json.unwrap()["model"],
        "gpt-test"
    );

    let resp = http
        .post(server.url("/v1/providers/openai/chat/completions"))
        .json(&json!({ "model": "anthropic/claude-x", "messages": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("belongs to provider anthropic"),
        "{v}"
    );

    let resp = http
        .post(server.url("/v1/providers/openai/embeddings"))
        .json(&json!({ "model": "text-embedding-3-small", "input": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let resp = http
        .get(server.url("/v1/providers/nope/models"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let v: Value = http
        .get(server.url("/v1/providers/openai/models"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["id"].as_str().unwrap().starts_with("openai/")));
}

#[tokio::test]
async fn account_strategy_round_robin_spreads_requests() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "openai", "first", "sk-first", &base).await;
    connect(&server, "openai", "second", "sk-second", &base).await;
    let c = client();
    login(&c, &server, PASSWORD).await;
    let bad = c
        .put(server.url("/api/settings/routing"))
        .json(&json!({ "accountStrategy": "fastest" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let ok: Value = c
        .put(server.url("/api/settings/routing"))
        .json(&json!({ "accountStrategy": "round-robin", "stickyLimit": 2 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["accountStrategy"], "round-robin");
    let http = reqwest::Client::new();
    for _ in 0..6 {
        let resp = http
            .post(server.url("/v1/chat/completions"))
            .json(&json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let keys: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| {
            r.header("authorization")
                .unwrap()
                .trim_start_matches("Bearer sk-")
                .to_string()
        })
        .collect();
    assert_eq!(
        keys,
        ["first", "first", "second", "second", "first", "first"]
    );
    let settings: Value = c
        .get(server.url("/api/settings/routing"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["stickyLimit"], 2);
}

#[tokio::test]
async fn a_combo_name_works_as_a_model_and_falls_back_across_providers() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "openai", "oa", "sk-oa", &base).await;
    connect(&server, "anthropic", "an", "sk-an", &base).await;
    let c = client();
    login(&c, &server, PASSWORD).await;
    let resp = c
        .post(server.url("/api/combos"))
        .json(&json!({ "name": "premium coding", "strategy": "priority",
            "models": [{ "model": "openai/gpt-primary" }, { "model": "anthropic/claude-backup" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let models: Value = reqwest::get(server.url("/v1/models"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        models["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "premium coding"),
        "{models}"
    );

    mock.push(Scenario::rate_limited(30).for_model("gpt-primary"));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "premium coding", "messages": [{ "role": "user", "content": "fallback please" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-omniroute-provider"], "anthropic");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "mock: fallback please"
    );
    assert_eq!(
        body["model"], "premium coding",
        "the client sees the name it asked for"
    );
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v1/chat/completions", "/v1/messages"]);

    // The rate-limited account now rests (30 s, from Retry-After): the next request goes
    // straight to the backup without calling the limited account again.
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "premium coding", "messages": [{ "role": "user", "content": "again" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(mock.last_request().unwrap().path, "/v1/messages");
}

#[tokio::test]
async fn a_resting_account_answers_429_with_its_recovery_time() {
    let (server, mock) = setup("openai", "/v1").await;
    mock.push(Scenario::rate_limited(40));
    let http = reqwest::Client::new();
    let chat =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    let first = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    let second = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = second.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((35..=40).contains(&retry), "{retry}");
    let v: Value = second.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cooling down"),
        "{v}"
    );
    assert_eq!(
        mock.requests().len(),
        1,
        "the resting account was not called again"
    );

    let c = client();
    login(&c, &server, PASSWORD).await;
    let state: Value = c
        .get(server.url("/api/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["state"]["cooldowns"].as_array().unwrap().len(),
        1,
        "{state}"
    );
    c.post(server.url("/api/resilience/reset"))
        .send()
        .await
        .unwrap();
    let ok = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_circuit_breaker_opens_on_provider_faults_only() {
    let (server, mock) = setup("openai", "/v1").await;
    let c = client();
    login(&c, &server, PASSWORD).await;
    let resp = c
        .put(server.url("/api/settings/resilience"))
        .json(&json!({ "breakerThreshold": 3, "breakerResetSecs": 120 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let http = reqwest::Client::new();
    let chat =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    for _ in 0..3 {
        mock.push(Scenario::status(503));
        let r = http
            .post(server.url("/v1/chat/completions"))
            .json(&chat)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    let calls = mock.requests().len();
    let r = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().get("retry-after").is_some());
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("circuit breaker"),
        "{v}"
    );
    assert_eq!(
        mock.requests().len(),
        calls,
        "an open breaker does not call the provider"
    );
    let state: Value = c
        .get(server.url("/api/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["state"]["breakers"][0]["state"], "OPEN", "{state}");
    c.post(server.url("/api/resilience/reset"))
        .send()
        .await
        .unwrap();
    let r = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn media_endpoints_rest_a_rate_limited_account_too() {
    let (server, mock) = setup("openai", "/v1").await;
    mock.push(Scenario::rate_limited(50));
    let http = reqwest::Client::new();
    let body = json!({ "model": "openai/text-embedding-3-small", "input": "x" });
    let first = http
        .post(server.url("/v1/embeddings"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    let second = http
        .post(server.url("/v1/embeddings"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = second.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((45..=50).contains(&retry), "{retry}");
    assert_eq!(
        mock.requests().len(),
        1,
        "the resting account was not called again"
    );
}
