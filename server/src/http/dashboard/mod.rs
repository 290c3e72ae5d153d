//! The Leptos dashboard: server-rendered pages, their server functions (`/api/sf/*`), and the
//! backend those functions call.
//!
//! - `providers`: connections and custom nodes (over the management API's functions).
//! - `translator`: the Translator Playground (over the `gateway` engine).
//! - `keys`: the API Manager (over the management API's `/api/keys` handlers).
//! - `endpoints`: the base URL, the key policy and the model list for Endpoints and CLI Tools.
//! - `cli_config`: CLI Tools → Apply (merging into and writing the tools' config files).
//! - `rest`: calling the REST API's handlers in-process (`DashboardBackend::api_call`).

mod cli_config;
mod endpoints;
mod keys;
mod providers;
mod rest;
mod translator;

use super::assets;
use crate::auth;
use crate::state::AppState;
use app::api::add_connection::NewConnectionInput;
use app::api::add_node::NewNodeInput;
use app::api::apply_cli_config::CliApplied;
use app::api::chat_test::{ChatTestInput, ChatTestOutput};
use app::api::cli_setup::CliSetup;
use app::api::connection_models::UpstreamModelInfo;
use app::api::create_api_key::{IssuedKey, NewApiKeyInput};
use app::api::endpoints_info::EndpointsInfo;
use app::api::list_api_keys::ApiKeysOverview;
use app::api::list_providers::{ConnectionInfo, NodeInfo, ProvidersOverview};
use app::api::preview_cli_config::{CliConfigInput, CliPreview};
use app::api::provider_choices::ProviderChoice;
use app::api::resilience_state::{BreakerRow, CooldownRow, ResilienceState};
use app::api::routing_settings::RoutingSettings;
use app::api::system_status::SystemStatus;
use app::api::test_connection::ConnectionTest;
use app::api::translate::{TranslateInput, TranslateOutput};
use app::backend::{Backend, DashboardBackend};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;

pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("omniroute")
        .site_pkg_dir("pkg")
        .site_root(assets::site_root_on_disk())
        .build()
}

pub fn routes(state: AppState, system: super::system::SystemState) -> Router {
    let options = leptos_options();
    let routes = generate_route_list(app::App);
    let api = super::api_routes(&state, &system);
    let backend = Backend(Arc::new(DashboardService { state, api }));
    let context = {
        let backend = backend.clone();
        move || provide_context(backend.clone())
    };
    let not_found = {
        let options = options.clone();
        let backend = backend.clone();
        leptos_axum::render_app_to_stream_with_context(
            move || provide_context(backend.clone()),
            move || app::shell(options.clone()),
        )
    };
    Router::new()
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(move |req: axum::extract::Request| async move {
            match assets::serve(&req) {
                Some(response) => response,
                None => not_found(req).await,
            }
        })
        .with_state(options)
}

struct DashboardService {
    state: AppState,
    /// The management and system API routes, called in-process (see `rest`).
    api: Router,
}

#[async_trait::async_trait]
impl DashboardBackend for DashboardService {
    async fn api_call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        rest::call(&self.api, rest::method(method)?, path, body).await
    }

    async fn system_status(&self) -> Result<SystemStatus, String> {
        let config = self.state.config();
        Ok(SystemStatus {
            version: env!("CARGO_PKG_VERSION").to_string(),
            uptime_secs: self.state.uptime_secs(),
            memory_rss_bytes: crate::sysinfo::rss_bytes(),
            data_dir: config.data_dir.display().to_string(),
            db_size_bytes: crate::store::database_size(&config.db_path()),
            measured_at: crate::store::now_unix(),
        })
    }

    async fn change_password(&self, current: String, new: String) -> Result<(), String> {
        let session: tower_sessions::Session = leptos_axum::extract()
            .await
            .map_err(|_| "no session".to_string())?;
        let db = self.state.db();
        let ok = auth::verify_admin_password(db, &current)
            .await
            .map_err(|e| internal(&e))?;
        if !ok {
            return Err("The current password is wrong.".into());
        }
        if new.chars().count() < auth::MIN_PASSWORD_LEN {
            return Err(format!(
                "The new password needs at least {} characters.",
                auth::MIN_PASSWORD_LEN
            ));
        }
        auth::set_admin_password(db, &new)
            .await
            .map_err(|e| internal(&e))?;
        let removed = self
            .state
            .sessions()
            .delete_all_except(session.id())
            .await
            .map_err(|e| internal(&anyhow::anyhow!(e)))?;
        tracing::info!("dashboard password changed; {removed} other session(s) logged out");
        Ok(())
    }

    async fn list_providers(&self) -> Result<ProvidersOverview, String> {
        providers::list(&self.state).await
    }

    async fn provider_choices(&self) -> Result<Vec<ProviderChoice>, String> {
        providers::choices(&self.state).await
    }

    async fn add_connection(&self, input: NewConnectionInput) -> Result<ConnectionInfo, String> {
        providers::add_connection(&self.state, input).await
    }

    async fn add_node(&self, input: NewNodeInput) -> Result<NodeInfo, String> {
        providers::add_node(&self.state, input).await
    }

    async fn test_connection(&self, id: String) -> Result<ConnectionTest, String> {
        providers::test_connection(&self.state, &id).await
    }

    async fn connection_models(&self, id: String) -> Result<Vec<UpstreamModelInfo>, String> {
        providers::connection_models(&self.state, &id).await
    }

    async fn set_connection_enabled(&self, id: String, enabled: bool) -> Result<(), String> {
        providers::set_enabled(&self.state, &id, enabled).await
    }

    async fn delete_connection(&self, id: String) -> Result<(), String> {
        providers::delete_connection(&self.state, &id).await
    }

    async fn delete_node(&self, id: String) -> Result<(), String> {
        providers::delete_node(&self.state, &id).await
    }

    async fn translate(&self, input: TranslateInput) -> Result<TranslateOutput, String> {
        // CPU-bound on bodies up to 512 KiB: off the async workers.
        tokio::task::spawn_blocking(move || translator::translate(&input))
            .await
            .map_err(|e| internal(&anyhow::anyhow!(e)))?
    }

    async fn resilience_state(&self) -> Result<ResilienceState, String> {
        let view = self.state.resilience().view();
        let snapshot = self.state.snapshot();
        let mut breakers: Vec<BreakerRow> = view
            .breakers
            .into_iter()
            .map(|b| BreakerRow {
                provider: b.provider,
                state: serde_json::to_value(b.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                consecutive_faults: b.consecutive_faults,
                retry_in_secs: b.retry_in_secs,
            })
            .collect();
        breakers.sort_by(|a, b| a.provider.cmp(&b.provider));
        let mut cooldowns: Vec<CooldownRow> = view
            .cooldowns
            .into_iter()
            .map(|c| {
                let conn = snapshot
                    .connections
                    .iter()
                    .find(|x| x.id == c.connection_id);
                CooldownRow {
                    connection: conn.map(|x| x.name.clone()).unwrap_or(c.connection_id),
                    provider: conn.map(|x| x.provider.clone()).unwrap_or_default(),
                    remaining_secs: c.remaining_secs,
                    reason: c.reason,
                }
            })
            .collect();
        cooldowns.sort_by_key(|c| c.remaining_secs);
        Ok(ResilienceState {
            breakers,
            cooldowns,
        })
    }

    async fn reset_resilience(&self) -> Result<(), String> {
        self.state.resilience().reset();
        tracing::info!("circuit breakers and cooldowns reset from the Health page");
        Ok(())
    }

    async fn routing_settings(&self) -> Result<RoutingSettings, String> {
        let s = self.state.accounts().settings();
        Ok(RoutingSettings {
            account_strategy: s.strategy.as_str().to_string(),
            sticky_limit: s.sticky_limit,
        })
    }

    async fn save_routing_settings(
        &self,
        settings: RoutingSettings,
    ) -> Result<RoutingSettings, String> {
        let saved = crate::http::system::routing::save(
            &self.state,
            Some(&settings.account_strategy),
            Some(u64::from(settings.sticky_limit)),
        )
        .await
        .map_err(|e| e.to_string())?;
        Ok(RoutingSettings {
            account_strategy: saved.strategy.as_str().to_string(),
            sticky_limit: saved.sticky_limit,
        })
    }

    async fn chat_test(&self, input: ChatTestInput) -> Result<ChatTestOutput, String> {
        translator::chat_test(self.state.clone(), input).await
    }

    async fn list_api_keys(&self) -> Result<ApiKeysOverview, String> {
        keys::list(&self.state).await
    }

    async fn create_api_key(&self, input: NewApiKeyInput) -> Result<IssuedKey, String> {
        keys::create(&self.api, input).await
    }

    async fn set_api_key_enabled(&self, id: String, enabled: bool) -> Result<(), String> {
        keys::set_enabled(&self.api, &id, enabled).await
    }

    async fn revoke_api_key(&self, id: String) -> Result<(), String> {
        keys::revoke(&self.api, &id).await
    }

    async fn regenerate_api_key(&self, id: String) -> Result<IssuedKey, String> {
        keys::regenerate(&self.api, &id).await
    }

    async fn delete_api_key(&self, id: String) -> Result<(), String> {
        keys::delete(&self.api, &id).await
    }

    async fn reveal_api_key(&self, id: String) -> Result<String, String> {
        keys::reveal(&self.api, &id).await
    }

    async fn endpoints_info(&self) -> Result<EndpointsInfo, String> {
        let (key_required, key_policy) = endpoints::key_policy(self.state.config());
        Ok(EndpointsInfo {
            base_url: endpoints::base_url(&self.state).await,
            key_required,
            key_policy,
            keys: keys::briefs(&self.state).await?,
        })
    }

    async fn cli_setup(&self) -> Result<CliSetup, String> {
        let apply = match endpoints::check_local().await {
            Ok(()) => cli_config::cli_home().map(|home| home.display().to_string()),
            Err(refusal) => Err(refusal),
        };
        Ok(CliSetup {
            base_url: endpoints::base_url(&self.state).await,
            models: endpoints::model_ids(&self.state).await?,
            keys: keys::briefs(&self.state).await?,
            key_required: self.state.config().api_key_required(),
            apply,
        })
    }

    async fn preview_cli_config(&self, input: CliConfigInput) -> Result<CliPreview, String> {
        endpoints::check_local().await?;
        let home = cli_config::cli_home()?;
        let base = endpoints::base_url(&self.state).await;
        tokio::task::spawn_blocking(move || cli_config::preview(&home, &base, &input))
            .await
            .map_err(|e| internal(&anyhow::anyhow!(e)))?
    }

    async fn apply_cli_config(
        &self,
        input: CliConfigInput,
        expected_old: String,
    ) -> Result<CliApplied, String> {
        endpoints::check_local().await?;
        let home = cli_config::cli_home()?;
        let base = endpoints::base_url(&self.state).await;
        // One apply at a time: two tabs must not interleave backup and rename.
        static APPLYING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _guard = APPLYING.lock().await;
        tokio::task::spawn_blocking(move || cli_config::apply(&home, &base, &input, &expected_old))
            .await
            .map_err(|e| internal(&anyhow::anyhow!(e)))?
    }
}

fn internal(e: &anyhow::Error) -> String {
    tracing::error!("dashboard backend: {e:#}");
    "Internal error; see the server log.".to_string()
}
