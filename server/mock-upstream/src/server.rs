//! The listener: one task accepting connections, one task per connection (HTTP/1.1 via
//! hyper), TCP_NODELAY, a per-connection kill switch for the reset faults, and shutdown when
//! the handle is dropped.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::control::{self, App, RecordedRequest};
use crate::scenario::Scenario;
use crate::{anthropic, gemini, media, openai, responses};

/// Lets a handler reset its own TCP connection (the reset-before-headers fault).
#[derive(Clone)]
pub(crate) struct ConnKill(Arc<Notify>);

impl ConnKill {
    pub(crate) fn kill(&self) {
        self.0.notify_one();
    }
}

fn router(app: App) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(openai::chat_completions))
        .route("/v1/completions", post(openai::completions))
        .route("/v1/models", get(openai::models))
        .route("/v1/embeddings", post(openai::embeddings))
        .route("/v1/responses", post(responses::responses))
        .route("/v1/messages", post(anthropic::messages))
        .route("/v1/messages/count_tokens", post(anthropic::count_tokens))
        .route("/v1beta/models", get(gemini::models))
        .route("/v1beta/models/{target}", post(gemini::generate))
        .route("/v1/images/generations", post(media::images))
        .route("/v1/audio/speech", post(media::speech))
        .route("/v1/audio/transcriptions", post(media::transcriptions))
        .route("/__mock/scenarios", post(control::push_scenarios))
        .route("/__mock/requests", get(control::list_requests))
        .route("/__mock/reset", post(control::reset))
        .with_state(app)
}

/// Starts mock upstream servers.
pub struct MockUpstream;

impl MockUpstream {
    /// Starts a mock on `127.0.0.1` with a free port.
    ///
    /// # Panics
    /// If no loopback port can be bound (a broken test machine); use [`MockUpstream::bind`]
    /// to handle that.
    pub async fn start() -> MockHandle {
        match Self::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await {
            Ok(handle) => handle,
            Err(e) => panic!("mock-upstream: cannot bind 127.0.0.1:0: {e}"),
        }
    }

    /// Starts a mock on the given address (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr) -> io::Result<MockHandle> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = App::default();
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept_loop(listener, router(app.clone()), stopped));
        Ok(MockHandle { addr, app, stop })
    }
}

async fn accept_loop(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(stream, router.clone(), stopped.clone()));
            }
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router, mut stopped: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    // A second handle on the socket so that a kill can set SO_LINGER=0 (close sends RST)
    // while hyper owns the stream.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(killer) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let kill = ConnKill(Arc::new(Notify::new()));
    let handle = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(handle.clone());
        router.clone().oneshot(req)
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.0.notified() => {
            let _ = socket2::SockRef::from(&killer).set_linger(Some(Duration::ZERO));
        }
        _ = stopped.changed() => {}
    }
}

/// A running mock. Dropping it stops the server and closes its connections.
pub struct MockHandle {
    addr: SocketAddr,
    app: App,
    stop: watch::Sender<bool>,
}

impl MockHandle {
    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash). OpenAI-style providers go
    /// at `{url}/v1`, Gemini at `{url}/v1beta`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues a scenario for a later request.
    pub fn push(&self, scenario: Scenario) {
        self.app.push(scenario);
    }

    /// Every request received so far (control requests excluded), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.requests()
    }

    /// The last request received, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.app.requests().pop()
    }

    /// How many queued scenarios no request has consumed yet.
    pub fn pending_scenarios(&self) -> usize {
        self.app.pending()
    }

    /// Forgets queued scenarios and recorded requests.
    pub fn reset(&self) {
        self.app.reset();
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
