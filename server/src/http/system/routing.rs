//! Settings → Routing, the account strategy: how one provider's connections are ordered.
//! `GET /api/settings/routing`, `PUT /api/settings/routing {"accountStrategy","stickyLimit"}`.

use super::SystemState;
use crate::accounts::{AccountSettings, Strategy};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::state::AppState;
use crate::store;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use sea_orm::DatabaseConnection;
use serde_json::{json, Value};

const KV_NAMESPACE: &str = "settings";
const KV_KEY: &str = "routing";

pub async fn load(db: &DatabaseConnection) -> AccountSettings {
    store::kv::get_json(db, KV_NAMESPACE, KV_KEY)
        .await
        .unwrap_or_default()
}

fn view(s: &AccountSettings) -> Value {
    json!({
        "accountStrategy": s.strategy.as_str(),
        "stickyLimit": s.sticky_limit,
        "strategies": Strategy::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
    })
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<Value> {
    Json(view(&system.app.accounts().settings()))
}

/// Validates, stores and applies new account settings (the REST API and the dashboard).
pub async fn save(
    state: &AppState,
    strategy: Option<&str>,
    sticky_limit: Option<u64>,
) -> Result<AccountSettings, ApiError> {
    let mut settings = state.accounts().settings();
    if let Some(name) = strategy {
        settings.strategy = Strategy::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Strategy::ALL.iter().map(|(n, _)| *n).collect();
            ApiError::bad_request(
                "invalid_field",
                format!(
                    "accountStrategy {name:?} is not one of {}",
                    names.join(", ")
                ),
            )
        })?;
    }
    if let Some(n) = sticky_limit {
        if !(1..=1000).contains(&n) {
            return Err(ApiError::bad_request(
                "invalid_field",
                "stickyLimit must be a whole number from 1 to 1000",
            ));
        }
        settings.sticky_limit = n as u32;
    }
    store::kv::set_json(state.db(), KV_NAMESPACE, KV_KEY, &settings)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    state.accounts().set_settings(settings);
    Ok(settings)
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let strategy = match body.string("accountStrategy")? {
        Some(s) => Some(s),
        None => body.string("strategy")?,
    };
    let sticky = body.integer("stickyLimit")?.map(|n| n.max(0) as u64);
    let settings = save(&system.app, strategy.as_deref(), sticky).await?;
    Ok(Json(view(&settings)))
}
