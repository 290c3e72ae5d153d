//! The HTTP surfaces, assembled into one router:
//! - `health`: `GET /api/health` for probes (public).
//! - `auth`: `/api/auth/{login,logout,status}` and the login gate in front of everything else.
//! - `dashboard`: the Leptos pages (SSR) and their server functions under `/api/sf/`.
//! - `assets`: the wasm bundle, stylesheet and public files, embedded in the binary.
//! - `error`: the `{error, message}` body of the management API.

pub mod assets;
pub mod auth;
pub mod dashboard;
pub mod error;
pub mod health;
pub mod inprocess;
pub mod logging_settings;
pub mod manage;
pub mod openapi;
pub mod overview;
pub mod proxy_settings;
pub mod routing_api;
pub mod settings;
pub mod system;
pub mod translator_tools;
pub mod v1;

use crate::state::AppState;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

pub const SESSION_COOKIE: &str = "omniroute_session";

pub fn router(state: AppState) -> Router {
    let system = system::SystemState::new(state.clone());
    let session_layer = SessionManagerLayer::new(state.sessions().clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config().cookie_secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)))
        .with_signed(cookie_key(&state.config().jwt_secret));

    let api = Router::new()
        .route("/api/health", get(health::health))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/auth/status", get(auth::status))
        .with_state(state.clone());

    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .merge(api)
        .merge(api_routes(&state, &system))
        .merge(v1::routes(state.clone()))
        .merge(crate::mcp::routes(system.clone()))
        .merge(crate::a2a::routes(system.clone()))
        .merge(dashboard::routes(state.clone(), system.clone()))
        .layer(axum::middleware::from_fn_with_state(state, auth::gate))
        .layer(session_layer)
        .layer(axum::middleware::from_fn_with_state(
            system,
            system::ip_access::enforce,
        ))
}

/// Every management route under `/api` (providers, keys, combos, usage, settings, MCP and A2A
/// management, OpenAPI, routing). The public router serves it behind the gate; the dashboard's
/// server functions and `PATCH /api/settings` call it in-process.
pub fn api_routes(state: &AppState, system: &system::SystemState) -> Router {
    manage::routes(state.clone())
        .merge(openapi::routes(state.clone()))
        .merge(routing_api::routes(state.clone()))
        .merge(system::routes(system.clone()))
}

/// The cookie signing key, derived from JWT_SECRET (any length) through SHA-256.
fn cookie_key(secret: &str) -> Key {
    use sha2::{Digest, Sha512};
    let digest = Sha512::digest(secret.as_bytes());
    Key::from(digest.as_slice())
}
