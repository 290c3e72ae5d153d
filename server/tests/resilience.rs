//! The failure scenarios of issue #5 against the mock upstream's fault switches: each one
//! either recovers (the client gets an answer) or explains itself (a status and a message in
//! the client's dialect, or an in-band error once the stream had started), and the usage log
//! has one row per attempt. (Also covered elsewhere: 429 with Retry-After, reset before
//! headers and a stream cut after output in `v1.rs`; context-length fallback in `routing.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{ErrorKind, Fault, MockHandle, MockUpstream, Scenario};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Setup {
    server: Server,
    mock: MockHandle,
    admin: reqwest::Client,
    /// Connection ids, in the order the default account strategy tries them.
    ids: Vec<String>,
}

/// A server with `n` OpenAI connections to the mock and `settings` in Settings → Resilience.
async fn setup(n: usize, settings: Value) -> Setup {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let admin = client();
    assert_eq!(
        login(&admin, &server, PASSWORD).await.status(),
        StatusCode::OK
    );
    let mut ids = Vec::new();
    for i in 0..n {
        let resp = admin
            .post(server.url("/api/providers"))
            .json(&json!({ "provider": "openai", "apiKey": format!("sk-{i}"), "name": format!("acct-{i}"),
                "baseUrl": format!("{}/v1", mock.url()) }))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
        let v: Value = resp.json().await.unwrap();
        ids.push(v["connection"]["id"].as_str().unwrap().to_string());
    }
    if settings != json!({}) {
        let resp = admin
            .put(server.url("/api/settings/resilience"))
            .json(&settings)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    Setup {
        server,
        mock,
        admin,
        ids,
    }
}

fn body(stream: bool) -> Value {
    json!({ "model": "openai/gpt-test", "stream": stream,
        "messages": [{ "role": "user", "content": "hello" }] })
}

async fn chat(s: &Setup, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(s.server.url("/v1/chat/completions"))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The usage rows of the server once `n` exist, oldest first.
async fn rows(s: &Setup, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v: Value = s
            .admin
            .get(s.server.url("/api/usage/logs?limit=200"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let total = v["total"].as_u64().unwrap() as usize;
        if total >= n {
            assert_eq!(total, n, "{v}");
            let mut logs = v["logs"].as_array().unwrap().clone();
            logs.reverse();
            return logs;
        }
        assert!(Instant::now() < deadline, "expected {n} usage rows: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn statuses(rows: &[Value]) -> Vec<u64> {
    rows.iter().map(|r| r["status"].as_u64().unwrap()).collect()
}

fn content(text: &str) -> String {
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .filter(|d| *d != "[DONE]")
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|c| {
            c["choices"][0]["delta"]["content"]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

/// The in-band error chunk of an OpenAI stream that broke after output.
fn stream_error(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
        .find_map(|c| c["error"]["message"].as_str().map(str::to_string))
}

#[tokio::test]
async fn a_429_without_retry_after_rests_the_account_with_backoff_and_fails_over() {
    let s = setup(2, json!({ "baseCooldownSecs": 40 })).await;
    s.mock.push(Scenario::status(429));
    let resp = chat(&s, &body(false)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-omniroute-attempts"], "2");
    let state: Value = s
        .admin
        .get(s.server.url("/api/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cooldown = &state["state"]["cooldowns"][0];
    assert_eq!(cooldown["connectionId"], s.ids[0].as_str(), "{state}");
    let left = cooldown["remainingSecs"].as_u64().unwrap();
    assert!(
        left > 30 && left <= 40,
        "the base cooldown, no hint: {state}"
    );
    assert_eq!(statuses(&rows(&s, 2).await), [429, 200]);
}

#[tokio::test]
async fn a_500_then_a_200_recovers_on_the_next_account() {
    let s = setup(2, json!({})).await;
    s.mock.push(Scenario::status(500));
    s.mock.push(Scenario::text("recovered"));
    let resp = chat(&s, &body(false)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["choices"][0]["message"]["content"], "recovered");
    let r = rows(&s, 2).await;
    assert_eq!(statuses(&r), [500, 200]);
    assert_eq!(r[0]["connectionId"], s.ids[0].as_str());
    assert_eq!(r[1]["connectionId"], s.ids[1].as_str());
    assert_eq!(
        r[0]["requestId"], r[1]["requestId"],
        "one request, two attempts"
    );
}

#[tokio::test]
async fn a_persistent_503_is_explained_with_every_attempt() {
    let s = setup(2, json!({})).await;
    s.mock.push(Scenario::status(503));
    s.mock.push(Scenario::status(503));
    let resp = chat(&s, &body(false)).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: Value = resp.json().await.unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("2 attempt(s)"), "{message}");
    assert!(
        message.contains("acct-0") && message.contains("acct-1"),
        "{message}"
    );
    assert_eq!(statuses(&rows(&s, 2).await), [503, 503]);
}

#[tokio::test]
async fn no_response_headers_in_time_moves_on() {
    let s = setup(2, json!({ "headersTimeoutSecs": 1 })).await;
    s.mock
        .push(Scenario::text("late").with_first_byte_delay_ms(4000));
    s.mock.push(Scenario::text("on time"));
    let resp = chat(&s, &body(false)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["choices"][0]["message"]["content"], "on time");
    let r = rows(&s, 2).await;
    assert_eq!(statuses(&r), [504, 200]);
    assert!(
        r[0]["error"]
            .as_str()
            .unwrap()
            .contains("no response within 1 s"),
        "{}",
        r[0]
    );
}

#[tokio::test]
async fn a_slow_first_token_moves_on_before_any_output() {
    let s = setup(2, json!({ "firstOutputTimeoutSecs": 1 })).await;
    // The role chunk comes at once, the first words only after 4 s.
    s.mock
        .push(Scenario::text("slow words").with_chunk_delay_ms(4000));
    s.mock.push(Scenario::text("quick words"));
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert_eq!(content(&text), "quick words", "{text}");
    assert_eq!(statuses(&rows(&s, 2).await), [502, 200]);
}

#[tokio::test]
async fn a_stream_reset_midway_ends_with_an_in_band_error() {
    let s = setup(2, json!({})).await;
    s.mock.push(
        Scenario::text("one two three four five six").with_fault(Fault::ResetMidStream {
            after_events: Some(4),
        }),
    );
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    let err = stream_error(&text).unwrap_or_else(|| panic!("no in-band error: {text}"));
    assert!(err.contains("broke"), "{err}");
    assert!(
        !text.contains("[DONE]") || text.find("error").unwrap() < text.rfind("[DONE]").unwrap()
    );
    let r = rows(&s, 1).await;
    assert_eq!(statuses(&r), [502]);
    assert_eq!(s.mock.requests().len(), 1, "no second attempt after output");
}

#[tokio::test]
async fn a_stalled_stream_ends_with_an_in_band_error() {
    let s = setup(1, json!({ "idleTimeoutSecs": 1 })).await;
    s.mock.push(
        Scenario::text("one two three four five six").with_fault(Fault::Stall {
            after_events: Some(3),
        }),
    );
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    let err = stream_error(&text).unwrap_or_else(|| panic!("no in-band error: {text}"));
    assert!(err.contains("sent nothing for 1 s"), "{err}");
    assert_eq!(statuses(&rows(&s, 1).await), [504]);
}

#[tokio::test]
async fn a_malformed_chunk_before_output_moves_on() {
    let s = setup(2, json!({})).await;
    s.mock
        .push(Scenario::text("garbled").with_fault(Fault::MalformedChunk {
            after_events: Some(0),
        }));
    s.mock.push(Scenario::text("clean"));
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert_eq!(content(&text), "clean", "{text}");
    assert_eq!(statuses(&rows(&s, 2).await), [502, 200]);
}

#[tokio::test]
async fn a_malformed_chunk_after_output_ends_with_an_in_band_error() {
    let s = setup(1, json!({})).await;
    s.mock.push(
        Scenario::text("alpha beta gamma delta").with_fault(Fault::MalformedChunk {
            after_events: Some(3),
        }),
    );
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    let err = stream_error(&text).unwrap_or_else(|| panic!("no in-band error: {text}"));
    assert!(err.contains("unusable"), "{err}");
    assert_eq!(statuses(&rows(&s, 1).await), [502]);
}

#[tokio::test]
async fn a_complete_stream_without_done_is_closed_cleanly() {
    let s = setup(1, json!({})).await;
    s.mock
        .push(Scenario::text("all the words").with_fault(Fault::MissingDone));
    let resp = chat(&s, &body(true)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert_eq!(content(&text), "all the words", "{text}");
    assert!(stream_error(&text).is_none(), "{text}");
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
    assert_eq!(statuses(&rows(&s, 1).await), [200]);
}

#[tokio::test]
async fn a_content_filter_400_is_returned_not_retried() {
    let s = setup(2, json!({})).await;
    s.mock.push(Scenario::fault(Fault::Status {
        status: 400,
        kind: Some(ErrorKind::InvalidRequest),
        message: Some(
            "The response was filtered due to the prompt triggering the content management policy"
                .into(),
        ),
        retry_after_secs: None,
    }));
    let resp = reqwest::Client::new()
        .post(s.server.url("/v1/messages"))
        .json(&json!({ "model": "openai/gpt-test", "max_tokens": 10,
            "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["type"], "error", "Anthropic's dialect: {v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("content management policy"),
        "{v}"
    );
    assert_eq!(s.mock.requests().len(), 1, "not retried");
    assert_eq!(statuses(&rows(&s, 1).await), [400]);
    let state: Value = s
        .admin
        .get(s.server.url("/api/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["state"]["cooldowns"],
        json!([]),
        "nobody rests: {state}"
    );
}

#[tokio::test]
async fn a_flapping_primary_never_fails_a_request_nor_trips_the_breaker() {
    let s = setup(2, json!({ "breakerThreshold": 2 })).await;
    // The primary fails every other request; the secondary always answers.
    for i in 0..6 {
        if i % 2 == 0 {
            s.mock.push(Scenario::status(502));
        } else {
            s.mock.push(Scenario::text("primary"));
        }
        if i % 2 == 0 {
            s.mock.push(Scenario::text("secondary"));
        }
    }
    for i in 0..6 {
        let resp = chat(&s, &body(false)).await;
        assert_eq!(resp.status(), StatusCode::OK, "request {i}");
        let v: Value = resp.json().await.unwrap();
        let expected = if i % 2 == 0 { "secondary" } else { "primary" };
        assert_eq!(
            v["choices"][0]["message"]["content"], expected,
            "request {i}"
        );
    }
    let r = rows(&s, 9).await;
    assert_eq!(statuses(&r), [502, 200, 200, 502, 200, 200, 502, 200, 200]);
    let state: Value = s
        .admin
        .get(s.server.url("/api/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let open = state["state"]["breakers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["state"] == "OPEN");
    assert!(
        !open,
        "successes in between keep the breaker closed: {state}"
    );
}

#[tokio::test]
async fn timeout_settings_are_validated() {
    let s = setup(0, json!({})).await;
    for field in [
        "headersTimeoutSecs",
        "firstOutputTimeoutSecs",
        "idleTimeoutSecs",
    ] {
        let resp = s
            .admin
            .put(s.server.url("/api/settings/resilience"))
            .json(&json!({ field: 0 }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let v: Value = resp.json().await.unwrap();
        assert!(v["message"].as_str().unwrap().contains(field), "{v}");
    }
    let v: Value = s
        .admin
        .get(s.server.url("/api/settings/resilience"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["headersTimeoutSecs"], 120);
    assert_eq!(v["idleTimeoutSecs"], 300);
}
