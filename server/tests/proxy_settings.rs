//! Outbound proxies (`/api/settings/proxy`): upstream calls go through the configured proxy
//! (global, per provider, `noProxy` exemptions) from the next request on, without a restart.
//! Two tiny proxies written here (an HTTP forward/CONNECT proxy and a SOCKS5 one, on
//! loopback) count what passes through them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockHandle, MockUpstream};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A proxy on loopback and the targets it was asked for (`host:port path` or `host:port`).
struct TinyProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl TinyProxy {
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads up to the end of the request head.
async fn read_head(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    Some(buf)
}

/// An HTTP proxy: absolute-URI requests are forwarded (one request per connection, told to
/// close), CONNECT is tunnelled.
async fn http_proxy() -> TinyProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let Some(head) = read_head(&mut inbound).await else {
                    return;
                };
                let text = String::from_utf8_lossy(&head).to_string();
                let mut lines = text.split("\r\n");
                let request_line = lines.next().unwrap_or_default().to_string();
                let mut parts = request_line.split(' ');
                let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                if method == "CONNECT" {
                    log.lock().unwrap().push(target.to_string());
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = inbound
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await;
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    return;
                }
                let Some(rest) = target.strip_prefix("http://") else {
                    return;
                };
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                log.lock().unwrap().push(format!("{authority} {path}"));
                let Ok(mut outbound) = TcpStream::connect(authority).await else {
                    return;
                };
                let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
                for line in lines.filter(|l| !l.is_empty()) {
                    let name = line.split(':').next().unwrap_or("").to_ascii_lowercase();
                    if name != "connection" && name != "proxy-connection" {
                        forwarded.push_str(line);
                        forwarded.push_str("\r\n");
                    }
                }
                forwarded.push_str("connection: close\r\n\r\n");
                let _ = outbound.write_all(forwarded.as_bytes()).await;
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    TinyProxy { url, seen }
}

/// A SOCKS5 proxy without authentication (CONNECT to an IPv4 address or a name).
async fn socks5_proxy() -> TinyProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("socks5://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut hello = [0u8; 2];
                if s.read_exact(&mut hello).await.is_err() || hello[0] != 5 {
                    return;
                }
                let mut methods = vec![0u8; usize::from(hello[1])];
                let _ = s.read_exact(&mut methods).await;
                let _ = s.write_all(&[5, 0]).await;
                let mut req = [0u8; 4];
                if s.read_exact(&mut req).await.is_err() || req[1] != 1 {
                    return;
                }
                let host = match req[3] {
                    1 => {
                        let mut a = [0u8; 4];
                        let _ = s.read_exact(&mut a).await;
                        std::net::Ipv4Addr::from(a).to_string()
                    }
                    3 => {
                        let mut len = [0u8; 1];
                        let _ = s.read_exact(&mut len).await;
                        let mut name = vec![0u8; usize::from(len[0])];
                        let _ = s.read_exact(&mut name).await;
                        String::from_utf8_lossy(&name).to_string()
                    }
                    _ => return,
                };
                let mut port = [0u8; 2];
                let _ = s.read_exact(&mut port).await;
                let target = format!("{host}:{}", u16::from_be_bytes(port));
                log.lock().unwrap().push(target.clone());
                let Ok(mut outbound) = TcpStream::connect(&target).await else {
                    let _ = s.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).await;
                    return;
                };
                let _ = s.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await;
                let _ = tokio::io::copy_bidirectional(&mut s, &mut outbound).await;
            });
        }
    });
    TinyProxy { url, seen }
}

async fn setup() -> (Server, MockHandle, reqwest::Client, String) {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = client();
    assert_eq!(login(&c, &server, PASSWORD).await.status(), StatusCode::OK);
    let resp: Value = c
        .post(server.url("/api/providers"))
        .json(
            &json!({ "provider": "openai", "apiKey": "sk-test", "name": "main",
                       "baseUrl": format!("{}/v1", mock.url()) }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = resp["connection"]["id"].as_str().unwrap().to_string();
    (server, mock, c, id)
}

async fn put(c: &reqwest::Client, server: &Server, body: Value) -> (StatusCode, Value) {
    let resp = c
        .put(server.url("/api/settings/proxy"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn chat(server: &Server) {
    let resp = reqwest::Client::new()
        .post(server.url("/v1/chat/completions"))
        .json(&json!({ "model": "openai/gpt-test", "messages": [{ "role": "user", "content": "hi" }] }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
}

fn mock_authority(mock: &MockHandle) -> String {
    mock.url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

#[tokio::test]
async fn upstream_calls_go_through_the_configured_proxy_without_a_restart() {
    let (server, mock, c, conn) = setup().await;
    let http = http_proxy().await;
    let socks = socks5_proxy().await;
    let upstream = mock_authority(&mock);

    chat(&server).await;
    assert!(http.seen().is_empty(), "no proxy configured: direct");

    // a global HTTP proxy: the next request goes through it
    let (status, v) = put(&c, &server, json!({ "global": { "url": http.url } })).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    chat(&server).await;
    assert_eq!(
        http.seen(),
        vec![format!("{upstream} /v1/chat/completions")]
    );
    // the connection test of the dashboard goes through it too
    let resp = c
        .post(server.url(&format!("/api/providers/{conn}/test")))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(http.seen().len(), 2, "{:?}", http.seen());
    assert!(http.seen()[1].ends_with("/v1/models"), "{:?}", http.seen());

    // per provider: SOCKS5 for openai (by its prefix) wins over the global proxy
    let (status, v) = put(
        &c,
        &server,
        json!({ "global": { "url": http.url }, "perProvider": { "openai": { "url": socks.url } } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["perProvider"]["openai"]["url"], socks.url.as_str());
    chat(&server).await;
    assert_eq!(socks.seen(), vec![upstream.clone()]);
    assert_eq!(http.seen().len(), 2, "the global proxy was not used");

    // per provider null: direct even with a global proxy
    put(
        &c,
        &server,
        json!({ "global": { "url": http.url }, "perProvider": { "openai": null } }),
    )
    .await;
    chat(&server).await;
    assert_eq!(http.seen().len(), 2);
    assert_eq!(socks.seen().len(), 1);

    // noProxy exempts the upstream's host
    put(
        &c,
        &server,
        json!({ "global": http.url, "noProxy": ["127.0.0.1"] }),
    )
    .await;
    chat(&server).await;
    assert_eq!(http.seen().len(), 2, "{:?}", http.seen());

    // removed: direct again
    let (_, v) = put(&c, &server, json!({})).await;
    assert_eq!(
        v,
        json!({ "global": { "url": null }, "perProvider": {}, "noProxy": [] })
    );
    chat(&server).await;
    assert_eq!(http.seen().len(), 2);
    assert_eq!(mock.requests().len(), 7, "every call reached the upstream");
}

#[tokio::test]
async fn proxy_settings_are_validated_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("INITIAL_PASSWORD", PASSWORD)];
    let mut server = Server::start_in(dir.path(), &env);
    let c = client();
    login(&c, &server, PASSWORD).await;
    let (status, v) = c
        .get(server.url("/api/settings/proxy"))
        .send()
        .await
        .map(|r| (r.status(), r))
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v.json::<Value>().await.unwrap(),
        json!({ "global": { "url": null }, "perProvider": {}, "noProxy": [] })
    );
    for (body, field) in [
        (json!({ "global": { "url": "ftp://proxy:21" } }), "global"),
        (json!({ "global": { "url": "socks5://proxy" } }), "global"),
        (
            json!({ "global": { "url": "http://proxy:8080/path" } }),
            "global",
        ),
        (json!({ "global": { "url": 42 } }), "global.url"),
        (json!({ "global": 7 }), "global"),
        (
            json!({ "perProvider": { "nope": { "url": "http://p:1" } } }),
            "perProvider.nope",
        ),
        (
            json!({ "perProvider": { "openai": { "url": "bad" } } }),
            "perProvider.openai",
        ),
        (json!({ "perProvider": [] }), "perProvider"),
        (json!({ "noProxy": "localhost" }), "noProxy"),
        (
            json!({ "noProxy": ["ok.example", "bad host"] }),
            "noProxy[1]",
        ),
    ] {
        let (status, v) = put(&c, &server, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert!(
            v["message"].as_str().unwrap().contains(field),
            "{body}: {v}"
        );
    }
    let resp = c
        .put(server.url("/api/settings/proxy"))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let saved = json!({
        "global": { "url": "socks5h://user:pw@proxy.example:1080" },
        "perProvider": { "ds": { "url": "http://10.0.0.2:3128" }, "anthropic": null },
        "noProxy": ["localhost", ".internal.example", "10.0.0.0/8"],
    });
    let (status, v) = put(&c, &server, saved).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // the password never comes back, and is not stored in the clear
    let expected = json!({
        "global": { "url": "socks5h://user:****@proxy.example:1080" },
        "perProvider": { "deepseek": { "url": "http://10.0.0.2:3128" }, "anthropic": { "url": null } },
        "noProxy": ["localhost", ".internal.example", "10.0.0.0/8"],
    });
    assert_eq!(v, expected);
    let db = std::fs::read(dir.path().join("storage.sqlite")).unwrap_or_default();
    let wal = std::fs::read(dir.path().join("storage.sqlite-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(
            !bytes.windows(b"user:pw@".len()).any(|w| w == b"user:pw@"),
            "the proxy password is stored in the clear"
        );
    }
    // sending the masked settings back keeps the password; a mask for a new proxy is refused
    let (status, v) = put(&c, &server, expected.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = put(
        &c,
        &server,
        json!({ "global": { "url": "socks5h://user:****@other.example:1080" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("password"), "{v}");
    // no credentials: 401
    let anon = reqwest::Client::new()
        .get(server.url("/api/settings/proxy"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    server.terminate();
    let server = Server::start_in(dir.path(), &env);
    let c = client();
    login(&c, &server, PASSWORD).await;
    let v: Value = c
        .get(server.url("/api/settings/proxy"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v, expected);
}

#[tokio::test]
async fn the_proxy_test_reports_ok_and_latency_or_the_error() {
    let (server, mock, c, _) = setup().await;
    let http = http_proxy().await;
    let target = format!("{}/v1/models", mock.url());
    let test = |body: Value| {
        let c = c.clone();
        let url = server.url("/api/settings/proxy/test");
        async move {
            let resp = c.post(url).json(&body).send().await.unwrap();
            (resp.status(), resp.json::<Value>().await.unwrap())
        }
    };
    let (status, v) = test(json!({ "url": http.url, "target": target })).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["status"], 200);
    assert!(v["latencyMs"].as_u64().is_some());
    assert!(v["error"].is_null());
    assert_eq!(
        http.seen(),
        vec![format!("{} /v1/models", mock_authority(&mock))]
    );

    // nothing listens there: not ok, with the reason
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (status, v) = test(json!({ "url": dead, "target": target })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["ok"], false, "{v}");
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");

    for (body, field) in [
        (json!({}), "url"),
        (json!({ "url": "gopher://x:1" }), "url"),
        (
            json!({ "url": http.url, "target": "file:///etc/passwd" }),
            "target",
        ),
    ] {
        let (status, v) = test(body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert!(v["message"].as_str().unwrap().contains(field), "{v}");
    }
}
