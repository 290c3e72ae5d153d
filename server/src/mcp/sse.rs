//! The legacy MCP SSE transport (protocol 2024-11-05), which rmcp no longer ships:
//!
//! - `GET /api/mcp/sse` opens a session: an event stream whose first event is `endpoint`
//!   (data: the URL to POST messages to, `/api/mcp/sse?sessionId=...`), then one `message`
//!   event per JSON-RPC message from the server, and a comment every 15 s.
//! - `POST /api/mcp/sse?sessionId=...` (also `/api/mcp/message?sessionId=...`) takes one
//!   JSON-RPC message from the client and answers 202; the reply comes on the stream.
//!
//! Each session runs one `McpServer` over a channel transport, with the caller of the GET;
//! the POSTs must carry the same key. Closing the stream ends the session.

use super::scopes::McpCaller;
use super::server::McpServer;
use crate::http::system::SystemState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::{RoleServer, ServiceExt};
use serde_json::json;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc;

const KEEP_ALIVE: Duration = Duration::from_secs(15);
const QUEUE: usize = 64;

/// The open SSE sessions: id → (key id, the inbox of its server).
#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

struct Session {
    key_id: Option<String>,
    inbox: mpsc::Sender<ClientJsonRpcMessage>,
}

impl Sessions {
    fn insert(&self, id: String, session: Session) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, session);
    }

    fn remove(&self, id: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    fn get(&self, id: &str) -> Option<(Option<String>, mpsc::Sender<ClientJsonRpcMessage>)> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .map(|s| (s.key_id.clone(), s.inbox.clone()))
    }

    pub fn len(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The server's side of a session: messages in from the POSTs, out to the event stream.
struct ChannelTransport {
    outbox: mpsc::Sender<ServerJsonRpcMessage>,
    inbox: mpsc::Receiver<ClientJsonRpcMessage>,
}

#[derive(Debug, thiserror::Error)]
#[error("the SSE client disconnected")]
struct Disconnected;

impl Transport<RoleServer> for ChannelTransport {
    type Error = Disconnected;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl std::future::Future<Output = Result<(), Self::Error>> + Send + 'static {
        let outbox = self.outbox.clone();
        async move { outbox.send(item).await.map_err(|_| Disconnected) }
    }

    fn receive(
        &mut self,
    ) -> impl std::future::Future<Output = Option<ClientJsonRpcMessage>> + Send {
        self.inbox.recv()
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.inbox.close();
        Ok(())
    }
}

/// Removes the session when its event stream ends (the client went away).
struct SessionGuard {
    system: SystemState,
    id: String,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        super::hub(&self.system).sse_sessions().remove(&self.id);
        tracing::debug!("MCP SSE session {} closed", self.id);
    }
}

fn event(name: &str, data: &str) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// `GET /api/mcp/sse`: opens a session.
pub async fn open(
    State(system): State<SystemState>,
    Extension(caller): Extension<McpCaller>,
) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (inbox_tx, inbox_rx) = mpsc::channel(QUEUE);
    let (outbox_tx, outbox_rx) = mpsc::channel::<ServerJsonRpcMessage>(QUEUE);
    super::hub(&system).sse_sessions().insert(
        id.clone(),
        Session {
            key_id: caller.key_id().map(str::to_string),
            inbox: inbox_tx,
        },
    );
    let server = McpServer::for_caller(system.clone(), caller, "sse");
    let session = id.clone();
    tokio::spawn(async move {
        let transport = ChannelTransport {
            outbox: outbox_tx,
            inbox: inbox_rx,
        };
        match server.serve(transport).await {
            Ok(running) => {
                let _ = running.waiting().await;
            }
            Err(e) => tracing::debug!("MCP SSE session {session} ended before initialize: {e}"),
        }
    });
    tracing::debug!("MCP SSE session {id} opened");

    let guard = SessionGuard {
        system,
        id: id.clone(),
    };
    let first = event("endpoint", &format!("/api/mcp/sse?sessionId={id}"));
    let stream = futures_util::stream::unfold(
        (Some(first), outbox_rx, guard),
        |(first, mut outbox, guard)| async move {
            if let Some(first) = first {
                return Some((Ok::<Bytes, Infallible>(first), (None, outbox, guard)));
            }
            match tokio::time::timeout(KEEP_ALIVE, outbox.recv()).await {
                Err(_) => Some((
                    Ok(Bytes::from_static(b": keep-alive\n\n")),
                    (None, outbox, guard),
                )),
                // The server ended (the client closed the session's transport).
                Ok(None) => None,
                Ok(Some(message)) => {
                    let data = serde_json::to_string(&message).unwrap_or_default();
                    Some((Ok(event("message", &data)), (None, outbox, guard)))
                }
            }
        },
    );
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct SessionQuery {
    #[serde(rename = "sessionId", alias = "session_id")]
    session_id: Option<String>,
}

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({ "error": code, "message": message }))).into_response()
}

/// `POST /api/mcp/sse?sessionId=` (and `/api/mcp/message`): one message into a session.
pub async fn message(
    State(system): State<SystemState>,
    Extension(caller): Extension<McpCaller>,
    Query(query): Query<SessionQuery>,
    body: Bytes,
) -> Response {
    let Some(id) = query.session_id.filter(|s| !s.is_empty()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "missing_session",
            "sessionId is required: open a session with GET /api/mcp/sse and post to the endpoint it announces".into(),
        );
    };
    let Some((key_id, inbox)) = super::hub(&system).sse_sessions().get(&id) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "unknown_session",
            format!("no open MCP SSE session {id:?} (it may have closed): open a new one with GET /api/mcp/sse"),
        );
    };
    if key_id.as_deref() != caller.key_id() {
        return refuse(
            StatusCode::FORBIDDEN,
            "session_of_another_key",
            "this session was opened with another API key".into(),
        );
    }
    let message: ClientJsonRpcMessage = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_message",
                format!("the body is not a JSON-RPC message: {e}"),
            )
        }
    };
    if inbox.send(message).await.is_err() {
        return refuse(
            StatusCode::GONE,
            "session_closed",
            "the session has ended: open a new one with GET /api/mcp/sse".into(),
        );
    }
    (StatusCode::ACCEPTED, "Accepted").into_response()
}
