use mock_upstream::Scenario;
use serde_json::{json, Value};

use crate::{mock, post_json, post_sse};

fn body(stream: bool) -> Value {
    json!({ "model": "gpt-r", "stream": stream, "instructions": "be brief",
            "input": [{ "role": "user", "content": [{ "type": "input_text", "text": "what now" }] }] })
}

#[tokio::test]
async fn responses_non_stream() {
    let m = mock().await;
    let v = post_json(&m, "/v1/responses", body(false)).await;
    assert_eq!(v["object"], "response");
    assert_eq!(v["status"], "completed");
    assert_eq!(v["model"], "gpt-r");
    assert_eq!(v["output"][0]["type"], "message");
    assert_eq!(
        v["output"][0]["content"][0],
        json!({ "type": "output_text", "text": "mock: what now", "annotations": [] })
    );
    assert_eq!(v["usage"]["input_tokens"], 4);
    assert_eq!(v["usage"]["output_tokens"], 3);
    assert_eq!(v["usage"]["total_tokens"], 7);
}

#[tokio::test]
async fn responses_stream_full_event_sequence() {
    let m = mock().await;
    m.push(
        Scenario::text("done now")
            .with_reasoning("step one")
            .with_tool_call("run", json!({ "cmd": "ls -la /tmp" })),
    );
    let frames = post_sse(&m, "/v1/responses", body(true)).await;
    let events: Vec<&str> = frames.iter().map(|f| f.event.as_deref().unwrap()).collect();
    let mut dedup = events.clone();
    dedup.dedup();
    assert_eq!(
        dedup,
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        ]
    );
    let data: Vec<Value> = frames.iter().map(|f| f.json()).collect();
    for (i, d) in data.iter().enumerate() {
        assert_eq!(d["sequence_number"], i as u64);
        assert_eq!(d["type"], events[i]);
    }
    let text: String = data
        .iter()
        .filter(|d| d["type"] == "response.output_text.delta")
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    assert_eq!(text, "done now");
    let args: String = data
        .iter()
        .filter(|d| d["type"] == "response.function_call_arguments.delta")
        .map(|d| d["delta"].as_str().unwrap())
        .collect();
    assert_eq!(
        serde_json::from_str::<Value>(&args).unwrap(),
        json!({ "cmd": "ls -la /tmp" })
    );
    let completed = &data.last().unwrap()["response"];
    assert_eq!(completed["status"], "completed");
    assert_eq!(completed["output"].as_array().unwrap().len(), 3);
    assert_eq!(
        completed["usage"]["output_tokens_details"]["reasoning_tokens"],
        2
    );
    assert_eq!(data[0]["response"]["status"], "in_progress");
}
