//! `/api/auth/{login,logout,status}` and the gate in front of the dashboard and the API.
//!
//! Login and logout take JSON (`{"password"}`, answered with JSON) or an HTML form post
//! (answered with a redirect), so the login page works without JavaScript.

use super::error::ApiError;
use crate::auth::{self, SESSION_AUTHENTICATED};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Debug, Deserialize)]
struct LoginBody {
    password: Option<serde_json::Value>,
    #[serde(default)]
    next: Option<String>,
}

enum Dialect {
    Json,
    Form,
}

fn dialect(headers: &HeaderMap) -> Dialect {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("multipart/form-data")
    {
        Dialect::Form
    } else {
        Dialect::Json
    }
}

fn form_redirect(error: &str, next: Option<&str>) -> Response {
    let mut location = format!("/login?error={error}");
    if let Some(next) = next.and_then(app::pages::login::safe_next) {
        location.push_str("&next=");
        location.push_str(&urlencode(next));
    }
    Redirect::to(&location).into_response()
}

fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let dialect = dialect(&headers);
    let parsed: Result<LoginBody, String> = match dialect {
        Dialect::Json => {
            serde_json::from_slice(&body).map_err(|e| format!("the body is not valid JSON: {e}"))
        }
        Dialect::Form => serde_urlencoded_form(&body),
    };
    let (password, next) = match parsed {
        Ok(LoginBody {
            password: Some(serde_json::Value::String(p)),
            next,
        }) if !p.is_empty() => (p, next),
        Ok(LoginBody {
            password: Some(serde_json::Value::String(_)) | None,
            next,
        }) => {
            return match dialect {
                Dialect::Json => ApiError::bad_request("missing_password", "password is required")
                    .into_response(),
                Dialect::Form => form_redirect("missing", next.as_deref()),
            }
        }
        Ok(LoginBody { .. }) => {
            return ApiError::bad_request("invalid_password_type", "password must be a string")
                .into_response()
        }
        Err(message) => return ApiError::bad_request("invalid_body", message).into_response(),
    };

    let ip = peer.ip();
    if let Some(left) = state.lockout().locked_for(ip) {
        tracing::warn!("login refused for {ip}: locked out");
        return match dialect {
            Dialect::Json => ApiError::LockedOut {
                retry_after_secs: left.as_secs().max(1),
                minutes: left.as_secs().div_ceil(60).max(1),
            }
            .into_response(),
            Dialect::Form => form_redirect("locked", next.as_deref()),
        };
    }

    let ok = match auth::verify_admin_password(state.db(), &password).await {
        Ok(ok) => ok,
        Err(e) => return ApiError::Internal(e).into_response(),
    };
    if !ok {
        state.lockout().record_failure(ip);
        tracing::warn!("failed dashboard login from {ip}");
        return match dialect {
            Dialect::Json => ApiError::InvalidPassword("invalid password".into()).into_response(),
            Dialect::Form => form_redirect("invalid", next.as_deref()),
        };
    }
    state.lockout().clear(ip);
    // A fresh id on login: a session id planted before login is worthless after it.
    if let Err(e) = session.cycle_id().await {
        return ApiError::Internal(anyhow::anyhow!("session: {e}")).into_response();
    }
    if let Err(e) = session.insert(SESSION_AUTHENTICATED, true).await {
        return ApiError::Internal(anyhow::anyhow!("session: {e}")).into_response();
    }
    tracing::info!("dashboard login from {ip}");
    match dialect {
        Dialect::Json => Json(serde_json::json!({ "success": true })).into_response(),
        Dialect::Form => {
            let target = next
                .as_deref()
                .and_then(app::pages::login::safe_next)
                .unwrap_or("/dashboard");
            Redirect::to(target).into_response()
        }
    }
}

/// Form bodies: `password=...&next=...` (percent-decoded, `+` as space).
fn serde_urlencoded_form(body: &[u8]) -> Result<LoginBody, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the form is not UTF-8".to_string())?;
    let mut password = None;
    let mut next = None;
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v)
            .ok_or_else(|| format!("the form field {k:?} is not valid percent-encoding"))?;
        match k {
            "password" => password = Some(serde_json::Value::String(v)),
            "next" => next = Some(v),
            _ => {}
        }
    }
    Ok(LoginBody { password, next })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub async fn logout(session: Session, headers: HeaderMap) -> Response {
    let _ = session.flush().await;
    match dialect(&headers) {
        Dialect::Form => Redirect::to("/login").into_response(),
        Dialect::Json => Json(serde_json::json!({ "success": true })).into_response(),
    }
}

pub async fn status(session: Session) -> Json<serde_json::Value> {
    let authenticated = is_authenticated(&session).await;
    Json(serde_json::json!({ "authenticated": authenticated, "requireLogin": true }))
}

async fn is_authenticated(session: &Session) -> bool {
    matches!(
        session.get::<bool>(SESSION_AUTHENTICATED).await,
        Ok(Some(true))
    )
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?
        .trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// Paths reachable without a dashboard session. The client APIs (/v1, /v1beta, MCP, A2A)
/// authenticate with API keys in their own layers.
fn is_public(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/api/health",
        "/login",
        "/favicon.svg",
        "/favicon.ico",
        "/robots.txt",
    ];
    const PREFIXES: &[&str] = &["/api/auth/", "/pkg/"];
    is_key_path(path) || EXACT.contains(&path) || PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Paths that authenticate with API keys in their own layers (no cookies, so no CSRF
/// check): the client API, the MCP transports, A2A and its agent card.
fn is_key_path(path: &str) -> bool {
    crate::http::v1::is_client_path(path)
        || crate::mcp::is_transport_path(path)
        || crate::a2a::is_public_path(path)
}

/// A state-changing request whose Origin (or Sec-Fetch-Site) says it comes from another site.
fn is_cross_site(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let headers = req.headers();
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == "null" {
        return true;
    }
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !origin_host.eq_ignore_ascii_case(host)
}

/// The login gate and CSRF check in front of the dashboard and the management API.
pub async fn gate(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    // The management API also takes `Authorization: Bearer <key>` with the `manage` scope
    // (automation). Browsers cannot send that header cross-site without CORS, which this
    // server does not grant, so the CSRF check is for cookies only.
    if path.starts_with("/api/") && !is_public(&path) {
        if let Some(token) = bearer(req.headers()) {
            let hash = crate::auth::api_keys::hash(&state.config().api_key_secret, &token);
            return match state.keys().lookup(&hash) {
                None => ApiError::InvalidKey("invalid API key".into()).into_response(),
                Some(key) => match key.unusable(crate::store::now_unix()) {
                    Some(why) => ApiError::InvalidKey(why.into()).into_response(),
                    None if key.has_scope("manage") => next.run(req).await,
                    None => ApiError::Forbidden {
                        code: "missing_scope",
                        message:
                            "this API key lacks the manage scope needed for the management API"
                                .into(),
                    }
                    .into_response(),
                },
            };
        }
    }
    if !is_key_path(&path) && is_cross_site(&req) {
        return ApiError::CrossSite.into_response();
    }
    if path == "/login" {
        if req.method() == Method::GET && is_authenticated(&session).await {
            return Redirect::to("/dashboard").into_response();
        }
        return next.run(req).await;
    }
    if is_public(&path) {
        return next.run(req).await;
    }
    if is_authenticated(&session).await {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return ApiError::Unauthorized.into_response();
    }
    if req.method() == Method::GET || req.method() == Method::HEAD {
        let wanted = req
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_else(|| path.clone());
        return Redirect::to(&format!("/login?next={}", urlencode(&wanted))).into_response();
    }
    (StatusCode::UNAUTHORIZED, "log in first").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let body =
            serde_urlencoded_form(b"password=a%20b+c%26d&next=%2Fdashboard%2Fsettings").unwrap();
        assert_eq!(
            body.password,
            Some(serde_json::Value::String("a b c&d".into()))
        );
        assert_eq!(body.next.as_deref(), Some("/dashboard/settings"));
        assert!(serde_urlencoded_form(b"password=%zz").is_err());
    }

    #[test]
    fn public_paths() {
        assert!(is_public("/api/health"));
        assert!(is_public("/pkg/omniroute.wasm"));
        assert!(!is_public("/dashboard/health"));
        assert!(!is_public("/api/sf/system_status"));
        assert!(!is_public("/api/healthz"));
    }
}
