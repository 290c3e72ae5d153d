//! Around the routing of /v1 requests, through the real binary against the real mock upstream:
//! the exact response cache, idempotency, the meta headers of every answer, opt-in progress
//! events, the per-account request queue and pacing, and latency telemetry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockHandle, MockUpstream, Scenario};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn connect(server: &Server, name: &str, key: &str, base: &str) -> String {
    let c = admin(server).await;
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": "openai", "apiKey": key, "name": name, "baseUrl": base }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    body["connection"]["id"].as_str().unwrap().to_string()
}

async fn setup() -> (Server, MockHandle, String) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let id = connect(&server, "main", "sk-test-1", &format!("{}/v1", mock.url())).await;
    (server, mock, id)
}

async fn get(c: &reqwest::Client, server: &Server, path: &str) -> Value {
    let resp = c.get(server.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    resp.json().await.unwrap()
}

async fn put(c: &reqwest::Client, server: &Server, path: &str, body: Value) -> (StatusCode, Value) {
    let resp = c.put(server.url(path)).json(&body).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn chat_body(text: &str) -> Value {
    json!({ "model": "openai/gpt-test", "temperature": 0,
        "messages": [{ "role": "user", "content": text }] })
}

async fn chat(server: &Server, body: &Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Polls the request log until `n` rows exist (the writer flushes every ~100 ms).
async fn wait_logs(c: &reqwest::Client, server: &Server, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = get(c, server, "/api/usage/logs?limit=100").await;
        if v["total"].as_u64().unwrap() >= n {
            return v;
        }
        assert!(Instant::now() < deadline, "expected {n} row(s): {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn temperature_zero_answers_come_from_the_cache_until_flushed() {
    let (server, mock, conn) = setup().await;
    let c = admin(&server).await;
    mock.push(Scenario::text("the one answer"));

    let first = chat(&server, &chat_body("cache me"), &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&first, "x-omniroute-cache"), "MISS");
    let first_body: Value = first.json().await.unwrap();

    // The same request with keys in another order and other spacing: a hit, no upstream call.
    let same = r#"{ "messages": [ { "content": "cache me", "role": "user" } ],
                    "temperature": 0, "model": "openai/gpt-test" }"#;
    let hit = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .header("content-type", "application/json")
        .body(same)
        .send()
        .await
        .unwrap();
    assert_eq!(hit.status(), StatusCode::OK);
    assert_eq!(header(&hit, "x-omniroute-cache"), "HIT");
    assert_eq!(header(&hit, "x-omniroute-provider"), "openai");
    assert_eq!(header(&hit, "x-omniroute-connection"), conn);
    assert_eq!(header(&hit, "x-omniroute-attempts"), "0");
    let hit_body: Value = hit.json().await.unwrap();
    assert_eq!(hit_body, first_body);
    assert_eq!(
        hit_body["choices"][0]["message"]["content"],
        "the one answer"
    );
    assert_eq!(mock.requests().len(), 1, "the hit made no upstream call");

    // Bypass, another temperature, a stream: all go upstream.
    let bypass = chat(
        &server,
        &chat_body("cache me"),
        &[("X-OmniRoute-No-Cache", "true")],
    )
    .await;
    assert_eq!(header(&bypass, "x-omniroute-cache"), "BYPASS");
    let mut warm = chat_body("cache me");
    warm["temperature"] = json!(0.7);
    assert_eq!(
        header(&chat(&server, &warm, &[]).await, "x-omniroute-cache"),
        "BYPASS"
    );
    let mut stream = chat_body("cache me");
    stream["stream"] = json!(true);
    let streamed = chat(&server, &stream, &[]).await;
    assert_eq!(header(&streamed, "x-omniroute-cache"), "BYPASS");
    streamed.text().await.unwrap();
    assert_eq!(mock.requests().len(), 4);

    let stats = get(&c, &server, "/api/cache/stats").await;
    assert_eq!(stats["entries"], 1, "{stats}");
    assert_eq!(stats["hits"], 1, "{stats}");
    assert_eq!(stats["misses"], 1, "{stats}");
    assert_eq!(stats["hitRate"], 0.5, "{stats}");
    assert!(stats["bytes"].as_u64().unwrap() > 0, "{stats}");

    // The hit is a usage row of its own, marked cached, with zero cost.
    let logs = wait_logs(&c, &server, 5).await;
    let rows = logs["logs"].as_array().unwrap();
    let cached: Vec<&Value> = rows.iter().filter(|r| r["cached"] == true).collect();
    assert_eq!(cached.len(), 1, "{logs}");
    assert_eq!(cached[0]["cost"], 0.0);
    assert_eq!(cached[0]["status"], 200);
    assert_eq!(cached[0]["provider"], "openai");

    // Flush: the next request goes upstream again.
    let flushed: Value = c
        .delete(server.url("/api/cache"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(flushed["removed"], 1);
    assert_eq!(get(&c, &server, "/api/cache/stats").await["entries"], 0);
    let again = chat(&server, &chat_body("cache me"), &[]).await;
    assert_eq!(header(&again, "x-omniroute-cache"), "MISS");
    assert_eq!(mock.requests().len(), 5);
}

#[tokio::test]
async fn cache_settings_are_validated_and_apply_at_once() {
    let (server, mock, _) = setup().await;
    let c = admin(&server).await;
    for (body, field) in [
        (json!({ "ttlSecs": 0 }), "ttlSecs"),
        (json!({ "maxEntries": "many" }), "maxEntries"),
        (json!({ "enabled": "yes" }), "enabled"),
    ] {
        let (status, v) = put(&c, &server, "/api/settings/cache", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains(field), "{v}");
    }
    let (status, v) = put(
        &c,
        &server,
        "/api/settings/cache",
        json!({ "enabled": false, "ttlSecs": 60 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["enabled"], false);
    assert_eq!(v["ttlSecs"], 60);
    for _ in 0..2 {
        let r = chat(&server, &chat_body("off"), &[]).await;
        assert_eq!(header(&r, "x-omniroute-cache"), "BYPASS");
    }
    assert_eq!(mock.requests().len(), 2, "a disabled cache answers nothing");
    assert_eq!(
        get(&c, &server, "/api/settings/cache").await["enabled"],
        false
    );
}

#[tokio::test]
async fn a_repeated_idempotency_key_gets_the_first_answer() {
    let (server, mock, _) = setup().await;
    // The first answer is slow, so the repeat arrives while it is in flight.
    mock.push(Scenario::text("first answer").with_first_byte_delay_ms(800));
    mock.push(Scenario::text("second answer"));
    let body = json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "pay once" }] });
    let (a, b) = tokio::join!(
        chat(&server, &body, &[("Idempotency-Key", "order-42")]),
        async {
            // Sent once the first is at the upstream.
            while mock.requests().is_empty() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            chat(&server, &body, &[("Idempotency-Key", "order-42")]).await
        }
    );
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(b.status(), StatusCode::OK);
    assert!(a.headers().get("x-omniroute-idempotent-replay").is_none());
    assert_eq!(header(&b, "x-omniroute-idempotent-replay"), "true");
    let a: Value = a.json().await.unwrap();
    let b: Value = b.json().await.unwrap();
    assert_eq!(a["choices"][0]["message"]["content"], "first answer");
    assert_eq!(a, b);
    assert_eq!(mock.requests().len(), 1, "one upstream call");

    // After it finished, within the window: still the first answer (X-Request-Id works too).
    let c = chat(&server, &body, &[("X-Request-Id", "req-7")]).await;
    assert_eq!(
        c.json::<Value>().await.unwrap()["choices"][0]["message"]["content"],
        "second answer"
    );
    let d = chat(&server, &body, &[("X-Request-Id", "req-7")]).await;
    assert_eq!(header(&d, "x-omniroute-idempotent-replay"), "true");
    assert_eq!(
        d.json::<Value>().await.unwrap()["choices"][0]["message"]["content"],
        "second answer"
    );
    assert_eq!(mock.requests().len(), 2);

    // Streams are replayed too.
    let mut stream = body.clone();
    stream["stream"] = json!(true);
    let s1 = chat(&server, &stream, &[("Idempotency-Key", "s-1")])
        .await
        .text()
        .await
        .unwrap();
    let s2 = chat(&server, &stream, &[("Idempotency-Key", "s-1")]).await;
    assert_eq!(header(&s2, "x-omniroute-idempotent-replay"), "true");
    assert_eq!(s2.text().await.unwrap(), s1);
    assert!(s1.contains("[DONE]"), "{s1}");
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn a_failed_first_request_is_not_replayed() {
    let (server, mock, _) = setup().await;
    mock.push(Scenario::status(400));
    let body =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    let a = chat(&server, &body, &[("Idempotency-Key", "k")]).await;
    assert_eq!(a.status(), StatusCode::BAD_REQUEST);
    let b = chat(&server, &body, &[("Idempotency-Key", "k")]).await;
    assert_eq!(
        b.status(),
        StatusCode::OK,
        "a retry after a failure goes upstream"
    );
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn every_answer_says_what_happened() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "first", "sk-first", &base).await;
    let second = connect(&server, "second", "sk-second", &base).await;
    mock.push(Scenario::rate_limited(30));
    let body =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    let ok = chat(&server, &body, &[]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(header(&ok, "x-omniroute-provider"), "openai");
    assert_eq!(header(&ok, "x-omniroute-model"), "gpt-test");
    assert_eq!(header(&ok, "x-omniroute-connection"), second);
    assert_eq!(header(&ok, "x-omniroute-attempts"), "2");
    assert_eq!(header(&ok, "x-omniroute-cache"), "BYPASS");
    header(&ok, "x-omniroute-latency-ms")
        .parse::<u64>()
        .unwrap();

    // A client error still says which provider answered it.
    mock.push(Scenario::status(400));
    let bad = chat(&server, &body, &[]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(header(&bad, "x-omniroute-provider"), "openai");
    assert_eq!(header(&bad, "x-omniroute-attempts"), "1");

    // Refused before any attempt: zero attempts.
    let unknown = chat(
        &server,
        &json!({ "model": "nosuch/model", "messages": [{ "role": "user", "content": "x" }] }),
        &[],
    )
    .await;
    assert!(unknown.status().is_client_error());
    assert_eq!(header(&unknown, "x-omniroute-attempts"), "0");
    header(&unknown, "x-omniroute-latency-ms")
        .parse::<u64>()
        .unwrap();

    // Every attempt failed: the count of attempts (the first account still rests after its
    // 429, so only the second was tried).
    mock.push(Scenario::status(500));
    let failed = chat(&server, &body, &[]).await;
    assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(header(&failed, "x-omniroute-attempts"), "1");
    header(&failed, "x-omniroute-latency-ms")
        .parse::<u64>()
        .unwrap();
}

fn sse_data(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

fn progress_events(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| l.strip_prefix(": omniroute progress "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

#[tokio::test]
async fn progress_events_announce_routing_as_sse_comments() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "first", "sk-first", &base).await;
    let second = connect(&server, "second", "sk-second", &base).await;
    mock.push(Scenario::rate_limited(30));
    mock.push(Scenario::text("after the fallback"));
    let body = json!({ "model": "openai/gpt-test", "stream": true,
        "messages": [{ "role": "user", "content": "x" }] });
    let resp = chat(&server, &body, &[("X-OmniRoute-Progress", "true")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "content-type"), "text/event-stream");
    let text = resp.text().await.unwrap();

    let events = progress_events(&text);
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["accepted", "attempt", "fallback", "attempt", "routed"],
        "{text}"
    );
    assert!(
        events[2]["error"].as_str().unwrap().contains("429"),
        "{text}"
    );
    assert_eq!(events[4]["connection"], second.as_str());
    assert_eq!(events[4]["attempts"], 2);
    // Every progress line comes before the first data line.
    let first_data = text.find("data:").unwrap();
    let last_progress = text.rfind(": omniroute progress").unwrap();
    assert!(last_progress < first_data, "{text}");
    // Apart from comments the stream is a standard one: every line is data or blank.
    for line in text.lines() {
        assert!(
            line.is_empty() || line.starts_with(':') || line.starts_with("data:"),
            "{line:?} in {text}"
        );
    }
    let content: String = sse_data(&text)
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(content, "after the fallback");
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");

    // Without the header: no progress lines.
    let plain = chat(&server, &body, &[]).await.text().await.unwrap();
    assert!(!plain.contains("omniroute progress"), "{plain}");
}

#[tokio::test]
async fn progress_streams_end_with_an_in_band_error_when_nothing_serves() {
    let (server, mock, _) = setup().await;
    mock.push(Scenario::status(503));
    let body = json!({ "model": "openai/gpt-test", "stream": true, "max_tokens": 10,
        "messages": [{ "role": "user", "content": "x" }] });
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .header("X-OmniRoute-Progress", "true")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the stream had started");
    let text = resp.text().await.unwrap();
    let events = progress_events(&text);
    assert_eq!(events.last().unwrap()["event"], "failed", "{text}");
    assert_eq!(events.last().unwrap()["status"], 503, "{text}");
    let sse_events: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("event:"))
        .map(str::trim)
        .collect();
    assert_eq!(sse_events, ["error"], "an Anthropic error event: {text}");
    let err = sse_data(&text);
    assert_eq!(err[0]["type"], "error");
    assert!(
        err[0]["error"]["message"].as_str().unwrap().contains("503"),
        "{text}"
    );
}

#[tokio::test]
async fn pacing_queues_requests_per_account_and_refuses_when_busy() {
    let (server, mock, _) = setup().await;
    let c = admin(&server).await;
    for (body, field) in [
        (json!({ "rpmLimit": -1 }), "rpmLimit"),
        (json!({ "maxConcurrent": "two" }), "maxConcurrent"),
        (json!({ "queueMaxWaitMs": 10_000_000 }), "queueMaxWaitMs"),
    ] {
        let (status, v) = put(&c, &server, "/api/settings/resilience", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains(field), "{v}");
    }
    // One at a time, a queue that waits up to 30 s: the second waits for the first.
    let (status, v) = put(
        &c,
        &server,
        "/api/settings/resilience",
        json!({ "maxConcurrent": 1, "queueMaxWaitMs": 30000, "queueMaxSize": 5 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["maxConcurrent"], 1);
    assert_eq!(v["baseCooldownSecs"], 10, "the other settings stay");
    mock.push(Scenario::text("slow one").with_first_byte_delay_ms(600));
    let body =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    let (a, b) = tokio::join!(chat(&server, &body, &[]), async {
        while mock.requests().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let queues = get(&c, &server, "/api/telemetry/queues").await;
        assert_eq!(queues["queues"][0]["running"], 1, "{queues}");
        chat(&server, &body, &[]).await
    });
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(
        b.status(),
        StatusCode::OK,
        "the queued request ran after the first"
    );
    assert_eq!(mock.requests().len(), 2);

    // No waiting allowed: while one runs, the next is refused with 429 and Retry-After.
    put(
        &c,
        &server,
        "/api/settings/resilience",
        json!({ "queueMaxWaitMs": 0 }),
    )
    .await;
    mock.push(Scenario::text("slow again").with_first_byte_delay_ms(1500));
    let (a, b) = tokio::join!(chat(&server, &body, &[]), async {
        while mock.requests().len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        chat(&server, &body, &[]).await
    });
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(b.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(b.headers().get("retry-after").is_some());
    let err: Value = b.json().await.unwrap();
    assert!(
        err["error"]["message"].as_str().unwrap().contains("busy"),
        "{err}"
    );
    assert_eq!(
        mock.requests().len(),
        3,
        "the refused request never reached the upstream"
    );

    // RPM: one request per minute; the second is refused with the time until a slot frees.
    put(
        &c,
        &server,
        "/api/settings/resilience",
        json!({ "maxConcurrent": 0, "rpmLimit": 1 }),
    )
    .await;
    let r = chat(&server, &body, &[]).await;
    assert_eq!(r.status(), StatusCode::OK, "the first of the minute");
    let r = chat(&server, &body, &[]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = header(&r, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
}

#[tokio::test]
async fn a_busy_account_passes_the_request_to_the_next() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let base = format!("{}/v1", mock.url());
    connect(&server, "first", "sk-first", &base).await;
    let second = connect(&server, "second", "sk-second", &base).await;
    let c = admin(&server).await;
    put(
        &c,
        &server,
        "/api/settings/resilience",
        json!({ "maxConcurrent": 1, "queueMaxWaitMs": 0 }),
    )
    .await;
    mock.push(Scenario::text("slow").with_first_byte_delay_ms(1500));
    let body =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "x" }] });
    let (a, b) = tokio::join!(chat(&server, &body, &[]), async {
        while mock.requests().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        chat(&server, &body, &[]).await
    });
    assert_eq!(a.status(), StatusCode::OK);
    assert_eq!(b.status(), StatusCode::OK);
    assert_eq!(header(&b, "x-omniroute-connection"), second);
}

#[tokio::test]
async fn latency_telemetry_reports_percentiles_per_provider() {
    let (server, _mock, _) = setup().await;
    let c = admin(&server).await;
    let empty = get(&c, &server, "/api/telemetry/latency").await;
    assert_eq!(empty["providers"], json!([]));
    for i in 0..5 {
        let body = json!({ "model": "openai/gpt-test", "stream": i % 2 == 0,
            "messages": [{ "role": "user", "content": "x" }] });
        let r = chat(&server, &body, &[]).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.unwrap();
    }
    let v = get(&c, &server, "/api/telemetry/latency").await;
    let p = &v["providers"][0];
    assert_eq!(p["provider"], "openai", "{v}");
    assert_eq!(p["samples"], 5, "{v}");
    let (p50, p95, p99) = (
        p["p50Ms"].as_u64().unwrap(),
        p["p95Ms"].as_u64().unwrap(),
        p["p99Ms"].as_u64().unwrap(),
    );
    assert!(p50 <= p95 && p95 <= p99, "{v}");
}
