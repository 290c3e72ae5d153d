//! Settings → Security, the request-path switches: `GET/PUT /api/settings/security
//! {"modelsRequireKey","injectionGuard"}` (`injectionGuard`: off, log, flag or block). The
//! password and IP access control have their own endpoints.

use super::{save, KV_NAMESPACE};
use crate::ai_settings::{GuardMode, SecuritySettings};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;

pub const KV_KEY: &str = "security";

pub async fn get_settings(State(system): State<SystemState>) -> Json<SecuritySettings> {
    Json((*system.app.ai().security()).clone())
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<SecuritySettings>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = (*system.app.ai().security()).clone();
    if let Some(b) = body.boolean("modelsRequireKey")? {
        s.models_require_key = b;
    }
    if let Some(mode) = body.string("injectionGuard")? {
        s.injection_guard = GuardMode::parse(&mode).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_field",
                format!(
                    "injectionGuard must be one of {} (got {mode:?})",
                    GuardMode::ALL.join(", ")
                ),
            )
        })?;
    }
    save(&system.app, KV_NAMESPACE, KV_KEY, &s).await?;
    system.app.ai().set_security(s.clone());
    Ok(Json(s))
}
