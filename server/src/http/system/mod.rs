//! Server-wide settings and operations under `/api`: IP access control (enforced on every
//! request), the account strategy (Settings → Routing), and database export / import.

pub mod backups;
pub mod ip_access;
pub mod resilience;
pub mod routing;
pub mod traffic;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

#[derive(Clone)]
pub struct SystemState {
    pub app: AppState,
    pub ip: Arc<ip_access::IpAccessCell>,
    /// MCP and A2A: settings, the audit writer, running tasks (see `crate::mcp::Hub`).
    pub agents: crate::mcp::Hub,
}

impl SystemState {
    pub fn new(app: AppState) -> Self {
        Self {
            app,
            ip: Arc::new(ip_access::IpAccessCell::default()),
            agents: crate::mcp::Hub::default(),
        }
    }
}

pub fn routes(system: SystemState) -> Router {
    Router::new()
        .route(
            "/api/settings/ip-access",
            get(ip_access::get_settings)
                .put(ip_access::put_settings)
                .patch(ip_access::put_settings),
        )
        .route(
            "/api/settings/routing",
            get(routing::get_settings)
                .put(routing::put_settings)
                .patch(routing::put_settings),
        )
        .route("/api/resilience", get(resilience::state))
        .route("/api/resilience/reset", post(resilience::reset))
        .route(
            "/api/settings/resilience",
            get(resilience::get_settings)
                .put(resilience::put_settings)
                .patch(resilience::put_settings),
        )
        .route("/api/db-backups/export", get(backups::export))
        .route("/api/db-backups/exportAll", get(backups::export_all))
        .route(
            "/api/db-backups/import",
            post(backups::import).layer(DefaultBodyLimit::max(
                backups::MAX_IMPORT_BYTES + 1024 * 1024,
            )),
        )
        .merge(crate::mcp::manage::routes())
        .merge(crate::a2a::manage::routes())
        .merge(crate::http::settings::routes())
        .merge(crate::http::translator_tools::routes())
        .route("/api/overview", get(crate::http::overview::overview))
        .merge(traffic::routes())
        .with_state(system)
}
