//! The retention job: at start and then every hour, deletes the recorded bodies older than
//! `retentionDays` (Settings → logging). Usage rows stay: they feed the usage charts and the
//! budgets.

use crate::state::AppState;
use std::time::Duration;

pub const INTERVAL: Duration = Duration::from_secs(3600);

/// One pass: deletes bodies older than the retention; answers how many.
pub async fn run_once(state: &AppState) -> Result<u64, sea_orm::DbErr> {
    let days = i64::from(state.usage().logging().get().retention_days);
    let before = super::now_ms() - days * 86_400_000;
    crate::store::usage::delete_bodies_before(state.db(), before).await
}

pub fn spawn(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(INTERVAL);
        loop {
            every.tick().await;
            match run_once(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("removed {n} recorded request bodies past their retention"),
                Err(e) => tracing::warn!("removing old request bodies failed: {e}"),
            }
        }
    });
}
