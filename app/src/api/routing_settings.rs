use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → Routing: how one provider's connections are ordered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingSettings {
    /// `fill-first`, `round-robin`, `p2c`, `random`, `least-used`, `cost-optimized`.
    pub account_strategy: String,
    /// Round-robin: requests on one account before moving on.
    pub sticky_limit: u32,
}

pub const ACCOUNT_STRATEGIES: [(&str, &str, &str); 6] = [
    (
        "fill-first",
        "Fill first",
        "The first account (by priority) takes everything until it fails.",
    ),
    (
        "round-robin",
        "Round robin",
        "Rotate through the accounts, a few requests each (the sticky limit).",
    ),
    (
        "p2c",
        "Power of two choices",
        "Of two random accounts, the healthier goes first.",
    ),
    (
        "random",
        "Random",
        "A fresh random order for every request.",
    ),
    (
        "least-used",
        "Least used",
        "The account used longest ago goes first.",
    ),
    (
        "cost-optimized",
        "Cost optimized",
        "The lowest priority value (your cheapest account) first.",
    ),
];

#[server(prefix = "/api/sf", endpoint = "routing_settings")]
pub async fn get_routing_settings() -> Result<RoutingSettings, ServerFnError> {
    let backend = super::backend()?;
    backend
        .0
        .routing_settings()
        .await
        .map_err(ServerFnError::new)
}

#[server(prefix = "/api/sf", endpoint = "save_routing_settings")]
pub async fn save_routing_settings(
    account_strategy: String,
    sticky_limit: String,
) -> Result<RoutingSettings, ServerFnError> {
    let sticky: u32 = sticky_limit.trim().parse().map_err(|_| {
        ServerFnError::new("The sticky limit must be a whole number from 1 to 1000.")
    })?;
    let backend = super::backend()?;
    backend
        .0
        .save_routing_settings(RoutingSettings {
            account_strategy,
            sticky_limit: sticky,
        })
        .await
        .map_err(ServerFnError::new)
}
