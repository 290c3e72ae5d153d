//! The MCP server through the real binary, with rmcp's own client: streamable HTTP, stdio
//! (`omniroute --mcp`) and, with a small hand-written client, the legacy SSE transport.
//! Keys of different scopes see different tools; a chat goes through the gateway's routing
//! to the real mock upstream; every call is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockHandle, MockUpstream};
use reqwest::StatusCode;
use rmcp::model::{CallToolRequestParams, CallToolResult, ErrorCode};
use rmcp::service::{RunningService, ServiceError};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{StreamableHttpClientTransport, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

const HEALTH_TOOLS: &[&str] = &[
    "omniroute_cache_stats",
    "omniroute_get_health",
    "omniroute_list_models",
    "omniroute_models_catalog",
    "omniroute_reset_resilience",
];

async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
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

/// A server with an OpenAI connection pointed at the mock.
async fn setup() -> (Server, MockHandle, reqwest::Client) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = admin(&server).await;
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": "openai", "apiKey": "sk-up", "name": "main", "baseUrl": format!("{}/v1", mock.url()) }))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    (server, mock, c)
}

async fn connect(server: &Server, key: &str) -> RunningService<RoleClient, ()> {
    let config = StreamableHttpClientTransportConfig::with_uri(server.url("/api/mcp/stream"))
        .auth_header(key.to_string());
    ().serve(StreamableHttpClientTransport::from_config(config))
        .await
        .expect("initialize over streamable HTTP")
}

async fn tool_names(client: &RunningService<RoleClient, ()>) -> BTreeSet<String> {
    client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect()
}

fn call(name: &str, args: Value) -> CallToolRequestParams {
    let mut p = CallToolRequestParams::new(name.to_string());
    if let Value::Object(map) = args {
        p = p.with_arguments(map);
    }
    p
}

fn structured(result: &CallToolResult) -> Value {
    assert_ne!(result.is_error, Some(true), "tool error: {result:?}");
    result
        .structured_content
        .clone()
        .expect("structured content")
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn streamable_http_shows_each_key_its_scopes_tools_and_refuses_the_others() {
    let (server, _mock, admin) = setup().await;

    // No key, a wrong key: 401 before any MCP message is read.
    let raw = reqwest::Client::new();
    let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } });
    let resp = raw
        .post(server.url("/api/mcp/stream"))
        .header("accept", "application/json, text/event-stream")
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("www-authenticate"));
    let resp = raw
        .post(server.url("/api/mcp/stream"))
        .bearer_auth("sk-or-nope")
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let health_key = new_key(&admin, &server, "monitor", &["health", "models"]).await;
    let manage_key = new_key(&admin, &server, "ops", &["manage"]).await;

    let monitor = connect(&server, &health_key).await;
    let info = monitor.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "omniroute");
    assert_eq!(tool_names(&monitor).await, set(HEALTH_TOOLS));

    let health = monitor
        .call_tool(call("omniroute_get_health", json!({})))
        .await
        .unwrap();
    let health = structured(&health);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["connections"]["openai"], 1);

    let models = structured(
        &monitor
            .call_tool(call(
                "omniroute_list_models",
                json!({ "search": "openai/" }),
            ))
            .await
            .unwrap(),
    );
    assert!(models["count"].as_u64().unwrap() > 0, "{models}");

    // A tool of another scope is refused, and says which scope is missing.
    let refused = monitor
        .call_tool(call("omniroute_create_key", json!({ "name": "x" })))
        .await
        .unwrap_err();
    match refused {
        ServiceError::McpError(e) => {
            assert_eq!(e.code, ErrorCode::INVALID_REQUEST);
            assert!(e.message.contains("keys scope"), "{}", e.message);
        }
        other => panic!("expected an MCP error, got {other:?}"),
    }
    monitor.cancel().await.unwrap();

    // manage holds every scope: every tool.
    let ops = connect(&server, &manage_key).await;
    let all = tool_names(&ops).await;
    assert!(all.len() >= 25, "{all:?}");
    for t in HEALTH_TOOLS
        .iter()
        .chain(&["omniroute_route_request", "omniroute_create_key"])
    {
        assert!(all.contains(*t), "{t}");
    }
    // Every tool input has a JSON schema.
    for tool in ops.list_all_tools().await.unwrap() {
        assert_eq!(
            tool.input_schema.get("type"),
            Some(&json!("object")),
            "{}",
            tool.name
        );
    }
    ops.cancel().await.unwrap();
}

#[tokio::test]
async fn a_chat_is_routed_to_the_upstream_and_every_call_is_audited() {
    let (server, mock, admin) = setup().await;
    let chat_key = new_key(&admin, &server, "agent", &["chat"]).await;
    let agent = connect(&server, &chat_key).await;
    assert_eq!(tool_names(&agent).await, set(&["omniroute_route_request"]));

    let out = structured(
        &agent
            .call_tool(call(
                "omniroute_route_request",
                json!({ "model": "openai/gpt-test", "prompt": "hello from mcp" }),
            ))
            .await
            .unwrap(),
    );
    assert_eq!(out["answer"], "mock: hello from mcp");
    assert_eq!(out["route"]["provider"], "openai");
    assert_eq!(out["route"]["requested"], "openai/gpt-test");
    assert_eq!(out["route"]["connection"], "main", "{out}");
    assert_eq!(out["route"]["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(out["usage"]["prompt_tokens"], 3);
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.json.as_ref().unwrap()["model"], "gpt-test");

    // An unknown model is a tool error the model can read, not a crash.
    let bad = agent
        .call_tool(call(
            "omniroute_route_request",
            json!({ "model": "openai-nope/x", "prompt": "hi" }),
        ))
        .await
        .unwrap();
    assert_eq!(bad.is_error, Some(true));
    let refused = agent
        .call_tool(call("omniroute_get_health", json!({})))
        .await;
    assert!(refused.is_err());
    agent.cancel().await.unwrap();

    // The audit (written asynchronously) has all three calls with the key and the result.
    let mut entries = Vec::new();
    for _ in 0..50 {
        let audit: Value = admin
            .get(server.url("/api/mcp/audit?limit=10"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        entries = audit["entries"].as_array().cloned().unwrap_or_default();
        if entries.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(entries.len(), 3, "{entries:?}");
    let ok_chat = entries
        .iter()
        .find(|e| e["tool"] == "omniroute_route_request" && e["success"] == true)
        .expect("the routed chat is audited");
    assert_eq!(ok_chat["transport"], "stream");
    assert_eq!(ok_chat["keyName"], "agent");
    assert_eq!(ok_chat["scope"], "chat");
    assert!(ok_chat["durationMs"].as_i64().unwrap() >= 0);
    let refused = entries
        .iter()
        .find(|e| e["tool"] == "omniroute_get_health")
        .unwrap();
    assert_eq!(refused["success"], false);
    assert!(refused["error"].as_str().unwrap().contains("health scope"));
    let stats: Value = admin
        .get(server.url("/api/mcp/audit/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let chat = stats["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tool"] == "omniroute_route_request")
        .unwrap();
    assert_eq!(chat["calls"], 2);
    assert_eq!(chat["errors"], 1);
}

#[tokio::test]
async fn management_tools_change_combos_keys_and_settings_like_the_rest_api() {
    let (server, _mock, admin) = setup().await;
    let resp = admin
        .post(server.url("/api/combos"))
        .json(&json!({ "name": "fast", "strategy": "priority", "models": [{ "model": "openai/gpt-test" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let manage_key = new_key(&admin, &server, "ops", &["manage"]).await;
    let ops = connect(&server, &manage_key).await;

    let combos = structured(
        &ops.call_tool(call("omniroute_list_combos", json!({})))
            .await
            .unwrap(),
    );
    assert_eq!(combos["combos"][0]["name"], "fast");
    let sim = structured(
        &ops.call_tool(call("omniroute_simulate_route", json!({ "model": "fast" })))
            .await
            .unwrap(),
    );
    assert_eq!(sim["combo"], true);
    assert_eq!(
        sim["steps"][0]["resolution"]["wouldUse"]["provider"], "openai",
        "{sim}"
    );
    let tested = structured(
        &ops.call_tool(call(
            "omniroute_test_combo",
            json!({ "combo": "fast", "prompt": "ping" }),
        ))
        .await
        .unwrap(),
    );
    assert_eq!(tested["ok"], true, "{tested}");
    assert_eq!(tested["answer"], "mock: ping");

    let switched = ops
        .call_tool(call(
            "omniroute_switch_combo",
            json!({ "combo": "fast", "active": false }),
        ))
        .await
        .unwrap();
    structured(&switched);
    let listed: Value = admin
        .get(server.url("/api/combos"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["combos"][0]["isActive"], false, "{listed}");

    // Settings through the section's own endpoint (validated the same way).
    let set = structured(
        &ops.call_tool(call(
            "omniroute_set_settings",
            json!({ "section": "routing", "values": { "accountStrategy": "round-robin" } }),
        ))
        .await
        .unwrap(),
    );
    assert_eq!(set["accountStrategy"], "round-robin", "{set}");
    let bad = ops
        .call_tool(call(
            "omniroute_set_settings",
            json!({ "section": "routing", "values": { "accountStrategy": "nope" } }),
        ))
        .await
        .unwrap();
    assert_eq!(bad.is_error, Some(true));

    // A key with the keys scope cannot mint more than it holds; it can mint its own scope.
    let keys_key = new_key(&admin, &server, "keysmith", &["keys"]).await;
    let smith = connect(&server, &keys_key).await;
    let escalation = smith
        .call_tool(call(
            "omniroute_create_key",
            json!({ "name": "root", "scopes": ["manage"] }),
        ))
        .await
        .unwrap();
    assert_eq!(escalation.is_error, Some(true));
    let made = structured(
        &smith
            .call_tool(call(
                "omniroute_create_key",
                json!({ "name": "helper", "scopes": ["keys"] }),
            ))
            .await
            .unwrap(),
    );
    assert!(made["key"].as_str().unwrap().starts_with("sk-or-"));
    let revoked = smith
        .call_tool(call("omniroute_revoke_key", json!({ "key": "ops" })))
        .await
        .unwrap();
    assert_eq!(
        revoked.is_error,
        Some(true),
        "ops holds manage, which keysmith lacks"
    );
    structured(
        &smith
            .call_tool(call("omniroute_revoke_key", json!({ "key": "helper" })))
            .await
            .unwrap(),
    );
    ops.cancel().await.unwrap();
    smith.cancel().await.unwrap();
}

#[tokio::test]
async fn stdio_serves_the_key_scopes_on_stdout() {
    let (server, _mock, admin) = setup().await;
    let health_key = new_key(&admin, &server, "monitor", &["health", "models"]).await;

    let mut cmd = tokio::process::Command::new(common::bin());
    cmd.arg("--mcp")
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("OMNIROUTE_API_KEY", &health_key)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    let (transport, _stderr) = TokioChildProcess::builder(cmd)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdio = ().serve(transport).await.expect("initialize over stdio");
    assert_eq!(tool_names(&stdio).await, set(HEALTH_TOOLS));
    let health = structured(
        &stdio
            .call_tool(call("omniroute_get_health", json!({})))
            .await
            .unwrap(),
    );
    assert_eq!(
        health["connections"]["openai"], 1,
        "the stdio server reads DATA_DIR's database"
    );
    stdio.cancel().await.unwrap();

    // --api-key with a key this data directory does not know: a clear error, exit 1.
    let (code, stdout, stderr) = common::run(
        &[
            "--mcp",
            "--api-key",
            "sk-or-unknown",
            "--data-dir",
            server.data_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.is_empty(),
        "nothing but protocol on stdout: {stdout}"
    );
    assert!(
        stderr.contains("not a key of this data directory"),
        "{stderr}"
    );
}

/// A minimal client of the legacy SSE transport: GET the stream, POST to its endpoint.
struct SseClient {
    http: reqwest::Client,
    base: String,
    key: String,
    endpoint: String,
    response: reqwest::Response,
    buffer: String,
}

impl SseClient {
    async fn open(server: &Server, key: &str) -> SseClient {
        let http = reqwest::Client::new();
        let response = http
            .get(server.url("/api/mcp/sse"))
            .bearer_auth(key)
            .header("accept", "text/event-stream")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut c = SseClient {
            http,
            base: server.base.clone(),
            key: key.to_string(),
            endpoint: String::new(),
            response,
            buffer: String::new(),
        };
        let (event, data) = c.next_event().await;
        assert_eq!(event, "endpoint");
        c.endpoint = data;
        c
    }

    async fn next_event(&mut self) -> (String, String) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if event.is_empty() && data.is_empty() {
                    continue; // a keep-alive comment
                }
                return (event, data);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .expect("an SSE event within 10 s")
                .unwrap()
                .expect("the stream is open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    async fn post(&self, message: Value) -> StatusCode {
        self.http
            .post(format!("{}{}", self.base, self.endpoint))
            .bearer_auth(&self.key)
            .json(&message)
            .send()
            .await
            .unwrap()
            .status()
    }

    /// Sends a request and reads its response from the stream.
    async fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        let status = self
            .post(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        loop {
            let (event, data) = self.next_event().await;
            assert_eq!(event, "message");
            let message: Value = serde_json::from_str(&data).unwrap();
            if message["id"] == id {
                return message;
            }
        }
    }
}

#[tokio::test]
async fn the_legacy_sse_transport_serves_the_same_tools() {
    let (server, _mock, admin) = setup().await;
    let resp = reqwest::Client::new()
        .get(server.url("/api/mcp/sse"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let key = new_key(&admin, &server, "monitor", &["health", "models"]).await;
    let mut sse = SseClient::open(&server, &key).await;
    assert!(
        sse.endpoint.starts_with("/api/mcp/sse?sessionId="),
        "{}",
        sse.endpoint
    );

    let init = sse
        .request(
            1,
            "initialize",
            json!({ "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": { "name": "sse-test", "version": "1" } }),
        )
        .await;
    assert_eq!(init["result"]["serverInfo"]["name"], "omniroute", "{init}");
    assert_eq!(
        sse.post(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }))
            .await,
        StatusCode::ACCEPTED
    );
    let tools = sse.request(2, "tools/list", json!({})).await;
    let names: BTreeSet<String> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, set(HEALTH_TOOLS));
    let health = sse
        .request(
            3,
            "tools/call",
            json!({ "name": "omniroute_get_health", "arguments": {} }),
        )
        .await;
    assert_eq!(
        health["result"]["structuredContent"]["status"], "ok",
        "{health}"
    );
    let refused = sse
        .request(
            4,
            "tools/call",
            json!({ "name": "omniroute_list_keys", "arguments": {} }),
        )
        .await;
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("keys scope"));

    // Another key cannot post into this session; an unknown session is 404.
    let other = new_key(&admin, &server, "other", &["health"]).await;
    let resp = reqwest::Client::new()
        .post(format!("{}{}", server.base, sse.endpoint))
        .bearer_auth(&other)
        .json(&json!({ "jsonrpc": "2.0", "id": 9, "method": "tools/list" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = reqwest::Client::new()
        .post(server.url("/api/mcp/message?sessionId=nope"))
        .bearer_auth(&key)
        .json(&json!({ "jsonrpc": "2.0", "id": 9, "method": "tools/list" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_switch_and_the_allowed_hosts_guard_the_http_transports() {
    let (server, _mock, admin) = setup().await;
    let key = new_key(&admin, &server, "monitor", &["health"]).await;
    let raw = reqwest::Client::new();
    let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } });
    let post = |host: Option<&'static str>| {
        let mut r = raw
            .post(server.url("/api/mcp/stream"))
            .bearer_auth(&key)
            .header("accept", "application/json, text/event-stream")
            .json(&init);
        if let Some(h) = host {
            r = r.header("host", h);
        }
        r.send()
    };
    assert_eq!(post(None).await.unwrap().status(), StatusCode::OK);
    let foreign = post(Some("rebind.example:20128")).await.unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let body: Value = foreign.json().await.unwrap();
    assert_eq!(body["error"], "host_not_allowed");

    let resp = admin
        .put(server.url("/api/mcp/settings"))
        .json(&json!({ "allowedHosts": ["rebind.example"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        post(Some("rebind.example:20128")).await.unwrap().status(),
        StatusCode::OK
    );

    let resp = admin
        .put(server.url("/api/mcp/settings"))
        .json(&json!({ "enabled": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let off = post(None).await.unwrap();
    assert_eq!(off.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = off.json().await.unwrap();
    assert_eq!(body["error"], "mcp_disabled");
    let status: Value = admin
        .get(server.url("/api/mcp/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["enabled"], false);
    assert!(status["tools"].as_u64().unwrap() >= 25);

    // The management views stay behind the dashboard login.
    let resp = reqwest::Client::new()
        .get(server.url("/api/mcp/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}
