//! Shared server state, cheap to clone.

use crate::accounts::Accounts;
use crate::auth::api_keys::KeyIndex;
use crate::auth::lockout::Lockout;
use crate::config::Config;
use crate::resilience::Resilience;
use crate::snapshot::{Snapshot, SnapshotCell};
use crate::store::sessions::SqliteSessionStore;
use crate::usage::UsageRecorder;
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    db: DatabaseConnection,
    sessions: SqliteSessionStore,
    lockout: Lockout,
    started: Instant,
    snapshot: SnapshotCell,
    keys: KeyIndex,
    combos: crate::routing::ComboCell,
    routing: crate::routing::policy::Routing,
    accounts: Accounts,
    resilience: Resilience,
    http: reqwest::Client,
    outbound: crate::outbound::Outbound,
    usage: UsageRecorder,
    traffic: crate::traffic::Traffic,
    ai: crate::ai_settings::AiCell,
    monitor: crate::translation_monitor::Monitor,
}

impl AppState {
    pub fn new(config: Config, db: DatabaseConnection, started: Instant) -> anyhow::Result<Self> {
        let sessions = SqliteSessionStore::new(db.clone());
        Ok(Self(Arc::new(Inner {
            config,
            db,
            sessions,
            lockout: Lockout::default(),
            started,
            snapshot: SnapshotCell::default(),
            keys: KeyIndex::default(),
            combos: crate::routing::ComboCell::default(),
            routing: crate::routing::policy::Routing::default(),
            accounts: Accounts::default(),
            resilience: Resilience::default(),
            http: http_client()?,
            outbound: crate::outbound::Outbound::default(),
            usage: UsageRecorder::new(),
            traffic: crate::traffic::Traffic::default(),
            ai: crate::ai_settings::AiCell::default(),
            monitor: crate::translation_monitor::Monitor::default(),
        })))
    }
    pub fn config(&self) -> &Config {
        &self.0.config
    }
    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }
    pub fn sessions(&self) -> &SqliteSessionStore {
        &self.0.sessions
    }
    pub fn lockout(&self) -> &Lockout {
        &self.0.lockout
    }
    /// The routing configuration the request path reads (see `snapshot`).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.0.snapshot.get()
    }
    pub fn set_snapshot(&self, snapshot: Snapshot) {
        // Account statistics of deleted connections go with them.
        self.0.accounts.retain(&snapshot.connections);
        self.0.snapshot.set(snapshot);
    }
    /// Cooldowns and circuit breakers (Settings → Resilience).
    pub fn resilience(&self) -> &Resilience {
        &self.0.resilience
    }
    /// How one provider's connections are ordered (Settings → Routing).
    pub fn accounts(&self) -> &Accounts {
        &self.0.accounts
    }
    /// Active combos and the strategies' runtime state (see `routing`).
    pub fn combos(&self) -> &crate::routing::ComboCell {
        &self.0.combos
    }
    /// Routing beyond combos: aliases, chains, auto-routing, lockouts, decisions.
    pub fn routing(&self) -> &crate::routing::policy::Routing {
        &self.0.routing
    }
    /// API keys by hash (see `auth::api_keys`).
    pub fn keys(&self) -> &KeyIndex {
        &self.0.keys
    }
    /// Re-reads the API keys after a change.
    pub async fn reload_keys(&self) -> Result<(), sea_orm::DbErr> {
        let index = crate::store::api_keys::load_index(self.db()).await?;
        self.0.keys.set(index);
        Ok(())
    }
    /// Usage recording (a non-blocking queue to one writer), prices and budgets.
    pub fn usage(&self) -> &UsageRecorder {
        &self.0.usage
    }
    /// Settings → AI and the guard of Settings → Security (see `ai_settings`).
    pub fn ai(&self) -> &crate::ai_settings::AiCell {
        &self.0.ai
    }
    /// Translator → Live Monitor (see `translation_monitor`).
    pub fn monitor(&self) -> &crate::translation_monitor::Monitor {
        &self.0.monitor
    }
    /// Response cache, idempotency, per-account pacing and latency telemetry (see `traffic`).
    pub fn traffic(&self) -> &crate::traffic::Traffic {
        &self.0.traffic
    }
    pub fn uptime_secs(&self) -> u64 {
        self.0.started.elapsed().as_secs()
    }
    /// The one HTTP client for upstream calls (pooled; clones share the pool). No total
    /// timeout: streams set per-read timeouts, admin calls a per-request one.
    pub fn http(&self) -> &reqwest::Client {
        &self.0.http
    }
    /// The client for an upstream call to `provider`: through its outbound proxy (Settings →
    /// Advanced) when one applies, else the shared one (see `outbound`).
    pub fn http_for(&self, provider: &str) -> reqwest::Client {
        self.0.outbound.client(&self.0.http, provider)
    }
    pub fn outbound(&self) -> &crate::outbound::Outbound {
        &self.0.outbound
    }
}

fn http_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(32)
        .user_agent(concat!("omniroute/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client for upstream calls")
}
