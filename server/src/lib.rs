//! The `omniroute` server: the dashboard (SSR + hydration), the management API and, as the
//! features land, the /v1 gateway, MCP and A2A, all on one port.
//!
//! - `cli`, `config`, `logging`: start-up.
//! - `store/`: the only module that talks to sea-orm (SQLite in DATA_DIR).
//! - `auth/`: the dashboard password, lockout.
//! - `http/`: one module per surface (health, auth endpoints, dashboard, static assets).
//! - `jobs`: background work.
//! - the engine lives in the `gateway` crate (server/gateway), which knows no HTTP framework.

pub mod a2a;
pub mod accounts;
pub mod ai_settings;
pub mod auth;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod http;
pub mod jobs;
pub mod logging;
pub mod mcp;
pub mod outbound;
pub mod resilience;
pub mod routing;
pub mod snapshot;
pub mod state;
pub mod store;
pub mod sysinfo;
pub mod traffic;
pub mod translation_monitor;
pub mod usage;

use anyhow::Context;
use config::Config;
use state::AppState;
use std::net::SocketAddr;

/// Starts everything and serves until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let db_path = config.db_path();
    let db = store::open(&db_path).await?;
    auth::ensure_admin_password(&db, &config).await?;

    let addr = SocketAddr::new(config.host, config.port);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!(
            "cannot listen on {addr}: is another OmniRoute (or another program) using port {}? Choose another port with --port or PORT",
            config.port
        )
    })?;
    let local = listener.local_addr().context("reading the bound address")?;

    // Signal handlers are installed before the server says it listens: a SIGTERM that follows
    // the "listening" line is always a graceful stop.
    let shutdown = shutdown_signal()?;
    let state = load_state(config, db, started).await?;
    log_client_api_policy(state.config());
    jobs::spawn(&state);
    let app = http::router(state.clone());

    tracing::info!(
        "data directory {}, database {}",
        state.config().data_dir.display(),
        db_path.display()
    );
    tracing::info!("listening on http://{local}");
    tracing::info!("ready in {} ms", started.elapsed().as_millis());

    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    // Every response (streams included) has ended: write the queued usage rows, then stop.
    state.usage().shutdown().await;
    served.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

/// The shared state with everything the request path reads loaded (routing snapshot, keys,
/// combos, settings, prices and budgets) and the usage writer running. The HTTP server and
/// `omniroute --mcp` (stdio) both start from it.
pub async fn load_state(
    config: Config,
    db: sea_orm::DatabaseConnection,
    started: std::time::Instant,
) -> anyhow::Result<AppState> {
    let state = AppState::new(config, db, started)?;
    state.set_snapshot(store::providers::load_snapshot(state.db(), state.config()).await?);
    state.reload_keys().await.context("loading API keys")?;
    state.combos().set(
        store::combos::load_set(state.db())
            .await
            .context("loading combos")?,
    );
    state
        .accounts()
        .set_settings(http::system::routing::load(state.db()).await);
    state
        .resilience()
        .set_settings(http::system::resilience::load(state.db()).await);
    state
        .traffic()
        .cache
        .set_settings(http::system::traffic::load(state.db()).await);
    http::settings::load(&state).await;
    state.routing().load(state.db()).await;
    state.usage().load(state.db()).await?;
    state
        .outbound()
        .load(
            state.db(),
            &crate::crypto::SecretBox::new(&state.config().storage_encryption_key),
        )
        .await;
    state.usage().start_writer(state.db().clone());
    Ok(state)
}

/// Says at start whether /v1 needs a key, and why.
fn log_client_api_policy(config: &Config) {
    match (config.require_api_key, config.listens_beyond_loopback()) {
        (Some(true), _) => tracing::info!("/v1 requires an API key (REQUIRE_API_KEY=true)"),
        (None, true) => tracing::info!(
            "listening beyond loopback on {}: /v1 requires an API key (set REQUIRE_API_KEY=false to open it)",
            config.host
        ),
        (None, false) => tracing::info!(
            "listening on loopback only: /v1 accepts requests without an API key (REQUIRE_API_KEY=true to require one)"
        ),
        (Some(false), true) => tracing::warn!(
            "REQUIRE_API_KEY=false while listening beyond loopback on {}: anyone who can reach this port can spend your provider credits",
            config.host
        ),
        (Some(false), false) => tracing::info!("/v1 accepts requests without an API key (REQUIRE_API_KEY=false)"),
    }
}

fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
        let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
            tracing::info!("shutting down");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
    }
}
