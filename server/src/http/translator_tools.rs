//! Translator → Test Bench and Live Monitor:
//!
//! - `POST /api/translator/bench {"pairs"?: [["openai_chat","anthropic"], ...], "modes"?:
//!   ["request","response"]}`: runs the Playground's sample bodies through the engine for every
//!   pair (all twelve by default) and checks each: the translation succeeds, the result parses
//!   as the target format, and translating it back gives the original. `clean` means an exact
//!   round trip; `lossy` lists the differences; `failed` names the error.
//! - `GET /api/translator/monitor?after=<id>`: the Live Monitor's latest `/v1` translations
//!   (newest first); each call keeps the monitor recording for a few more seconds.
//!   `DELETE /api/translator/monitor` empties it.

use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use app::pages::translator::examples::{example, FORMATS};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use gateway::translate::{parse_request, parse_response};
use gateway::TranslateOptions;
use gateway::{translate_request, translate_response, Format};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router<SystemState> {
    Router::new()
        .route("/api/translator/bench", post(bench))
        .route("/api/translator/monitor", get(monitor).delete(clear))
}

/// Fields that legitimately change on every translation (ids, timestamps).
const VOLATILE: &[&str] = &[
    "id",
    "created",
    "created_at",
    "createTime",
    "responseId",
    "system_fingerprint",
];
const MAX_DIFFS: usize = 40;

#[derive(Debug, PartialEq)]
pub struct Difference {
    pub path: String,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
}

/// The differences between two JSON values, by path (`messages[0].content`), volatile fields
/// left out.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", expected, actual, &mut out);
    out
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Difference>) {
    if out.len() >= MAX_DIFFS {
        return;
    }
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                if VOLATILE.contains(&k.as_str()) {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => walk(&p, x, y, out),
                    (x, y) => out.push(Difference {
                        path: p,
                        expected: x.cloned(),
                        actual: y.cloned(),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let p = format!("{path}[{i}]");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => walk(&p, x, y, out),
                    (x, y) => out.push(Difference {
                        path: p,
                        expected: x.cloned(),
                        actual: y.cloned(),
                    }),
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Difference {
            path: if path.is_empty() {
                "(body)".into()
            } else {
                path.to_string()
            },
            expected: Some(a.clone()),
            actual: Some(b.clone()),
        }),
    }
}

fn format_of(text: &str, field: &str) -> Result<Format, ApiError> {
    text.parse::<Format>().map_err(|_| {
        ApiError::bad_request(
            "invalid_field",
            format!(
                "{field}: {text:?} is not a format (openai_chat, anthropic, gemini, responses)"
            ),
        )
    })
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

/// One case: `mode` is `request` (client `from` → provider `to` → back) or `response`
/// (provider `from` → client `to` → back).
pub fn run_case(mode: &str, from: Format, to: Format) -> Value {
    let sample = example(mode, from.as_str());
    let original: Value = serde_json::from_str(sample).unwrap_or(Value::Null);
    let model = original
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("model")
        .to_string();
    let opts = TranslateOptions::default();
    let result = (|| -> Result<(Value, Vec<String>, Value), String> {
        if mode == "request" {
            let there = translate_request(from, to, sample.as_bytes(), &model, &opts)
                .map_err(|e| format!("{} → {}: {e}", from.as_str(), to.as_str()))?;
            let translated = json_of(&there.body);
            parse_request(to, &translated).map_err(|e| {
                format!(
                    "the {} request produced does not parse back: {e}",
                    to.as_str()
                )
            })?;
            let back = translate_request(to, from, &there.body, &model, &opts)
                .map_err(|e| format!("{} → {} (back): {e}", to.as_str(), from.as_str()))?;
            let mut warnings = there.warnings;
            warnings.extend(back.warnings);
            Ok((translated, warnings, json_of(&back.body)))
        } else {
            let there = translate_response(from, to, sample.as_bytes(), &model, None)
                .map_err(|e| format!("{} → {}: {e}", from.as_str(), to.as_str()))?;
            let translated = json_of(&there.body);
            parse_response(to, &translated).map_err(|e| {
                format!(
                    "the {} response produced does not parse back: {e}",
                    to.as_str()
                )
            })?;
            let back = translate_response(to, from, &there.body, &model, None)
                .map_err(|e| format!("{} → {} (back): {e}", to.as_str(), from.as_str()))?;
            Ok((translated, Vec::new(), json_of(&back.body)))
        }
    })();
    match result {
        Err(error) => json!({
            "mode": mode, "from": from.as_str(), "to": to.as_str(),
            "status": "failed", "error": error, "differences": [], "warnings": [],
        }),
        Ok((translated, warnings, back)) => {
            let differences: Vec<Value> = diff(&original, &back)
                .into_iter()
                .map(|d| json!({"path": d.path, "expected": d.expected, "actual": d.actual}))
                .collect();
            json!({
                "mode": mode, "from": from.as_str(), "to": to.as_str(),
                "status": if differences.is_empty() { "clean" } else { "lossy" },
                "error": null,
                "differences": differences,
                "warnings": warnings,
                "translated": translated,
            })
        }
    }
}

pub async fn bench(bytes: Bytes) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse_optional(&bytes)?;
    let modes = match body.string_list("modes")? {
        Some(list) => {
            for m in &list {
                if m != "request" && m != "response" {
                    return Err(ApiError::bad_request(
                        "invalid_field",
                        format!("modes: {m:?} is not request or response"),
                    ));
                }
            }
            list
        }
        None => vec!["request".to_string(), "response".to_string()],
    };
    let all: Vec<Format> = FORMATS
        .iter()
        .filter_map(|f| f.parse::<Format>().ok())
        .collect();
    let raw: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let pairs: Vec<(Format, Format)> = match raw.get("pairs") {
        Some(v) if !v.is_null() => pairs_field(v)?,
        _ => all
            .iter()
            .flat_map(|a| all.iter().filter(move |b| *b != a).map(move |b| (*a, *b)))
            .collect(),
    };
    let mut cases = Vec::new();
    for mode in &modes {
        for (from, to) in &pairs {
            cases.push(run_case(mode, *from, *to));
        }
    }
    let count = |s: &str| cases.iter().filter(|c| c["status"] == s).count();
    Ok(Json(json!({
        "summary": {"total": cases.len(), "clean": count("clean"), "lossy": count("lossy"), "failed": count("failed")},
        "cases": cases,
    })))
}

fn pairs_field(value: &Value) -> Result<Vec<(Format, Format)>, ApiError> {
    let bad = || {
        ApiError::bad_request(
            "invalid_field",
            "pairs must be an array of [from, to] format pairs, e.g. [[\"openai_chat\",\"anthropic\"]]",
        )
    };
    let Some(list) = value.as_array() else {
        return Err(bad());
    };
    let mut out = Vec::new();
    for item in list {
        let pair = item.as_array().filter(|p| p.len() == 2).ok_or_else(bad)?;
        let from = pair[0].as_str().ok_or_else(bad)?;
        let to = pair[1].as_str().ok_or_else(bad)?;
        out.push((format_of(from, "pairs")?, format_of(to, "pairs")?));
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

pub async fn monitor(
    State(system): State<SystemState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let after = match q.get("after").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => 0,
        Some(text) => text.parse::<u64>().map_err(|_| {
            ApiError::bad_request(
                "invalid_query",
                format!("after must be an entry id (a whole number), got {text:?}"),
            )
        })?,
    };
    let m = system.app.monitor();
    m.watch();
    Ok(Json(json!({
        "recording": m.recording(),
        "always": m.always(),
        "capacity": crate::translation_monitor::CAPACITY,
        "entries": m.entries(after),
    })))
}

pub async fn clear(State(system): State<SystemState>) -> Json<Value> {
    system.app.monitor().clear();
    Json(json!({"success": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_paths() {
        let a = json!({"id": "x", "messages": [{"content": "hi"}], "max_tokens": 5});
        let b = json!({"id": "y", "messages": [{"content": "ho"}]});
        let d = diff(&a, &b);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].path, "max_tokens");
        assert_eq!(d[1].path, "messages[0].content");
    }

    #[test]
    fn every_default_case_translates() {
        for mode in ["request", "response"] {
            for from in FORMATS {
                for to in FORMATS {
                    if from == to {
                        continue;
                    }
                    let (Ok(f), Ok(t)) = (from.parse::<Format>(), to.parse::<Format>()) else {
                        panic!("format ids");
                    };
                    let case = run_case(mode, f, t);
                    assert_ne!(case["status"], "failed", "{case}");
                }
            }
        }
    }
}
