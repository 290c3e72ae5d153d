use mock_upstream::Scenario;
use serde_json::{json, Value};

use crate::{client, mock, parse_sse, post, post_json};

fn body() -> Value {
    json!({ "systemInstruction": { "parts": [{ "text": "be brief" }] },
            "contents": [{ "role": "user", "parts": [{ "text": "hello gemini" }] }] })
}

#[tokio::test]
async fn generate_content_with_thoughts_and_signature() {
    let m = mock().await;
    m.push(
        Scenario::text("answer here")
            .with_reasoning("pondering")
            .with_signature("c2ln"),
    );
    let v = post_json(&m, "/v1beta/models/gemini-x:generateContent", body()).await;
    assert_eq!(v["modelVersion"], "gemini-x");
    let parts = &v["candidates"][0]["content"]["parts"];
    assert_eq!(parts[0], json!({ "text": "pondering", "thought": true }));
    assert_eq!(parts[1]["text"], "answer here");
    assert_eq!(parts[1]["thoughtSignature"], "c2ln");
    assert_eq!(v["candidates"][0]["content"]["role"], "model");
    assert_eq!(v["candidates"][0]["finishReason"], "STOP");
    let u = &v["usageMetadata"];
    assert_eq!(u["promptTokenCount"], 4);
    assert_eq!(u["candidatesTokenCount"], 2);
    assert_eq!(u["thoughtsTokenCount"], 1);
    assert_eq!(u["totalTokenCount"], 7);
}

#[tokio::test]
async fn stream_generate_content_sse() {
    let m = mock().await;
    let r = post(
        &m,
        "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
        body(),
    )
    .await;
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let frames = parse_sse(&r.text().await.unwrap());
    assert!(frames.len() >= 3);
    let chunks: Vec<Value> = frames.iter().map(|f| f.json()).collect();
    let text: String = chunks
        .iter()
        .flat_map(|c| {
            c["candidates"][0]["content"]["parts"]
                .as_array()
                .unwrap()
                .clone()
        })
        .filter_map(|p| p["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(text, "mock: hello gemini");
    let last = chunks.last().unwrap();
    assert_eq!(last["candidates"][0]["finishReason"], "STOP");
    assert_eq!(last["usageMetadata"]["promptTokenCount"], 4);
    assert!(chunks[..chunks.len() - 1]
        .iter()
        .all(|c| c["usageMetadata"].is_null()));
    let recorded = m.last_request().unwrap();
    assert_eq!(recorded.model().as_deref(), Some("gemini-x"));
    assert_eq!(recorded.query.as_deref(), Some("alt=sse"));
}

#[tokio::test]
async fn stream_function_calls_and_json_array_mode() {
    let m = mock().await;
    m.push(
        Scenario::default()
            .with_tool_call("lookup", json!({ "id": 7 }))
            .with_tool_call("other", json!({})),
    );
    let r = post(
        &m,
        "/v1beta/models/gemini-x:streamGenerateContent?alt=sse",
        body(),
    )
    .await;
    let frames = parse_sse(&r.text().await.unwrap());
    let last = frames.last().unwrap().json();
    let parts = &last["candidates"][0]["content"]["parts"];
    assert_eq!(
        parts[0]["functionCall"],
        json!({ "name": "lookup", "args": { "id": 7 } })
    );
    assert_eq!(parts[1]["functionCall"]["name"], "other");
    // Without alt=sse: one JSON array of the same chunks.
    let r = post(&m, "/v1beta/models/gemini-x:streamGenerateContent", body()).await;
    let v: Value = r.json().await.unwrap();
    assert!(v.as_array().unwrap().len() >= 2);
    // Unknown method → Gemini-shaped 404; the model list has Gemini's shape.
    let r = post(&m, "/v1beta/models/gemini-x:explode", body()).await;
    assert_eq!(r.status(), 404);
    let r = client()
        .get(format!("{}/v1beta/models", m.url()))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert!(v["models"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("models/"));
}
