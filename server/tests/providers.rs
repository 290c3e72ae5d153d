//! The provider management API through the real binary: connections (keys encrypted at
//! rest, never shown in full), connection tests and model lists against the mock upstream,
//! custom nodes, custom models, the catalog, and the 400/401/404/409 answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockUpstream, Scenario};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn logged_in(server: &Server) -> Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn call(
    c: &Client,
    server: &Server,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c.request(method, server.url(path));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json, text)
}

async fn raw_post(
    c: &Client,
    server: &Server,
    path: &str,
    body: &'static str,
) -> (StatusCode, Value) {
    let resp = c
        .post(server.url(path))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Every byte of the database (main file and WAL).
fn database_bytes(server: &Server) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["storage.sqlite", "storage.sqlite-wal"] {
        if let Ok(b) = std::fs::read(server.data_dir.join(name)) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

const KEY: &str = "sk-test-PLAINTEXTSECRET-9876";

#[tokio::test]
async fn connections_crud_with_keys_encrypted_and_masked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", PASSWORD)]);
    let c = logged_in(&server).await;

    let (status, v, text) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "openai", "apiKey": KEY, "name": "main"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let conn = &v["connection"];
    let id = conn["id"].as_str().unwrap().to_string();
    assert_eq!(conn["provider"], "openai");
    assert_eq!(conn["name"], "main");
    assert_eq!(conn["isActive"], true);
    assert_eq!(conn["priority"], 1);
    assert_eq!(conn["apiKeyMasked"], "sk-…9876");
    assert!(conn["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(!text.contains("PLAINTEXTSECRET"), "{text}");

    // A second account of the same provider goes after the first; a prefix names it too.
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "ds", "apiKey": "sk-deepseek-000011112222"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["connection"]["provider"], "deepseek");
    assert_eq!(v["connection"]["name"], "DeepSeek");
    let ds_id = v["connection"]["id"].as_str().unwrap().to_string();

    let (status, v, text) = call(&c, &server, "GET", "/api/providers", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["connections"].as_array().unwrap().len(), 2, "{text}");
    assert!(!text.contains("PLAINTEXTSECRET"), "{text}");
    let (_, v, _) = call(&c, &server, "GET", "/api/providers?provider=openai", None).await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 1);

    let (status, v, text) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["connection"]["id"], id.as_str());
    assert!(!text.contains("PLAINTEXTSECRET"));

    // Stored encrypted: the plaintext is nowhere in the database files.
    let db = database_bytes(&server);
    assert!(contains(&db, "enc:v1:"), "the key was not stored at all");
    assert!(
        !contains(&db, "PLAINTEXTSECRET"),
        "the API key is stored in plaintext"
    );

    let (status, v, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/providers/{id}"),
        Some(json!({"isActive": false, "priority": 7, "name": "backup", "apiKey": "sk-new-key-abcdefgh4321"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let conn = &v["connection"];
    assert_eq!(conn["isActive"], false);
    assert_eq!(conn["priority"], 7);
    assert_eq!(conn["name"], "backup");
    assert_eq!(conn["apiKeyMasked"], "sk-…4321");

    // Survives a restart, still decryptable.
    server.terminate();
    let server = Server::start_in(tmp.path(), &[]);
    let c = logged_in(&server).await;
    let (_, v, _) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    assert_eq!(v["connection"]["apiKeyMasked"], "sk-…4321");
    assert_eq!(v["connection"]["keyError"], Value::Null);

    let (status, v, _) = call(&c, &server, "DELETE", &format!("/api/providers/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["success"], true);
    let (status, v, _) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "connection_not_found");
    let (status, _, _) = call(&c, &server, "DELETE", &format!("/api/providers/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/providers/{id}"),
        Some(json!({"priority": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, v, _) = call(&c, &server, "GET", "/api/providers", None).await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 1);
    assert_eq!(v["connections"][0]["id"], ds_id.as_str());
}

#[tokio::test]
async fn a_changed_encryption_key_disables_the_connection_without_breaking_start_up() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(tmp.path(), &[("INITIAL_PASSWORD", PASSWORD)]);
    let c = logged_in(&server).await;
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "groq", "apiKey": KEY, "name": "groq main"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = v["connection"]["id"].as_str().unwrap().to_string();
    server.terminate();

    let server = Server::start_in(
        tmp.path(),
        &[("STORAGE_ENCRYPTION_KEY", "another passphrase")],
    );
    let c = logged_in(&server).await;
    let (_, v, _) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    let conn = &v["connection"];
    assert_eq!(conn["apiKeyMasked"], Value::Null);
    assert!(
        conn["keyError"].as_str().unwrap().contains("apiKey"),
        "{conn}"
    );
    let log = server.log_text();
    assert!(
        log.contains("groq main") && log.contains("disabled"),
        "{log}"
    );

    // Setting the key again repairs it.
    let (status, v, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/providers/{id}"),
        Some(json!({"apiKey": "gsk-repaired-key-00005555"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["connection"]["keyError"], Value::Null);
    assert_eq!(v["connection"]["apiKeyMasked"], "gsk-…5555");
}

#[tokio::test]
async fn bad_requests_are_refused_naming_the_problem() {
    let server = Server::start();

    // Not logged in: 401 everywhere.
    let anon = client();
    for (method, path) in [
        ("GET", "/api/providers"),
        ("POST", "/api/providers"),
        ("GET", "/api/provider-nodes"),
        ("GET", "/api/provider-models"),
        ("GET", "/api/models/catalog"),
        ("POST", "/api/providers/x/test"),
    ] {
        let (status, v, _) = call(&anon, &server, method, path, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(v["error"], "unauthorized");
    }

    let c = logged_in(&server).await;
    let post = |body: Value| {
        let c = c.clone();
        let server_url = server.url("/api/providers");
        async move {
            let resp = c.post(server_url).json(&body).send().await.unwrap();
            let status = resp.status();
            (status, resp.json::<Value>().await.unwrap())
        }
    };

    let (status, v) = post(json!({"provider": "cc", "apiKey": "x-1234567890"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "oauth_not_supported");
    assert!(v["message"].as_str().unwrap().contains("OAuth"), "{v}");
    for oauth in ["cx", "gemini-cli", "gh", "kr", "if", "qw"] {
        let (status, v) = post(json!({"provider": oauth, "apiKey": "k-1234567890"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{oauth}");
        assert_eq!(v["error"], "oauth_not_supported", "{oauth}");
    }

    let (status, v) = post(json!({"provider": "no-such-provider", "apiKey": "k"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "unknown_provider");
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains("no-such-provider") && message.contains("/api/models/catalog"),
        "{message}"
    );

    let (status, v) = post(json!({"provider": "openai"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("apiKey"), "{v}");

    let (status, v) = post(json!({"apiKey": "k"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["message"], "provider is required");
    let (status, v) = post(json!({"provider": 5})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("provider must be"),
        "{v}"
    );
    let (status, v) = post(json!({"provider": "openai", "apiKey": "k", "priority": "high"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("priority must be"),
        "{v}"
    );
    let (status, v) =
        post(json!({"provider": "openai", "apiKey": "k", "baseUrl": "ftp://x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"].as_str().unwrap().starts_with("baseUrl "),
        "{v}"
    );

    let (status, v) = raw_post(&c, &server, "/api/providers", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "invalid_json");
    let (status, v) = raw_post(&c, &server, "/api/providers", "[1,2]").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "invalid_body");
    let (status, v) = raw_post(&c, &server, "/api/provider-nodes", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "invalid_body");

    // Local servers need no key.
    let (status, v) = post(json!({"provider": "ollama", "name": "box"})).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["connection"]["apiKeyMasked"], Value::Null);
    let id = v["connection"]["id"].as_str().unwrap().to_string();

    let (status, v, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/providers/{id}"),
        Some(json!({"isActive": "yes"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("isActive must be"),
        "{v}"
    );
    let (status, v, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/providers/{id}"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"].as_str().unwrap().contains("nothing to change"),
        "{v}"
    );
    let (status, _, _) = call(&c, &server, "POST", "/api/providers/nope/test", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(&c, &server, "GET", "/api/provider-nodes/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn test_list_and_import_models_against_the_mock_upstream() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = logged_in(&server).await;
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(
            json!({"provider": "openai", "apiKey": "sk-mock-key-123456", "name": "mocked",
                    "baseUrl": format!("{}/v1/", mock.url())}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["connection"]["baseUrl"], format!("{}/v1", mock.url()));
    let id = v["connection"]["id"].as_str().unwrap().to_string();

    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{id}/test"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["status"], 200);
    assert!(v["latencyMs"].is_u64());
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.path, "/v1/models");
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer sk-mock-key-123456")
    );
    let (_, v, _) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    assert_eq!(v["connection"]["testStatus"], "active");
    assert!(v["connection"]["lastTestedAt"].is_string());

    // A key the upstream refuses.
    mock.push(Scenario::status(401));
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{id}/test"),
        None,
    )
    .await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["status"], 401);
    assert!(v["message"].as_str().unwrap().contains("API key"), "{v}");
    let (_, v, _) = call(&c, &server, "GET", &format!("/api/providers/{id}"), None).await;
    assert_eq!(v["connection"]["testStatus"], "error");
    assert!(v["connection"]["lastError"]
        .as_str()
        .unwrap()
        .contains("401"));

    // The model list, then an import into the provider's custom models.
    let (status, v, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/providers/{id}/models"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let ids: Vec<&str> = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"mock-chat") && ids.contains(&"mock-embedding"),
        "{ids:?}"
    );
    assert_eq!(
        mock.last_request().unwrap().header("authorization"),
        Some("Bearer sk-mock-key-123456")
    );

    mock.push(Scenario::status(500));
    let (status, v, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/providers/{id}/models"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(v["error"], "upstream_error");

    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{id}/models/import"),
        Some(json!({"models": ["mock-chat", "mock-reasoning", "not-there"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 2);
    assert_eq!(v["notListed"], json!(["not-there"]));
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{id}/models/import"),
        None,
    )
    .await;
    assert_eq!(v["imported"], 4, "{v}");
    assert_eq!(v["total"], ids.len());
    let (_, v, _) = call(
        &c,
        &server,
        "GET",
        "/api/provider-models?provider=openai",
        None,
    )
    .await;
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), ids.len());
    assert!(models.iter().all(|m| m["source"] == "imported"));

    // The catalog shows them under OpenAI, with the connection count.
    let (_, v, _) = call(&c, &server, "GET", "/api/models/catalog", None).await;
    let openai = v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["provider"] == "openai")
        .unwrap();
    assert_eq!(openai["connections"], 1);
    let mock_chat = openai["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "openai/mock-chat")
        .unwrap();
    assert_eq!(mock_chat["custom"], true);
    assert!(openai["models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "openai/gpt-5" && m["custom"] == false));

    // Anthropic: x-api-key, and its own model-list shape.
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "anthropic", "apiKey": "sk-ant-mock-00001111", "baseUrl": format!("{}/v1", mock.url())})),
    )
    .await;
    let ant = v["connection"]["id"].as_str().unwrap().to_string();
    let (status, v, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/providers/{ant}/models"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "mock-chat"));
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.header("x-api-key"), Some("sk-ant-mock-00001111"));
    assert!(sent.header("anthropic-version").is_some());

    // A provider without a model list is tested with a 1-token chat.
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "pplx", "apiKey": "pplx-mock-00002222", "baseUrl": format!("{}/v1", mock.url())})),
    )
    .await;
    let pplx = v["connection"]["id"].as_str().unwrap().to_string();
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{pplx}/test"),
        None,
    )
    .await;
    assert_eq!(v["ok"], true, "{v}");
    let sent = mock.last_request().unwrap();
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.json.as_ref().unwrap()["max_tokens"], 1);
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer pplx-mock-00002222")
    );
    let (status, v, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/providers/{pplx}/models"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "no_model_list");

    // An upstream that does not answer.
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "vllm", "baseUrl": "http://127.0.0.1:9/v1"})),
    )
    .await;
    let dead = v["connection"]["id"].as_str().unwrap().to_string();
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{dead}/test"),
        None,
    )
    .await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["status"], Value::Null);
    assert!(v["message"].as_str().unwrap().contains("connect"), "{v}");
}

#[tokio::test]
async fn custom_nodes_and_custom_models() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = logged_in(&server).await;
    let base = format!("{}/v1", mock.url());

    let (status, v, text) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(json!({"name": "My box", "prefix": "mybox", "baseUrl": base,
                    "type": "openai-compatible", "apiType": "chat"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let node = &v["node"];
    let node_id = node["id"].as_str().unwrap().to_string();
    assert_eq!(node_id, "openai-compatible-mybox");
    assert_eq!(node["prefix"], "mybox");
    assert_eq!(node["apiType"], "chat");

    // Prefix clashes name what they clash with.
    let node_body =
        |prefix: &str| json!({"name": "x", "prefix": prefix, "baseUrl": "http://127.0.0.1:9/v1"});
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(node_body("openai")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(v["error"], "prefix_taken");
    assert!(v["message"].as_str().unwrap().contains("OpenAI"), "{v}");
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(node_body("cc")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(v["message"].as_str().unwrap().contains("Claude"), "{v}");
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(node_body("mybox")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(v["message"].as_str().unwrap().contains("My box"), "{v}");
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(node_body("My Box")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "invalid_prefix");
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(json!({"prefix": "other", "baseUrl": "http://127.0.0.1:9/v1", "type": "gemini-compatible"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["message"].as_str().unwrap().starts_with("type must be"),
        "{v}"
    );
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-nodes",
        Some(json!({"prefix": "other"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["message"], "baseUrl is required");

    let (status, v, _) = call(
        &c,
        &server,
        "PATCH",
        &format!("/api/provider-nodes/{node_id}"),
        Some(json!({"name": "Renamed box"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["node"]["name"], "Renamed box");
    assert_eq!(v["node"]["prefix"], "mybox");
    let (_, v, _) = call(&c, &server, "GET", "/api/provider-nodes", None).await;
    assert_eq!(v["nodes"].as_array().unwrap().len(), 1);

    // A connection on the node, named by its prefix; its test reaches the node's base URL.
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "mybox", "apiKey": "node-key-000000001111"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["connection"]["provider"], node_id.as_str());
    let conn_id = v["connection"]["id"].as_str().unwrap().to_string();
    let (_, v, _) = call(
        &c,
        &server,
        "POST",
        &format!("/api/providers/{conn_id}/test"),
        None,
    )
    .await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        mock.last_request().unwrap().header("authorization"),
        Some("Bearer node-key-000000001111")
    );

    // Custom models, as in the user guide.
    let add =
        json!({"provider": "openai", "modelId": "gpt-5.2-preview", "modelName": "GPT-5.2 preview"});
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-models",
        Some(add.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["model"]["source"], "manual");
    let (status, _, _) = call(&c, &server, "POST", "/api/provider-models", Some(add)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-models",
        Some(json!({"provider": "mybox", "modelId": "llama3:8b"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/provider-models",
        Some(json!({"provider": "openai"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["message"], "modelId is required");

    let (_, v, _) = call(
        &c,
        &server,
        "GET",
        "/api/provider-models?provider=openai",
        None,
    )
    .await;
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 1);
    assert_eq!(models[0]["modelId"], "gpt-5.2-preview");
    assert_eq!(models[0]["modelName"], "GPT-5.2 preview");
    let (_, v, _) = call(&c, &server, "GET", "/api/provider-models", None).await;
    assert_eq!(v["models"].as_array().unwrap().len(), 2);

    let (_, v, _) = call(&c, &server, "GET", "/api/models/catalog", None).await;
    let groups = v["providers"].as_array().unwrap();
    let mybox = groups
        .iter()
        .find(|g| g["provider"] == node_id.as_str())
        .unwrap();
    assert_eq!(mybox["custom"], true);
    assert_eq!(mybox["models"][0]["id"], "mybox/llama3:8b");
    let openai = groups.iter().find(|g| g["provider"] == "openai").unwrap();
    let added = openai["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "openai/gpt-5.2-preview")
        .unwrap();
    assert_eq!(added["name"], "GPT-5.2 preview");
    assert!(groups
        .iter()
        .any(|g| g["provider"] == "claude-code" || g["prefix"] == "cc"));

    let (status, _, _) = call(
        &c,
        &server,
        "DELETE",
        "/api/provider-models?provider=openai&model=gpt-5.2-preview",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, v, _) = call(
        &c,
        &server,
        "DELETE",
        "/api/provider-models?provider=openai&model=gpt-5.2-preview",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "model_not_found");
    let (status, v, _) = call(
        &c,
        &server,
        "DELETE",
        "/api/provider-models?provider=openai",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("model"), "{v}");

    // Deleting the node removes its connections and models.
    let (status, v, _) = call(
        &c,
        &server,
        "DELETE",
        &format!("/api/provider-nodes/{node_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["deletedConnections"], 1);
    assert_eq!(v["deletedModels"], 1);
    let (status, _, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/provider-nodes/{node_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(
        &c,
        &server,
        "GET",
        &format!("/api/providers/{conn_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v, _) = call(
        &c,
        &server,
        "POST",
        "/api/providers",
        Some(json!({"provider": "mybox", "apiKey": "k-0000000000"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "unknown_provider");
}
