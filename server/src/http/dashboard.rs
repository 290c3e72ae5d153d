//! The Leptos dashboard: server-rendered pages, their server functions (`/api/sf/*`), and the
//! backend those functions call.

use super::assets;
use crate::auth;
use crate::state::AppState;
use app::api::system_status::SystemStatus;
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

pub fn routes(state: AppState) -> Router {
    let options = leptos_options();
    let routes = generate_route_list(app::App);
    let backend = Backend(Arc::new(DashboardService { state }));
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
}

#[async_trait::async_trait]
impl DashboardBackend for DashboardService {
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
}

fn internal(e: &anyhow::Error) -> String {
    tracing::error!("dashboard backend: {e:#}");
    "Internal error; see the server log.".to_string()
}
