use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The Health page's Provider Health and Rate Limits cards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResilienceState {
    pub breakers: Vec<BreakerRow>,
    pub cooldowns: Vec<CooldownRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakerRow {
    pub provider: String,
    /// CLOSED, OPEN or HALF_OPEN.
    pub state: String,
    pub consecutive_faults: u32,
    pub retry_in_secs: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CooldownRow {
    pub connection: String,
    pub provider: String,
    pub remaining_secs: u64,
    pub reason: String,
}

#[server(prefix = "/api/sf", endpoint = "resilience_state")]
pub async fn get_resilience_state() -> Result<ResilienceState, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .resilience_state()
        .await
        .map_err(ServerFnError::new)
}

/// Closes every breaker and ends every cooldown.
#[server(prefix = "/api/sf", endpoint = "reset_resilience")]
pub async fn reset_resilience() -> Result<(), ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .reset_resilience()
        .await
        .map_err(ServerFnError::new)
}
