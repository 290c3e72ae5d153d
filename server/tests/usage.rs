//! Usage recording, pricing, cost and budgets through the real binary and a real mock
//! upstream: rows with exact tokens (streams and other dialects included), failed attempts,
//! client disconnects, rows surviving SIGTERM, costs, the pricing API, budgets at the boundary
//! and the 429 they cause, the summary and the request log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockHandle, MockUpstream, Scenario, Usage};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A logged-in management client.
async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn connect(
    c: &reqwest::Client,
    server: &Server,
    provider: &str,
    name: &str,
    base: &str,
) -> String {
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": provider, "apiKey": "sk-test", "name": name, "baseUrl": base }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    body["connection"]["id"].as_str().unwrap().to_string()
}

async fn setup(provider: &str) -> (Server, MockHandle, reqwest::Client) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, provider, "main", &format!("{}/v1", mock.url())).await;
    (server, mock, c)
}

/// A new API key: (id, key).
async fn new_key(c: &reqwest::Client, server: &Server, name: &str) -> (String, String) {
    let resp = c
        .post(server.url("/api/keys"))
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let v: Value = resp.json().await.unwrap();
    (
        v["id"].as_str().unwrap().to_string(),
        v["key"].as_str().unwrap().to_string(),
    )
}

async fn get(c: &reqwest::Client, server: &Server, path: &str) -> (StatusCode, Value) {
    let resp = c.get(server.url(path)).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls the request log until `n` rows match `query` (the writer flushes every ~100 ms).
async fn wait_logs(c: &reqwest::Client, server: &Server, query: &str, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, v) = get(c, server, &format!("/api/usage/logs?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        if v["total"].as_u64().unwrap() >= n {
            assert_eq!(v["total"].as_u64().unwrap(), n, "{query}: {v}");
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "expected {n} row(s) for {query}, got {v}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn usage(input: u64, output: u64, cache_read: u64, cache_write: u64, reasoning: u64) -> Usage {
    Usage {
        input: Some(input),
        output: Some(output),
        cache_read,
        cache_write,
        reasoning: Some(reasoning),
    }
}

fn tokens(row: &Value) -> [u64; 5] {
    let t = &row["tokens"];
    ["input", "output", "cacheRead", "cacheWrite", "reasoning"].map(|k| t[k].as_u64().unwrap())
}

async fn chat(server: &Server, key: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    req.send().await.unwrap()
}

fn hello(model: &str) -> Value {
    json!({ "model": model, "messages": [{ "role": "user", "content": "hello" }] })
}

#[tokio::test]
async fn rows_have_exact_tokens_for_plain_and_streamed_requests_in_two_dialects() {
    let (server, mock, c) = setup("openai").await;
    mock.push(Scenario::text("plain answer").with_usage(usage(11, 7, 5, 0, 3)));
    let resp = chat(&server, None, hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();

    // Anthropic client, streamed, through the OpenAI upstream
    mock.push(Scenario::text("streamed answer here").with_usage(usage(21, 13, 4, 0, 2)));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .json(
            &json!({ "model": "openai/gpt-test", "max_tokens": 50, "stream": true,
                       "messages": [{ "role": "user", "content": "stream" }] }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(text.contains("message_stop"), "{text}");

    let logs = wait_logs(&c, &server, "", 2).await;
    let rows = logs["logs"].as_array().unwrap();
    let (streamed, plain) = (&rows[0], &rows[1]); // newest first
    assert_eq!(tokens(plain), [11, 7, 5, 0, 3], "{plain}");
    assert_eq!(plain["endpoint"], "chat");
    assert_eq!(plain["clientFormat"], "openai_chat");
    assert_eq!(plain["upstreamFormat"], "openai_chat");
    assert_eq!(plain["provider"], "openai");
    assert_eq!(plain["model"], "gpt-test");
    assert_eq!(plain["requestedModel"], "openai/gpt-test");
    assert_eq!(plain["status"], 200);
    assert_eq!(plain["success"], true);
    assert_eq!(plain["streamed"], false);
    assert_eq!(plain["attempt"], 1);
    assert!(plain["apiKeyId"].is_null(), "anonymous on loopback");
    assert!(plain["connectionId"].is_string());

    assert_eq!(tokens(streamed), [21, 13, 4, 0, 2], "{streamed}");
    assert_eq!(streamed["endpoint"], "messages");
    assert_eq!(streamed["clientFormat"], "anthropic");
    assert_eq!(streamed["streamed"], true);
    assert_eq!(streamed["status"], 200);
    assert!(streamed["ttftMs"].is_u64(), "{streamed}");

    // gpt-test has no price: the cost is unknown, not $0
    assert!(plain["cost"].is_null() && streamed["cost"].is_null());
    let (_, summary) = get(&c, &server, "/api/usage/summary").await;
    let totals = &summary["totals"];
    assert_eq!(totals["requests"], 2, "{summary}");
    assert!(totals["cost"].is_null(), "{summary}");
    assert_eq!(totals["unknownCostRequests"], 2);
    assert_eq!(totals["tokens"]["input"], 32);
    assert_eq!(totals["tokens"]["output"], 20);
    assert_eq!(totals["tokens"]["cacheRead"], 9);
    assert_eq!(totals["tokens"]["reasoning"], 5);
}

#[tokio::test]
async fn cost_counts_cache_and_reasoning_tokens_for_priced_models() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let base = format!("{}/v1", mock.url());
    connect(&c, &server, "openai", "oa", &base).await;
    connect(&c, &server, "anthropic", "an", &base).await;

    // the seed prices are listed
    let (_, pricing) = get(&c, &server, "/api/pricing?provider=anthropic").await;
    let sonnet = pricing["pricing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["model"] == "claude-sonnet-4-5-20250929")
        .unwrap_or_else(|| panic!("{pricing}"))
        .clone();
    assert_eq!(sonnet["source"], "seed");
    assert_eq!(sonnet["cacheWrite"], 3.75);
    assert!(pricing["pricing"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["provider"] == "anthropic"));

    // gpt-4.1: in 2, out 8, cache read 0.5; reasoning (200) is inside output (500)
    mock.push(Scenario::text("a").with_usage(usage(1000, 500, 3000, 0, 200)));
    let resp = chat(&server, None, hello("openai/gpt-4.1")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();
    // claude-sonnet-4-5: in 3, out 15, cache read 0.3, cache write 3.75 (Anthropic upstream)
    mock.push(Scenario::text("b").with_usage(usage(1000, 2000, 10_000, 4000, 0)));
    let resp = chat(&server, None, hello("anthropic/claude-sonnet-4-5-20250929")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();
    // no price
    let resp = chat(&server, None, hello("openai/gpt-unpriced")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();

    let logs = wait_logs(&c, &server, "", 3).await;
    let rows = logs["logs"].as_array().unwrap();
    let cost = |i: usize| rows[i]["cost"].as_f64();
    let gpt = cost(2).unwrap();
    assert!((gpt - 0.0075).abs() < 1e-12, "{}", rows[2]);
    assert_eq!(
        tokens(&rows[1]),
        [1000, 2000, 10_000, 4000, 0],
        "{}",
        rows[1]
    );
    let claude = cost(1).unwrap();
    assert!((claude - 0.051).abs() < 1e-12, "{}", rows[1]);
    assert_eq!(cost(0), None, "unknown price is null: {}", rows[0]);

    let (_, summary) = get(&c, &server, "/api/usage/summary?groupBy=model").await;
    let total = summary["totals"]["cost"].as_f64().unwrap();
    assert!((total - 0.0585).abs() < 1e-12, "{summary}");
    assert_eq!(summary["totals"]["unknownCostRequests"], 1);
    let groups = summary["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3, "{summary}");
    let unpriced = groups.iter().find(|g| g["key"] == "gpt-unpriced").unwrap();
    assert!(unpriced["cost"].is_null());
}

#[tokio::test]
async fn a_failed_attempt_is_recorded_with_the_successful_failover() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let base = format!("{}/v1", mock.url());
    let first = connect(&c, &server, "openai", "first", &base).await;
    let second = connect(&c, &server, "openai", "second", &base).await;
    mock.push(Scenario::status(500));
    mock.push(Scenario::text("ok").with_usage(usage(3, 4, 0, 0, 0)));
    let resp = chat(&server, None, hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();

    let logs = wait_logs(&c, &server, "", 2).await;
    let rows = logs["logs"].as_array().unwrap();
    let (ok, failed) = (&rows[0], &rows[1]);
    assert_eq!(failed["attempt"], 1);
    assert_eq!(failed["status"], 500);
    assert_eq!(failed["success"], false);
    assert!(
        failed["error"].as_str().unwrap().contains("500"),
        "{failed}"
    );
    assert_eq!(tokens(failed), [0; 5]);
    assert_eq!(
        failed["cost"], 0.0,
        "a failed attempt without tokens costs nothing"
    );
    assert_eq!(ok["attempt"], 2);
    assert_eq!(ok["status"], 200);
    assert_eq!(tokens(ok), [3, 4, 0, 0, 0]);
    assert_eq!(ok["requestId"], failed["requestId"]);
    let used: Vec<&str> = [failed, ok]
        .iter()
        .map(|r| r["connectionId"].as_str().unwrap())
        .collect();
    let mut expected = vec![first.as_str(), second.as_str()];
    expected.sort();
    let mut sorted = used.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "one attempt per connection");

    // the detail view shows both attempts
    let (status, detail) = get(&c, &server, &format!("/api/usage/logs/{}", ok["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["log"]["id"], ok["id"]);
    assert_eq!(detail["attempts"].as_array().unwrap().len(), 2, "{detail}");
    let (status, _) = get(&c, &server, "/api/usage/logs/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&c, &server, "/api/usage/logs/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // summary: two rows, one failed, one client request
    let (_, summary) = get(&c, &server, "/api/usage/summary").await;
    assert_eq!(summary["totals"]["requests"], 2);
    assert_eq!(summary["totals"]["failed"], 1);
    assert_eq!(summary["totals"]["clientRequests"], 1);
}

#[tokio::test]
async fn a_client_that_disconnects_mid_stream_still_produces_a_row() {
    let (server, mock, c) = setup("anthropic").await;
    let words: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
    // Anthropic reports the input tokens in message_start, before any text
    mock.push(
        Scenario::text(words.join(" "))
            .with_usage(usage(42, 60, 0, 0, 0))
            .with_chunk_delay_ms(50),
    );
    let mut resp = chat(
        &server,
        None,
        json!({ "model": "anthropic/claude-test", "stream": true,
                "messages": [{ "role": "user", "content": "go" }] }),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let first = resp.chunk().await.unwrap().unwrap();
    assert!(!first.is_empty());
    drop(resp); // the client goes away mid-stream

    let logs = wait_logs(&c, &server, "", 1).await;
    let row = &logs["logs"][0];
    assert_eq!(row["status"], 499, "{row}");
    assert_eq!(row["success"], false);
    assert_eq!(row["streamed"], true);
    assert_eq!(row["tokens"]["input"], 42, "usage seen so far: {row}");
    assert!(row["error"].as_str().unwrap().contains("client closed"));
    // exactly once: no second row appears later
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, v) = get(&c, &server, "/api/usage/logs").await;
    assert_eq!(v["total"], 1, "{v}");
}

#[tokio::test]
async fn rows_queued_just_before_sigterm_are_written() {
    let mock = MockUpstream::start().await;
    let tmp = tempfile::tempdir().unwrap();
    // A flush interval far longer than the test: only the shutdown drain can write the rows.
    let mut server = Server::start_in(
        tmp.path(),
        &[
            ("INITIAL_PASSWORD", PASSWORD),
            ("OMNIROUTE_USAGE_FLUSH_MS", "600000"),
        ],
    );
    let c = admin(&server).await;
    connect(&c, &server, "openai", "main", &format!("{}/v1", mock.url())).await;
    for i in 0..3u64 {
        mock.push(Scenario::text("x").with_usage(usage(10 + i, 1, 0, 0, 0)));
        let resp = chat(&server, None, hello("openai/gpt-test")).await;
        assert_eq!(resp.status(), StatusCode::OK);
        resp.text().await.unwrap();
    }
    let (_, before) = get(&c, &server, "/api/usage/logs").await;
    assert_eq!(before["total"], 0, "not flushed yet: {before}");
    assert!(server.terminate().success());
    drop(server);

    let server = Server::start_in(tmp.path(), &[]);
    let c = admin(&server).await;
    let (_, after) = get(&c, &server, "/api/usage/logs").await;
    assert_eq!(after["total"], 3, "{after}");
    let inputs: Vec<u64> = after["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tokens"]["input"].as_u64().unwrap())
        .collect();
    assert_eq!(inputs, vec![12, 11, 10]);
}

async fn send(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = c.request(method, url);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn pricing_can_be_listed_changed_and_reset_to_the_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", PASSWORD)]);
    let c = admin(&server).await;
    let url = server.url("/api/pricing");
    use reqwest::Method;

    // unauthenticated: refused
    let (status, _) = send(&client(), Method::GET, url.clone(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, list) = get(&c, &server, "/api/pricing").await;
    assert_eq!(status, StatusCode::OK);
    let find = |list: &Value, p: &str, m: &str| {
        list["pricing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["provider"] == p && r["model"] == m)
            .cloned()
    };
    let seed = find(&list, "openai", "gpt-4.1").unwrap();
    assert_eq!(
        (seed["input"].as_f64(), seed["source"].as_str()),
        (Some(2.0), Some("seed"))
    );

    // override as a user price (by prefix "openai")
    let (status, put) = send(
        &c,
        Method::PUT,
        url.clone(),
        Some(json!({ "provider": "openai", "model": "gpt-4.1", "input": 1.5, "output": 6 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{put}");
    assert_eq!(put["pricing"]["source"], "user");
    assert_eq!(put["pricing"]["input"], 1.5);
    assert!(
        put["pricing"]["cacheRead"].is_null(),
        "PUT replaces the row"
    );

    // PATCH changes only the given fields
    let (status, patched) = send(
        &c,
        Method::PATCH,
        url.clone(),
        Some(json!({ "provider": "openai", "model": "gpt-4.1", "cacheRead": 0.25 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["pricing"]["input"], 1.5);
    assert_eq!(patched["pricing"]["cacheRead"], 0.25);

    // a price for a model the registry does not know
    let (status, _) = send(
        &c,
        Method::PUT,
        url.clone(),
        Some(json!({ "provider": "openai", "model": "my-model", "input": 1, "output": 2, "cacheWrite": null })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // user rows survive a restart (the seed does not overwrite them)
    assert!(server.terminate().success());
    drop(server);
    let server = Server::start_in(tmp.path(), &[]);
    let c = admin(&server).await;
    let url = server.url("/api/pricing");
    let (_, list) = get(&c, &server, "/api/pricing?provider=openai").await;
    let row = find(&list, "openai", "gpt-4.1").unwrap();
    assert_eq!(
        (row["input"].as_f64(), row["source"].as_str()),
        (Some(1.5), Some("user"))
    );
    assert_eq!(
        list["pricing"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["model"] == "gpt-4.1")
            .count(),
        1
    );

    // deleting the user row brings the seed back; the seed itself cannot be deleted
    let del = |m: &str| server.url(&format!("/api/pricing?provider=openai&model={m}"));
    let (status, deleted) = send(&c, Method::DELETE, del("gpt-4.1"), None).await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert_eq!(deleted["pricing"]["source"], "seed");
    assert_eq!(deleted["pricing"]["input"], 2.0);
    let (status, v) = send(&c, Method::DELETE, del("gpt-4.1"), None).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("seed_price"))
    );
    let (status, deleted) = send(&c, Method::DELETE, del("my-model"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(deleted["pricing"].is_null(), "no seed to fall back to");
    let (status, _) = send(&c, Method::DELETE, del("my-model"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &c,
        Method::DELETE,
        server.url("/api/pricing?provider=openai"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // bad inputs name the field
    let cases = [
        (json!({ "model": "m", "input": 1, "output": 1 }), "provider"),
        (
            json!({ "provider": "openai", "input": 1, "output": 1 }),
            "model",
        ),
        (
            json!({ "provider": "openai", "model": "m", "input": 1 }),
            "output",
        ),
        (
            json!({ "provider": "openai", "model": "m", "input": "1", "output": 1 }),
            "input",
        ),
        (
            json!({ "provider": "openai", "model": "m", "input": -1, "output": 1 }),
            "input",
        ),
        (
            json!({ "provider": "openai", "model": "m", "input": 1, "output": 1, "cacheRead": true }),
            "cacheRead",
        ),
        (
            json!({ "provider": "nope", "model": "m", "input": 1, "output": 1 }),
            "provider",
        ),
    ];
    for (body, field) in cases {
        let (status, v) = send(&c, Method::PUT, url.clone(), Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert!(
            v["message"].as_str().unwrap().starts_with(field),
            "{body}: {v}"
        );
    }
    let resp = c
        .put(url.clone())
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

async fn set_budget(c: &reqwest::Client, server: &Server, body: Value) -> (StatusCode, Value) {
    send(
        c,
        reqwest::Method::POST,
        server.url("/api/usage/budget"),
        Some(body),
    )
    .await
}

/// Polls the budget list until the key's spend reaches `spent`.
async fn wait_spent(c: &reqwest::Client, server: &Server, key_id: &str, spent: f64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, v) = get(c, server, "/api/usage/budget").await;
        let budget = v["budgets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["keyId"] == key_id)
            .cloned()
            .unwrap_or_else(|| panic!("{v}"));
        if budget["spent"].as_f64().unwrap() >= spent {
            return budget;
        }
        assert!(
            Instant::now() < deadline,
            "spend never reached {spent}: {budget}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_key_at_its_budget_is_refused_in_its_dialect_and_one_below_is_served() {
    let (server, mock, c) = setup("openai").await;
    let (key_id, key) = new_key(&c, &server, "budgeted").await;
    // $2 in, $8 out per 1M: 250k in + 62.5k out = $0.50 + $0.50 = exactly $1.00
    let (status, v) = send(
        &c,
        reqwest::Method::PUT,
        server.url("/api/pricing"),
        Some(json!({ "provider": "openai", "model": "gpt-test", "input": 2, "output": 8 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = set_budget(
        &c,
        &server,
        json!({ "keyId": key_id, "limit": 1, "period": "daily" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["budget"]["spent"], 0.0);
    assert_eq!(v["budget"]["remaining"], 1.0);
    assert_eq!(v["budget"]["warningThreshold"], 0.8);

    mock.push(Scenario::text("a").with_usage(usage(250_000, 62_500, 0, 0, 0)));
    let resp = chat(&server, Some(&key), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK, "spent 0 < limit 1");
    resp.text().await.unwrap();
    let budget = wait_spent(&c, &server, &key_id, 1.0).await;
    assert_eq!(budget["spent"], 1.0, "{budget}");
    assert_eq!(budget["remaining"], 0.0);
    assert_eq!(budget["exceeded"], true);
    assert_eq!(budget["warning"], true);
    assert_eq!(budget["keyName"], "budgeted");
    assert_eq!(budget["period"], "daily");
    let resets = budget["resetsAt"].as_str().unwrap();
    assert!(resets.ends_with("T00:00:00.000Z"), "{resets}");
    // crossing the warning threshold (80%) logged a warning, once
    let warning = format!("API key {key_id} has spent $1.0000 of its $1.00 daily budget");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log_text().contains(&warning) {
        assert!(
            Instant::now() < deadline,
            "no warning in:\n{}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.log_text().matches("has spent").count(), 1);

    // spend exactly at the limit: refused, OpenAI dialect
    let resp = chat(&server, Some(&key), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry), "{retry}");
    let body: Value = resp.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("daily budget"), "{message}");
    assert!(message.contains("$1.00"), "{message}");
    assert!(
        message.contains(&resets[..10]),
        "names the reset: {message}"
    );
    // ... and in the Anthropic dialect
    let resp = reqwest::Client::new()
        .post(server.url("/v1/messages"))
        .header("x-api-key", &key)
        .json(&json!({ "model": "openai/gpt-test", "max_tokens": 5, "messages": [{ "role": "user", "content": "x" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["type"], "error", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("budget"),
        "{body}"
    );
    assert_eq!(
        mock.requests().len(),
        1,
        "refused requests never reach the upstream"
    );
    // the refusals are in the log
    wait_logs(&c, &server, &format!("status=429&keyId={key_id}"), 2).await;

    // raise the limit: spent 1.00 is just under 1.01, so the next request is served
    let (status, _) = set_budget(
        &c,
        &server,
        json!({ "keyId": key_id, "limit": 1.01, "period": "daily" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    mock.push(Scenario::text("b").with_usage(usage(250_000, 62_500, 0, 0, 0)));
    let resp = chat(&server, Some(&key), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap();
    wait_spent(&c, &server, &key_id, 2.0).await;
    let resp = chat(&server, Some(&key), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);

    // another key is not affected; anonymous callers have no budget
    let (_, other) = new_key(&c, &server, "other").await;
    let resp = chat(&server, Some(&other), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK);

    // removing the budget lifts the limit
    let del = server.url(&format!("/api/usage/budget?keyId={key_id}"));
    let (status, _) = send(&c, reqwest::Method::DELETE, del.clone(), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(&c, reqwest::Method::DELETE, del, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let resp = chat(&server, Some(&key), hello("openai/gpt-test")).await;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn budget_requests_are_validated() {
    let server = Server::start();
    let c = admin(&server).await;
    let (key_id, _) = new_key(&c, &server, "k").await;
    let cases = [
        (json!({ "limit": 5 }), 400, "keyId"),
        (json!({ "keyId": key_id }), 400, "limit"),
        (json!({ "keyId": key_id, "limit": 0 }), 400, "limit"),
        (json!({ "keyId": key_id, "limit": "5" }), 400, "limit"),
        (
            json!({ "keyId": key_id, "limit": 5, "period": "yearly" }),
            400,
            "period",
        ),
        (
            json!({ "keyId": key_id, "limit": 5, "warningThreshold": 1.5 }),
            400,
            "warningThreshold",
        ),
        (json!({ "keyId": "key_missing", "limit": 5 }), 404, ""),
    ];
    for (body, status, field) in cases {
        let (got, v) = set_budget(&c, &server, body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body}: {v}");
        assert!(
            v["message"].as_str().unwrap().starts_with(field),
            "{body}: {v}"
        );
    }
    let (status, v) = set_budget(&c, &server, json!({ "keyId": key_id, "limit": 50.0 })).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["budget"]["period"], "monthly", "the default period");
    let (status, v) = set_budget(
        &c,
        &server,
        json!({ "keyId": key_id, "limit": 20, "period": "weekly", "warningThreshold": 0.5 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["budget"]["period"], "weekly");
    let (_, list) = get(&c, &server, "/api/usage/budget").await;
    assert_eq!(
        list["budgets"].as_array().unwrap().len(),
        1,
        "replaced, not added: {list}"
    );
    assert_eq!(list["budgets"][0]["limit"], 20.0);
    assert_eq!(list["budgets"][0]["warningThreshold"], 0.5);
    let (status, _) = send(
        &c,
        reqwest::Method::DELETE,
        server.url("/api/usage/budget"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(
        &client(),
        reqwest::Method::GET,
        server.url("/api/usage/budget"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn summary_history_and_logs_filter_and_paginate() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let base = format!("{}/v1", mock.url());
    connect(&c, &server, "openai", "oa", &base).await;
    connect(&c, &server, "anthropic", "an", &base).await;
    let (key_id, key) = new_key(&c, &server, "reporting").await;
    for i in 0..3 {
        mock.push(Scenario::text("o").with_usage(usage(10, 1, 0, 0, 0)));
        let k = (i == 0).then_some(key.as_str());
        let resp = chat(&server, k, hello("openai/gpt-test")).await;
        assert_eq!(resp.status(), StatusCode::OK);
        resp.text().await.unwrap();
    }
    for _ in 0..2 {
        mock.push(Scenario::text("a").with_usage(usage(100, 2, 0, 0, 0)));
        let resp = chat(&server, None, hello("anthropic/claude-test")).await;
        assert_eq!(resp.status(), StatusCode::OK);
        resp.text().await.unwrap();
    }
    // a refused request (unknown model) is logged without a provider
    let resp = chat(&server, None, hello("openai-nope/x")).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let all = wait_logs(&c, &server, "", 6).await;
    assert_eq!(all["logs"][0]["status"], 404);
    assert!(all["logs"][0]["provider"].is_null());

    let (status, s) = get(&c, &server, "/api/usage/summary?groupBy=provider").await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let groups = s["groups"].as_array().unwrap();
    let by = |k: &str| {
        groups
            .iter()
            .find(|g| g["key"] == k)
            .cloned()
            .unwrap_or_else(|| panic!("{s}"))
    };
    assert_eq!(by("openai")["requests"], 3);
    assert_eq!(by("openai")["tokens"]["input"], 30);
    assert_eq!(by("anthropic")["requests"], 2);
    assert_eq!(by("anthropic")["tokens"]["input"], 200);
    assert_eq!(s["totals"]["requests"], 6);
    assert_eq!(s["totals"]["failed"], 1);

    let (_, s) = get(&c, &server, "/api/usage/summary?groupBy=key").await;
    let named = s["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (named["name"].as_str(), named["requests"].as_i64()),
        (Some("reporting"), Some(1))
    );
    let (_, s) = get(&c, &server, "/api/usage/summary?groupBy=day").await;
    assert_eq!(s["groups"].as_array().unwrap().len(), 1);
    assert!(s["groups"][0]["key"]
        .as_str()
        .unwrap()
        .ends_with("T00:00:00.000Z"));

    let (_, h) = get(&c, &server, "/api/usage/history?bucket=hour").await;
    let points = h["points"].as_array().unwrap();
    let sum: i64 = points.iter().map(|p| p["requests"].as_i64().unwrap()).sum();
    assert_eq!((h["bucket"].as_str(), sum), (Some("hour"), 6), "{h}");

    // filters
    let (_, v) = get(&c, &server, "/api/usage/logs?provider=anthropic").await;
    assert_eq!(v["total"], 2);
    assert!(v["logs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["provider"] == "anthropic"));
    let (_, v) = get(&c, &server, "/api/usage/logs?model=gpt-test").await;
    assert_eq!(v["total"], 3);
    let (_, v) = get(&c, &server, &format!("/api/usage/logs?keyId={key_id}")).await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["logs"][0]["apiKeyName"], "reporting");
    let (_, v) = get(&c, &server, "/api/usage/logs?status=ok").await;
    assert_eq!(v["total"], 5);
    let (_, v) = get(&c, &server, "/api/usage/logs?status=error").await;
    assert_eq!(v["total"], 1);
    let (_, v) = get(&c, &server, "/api/usage/logs?status=404").await;
    assert_eq!(v["total"], 1);
    let (_, v) = get(&c, &server, "/api/usage/logs?from=2099-01-01").await;
    assert_eq!(v["total"], 0);
    let (_, v) = get(&c, &server, "/api/usage/summary?to=2000-01-01").await;
    assert_eq!(v["totals"]["requests"], 0);

    // pagination: newest first, stable pages
    let (_, p1) = get(&c, &server, "/api/usage/logs?limit=4").await;
    let (_, p2) = get(&c, &server, "/api/usage/logs?limit=4&offset=4").await;
    assert_eq!(
        (p1["total"].as_u64(), p2["total"].as_u64()),
        (Some(6), Some(6))
    );
    assert_eq!(p1["logs"].as_array().unwrap().len(), 4);
    assert_eq!(p2["logs"].as_array().unwrap().len(), 2);
    let ids: Vec<i64> = p1["logs"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["logs"].as_array().unwrap())
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted, "newest first, no row twice");

    // bad queries name the parameter
    for (q, name) in [
        ("/api/usage/logs?limit=abc", "limit"),
        ("/api/usage/logs?limit=5000", "limit"),
        ("/api/usage/logs?status=maybe", "status"),
        ("/api/usage/logs?from=yesterday", "from"),
        ("/api/usage/summary?groupBy=color", "groupBy"),
        ("/api/usage/summary?from=2026-01-02&to=2026-01-01", "from"),
        ("/api/usage/history?bucket=minute", "bucket"),
    ] {
        let (status, v) = get(&c, &server, q).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert!(v["message"].as_str().unwrap().starts_with(name), "{q}: {v}");
    }
    let (status, _) = get(&client(), &server, "/api/usage/logs").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
