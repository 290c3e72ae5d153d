//! What the strategies remember between requests, in memory: round-robin cursors, strict-random
//! bags, usage counts, model health (recent failures, latency, in-flight) and the last known
//! good step per session. Every map is bounded; nothing here survives a restart.
//!
//! One mutex guards it all: a plan takes it once, for a few microseconds, and no lock is ever
//! held across an await or taken twice.

use super::PlannedTarget;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Sessions remembered for `lkgp` (least recently updated forgotten first).
pub const LKGP_CAPACITY: usize = 10_000;
/// Models whose health is tracked (models with requests in flight are never forgotten).
pub const HEALTH_CAPACITY: usize = 4_096;
/// Outcomes kept per model for the failure rate.
const WINDOW: u32 = 32;
/// Weight of the newest latency in the moving average.
const LATENCY_ALPHA: f64 = 0.2;

pub struct ComboRuntime {
    state: Mutex<State>,
}

pub(super) struct State {
    pub rng: StdRng,
    pub combos: HashMap<String, ComboState>,
    pub health: HashMap<String, Health>,
    /// (combo, session or "") → the step model that last succeeded.
    pub lkgp: HashMap<(String, String), (String, u64)>,
    tick: u64,
}

#[derive(Default)]
pub(super) struct ComboState {
    pub rr_cursor: usize,
    /// Requests the step at the cursor has served since it became current.
    pub rr_used: u32,
    /// Strict-random: step positions still to draw this cycle (drawn from the end).
    pub bag: Vec<usize>,
    /// Requests routed to each step (by step model), for least-used.
    pub usage: HashMap<String, u64>,
}

#[derive(Default, Clone, Copy)]
pub(super) struct Health {
    /// Bit i set: the i-th most recent outcome was a failure.
    outcomes: u32,
    samples: u32,
    latency_ms: Option<f64>,
    pub in_flight: u32,
    tick: u64,
}

impl Health {
    pub fn failure_rate(&self) -> f64 {
        if self.samples == 0 {
            return 0.0;
        }
        let mask = if self.samples >= 32 {
            u32::MAX
        } else {
            (1u32 << self.samples) - 1
        };
        f64::from((self.outcomes & mask).count_ones()) / f64::from(self.samples)
    }

    pub fn latency_ms(&self) -> f64 {
        self.latency_ms.unwrap_or(0.0)
    }

    /// The moving average of successful attempts' latency, when there was one.
    pub fn known_latency_ms(&self) -> Option<f64> {
        self.latency_ms
    }

    /// Outcomes recorded (at most 32).
    pub fn samples(&self) -> u32 {
        self.samples
    }

    /// Failures among the `n` most recent outcomes (n ≤ 32).
    pub fn recent_failures(&self, n: u32) -> u32 {
        let n = n.min(self.samples).min(32);
        if n == 0 {
            return 0;
        }
        let mask = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        (self.outcomes & mask).count_ones()
    }
}

impl State {
    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    pub fn health_of(&self, model: &str) -> Health {
        self.health.get(model).copied().unwrap_or_default()
    }

    fn health_mut(&mut self, model: &str) -> &mut Health {
        let tick = self.next_tick();
        if !self.health.contains_key(model) && self.health.len() >= HEALTH_CAPACITY {
            evict_oldest(&mut self.health, HEALTH_CAPACITY, |h| {
                (h.in_flight == 0).then_some(h.tick)
            });
        }
        let health = self.health.entry(model.to_string()).or_default();
        health.tick = tick;
        health
    }

    fn set_lkgp(&mut self, combo: &str, session: Option<&str>, step: &str) {
        let tick = self.next_tick();
        let key = (combo.to_string(), session.unwrap_or_default().to_string());
        if !self.lkgp.contains_key(&key) && self.lkgp.len() >= LKGP_CAPACITY {
            evict_oldest(&mut self.lkgp, LKGP_CAPACITY, |(_, t)| Some(*t));
        }
        self.lkgp.insert(key, (step.to_string(), tick));
    }

    pub fn lkgp_of(&self, combo: &str, session: Option<&str>) -> Option<&str> {
        self.lkgp
            .get(&(combo.to_string(), session.unwrap_or_default().to_string()))
            .map(|(step, _)| step.as_str())
    }
}

/// Forgets the least recently touched tenth of a full map at once, so that a stream of new
/// keys costs one scan per `capacity / 10` inserts, not one per insert. `age` is `None` for
/// entries that must stay.
fn evict_oldest<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    capacity: usize,
    age: impl Fn(&V) -> Option<u64>,
) {
    let mut ages: Vec<(u64, K)> = map
        .iter()
        .filter_map(|(k, v)| age(v).map(|t| (t, k.clone())))
        .collect();
    let excess = (map.len() + 1).saturating_sub(capacity - capacity / 10);
    let excess = excess.min(ages.len());
    if excess == 0 {
        return;
    }
    ages.select_nth_unstable_by_key(excess - 1, |(t, _)| *t);
    for (_, key) in ages.into_iter().take(excess) {
        map.remove(&key);
    }
}

impl Default for ComboRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl ComboRuntime {
    /// Randomness from the operating system.
    pub fn new() -> Self {
        Self::from_rng(StdRng::from_rng(&mut rand::rng()))
    }

    /// Deterministic randomness, for tests.
    pub fn with_seed(seed: u64) -> Self {
        Self::from_rng(StdRng::seed_from_u64(seed))
    }

    fn from_rng(rng: StdRng) -> Self {
        ComboRuntime {
            state: Mutex::new(State {
                rng,
                combos: HashMap::new(),
                health: HashMap::new(),
                lkgp: HashMap::new(),
                tick: 0,
            }),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a request in flight to `model` until the guard is dropped (p2c and
    /// `maxConcurrencyPerModel` read it). Hold it for the whole attempt, stream included.
    pub fn begin(self: &Arc<Self>, model: &str) -> InFlight {
        self.lock().health_mut(model).in_flight += 1;
        InFlight {
            runtime: Arc::clone(self),
            model: model.to_string(),
        }
    }

    /// The outcome of one attempt at step `step_model` of `combo`: updates the model's
    /// recent failure rate and latency, and on success the last known good step of
    /// (`combo`, `session`). `ok` is whether the target answered usably.
    pub fn record_result(
        &self,
        combo: &str,
        step_model: &str,
        session: Option<&str>,
        ok: bool,
        latency_ms: u64,
    ) {
        let mut state = self.lock();
        record_health(state.health_mut(step_model), ok, latency_ms);
        if ok {
            state.set_lkgp(combo, session, step_model);
        }
    }

    /// [`record_result`](Self::record_result) for a planned target: the health of its model,
    /// and on success the last known good step of every combo it came through.
    pub fn record_target(
        &self,
        target: &PlannedTarget,
        session: Option<&str>,
        ok: bool,
        latency_ms: u64,
    ) {
        let mut state = self.lock();
        record_health(state.health_mut(&target.model), ok, latency_ms);
        if ok {
            for link in &target.via {
                state.set_lkgp(&link.combo, session, &link.step);
            }
        }
    }

    /// Requests in flight to `model`.
    pub fn in_flight(&self, model: &str) -> u32 {
        self.lock().health_of(model).in_flight
    }

    /// Share of failures among the last 32 recorded outcomes of `model` (None: none yet).
    pub fn failure_rate(&self, model: &str) -> Option<f64> {
        let state = self.lock();
        state
            .health
            .get(model)
            .filter(|h| h.samples > 0)
            .map(Health::failure_rate)
    }

    /// Requests routed first to step `step_model` of `combo` (what least-used balances).
    pub fn usage(&self, combo: &str, step_model: &str) -> u64 {
        let state = self.lock();
        state
            .combos
            .get(combo)
            .and_then(|c| c.usage.get(step_model))
            .copied()
            .unwrap_or(0)
    }

    /// The step of `combo` that last succeeded for `session` (or for the combo as a whole).
    pub fn last_known_good(&self, combo: &str, session: Option<&str>) -> Option<String> {
        self.lock().lkgp_of(combo, session).map(str::to_string)
    }

    /// Sessions remembered for lkgp.
    pub fn lkgp_len(&self) -> usize {
        self.lock().lkgp.len()
    }

    /// Forgets the state of combos for which `keep` is false (deleted or renamed).
    pub fn retain_combos(&self, keep: impl Fn(&str) -> bool) {
        let mut state = self.lock();
        state.combos.retain(|name, _| keep(name));
        state.lkgp.retain(|(combo, _), _| keep(combo));
    }
}

fn record_health(health: &mut Health, ok: bool, latency_ms: u64) {
    health.outcomes = (health.outcomes << 1) | u32::from(!ok);
    health.samples = (health.samples + 1).min(WINDOW);
    if ok {
        let latency = latency_ms as f64;
        health.latency_ms = Some(match health.latency_ms {
            Some(avg) => avg + LATENCY_ALPHA * (latency - avg),
            None => latency,
        });
    }
}

/// A request in flight; see [`ComboRuntime::begin`].
pub struct InFlight {
    runtime: Arc<ComboRuntime>,
    model: String,
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InFlight")
            .field("model", &self.model)
            .finish()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.runtime.lock();
        if let Some(h) = state.health.get_mut(&self.model) {
            h.in_flight = h.in_flight.saturating_sub(1);
        }
    }
}
