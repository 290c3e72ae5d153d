//! Usage rows of the media endpoints carry the upstream's token counts: embeddings
//! (`usage.prompt_tokens`), images and transcriptions (`input_tokens` / `output_tokens`), and
//! a cost when the model has a price; speech (audio bytes, no usage) has none.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use mock_upstream::{MockUpstream, Scenario, Usage};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn wait_logs(c: &reqwest::Client, server: &Server, query: &str, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v: Value = c
            .get(server.url(&format!("/api/usage/logs?{query}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["total"].as_u64().unwrap() >= n {
            return v;
        }
        assert!(Instant::now() < deadline, "{n} row(s) for {query}: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn tokens(row: &Value) -> [u64; 3] {
    let t = &row["tokens"];
    ["input", "output", "cacheRead"].map(|k| t[k].as_u64().unwrap())
}

#[tokio::test]
async fn media_rows_carry_the_upstreams_token_counts_and_cost() {
    let mock = MockUpstream::start().await;
    let server = Server::start();
    let c = client();
    login(&c, &server, PASSWORD).await;
    let resp = c
        .post(server.url("/api/providers"))
        .json(
            &json!({ "provider": "openai", "apiKey": "sk-test", "name": "main",
                       "baseUrl": format!("{}/v1", mock.url()) }),
        )
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let resp = c
        .put(server.url("/api/pricing"))
        .json(&json!({ "provider": "openai", "model": "embed-test", "input": 1.0, "output": 0.0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let http = reqwest::Client::new();

    // embeddings: the mock counts one token per word: 3 + 2
    let resp = http
        .post(server.url("/v1/embeddings"))
        .json(&json!({ "model": "openai/embed-test", "input": ["one two three", "four five"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["usage"]["prompt_tokens"], 5,
        "forwarded unchanged: {body}"
    );
    let row = &wait_logs(&c, &server, "q=embed-test", 1).await["logs"][0];
    assert_eq!(row["endpoint"], "embeddings");
    assert_eq!(tokens(row), [5, 0, 0]);
    let cost = row["cost"].as_f64().unwrap();
    assert!((cost - 5.0 / 1e6).abs() < 1e-12, "{row}");

    // images: input/output tokens with a cached part
    mock.push(Scenario::default().with_usage(Usage {
        input: Some(20),
        output: Some(4160),
        cache_read: 6,
        cache_write: 0,
        reasoning: None,
    }));
    let resp = http
        .post(server.url("/v1/images/generations"))
        .json(&json!({ "model": "openai/image-test", "prompt": "a cat" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert!(v["data"][0]["b64_json"].is_string(), "{v}");
    let row = &wait_logs(&c, &server, "q=image-test", 1).await["logs"][0];
    assert_eq!(row["endpoint"], "images");
    assert_eq!(tokens(row), [20, 4160, 6]);
    assert!(row["cost"].is_null(), "no price for image-test: unknown");

    // transcriptions (multipart)
    mock.push(Scenario::default().with_usage(Usage {
        input: Some(30),
        output: Some(12),
        cache_read: 0,
        cache_write: 0,
        reasoning: None,
    }));
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; 100])
                .file_name("clip.mp3")
                .mime_str("audio/mpeg")
                .unwrap(),
        )
        .text("model", "openai/transcribe-test");
    let resp = http
        .post(server.url("/v1/audio/transcriptions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let row = &wait_logs(&c, &server, "q=transcribe-test", 1).await["logs"][0];
    assert_eq!(tokens(row), [30, 12, 0]);

    // speech: audio bytes, no usage: no tokens, unknown cost
    let resp = http
        .post(server.url("/v1/audio/speech"))
        .json(&json!({ "model": "openai/speech-test", "input": "hello world", "voice": "alloy" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.bytes().await.unwrap().len(), 200);
    let row = &wait_logs(&c, &server, "q=speech-test", 1).await["logs"][0];
    assert_eq!(tokens(row), [0, 0, 0]);
    assert!(row["cost"].is_null());
}
