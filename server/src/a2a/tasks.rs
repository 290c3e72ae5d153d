//! A2A tasks: creation, the lifecycle (submitted → working → completed | failed | canceled),
//! persistence with events (`store::a2a_tasks`), cancellation of running tasks, and the
//! A2A `Task` object.
//!
//! A task runs in its own tokio task, so a client that stops waiting (a non-blocking send, a
//! dropped stream) does not stop it; `tasks/cancel` does, through its cancellation token.

use super::skills::{self, SkillSpec};
use crate::auth::api_keys::KeyInfo;
use crate::http::system::SystemState;
use crate::store::a2a_tasks::{self as store, Transition};
use entity::a2a_tasks::Model;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Tasks running now: id → their cancellation token.
#[derive(Default)]
pub struct Running(Mutex<HashMap<String, CancellationToken>>);

impl Running {
    fn add(&self, id: &str) -> CancellationToken {
        let token = CancellationToken::new();
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_string(), token.clone());
        token
    }

    fn remove(&self, id: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    /// Cancels a running task; false when it is not running here.
    pub fn cancel(&self, id: &str) -> bool {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    pub fn count(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }
}

fn now_ms() -> i64 {
    crate::usage::now_ms()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An A2A text message from the agent.
pub fn agent_message(task_id: &str, context_id: &str, text: &str) -> Value {
    json!({
        "kind": "message",
        "role": "agent",
        "messageId": new_id(),
        "taskId": task_id,
        "contextId": context_id,
        "parts": [{ "kind": "text", "text": text }],
    })
}

/// `TaskStatus`.
fn status(state: &str, message: Option<&Value>, at_ms: i64) -> Value {
    let mut s = json!({ "state": state, "timestamp": crate::usage::iso_ms(at_ms) });
    if let Some(m) = message {
        s["message"] = m.clone();
    }
    s
}

/// `TaskStatusUpdateEvent`.
fn status_event(task: &Model, state: &str, message: Option<&Value>, at_ms: i64) -> Value {
    json!({
        "kind": "status-update",
        "taskId": task.id,
        "contextId": task.context_id,
        "status": status(state, message, at_ms),
        "final": store::is_final(state),
    })
}

/// The A2A `Task` of a stored row. `history_length`: how many history messages to include
/// (None: all; the history is the request and the agent's last message).
pub fn task_object(task: &Model, history_length: Option<usize>) -> Value {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
    };
    let status_message = parse(&task.status_message);
    let mut history = Vec::new();
    if let Ok(input) = serde_json::from_str::<Value>(&task.input) {
        history.push(input);
    }
    if let Some(m) = &status_message {
        history.push(m.clone());
    }
    if let Some(n) = history_length {
        let skip = history.len().saturating_sub(n);
        history.drain(..skip);
    }
    let mut metadata = parse(&task.metadata).unwrap_or_else(|| json!({}));
    if let Some(obj) = metadata.as_object_mut() {
        obj.insert("skill".into(), json!(task.skill));
        if let Some(route) = parse(&task.route) {
            obj.insert("route".into(), route);
        }
        if let Some(e) = &task.error {
            obj.insert("error".into(), json!(e));
        }
    }
    let mut out = json!({
        "kind": "task",
        "id": task.id,
        "contextId": task.context_id,
        "status": status(&task.state, status_message.as_ref(), task.updated_at),
        "history": history,
        "metadata": metadata,
    });
    if let Some(artifacts) = parse(&task.artifacts) {
        out["artifacts"] = artifacts;
    }
    out
}

/// What a new task needs.
pub struct NewTask {
    pub skill: &'static SkillSpec,
    pub text: String,
    pub model: Option<String>,
    pub message: Value,
    pub context_id: Option<String>,
    pub metadata: Option<Value>,
    pub key: Option<KeyInfo>,
}

/// Stores a new task (submitted) and starts it. Events (as sent on a stream) go to `events`
/// when given; `done` receives the finished task's row.
pub async fn start(
    system: &SystemState,
    new: NewTask,
    events: Option<mpsc::UnboundedSender<Value>>,
    done: Option<oneshot::Sender<Model>>,
) -> Result<Model, sea_orm::DbErr> {
    let id = new_id();
    let context_id = new.context_id.clone().unwrap_or_else(new_id);
    let now = now_ms();
    let mut message = new.message.clone();
    message["taskId"] = json!(id);
    message["contextId"] = json!(context_id);
    let row = Model {
        id: id.clone(),
        context_id,
        skill: new.skill.id.to_string(),
        state: "submitted".into(),
        api_key_id: new.key.as_ref().map(|k| k.id.clone()),
        key_name: new.key.as_ref().map(|k| k.name.clone()),
        input: message.to_string(),
        artifacts: None,
        status_message: None,
        error: None,
        route: None,
        metadata: new.metadata.as_ref().map(Value::to_string),
        created_at: now,
        updated_at: now,
    };
    let db = system.app.db();
    store::insert(db, row.clone()).await?;
    let submitted = status_event(&row, "submitted", None, now);
    store::add_event(
        db,
        &id,
        now,
        "status-update",
        Some("submitted"),
        submitted.to_string(),
    )
    .await?;
    if let Some(tx) = &events {
        let _ = tx.send(task_object(&row, None));
    }
    let token = crate::mcp::hub(system).running().add(&id);
    let system = system.clone();
    let task = row.clone();
    tokio::spawn(async move {
        work(&system, task, new, token, events, done).await;
    });
    Ok(row)
}

async fn transition(
    system: &SystemState,
    task: &Model,
    change: Transition,
    events: &[(&'static str, Option<String>, Value)],
    stream: Option<&mpsc::UnboundedSender<Value>>,
) -> bool {
    let stored: Vec<(&'static str, Option<String>, String)> = events
        .iter()
        .map(|(k, s, v)| (*k, s.clone(), v.to_string()))
        .collect();
    match store::transition(system.app.db(), &task.id, change, &stored).await {
        Ok(true) => {
            if let Some(tx) = stream {
                for (_, _, e) in events {
                    let _ = tx.send(e.clone());
                }
            }
            true
        }
        Ok(false) => false,
        Err(e) => {
            tracing::error!("A2A task {}: storing a state change failed: {e}", task.id);
            false
        }
    }
}

async fn work(
    system: &SystemState,
    task: Model,
    new: NewTask,
    token: CancellationToken,
    events: Option<mpsc::UnboundedSender<Value>>,
    done: Option<oneshot::Sender<Model>>,
) {
    let stream = events.as_ref();
    let now = now_ms();
    let working = status_event(&task, "working", None, now);
    transition(
        system,
        &task,
        Transition {
            state: "working".into(),
            updated_at: now,
            ..Default::default()
        },
        &[("status-update", Some("working".into()), working)],
        stream,
    )
    .await;

    let run = skills::run(
        system,
        new.key.as_ref(),
        new.skill,
        &new.text,
        new.model.clone(),
    );
    let outcome = tokio::select! {
        out = run => Some(out),
        _ = token.cancelled() => None,
    };
    let now = now_ms();
    match outcome {
        // Canceled: `cancel` stored the state already; tell the stream.
        None => {
            if let Some(tx) = stream {
                let _ = tx.send(status_event(&task, "canceled", None, now));
            }
        }
        Some(Ok(out)) => {
            let mut parts = vec![json!({ "kind": "text", "text": out.text })];
            if let Some(data) = &out.data {
                parts.push(json!({ "kind": "data", "data": data }));
            }
            let artifact = json!({
                "artifactId": new_id(),
                "name": new.skill.id,
                "parts": parts,
                "metadata": { "route": out.route },
            });
            let message = agent_message(&task.id, &task.context_id, &out.text);
            let artifact_event = json!({
                "kind": "artifact-update",
                "taskId": task.id,
                "contextId": task.context_id,
                "artifact": artifact,
                "lastChunk": true,
            });
            let completed = status_event(&task, "completed", Some(&message), now);
            transition(
                system,
                &task,
                Transition {
                    state: "completed".into(),
                    status_message: Some(message.to_string()),
                    artifacts: Some(json!([artifact]).to_string()),
                    route: out.route.as_ref().map(Value::to_string),
                    updated_at: now,
                    ..Default::default()
                },
                &[
                    ("artifact-update", None, artifact_event),
                    ("status-update", Some("completed".into()), completed),
                ],
                stream,
            )
            .await;
        }
        Some(Err(e)) => {
            let message = agent_message(&task.id, &task.context_id, &e.message);
            let failed = status_event(&task, "failed", Some(&message), now);
            transition(
                system,
                &task,
                Transition {
                    state: "failed".into(),
                    status_message: Some(message.to_string()),
                    error: Some(e.message.clone()),
                    route: e.route.as_ref().map(Value::to_string),
                    updated_at: now,
                    ..Default::default()
                },
                &[("status-update", Some("failed".into()), failed)],
                stream,
            )
            .await;
        }
    }
    crate::mcp::hub(system).running().remove(&task.id);
    if let Some(done) = done {
        if let Ok(Some(row)) = store::get(system.app.db(), &task.id).await {
            let _ = done.send(row);
        }
    }
}

/// Why a task cannot be canceled.
pub enum CancelError {
    NotFound,
    NotCancelable(String),
    Db(sea_orm::DbErr),
}

/// Cancels a task that has not finished: stores `canceled` (with its event) and stops its
/// work. Answers the task as stored afterwards.
pub async fn cancel(system: &SystemState, id: &str) -> Result<Model, CancelError> {
    let db = system.app.db();
    let task = store::get(db, id)
        .await
        .map_err(CancelError::Db)?
        .ok_or(CancelError::NotFound)?;
    if store::is_final(&task.state) {
        return Err(CancelError::NotCancelable(task.state));
    }
    let now = now_ms();
    let message = agent_message(&task.id, &task.context_id, "The task was canceled.");
    let event = status_event(&task, "canceled", Some(&message), now);
    let applied = store::transition(
        db,
        id,
        Transition {
            state: "canceled".into(),
            status_message: Some(message.to_string()),
            updated_at: now,
            ..Default::default()
        },
        &[("status-update", Some("canceled".into()), event.to_string())],
    )
    .await
    .map_err(CancelError::Db)?;
    let current = store::get(db, id)
        .await
        .map_err(CancelError::Db)?
        .ok_or(CancelError::NotFound)?;
    if !applied {
        return Err(CancelError::NotCancelable(current.state));
    }
    crate::mcp::hub(system).running().cancel(id);
    tracing::info!("A2A task {id} canceled");
    Ok(current)
}
