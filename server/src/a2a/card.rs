//! The agent card (`GET /.well-known/agent.json`, also `/.well-known/agent-card.json`):
//! who this agent is, where to call it, how to authenticate, and its skills. Public (agents
//! read it before they have a key); 404 while A2A is turned off.

use super::skills::SKILLS;
use crate::http::system::SystemState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The base URL the caller reached us at (Host, X-Forwarded-Proto), else the listen address.
fn base_url(headers: &HeaderMap, system: &SystemState) -> String {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']')
                })
        });
    match host {
        Some(h) => format!("{}://{h}", if https { "https" } else { "http" }),
        None => {
            let config = system.app.config();
            let ip = if config.host.is_unspecified() {
                "localhost".to_string()
            } else if config.host.is_ipv6() {
                format!("[{}]", config.host)
            } else {
                config.host.to_string()
            };
            format!("http://{ip}:{}", config.port)
        }
    }
}

pub fn card(base: &str) -> Value {
    let skills: Vec<Value> = SKILLS
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "tags": s.tags,
                "examples": s.examples,
                "inputModes": ["text/plain", "application/json"],
                "outputModes": ["text/plain", "application/json"],
            })
        })
        .collect();
    json!({
        "protocolVersion": "0.3.0",
        "name": "OmniRoute",
        "description": "A self-hosted AI gateway: routes prompts across LLM providers, accounts and combos with failover, and reports on health and costs. Choose a skill with metadata.skill (default smart-routing) and a model with metadata.model.",
        "url": format!("{base}/a2a"),
        "preferredTransport": "JSONRPC",
        "version": env!("CARGO_PKG_VERSION"),
        "provider": { "organization": "OmniRoute", "url": base },
        "capabilities": {
            "streaming": true,
            "pushNotifications": false,
            "stateTransitionHistory": true,
        },
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "An OmniRoute API key (Dashboard → API Manager): chat scope for the model skills, health for health-report, billing for cost-analysis; manage for all.",
            }
        },
        "security": [{ "bearer": [] }],
        "defaultInputModes": ["text/plain", "application/json"],
        "defaultOutputModes": ["text/plain", "application/json"],
        "skills": skills,
    })
}

pub async fn agent_card(State(system): State<SystemState>, headers: HeaderMap) -> Response {
    let settings = crate::mcp::hub(&system)
        .settings()
        .a2a(system.app.db())
        .await;
    if !settings.enabled {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({
                "error": "a2a_disabled",
                "message": "the A2A server is turned off: enable it in Dashboard → MCP & A2A",
            })),
        )
            .into_response();
    }
    Json(card(&base_url(&headers, &system))).into_response()
}
