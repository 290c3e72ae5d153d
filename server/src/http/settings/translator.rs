//! Settings for the Translator: `GET/PUT /api/settings/translator {"liveMonitor"}`. With
//! `liveMonitor` on, the Live Monitor records even while nobody has its page open.

use super::{save, KV_NAMESPACE};
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::http::system::SystemState;
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

pub const KV_KEY: &str = "translator";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TranslatorSettings {
    pub live_monitor: bool,
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<TranslatorSettings> {
    Json(TranslatorSettings {
        live_monitor: system.app.monitor().always(),
    })
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<TranslatorSettings>, ApiError> {
    let body = JsonBody::parse(&body)?;
    let mut s = TranslatorSettings {
        live_monitor: system.app.monitor().always(),
    };
    if let Some(b) = body.boolean("liveMonitor")? {
        s.live_monitor = b;
    }
    save(&system.app, KV_NAMESPACE, KV_KEY, &s).await?;
    system.app.monitor().set_always(s.live_monitor);
    Ok(Json(s))
}
