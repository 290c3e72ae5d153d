//! `POST /a2a`: JSON-RPC 2.0. Every error is a JSON-RPC error object; HTTP statuses are 200
//! for protocol errors (as JSON-RPC over HTTP expects), 401 without a valid key, 403 for a
//! key without the skill's scope, 503 while A2A is turned off.

use super::skills::{self, SKILLS};
use super::tasks::{self, CancelError, NewTask};
use crate::auth::api_keys::{self, KeyInfo};
use crate::http::system::SystemState;
use crate::store::a2a_tasks as store;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const DISABLED: i64 = -32000;
pub const TASK_NOT_FOUND: i64 = -32001;
pub const TASK_NOT_CANCELABLE: i64 = -32002;
pub const UNSUPPORTED_OPERATION: i64 = -32004;
pub const CONTENT_TYPE_NOT_SUPPORTED: i64 = -32005;

/// A JSON-RPC error.
#[derive(Debug, Clone)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
    /// The HTTP status it travels with.
    pub http: StatusCode,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
            http: StatusCode::OK,
        }
    }

    fn with_http(mut self, status: StatusCode) -> Self {
        self.http = status;
        self
    }

    fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    fn body(&self, id: &Value) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(d) = &self.data {
            error["data"] = d.clone();
        }
        json!({ "jsonrpc": "2.0", "id": id, "error": error })
    }

    fn respond(&self, id: &Value) -> Response {
        (self.http, Json(self.body(id))).into_response()
    }
}

fn internal(e: impl std::fmt::Display) -> RpcError {
    tracing::error!("A2A: {e}");
    RpcError::new(INTERNAL_ERROR, "internal error")
}

fn result(id: &Value, result: Value) -> Response {
    Json(json!({ "jsonrpc": "2.0", "id": id, "result": result })).into_response()
}

/// The caller's key, or the refusal (401).
fn authenticate(system: &SystemState, headers: &HeaderMap) -> Result<KeyInfo, RpcError> {
    let unauthorized =
        |m: &str| RpcError::new(INVALID_REQUEST, m).with_http(StatusCode::UNAUTHORIZED);
    let key = api_keys::presented_key(headers, None)
        .ok_or_else(|| unauthorized("an API key is required: send Authorization: Bearer <key>"))?;
    let hash = api_keys::hash(&system.app.config().api_key_secret, &key);
    let info = system
        .app
        .keys()
        .lookup(&hash)
        .ok_or_else(|| unauthorized("invalid API key"))?;
    if let Some(why) = info.unusable(crate::store::now_unix()) {
        return Err(unauthorized(why));
    }
    Ok(info)
}

fn holds(key: &KeyInfo, scope: &str) -> bool {
    key.has_scope("manage") || key.has_scope(scope)
}

pub async fn handle(
    State(system): State<SystemState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let settings = crate::mcp::hub(&system)
        .settings()
        .a2a(system.app.db())
        .await;
    if !settings.enabled {
        return RpcError::new(
            DISABLED,
            "the A2A server is turned off: enable it in Dashboard → MCP & A2A",
        )
        .with_http(StatusCode::SERVICE_UNAVAILABLE)
        .respond(&Value::Null);
    }
    let key = match authenticate(&system, &headers) {
        Ok(k) => k,
        Err(e) => {
            let mut response = e.respond(&Value::Null);
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"omniroute-a2a\""),
            );
            return response;
        }
    };
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return RpcError::new(PARSE_ERROR, format!("the body is not valid JSON: {e}"))
                .respond(&Value::Null)
        }
    };
    let Some(obj) = request.as_object() else {
        let why = if request.is_array() {
            "batch requests are not supported: send one JSON-RPC request object"
        } else {
            "the request must be a JSON-RPC 2.0 object"
        };
        return RpcError::new(INVALID_REQUEST, why).respond(&Value::Null);
    };
    let id = match obj.get("id") {
        Some(v @ (Value::String(_) | Value::Number(_))) => v.clone(),
        Some(Value::Null) | None => {
            return RpcError::new(
                INVALID_REQUEST,
                "id is required (a string or a number): notifications are not accepted",
            )
            .respond(&Value::Null)
        }
        Some(_) => {
            return RpcError::new(INVALID_REQUEST, "id must be a string or a number")
                .respond(&Value::Null)
        }
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return RpcError::new(INVALID_REQUEST, "jsonrpc must be \"2.0\"").respond(&id);
    }
    let Some(method) = obj.get("method").and_then(Value::as_str) else {
        return RpcError::new(INVALID_REQUEST, "method must be a string").respond(&id);
    };
    let params = obj.get("params").cloned().unwrap_or(Value::Null);
    if !params.is_object() && method_known(method) {
        return RpcError::new(INVALID_PARAMS, "params must be an object").respond(&id);
    }
    let outcome = match method {
        "message/send" => send(&system, key, &params).await,
        "message/stream" => return stream(&system, key, &params, id).await,
        "tasks/get" => get_task(&system, &key, &params).await,
        "tasks/cancel" => cancel_task(&system, &key, &params).await,
        other => Err(RpcError::new(
            METHOD_NOT_FOUND,
            format!(
                "unknown method {other:?}: this agent supports message/send, message/stream, tasks/get and tasks/cancel"
            ),
        )),
    };
    match outcome {
        Ok(v) => result(&id, v),
        Err(e) => e.respond(&id),
    }
}

fn method_known(method: &str) -> bool {
    matches!(
        method,
        "message/send" | "message/stream" | "tasks/get" | "tasks/cancel"
    )
}

/// The message, the skill, the model and the text of `message/send` and `message/stream`.
fn new_task(key: KeyInfo, params: &Value) -> Result<NewTask, RpcError> {
    let invalid = |m: String| RpcError::new(INVALID_PARAMS, m);
    let message = params
        .get("message")
        .filter(|m| m.is_object())
        .ok_or_else(|| invalid("params.message is required (an A2A Message object)".into()))?;
    match message.get("role").and_then(Value::as_str) {
        Some("user") | Some("agent") => {}
        _ => {
            return Err(invalid(
                "params.message.role must be \"user\" or \"agent\"".into(),
            ))
        }
    }
    let parts = message
        .get("parts")
        .and_then(Value::as_array)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| invalid("params.message.parts must be a non-empty array of parts".into()))?;
    let mut texts = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let kind = part
            .get("kind")
            .or_else(|| part.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        match kind {
            "text" => match part.get("text").and_then(Value::as_str) {
                Some(t) => texts.push(t.to_string()),
                None => return Err(invalid(format!("params.message.parts[{i}].text must be a string"))),
            },
            "data" => texts.push(part.get("data").cloned().unwrap_or(Value::Null).to_string()),
            "file" => {
                return Err(RpcError::new(
                    CONTENT_TYPE_NOT_SUPPORTED,
                    format!("params.message.parts[{i}]: file parts are not supported; send text or data parts"),
                ))
            }
            other => return Err(invalid(format!("params.message.parts[{i}].kind {other:?} is not text, data or file"))),
        }
    }
    let text = texts.join("\n\n");
    if text.trim().is_empty() {
        return Err(invalid("the message has no text".into()));
    }
    let meta = |field: &str| {
        message
            .pointer(&format!("/metadata/{field}"))
            .or_else(|| params.pointer(&format!("/metadata/{field}")))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let skill_id = meta("skill")
        .or_else(|| {
            params
                .get("skill")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "smart-routing".to_string());
    let skill = skills::find(&skill_id).ok_or_else(|| {
        invalid(format!(
            "unknown skill {skill_id:?}: one of {}",
            SKILLS.iter().map(|s| s.id).collect::<Vec<_>>().join(", ")
        ))
        .with_data(json!({ "skills": SKILLS.iter().map(|s| s.id).collect::<Vec<_>>() }))
    })?;
    if !holds(&key, skill.scope) {
        return Err(RpcError::new(
            INVALID_REQUEST,
            format!(
                "the skill {} needs the {} scope, which API key {:?} lacks",
                skill.id, skill.scope, key.name
            ),
        )
        .with_http(StatusCode::FORBIDDEN));
    }
    if let Some(task_id) = message.get("taskId").and_then(Value::as_str) {
        return Err(RpcError::new(
            UNSUPPORTED_OPERATION,
            format!("task {task_id} cannot take more input: its tasks finish in one turn; send a new message without taskId (the same contextId keeps them together)"),
        ));
    }
    Ok(NewTask {
        skill,
        text,
        model: meta("model"),
        message: message.clone(),
        context_id: message
            .get("contextId")
            .and_then(Value::as_str)
            .map(str::to_string),
        metadata: params.get("metadata").filter(|m| m.is_object()).cloned(),
        key: Some(key),
    })
}

async fn send(system: &SystemState, key: KeyInfo, params: &Value) -> Result<Value, RpcError> {
    let task = new_task(key, params)?;
    let blocking = params
        .pointer("/configuration/blocking")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let history = history_length(params.pointer("/configuration/historyLength"))?;
    let (done_tx, done_rx) = oneshot::channel();
    let row = tasks::start(system, task, None, blocking.then_some(done_tx))
        .await
        .map_err(internal)?;
    if !blocking {
        return Ok(tasks::task_object(&row, history));
    }
    let finished = done_rx
        .await
        .map_err(|_| internal("the task ended without a result"))?;
    Ok(tasks::task_object(&finished, history))
}

fn history_length(v: Option<&Value>) -> Result<Option<usize>, RpcError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(|n| Some(n as usize))
            .ok_or_else(|| RpcError::new(INVALID_PARAMS, "historyLength must be a whole number")),
    }
}

/// `message/stream`: the task, then its status and artifact events as SSE, each a JSON-RPC
/// response with the request's id; the stream ends after the final status.
async fn stream(system: &SystemState, key: KeyInfo, params: &Value, id: Value) -> Response {
    let task = match new_task(key, params) {
        Ok(t) => t,
        Err(e) => return e.respond(&id),
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    if let Err(e) = tasks::start(system, task, Some(tx), None).await {
        return internal(e).respond(&id);
    }
    let stream = async_stream(move |emit| async move {
        loop {
            match tokio::time::timeout(Duration::from_secs(15), rx.recv()).await {
                Err(_) => {
                    if emit.send(Bytes::from_static(b": keep-alive\n\n")).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Ok(Some(event)) => {
                    let last = event["final"] == true;
                    let body = json!({ "jsonrpc": "2.0", "id": id, "result": event });
                    if emit.send(Bytes::from(format!("data: {body}\n\n"))).is_err() || last {
                        break;
                    }
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// A byte stream fed by a task: `produce` sends chunks until it returns.
fn async_stream<F, Fut>(
    produce: F,
) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Send + 'static
where
    F: FnOnce(mpsc::UnboundedSender<Bytes>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(produce(tx));
    futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|b| (Ok(b), rx)) },
    )
}

/// The task named by `params.id`, if the key may see it (its own, or any with `manage`).
async fn owned_task(
    system: &SystemState,
    key: &KeyInfo,
    params: &Value,
) -> Result<entity::a2a_tasks::Model, RpcError> {
    let id = params
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::new(INVALID_PARAMS, "params.id (the task id) is required"))?;
    let not_found = || RpcError::new(TASK_NOT_FOUND, format!("task {id} not found"));
    let task = store::get(system.app.db(), id)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    if !key.has_scope("manage") && task.api_key_id.as_deref() != Some(key.id.as_str()) {
        return Err(not_found());
    }
    Ok(task)
}

async fn get_task(system: &SystemState, key: &KeyInfo, params: &Value) -> Result<Value, RpcError> {
    let task = owned_task(system, key, params).await?;
    let history = history_length(params.get("historyLength"))?;
    Ok(tasks::task_object(&task, history))
}

async fn cancel_task(
    system: &SystemState,
    key: &KeyInfo,
    params: &Value,
) -> Result<Value, RpcError> {
    let task = owned_task(system, key, params).await?;
    match tasks::cancel(system, &task.id).await {
        Ok(row) => Ok(tasks::task_object(&row, None)),
        Err(CancelError::NotFound) => Err(RpcError::new(
            TASK_NOT_FOUND,
            format!("task {} not found", task.id),
        )),
        Err(CancelError::NotCancelable(state)) => Err(RpcError::new(
            TASK_NOT_CANCELABLE,
            format!("task {} is {state} and cannot be canceled", task.id),
        )),
        Err(CancelError::Db(e)) => Err(internal(e)),
    }
}
