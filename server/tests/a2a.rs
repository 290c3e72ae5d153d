//! The A2A server through the real binary: the agent card, JSON-RPC 2.0 at /a2a (send,
//! stream, get, cancel, and every error), tasks persisted with their lifecycle, skills run
//! through the gateway's routing against the real mock upstream.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockHandle, MockUpstream, Scenario};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

async fn setup() -> (Server, MockHandle, reqwest::Client) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = client();
    assert_eq!(login(&c, &server, PASSWORD).await.status(), StatusCode::OK);
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": "openai", "apiKey": "sk-up", "name": "main", "baseUrl": format!("{}/v1", mock.url()) }))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    (server, mock, c)
}

async fn new_key(admin: &reqwest::Client, server: &Server, name: &str, scopes: &[&str]) -> String {
    let resp = admin
        .post(server.url("/api/keys"))
        .json(&json!({ "name": name, "scopes": scopes }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let body: Value = resp.json().await.unwrap();
    body["key"].as_str().unwrap().to_string()
}

async fn rpc_raw(server: &Server, key: Option<&str>, body: String) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .post(server.url("/a2a"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn rpc(server: &Server, key: &str, method: &str, params: Value) -> Value {
    let (status, body) = rpc_raw(
        server,
        Some(key),
        json!({ "jsonrpc": "2.0", "id": "r1", "method": method, "params": params }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], "r1");
    body
}

fn message(text: &str, metadata: Value) -> Value {
    json!({
        "kind": "message",
        "role": "user",
        "messageId": "m-1",
        "parts": [{ "kind": "text", "text": text }],
        "metadata": metadata,
    })
}

#[tokio::test]
async fn the_agent_card_lists_the_skills_and_errors_are_json_rpc_objects() {
    let (server, _mock, admin) = setup().await;
    let card: Value = reqwest::get(server.url("/.well-known/agent.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(card["name"], "OmniRoute");
    assert_eq!(card["url"], server.url("/a2a"));
    assert_eq!(card["capabilities"]["streaming"], true);
    let skills: Vec<&str> = card["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in [
        "smart-routing",
        "code-review",
        "summarize",
        "extract-facts",
        "health-report",
        "cost-analysis",
    ] {
        assert!(skills.contains(&id), "{id} in {skills:?}");
    }

    // No key: 401 with a JSON-RPC error.
    let (status, body) = rpc_raw(
        &server,
        None,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "tasks/get", "params": { "id": "x" } })
            .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], -32600);

    let key = new_key(&admin, &server, "agent", &["chat"]).await;
    let (_, body) = rpc_raw(&server, Some(&key), "{not json".into()).await;
    assert_eq!(body["error"]["code"], -32700, "{body}");
    assert_eq!(body["id"], Value::Null);
    let (_, body) = rpc_raw(
        &server,
        Some(&key),
        json!({ "id": 1, "method": "tasks/get" }).to_string(),
    )
    .await;
    assert_eq!(body["error"]["code"], -32600, "{body}");
    let (_, body) = rpc_raw(&server, Some(&key), "[]".into()).await;
    assert_eq!(body["error"]["code"], -32600, "{body}");
    let body = rpc(&server, &key, "tasks/resubscribeAll", json!({})).await;
    assert_eq!(body["error"]["code"], -32601, "{body}");
    let body = rpc(
        &server,
        &key,
        "message/send",
        json!({ "message": { "role": "user" } }),
    )
    .await;
    assert_eq!(body["error"]["code"], -32602, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("parts"));
    let body = rpc(
        &server,
        &key,
        "message/send",
        json!({ "message": message("hi", json!({ "skill": "web-research" })) }),
    )
    .await;
    assert_eq!(body["error"]["code"], -32602, "{body}");
    let body = rpc(&server, &key, "tasks/get", json!({ "id": "no-such-task" })).await;
    assert_eq!(body["error"]["code"], -32001, "{body}");
}

#[tokio::test]
async fn message_send_routes_through_the_gateway_and_the_task_is_stored() {
    let (server, mock, admin) = setup().await;
    let key = new_key(&admin, &server, "agent", &["chat"]).await;
    let body = rpc(
        &server,
        &key,
        "message/send",
        json!({ "message": message("hello agent", json!({ "model": "openai/gpt-test" })) }),
    )
    .await;
    let task = &body["result"];
    assert_eq!(task["kind"], "task", "{body}");
    assert_eq!(task["status"]["state"], "completed", "{body}");
    assert_eq!(
        task["artifacts"][0]["parts"][0]["text"],
        "mock: hello agent"
    );
    assert_eq!(task["status"]["message"]["role"], "agent");
    assert_eq!(task["metadata"]["skill"], "smart-routing");
    assert_eq!(task["metadata"]["route"]["provider"], "openai");
    assert_eq!(task["history"][0]["parts"][0]["text"], "hello agent");
    assert_eq!(
        mock.last_request().unwrap().json.unwrap()["model"],
        "gpt-test"
    );

    // tasks/get reads it back from the database, with its events.
    let id = task["id"].as_str().unwrap();
    let got = rpc(
        &server,
        &key,
        "tasks/get",
        json!({ "id": id, "historyLength": 1 }),
    )
    .await;
    assert_eq!(got["result"]["status"]["state"], "completed");
    assert_eq!(got["result"]["history"].as_array().unwrap().len(), 1);
    let detail: Value = admin
        .get(server.url(&format!("/api/a2a/tasks/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let states: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["state"].as_str())
        .collect();
    assert_eq!(states, ["submitted", "working", "completed"], "{detail}");

    // Another key does not see it; a key without the skill's scope is refused.
    let other = new_key(&admin, &server, "other", &["chat"]).await;
    let hidden = rpc(&server, &other, "tasks/get", json!({ "id": id })).await;
    assert_eq!(hidden["error"]["code"], -32001);
    let monitor = new_key(&admin, &server, "monitor", &["health"]).await;
    let (status, refused) = rpc_raw(
        &server,
        Some(&monitor),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "message/send", "params": { "message": message("hi", json!({})) } }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("chat scope"));
    let report = rpc(
        &server,
        &monitor,
        "message/send",
        json!({ "message": message("how are my providers?", json!({ "skill": "health-report" })) }),
    )
    .await;
    assert_eq!(report["result"]["status"]["state"], "completed", "{report}");
    let text = report["result"]["artifacts"][0]["parts"][0]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("1 connection(s)"), "{text}");

    // A failing upstream fails the task, with the reason.
    mock.push(Scenario::status(400));
    let failed = rpc(
        &server,
        &key,
        "message/send",
        json!({ "message": message("boom", json!({ "model": "openai/gpt-test" })) }),
    )
    .await;
    assert_eq!(failed["result"]["status"]["state"], "failed", "{failed}");
    assert!(failed["result"]["metadata"]["error"]
        .as_str()
        .unwrap()
        .contains("400"));

    let list: Value = admin
        .get(server.url("/api/a2a/tasks?limit=10"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3, "{list}");
}

#[tokio::test]
async fn message_stream_sends_the_lifecycle_as_sse() {
    let (server, _mock, admin) = setup().await;
    let key = new_key(&admin, &server, "agent", &["chat"]).await;
    let resp = reqwest::Client::new()
        .post(server.url("/a2a"))
        .bearer_auth(&key)
        .json(&json!({ "jsonrpc": "2.0", "id": 7, "method": "message/stream", "params": {
            "message": message("stream me", json!({ "model": "openai/gpt-test", "skill": "summarize" })) } }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let text = tokio::time::timeout(Duration::from_secs(20), resp.text())
        .await
        .expect("the stream ends after the final event")
        .unwrap();
    let events: Vec<Value> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(|d| serde_json::from_str(d.trim()).unwrap())
        .collect();
    assert!(events.iter().all(|e| e["id"] == 7 && e["jsonrpc"] == "2.0"));
    let kinds: Vec<String> = events
        .iter()
        .map(|e| {
            let r = &e["result"];
            match r["kind"].as_str().unwrap() {
                "status-update" => format!("status:{}", r["status"]["state"].as_str().unwrap()),
                other => other.to_string(),
            }
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "task",
            "status:working",
            "artifact-update",
            "status:completed"
        ],
        "{text}"
    );
    let last = &events[3]["result"];
    assert_eq!(last["final"], true);
    assert_eq!(
        events[2]["result"]["artifact"]["parts"][0]["text"],
        "mock: stream me"
    );
    assert_eq!(events[2]["result"]["artifact"]["name"], "summarize");
}

#[tokio::test]
async fn a_running_task_can_be_canceled_and_a_finished_one_cannot() {
    let (server, mock, admin) = setup().await;
    let key = new_key(&admin, &server, "agent", &["chat"]).await;
    mock.push(Scenario::text("too late").with_first_byte_delay_ms(5000));
    let body = rpc(
        &server,
        &key,
        "message/send",
        json!({
            "message": message("slow one", json!({ "model": "openai/gpt-test" })),
            "configuration": { "blocking": false },
        }),
    )
    .await;
    let id = body["result"]["id"].as_str().unwrap().to_string();
    assert_eq!(body["result"]["status"]["state"], "submitted", "{body}");
    // Wait until it is working (the upstream call is under way).
    for _ in 0..100 {
        let got = rpc(&server, &key, "tasks/get", json!({ "id": id })).await;
        if got["result"]["status"]["state"] == "working" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let canceled = rpc(&server, &key, "tasks/cancel", json!({ "id": id })).await;
    assert_eq!(
        canceled["result"]["status"]["state"], "canceled",
        "{canceled}"
    );
    // It stays canceled (the upstream's late answer does not complete it).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = rpc(&server, &key, "tasks/get", json!({ "id": id })).await;
    assert_eq!(got["result"]["status"]["state"], "canceled");
    let again = rpc(&server, &key, "tasks/cancel", json!({ "id": id })).await;
    assert_eq!(again["error"]["code"], -32002, "{again}");
    let missing = rpc(&server, &key, "tasks/cancel", json!({ "id": "nope" })).await;
    assert_eq!(missing["error"]["code"], -32001);

    let status: Value = admin
        .get(server.url("/api/a2a/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["tasks"]["canceled"], 1, "{status}");
    assert_eq!(status["running"], 0);
}

#[tokio::test]
async fn turned_off_a2a_answers_503_and_hides_the_card() {
    let (server, _mock, admin) = setup().await;
    let key = new_key(&admin, &server, "agent", &["chat"]).await;
    let resp = admin
        .put(server.url("/api/a2a/settings"))
        .json(&json!({ "enabled": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, body) = rpc_raw(
        &server,
        Some(&key),
        json!({ "jsonrpc": "2.0", "id": 1, "method": "tasks/get", "params": { "id": "x" } })
            .to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], -32000);
    let card = reqwest::get(server.url("/.well-known/agent.json"))
        .await
        .unwrap();
    assert_eq!(card.status(), StatusCode::NOT_FOUND);
}
