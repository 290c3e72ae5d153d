//! The settings of the dashboard's Settings tabs that have no other home, and the aggregate:
//!
//! - `general`: `/api/settings/general` (storage, backups) and the import form.
//! - `ai`: `/api/settings/ai` (thinking budget, global system prompt).
//! - `security`: `/api/settings/security` (a key for the model lists, the injection guard).
//! - `appearance`: `/api/settings/appearance` (sidebar and Home panel visibility).
//! - `translator`: `/api/settings/translator` (Live Monitor always on).
//! - `aggregate`: `GET /api/settings` (every namespace in one object) and `PATCH /api/settings`
//!   (a partial object, applied through each namespace's own PUT handler).
//!
//! Every setting is stored as JSON in the key-value table (namespace `settings`) and applied to
//! its in-memory cell on PUT, so it takes effect without a restart.

pub mod aggregate;
pub mod ai;
pub mod appearance;
pub mod general;
pub mod security;
pub mod translator;

use crate::http::error::ApiError;
use crate::http::system::SystemState;
use crate::state::AppState;
use crate::store;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

pub(crate) const KV_NAMESPACE: &str = "settings";

pub fn routes() -> Router<SystemState> {
    Router::new()
        .route(
            "/api/settings",
            get(aggregate::get_all).patch(aggregate::patch_all),
        )
        .route("/api/settings/general", get(general::get_settings))
        .route(
            "/api/settings/general/import",
            post(general::import_form).layer(DefaultBodyLimit::max(
                crate::http::system::backups::MAX_IMPORT_BYTES + 1024 * 1024,
            )),
        )
        .route(
            "/api/settings/ai",
            get(ai::get_settings)
                .put(ai::put_settings)
                .patch(ai::put_settings),
        )
        .route(
            "/api/settings/security",
            get(security::get_settings)
                .put(security::put_settings)
                .patch(security::put_settings),
        )
        .route(
            "/api/settings/appearance",
            get(appearance::get_settings)
                .put(appearance::put_settings)
                .patch(appearance::put_settings),
        )
        .route(
            "/api/settings/translator",
            get(translator::get_settings)
                .put(translator::put_settings)
                .patch(translator::put_settings),
        )
}

/// Loads the settings the request path reads into their cells (at start, and after a
/// database import); an absent section is the default.
pub async fn load(state: &AppState) {
    let db = state.db();
    state.ai().set_ai(
        store::kv::get_json(db, KV_NAMESPACE, ai::KV_KEY)
            .await
            .unwrap_or_default(),
    );
    state.ai().set_security(
        store::kv::get_json(db, KV_NAMESPACE, security::KV_KEY)
            .await
            .unwrap_or_default(),
    );
    let translator: translator::TranslatorSettings =
        store::kv::get_json(db, KV_NAMESPACE, translator::KV_KEY)
            .await
            .unwrap_or_default();
    state.monitor().set_always(translator.live_monitor);
}

pub(crate) async fn save<T: serde::Serialize>(
    state: &AppState,
    namespace: &str,
    key: &str,
    value: &T,
) -> Result<(), ApiError> {
    store::kv::set_json(state.db(), namespace, key, value)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}
