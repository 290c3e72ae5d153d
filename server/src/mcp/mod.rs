//! The MCP server (Model Context Protocol, with the `rmcp` SDK): OmniRoute's tools for IDEs
//! and agent hosts (Claude Desktop, Cursor, VS Code, ...).
//!
//! Transports, all serving the same [`server::McpServer`]:
//! - streamable HTTP at `/api/mcp/stream` (rmcp's `StreamableHttpService`);
//! - the legacy SSE transport at `GET /api/mcp/sse` with its message endpoint
//!   `POST /api/mcp/sse?sessionId=` (also `/api/mcp/message`), written here (`sse`): rmcp no
//!   longer ships one;
//! - stdio: `omniroute --mcp` (`stdio`): the protocol on stdout, logs on stderr.
//!
//! The HTTP transports take a Bearer API key (`Authorization: Bearer`, or `x-api-key`) and
//! refuse a request without one (401); the key's scopes decide which tools it sees and may
//! call (`scopes`). Every call is audited (`audit`). The tools (`tools/`) do their work
//! through the management REST API's handlers, called in-process (`api`), and through the
//! `/v1` proxy (`chat`), so they validate, store and route exactly like the REST API and the
//! client API.
//!
//! - `settings`: enable switches and allowed hosts (Dashboard → MCP & A2A).
//! - `manage`: `/api/mcp/{status,tools,audit,audit/stats,settings}` for the dashboard
//!   (behind the dashboard login or a `manage` key, like the rest of `/api`).

pub mod api;
pub mod audit;
pub mod chat;
pub mod http;
pub mod manage;
pub mod scopes;
pub mod server;
pub mod settings;
pub mod sse;
pub mod stdio;
pub mod tools;

use crate::http::system::SystemState;
use sea_orm::DatabaseConnection;
use std::sync::{Arc, OnceLock};

pub use http::routes;

/// Paths of the MCP transports: API-key authenticated by `http::authenticate`, so the
/// dashboard's login gate lets them through.
pub fn is_transport_path(path: &str) -> bool {
    matches!(
        path,
        "/api/mcp/stream" | "/api/mcp/sse" | "/api/mcp/message"
    )
}

/// What the MCP and A2A servers share for the life of the process: their settings, the
/// audit writer, and the A2A tasks running now (so they can be canceled).
#[derive(Clone, Default)]
pub struct Hub(Arc<HubInner>);

#[derive(Default)]
struct HubInner {
    settings: settings::SettingsCell,
    audit: OnceLock<audit::AuditSink>,
    running: crate::a2a::tasks::Running,
    sse_sessions: sse::Sessions,
}

impl Hub {
    pub fn settings(&self) -> &settings::SettingsCell {
        &self.0.settings
    }

    /// The audit writer, started on first use (on the current tokio runtime).
    pub fn audit(&self, db: &DatabaseConnection) -> &audit::AuditSink {
        self.0
            .audit
            .get_or_init(|| audit::AuditSink::start(db.clone()))
    }

    pub fn sse_sessions(&self) -> &sse::Sessions {
        &self.0.sse_sessions
    }

    pub fn running(&self) -> &crate::a2a::tasks::Running {
        &self.0.running
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").finish_non_exhaustive()
    }
}

/// The hub of a system state (one per process).
pub fn hub(system: &SystemState) -> &Hub {
    &system.agents
}
