//! The A2A views of the management API (behind the dashboard login or a `manage` key):
//!
//! - `GET /api/a2a/status`: enabled, the endpoint and card paths, skills, tasks per state,
//!   tasks running now.
//! - `GET /api/a2a/tasks?state=&limit=&offset=`: tasks, newest first.
//! - `GET /api/a2a/tasks/{id}`: one task (the A2A Task object) and its events.
//! - `POST /api/a2a/tasks/{id}/cancel`.
//! - `GET|PUT|PATCH /api/a2a/settings {"enabled","defaultModel"}`.

use super::tasks::{self, CancelError};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use crate::store::a2a_tasks as store;
use crate::usage::iso_ms;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router<SystemState> {
    Router::new()
        .route("/api/a2a/status", get(status))
        .route("/api/a2a/tasks", get(list))
        .route("/api/a2a/tasks/{id}", get(get_one))
        .route("/api/a2a/tasks/{id}/cancel", post(cancel))
        .route(
            "/api/a2a/settings",
            get(get_settings).put(put_settings).patch(put_settings),
        )
}

async fn status(State(system): State<SystemState>) -> Result<Json<Value>, ApiError> {
    let hub = crate::mcp::hub(&system);
    let settings = hub.settings().a2a(system.app.db()).await;
    let counts: HashMap<String, i64> = store::counts(system.app.db()).await?.into_iter().collect();
    Ok(Json(json!({
        "enabled": settings.enabled,
        "defaultModel": settings.default_model,
        "endpoint": "/a2a",
        "agentCard": "/.well-known/agent.json",
        "methods": ["message/send", "message/stream", "tasks/get", "tasks/cancel"],
        "skills": super::skills::SKILLS.iter().map(|s| json!({
            "id": s.id, "name": s.name, "description": s.description, "scope": s.scope,
        })).collect::<Vec<_>>(),
        "tasks": counts,
        "running": hub.running().count(),
    })))
}

fn row_view(t: &entity::a2a_tasks::Model) -> Value {
    let route: Option<Value> = t
        .route
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let input_text = serde_json::from_str::<Value>(&t.input)
        .ok()
        .and_then(|m| {
            m["parts"].as_array().map(|parts| {
                parts
                    .iter()
                    .filter_map(|p| p["text"].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
        .unwrap_or_default();
    json!({
        "id": t.id,
        "contextId": t.context_id,
        "skill": t.skill,
        "state": t.state,
        "keyId": t.api_key_id,
        "keyName": t.key_name,
        "input": input_text.chars().take(200).collect::<String>(),
        "error": t.error,
        "provider": route.as_ref().and_then(|r| r.get("provider")).cloned(),
        "model": route.as_ref().and_then(|r| r.get("model")).cloned(),
        "createdAt": iso_ms(t.created_at),
        "updatedAt": iso_ms(t.updated_at),
        "durationMs": t.updated_at - t.created_at,
    })
}

async fn list(
    State(system): State<SystemState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let param = |n: &str| q.get(n).map(|v| v.trim()).filter(|v| !v.is_empty());
    let number = |n: &str, default: u64, max: u64| -> Result<u64, ApiError> {
        match param(n) {
            None => Ok(default),
            Some(v) => v.parse::<u64>().map(|x| x.min(max)).map_err(|_| {
                ApiError::bad_request(
                    "invalid_query",
                    format!("{n} must be a whole number (got {v:?})"),
                )
            }),
        }
    };
    let state = param("state");
    if let Some(s) = state {
        if !matches!(
            s,
            "submitted" | "working" | "completed" | "failed" | "canceled"
        ) {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!(
                    "state must be submitted, working, completed, failed or canceled (got {s:?})"
                ),
            ));
        }
    }
    let limit = number("limit", 50, 500)?.max(1);
    let offset = number("offset", 0, u64::MAX / 2)?;
    let (rows, total) = store::page(system.app.db(), state, limit, offset).await?;
    Ok(Json(json!({
        "tasks": rows.iter().map(row_view).collect::<Vec<_>>(),
        "total": total,
        "limit": limit,
        "offset": offset,
    })))
}

async fn get_one(
    State(system): State<SystemState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let task = store::get(system.app.db(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("task_not_found", format!("no A2A task {id}")))?;
    let events: Vec<Value> = store::events_of(system.app.db(), &id)
        .await?
        .iter()
        .map(|e| {
            json!({
                "time": iso_ms(e.ts),
                "kind": e.kind,
                "state": e.state,
                "event": serde_json::from_str::<Value>(&e.data).unwrap_or(Value::Null),
            })
        })
        .collect();
    Ok(Json(json!({
        "task": tasks::task_object(&task, None),
        "summary": row_view(&task),
        "events": events,
    })))
}

async fn cancel(
    State(system): State<SystemState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match tasks::cancel(&system, &id).await {
        Ok(row) => Ok(Json(json!({ "task": tasks::task_object(&row, None) }))),
        Err(CancelError::NotFound) => Err(ApiError::not_found(
            "task_not_found",
            format!("no A2A task {id}"),
        )),
        Err(CancelError::NotCancelable(state)) => Err(ApiError::conflict(
            "task_not_cancelable",
            format!("the task is {state} and cannot be canceled"),
        )),
        Err(CancelError::Db(e)) => Err(e.into()),
    }
}

fn settings_view(s: &crate::mcp::settings::A2aSettings) -> Value {
    json!({ "enabled": s.enabled, "defaultModel": s.default_model })
}

async fn get_settings(State(system): State<SystemState>) -> Json<Value> {
    let s = crate::mcp::hub(&system)
        .settings()
        .a2a(system.app.db())
        .await;
    Json(settings_view(&s))
}

async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let cell = crate::mcp::hub(&system).settings();
    let mut s = cell.a2a(system.app.db()).await;
    if let Some(enabled) = body.boolean("enabled")? {
        s.enabled = enabled;
    }
    if let Some(model) = body.nullable_string("defaultModel")? {
        s.default_model = model
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty());
    }
    cell.set_a2a(system.app.db(), s.clone()).await?;
    tracing::info!(
        "A2A server {}",
        if s.enabled { "enabled" } else { "disabled" }
    );
    Ok(Json(settings_view(&s)))
}
