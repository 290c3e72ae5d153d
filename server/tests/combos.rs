//! Combos through the real binary: the management endpoints, their validation, the order kept
//! across a restart, and the plans the strategy engine makes (no upstream is called).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn send(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = c.request(method, url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn post(c: &reqwest::Client, s: &Server, path: &str, body: Value) -> (StatusCode, Value) {
    send(c, reqwest::Method::POST, s.url(path), Some(body)).await
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (StatusCode, Value) {
    send(c, reqwest::Method::GET, s.url(path), None).await
}

/// Creates a combo and returns its id.
async fn create(c: &reqwest::Client, s: &Server, body: Value) -> String {
    let (status, out) = post(c, s, "/api/combos", body).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    out["combo"]["id"].as_str().unwrap().to_string()
}

fn first_target(plan: &Value) -> String {
    plan["targets"][0]["model"].as_str().unwrap().to_string()
}

fn target_models(plan: &Value) -> Vec<String> {
    plan["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["model"].as_str().unwrap().to_string())
        .collect()
}

async fn names(c: &reqwest::Client, s: &Server) -> Vec<String> {
    let (status, list) = get(c, s, "/api/combos").await;
    assert_eq!(status, StatusCode::OK);
    list["combos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn combos_are_created_listed_edited_and_deleted() {
    let server = Server::start();
    let c = admin(&server).await;

    let unauthenticated = client()
        .get(server.url("/api/combos"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);

    let (status, created) = post(
        &c,
        &server,
        "/api/combos",
        json!({
            "name": "premium [fast]",
            "models": [
                { "model": "openai/gpt-4o" },
                { "model": "deepseek/deepseek-chat", "weight": 30 }
            ],
            "config": { "maxRetries": 2, "stickyLimit": 3 }
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let combo = &created["combo"];
    assert_eq!(combo["name"], "premium [fast]");
    assert_eq!(combo["strategy"], "priority", "the default strategy");
    assert_eq!(
        combo["models"],
        json!([{ "model": "openai/gpt-4o" }, { "model": "deepseek/deepseek-chat", "weight": 30 }])
    );
    assert_eq!(
        combo["config"],
        json!({ "maxRetries": 2, "stickyLimit": 3 })
    );
    assert_eq!(combo["isActive"], true);
    assert_eq!(combo["sortOrder"], 0);
    assert!(combo["createdAt"].as_str().unwrap().ends_with('Z'));
    let id = combo["id"].as_str().unwrap().to_string();

    let second = create(
        &c,
        &server,
        json!({ "name": "cheap", "strategy": "round-robin", "models": ["openai/gpt-4o-mini"] }),
    )
    .await;
    assert_eq!(names(&c, &server).await, ["premium [fast]", "cheap"]);

    let (status, one) = get(&c, &server, &format!("/api/combos/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["combo"]["name"], "premium [fast]");

    // PATCH changes only what it names.
    let (status, patched) = send(
        &c,
        reqwest::Method::PATCH,
        server.url(&format!("/api/combos/{id}")),
        Some(json!({ "strategy": "weighted", "isActive": false })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["combo"]["strategy"], "weighted");
    assert_eq!(patched["combo"]["isActive"], false);
    assert_eq!(patched["combo"]["models"].as_array().unwrap().len(), 2);
    assert_eq!(patched["combo"]["config"]["maxRetries"], 2);

    // PUT with a full body.
    let (status, put) = send(
        &c,
        reqwest::Method::PUT,
        server.url(&format!("/api/combos/{id}")),
        Some(json!({
            "name": "premium",
            "strategy": "priority",
            "models": [{ "model": "anthropic/claude-sonnet-4-5" }],
            "config": null,
            "isActive": true
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{put}");
    assert_eq!(put["combo"]["name"], "premium");
    assert_eq!(put["combo"]["config"], json!({}));
    assert_eq!(
        put["combo"]["models"],
        json!([{ "model": "anthropic/claude-sonnet-4-5" }])
    );

    // Duplicate names: 409, on create and on rename.
    let (status, dup) = post(
        &c,
        &server,
        "/api/combos",
        json!({ "name": "cheap", "models": ["openai/gpt-4o"] }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{dup}");
    assert_eq!(dup["error"], "duplicate_name");
    let (status, _) = send(
        &c,
        reqwest::Method::PATCH,
        server.url(&format!("/api/combos/{id}")),
        Some(json!({ "name": "cheap" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Names are case-sensitive.
    create(
        &c,
        &server,
        json!({ "name": "Cheap", "models": ["openai/gpt-4o"] }),
    )
    .await;

    // Unknown ids: 404 everywhere.
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PATCH,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let body = (method != reqwest::Method::GET && method != reqwest::Method::DELETE)
            .then(|| json!({ "strategy": "random" }));
        let (status, out) = send(
            &c,
            method.clone(),
            server.url("/api/combos/combo_missing"),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {out}");
        assert_eq!(out["error"], "combo_not_found");
    }
    let (status, _) = get(&c, &server, "/api/combos/combo_missing/plan").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, deleted) = send(
        &c,
        reqwest::Method::DELETE,
        server.url(&format!("/api/combos/{second}")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert_eq!(names(&c, &server).await, ["premium", "Cheap"]);
    let (status, _) = get(&c, &server, &format!("/api/combos/{second}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_combos_are_refused_with_the_field_named() {
    let server = Server::start();
    let c = admin(&server).await;
    let ok_models = json!(["openai/gpt-4o"]);
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({ "models": ok_models }), "missing_field", "name"),
        (
            json!({ "name": "bad!name", "models": ok_models }),
            "invalid_field",
            "'!'",
        ),
        (
            json!({ "name": "x".repeat(101), "models": ok_models }),
            "invalid_field",
            "name must have 1 to 100",
        ),
        (
            json!({ "name": "openai", "models": ok_models }),
            "invalid_field",
            "shadow",
        ),
        (
            json!({ "name": "deepseek/mine", "models": ok_models }),
            "invalid_field",
            "shadow",
        ),
        (
            json!({ "name": "auto-best", "models": ok_models }),
            "invalid_field",
            "auto",
        ),
        (
            json!({ "name": "a", "strategy": "fastest", "models": ok_models }),
            "invalid_strategy",
            "priority, weighted, round-robin",
        ),
        (
            json!({ "name": "a", "strategy": "relay", "models": ok_models }),
            "invalid_strategy",
            "context-optimized, context-relay, auto",
        ),
        (
            json!({ "name": "a", "strategy": 3, "models": ok_models }),
            "invalid_field",
            "strategy",
        ),
        (
            json!({ "name": "a" }),
            "invalid_field",
            "models is required",
        ),
        (
            json!({ "name": "a", "models": [] }),
            "invalid_field",
            "models must list",
        ),
        (
            json!({ "name": "a", "models": "openai/gpt-4o" }),
            "invalid_field",
            "models must be",
        ),
        (
            json!({ "name": "a", "models": ["openai/gpt-4o", "nope/model"] }),
            "invalid_model",
            "models[1].model",
        ),
        (
            json!({ "name": "a", "models": ["openai/gpt-4o", "not-a-model-or-combo"] }),
            "invalid_model",
            "step 1",
        ),
        (
            json!({ "name": "a", "models": [{ "model": "cc/claude-opus-4-7" }] }),
            "invalid_model",
            "models[0].model",
        ),
        (
            json!({ "name": "a", "models": [{ "weight": 10 }] }),
            "invalid_field",
            "models[0].model is required",
        ),
        (
            json!({ "name": "a", "models": [{ "model": "openai/gpt-4o", "weight": 500 }] }),
            "invalid_field",
            "models[0].weight",
        ),
        (
            json!({ "name": "a", "models": [{ "model": "openai/gpt-4o", "connectionId": "nope" }] }),
            "invalid_field",
            "models[0].connectionId",
        ),
        (
            json!({ "name": "a", "models": ok_models, "config": { "maxRetries": -1 } }),
            "invalid_field",
            "config.maxRetries",
        ),
        (
            json!({ "name": "a", "models": ok_models, "config": { "stickyLimit": "3" } }),
            "invalid_field",
            "config.stickyLimit",
        ),
        (
            json!({ "name": "a", "models": ok_models, "isActive": "yes" }),
            "invalid_field",
            "isActive",
        ),
        (
            json!({ "name": "self", "models": ["self"] }),
            "combo_cycle",
            "self → self",
        ),
    ];
    for (body, code, needle) in cases {
        let (status, out) = post(&c, &server, "/api/combos", body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {out}");
        assert_eq!(out["error"], code, "{body}: {out}");
        let message = out["message"].as_str().unwrap();
        assert!(message.contains(needle), "{body}: {message}");
    }
    let raw = c
        .post(server.url("/api/combos"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        names(&c, &server).await,
        Vec::<String>::new(),
        "nothing stored"
    );

    // Cycles through an update, and nesting deeper than three levels.
    let a = create(
        &c,
        &server,
        json!({ "name": "a", "models": ["openai/gpt-4o"] }),
    )
    .await;
    create(&c, &server, json!({ "name": "b", "models": ["a"] })).await;
    let (status, out) = send(
        &c,
        reqwest::Method::PATCH,
        server.url(&format!("/api/combos/{a}")),
        Some(json!({ "models": ["b"] })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");
    assert_eq!(out["error"], "combo_cycle");
    assert!(
        out["message"].as_str().unwrap().contains("a → b → a"),
        "{out}"
    );
    create(&c, &server, json!({ "name": "c", "models": ["b"] })).await;
    let (status, out) = post(
        &c,
        &server,
        "/api/combos",
        json!({ "name": "d", "models": ["c"] }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{out}");
    assert_eq!(out["error"], "combo_too_deep");
    assert!(
        out["message"].as_str().unwrap().contains("d → c → b → a"),
        "{out}"
    );

    // A combo used by another cannot be deleted or renamed away under it.
    let (status, out) = send(
        &c,
        reqwest::Method::DELETE,
        server.url(&format!("/api/combos/{a}")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{out}");
    assert_eq!(out["error"], "combo_in_use");
    let (status, _) = send(
        &c,
        reqwest::Method::PATCH,
        server.url(&format!("/api/combos/{a}")),
        Some(json!({ "name": "renamed" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Reorder: unknown and repeated ids are refused.
    let (status, out) = post(
        &c,
        &server,
        "/api/combos/reorder",
        json!({ "ids": ["nope"] }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(out["message"].as_str().unwrap().contains("ids[0]"), "{out}");
    let (status, _) = post(&c, &server, "/api/combos/reorder", json!({ "ids": [a, a] })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post(&c, &server, "/api/combos/reorder", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_order_and_the_combos_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let env = [("INITIAL_PASSWORD", PASSWORD)];
    let mut server = Server::start_in(tmp.path(), &env);
    let c = admin(&server).await;
    let mut ids = Vec::new();
    for name in ["one", "two", "three"] {
        ids.push(
            create(
                &c,
                &server,
                json!({ "name": name, "strategy": "round-robin", "models": ["openai/gpt-4o", "deepseek/deepseek-chat"] }),
            )
            .await,
        );
    }
    let (status, out) = post(
        &c,
        &server,
        "/api/combos/reorder",
        json!({ "ids": [ids[2], ids[0]] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let order: Vec<&str> = out["combos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["three", "one", "two"]);
    server.terminate();

    let server = Server::start_in(tmp.path(), &env);
    let c = admin(&server).await;
    assert_eq!(names(&c, &server).await, ["three", "one", "two"]);
    let (_, list) = get(&c, &server, "/api/combos").await;
    let orders: Vec<i64> = list["combos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sortOrder"].as_i64().unwrap())
        .collect();
    assert_eq!(orders, [0, 1, 2]);
    // The live set is loaded at start: the engine plans a stored combo right away.
    let (status, plan) = get(&c, &server, &format!("/api/combos/{}/plan", ids[1])).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        target_models(&plan),
        ["openai/gpt-4o", "deepseek/deepseek-chat"]
    );
}

#[tokio::test]
async fn plans_follow_the_strategies() {
    let server = Server::start();
    let c = admin(&server).await;

    // Priority: the steps in order, every one a fallback.
    let prio = create(
        &c,
        &server,
        json!({ "name": "prio", "models": ["openai/gpt-4o", "deepseek/deepseek-chat", "anthropic/claude-sonnet-4-5"] }),
    )
    .await;
    let (status, plan) = get(&c, &server, &format!("/api/combos/{prio}/plan")).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["strategy"], "priority");
    assert_eq!(plan["committed"], false);
    assert_eq!(
        target_models(&plan),
        [
            "openai/gpt-4o",
            "deepseek/deepseek-chat",
            "anthropic/claude-sonnet-4-5"
        ]
    );
    assert_eq!(
        plan["targets"][0]["via"],
        json!([{ "combo": "prio", "step": "openai/gpt-4o" }])
    );

    // Weighted: the first target follows the weights over many decisions.
    let weighted = create(
        &c,
        &server,
        json!({ "name": "split", "strategy": "weighted", "models": [
            { "model": "openai/gpt-4o", "weight": 75 },
            { "model": "deepseek/deepseek-chat", "weight": 25 }
        ] }),
    )
    .await;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let n = 400;
    for _ in 0..n {
        let (status, plan) = post(
            &c,
            &server,
            &format!("/api/combos/{weighted}/plan"),
            json!({}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(plan["targets"].as_array().unwrap().len(), 2);
        *counts.entry(first_target(&plan)).or_default() += 1;
    }
    let share = counts["openai/gpt-4o"] as f64 / n as f64;
    assert!((0.65..=0.85).contains(&share), "{counts:?}");

    // Round-robin with a sticky limit of 2: each step serves two requests in turn; a
    // preview (GET) shows the next decision without taking it.
    let rr = create(
        &c,
        &server,
        json!({ "name": "rotate", "strategy": "round-robin", "config": { "stickyLimit": 2 },
                "models": ["openai/gpt-4o", "deepseek/deepseek-chat", "anthropic/claude-sonnet-4-5"] }),
    )
    .await;
    let mut seen = Vec::new();
    for i in 0..7 {
        if i == 3 {
            let (_, peek) = get(&c, &server, &format!("/api/combos/{rr}/plan")).await;
            let (_, again) = get(&c, &server, &format!("/api/combos/{rr}/plan")).await;
            assert_eq!(first_target(&peek), first_target(&again));
            assert_eq!(first_target(&peek), "deepseek/deepseek-chat");
        }
        let (_, plan) = post(&c, &server, &format!("/api/combos/{rr}/plan"), json!({})).await;
        assert_eq!(plan["committed"], true);
        seen.push(first_target(&plan));
    }
    assert_eq!(
        seen,
        [
            "openai/gpt-4o",
            "openai/gpt-4o",
            "deepseek/deepseek-chat",
            "deepseek/deepseek-chat",
            "anthropic/claude-sonnet-4-5",
            "anthropic/claude-sonnet-4-5",
            "openai/gpt-4o",
        ]
    );

    // Nested combos expand in place, each with its own strategy; duplicates are dropped.
    let outer = create(
        &c,
        &server,
        json!({ "name": "outer", "models": ["deepseek/deepseek-chat", "prio", "openai/gpt-4o-mini"] }),
    )
    .await;
    let (_, plan) = get(&c, &server, &format!("/api/combos/{outer}/plan")).await;
    assert_eq!(
        target_models(&plan),
        [
            "deepseek/deepseek-chat",
            "openai/gpt-4o",
            "anthropic/claude-sonnet-4-5",
            "openai/gpt-4o-mini"
        ]
    );
    assert_eq!(
        plan["targets"][1]["via"],
        json!([
            { "combo": "outer", "step": "prio" },
            { "combo": "prio", "step": "openai/gpt-4o" }
        ])
    );

    // A disabled nested combo is skipped; a disabled combo is not planned.
    let (status, _) = send(
        &c,
        reqwest::Method::PATCH,
        server.url(&format!("/api/combos/{prio}")),
        Some(json!({ "isActive": false })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, plan) = get(&c, &server, &format!("/api/combos/{outer}/plan")).await;
    assert_eq!(
        target_models(&plan),
        ["deepseek/deepseek-chat", "openai/gpt-4o-mini"]
    );
    let (status, out) = get(&c, &server, &format!("/api/combos/{prio}/plan")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{out}");
    assert_eq!(out["error"], "combo_inactive");
}
