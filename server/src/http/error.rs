//! Errors of the management API: `{"error": "<stable code>", "message": "<for people>"}`.
//! Internal causes are logged, never echoed.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("log in first")]
    Unauthorized,
    #[error("{0}")]
    InvalidKey(String),
    #[error("{0}")]
    InvalidPassword(String),
    #[error("cross-site request refused")]
    CrossSite,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("too many failed attempts; try again in {minutes} minute(s)")]
    LockedOut { retry_after_secs: u64, minutes: u64 },
    /// 404: the id or name in the path or query names nothing.
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    /// 409: the request clashes with what is stored (a prefix in use, ...).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 502: an upstream provider failed or answered something unusable.
    #[error("{message}")]
    Upstream { code: &'static str, message: String },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(anyhow::Error::new(e).context("database"))
    }
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn upstream(code: &'static str, message: impl Into<String>) -> Self {
        Self::Upstream {
            code,
            message: message.into(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::InvalidKey(_) => (StatusCode::UNAUTHORIZED, "invalid_api_key"),
            ApiError::InvalidPassword(_) => (StatusCode::UNAUTHORIZED, "invalid_password"),
            ApiError::CrossSite => (StatusCode::FORBIDDEN, "cross_site_request"),
            ApiError::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code),
            ApiError::LockedOut { .. } => (StatusCode::TOO_MANY_REQUESTS, "locked_out"),
            ApiError::NotFound { code, .. } => (StatusCode::NOT_FOUND, code),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            ApiError::Upstream { code, .. } => (StatusCode::BAD_GATEWAY, code),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!("internal error: {cause:#}");
        }
        let mut body = serde_json::json!({ "error": code, "message": self.to_string() });
        let mut response = if let ApiError::LockedOut {
            retry_after_secs, ..
        } = &self
        {
            body["retryAfter"] = serde_json::json!(retry_after_secs);
            let mut r = (status, Json(body)).into_response();
            if let Ok(v) = retry_after_secs.to_string().parse() {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            r
        } else {
            (status, Json(body)).into_response()
        };
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        response
    }
}
