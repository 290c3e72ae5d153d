//! The management API under `/api` (behind the dashboard login): providers and connections,
//! custom nodes, custom models, the model catalog.
//!
//! - `providers`: `/api/providers[/{id}[/test|/models|/models/import]]` (connections).
//! - `nodes`: `/api/provider-nodes[/{id}]` (custom OpenAI/Anthropic-compatible endpoints).
//! - `models`: `/api/provider-models` (custom model ids) and `/api/models/catalog`.
//! - `body`: reading JSON bodies field by field, so a bad field gets a 400 naming it.
//! - `keys`: `/api/keys[/{id}[/revoke|/regenerate|/reveal]]` (API keys and scopes).
//! - `upstream`: the calls to a provider made on behalf of the dashboard (test, model list).
//! - `usage`, `pricing`, `budgets`: `/api/usage/{summary,history,logs[/{id}],budget}` and
//!   `/api/pricing` (see `crate::usage`).
//!
//! Every change rebuilds the routing snapshot before the response is sent.

pub(crate) mod body;
mod budgets;
pub(crate) mod combos;
mod keys;
mod models;
pub(crate) mod nodes;
mod pricing;
pub(crate) mod providers;
pub(crate) mod upstream;
mod usage;

use super::error::ApiError;
use crate::snapshot::Snapshot;
use crate::state::AppState;
use crate::store::providers::StoreError;
use axum::routing::{get, post};
use axum::Router;
use gateway::providers::{Registry, Target};

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(
            "/api/providers",
            get(providers::list).post(providers::create),
        )
        .route("/api/providers/catalog", get(models::catalog))
        .route(
            "/api/providers/{id}",
            get(providers::get_one)
                .patch(providers::update)
                .put(providers::update)
                .delete(providers::delete),
        )
        .route("/api/providers/{id}/test", post(providers::test))
        .route(
            "/api/providers/{id}/models",
            get(providers::upstream_models),
        )
        .route(
            "/api/providers/{id}/models/import",
            post(providers::import_models),
        )
        .route("/api/provider-nodes", get(nodes::list).post(nodes::create))
        .route(
            "/api/provider-nodes/{id}",
            get(nodes::get_one)
                .put(nodes::update)
                .patch(nodes::update)
                .delete(nodes::delete),
        )
        .route(
            "/api/provider-models",
            get(models::list)
                .post(models::create)
                .delete(models::delete),
        )
        .route("/api/models/catalog", get(models::catalog))
        .route("/api/keys", get(keys::list).post(keys::create))
        .route(
            "/api/keys/{id}",
            get(keys::get_one)
                .patch(keys::update)
                .put(keys::update)
                .delete(keys::delete),
        )
        .route("/api/keys/{id}/revoke", post(keys::revoke))
        .route("/api/keys/{id}/regenerate", post(keys::regenerate))
        .route(
            "/api/keys/{id}/reveal",
            get(keys::reveal).post(keys::reveal),
        )
        .route(
            "/api/pricing",
            get(pricing::list)
                .put(pricing::upsert)
                .patch(pricing::upsert)
                .delete(pricing::delete),
        )
        .route("/api/usage/summary", get(usage::summary))
        .route("/api/usage/history", get(usage::history))
        .route("/api/usage/logs", get(usage::logs))
        .route("/api/usage/logs/{id}", get(usage::log_detail))
        .route(
            "/api/usage/budget",
            get(budgets::list)
                .post(budgets::set)
                .delete(budgets::delete),
        )
        .route("/api/combos", get(combos::list).post(combos::create))
        .route("/api/combos/reorder", post(combos::reorder))
        .route(
            "/api/combos/{id}",
            get(combos::get_one)
                .put(combos::update)
                .patch(combos::update)
                .delete(combos::delete),
        )
        .route(
            "/api/combos/{id}/plan",
            get(combos::plan_preview).post(combos::plan_request),
        )
        .with_state(state)
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => ApiError::conflict(
                "already_exists",
                "that entry already exists; reload and retry",
            ),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Rebuilds the routing snapshot after a change. Serialised, so that two concurrent changes
/// cannot install their snapshots in the wrong order.
async fn refresh_snapshot(state: &AppState) -> Result<(), ApiError> {
    static REFRESH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _guard = REFRESH.lock().await;
    let snapshot = crate::store::providers::load_snapshot(state.db(), state.config()).await?;
    state.set_snapshot(snapshot);
    Ok(())
}

/// Resolves the `provider` a client names: a built-in provider by id or prefix (`openai`,
/// `ds`), or a custom node by id or prefix. Subscription (OAuth) providers are refused.
fn resolve_provider<'a>(
    snapshot: &'a Snapshot,
    given: &str,
    field: &str,
) -> Result<Target<'a>, ApiError> {
    let registry = Registry::builtin();
    if let Some(p) = registry.by_prefix(given) {
        if p.is_oauth() {
            return Err(ApiError::bad_request(
                "oauth_not_supported",
                format!(
                    "{field} {given:?} is {} ({}/), a subscription provider that signs in with OAuth; OAuth connections are not supported yet and come in a later version. Use an API-key provider instead",
                    p.name, p.prefix
                ),
            ));
        }
        return Ok(Target::Builtin(p));
    }
    if let Some(node) = snapshot
        .nodes
        .iter()
        .find(|n| n.id == given || n.prefix.eq_ignore_ascii_case(given))
    {
        return Ok(Target::Custom(node));
    }
    Err(ApiError::bad_request(
        "unknown_provider",
        format!(
            "{field} {given:?} is not a known provider: use a provider id or prefix from GET /api/models/catalog (e.g. openai, anthropic, deepseek, ollama) or a custom node from GET /api/provider-nodes"
        ),
    ))
}

/// The display name of a provider or node id, when it still exists.
pub(crate) fn provider_name(snapshot: &Snapshot, id: &str) -> Option<String> {
    Registry::builtin()
        .get(id)
        .map(|p| p.name.to_string())
        .or_else(|| {
            snapshot
                .nodes
                .iter()
                .find(|n| n.id == id)
                .map(|n| n.name.clone())
        })
}

/// Unix seconds as RFC 3339 UTC (`2026-11-24T10:00:00Z`).
fn iso(secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => secs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn providers_resolve_by_id_or_prefix_and_oauth_is_refused() {
        let snapshot = Snapshot::default();
        assert_eq!(
            resolve_provider(&snapshot, "ds", "provider").unwrap().id(),
            "deepseek"
        );
        assert_eq!(
            resolve_provider(&snapshot, "OpenAI", "provider")
                .unwrap()
                .id(),
            "openai"
        );
        for oauth in ["cc", "cx", "gemini-cli", "gh", "kr", "if", "qw"] {
            let err = resolve_provider(&snapshot, oauth, "provider").unwrap_err();
            assert!(
                matches!(
                    err,
                    ApiError::BadRequest {
                        code: "oauth_not_supported",
                        ..
                    }
                ),
                "{oauth}: {err}"
            );
        }
        assert!(resolve_provider(&snapshot, "nope", "provider").is_err());
    }
}
