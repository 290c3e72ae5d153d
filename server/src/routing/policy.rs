//! The routing settings the request path reads (auto-routing weights and blacklist, aliases,
//! fallback chains, blocked providers, wait-for-cooldown), kept in one in-memory cell that a
//! management change swaps whole; and [`Routing`], what `AppState` holds for all of routing
//! beyond the combos: that cell, the per-model lockouts and the decision log.
//!
//! Stored as JSON in `key_value` (namespace `settings`), loaded at start, applied on PUT.

use super::aliases::AliasTable;
use super::decisions::DecisionLog;
use super::lockout::Lockouts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

/// What each factor weighs in an auto-routing score (relative; 0 turns a factor off).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Weights {
    pub latency: f64,
    pub cost: f64,
    pub success_rate: f64,
    pub context_fit: f64,
    pub task_fit: f64,
    pub recent_failures: f64,
    pub quota: f64,
    pub breaker: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            latency: 1.0,
            cost: 1.0,
            success_rate: 1.5,
            context_fit: 0.5,
            task_fit: 1.0,
            recent_failures: 1.0,
            quota: 1.0,
            breaker: 1.0,
        }
    }
}

impl Weights {
    pub const FIELDS: [&'static str; 8] = [
        "latency",
        "cost",
        "successRate",
        "contextFit",
        "taskFit",
        "recentFailures",
        "quota",
        "breaker",
    ];

    pub fn get_mut(&mut self, field: &str) -> Option<&mut f64> {
        Some(match field {
            "latency" => &mut self.latency,
            "cost" => &mut self.cost,
            "successRate" => &mut self.success_rate,
            "contextFit" => &mut self.context_fit,
            "taskFit" => &mut self.task_fit,
            "recentFailures" => &mut self.recent_failures,
            "quota" => &mut self.quota,
            "breaker" => &mut self.breaker,
            _ => return None,
        })
    }
}

/// `GET/PUT /api/settings/auto-routing`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AutoSettings {
    pub weights: Weights,
    /// Providers (ids) auto-routing never picks; combos and explicit models still reach them.
    pub blacklist: Vec<String>,
    /// Candidates scored in full per request, after a cheap prefilter (bounds the work
    /// however many accounts and models exist).
    pub pool_size: usize,
    /// Share of requests (0-1) whose winner is drawn at random among the best three, so
    /// that models without recent data get measured. Seeded by `OMNIROUTE_ROUTING_SEED`.
    pub exploration: f64,
}

impl Default for AutoSettings {
    fn default() -> Self {
        AutoSettings {
            weights: Weights::default(),
            blacklist: Vec::new(),
            pool_size: 16,
            exploration: 0.0,
        }
    }
}

pub const MAX_POOL: usize = 256;

/// `GET/PUT /api/settings/wait-for-cooldown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WaitSettings {
    pub enabled: bool,
    /// Waits only when the earliest recovery is at most this far away.
    pub max_wait_secs: u64,
}

impl Default for WaitSettings {
    fn default() -> Self {
        WaitSettings {
            enabled: false,
            max_wait_secs: 10,
        }
    }
}

pub const MAX_WAIT_SECS: u64 = 120;

/// Everything above, as the request path reads it.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub auto: AutoSettings,
    pub aliases: AliasTable,
    /// `{"<model or combo>": ["fallback 1", "fallback 2"]}`.
    pub chains: BTreeMap<String, Vec<String>>,
    /// Provider ids never routed to.
    pub blocked: Vec<String>,
    pub wait: WaitSettings,
}

impl Policy {
    pub fn is_blocked(&self, provider: &str) -> bool {
        self.blocked.iter().any(|b| b == provider)
    }
}

/// Settings keys in `key_value` (namespace `settings`).
pub const KV_NAMESPACE: &str = "settings";
pub const KEY_AUTO: &str = "auto-routing";
pub const KEY_ALIASES: &str = "aliases";
pub const KEY_CHAINS: &str = "fallback-chains";
pub const KEY_BLOCKING: &str = "provider-blocking";
pub const KEY_WAIT: &str = "wait-for-cooldown";

/// Routing state beyond the combos (which live in `ComboCell`).
#[derive(Default)]
pub struct Routing {
    policy: RwLock<Arc<Policy>>,
    lockouts: Lockouts,
    decisions: DecisionLog,
}

impl Routing {
    pub fn policy(&self) -> Arc<Policy> {
        self.policy
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Changes the policy (copy, edit, swap).
    pub fn update(&self, edit: impl FnOnce(&mut Policy)) {
        let mut guard = self.policy.write().unwrap_or_else(|p| p.into_inner());
        let mut next = Policy::clone(&guard);
        edit(&mut next);
        *guard = Arc::new(next);
    }

    pub fn lockouts(&self) -> &Lockouts {
        &self.lockouts
    }

    pub fn decisions(&self) -> &DecisionLog {
        &self.decisions
    }

    /// Loads every routing setting from the database (at start).
    pub async fn load(&self, db: &sea_orm::DatabaseConnection) {
        use crate::store::kv::get_json;
        let auto: Option<AutoSettings> = get_json(db, KV_NAMESPACE, KEY_AUTO).await;
        let aliases: Option<Vec<super::aliases::Alias>> =
            get_json(db, KV_NAMESPACE, KEY_ALIASES).await;
        let chains: Option<BTreeMap<String, Vec<String>>> =
            get_json(db, KV_NAMESPACE, KEY_CHAINS).await;
        let blocked: Option<Blocking> = get_json(db, KV_NAMESPACE, KEY_BLOCKING).await;
        let wait: Option<WaitSettings> = get_json(db, KV_NAMESPACE, KEY_WAIT).await;
        self.update(|p| {
            p.auto = auto.unwrap_or_default();
            p.aliases = AliasTable::new(aliases.unwrap_or_default());
            p.chains = chains.unwrap_or_default();
            p.blocked = blocked.unwrap_or_default().blocked;
            p.wait = wait.unwrap_or_default();
        });
    }
}

/// `GET/PUT /api/settings/provider-blocking`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Blocking {
    pub blocked: Vec<String>,
}
