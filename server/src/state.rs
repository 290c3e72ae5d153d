//! Shared server state, cheap to clone.

use crate::auth::lockout::Lockout;
use crate::config::Config;
use crate::store::sessions::SqliteSessionStore;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    db: DatabaseConnection,
    sessions: SqliteSessionStore,
    lockout: Lockout,
    started: Instant,
}

impl AppState {
    pub fn new(config: Config, db: DatabaseConnection, started: Instant) -> Self {
        let sessions = SqliteSessionStore::new(db.clone());
        Self(Arc::new(Inner {
            config,
            db,
            sessions,
            lockout: Lockout::default(),
            started,
        }))
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
    pub fn uptime_secs(&self) -> u64 {
        self.0.started.elapsed().as_secs()
    }
}
