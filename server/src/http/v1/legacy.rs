//! `POST /v1/completions`, the legacy text-completion API: turned into a chat request, sent
//! through the normal chat path (so any provider and format works), and the answer turned
//! back into `text_completion` objects, streaming included.

use super::error::V1Error;
use super::proxy::{self, Ingress};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::StreamExt;
use gateway::Format;
use serde_json::{json, Map, Value};

fn err(status: u16, message: &str) -> Response {
    V1Error::new(Format::OpenAiChat, status, message).into_response_for()
}

/// The chat request for a completion request, or a message naming what cannot be served.
pub fn to_chat(body: &[u8]) -> Result<Value, String> {
    let request: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err("the request body must be a JSON object".into()),
        Err(e) => return Err(format!("the request body is not valid JSON: {e}")),
    };
    let prompt = match request.get("prompt") {
        Some(Value::String(p)) => p.clone(),
        Some(Value::Array(items)) if items.len() == 1 => match &items[0] {
            Value::String(p) => p.clone(),
            _ => return Err("prompt must be a string (token arrays are not supported)".into()),
        },
        Some(Value::Array(_)) => {
            return Err(
                "prompt with several prompts is not supported; send one request per prompt".into(),
            )
        }
        Some(_) => return Err("prompt must be a string".into()),
        None => return Err("prompt is required".into()),
    };
    if request.get("echo").and_then(Value::as_bool) == Some(true) {
        return Err("echo is not supported".into());
    }
    let mut chat = Map::new();
    for key in [
        "model",
        "max_tokens",
        "temperature",
        "top_p",
        "stop",
        "stream",
        "stream_options",
        "user",
        "seed",
        "presence_penalty",
        "frequency_penalty",
    ] {
        if let Some(v) = request.get(key) {
            chat.insert(key.to_string(), v.clone());
        }
    }
    let mut messages = vec![json!({ "role": "user", "content": prompt })];
    if let Some(Value::String(suffix)) = request.get("suffix") {
        messages.push(
            json!({ "role": "user", "content": format!("(The text continues with: {suffix})") }),
        );
    }
    chat.insert("messages".into(), Value::Array(messages));
    Ok(Value::Object(chat))
}

fn completion_from_chat(chat: &Value) -> Value {
    let choice = &chat["choices"][0];
    json!({
        "id": chat["id"].as_str().map(|id| id.replacen("chatcmpl", "cmpl", 1)).unwrap_or_default(),
        "object": "text_completion",
        "created": chat["created"],
        "model": chat["model"],
        "choices": [{
            "text": choice["message"]["content"].as_str().unwrap_or_default(),
            "index": 0,
            "logprobs": null,
            "finish_reason": choice["finish_reason"],
        }],
        "usage": chat["usage"],
    })
}

fn chunk_from_chat(chat: &Value) -> Value {
    let mut out = json!({
        "id": chat["id"].as_str().map(|id| id.replacen("chatcmpl", "cmpl", 1)).unwrap_or_default(),
        "object": "text_completion",
        "created": chat["created"],
        "model": chat["model"],
        "choices": [],
    });
    if let Some(choice) = chat["choices"].get(0) {
        out["choices"] = json!([{
            "text": choice["delta"]["content"].as_str().unwrap_or_default(),
            "index": 0,
            "logprobs": null,
            "finish_reason": choice["finish_reason"],
        }]);
    }
    if chat.get("usage").is_some_and(|u| !u.is_null()) {
        out["usage"] = chat["usage"].clone();
    }
    if chat.get("error").is_some() {
        return chat.clone(); // in-band errors pass unchanged
    }
    out
}

/// Rewrites one SSE event (`data: ...` lines) from chat chunks to completion chunks.
fn rewrite_event(event: &str) -> String {
    let mut out = String::with_capacity(event.len());
    for line in event.split('\n') {
        let line = line.trim_end_matches('\r');
        match line.strip_prefix("data:").map(str::trim) {
            Some(data) if data != "[DONE]" => match serde_json::from_str::<Value>(data) {
                Ok(v) => {
                    out.push_str("data: ");
                    out.push_str(&chunk_from_chat(&v).to_string());
                }
                Err(_) => out.push_str(line),
            },
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Rewrites every complete event in `buffer` and leaves the incomplete rest there.
fn drain_events(buffer: &mut Vec<u8>) -> String {
    let mut out = String::new();
    while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
        let event: Vec<u8> = buffer.drain(..end + 2).collect();
        out.push_str(&rewrite_event(&String::from_utf8_lossy(
            &event[..event.len() - 1],
        )));
    }
    out
}

pub async fn handle(
    state: AppState,
    caller: super::Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let chat = match to_chat(&body) {
        Ok(c) => c,
        Err(message) => return err(400, &message),
    };
    let stream = chat.get("stream").and_then(Value::as_bool) == Some(true);
    let chat_body = Bytes::from(chat.to_string());
    let mut ingress = Ingress::new(Format::OpenAiChat, chat_body, caller);
    ingress.endpoint = "completions";
    let response = proxy::handle(state, ingress, headers).await;
    if !response.status().is_success() {
        return response; // already an OpenAI error object
    }
    let (mut parts, body) = response.into_parts();
    // The body is replaced below: its length changes, the other headers (x-omniroute-*) stay.
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    if !stream {
        let bytes = match axum::body::to_bytes(body, 64 * 1024 * 1024).await {
            Ok(b) => b,
            Err(e) => return err(502, &format!("reading the answer failed: {e}")),
        };
        let chat: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return err(502, &format!("the answer was not JSON: {e}")),
        };
        let out = serde_json::to_vec(&completion_from_chat(&chat)).unwrap_or_default();
        return Response::from_parts(parts, Body::from(out));
    }
    // Event by event: buffer only up to the end of the current event. Bytes, not text, are
    // buffered, so a character split across two chunks is decoded whole.
    let mut buffer: Vec<u8> = Vec::new();
    let events = body.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(|e| std::io::Error::other(e.to_string()))?;
        buffer.extend_from_slice(&chunk);
        Ok::<Bytes, std::io::Error>(Bytes::from(drain_events(&mut buffer)))
    });
    Response::from_parts(parts, Body::from_stream(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_becomes_a_user_message() {
        let chat =
            to_chat(br#"{"model":"m","prompt":"Say hi","max_tokens":5,"echo":false}"#).unwrap();
        assert_eq!(chat["messages"][0]["content"], "Say hi");
        assert_eq!(chat["max_tokens"], 5);
        assert!(to_chat(br#"{"model":"m"}"#).unwrap_err().contains("prompt"));
        assert!(to_chat(br#"{"model":"m","prompt":["a","b"]}"#).is_err());
        assert!(to_chat(br#"{"model":"m","prompt":"x","echo":true}"#).is_err());
    }

    #[test]
    fn a_character_split_across_chunks_survives() {
        let event = "data: {\"id\":\"chatcmpl-1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"é€\"},\"finish_reason\":null}]}\n\n";
        let bytes = event.as_bytes();
        let cut = event.find('€').unwrap() + 1; // inside the three bytes of '€'
        let mut buffer = bytes[..cut].to_vec();
        assert_eq!(
            drain_events(&mut buffer),
            "",
            "nothing before the event is complete"
        );
        buffer.extend_from_slice(&bytes[cut..]);
        let out = drain_events(&mut buffer);
        let v: Value = serde_json::from_str(out.trim().strip_prefix("data: ").unwrap()).unwrap();
        assert_eq!(v["choices"][0]["text"], "é€");
        assert!(buffer.is_empty());
    }

    #[test]
    fn stream_events_are_rewritten() {
        let event = "data: {\"id\":\"chatcmpl-1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n";
        let out = rewrite_event(event);
        let v: Value = serde_json::from_str(out.trim().strip_prefix("data: ").unwrap()).unwrap();
        assert_eq!(v["object"], "text_completion");
        assert_eq!(v["choices"][0]["text"], "Hi");
        assert_eq!(v["id"], "cmpl-1");
        assert_eq!(rewrite_event("data: [DONE]\n"), "data: [DONE]\n\n");
    }
}
