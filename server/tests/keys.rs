//! API keys and scopes through the real binary: the management endpoints, the /v1 key check
//! in every client dialect, and manage-scoped automation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::MockUpstream;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn admin(server: &Server) -> reqwest::Client {
    let c = client();
    assert_eq!(login(&c, server, PASSWORD).await.status(), StatusCode::OK);
    c
}

async fn new_key(c: &reqwest::Client, server: &Server, body: Value) -> Value {
    let resp = c
        .post(server.url("/api/keys"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.unwrap()
}

fn start_with(env: &[(&str, &str)]) -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec![("INITIAL_PASSWORD", PASSWORD)];
    all.extend_from_slice(env);
    (Server::start_in(tmp.path(), &all), tmp)
}

#[tokio::test]
async fn keys_are_shown_once_and_stored_hashed() {
    let (server, tmp) = start_with(&[]);
    let c = admin(&server).await;
    let created = new_key(&c, &server, json!({ "name": "ci-bot", "scopes": ["chat"] })).await;
    let key = created["key"].as_str().unwrap().to_string();
    assert!(key.starts_with("sk-or-"), "{created}");
    assert_eq!(created["scopes"], json!(["chat"]));
    assert_eq!(created["revealable"], false);

    let list: Value = c
        .get(server.url("/api/keys"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["keys"].as_array().unwrap().len(), 1);
    assert!(
        !list.to_string().contains(&key),
        "the list never shows the key"
    );
    assert!(list["keys"][0]["keyPrefix"].as_str().unwrap().contains('…'));

    let id = created["id"].as_str().unwrap();
    let reveal = c
        .get(server.url(&format!("/api/keys/{id}/reveal")))
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), StatusCode::FORBIDDEN);

    let mut bytes = std::fs::read(tmp.path().join("storage.sqlite")).unwrap();
    if let Ok(wal) = std::fs::read(tmp.path().join("storage.sqlite-wal")) {
        bytes.extend(wal);
    }
    assert!(
        !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
        "plaintext key on disk"
    );
}

#[tokio::test]
async fn bad_key_requests_are_clear() {
    let (server, _tmp) = start_with(&[]);
    let c = admin(&server).await;
    new_key(&c, &server, json!({ "name": "taken" })).await;
    let cases = [
        (json!({}), 400, "missing_field"),
        (json!({ "name": 5 }), 400, "invalid_field"),
        (
            json!({ "name": "x", "scopes": ["chat", "root"] }),
            400,
            "invalid_scope",
        ),
        (
            json!({ "name": "x", "scopes": "chat" }),
            400,
            "invalid_field",
        ),
        (json!({ "name": "taken" }), 409, "duplicate_name"),
        (json!({ "name": "x", "expiresAt": 1 }), 400, "invalid_field"),
    ];
    for (body, status, code) in cases {
        let resp = c
            .post(server.url("/api/keys"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "{body}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"], code, "{body}: {v}");
    }
    for (method, path) in [
        ("GET", "/api/keys/key_nope"),
        ("PATCH", "/api/keys/key_nope"),
        ("DELETE", "/api/keys/key_nope"),
        ("POST", "/api/keys/key_nope/revoke"),
        ("POST", "/api/keys/key_nope/regenerate"),
    ] {
        let resp = c
            .request(method.parse().unwrap(), server.url(path))
            .json(&json!({ "isActive": false }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    let anonymous = reqwest::Client::new()
        .get(server.url("/api/keys"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn require_api_key_guards_v1_in_every_dialect() {
    let mock = MockUpstream::start().await;
    let (server, _tmp) = start_with(&[("REQUIRE_API_KEY", "true")]);
    let c = admin(&server).await;
    let resp = c
        .post(server.url("/api/providers"))
        .json(&json!({ "provider": "openai", "apiKey": "sk-up", "baseUrl": format!("{}/v1", mock.url()) }))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let key = new_key(&c, &server, json!({ "name": "app" })).await["key"]
        .as_str()
        .unwrap()
        .to_string();
    let http = reqwest::Client::new();
    let chat =
        json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "hi" }] });

    let none = http
        .post(server.url("/v1/chat/completions"))
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let v: Value = none.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("API key is required"),
        "{v}"
    );

    let wrong = http
        .post(server.url("/v1/chat/completions"))
        .bearer_auth("sk-or-not-a-real-key")
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let ok = http
        .post(server.url("/v1/chat/completions"))
        .bearer_auth(&key)
        .json(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        mock.last_request().unwrap().header("authorization"),
        Some("Bearer sk-up"),
        "the client key never reaches the upstream"
    );

    // Anthropic clients send x-api-key; errors come back in Anthropic's shape
    let anthropic = json!({ "model": "openai/gpt-test", "max_tokens": 5, "messages": [{ "role": "user", "content": "hi" }] });
    let resp = http
        .post(server.url("/v1/messages"))
        .header("x-api-key", &key)
        .json(&anthropic)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = http
        .post(server.url("/v1/messages"))
        .header("x-api-key", "bad")
        .json(&anthropic)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["type"], "error");
    assert_eq!(v["error"]["type"], "authentication_error");

    // Gemini clients: ?key= and x-goog-api-key
    let gemini = json!({ "contents": [{ "role": "user", "parts": [{ "text": "hi" }] }] });
    let url = server.url(&format!(
        "/v1beta/models/openai/gpt-test:generateContent?key={key}"
    ));
    assert_eq!(
        http.post(url).json(&gemini).send().await.unwrap().status(),
        StatusCode::OK
    );
    let resp = http
        .post(server.url("/v1beta/models/openai/gpt-test:generateContent"))
        .header("x-goog-api-key", "bad")
        .json(&gemini)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"]["status"], "UNAUTHENTICATED", "{v}");
}

#[tokio::test]
async fn revoked_disabled_and_regenerated_keys() {
    let (server, _tmp) = start_with(&[]);
    let c = admin(&server).await;
    let created = new_key(&c, &server, json!({ "name": "rotating" })).await;
    let id = created["id"].as_str().unwrap().to_string();
    let key = created["key"].as_str().unwrap().to_string();
    let http = reqwest::Client::new();
    let models = |k: String| {
        let http = http.clone();
        let url = server.url("/v1/models");
        async move { http.get(url).bearer_auth(k).send().await.unwrap().status() }
    };
    assert_eq!(models(key.clone()).await, StatusCode::OK);

    let resp = c
        .patch(server.url(&format!("/api/keys/{id}")))
        .json(&json!({ "isActive": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        models(key.clone()).await,
        StatusCode::UNAUTHORIZED,
        "disabled"
    );
    c.patch(server.url(&format!("/api/keys/{id}")))
        .json(&json!({ "isActive": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(models(key.clone()).await, StatusCode::OK);

    let regenerated: Value = c
        .post(server.url(&format!("/api/keys/{id}/regenerate")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_key = regenerated["key"].as_str().unwrap().to_string();
    assert_ne!(new_key, key);
    assert_eq!(
        models(key.clone()).await,
        StatusCode::UNAUTHORIZED,
        "the old key is dead"
    );
    assert_eq!(models(new_key.clone()).await, StatusCode::OK);

    let revoked: Value = c
        .post(server.url(&format!("/api/keys/{id}/revoke")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(revoked["revokedAt"].is_string());
    let resp = http
        .get(server.url("/v1/models"))
        .bearer_auth(&new_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["error"]["message"].as_str().unwrap().contains("revoked"),
        "{v}"
    );

    let resp = c
        .delete(server.url(&format!("/api/keys/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        c.get(server.url(&format!("/api/keys/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn scopes_separate_chat_from_management() {
    let (server, _tmp) = start_with(&[]);
    let c = admin(&server).await;
    let chat = new_key(
        &c,
        &server,
        json!({ "name": "chat-only", "scopes": ["chat"] }),
    )
    .await["key"]
        .as_str()
        .unwrap()
        .to_string();
    let manage = new_key(&c, &server, json!({ "name": "ops", "scopes": ["manage"] })).await["key"]
        .as_str()
        .unwrap()
        .to_string();
    let http = reqwest::Client::new();

    let resp = http
        .get(server.url("/api/keys"))
        .bearer_auth(&chat)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "missing_scope");

    let resp = http
        .get(server.url("/api/providers"))
        .bearer_auth(&manage)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    // a manage key can automate: create a key, no cookie, no CSRF token
    let resp = http
        .post(server.url("/api/keys"))
        .bearer_auth(&manage)
        .json(&json!({ "name": "made-by-automation" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);

    let resp = http
        .get(server.url("/v1/models"))
        .bearer_auth(&manage)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "manage without chat cannot use /v1"
    );

    let resp = http
        .get(server.url("/api/providers"))
        .bearer_auth("sk-or-invalid")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = http.get(server.url("/api/providers")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn loopback_without_require_accepts_no_key_but_never_a_bad_one() {
    let (server, _tmp) = start_with(&[]);
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(server.url("/v1/models"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let resp = http
        .get(server.url("/v1/models"))
        .bearer_auth("sk-or-bogus")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        server.log_text().contains("loopback only"),
        "{}",
        server.log_text()
    );
}

#[tokio::test]
async fn beyond_loopback_a_valid_key_opens_v1() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(["--port", "0", "--host", "0.0.0.0", "--data-dir"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .env("INITIAL_PASSWORD", PASSWORD)
        .env_remove("REQUIRE_API_KEY");
    let server = Server::start_in_cmd(cmd);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let local = format!("http://127.0.0.1:{port}");
    assert!(
        server.log_text().contains("requires an API key"),
        "{}",
        server.log_text()
    );
    let c = client();
    let resp = c
        .post(format!("{local}/api/auth/login"))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let key: Value = c
        .post(format!("{local}/api/keys"))
        .json(&json!({ "name": "remote" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(format!("{local}/v1/models"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let ok = http
        .get(format!("{local}/v1/models"))
        .bearer_auth(key["key"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn allowed_models_and_reveal() {
    let (server, _tmp) = start_with(&[("ALLOW_API_KEY_REVEAL", "true")]);
    let c = admin(&server).await;
    let created = new_key(
        &c,
        &server,
        json!({ "name": "narrow", "allowedModels": ["openai/*"] }),
    )
    .await;
    let key = created["key"].as_str().unwrap().to_string();
    assert_eq!(created["revealable"], true);
    let id = created["id"].as_str().unwrap();
    let revealed: Value = c
        .get(server.url(&format!("/api/keys/{id}/reveal")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["key"], key.as_str());

    let http = reqwest::Client::new();
    let resp = http
        .post(server.url("/v1/chat/completions"))
        .bearer_auth(&key)
        .json(&json!({ "model": "anthropic/claude-x", "messages": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may not use model"),
        "{v}"
    );
}
