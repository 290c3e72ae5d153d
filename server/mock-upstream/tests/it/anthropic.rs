use mock_upstream::{Scenario, Usage};
use serde_json::{json, Value};

use crate::{client, mock, post_json, post_sse};

fn body(stream: bool) -> Value {
    json!({ "model": "claude-x", "max_tokens": 100, "stream": stream, "system": "be brief",
            "messages": [{ "role": "user", "content": [{ "type": "text", "text": "hello there" }] }] })
}

#[tokio::test]
async fn messages_non_stream_with_thinking_and_tool_use() {
    let m = mock().await;
    m.push(
        Scenario::text("Calling a tool.")
            .with_reasoning("need the weather")
            .with_signature("sig-123")
            .with_tool_call("get_weather", json!({ "city": "Oslo" }))
            .with_usage(Usage {
                cache_read: 10,
                cache_write: 4,
                ..Usage::default()
            }),
    );
    let v = post_json(&m, "/v1/messages", body(false)).await;
    assert_eq!(v["type"], "message");
    assert_eq!(v["model"], "claude-x");
    assert_eq!(
        v["content"][0],
        json!({ "type": "thinking", "thinking": "need the weather", "signature": "sig-123" })
    );
    assert_eq!(
        v["content"][1],
        json!({ "type": "text", "text": "Calling a tool." })
    );
    assert_eq!(v["content"][2]["type"], "tool_use");
    assert_eq!(v["content"][2]["input"], json!({ "city": "Oslo" }));
    assert!(v["content"][2]["id"]
        .as_str()
        .unwrap()
        .starts_with("toolu_"));
    assert_eq!(v["stop_reason"], "tool_use");
    // input excludes cache: system (2) + "hello there" (2).
    assert_eq!(v["usage"]["input_tokens"], 4);
    assert_eq!(v["usage"]["cache_read_input_tokens"], 10);
    assert_eq!(v["usage"]["cache_creation_input_tokens"], 4);
    // 3 words of text + 3 of thinking + 1 tool call.
    assert_eq!(v["usage"]["output_tokens"], 7);
}

#[tokio::test]
async fn messages_default_reply() {
    let m = mock().await;
    let v = post_json(&m, "/v1/messages", body(false)).await;
    assert_eq!(
        v["content"],
        json!([{ "type": "text", "text": "mock: hello there" }])
    );
    assert_eq!(v["stop_reason"], "end_turn");
}

#[tokio::test]
async fn messages_stream_has_the_full_event_sequence() {
    let m = mock().await;
    m.push(
        Scenario::text("the answer")
            .with_reasoning("thinking hard")
            .with_tool_call("a", json!({ "k": "a long value to split" }))
            .with_tool_call("b", json!({})),
    );
    let frames = post_sse(&m, "/v1/messages", body(true)).await;
    let events: Vec<&str> = frames.iter().map(|f| f.event.as_deref().unwrap()).collect();
    assert_eq!(events[0], "message_start");
    assert_eq!(events[1], "ping");
    assert_eq!(events[events.len() - 2], "message_delta");
    assert_eq!(events[events.len() - 1], "message_stop");
    for f in &frames {
        assert_eq!(
            f.json()["type"],
            f.event.as_deref().unwrap(),
            "event name = data type"
        );
    }
    let starts: Vec<Value> = frames
        .iter()
        .filter(|f| f.event.as_deref() == Some("content_block_start"))
        .map(|f| f.json())
        .collect();
    let kinds: Vec<&str> = starts
        .iter()
        .map(|s| s["content_block"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["thinking", "text", "tool_use", "tool_use"]);
    assert_eq!(
        starts
            .iter()
            .map(|s| s["index"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    let deltas: Vec<Value> = frames
        .iter()
        .filter(|f| f.event.as_deref() == Some("content_block_delta"))
        .map(|f| f.json())
        .collect();
    let collect = |index: u64, field: &str| -> String {
        deltas
            .iter()
            .filter(|d| d["index"] == index)
            .filter_map(|d| d["delta"][field].as_str())
            .collect()
    };
    assert_eq!(collect(0, "thinking"), "thinking hard");
    assert_eq!(collect(0, "signature"), "mock-signature");
    assert_eq!(collect(1, "text"), "the answer");
    let args: Value = serde_json::from_str(&collect(2, "partial_json")).unwrap();
    assert_eq!(args, json!({ "k": "a long value to split" }));
    assert_eq!(collect(3, "partial_json"), "{}");
    let stops = frames
        .iter()
        .filter(|f| f.event.as_deref() == Some("content_block_stop"))
        .count();
    assert_eq!(stops, 4);
    let start = frames[0].json();
    assert_eq!(start["message"]["model"], "claude-x");
    assert_eq!(start["message"]["usage"]["input_tokens"], 4);
    let delta = frames[frames.len() - 2].json();
    assert_eq!(delta["delta"]["stop_reason"], "tool_use");
    assert_eq!(delta["usage"]["output_tokens"], 2 + 2 + 2);
}

#[tokio::test]
async fn count_tokens_and_anthropic_model_list() {
    let m = mock().await;
    let v = post_json(&m, "/v1/messages/count_tokens", body(false)).await;
    assert_eq!(v, json!({ "input_tokens": 4 }));
    let r = client()
        .get(format!("{}/v1/models", m.url()))
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"][0]["type"], "model");
    assert_eq!(v["has_more"], false);
}
