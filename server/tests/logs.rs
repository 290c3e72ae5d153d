//! The request log beyond its rows: text search, and the optional request/response bodies
//! (`/api/settings/logging`): off by default, recorded when turned on (streams included),
//! truncated to `maxBodyBytes`, never holding the caller's key, shown in the log detail, and
//! deleted by the retention job.
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

async fn connect(c: &reqwest::Client, server: &Server, mock: &MockHandle) {
    let resp = c
        .post(server.url("/api/providers"))
        .json(
            &json!({ "provider": "openai", "apiKey": "sk-upstream-secret-1", "name": "main",
                       "baseUrl": format!("{}/v1", mock.url()) }),
        )
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}

async fn get(c: &reqwest::Client, server: &Server, path: &str) -> (StatusCode, Value) {
    let resp = c.get(server.url(path)).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn put_logging(c: &reqwest::Client, server: &Server, body: Value) -> (StatusCode, Value) {
    let resp = c
        .put(server.url("/api/settings/logging"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls the log until `n` rows match `query`; answers them.
async fn wait_logs(c: &reqwest::Client, server: &Server, query: &str, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, v) = get(c, server, &format!("/api/usage/logs?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        if v["total"].as_u64().unwrap() >= n {
            return v;
        }
        assert!(Instant::now() < deadline, "{n} row(s) for {query}: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn detail(c: &reqwest::Client, server: &Server, id: &Value) -> Value {
    let (status, v) = get(c, server, &format!("/api/usage/logs/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

async fn new_key(c: &reqwest::Client, server: &Server) -> String {
    let v: Value = c
        .post(server.url("/api/keys"))
        .json(&json!({ "name": "body test" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["key"].as_str().unwrap().to_string()
}

async fn chat(server: &Server, key: &str, body: Value) -> String {
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .bearer_auth(key)
        .header("x-api-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap()
}

#[tokio::test]
async fn bodies_are_off_by_default_and_the_setting_validates_its_fields() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, &mock).await;
    let (status, v) = get(&c, &server, "/api/settings/logging").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v,
        json!({ "recordBodies": false, "retentionDays": 7, "maxBodyBytes": 65536 })
    );
    let key = new_key(&c, &server).await;
    chat(&server, &key, json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "not kept" }] })).await;
    let logs = wait_logs(&c, &server, "", 1).await;
    let d = detail(&c, &server, &logs["logs"][0]["id"]).await;
    assert!(d["bodies"].is_null(), "{d}");

    for (body, field) in [
        (json!({ "recordBodies": "yes" }), "recordBodies"),
        (json!({ "retentionDays": 0 }), "retentionDays"),
        (json!({ "retentionDays": 1.5 }), "retentionDays"),
        (json!({ "maxBodyBytes": -1 }), "maxBodyBytes"),
        (json!({ "maxBodyBytes": 100_000_000 }), "maxBodyBytes"),
    ] {
        let (status, v) = put_logging(&c, &server, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert!(v["message"].as_str().unwrap().contains(field), "{v}");
    }
    let resp = c
        .put(server.url("/api/settings/logging"))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // PATCH changes one field, PUT replaces (absent fields take their defaults)
    let resp = c
        .patch(server.url("/api/settings/logging"))
        .json(&json!({ "retentionDays": 30 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({ "recordBodies": false, "retentionDays": 30, "maxBodyBytes": 65536 })
    );
    let (_, v) = put_logging(&c, &server, json!({ "maxBodyBytes": 100 })).await;
    assert_eq!(
        v,
        json!({ "recordBodies": false, "retentionDays": 7, "maxBodyBytes": 100 })
    );
    // a chat-only key cannot change it; no credentials → 401
    let anon = reqwest::Client::new()
        .get(server.url("/api/settings/logging"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    let chat_only = reqwest::Client::new()
        .put(server.url("/api/settings/logging"))
        .bearer_auth(&key)
        .json(&json!({ "recordBodies": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(chat_only.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn recorded_bodies_show_in_the_detail_truncated_and_without_the_key() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, &mock).await;
    let key = new_key(&c, &server).await;
    let (status, _) = put_logging(
        &c,
        &server,
        json!({ "recordBodies": true, "maxBodyBytes": 4096 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    mock.push(Scenario::text("the plain answer"));
    chat(&server, &key, json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "needle-request-42" }] })).await;
    let logs = wait_logs(&c, &server, "", 1).await;
    let d = detail(&c, &server, &logs["logs"][0]["id"]).await;
    let b = &d["bodies"];
    let request = b["request"].as_str().unwrap();
    let response = b["response"].as_str().unwrap();
    assert!(request.contains("needle-request-42"), "{b}");
    assert!(response.contains("the plain answer"), "{b}");
    assert_eq!(b["requestTruncated"], false);
    assert_eq!(b["responseTruncated"], false);
    let all = d.to_string();
    assert!(
        !all.contains(&key),
        "the caller's key is never stored: {all}"
    );
    assert!(
        !all.contains("sk-upstream-secret-1"),
        "nor the provider's: {all}"
    );

    // a stream: what the client received, cut at maxBodyBytes
    put_logging(
        &c,
        &server,
        json!({ "recordBodies": true, "maxBodyBytes": 60 }),
    )
    .await;
    mock.push(Scenario::text("streamed words ".repeat(20)));
    let text = chat(&server, &key, json!({ "model": "openai/gpt-test", "stream": true, "messages": [{ "role": "user", "content": "needle-stream-7" }] })).await;
    assert!(text.contains("[DONE]"));
    let logs = wait_logs(&c, &server, "", 2).await;
    let d = detail(&c, &server, &logs["logs"][0]["id"]).await;
    let b = &d["bodies"];
    let response = b["response"].as_str().unwrap();
    assert!(response.starts_with("data:"), "{b}");
    assert!(
        text.starts_with(response),
        "the kept part is the start of what was sent"
    );
    assert_eq!(response.len(), 60);
    assert_eq!(b["responseTruncated"], true);
    assert!(b["request"].as_str().unwrap().len() <= 60);

    // turned off again: nothing more is kept
    put_logging(&c, &server, json!({ "recordBodies": false })).await;
    chat(
        &server,
        &key,
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "after" }] }),
    )
    .await;
    let logs = wait_logs(&c, &server, "", 3).await;
    assert!(detail(&c, &server, &logs["logs"][0]["id"]).await["bodies"].is_null());
}

#[tokio::test]
async fn the_retention_job_deletes_old_bodies_and_keeps_the_rows() {
    let mock = MockUpstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let env = [("INITIAL_PASSWORD", PASSWORD)];
    let mut server = Server::start_in(dir.path(), &env);
    let c = admin(&server).await;
    connect(&c, &server, &mock).await;
    let key = new_key(&c, &server).await;
    put_logging(
        &c,
        &server,
        json!({ "recordBodies": true, "retentionDays": 2 }),
    )
    .await;
    for text in ["old one", "recent one"] {
        chat(&server, &key, json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": text }] })).await;
    }
    let logs = wait_logs(&c, &server, "", 2).await;
    let (recent, old) = (logs["logs"][0].clone(), logs["logs"][1].clone());
    assert!(!detail(&c, &server, &old["id"]).await["bodies"].is_null());
    server.terminate();

    // the first request's bodies are three days old now
    {
        use sea_orm::{ConnectionTrait, Database};
        let url = format!(
            "sqlite://{}?mode=rw",
            dir.path().join("storage.sqlite").display()
        );
        let db = Database::connect(url).await.unwrap();
        let changed = db
            .execute_unprepared(&format!(
                "UPDATE usage_bodies SET ts = ts - 3 * 86400000 WHERE request_id = '{}'",
                old["requestId"].as_str().unwrap()
            ))
            .await
            .unwrap();
        assert_eq!(changed.rows_affected(), 1);
        db.close().await.unwrap();
    }

    // the job runs at start
    let server = Server::start_in(dir.path(), &env);
    let c = admin(&server).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !detail(&c, &server, &old["id"]).await["bodies"].is_null() {
        assert!(Instant::now() < deadline, "old bodies were not deleted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let d = detail(&c, &server, &old["id"]).await;
    assert_eq!(d["log"]["requestId"], old["requestId"], "the row stays");
    let b = detail(&c, &server, &recent["id"]).await["bodies"].clone();
    assert!(b["request"].as_str().unwrap().contains("recent one"), "{b}");
    // the setting survived the restart
    let (_, v) = get(&c, &server, "/api/settings/logging").await;
    assert_eq!(v["recordBodies"], true);
    assert_eq!(v["retentionDays"], 2);
}

#[tokio::test]
async fn the_log_search_matches_text_in_models_errors_and_ids() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    connect(&c, &server, &mock).await;
    let key = new_key(&c, &server).await;
    chat(
        &server,
        &key,
        json!({ "model": "openai/gpt-alpha", "messages": [{ "role": "user", "content": "a" }] }),
    )
    .await;
    mock.push(Scenario::fault(mock_upstream::Fault::Status {
        status: 400,
        kind: None,
        message: Some("zebra_problem happened".into()),
        retry_after_secs: None,
    }));
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .bearer_auth(&key)
        .json(&json!({ "model": "openai/gpt-beta", "messages": [{ "role": "user", "content": "b" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let all = wait_logs(&c, &server, "", 2).await;
    let alpha = wait_logs(&c, &server, "q=ALPHA", 1).await;
    assert_eq!(alpha["total"], 1);
    assert_eq!(alpha["logs"][0]["requestedModel"], "openai/gpt-alpha");
    let zebra = wait_logs(&c, &server, "q=zebra_problem", 1).await;
    assert_eq!(zebra["total"], 1);
    assert_eq!(zebra["logs"][0]["success"], false);
    let id = all["logs"][1]["requestId"].as_str().unwrap();
    let by_id = wait_logs(&c, &server, &format!("q={id}"), 1).await;
    assert_eq!(by_id["total"], 1);
    // LIKE wildcards are literal; search combines with the other filters
    let (_, none) = get(&c, &server, "/api/usage/logs?q=%25").await;
    assert_eq!(none["total"], 0, "{none}");
    let (_, none) = get(&c, &server, "/api/usage/logs?q=alpha&status=error").await;
    assert_eq!(none["total"], 0);
    let (_, summary) = get(&c, &server, "/api/usage/summary?q=beta").await;
    assert_eq!(summary["totals"]["requests"], 1);
    let (status, v) = get(
        &c,
        &server,
        &format!("/api/usage/logs?q={}", "x".repeat(201)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains('q'));
}
