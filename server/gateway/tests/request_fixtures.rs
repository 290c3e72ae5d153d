//! Request fixtures: client request in -> upstream request out, per format pair
//! (`tests/fixtures/requests/*.json`). Keys: `from`, `to`, `model`, optional `options`
//! (`gemini_client_stream`, `request_upstream_usage`, `default_max_tokens`), `input`,
//! `expected`, `expected_stream`, `expected_warnings`. Same-format fixtures may give
//! `input_raw` (a string) and `expected_raw` to check byte preservation.
//! `UPDATE_FIXTURES=1` fills a missing `expected` (review it by hand).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use gateway::{translate_request, TranslateOptions};
use serde_json::{json, Value};

#[test]
fn request_fixtures() {
    let update = std::env::var("UPDATE_FIXTURES").is_ok();
    for (name, mut fx) in load_fixtures("requests") {
        let o = fx.get("options").cloned().unwrap_or(json!({}));
        let mut opts = TranslateOptions::default();
        if let Some(b) = o.get("gemini_client_stream").and_then(Value::as_bool) {
            opts.gemini_client_stream = b;
        }
        if let Some(b) = o.get("request_upstream_usage").and_then(Value::as_bool) {
            opts.request_upstream_usage = b;
        }
        if let Some(n) = o.get("default_max_tokens").and_then(Value::as_u64) {
            opts.default_max_tokens = n;
        }
        let body = match fx.get("input_raw").and_then(Value::as_str) {
            Some(raw) => raw.as_bytes().to_vec(),
            None => serde_json::to_vec(&fx["input"]).unwrap(),
        };
        let out = translate_request(
            format(&fx, "from"),
            format(&fx, "to"),
            &body,
            fx["model"].as_str().unwrap(),
            &opts,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(raw) = fx.get("expected_raw").and_then(Value::as_str) {
            assert_eq!(
                String::from_utf8(out.body.clone()).unwrap(),
                raw,
                "{name}: bytes"
            );
        }
        let actual: Value = serde_json::from_slice(&out.body).unwrap();
        if fx.get("expected").is_none() && update {
            fx["expected"] = actual;
            fx["expected_stream"] = json!(out.stream);
            fx["expected_warnings"] = json!(out.warnings);
            std::fs::write(
                fixture_dir("requests").join(&name),
                serde_json::to_string_pretty(&fx).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        if let Err(e) = matches(&fx["expected"], &actual, "body") {
            panic!(
                "{name}: {e}\nactual: {}",
                serde_json::to_string_pretty(&actual).unwrap()
            );
        }
        assert_eq!(
            json!(out.stream),
            fx["expected_stream"],
            "{name}: stream flag"
        );
        assert_eq!(
            json!(out.warnings),
            fx["expected_warnings"],
            "{name}: warnings"
        );
    }
}
