//! Routing through the real binary against the real mock upstream: auto-routing variants
//! (seeded), aliases, fallback chains, context-length fallback, per-model lockout,
//! wait-for-cooldown, provider blocking, context relay and the decision records.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{ErrorKind, Fault, MockHandle, MockUpstream, Scenario};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn call(
    c: &reqwest::Client,
    s: &Server,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = c.request(method.parse().unwrap(), s.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn ok(c: &reqwest::Client, s: &Server, method: &str, path: &str, body: Value) -> Value {
    let (status, v) = call(c, s, method, path, Some(body)).await;
    assert!(status.is_success(), "{method} {path}: {status} {v}");
    v
}

/// A connection of `provider` pointed at the mock; returns its id.
async fn connect(c: &reqwest::Client, s: &Server, provider: &str, key: &str, base: &str) -> String {
    let v = ok(
        c,
        s,
        "POST",
        "/api/providers",
        json!({ "provider": provider, "apiKey": key, "name": key, "baseUrl": base }),
    )
    .await;
    v["connection"]["id"].as_str().unwrap().to_string()
}

struct Chat {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Chat {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn text(&self) -> &str {
        self.body["choices"][0]["message"]["content"]
            .as_str()
            .unwrap_or("")
    }
    fn error(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

async fn chat_with(s: &Server, body: Value) -> Chat {
    let resp = reqwest::Client::new()
        .post(s.url("/v1/chat/completions"))
        .header("x-omniroute-no-cache", "true")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    Chat {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

async fn chat(s: &Server, model: &str, prompt: &str) -> Chat {
    chat_with(
        s,
        json!({ "model": model, "messages": [{ "role": "user", "content": prompt }] }),
    )
    .await
}

/// The models the mock was asked for, in order.
fn asked(mock: &MockHandle) -> Vec<String> {
    mock.requests().iter().filter_map(|r| r.model()).collect()
}

async fn decision(c: &reqwest::Client, s: &Server, id: &str) -> Value {
    let (status, v) = call(c, s, "GET", &format!("/api/routing/decisions/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["decision"].clone()
}

/// A custom OpenAI-compatible node `lab` on the mock with three priced models, plus an
/// OpenAI connection on the mock (a cloud provider, for auto/offline).
async fn lab(s: &Server, mock: &MockHandle) -> reqwest::Client {
    let c = admin(s).await;
    let node = ok(
        &c,
        s,
        "POST",
        "/api/provider-nodes",
        json!({ "name": "Lab", "prefix": "lab", "baseUrl": format!("{}/v1", mock.url()) }),
    )
    .await;
    let node_id = node["node"]["id"].as_str().unwrap().to_string();
    connect(&c, s, &node_id, "sk-lab", &format!("{}/v1", mock.url())).await;
    for (model, input, output) in [
        ("fast-mini", 0.1, 0.1),
        ("deep-coder", 2.0, 2.0),
        ("big-opus", 15.0, 60.0),
    ] {
        ok(
            &c,
            s,
            "POST",
            "/api/provider-models",
            json!({ "provider": node_id, "modelId": model }),
        )
        .await;
        ok(
            &c,
            s,
            "PUT",
            "/api/pricing",
            json!({ "provider": node_id, "model": model, "input": input, "output": output }),
        )
        .await;
    }
    c
}

#[tokio::test]
async fn auto_variants_pick_as_scored_and_keep_a_decision() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = lab(&server, &mock).await;
    // Only the lab node: every candidate is one of its three models.
    for (variant, expected) in [
        ("auto", "fast-mini"),
        ("auto/cheap", "fast-mini"),
        ("auto/fast", "fast-mini"),
        ("auto/coding", "deep-coder"),
        ("auto/smart", "big-opus"),
        ("auto/offline", "fast-mini"),
    ] {
        let r = chat(&server, variant, "pick one").await;
        assert_eq!(r.status, StatusCode::OK, "{variant}: {}", r.body);
        assert_eq!(r.header("x-omniroute-model"), Some(expected), "{variant}");
        assert_eq!(r.text(), "mock: pick one");
        let id = r.header("x-omniroute-decision-id").unwrap().to_string();
        let d = decision(&c, &server, &id).await;
        assert_eq!(d["kind"], "auto");
        assert_eq!(d["strategy"], variant);
        assert_eq!(d["winner"]["model"], format!("lab/{expected}"));
        let candidates = d["candidates"].as_array().unwrap();
        assert_eq!(candidates.len(), 3, "{d}");
        let scores: Vec<f64> = candidates
            .iter()
            .map(|c| c["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{variant}: best first {scores:?}"
        );
        assert!(candidates[0]["factors"]["cost"].as_f64().is_some());
        assert_eq!(d["status"], 200);
        assert_eq!(d["fallbacks"], 0);
    }
    assert_eq!(
        asked(&mock),
        [
            "fast-mini",
            "fast-mini",
            "fast-mini",
            "deep-coder",
            "big-opus",
            "fast-mini"
        ]
    );

    // A cloud provider joins: offline still picks only local (loopback) endpoints.
    connect(
        &c,
        &server,
        "openai",
        "sk-oa",
        &format!("{}/v1", mock.url()),
    )
    .await;
    let r = chat(&server, "auto/offline", "local only").await;
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert!(d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["model"].as_str().unwrap().starts_with("lab/")));
    // The blacklist keeps auto away from a provider; the weights are tunable.
    let (status, v) = call(
        &c,
        &server,
        "PUT",
        "/api/settings/auto-routing",
        Some(json!({ "blacklist": ["openai"], "weights": { "cost": 3, "taskFit": 0.5 }, "poolSize": 8 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["weights"]["cost"], 3.0);
    assert_eq!(v["blacklist"], json!(["openai"]));
    let r = chat(&server, "auto", "no openai").await;
    assert_eq!(
        r.header("x-omniroute-provider").map(|p| p != "openai"),
        Some(true)
    );
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert!(d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["provider"] != "openai"));

    // bad settings name the field
    for (body, needle) in [
        (json!({ "weights": { "speed": 1 } }), "weights.speed"),
        (json!({ "weights": { "cost": -1 } }), "weights.cost"),
        (json!({ "blacklist": ["nope-provider"] }), "blacklist[0]"),
        (json!({ "poolSize": 0 }), "poolSize"),
        (json!({ "exploration": 2 }), "exploration"),
    ] {
        let (status, v) = call(&c, &server, "PUT", "/api/settings/auto-routing", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains(needle), "{v}");
    }
    let r = chat(&server, "auto/whatever", "x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().contains("auto/coding"), "{}", r.body);
}

/// The winners of 16 `auto` requests with exploration at 0.5 on a server seeded with `seed`.
async fn explored_winners(seed: &str) -> Vec<String> {
    let mock = MockUpstream::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        tmp.path(),
        &[
            ("INITIAL_PASSWORD", PASSWORD),
            ("OMNIROUTE_ROUTING_SEED", seed),
        ],
    );
    let c = lab(&server, &mock).await;
    ok(
        &c,
        &server,
        "PUT",
        "/api/settings/auto-routing",
        json!({ "exploration": 0.5 }),
    )
    .await;
    let mut out = Vec::new();
    for _ in 0..16 {
        let r = chat(&server, "auto", "explore").await;
        assert_eq!(r.status, StatusCode::OK);
        out.push(r.header("x-omniroute-model").unwrap().to_string());
    }
    out
}

#[tokio::test]
async fn seeded_exploration_repeats_exactly() {
    let a = explored_winners("7").await;
    let b = explored_winners("7").await;
    assert_eq!(a, b, "the same seed, the same decisions");
    assert!(a.iter().any(|m| m != "fast-mini"), "some explored: {a:?}");
    assert!(a.iter().any(|m| m == "fast-mini"), "most exploit: {a:?}");
}

#[tokio::test]
async fn an_auto_combo_ranks_its_steps_with_the_scorer() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = lab(&server, &mock).await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "smartpick", "strategy": "auto", "models": ["lab/big-opus", "lab/deep-coder", "lab/fast-mini"] }),
    )
    .await;
    let r = chat(&server, "smartpick", "hi").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("x-omniroute-model"), Some("fast-mini"));
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert_eq!(d["kind"], "combo");
    assert_eq!(d["strategy"], "auto");
    assert!(d["candidates"][0]["score"].as_f64().is_some(), "{d}");
}

#[tokio::test]
async fn aliases_rewrite_the_model_most_specific_first() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    let (status, v) = call(
        &c,
        &server,
        "PUT",
        "/api/settings/aliases",
        Some(json!([
            { "pattern": "claude-sonnet-*", "target": "openai/gpt-4o" },
            { "pattern": "claude-sonnet-4", "target": "openai/gpt-4o-mini" },
            { "pattern": "claude-sonnet-4-?", "target": "openai/o3" },
        ])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["aliases"].as_array().unwrap().len(), 3);
    for (asked_for, sent) in [
        ("claude-sonnet-4", "gpt-4o-mini"), // exact beats every wildcard
        ("claude-sonnet-4-5", "o3"),        // more literal characters first
        ("claude-sonnet-4-5-2025", "gpt-4o"),
    ] {
        let r = chat(&server, asked_for, "alias").await;
        assert_eq!(r.status, StatusCode::OK, "{asked_for}: {}", r.body);
        assert_eq!(
            mock.last_request().unwrap().model().unwrap(),
            sent,
            "{asked_for}"
        );
        let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
        assert_eq!(d["requested"], asked_for);
        assert_eq!(d["routed"], format!("openai/{sent}"));
    }
    // no alias: untouched (and no decision record)
    let r = chat(&server, "openai/gpt-5", "plain").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("x-omniroute-decision-id").is_none());

    let (_, v) = call(&c, &server, "GET", "/api/settings/aliases", None).await;
    assert_eq!(v["aliases"][0]["pattern"], "claude-sonnet-*");
    for (body, needle) in [
        (
            json!([{ "pattern": "*", "target": "openai/gpt-4o" }]),
            "aliases[0]",
        ),
        (
            json!([{ "pattern": "gpt-*", "target": "gpt-4o" }]),
            "own target",
        ),
        (json!([{ "pattern": "x" }]), "aliases[0].target"),
        (json!({ "nope": 1 }), "aliases"),
    ] {
        let (status, v) = call(&c, &server, "PUT", "/api/settings/aliases", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains(needle), "{v}");
    }
}

#[tokio::test]
async fn fallback_chains_run_when_every_target_fails() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    let (status, v) = call(
        &c,
        &server,
        "PUT",
        "/api/settings/fallback-chains",
        Some(json!({ "openai/gpt-primary": ["openai/gpt-second", "openai/gpt-third"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    mock.push(Scenario::status(503).for_model("gpt-primary"));
    mock.push(Scenario::status(500).for_model("gpt-second"));
    let r = chat(&server, "openai/gpt-primary", "chain me").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.text(), "mock: chain me");
    assert_eq!(asked(&mock), ["gpt-primary", "gpt-second", "gpt-third"]);
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert_eq!(d["fallbacks"], 2);
    assert_eq!(d["winner"]["model"], "openai/gpt-third");
    assert_eq!(d["candidates"][1]["chain"], true);
    assert_eq!(d["attempts"][0]["status"], 503);

    // a client error is not a reason to use the chain
    mock.reset();
    mock.push(Scenario::status(400).for_model("gpt-primary"));
    let r = chat(&server, "openai/gpt-primary", "bad").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(asked(&mock), ["gpt-primary"]);

    for (body, needle) in [
        (json!({ "a": "b" }), "array"),
        (json!({ "a": ["a"] }), "own model"),
        (json!({ "a": [1] }), "a[0]"),
    ] {
        let (status, v) = call(
            &c,
            &server,
            "PUT",
            "/api/settings/fallback-chains",
            Some(body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains(needle), "{v}");
    }
}

#[tokio::test]
async fn a_context_length_error_moves_to_a_larger_window() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "long", "models": ["openai/gpt-4o", "openai/gpt-4o-mini", "openai/gpt-4.1"] }),
    )
    .await;
    mock.push(Scenario::context_length_exceeded().for_model("gpt-4o"));
    let r = chat(&server, "long", "a very long prompt").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // gpt-4o-mini has the same 128k window: skipped; gpt-4.1 has ~1M
    assert_eq!(asked(&mock), ["gpt-4o", "gpt-4.1"]);
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert!(
        d["attempts"][0]["action"]
            .as_str()
            .unwrap()
            .contains("larger window"),
        "{d}"
    );

    // nowhere larger to go: the client gets the 400 in its dialect
    mock.reset();
    mock.push(Scenario::context_length_exceeded().for_model("gpt-4.1"));
    let r = chat(&server, "openai/gpt-4.1", "too long everywhere").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.error().contains("maximum context length"), "{}", r.body);
    assert_eq!(asked(&mock), ["gpt-4.1"]);

    // any other 400 is returned at once, not retried on the next step
    mock.reset();
    mock.push(Scenario::status(400).for_model("gpt-4o"));
    let r = chat(&server, "long", "invalid").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(asked(&mock), ["gpt-4o"]);
}

#[tokio::test]
async fn a_missing_model_is_locked_out_of_its_connection_only() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let base = format!("{}/v1", mock.url());
    let first = connect(&c, &server, "openai", "sk-first", &base).await;
    connect(&c, &server, "openai", "sk-second", &base).await;
    mock.push(Scenario::status(404).for_model("gpt-x"));
    let r = chat(&server, "openai/gpt-x", "where").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let keys: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(keys, ["Bearer sk-first", "Bearer sk-second"]);

    let (_, res) = call(&c, &server, "GET", "/api/resilience", None).await;
    let lockouts = res["state"]["lockouts"].as_array().unwrap();
    assert_eq!(lockouts.len(), 1, "{res}");
    assert_eq!(lockouts[0]["connectionId"], first);
    assert_eq!(lockouts[0]["model"], "gpt-x");
    assert!(lockouts[0]["remainingSecs"].as_u64().unwrap() > 0);
    assert!(
        res["state"]["cooldowns"].as_array().unwrap().is_empty(),
        "the connection itself does not cool down: {res}"
    );

    // gpt-x skips the first connection; another model still uses it
    mock.reset();
    assert_eq!(
        chat(&server, "openai/gpt-x", "again").await.status,
        StatusCode::OK
    );
    assert_eq!(
        mock.last_request().unwrap().header("authorization"),
        Some("Bearer sk-second")
    );
    assert_eq!(
        chat(&server, "openai/gpt-y", "other").await.status,
        StatusCode::OK
    );
    assert_eq!(
        mock.last_request().unwrap().header("authorization"),
        Some("Bearer sk-first")
    );

    // a model-specific quota (429) locks the model out too, not the connection
    mock.reset();
    mock.push(
        Scenario::fault(Fault::Status {
            status: 429,
            kind: Some(ErrorKind::RateLimit),
            message: Some("Quota exceeded for this model".into()),
            retry_after_secs: Some(60),
        })
        .for_model("gpt-z"),
    );
    assert_eq!(
        chat(&server, "openai/gpt-z", "q").await.status,
        StatusCode::OK
    );
    let (_, res) = call(&c, &server, "GET", "/api/resilience", None).await;
    assert_eq!(
        res["state"]["lockouts"].as_array().unwrap().len(),
        2,
        "{res}"
    );
    assert!(
        res["state"]["cooldowns"].as_array().unwrap().is_empty(),
        "{res}"
    );

    // the model missing on every connection: 404; then both rest, and the client is told
    // when the earliest comes back
    mock.push(Scenario::status(404).for_model("gpt-x"));
    let r = chat(&server, "openai/gpt-x", "x").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let calls = mock.requests().len();
    let r = chat(&server, "openai/gpt-x", "x").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.error().contains("locked out"), "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert_eq!(mock.requests().len(), calls, "no upstream call");

    // reset from Health clears lockouts
    ok(&c, &server, "POST", "/api/resilience/reset", json!({})).await;
    let (_, res) = call(&c, &server, "GET", "/api/resilience", None).await;
    assert!(res["state"]["lockouts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn wait_for_cooldown_waits_only_for_a_near_recovery() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;

    // off (the default): a resting account is refused with Retry-After
    mock.push(Scenario::rate_limited(3));
    assert_eq!(
        chat(&server, "openai/gpt-w", "a").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let r = chat(&server, "openai/gpt-w", "b").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.error().contains("resting"), "{}", r.body);
    assert_eq!(mock.requests().len(), 1);
    let (_, v) = call(&c, &server, "GET", "/api/settings/wait-for-cooldown", None).await;
    assert_eq!(v["enabled"], false);

    // on, recovery within the limit: the request waits for it and is served
    let v = ok(
        &c,
        &server,
        "PUT",
        "/api/settings/wait-for-cooldown",
        json!({ "enabled": true, "maxWaitSecs": 5 }),
    )
    .await;
    assert_eq!(v["maxWaitSecs"], 5);
    let r = chat(&server, "openai/gpt-w", "patient").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.text(), "mock: patient");
    assert_eq!(mock.requests().len(), 2);

    // recovery too far away: refused at once, naming the earliest recovery and the limit
    mock.push(Scenario::rate_limited(60));
    assert_eq!(
        chat(&server, "openai/gpt-w", "c").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let r = chat(&server, "openai/gpt-w", "d").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((50..=60).contains(&retry), "{retry}");
    assert!(r.error().contains("earliest recovers in"), "{}", r.body);
    assert!(r.error().contains("waits at most 5 s"), "{}", r.body);
    assert_eq!(
        mock.requests().len(),
        3,
        "the resting account was not called"
    );

    let (status, v) = call(
        &c,
        &server,
        "PUT",
        "/api/settings/wait-for-cooldown",
        Some(json!({ "maxWaitSecs": 100000 })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("maxWaitSecs"));
}

#[tokio::test]
async fn blocked_providers_are_never_routed_to() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let base = format!("{}/v1", mock.url());
    connect(&c, &server, "openai", "sk-oa", &base).await;
    connect(&c, &server, "anthropic", "sk-an", &base).await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "both", "models": ["openai/gpt-a", "anthropic/claude-b"] }),
    )
    .await;
    let v = ok(
        &c,
        &server,
        "PUT",
        "/api/settings/provider-blocking",
        json!({ "blocked": ["openai"] }),
    )
    .await;
    assert_eq!(v["blocked"], json!(["openai"]));
    let r = chat(&server, "both", "hi").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("x-omniroute-provider"), Some("anthropic"));
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v1/messages"]);
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert!(d["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["provider"] == "openai" && c["skipped"] == "provider blocked"));

    let r = chat(&server, "openai/gpt-4o", "blocked").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.error().contains("blocked"), "{}", r.body);
    assert!(r.error().contains("OpenAI (openai)"), "{}", r.body);
    assert_eq!(mock.requests().len(), 1);

    // auto-routing never picks it either
    let r = chat(&server, "auto", "auto").await;
    assert_eq!(
        r.header("x-omniroute-provider"),
        Some("anthropic"),
        "{}",
        r.body
    );

    let (status, v) = call(
        &c,
        &server,
        "PUT",
        "/api/settings/provider-blocking",
        Some(json!({ "blocked": ["openai", "no-such"] })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("blocked[1]"), "{v}");
    ok(
        &c,
        &server,
        "PUT",
        "/api/settings/provider-blocking",
        json!({ "blocked": [] }),
    )
    .await;
    assert_eq!(
        chat(&server, "openai/gpt-4o", "free").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn context_relay_hands_a_summary_to_the_next_target() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "relay", "strategy": "context-relay", "models": ["openai/gpt-a", "openai/gpt-b"] }),
    )
    .await;
    mock.push(Scenario::rate_limited(30).for_model("gpt-a"));
    let r = chat_with(
        &server,
        json!({ "model": "relay", "messages": [
            { "role": "user", "content": "my name is Ada" },
            { "role": "assistant", "content": "hello Ada" },
            { "role": "user", "content": "what is my name?" }
        ] }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].json.clone().unwrap();
    assert_eq!(
        first["messages"][0]["role"], "user",
        "the first target gets the request as sent"
    );
    let second = requests[1].json.clone().unwrap();
    assert_eq!(second["model"], "gpt-b");
    let summary = second["messages"][0]["content"].as_str().unwrap();
    assert_eq!(second["messages"][0]["role"], "system");
    assert!(summary.contains("openai/gpt-a"), "{summary}");
    assert!(summary.contains("my name is Ada"), "{summary}");
    assert!(summary.contains("hello Ada"), "{summary}");
    assert_eq!(second["messages"].as_array().unwrap().len(), 4);
    let d = decision(&c, &server, r.header("x-omniroute-decision-id").unwrap()).await;
    assert!(
        d["attempts"][0]["action"]
            .as_str()
            .unwrap()
            .contains("relay"),
        "{d}"
    );
}

#[tokio::test]
async fn decisions_are_listed_and_a_route_can_be_tested() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "duo", "models": ["openai/gpt-one", "openai/gpt-two"] }),
    )
    .await;
    mock.push(Scenario::status(502).for_model("gpt-one"));
    let r = chat(&server, "duo", "record me").await;
    assert_eq!(r.status, StatusCode::OK);
    let id = r.header("x-omniroute-decision-id").unwrap().to_string();
    for _ in 0..3 {
        chat(&server, "duo", "more").await;
    }
    let (status, list) = call(&c, &server, "GET", "/api/routing/decisions?limit=2", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["decisions"].as_array().unwrap();
    assert_eq!(items.len(), 2, "limit applies");
    assert_eq!(list["kept"], 4);
    let (_, all) = call(&c, &server, "GET", "/api/routing/decisions", None).await;
    let last = all["decisions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["id"], id, "newest first, the oldest last");
    assert_eq!(last["fallbacks"], 1);

    let d = decision(&c, &server, &id).await;
    assert_eq!(d["requested"], "duo");
    assert_eq!(d["strategy"], "priority");
    assert_eq!(d["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(d["attempts"][0]["ok"], false);
    assert_eq!(d["attempts"][1]["ok"], true);
    assert_eq!(d["winner"]["model"], "openai/gpt-two");
    assert_eq!(d["candidates"][0]["via"], json!(["duo → openai/gpt-one"]));
    assert!(d["planningUs"].as_u64().is_some());

    let (status, v) = call(&c, &server, "GET", "/api/routing/decisions/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "decision_not_found");
    let (status, _) = call(&c, &server, "GET", "/api/routing/decisions?limit=0", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let anonymous = client()
        .get(server.url("/api/routing/decisions"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // the dashboard's "test": a short chat through the combo, with the route it took
    let v = ok(
        &c,
        &server,
        "POST",
        "/api/routing/test",
        json!({ "model": "duo", "prompt": "ping" }),
    )
    .await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["text"], "mock: ping");
    assert_eq!(v["decision"]["routed"], "duo");
    assert_eq!(v["decision"]["winner"]["provider"], "openai");
}

#[tokio::test]
async fn a_combo_limits_its_retries_and_caps_each_attempts_wait() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, "openai", "sk-1", &format!("{}/v1", mock.url())).await;
    let steps = json!([
        { "model": "openai/gpt-one" },
        { "model": "openai/gpt-two" },
        { "model": "openai/gpt-three" },
    ]);
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "two-tries", "strategy": "priority", "models": steps, "config": { "maxRetries": 1 } }),
    )
    .await;
    ok(
        &c,
        &server,
        "POST",
        "/api/combos",
        json!({ "name": "impatient", "strategy": "priority", "models": steps, "config": { "timeoutMs": 1000 } }),
    )
    .await;

    // maxRetries 1: the first target and one more, not the third
    mock.push(Scenario::status(503).for_model("gpt-one"));
    mock.push(Scenario::status(503).for_model("gpt-two"));
    let r = chat(&server, "two-tries", "limited").await;
    assert!(r.status.is_server_error(), "{} {}", r.status, r.body);
    assert_eq!(asked(&mock), ["gpt-one", "gpt-two"]);
    assert!(r.error().contains("2 attempt(s)"), "{}", r.body);

    // timeoutMs 1000: a target silent for 4 s is given up after 1 s (the global default is 120 s)
    mock.reset();
    mock.push(
        Scenario::text("late")
            .for_model("gpt-one")
            .with_first_byte_delay_ms(4000),
    );
    let r = chat(&server, "impatient", "quick").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.text(), "mock: quick");
    // (without the cap, gpt-one would have answered "late" and gpt-two never been asked)
    assert_eq!(asked(&mock), ["gpt-one", "gpt-two"]);
}
