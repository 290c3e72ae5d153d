use std::time::{Duration, Instant};

use mock_upstream::{ErrorKind, Fault, Scenario};
use serde_json::{json, Value};

use crate::{chat_body, client, mock, parse_sse, post};

/// The same request in each dialect: (path, body).
fn dialects() -> [(&'static str, Value); 3] {
    [
        ("/v1/chat/completions", chat_body("m", "hi there", true)),
        (
            "/v1/messages",
            json!({ "model": "m", "max_tokens": 9, "stream": true,
                                  "messages": [{ "role": "user", "content": "hi there" }] }),
        ),
        (
            "/v1beta/models/m:streamGenerateContent?alt=sse",
            json!({ "contents": [{ "role": "user", "parts": [{ "text": "hi there" }] }] }),
        ),
    ]
}

#[tokio::test]
async fn rate_limit_in_each_dialect() {
    let m = mock().await;
    for (path, body) in dialects() {
        m.push(Scenario::rate_limited(7));
        let r = post(&m, path, body).await;
        assert_eq!(r.status(), 429, "{path}");
        assert_eq!(r.headers()["retry-after"], "7", "{path}");
        let openai_headers = r.headers().contains_key("x-ratelimit-remaining-requests");
        let v: Value = r.json().await.unwrap();
        match path {
            "/v1/chat/completions" => {
                assert!(openai_headers);
                assert_eq!(v["error"]["code"], "rate_limit_exceeded");
                assert!(v["error"]["message"].is_string());
            }
            "/v1/messages" => {
                assert_eq!(v["type"], "error");
                assert_eq!(v["error"]["type"], "rate_limit_error");
            }
            _ => {
                assert_eq!(v["error"]["code"], 429);
                assert_eq!(v["error"]["status"], "RESOURCE_EXHAUSTED");
                assert_eq!(v["error"]["details"][0]["retryDelay"], "7s");
            }
        }
    }
}

#[tokio::test]
async fn status_errors_in_each_dialect() {
    let m = mock().await;
    let cases = [
        (
            Scenario::context_length_exceeded(),
            400,
            [
                "context_length_exceeded",
                "invalid_request_error",
                "INVALID_ARGUMENT",
            ],
        ),
        (
            Scenario::status(401),
            401,
            ["invalid_api_key", "authentication_error", "UNAUTHENTICATED"],
        ),
        (
            Scenario::status(500),
            500,
            ["server_error", "api_error", "INTERNAL"],
        ),
        (
            Scenario::status(503),
            503,
            ["service_unavailable", "overloaded_error", "UNAVAILABLE"],
        ),
    ];
    for (scenario, status, names) in cases {
        for (i, (path, body)) in dialects().into_iter().enumerate() {
            m.push(scenario.clone());
            let r = post(&m, path, body).await;
            assert_eq!(r.status().as_u16(), status, "{path}");
            let v: Value = r.json().await.unwrap();
            let got = match i {
                0 => v["error"]["code"].as_str().or(v["error"]["type"].as_str()),
                1 => v["error"]["type"].as_str(),
                _ => v["error"]["status"].as_str(),
            };
            assert_eq!(got, Some(names[i]), "{path} {status}: {v}");
        }
    }
    // The context-length message names the problem in the provider's words.
    m.push(Scenario::context_length_exceeded());
    let v: Value = post(&m, dialects()[1].0, dialects()[1].1.clone())
        .await
        .json()
        .await
        .unwrap();
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("prompt is too long"));
    // Custom kind and message.
    m.push(Scenario::fault(Fault::Status {
        status: 418,
        kind: Some(ErrorKind::PermissionDenied),
        message: Some("nope".into()),
        retry_after_secs: None,
    }));
    let r = post(&m, "/v1/embeddings", json!({ "model": "e", "input": "x" })).await;
    assert_eq!(r.status(), 418);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"],
        json!({ "message": "nope", "type": "permission_error", "param": null, "code": null })
    );
}

#[tokio::test]
async fn reset_before_headers_fails_the_request_and_the_server_lives_on() {
    let m = mock().await;
    m.push(Scenario::fault(Fault::ResetBeforeHeaders));
    let err = client()
        .post(format!("{}/v1/chat/completions", m.url()))
        .json(&chat_body("m", "x", false))
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout(), "{err:?}");
    let ok = post(&m, "/v1/chat/completions", chat_body("m", "x", false)).await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn slow_first_byte_delays_the_headers() {
    let m = mock().await;
    m.push(Scenario::default().with_first_byte_delay_ms(300));
    let t = Instant::now();
    let r = post(&m, "/v1/chat/completions", chat_body("m", "x", true)).await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn chunk_delay_spaces_the_events() {
    let m = mock().await;
    m.push(Scenario::text("a b c").with_chunk_delay_ms(50));
    let t = Instant::now();
    let r = post(&m, "/v1/chat/completions", chat_body("m", "x", true)).await;
    let frames = parse_sse(&r.text().await.unwrap());
    // role, 3 words, finish, [DONE] = 6 events, 5 gaps.
    assert_eq!(frames.len(), 6);
    assert!(
        t.elapsed() >= Duration::from_millis(250),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn stall_sends_some_events_then_hangs() {
    let m = mock().await;
    m.push(Scenario::text("a b c d e f").with_fault(Fault::Stall {
        after_events: Some(2),
    }));
    let mut r = post(&m, "/v1/chat/completions", chat_body("m", "x", true)).await;
    assert_eq!(r.status(), 200);
    let mut received = String::new();
    loop {
        match tokio::time::timeout(Duration::from_millis(400), r.chunk()).await {
            Ok(Ok(Some(bytes))) => received.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(other) => panic!("stream ended instead of stalling: {other:?}"),
            Err(_) => break, // stalled
        }
    }
    assert_eq!(parse_sse(&received).len(), 2);
}

#[tokio::test]
async fn truncated_streams_lack_the_terminal_event() {
    let m = mock().await;
    for (path, body) in dialects() {
        m.push(Scenario::text("a b c d").with_fault(Fault::Truncate { after_events: None }));
        let r = post(&m, path, body).await;
        let frames = parse_sse(&r.text().await.unwrap());
        assert!(!frames.is_empty(), "{path}");
        assert!(frames.iter().all(|f| f.data != "[DONE]"), "{path}");
        assert!(
            frames
                .iter()
                .all(|f| f.event.as_deref() != Some("message_stop")),
            "{path}"
        );
        assert!(
            frames
                .iter()
                .all(|f| !f.data.contains("finish_reason\":\"stop")),
            "{path}"
        );
        assert!(
            frames.iter().all(|f| !f.data.contains("finishReason")),
            "{path}"
        );
    }
    // Responses: no response.completed.
    m.push(Scenario::default().with_fault(Fault::Truncate {
        after_events: Some(3),
    }));
    let r = post(
        &m,
        "/v1/responses",
        json!({ "model": "m", "stream": true, "input": "hi" }),
    )
    .await;
    let frames = parse_sse(&r.text().await.unwrap());
    assert_eq!(frames.len(), 3);
    assert!(frames
        .iter()
        .all(|f| f.event.as_deref() != Some("response.completed")));
    // A non-stream body is cut in the middle of the JSON document.
    m.push(Scenario::default().with_fault(Fault::Truncate { after_events: None }));
    let r = post(&m, "/v1/chat/completions", chat_body("m", "x", false)).await;
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());
}

#[tokio::test]
async fn malformed_chunk_is_one_bad_data_line() {
    let m = mock().await;
    for (path, body) in dialects() {
        m.push(Scenario::text("a b").with_fault(Fault::MalformedChunk {
            after_events: Some(1),
        }));
        let r = post(&m, path, body).await;
        let frames = parse_sse(&r.text().await.unwrap());
        let bad: Vec<usize> = frames
            .iter()
            .enumerate()
            .filter(|(_, f)| f.data != "[DONE]" && serde_json::from_str::<Value>(&f.data).is_err())
            .map(|(i, _)| i)
            .collect();
        assert_eq!(bad, [1], "{path}");
        // The stream then goes on to its normal end.
        let last = frames.last().unwrap();
        assert!(
            last.data == "[DONE]"
                || last.event.as_deref() == Some("message_stop")
                || last.data.contains("finishReason"),
            "{path}: {last:?}"
        );
    }
}

#[tokio::test]
async fn reset_mid_stream_breaks_the_body() {
    let m = mock().await;
    m.push(
        Scenario::text("a b c d e").with_fault(Fault::ResetMidStream {
            after_events: Some(2),
        }),
    );
    let r = post(&m, "/v1/messages", dialects()[1].1.clone()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.is_err());
}
