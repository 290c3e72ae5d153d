//! Shared state (scenario queue, request log) and the `/__mock/*` control endpoints.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::scenario::Scenario;

/// A request the mock received (control requests excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The body as JSON: the parsed body, or for multipart forms an object of the text
    /// fields plus `{"filename","content_type","size"}` for each file field.
    pub json: Option<Value>,
}

impl RecordedRequest {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `model` field of the JSON body, or the model of a Gemini path.
    pub fn model(&self) -> Option<String> {
        if let Some(m) = self.json.as_ref().and_then(|j| j["model"].as_str()) {
            return Some(m.to_owned());
        }
        gemini_path_model(&self.path).map(str::to_owned)
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The JSON form served by `GET /__mock/requests`. Headers become an object (repeated
    /// headers joined with `, `); the raw body is included as lossy UTF-8 text.
    pub fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for (k, v) in &self.headers {
            let merged = match headers.get(k).and_then(Value::as_str) {
                Some(prev) => format!("{prev}, {v}"),
                None => v.clone(),
            };
            headers.insert(k.clone(), Value::String(merged));
        }
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "json": self.json,
            "body": self.body_text(),
        })
    }
}

/// `/v1beta/models/{model}:{action}` → model.
pub(crate) fn gemini_path_model(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v1beta/models/")?;
    Some(rest.rsplit_once(':').map_or(rest, |(m, _)| m))
}

#[derive(Default)]
struct Shared {
    scenarios: Mutex<VecDeque<Scenario>>,
    requests: Mutex<Vec<RecordedRequest>>,
    ids: AtomicU64,
}

/// The state every handler sees.
#[derive(Clone, Default)]
pub(crate) struct App(Arc<Shared>);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not wedge the mock for the others.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    pub(crate) fn push(&self, scenario: Scenario) {
        lock(&self.0.scenarios).push_back(scenario);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.0.requests).clone()
    }

    pub(crate) fn pending(&self) -> usize {
        lock(&self.0.scenarios).len()
    }

    pub(crate) fn reset(&self) {
        lock(&self.0.scenarios).clear();
        lock(&self.0.requests).clear();
        self.0.ids.store(0, Ordering::Relaxed);
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.0.requests).push(request);
    }

    /// The first queued scenario for this model (or for any model).
    pub(crate) fn take(&self, model: Option<&str>) -> Option<Scenario> {
        let mut queue = lock(&self.0.scenarios);
        let at = queue
            .iter()
            .position(|s| s.model.is_none() || s.model.as_deref() == model)?;
        queue.remove(at)
    }

    /// A per-server counter for response ids (`chatcmpl-mock-1`, ...).
    pub(crate) fn next_id(&self) -> u64 {
        self.0.ids.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// `POST /__mock/scenarios`: a scenario object or an array of them, queued in order.
pub(crate) async fn push_scenarios(State(app): State<App>, body: Bytes) -> Response {
    let is_array = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let parsed = if is_array {
        serde_json::from_slice::<Vec<Scenario>>(&body)
    } else {
        serde_json::from_slice::<Scenario>(&body).map(|s| vec![s])
    };
    match parsed {
        Ok(list) => {
            let queued = list.len();
            list.into_iter().for_each(|s| app.push(s));
            Json(json!({ "queued": queued, "pending": app.pending() })).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": format!("invalid scenario: {e}") })),
        )
            .into_response(),
    }
}

/// `GET /__mock/requests`: every recorded request, oldest first.
pub(crate) async fn list_requests(State(app): State<App>) -> Json<Value> {
    Json(Value::Array(
        app.requests()
            .iter()
            .map(RecordedRequest::to_json)
            .collect(),
    ))
}

/// `POST /__mock/reset`: forget scenarios and requests.
pub(crate) async fn reset(State(app): State<App>) -> Json<Value> {
    app.reset();
    Json(json!({ "ok": true }))
}
