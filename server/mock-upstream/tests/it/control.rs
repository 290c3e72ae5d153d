use mock_upstream::Scenario;
use serde_json::{json, Value};

use crate::{chat_body, client, mock, post, post_json};

#[tokio::test]
async fn scenarios_are_consumed_in_order_and_by_model() {
    let m = mock().await;
    m.push(Scenario::text("for b").for_model("model-b"));
    m.push(Scenario::text("first"));
    m.push(Scenario::text("second"));
    assert_eq!(m.pending_scenarios(), 3);
    let reply = |v: Value| {
        v["choices"][0]["message"]["content"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        reply(post_json(&m, "/v1/chat/completions", chat_body("model-a", "x", false)).await),
        "first"
    );
    assert_eq!(
        reply(post_json(&m, "/v1/chat/completions", chat_body("model-b", "x", false)).await),
        "for b"
    );
    assert_eq!(
        reply(post_json(&m, "/v1/chat/completions", chat_body("model-b", "x", false)).await),
        "second"
    );
    assert_eq!(
        reply(post_json(&m, "/v1/chat/completions", chat_body("model-b", "x", false)).await),
        "mock: x"
    );
    assert_eq!(m.pending_scenarios(), 0);
}

#[tokio::test]
async fn requests_are_recorded_for_assertions() {
    let m = mock().await;
    client()
        .post(format!("{}/v1/messages?beta=true", m.url()))
        .header("x-api-key", "sk-ant")
        .header("anthropic-version", "2023-06-01")
        .json(&json!({ "model": "claude-x", "max_tokens": 5, "messages": [{ "role": "user", "content": "hi" }] }))
        .send()
        .await
        .unwrap();
    let reqs = m.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.query.as_deref(), Some("beta=true"));
    assert_eq!(r.header("X-Api-Key"), Some("sk-ant"));
    assert_eq!(r.json.as_ref().unwrap()["max_tokens"], 5);
    assert_eq!(r.model().as_deref(), Some("claude-x"));
    assert!(r.body_text().contains("\"max_tokens\":5"));
    m.reset();
    assert!(m.requests().is_empty());
}

#[tokio::test]
async fn http_control_endpoints() {
    let m = mock().await;
    let c = client();
    let r = c
        .post(format!("{}/__mock/scenarios", m.url()))
        .json(&json!([{ "model": "m1", "text": "one" }, { "model": "m2", "fault": { "type": "rate_limit", "retry_after_secs": 3 } }]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["queued"], 2);
    let r = c
        .post(format!("{}/__mock/scenarios", m.url()))
        .json(&json!({ "text": "single" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["pending"], 3);
    let bad = c
        .post(format!("{}/__mock/scenarios", m.url()))
        .json(&json!({ "txet": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("txet"));

    let r = post(&m, "/v1/chat/completions", chat_body("m2", "x", false)).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");

    let list: Value = c
        .get(format!("{}/__mock/requests", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "control requests are not recorded");
    assert_eq!(list[0]["path"], "/v1/chat/completions");
    assert_eq!(list[0]["headers"]["authorization"], "Bearer sk-test");
    assert_eq!(list[0]["json"]["model"], "m2");

    c.post(format!("{}/__mock/reset", m.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(m.pending_scenarios(), 0);
    assert!(m.requests().is_empty());
}

#[tokio::test]
async fn binary_prints_its_address_and_serves() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mock-upstream"))
        .args(["--port", "0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next_line().await.unwrap().unwrap();
    let url = line.strip_prefix("listening on ").unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let v: Value = client()
        .get(format!("{url}/v1/models"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["object"], "list");
    child.kill().await.unwrap();
}
