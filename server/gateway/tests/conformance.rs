//! The conformance matrix: 4 client formats x 4 upstream formats x 7 cases
//! (`tests/conformance/<case>__<client>__<upstream>.json`, see `tests/conformance/README.md`).
//!
//! Per fixture: the client request is translated and compared with the expected upstream
//! request; the upstream response (JSON, SSE, or an error body) is translated back and
//! compared with the expected client response (per SSE event: event name + JSON data), and
//! the usage numbers are checked. Streams are also replayed in seeded random chunks and at
//! random split points: the output must not change. `"*"` matches any value (generated ids
//! and timestamps). A cell with `known_gap` is not compared (it is counted and listed); a
//! cell with `unsupported` documents a lossy or refused translation and *is* compared.
//!
//! On failure the whole matrix is printed, one line per case.

#![allow(clippy::unwrap_used, clippy::print_stderr)] // test code

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::*;
use gateway::{
    error_body, translate_request, translate_response, upstream_error_message, Format,
    SignatureStore, StreamTranslator, TranslateOptions, Usage,
};
use serde_json::{json, Value};

const CASES: &[&str] = &[
    "text",
    "stream",
    "tools",
    "streamed_tools",
    "reasoning",
    "image",
    "error",
];
const FORMATS: &[&str] = &["openai_chat", "anthropic", "gemini", "responses"];

fn load() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|s| s.to_str()) == Some("json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            out.push((p.file_stem().unwrap().to_string_lossy().to_string(), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

struct StreamRun {
    events: Vec<Value>,
    usage: Usage,
}

fn run_stream(
    up: Format,
    client: Format,
    model: &str,
    include: bool,
    chunks: &[&[u8]],
) -> StreamRun {
    let mut t = StreamTranslator::new(up, client, model)
        .with_include_usage(include)
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
    StreamRun {
        events: sse_events(&out),
        usage: t.usage(),
    }
}

/// Upstream SSE bytes from `[{"event"?, "data"}|{"comment"}]`.
fn sse_bytes(items: &Value) -> Vec<u8> {
    sse_input(&json!({ "input": items }))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// Checks one fixture; `Err` describes the first mismatch.
fn check(fx: &Value, rng: &mut Rng) -> Result<(), String> {
    let client = format(fx, "client");
    let up = format(fx, "upstream");
    let client_model = fx["client_model"].as_str().unwrap();
    let opts = TranslateOptions {
        gemini_client_stream: fx["gemini_client_stream"].as_bool().unwrap_or(false),
        ..TranslateOptions::default()
    };

    // 1. the request
    let body = serde_json::to_vec(&fx["client_request"]).unwrap();
    let tr = translate_request(
        client,
        up,
        &body,
        fx["upstream_model"].as_str().unwrap(),
        &opts,
    );
    if let Some(err) = fx.get("expected_request_error").and_then(Value::as_str) {
        return match tr {
            Err(e) if e.to_string().contains(err) => Ok(()),
            Err(e) => Err(format!(
                "request: expected error containing {err:?}, got {e}"
            )),
            Ok(r) => Err(format!(
                "request: expected error {err:?}, got a body:\n{}",
                String::from_utf8_lossy(&r.body)
            )),
        };
    }
    let tr = tr.map_err(|e| format!("request: {e}"))?;
    let actual: Value = serde_json::from_slice(&tr.body).map_err(|e| format!("request: {e}"))?;
    matches(
        &fx["expected_upstream_request"],
        &actual,
        "upstream_request",
    )
    .map_err(|e| format!("{e}\nactual upstream request: {}", pretty(&actual)))?;
    if let Some(s) = fx.get("expected_stream") {
        if *s != json!(tr.stream) {
            return Err(format!("stream flag: expected {s}, got {}", tr.stream));
        }
    }
    if let Some(w) = fx.get("expected_warnings") {
        if *w != json!(tr.warnings) {
            return Err(format!("warnings: expected {w}, got {:?}", tr.warnings));
        }
    }

    // 2a. a complete response
    if let Some(resp) = fx.get("upstream_response") {
        let body = serde_json::to_vec(resp).unwrap();
        let out = translate_response(up, client, &body, client_model, None)
            .map_err(|e| format!("response: {e}"))?;
        let actual: Value = serde_json::from_slice(&out.body).unwrap();
        matches(&fx["expected_client_response"], &actual, "client_response")
            .map_err(|e| format!("{e}\nactual client response: {}", pretty(&actual)))?;
        check_usage(fx, &out.usage)?;
    }

    // 2b. an upstream error body before any byte
    if let Some(err) = fx.get("upstream_error") {
        let body = serde_json::to_vec(&err["body"]).unwrap();
        let status = err["status"].as_u64().unwrap() as u16;
        let actual = error_body(client, status, &upstream_error_message(&body), None);
        matches(&fx["expected_client_error"], &actual, "client_error")
            .map_err(|e| format!("{e}\nactual client error: {}", pretty(&actual)))?;
    }

    // 2c. a stream, whole then split
    if let Some(items) = fx.get("upstream_stream") {
        let input = sse_bytes(items);
        let include = tr.client_include_usage;
        let whole = run_stream(up, client, client_model, include, &[&input]);
        let evs = Value::Array(whole.events.clone());
        matches(&fx["expected_client_stream"], &evs, "client_stream")
            .map_err(|e| format!("{e}\nactual client stream: {}", pretty(&evs)))?;
        check_usage(fx, &whole.usage)?;
        if let Some(args) = fx.get("expected_tool_args") {
            let got = json!(client_tool_args(client, &whole.events));
            if *args != got {
                return Err(format!("tool args: expected {args}, got {got}"));
            }
        }
        split_invariance(fx, up, client, include, &input, &whole, rng)?;
    }
    Ok(())
}

/// Random chunkings of the upstream bytes give the same client events (modulo generated
/// values) and the same usage as one whole push.
fn split_invariance(
    fx: &Value,
    up: Format,
    client: Format,
    include: bool,
    input: &[u8],
    whole: &StreamRun,
    rng: &mut Rng,
) -> Result<(), String> {
    let model = fx["client_model"].as_str().unwrap();
    // a known gap has no trusted expectation: the whole run (generated values wildcarded)
    let reference = if fx.get("known_gap").is_some() {
        let again = run_stream(up, client, model, include, &[input]);
        wildcard(
            &Value::Array(whole.events.clone()),
            &Value::Array(again.events),
        )
    } else {
        fx["expected_client_stream"].clone()
    };
    let same = |r: &StreamRun, how: &str| -> Result<(), String> {
        matches(&reference, &Value::Array(r.events.clone()), "client_stream")
            .map_err(|e| format!("{how}: {e}"))?;
        if r.usage != whole.usage {
            return Err(format!("{how}: usage {:?} != {:?}", r.usage, whole.usage));
        }
        Ok(())
    };
    for round in 0..6 {
        let mut chunks = Vec::new();
        let mut i = 0;
        while i < input.len() {
            let n = 1 + rng.below(if round % 2 == 0 { 7 } else { 64 }) as usize;
            let end = (i + n).min(input.len());
            chunks.push(&input[i..end]);
            i = end;
        }
        same(
            &run_stream(up, client, model, include, &chunks),
            &format!("random chunks round {round}"),
        )?;
    }
    for _ in 0..4 {
        let at = rng.below(input.len() as u64 + 1) as usize;
        same(
            &run_stream(up, client, model, include, &[&input[..at], &input[at..]]),
            &format!("split at byte {at}"),
        )?;
    }
    Ok(())
}

fn check_usage(fx: &Value, usage: &Usage) -> Result<(), String> {
    let Some(exp) = fx.get("expected_usage") else {
        return Ok(());
    };
    let got = serde_json::to_value(usage).unwrap();
    if *exp != got {
        return Err(format!("usage: expected {exp}, got {got}"));
    }
    Ok(())
}

#[test]
fn conformance_matrix() {
    let fixtures = load();
    let mut cells: BTreeMap<(String, String, String), &'static str> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut gaps = Vec::new();
    let mut rng = Rng(0x0C04_F012_AA5E_ED01);
    for (name, fx) in &fixtures {
        let key = (
            fx["case"].as_str().unwrap().to_string(),
            fx["client"].as_str().unwrap().to_string(),
            fx["upstream"].as_str().unwrap().to_string(),
        );
        let status = if let Some(g) = fx.get("known_gap").and_then(Value::as_str) {
            gaps.push(format!("{name}: {g}"));
            // still require the stream to be split-invariant
            if let Some(items) = fx.get("upstream_stream") {
                let input = sse_bytes(items);
                let (up, client) = (format(fx, "upstream"), format(fx, "client"));
                let m = fx["client_model"].as_str().unwrap();
                let whole = run_stream(up, client, m, true, &[&input]);
                if let Err(e) = split_invariance(fx, up, client, true, &input, &whole, &mut rng) {
                    failures.push(format!("{name} (known gap, split invariance): {e}"));
                }
            }
            "gap"
        } else {
            match check(fx, &mut rng) {
                Ok(()) if fx.get("unsupported").is_some() => "unsup",
                Ok(()) => "pass",
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    "FAIL"
                }
            }
        };
        assert!(
            cells.insert(key.clone(), status).is_none(),
            "duplicate cell {key:?}"
        );
    }
    // every cell of the matrix has a fixture
    let mut missing = Vec::new();
    for c in CASES {
        for cf in FORMATS {
            for uf in FORMATS {
                let k = (c.to_string(), cf.to_string(), uf.to_string());
                cells.entry(k).or_insert_with(|| {
                    missing.push(format!("{c}__{cf}__{uf}"));
                    "MISSING"
                });
            }
        }
    }
    let matrix = render_matrix(&cells);
    eprintln!("{matrix}");
    if !gaps.is_empty() {
        eprintln!("known gaps ({}):\n  {}", gaps.len(), gaps.join("\n  "));
    }
    if !failures.is_empty() || !missing.is_empty() {
        panic!(
            "{matrix}\n{} failing, {} missing cells\n\n{}",
            failures.len(),
            missing.len(),
            failures.join("\n\n")
        );
    }
}

fn short(f: &str) -> &str {
    match f {
        "openai_chat" => "oai",
        "anthropic" => "ant",
        "gemini" => "gem",
        _ => "rsp",
    }
}

/// One line per case; columns are client->upstream pairs.
fn render_matrix(cells: &BTreeMap<(String, String, String), &'static str>) -> String {
    let mut s = format!("{:<15}", "case");
    for cf in FORMATS {
        for uf in FORMATS {
            s.push_str(&format!("{:>8}", format!("{}>{}", short(cf), short(uf))));
        }
    }
    s.push('\n');
    for c in CASES {
        s.push_str(&format!("{c:<15}"));
        for cf in FORMATS {
            for uf in FORMATS {
                let k = (c.to_string(), cf.to_string(), uf.to_string());
                s.push_str(&format!("{:>8}", cells.get(&k).copied().unwrap_or("?")));
            }
        }
        s.push('\n');
    }
    s
}
