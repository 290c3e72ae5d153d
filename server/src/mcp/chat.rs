//! A chat request through the gateway's real `/v1` path (the proxy: combos, resolution,
//! account strategy, cooldowns, breakers, failover, usage rows, budgets), as the MCP tools
//! and the A2A skills send it: OpenAI Chat in, the answer and the route taken out.

use crate::auth::api_keys::KeyInfo;
use crate::http::v1::proxy::{self, Ingress};
use crate::http::v1::trace::{SharedTrace, Trace};
use crate::http::v1::Caller;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use gateway::Format;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const MAX_ANSWER: usize = 32 * 1024 * 1024;

/// One chat request.
#[derive(Debug, Clone, Default)]
pub struct ChatRequest {
    /// A model string (`openai/gpt-5`), a combo name, or anything `/v1` accepts.
    pub model: String,
    pub system: Option<String>,
    /// OpenAI Chat messages.
    pub messages: Vec<Value>,
    pub max_tokens: Option<u64>,
    pub temperature: Option<f64>,
    /// Sticky routing (`X-Session-Id`).
    pub session: Option<String>,
}

/// One upstream attempt of the request.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    pub provider: String,
    pub upstream_format: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// Where the request went.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RouteTaken {
    /// What was asked for (a model or a combo).
    pub requested: String,
    /// The provider that answered.
    pub provider: Option<String>,
    /// The model as the client sees it.
    pub model: Option<String>,
    /// The connection (account) that answered, by name, when there was one.
    pub connection: Option<String>,
    pub connection_id: Option<String>,
    /// The response cache's verdict (`HIT`, `MISS`, `BYPASS`), when the cache is on.
    pub cache: Option<String>,
    /// Whether `requested` is a combo.
    pub combo: bool,
    pub attempts: Vec<AttemptView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatOutcome {
    pub answer: String,
    pub finish_reason: Option<String>,
    pub usage: Value,
    pub route: RouteTaken,
    pub latency_ms: u64,
}

/// The gateway's refusal or the upstream's failure, with the route tried so far.
#[derive(Debug, Clone)]
pub struct ChatFailure {
    pub status: u16,
    pub message: String,
    pub route: RouteTaken,
}

impl std::fmt::Display for ChatFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {})", self.message, self.status)
    }
}

/// Sends `req` through the proxy as `key` (None: the local operator, as an anonymous
/// loopback client would be).
pub async fn route_chat(
    state: &AppState,
    key: Option<&KeyInfo>,
    req: ChatRequest,
) -> Result<ChatOutcome, ChatFailure> {
    let started = Instant::now();
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if let Some(system) = req.system.as_deref().filter(|s| !s.trim().is_empty()) {
        messages.push(json!({ "role": "system", "content": system }));
    }
    messages.extend(req.messages.iter().cloned());
    let mut body = json!({ "model": req.model, "messages": messages, "stream": false });
    if let Some(n) = req.max_tokens {
        body["max_tokens"] = json!(n);
    }
    if let Some(t) = req.temperature {
        body["temperature"] = json!(t);
    }
    let mut headers = HeaderMap::new();
    if let Some(session) = req.session.as_deref() {
        if let Ok(v) = HeaderValue::from_str(session) {
            headers.insert("x-session-id", v);
        }
    }
    let trace: SharedTrace = Arc::new(Mutex::new(Trace::default()));
    let mut ingress = Ingress::new(
        Format::OpenAiChat,
        axum::body::Bytes::from(body.to_string()),
        Caller(key.cloned()),
    );
    ingress.trace = Some(trace.clone());
    let response = proxy::handle(state.clone(), ingress, headers).await;
    let (parts, body) = response.into_parts();
    let status = parts.status.as_u16();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let provider = header("x-omniroute-provider");
    let model = header("x-omniroute-model");
    let connection_id = header("x-omniroute-connection");
    let cache = header("x-omniroute-cache");
    let bytes = axum::body::to_bytes(body, MAX_ANSWER)
        .await
        .unwrap_or_default();
    let attempts = trace
        .lock()
        .map(|t| {
            t.attempts
                .iter()
                .map(|a| AttemptView {
                    provider: a.provider.clone(),
                    upstream_format: a.upstream_format.clone(),
                    status: a.status,
                    error: a.error.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let connection = connection_id.as_deref().and_then(|id| {
        state
            .snapshot()
            .connections
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
    });
    let route = RouteTaken {
        combo: state.combos().get().contains(&req.model),
        requested: req.model,
        provider,
        model,
        connection,
        connection_id,
        cache,
        attempts,
    };
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        let message = value
            .pointer("/error/message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(500).collect());
        return Err(ChatFailure {
            status,
            message,
            route,
        });
    }
    let choice = value.pointer("/choices/0");
    let answer = choice
        .and_then(|c| c.pointer("/message/content"))
        .map(|c| match c {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .unwrap_or_default();
    Ok(ChatOutcome {
        answer,
        finish_reason: choice
            .and_then(|c| c.get("finish_reason"))
            .and_then(Value::as_str)
            .map(str::to_string),
        usage: value.get("usage").cloned().unwrap_or(Value::Null),
        route,
        latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

/// A user message.
pub fn user(text: &str) -> Value {
    json!({ "role": "user", "content": text })
}
