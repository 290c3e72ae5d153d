//! Combos: named, ordered lists of models (or of other combos) with a balancing strategy.
//! Pure logic, no HTTP and no database: the store loads [`Combo`]s, the management API edits
//! them, and the /v1 proxy asks [`plan`] which targets to try, in which order.
//!
//! - `strategy`: how each strategy orders a combo's steps.
//! - `runtime`: what strategies remember between requests (rotation, bags, usage, health,
//!   last known good per session), in memory and bounded.
//! - `facts`: the price and context-length lookups that cost- and context-optimized use.
//!
//! Calling it from the proxy:
//!
//! ```ignore
//! let cell = state.combos();
//! if cell.get().contains(model) {
//!     let facts = RegistryFacts::new(&snapshot.nodes);
//!     let targets = cell.plan(model, session, &facts)?;   // PlanError → 400/500
//!     for target in targets {
//!         let _busy = cell.runtime().begin(&target.model); // counts in-flight until dropped
//!         // ... try target.model (pinned to target.connection_id when set) ...
//!         cell.runtime().record_target(&target, session, ok, latency_ms);
//!     }
//! }
//! ```

pub mod aliases;
pub mod auto;
pub mod classify;
pub mod decisions;
mod facts;
pub mod lockout;
pub mod policy;
pub mod relay;
pub mod route;
mod runtime;
mod strategy;
#[cfg(test)]
mod tests;

pub use facts::{FnFacts, ModelFacts, NoFacts, RegistryFacts};
pub use runtime::{ComboRuntime, InFlight, HEALTH_CAPACITY, LKGP_CAPACITY};

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

/// How deep combos may nest: a combo, a combo it names, and one more level.
pub const MAX_DEPTH: usize = 3;

/// How a combo orders its steps for each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// In order; the next only when the one before fails.
    Priority,
    /// A random first step, proportional to the step weights.
    Weighted,
    /// Rotates; each step serves `sticky_limit` requests (default 1) before the next.
    RoundRobin,
    /// A fresh shuffle per request.
    Random,
    /// Each step once per shuffled cycle before any repeats.
    StrictRandom,
    /// The step routed to the fewest times first.
    LeastUsed,
    /// The cheapest model first (unknown prices last).
    CostOptimized,
    /// In order: the first step takes everything until it fails or runs out of quota.
    FillFirst,
    /// Two random steps; the healthier one (recent failures, then in-flight) first.
    P2c,
    /// The last step that succeeded for this session first, else priority.
    Lkgp,
    /// The largest context window first (unknown last).
    ContextOptimized,
    /// In order, like priority; when a target runs out of quota the next one is handed a
    /// compact summary of the conversation (see `relay`).
    ContextRelay,
    /// The steps ranked by the auto-routing scorer (see `auto`).
    Auto,
}

impl Strategy {
    pub const ALL: [Strategy; 13] = [
        Strategy::Priority,
        Strategy::Weighted,
        Strategy::RoundRobin,
        Strategy::Random,
        Strategy::StrictRandom,
        Strategy::LeastUsed,
        Strategy::CostOptimized,
        Strategy::FillFirst,
        Strategy::P2c,
        Strategy::Lkgp,
        Strategy::ContextOptimized,
        Strategy::ContextRelay,
        Strategy::Auto,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Priority => "priority",
            Strategy::Weighted => "weighted",
            Strategy::RoundRobin => "round-robin",
            Strategy::Random => "random",
            Strategy::StrictRandom => "strict-random",
            Strategy::LeastUsed => "least-used",
            Strategy::CostOptimized => "cost-optimized",
            Strategy::FillFirst => "fill-first",
            Strategy::P2c => "p2c",
            Strategy::Lkgp => "lkgp",
            Strategy::ContextOptimized => "context-optimized",
            Strategy::ContextRelay => "context-relay",
            Strategy::Auto => "auto",
        }
    }

    /// The strategy named `name` (exact, lower case), if this version implements it.
    pub fn parse(name: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Every accepted name, comma-separated (for error messages).
    pub fn names() -> String {
        Strategy::ALL.map(Strategy::as_str).join(", ")
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a combo: a model string (`provider/model`) or the name of another combo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub model: String,
    /// For `weighted`: 0-100. Without any positive weight in a combo, steps weigh the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Pins the step to one provider connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

impl Step {
    pub fn model(model: impl Into<String>) -> Step {
        Step {
            model: model.into(),
            weight: None,
            connection_id: None,
        }
    }
}

/// Per-combo settings. The proxy reads `max_retries` (targets tried after the first) and
/// `timeout_ms` (a cap on each attempt's header and first-output timeouts); the engine reads
/// `max_concurrency_per_model` and `sticky_limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComboConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// A model with this many requests in flight moves behind the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrency_per_model: Option<u32>,
    /// Round-robin: requests served by one step before rotating (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticky_limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Combo {
    pub id: String,
    pub name: String,
    pub strategy: Strategy,
    pub steps: Vec<Step>,
    pub config: ComboConfig,
    pub sort_order: i64,
}

/// The combos the request path sees: active ones by name (case-sensitive), in display order.
#[derive(Debug, Default, Clone)]
pub struct ComboSet {
    combos: Vec<Combo>,
    by_name: HashMap<String, usize>,
    /// Names of inactive combos: a step naming one is skipped, not sent upstream as a model.
    inactive: HashSet<String>,
}

impl ComboSet {
    /// Active combos; `inactive` names the disabled ones.
    pub fn new(mut combos: Vec<Combo>, inactive: impl IntoIterator<Item = String>) -> ComboSet {
        combos.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then(a.name.cmp(&b.name)));
        let by_name = combos
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        ComboSet {
            combos,
            by_name,
            inactive: inactive.into_iter().collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Combo> {
        self.by_name.get(name).map(|&i| &self.combos[i])
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    pub fn is_inactive(&self, name: &str) -> bool {
        self.inactive.contains(name)
    }

    /// Active combos in display order (for model lists).
    pub fn iter(&self) -> impl Iterator<Item = &Combo> {
        self.combos.iter()
    }

    pub fn len(&self) -> usize {
        self.combos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.combos.is_empty()
    }

    /// Checks that every combo expands: no cycles, no nesting deeper than [`MAX_DEPTH`].
    /// Structure only; strategies and runtime state are not involved.
    pub fn check(&self) -> Result<(), PlanError> {
        for combo in &self.combos {
            self.check_one(&combo.name, &mut Vec::new())?;
        }
        Ok(())
    }

    fn check_one(&self, name: &str, stack: &mut Vec<String>) -> Result<(), PlanError> {
        let combo = self.enter(name, stack)?;
        for step in &combo.steps {
            if self.contains(&step.model) {
                self.check_one(&step.model, stack)?;
            }
        }
        stack.pop();
        Ok(())
    }

    /// Pushes `name` on the expansion stack after the cycle and depth checks.
    fn enter(&self, name: &str, stack: &mut Vec<String>) -> Result<&Combo, PlanError> {
        if let Some(pos) = stack.iter().position(|n| n == name) {
            let mut cycle = stack[pos..].to_vec();
            cycle.push(name.to_string());
            return Err(PlanError::Cycle(cycle));
        }
        let combo = self
            .get(name)
            .ok_or_else(|| PlanError::UnknownCombo(name.to_string()))?;
        if stack.len() >= MAX_DEPTH {
            let mut path = stack.clone();
            path.push(name.to_string());
            return Err(PlanError::TooDeep(path));
        }
        stack.push(name.to_string());
        Ok(combo)
    }
}

/// Why a combo cannot be planned. Messages are meant for API clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no active combo named {0:?}")]
    UnknownCombo(String),
    #[error("combos refer to each other in a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
    #[error("combos nest deeper than {MAX_DEPTH} levels: {}", .0.join(" → "))]
    TooDeep(Vec<String>),
    #[error("combo {0:?} has no usable step (its nested combos are inactive or empty)")]
    Empty(String),
}

/// Where a target came from: the step `step` of combo `combo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRef {
    pub combo: String,
    pub step: String,
}

/// One target to try: a model string for the provider resolver, maybe pinned to a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedTarget {
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The combo steps that led here, outermost first (one entry unless combos nest).
    pub via: Vec<StepRef>,
}

/// What a plan may depend on besides the combos.
pub struct RoutingInputs<'a> {
    pub runtime: &'a ComboRuntime,
    /// Sticky-session key (`X-Session-Id`), for `lkgp`; without one, lkgp is per combo.
    pub session: Option<&'a str>,
    pub facts: &'a dyn ModelFacts,
    /// `true` for a real request: rotations advance, bags are drawn from, usage is counted.
    /// `false` previews the next decision and changes nothing a request would notice.
    pub commit: bool,
}

impl<'a> RoutingInputs<'a> {
    /// A real routing decision.
    pub fn request(
        runtime: &'a ComboRuntime,
        session: Option<&'a str>,
        facts: &'a dyn ModelFacts,
    ) -> Self {
        RoutingInputs {
            runtime,
            session,
            facts,
            commit: true,
        }
    }

    /// A preview of the next decision (for the dashboard and debugging).
    pub fn preview(
        runtime: &'a ComboRuntime,
        session: Option<&'a str>,
        facts: &'a dyn ModelFacts,
    ) -> Self {
        RoutingInputs {
            commit: false,
            ..Self::request(runtime, session, facts)
        }
    }
}

/// The ordered targets to try for combo `name`: nested combos expanded in place (each with
/// its own strategy), duplicates (same model and connection) removed, first occurrence kept.
pub fn plan(
    set: &ComboSet,
    name: &str,
    inputs: &RoutingInputs<'_>,
) -> Result<Vec<PlannedTarget>, PlanError> {
    let mut state = inputs.runtime.lock();
    let targets = strategy::expand(set, name, inputs, &mut state, &mut Vec::new())?;
    drop(state);
    let mut seen: HashSet<(&str, Option<&str>)> = HashSet::with_capacity(targets.len());
    let keep: Vec<bool> = targets
        .iter()
        .map(|t| seen.insert((t.model.as_str(), t.connection_id.as_deref())))
        .collect();
    Ok(targets
        .into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect())
}

/// The live combo set (swapped whole after every change) and the runtime state of the
/// strategies. Lives in `AppState`.
pub struct ComboCell {
    set: RwLock<Arc<ComboSet>>,
    runtime: Arc<ComboRuntime>,
}

impl Default for ComboCell {
    /// OS randomness, or a fixed seed from `OMNIROUTE_ROUTING_SEED` (deterministic tests).
    fn default() -> Self {
        ComboCell::with_runtime(match seed_from_env() {
            Some(seed) => ComboRuntime::with_seed(seed),
            None => ComboRuntime::new(),
        })
    }
}

/// `OMNIROUTE_ROUTING_SEED`: seeds every routing random choice (strategies, auto-routing
/// exploration), so that a test sees the same decisions on every run.
pub fn seed_from_env() -> Option<u64> {
    std::env::var("OMNIROUTE_ROUTING_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

impl ComboCell {
    pub fn with_runtime(runtime: ComboRuntime) -> Self {
        ComboCell {
            set: RwLock::new(Arc::new(ComboSet::default())),
            runtime: Arc::new(runtime),
        }
    }

    pub fn get(&self) -> Arc<ComboSet> {
        self.set
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Installs a new set; runtime state of combos that no longer exist is dropped.
    pub fn set(&self, set: ComboSet) {
        // auto-routing variants keep their last-known-good state (they are not combos)
        self.runtime
            .retain_combos(|name| set.contains(name) || auto::Variant::parse(name).is_some());
        let mut guard = self.set.write().unwrap_or_else(|p| p.into_inner());
        *guard = Arc::new(set);
    }

    pub fn runtime(&self) -> &Arc<ComboRuntime> {
        &self.runtime
    }

    /// [`plan`] over the current set, as a real request.
    pub fn plan(
        &self,
        name: &str,
        session: Option<&str>,
        facts: &dyn ModelFacts,
    ) -> Result<Vec<PlannedTarget>, PlanError> {
        let set = self.get();
        plan(
            &set,
            name,
            &RoutingInputs::request(&self.runtime, session, facts),
        )
    }

    /// [`plan`] over the current set without changing any state.
    pub fn preview(
        &self,
        name: &str,
        session: Option<&str>,
        facts: &dyn ModelFacts,
    ) -> Result<Vec<PlannedTarget>, PlanError> {
        let set = self.get();
        plan(
            &set,
            name,
            &RoutingInputs::preview(&self.runtime, session, facts),
        )
    }
}
