//! `/api/health` and the embedded site assets, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, Server};
use reqwest::StatusCode;

#[tokio::test]
async fn health_is_public_and_small() {
    let server = Server::start();
    let resp = client()
        .get(server.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert!(v["uptime"].is_u64());
}

/// The binary carries its site: the wasm bundle and stylesheet, gzip-compressed for browsers
/// that accept it, revalidated by ETag. (Run scripts/build.sh first: it builds the site that
/// server/build.rs embeds.)
#[tokio::test]
async fn site_assets_are_embedded_and_served_compressed() {
    let server = Server::start();
    let c = reqwest::Client::builder().build().unwrap(); // no automatic gzip decoding feature
    for (path, ctype) in [
        ("/pkg/omniroute.wasm", "application/wasm"),
        ("/pkg/omniroute.js", "text/javascript; charset=utf-8"),
        ("/pkg/omniroute.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let plain = c.get(server.url(path)).send().await.unwrap();
        assert_eq!(
            plain.status(),
            StatusCode::OK,
            "{path}: built without the site? run scripts/build.sh"
        );
        assert_eq!(plain.headers()["content-type"], ctype, "{path}");
        assert!(plain.headers().get("content-encoding").is_none());
        let etag = plain.headers()["etag"].clone();
        let raw_len = plain.bytes().await.unwrap().len();

        let gz = c
            .get(server.url(path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gz.headers()["content-encoding"], "gzip", "{path}");
        let gz_len = gz.bytes().await.unwrap().len();
        assert!(gz_len < raw_len, "{path}: {gz_len} >= {raw_len}");

        let again = c
            .get(server.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
    let wasm = c
        .get(server.url("/pkg/omniroute.wasm"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&wasm[..4], b"\0asm");
}

#[tokio::test]
async fn unknown_pages_are_404_for_logged_in_users() {
    let server = Server::start();
    let c = client();
    common::login(&c, &server, common::PASSWORD).await;
    let resp = c.get(server.url("/dashboard/nope")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.text().await.unwrap().contains("Page not found"));
}
