//! The A2A server (Agent-to-Agent protocol, JSON-RPC 2.0 binding): other agents send
//! OmniRoute tasks, which it runs through its router.
//!
//! - `POST /a2a`: JSON-RPC 2.0 (`rpc`): `message/send`, `message/stream` (SSE),
//!   `tasks/get`, `tasks/cancel`; errors as JSON-RPC error objects (-32700 parse, -32600
//!   invalid request, -32601 unknown method, -32602 invalid params, -32603 internal, and
//!   A2A's -32001 task not found, -32002 task not cancelable, -32005 content type not
//!   supported). A Bearer API key is required (401 without).
//! - `GET /.well-known/agent.json` (also `/.well-known/agent-card.json`): the agent card
//!   (`card`), public, listing the skills.
//! - `tasks`: tasks persisted with their lifecycle (submitted → working → completed | failed
//!   | canceled) and events; running tasks can be canceled.
//! - `skills`: smart-routing, code-review, summarize, extract-facts, health-report,
//!   cost-analysis, executed through the gateway's routing (`crate::mcp::chat`).
//! - `manage`: `/api/a2a/{status,tasks,tasks/{id},tasks/{id}/cancel,settings}` for the
//!   dashboard (behind the dashboard login or a `manage` key).

pub mod card;
pub mod manage;
pub mod rpc;
pub mod skills;
pub mod tasks;

use crate::http::system::SystemState;
use axum::routing::{get, post};
use axum::Router;

/// Paths served to agents with their own key check (the dashboard's gate lets them through).
pub fn is_public_path(path: &str) -> bool {
    matches!(
        path,
        "/a2a" | "/.well-known/agent.json" | "/.well-known/agent-card.json"
    )
}

pub fn routes(system: SystemState) -> Router {
    // Tasks a previous run left unfinished will never finish: say so (once, at start).
    let db = system.app.db().clone();
    tokio::spawn(async move {
        match crate::store::a2a_tasks::fail_interrupted(&db, crate::usage::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} A2A task(s) interrupted by the last stop marked failed"),
            Err(e) => tracing::warn!("marking interrupted A2A tasks failed: {e}"),
        }
    });
    Router::new()
        .route("/a2a", post(rpc::handle))
        .route("/.well-known/agent.json", get(card::agent_card))
        .route("/.well-known/agent-card.json", get(card::agent_card))
        .with_state(system)
}
