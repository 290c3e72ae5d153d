//! Shared helpers of the fixture tests.
//!
//! Comparison rule for generated values: in an expected fixture, the string `"*"` matches
//! any value. Fixtures use it exactly where the gateway generates a value (message/response
//! ids, `created`/`created_at` timestamps, ids of Gemini function calls). Everything else —
//! every event, every field, every order — must match exactly.

#![allow(dead_code, clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use gateway::sse::{parse_all, SseItem};
use gateway::Format;
use serde_json::{json, Value};

pub fn fixture_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(sub)
}

/// All `*.json` fixtures in a sub-directory, sorted.
pub fn load_fixtures(sub: &str) -> Vec<(String, Value)> {
    let dir = fixture_dir(sub);
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|s| s.to_str()) == Some("json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((p.file_name().unwrap().to_string_lossy().to_string(), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

pub fn format(v: &Value, key: &str) -> Format {
    v[key].as_str().unwrap().parse().unwrap()
}

/// Checks `actual` against `expected` where `"*"` is a wildcard. Returns the first mismatch.
pub fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    if expected == &json!("*") {
        return Ok(());
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for k in e.keys().chain(a.keys()) {
                let p = format!("{path}.{k}");
                match (e.get(k), a.get(k)) {
                    (Some(ev), Some(av)) => matches(ev, av, &p)?,
                    (Some(_), None) => return Err(format!("{p}: missing in actual")),
                    (None, Some(av)) => return Err(format!("{p}: unexpected {av}")),
                    (None, None) => unreachable!(),
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}\nexpected: {}\nactual:   {}",
                    e.len(),
                    a.len(),
                    Value::Array(e.clone()),
                    Value::Array(a.clone())
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

/// Replaces with `"*"` every leaf where two runs differ (used to write new fixtures).
pub fn wildcard(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => Value::Object(
            x.iter()
                .map(|(k, v)| {
                    // timestamps may coincide between two quick runs: always generated
                    if k == "created" || k == "created_at" {
                        return (k.clone(), json!("*"));
                    }
                    (k.clone(), y.get(k).map_or(v.clone(), |w| wildcard(v, w)))
                })
                .collect(),
        ),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            Value::Array(x.iter().zip(y).map(|(v, w)| wildcard(v, w)).collect())
        }
        (x, y) if x == y => x.clone(),
        _ => json!("*"),
    }
}

/// Client SSE bytes as a list of `{"event": name|null, "data": json|string}`; comments as
/// `{"comment": text}`.
pub fn sse_events(bytes: &[u8]) -> Vec<Value> {
    parse_all(bytes)
        .unwrap()
        .into_iter()
        .map(|it| match it {
            SseItem::Event(e) => {
                let data = serde_json::from_str::<Value>(&e.data).unwrap_or(Value::String(e.data));
                json!({"event": e.event, "data": data})
            }
            SseItem::Comment(c) => json!({"comment": c}),
        })
        .collect()
}

/// Builds upstream SSE bytes from fixture input items:
/// `{"event"?, "data": json|string}`, `{"comment": text}` or `{"raw": text}`.
pub fn sse_input(fx: &Value) -> Vec<u8> {
    let mut s = String::new();
    for it in fx["input"].as_array().unwrap() {
        if let Some(raw) = it.get("raw").and_then(Value::as_str) {
            s.push_str(raw);
            continue;
        }
        if let Some(c) = it.get("comment").and_then(Value::as_str) {
            s.push_str(&format!(": {c}\n\n"));
            continue;
        }
        if let Some(e) = it.get("event").and_then(Value::as_str) {
            s.push_str(&format!("event: {e}\n"));
        }
        let data = match &it["data"] {
            Value::String(d) => d.clone(),
            other => other.to_string(),
        };
        s.push_str(&format!("data: {data}\n\n"));
    }
    if fx.get("line_ending").and_then(Value::as_str) == Some("crlf") {
        s = s.replace('\n', "\r\n");
    }
    s.into_bytes()
}

/// The tool-call arguments a client would reassemble from its stream, in call order.
pub fn client_tool_args(client: Format, events: &[Value]) -> Vec<String> {
    let mut args: Vec<(u64, String)> = Vec::new();
    let slot = |k: u64, frag: &str, args: &mut Vec<(u64, String)>| match args
        .iter_mut()
        .find(|(i, _)| *i == k)
    {
        Some((_, s)) => s.push_str(frag),
        None => args.push((k, frag.to_string())),
    };
    for e in events {
        let d = &e["data"];
        match client {
            Format::OpenAiChat => {
                if let Some(tcs) = d
                    .pointer("/choices/0/delta/tool_calls")
                    .and_then(Value::as_array)
                {
                    for tc in tcs {
                        let k = tc["index"].as_u64().unwrap();
                        slot(
                            k,
                            tc.pointer("/function/arguments")
                                .and_then(Value::as_str)
                                .unwrap_or(""),
                            &mut args,
                        );
                    }
                }
            }
            Format::Anthropic => {
                if d["type"] == "content_block_start" && d["content_block"]["type"] == "tool_use" {
                    slot(d["index"].as_u64().unwrap(), "", &mut args);
                }
                if d["type"] == "content_block_delta" && d["delta"]["type"] == "input_json_delta" {
                    slot(
                        d["index"].as_u64().unwrap(),
                        d["delta"]["partial_json"].as_str().unwrap(),
                        &mut args,
                    );
                }
            }
            Format::Responses => {
                if d["type"] == "response.output_item.added" && d["item"]["type"] == "function_call"
                {
                    slot(d["output_index"].as_u64().unwrap(), "", &mut args);
                }
                if d["type"] == "response.function_call_arguments.delta" {
                    slot(
                        d["output_index"].as_u64().unwrap(),
                        d["delta"].as_str().unwrap(),
                        &mut args,
                    );
                }
            }
            Format::Gemini => {
                if let Some(parts) = d
                    .pointer("/candidates/0/content/parts")
                    .and_then(Value::as_array)
                {
                    for p in parts {
                        if let Some(fc) = p.get("functionCall") {
                            let k = args.len() as u64;
                            slot(k, &fc["args"].to_string(), &mut args);
                        }
                    }
                }
            }
        }
    }
    args.into_iter().map(|(_, s)| s).collect()
}

/// Tiny deterministic PRNG (xorshift) for randomized chunk splits.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
