//! `omniroute --mcp`: the MCP server over stdio for IDE plugins that start it themselves
//! (Claude Desktop). The protocol uses stdout; every log line goes to stderr.
//!
//! It opens DATA_DIR's database and loads the same state as the HTTP server (a second process
//! beside a running server is fine: SQLite in WAL mode). The caller is the API key given with
//! `--api-key` or OMNIROUTE_API_KEY, with its scopes; without a key it is the local operator
//! who started the process (and can read the database anyway): every tool. The MCP switch of
//! the dashboard concerns the HTTP transports only.
//!
//! Note: keys, providers and combos changed through this process are written to the database
//! at once, but a separately running HTTP server reads them at its next start or change.

use super::scopes::McpCaller;
use super::server::McpServer;
use crate::auth::api_keys;
use crate::config::Config;
use crate::http::system::SystemState;
use anyhow::Context;
use rmcp::ServiceExt;

pub const API_KEY_ENV: &str = "OMNIROUTE_API_KEY";

pub async fn serve(config: Config, api_key: Option<String>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let db = crate::store::open(&config.db_path()).await?;
    let state = crate::load_state(config, db, started).await?;
    let api_key = api_key
        .or_else(|| std::env::var(API_KEY_ENV).ok())
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let caller = match api_key {
        Some(key) => {
            let hash = api_keys::hash(&state.config().api_key_secret, &key);
            let info = state.keys().lookup(&hash).context(
                "the API key given with --api-key or OMNIROUTE_API_KEY is not a key of this data directory",
            )?;
            if let Some(why) = info.unusable(crate::store::now_unix()) {
                anyhow::bail!("the API key {:?} cannot be used: {why}", info.name);
            }
            McpCaller::with_key(info)
        }
        None => {
            tracing::warn!(
                "MCP over stdio without an API key: every tool is available (set {API_KEY_ENV} or --api-key to limit it to a key's scopes)"
            );
            McpCaller::local_operator()
        }
    };
    let system = SystemState::new(state.clone());
    tracing::info!(
        "MCP server on stdio for {}, data directory {}",
        caller.describe(),
        state.config().data_dir.display()
    );
    let server = McpServer::for_caller(system.clone(), caller, "stdio");
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .context("the MCP client did not complete the initialize handshake on stdin")?;
    let reason = running.waiting().await;
    tracing::info!("MCP over stdio ended ({reason:?})");
    super::hub(&system).audit(state.db()).flush().await;
    state.usage().shutdown().await;
    Ok(())
}
