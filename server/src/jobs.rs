//! Background work. For now: removing expired dashboard sessions every hour.

use crate::state::AppState;
use std::time::Duration;

pub fn spawn(state: &AppState) {
    crate::usage::retention::spawn(state);
    let sessions = state.sessions().clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match sessions.delete_expired().await {
                Ok(0) => {}
                Ok(n) => tracing::debug!("removed {n} expired sessions"),
                Err(e) => tracing::warn!("removing expired sessions failed: {e}"),
            }
        }
    });
}
