use mock_upstream::{Scenario, Usage};
use serde_json::{json, Value};

use crate::{chat_body, mock, post_json, post_sse};

#[tokio::test]
async fn chat_non_stream_echoes_model_and_counts_words() {
    let m = mock().await;
    let v = post_json(
        &m,
        "/v1/chat/completions",
        chat_body("gpt-x", "hello there world", false),
    )
    .await;
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["model"], "gpt-x");
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    assert_eq!(
        v["choices"][0]["message"]["content"],
        "mock: hello there world"
    );
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    // input: "be brief" + "hello there world" = 5 words; output: 4 words.
    assert_eq!(v["usage"]["prompt_tokens"], 5);
    assert_eq!(v["usage"]["completion_tokens"], 4);
    assert_eq!(v["usage"]["total_tokens"], 9);
    assert_eq!(v["id"], "chatcmpl-mock-1");
}

#[tokio::test]
async fn chat_stream_splits_text_and_reports_usage_when_asked() {
    let m = mock().await;
    let mut body = chat_body("gpt-x", "one two three", true);
    body["stream_options"] = json!({ "include_usage": true });
    let frames = post_sse(&m, "/v1/chat/completions", body).await;
    assert_eq!(frames.last().unwrap().data, "[DONE]");
    let chunks: Vec<Value> = frames[..frames.len() - 1]
        .iter()
        .map(|f| f.json())
        .collect();
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "mock: one two three");
    assert!(chunks.len() >= 6, "several chunks: {}", chunks.len());
    assert!(chunks.iter().all(|c| c["model"] == "gpt-x"));
    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "stop");
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["prompt_tokens"], 5);
    assert_eq!(usage["usage"]["completion_tokens"], 4);

    // Without include_usage there is no usage chunk.
    let frames = post_sse(&m, "/v1/chat/completions", chat_body("gpt-x", "a", true)).await;
    assert!(frames.iter().all(|f| !f.data.contains("\"usage\":{")));
}

#[tokio::test]
async fn chat_stream_reasoning_and_parallel_tool_calls_in_fragments() {
    let m = mock().await;
    let args_a = json!({ "city": "Paris", "units": "metric" });
    let args_b = json!({ "query": "weather tomorrow" });
    m.push(
        Scenario::default()
            .with_reasoning("let me think about it")
            .with_tool_call("get_weather", args_a.clone())
            .with_tool_call("search", args_b.clone()),
    );
    let frames = post_sse(&m, "/v1/chat/completions", chat_body("gpt-x", "hi", true)).await;
    let chunks: Vec<Value> = frames[..frames.len() - 1]
        .iter()
        .map(|f| f.json())
        .collect();
    let reasoning: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["reasoning_content"].as_str())
        .collect();
    assert_eq!(reasoning, "let me think about it");
    let mut args = [String::new(), String::new()];
    let mut names = Vec::new();
    let mut fragments = 0;
    for c in &chunks {
        if let Some(calls) = c["choices"][0]["delta"]["tool_calls"].as_array() {
            let call = &calls[0];
            let i = call["index"].as_u64().unwrap() as usize;
            if let Some(n) = call["function"]["name"].as_str() {
                names.push(n.to_owned());
                assert!(call["id"].as_str().unwrap().starts_with("call_"));
            }
            args[i].push_str(call["function"]["arguments"].as_str().unwrap());
            fragments += 1;
        }
    }
    assert_eq!(names, ["get_weather", "search"]);
    assert!(fragments > 6, "arguments arrive in small fragments");
    assert_eq!(serde_json::from_str::<Value>(&args[0]).unwrap(), args_a);
    assert_eq!(serde_json::from_str::<Value>(&args[1]).unwrap(), args_b);
    assert_eq!(
        chunks.last().unwrap()["choices"][0]["finish_reason"],
        "tool_calls"
    );
}

#[tokio::test]
async fn chat_non_stream_tool_calls_and_custom_usage() {
    let m = mock().await;
    m.push(
        Scenario::default()
            .with_tool_call("f", json!({ "x": 1 }))
            .with_usage(Usage {
                input: Some(100),
                output: Some(20),
                cache_read: 30,
                cache_write: 5,
                reasoning: Some(7),
            }),
    );
    let v = post_json(&m, "/v1/chat/completions", chat_body("gpt-x", "hi", false)).await;
    let msg = &v["choices"][0]["message"];
    assert_eq!(msg["content"], Value::Null);
    assert_eq!(msg["tool_calls"][0]["function"]["name"], "f");
    assert_eq!(msg["tool_calls"][0]["function"]["arguments"], "{\"x\":1}");
    assert_eq!(v["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(v["usage"]["prompt_tokens"], 135);
    assert_eq!(v["usage"]["prompt_tokens_details"]["cached_tokens"], 30);
    assert_eq!(v["usage"]["completion_tokens"], 20);
    assert_eq!(
        v["usage"]["completion_tokens_details"]["reasoning_tokens"],
        7
    );
}

#[tokio::test]
async fn legacy_completions_stream_and_not() {
    let m = mock().await;
    let v = post_json(
        &m,
        "/v1/completions",
        json!({ "model": "davinci", "prompt": "say hi" }),
    )
    .await;
    assert_eq!(v["object"], "text_completion");
    assert_eq!(v["choices"][0]["text"], "mock: say hi");
    assert_eq!(v["usage"]["prompt_tokens"], 2);
    let frames = post_sse(
        &m,
        "/v1/completions",
        json!({ "model": "davinci", "prompt": "say hi", "stream": true }),
    )
    .await;
    assert_eq!(frames.last().unwrap().data, "[DONE]");
    let text: String = frames[..frames.len() - 1]
        .iter()
        .filter_map(|f| f.json()["choices"][0]["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(text, "mock: say hi");
}

#[tokio::test]
async fn models_and_embeddings() {
    let m = mock().await;
    let r = crate::client()
        .get(format!("{}/v1/models", m.url()))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["object"], "list");
    assert_eq!(v["data"][0]["object"], "model");
    let v = post_json(
        &m,
        "/v1/embeddings",
        json!({ "model": "emb", "input": ["a b", "c"], "dimensions": 4 }),
    )
    .await;
    assert_eq!(v["model"], "emb");
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["data"][1]["index"], 1);
    assert_eq!(v["data"][0]["embedding"].as_array().unwrap().len(), 4);
    assert_eq!(v["usage"]["prompt_tokens"], 3);
    // Deterministic: the same input gives the same vector.
    let again = post_json(
        &m,
        "/v1/embeddings",
        json!({ "model": "emb", "input": "a b", "dimensions": 4 }),
    )
    .await;
    assert_eq!(again["data"][0]["embedding"], v["data"][0]["embedding"]);
}
