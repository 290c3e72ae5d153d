//! The MCP HTTP transports on the gateway's router, behind `authenticate`: the switch
//! (Dashboard → MCP & A2A), the `Host` check against DNS rebinding, and the API key.

use super::scopes::McpCaller;
use super::server::McpServer;
use crate::auth::api_keys;
use crate::http::system::SystemState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

pub fn routes(system: SystemState) -> Router {
    let factory = system.clone();
    // The Host check is `authenticate`'s (the same list for both HTTP transports, changeable
    // at run time), so rmcp's own loopback-only check is off.
    let config = StreamableHttpServerConfig::default()
        .disable_allowed_hosts()
        .with_sse_keep_alive(Some(Duration::from_secs(15)));
    let stream = StreamableHttpService::new(
        move || Ok(McpServer::per_request(factory.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    Router::new()
        .route_service("/api/mcp/stream", stream)
        .route(
            "/api/mcp/sse",
            get(super::sse::open).post(super::sse::message),
        )
        .route("/api/mcp/message", post(super::sse::message))
        .layer(axum::middleware::from_fn_with_state(
            system.clone(),
            authenticate,
        ))
        .with_state(system)
}

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({ "error": code, "message": message }))).into_response()
}

/// The switch, the Host check and the API key, before any MCP message is read.
async fn authenticate(State(system): State<SystemState>, mut req: Request, next: Next) -> Response {
    let hub = super::hub(&system);
    let settings = hub.settings().mcp(system.app.db()).await;
    if !settings.enabled {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "mcp_disabled",
            "the MCP server is turned off: enable it in Dashboard → MCP & A2A".into(),
        );
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let allowed = super::manage::effective_hosts(&system, &settings);
    if !super::settings::host_allowed(&host, &allowed) {
        tracing::warn!("MCP: refused Host {host:?} (not an allowed host)");
        return refuse(
            StatusCode::FORBIDDEN,
            "host_not_allowed",
            format!(
                "Host {host:?} is not allowed for MCP (protection against DNS rebinding): add it under Dashboard → MCP & A2A → Allowed hosts, or to {}",
                super::settings::ALLOWED_HOSTS_ENV
            ),
        );
    }
    let Some(key) = api_keys::presented_key(req.headers(), None) else {
        let mut response = refuse(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            "an API key is required: send Authorization: Bearer <key> (create one with MCP scopes in Dashboard → API Manager)".into(),
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"omniroute-mcp\""),
        );
        return response;
    };
    let hash = api_keys::hash(&system.app.config().api_key_secret, &key);
    let Some(info) = system.app.keys().lookup(&hash) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "invalid API key".into(),
        );
    };
    if let Some(why) = info.unusable(crate::store::now_unix()) {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_api_key", why.into());
    }
    req.extensions_mut().insert(McpCaller::with_key(info));
    next.run(req).await
}
