//! Stream fixtures: upstream SSE in -> client SSE out, per format pair
//! (`tests/fixtures/streams/*.json`). Each fixture is also replayed split at every byte
//! offset and in random small chunks: the output, the usage and the reassembled tool
//! arguments must not change.
//!
//! To add a fixture, write its input without `expected` and run with `UPDATE_FIXTURES=1`:
//! the runner fills `expected` (values that differ between two runs become `"*"`), which
//! must then be reviewed by hand.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::sync::Arc;

use common::*;
use gateway::{SignatureStore, StreamTranslator, Usage};
use serde_json::{json, Value};

struct Run {
    events: Vec<Value>,
    usage: Usage,
    saw_output: bool,
}

fn run(fx: &Value, chunks: &[&[u8]]) -> Run {
    let mut t = StreamTranslator::new(
        format(fx, "upstream"),
        format(fx, "client"),
        fx["model"].as_str().unwrap(),
    )
    .with_include_usage(
        fx.get("include_usage")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    )
    .with_signature_store(Arc::new(SignatureStore::default()));
    let mut out = Vec::new();
    let mut failed = false;
    for c in chunks {
        match t.push(c) {
            Ok(b) => out.extend_from_slice(&b),
            Err(e) => {
                out.extend_from_slice(&e.pending);
                out.extend_from_slice(&t.error_event(&e.error.to_string()));
                failed = true;
                break;
            }
        }
    }
    if !failed {
        match t.finish() {
            Ok(b) => out.extend_from_slice(&b),
            Err(e) => {
                out.extend_from_slice(&e.pending);
                out.extend_from_slice(&t.error_event(&e.error.to_string()));
            }
        }
    }
    // after the end nothing more may be written
    assert!(
        t.error_event("late").is_empty(),
        "stream not finished after finish()"
    );
    Run {
        events: sse_events(&out),
        usage: t.usage(),
        saw_output: t.saw_output(),
    }
}

fn check(name: &str, fx: &Value, r: &Run, how: &str) {
    if let Err(e) = matches(&fx["expected"], &Value::Array(r.events.clone()), "events") {
        panic!(
            "{name} ({how}): {e}\nactual: {}",
            serde_json::to_string_pretty(&r.events).unwrap()
        );
    }
    assert_eq!(
        serde_json::to_value(r.usage).unwrap(),
        fx["expected_usage"],
        "{name} ({how}): usage"
    );
    let args = client_tool_args(format(fx, "client"), &r.events);
    assert_eq!(
        json!(args),
        fx["expected_tool_args"],
        "{name} ({how}): tool arguments"
    );
    if let Some(s) = fx.get("expected_saw_output") {
        assert_eq!(json!(r.saw_output), *s, "{name} ({how}): saw_output");
    }
}

#[test]
fn stream_fixtures_whole() {
    let update = std::env::var("UPDATE_FIXTURES").is_ok();
    for (name, mut fx) in load_fixtures("streams") {
        let input = sse_input(&fx);
        let r = run(&fx, &[&input]);
        if fx.get("expected").is_none() && update {
            let r2 = run(&fx, &[&input]);
            fx["expected"] = wildcard(&Value::Array(r.events.clone()), &Value::Array(r2.events));
            fx["expected_usage"] = serde_json::to_value(r.usage).unwrap();
            fx["expected_tool_args"] = json!(client_tool_args(format(&fx, "client"), &r.events));
            std::fs::write(
                fixture_dir("streams").join(&name),
                serde_json::to_string_pretty(&fx).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        check(&name, &fx, &r, "whole");
    }
}

#[test]
fn stream_fixtures_split_at_every_byte() {
    for (name, fx) in load_fixtures("streams") {
        let input = sse_input(&fx);
        for i in 0..=input.len() {
            let r = run(&fx, &[&input[..i], &input[i..]]);
            check(&name, &fx, &r, &format!("split at byte {i}"));
        }
    }
}

#[test]
fn stream_fixtures_one_byte_and_random_chunks() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for (name, fx) in load_fixtures("streams") {
        let input = sse_input(&fx);
        let singles: Vec<&[u8]> = input.chunks(1).collect();
        check(&name, &fx, &run(&fx, &singles), "1-byte chunks");
        for round in 0..20 {
            let mut chunks = Vec::new();
            let mut i = 0;
            while i < input.len() {
                let n = 1 + rng.below(24) as usize;
                let end = (i + n).min(input.len());
                chunks.push(&input[i..end]);
                i = end;
            }
            check(
                &name,
                &fx,
                &run(&fx, &chunks),
                &format!("random round {round}"),
            );
        }
    }
}
