//! One request's route: what the /v1 proxy tries, in which order, and what it learns on the
//! way. The proxy calls [`build`] once, then for each attempt [`Route::skip`],
//! [`Route::relay_body`], and [`Route::failed`] or [`Route::succeeded`], and finally
//! [`Route::finish`] on the response.
//!
//! [`build`] applies, in order: aliases (a combo or `auto` name is never aliased), the combo
//! plan or the auto-routing plan, the fallback chain of the model, provider blocking, then the
//! resting checks (breaker, account cooldown, per-model lockout), waiting for the earliest
//! recovery when wait-for-cooldown allows it.

use super::auto::{self, Variant};
use super::classify::{self, ErrorClass};
use super::decisions::{AttemptRecord, Candidate, Decision, Winner};
use super::lockout::DEFAULT_LOCKOUT;
use super::policy::Policy;
use super::{PlannedTarget, RegistryFacts, Strategy};
use crate::snapshot::{Connection, Snapshot};
use crate::state::AppState;
use axum::http::HeaderValue;
use gateway::providers::{
    parse_model_string, AuthStyle, Registry, Resolution, ResolveError, ResolvedModel,
};
use gateway::Format;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The response header naming the decision record.
pub const DECISION_HEADER: &str = "x-omniroute-decision-id";
/// Fallback-chain entries tried at most.
pub const MAX_CHAIN: usize = 10;

/// Why a request is answered without any attempt. `status` is an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl Refusal {
    fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
            retry_after: None,
        }
    }
}

/// A model string resolved to a provider, with where it came from.
pub struct Target<'a> {
    pub resolved: ResolvedModel<'a>,
    /// Pinned to one connection (a combo step's `connectionId`).
    pub pinned: Option<String>,
    /// Index into [`Route::planned`].
    pub planned: usize,
    /// The model's context window, when known.
    pub context: Option<u64>,
    pub chain: bool,
}

/// One (target, account) pair to try.
#[derive(Clone, Copy)]
pub struct Attempt<'a> {
    /// Index into [`Route::targets`].
    pub target: usize,
    pub connection: Option<&'a Connection>,
}

pub struct Route<'a> {
    /// The model after aliases.
    pub routed: String,
    /// The combo (or auto variant) the request went through, for usage rows.
    pub combo: Option<String>,
    /// The combo's own settings (retries, timeout); defaults outside a combo.
    pub config: crate::routing::ComboConfig,
    /// Every planned model string (the proxy records strategy health per entry).
    pub planned: Vec<PlannedTarget>,
    pub targets: Vec<Target<'a>>,
    pub attempts: Vec<Attempt<'a>>,
    relay: bool,
    relayed: bool,
    relay_from: Option<String>,
    /// After a context-length error: only targets known to have a larger window go on.
    needs_context_above: Option<u64>,
    context_failed: Vec<String>,
    decision: Option<Decision>,
    started: Instant,
}

/// What the proxy should do with the account after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    /// False when the model (not the account) was at fault: it is locked out instead.
    pub cool_connection: bool,
}

fn qualified(r: &ResolvedModel<'_>) -> String {
    r.qualified()
}

/// Plans the request (see the module docs). `request_id` becomes the decision id.
#[allow(clippy::too_many_arguments)]
pub async fn build<'a>(
    state: &AppState,
    snapshot: &'a Snapshot,
    requested: &str,
    session: Option<&str>,
    body_len: usize,
    request_id: &str,
) -> Result<Route<'a>, Refusal> {
    let started = Instant::now();
    let routing = state.routing();
    let policy: Arc<Policy> = routing.policy();
    let combos = state.combos();
    let set = combos.get();
    let estimated_tokens = (body_len / 4) as u64;

    // aliases
    let mut alias = None;
    let routed = if set.contains(requested) || Variant::parse(requested).is_some() {
        requested.to_string()
    } else if let Some(a) = policy.aliases.lookup(requested) {
        alias = Some(a.pattern.clone());
        a.target.clone()
    } else {
        requested.to_string()
    };

    let facts = RegistryFacts::new(&snapshot.nodes);
    let mut planned: Vec<PlannedTarget> = Vec::new();
    let mut kind: Option<&'static str> = None;
    let mut strategy = String::new();
    let mut scored: Vec<Candidate> = Vec::new();
    let mut pruned = 0;
    let mut explored = false;
    let mut relay = false;
    let mut config = crate::routing::ComboConfig::default();
    let mut plain = false;

    let auto_inputs = |variant: Variant| auto::Inputs {
        policy: &policy,
        variant,
        estimated_tokens,
        session,
        runtime: combos.runtime(),
        resilience: state.resilience(),
        lockouts: routing.lockouts(),
    };

    if let Some(combo) = set.get(&routed) {
        kind = Some("combo");
        strategy = combo.strategy.as_str().to_string();
        relay = combo.strategy == Strategy::ContextRelay;
        config = combo.config.clone();
        planned = combos
            .plan(&routed, session, &facts)
            .map_err(|e| Refusal::new(400, format!("combo {routed:?} cannot be routed: {e}")))?;
        if combo.strategy == Strategy::Auto {
            let (ordered, candidates) =
                rank_by_auto(&auto_inputs(Variant::Default), snapshot, planned, state);
            planned = ordered;
            scored = candidates;
        }
    } else if let Some(variant) = Variant::parse(&routed) {
        let variant = variant.map_err(|m| Refusal::new(400, m))?;
        kind = Some("auto");
        strategy = variant.name().to_string();
        let pool = auto::pool(snapshot, &state.usage().prices().get());
        let plan = auto::plan(&auto_inputs(variant), pool).map_err(|m| Refusal::new(400, m))?;
        planned = plan.targets;
        scored = plan.candidates;
        pruned = plan.pruned;
        explored = plan.explored;
    } else {
        plain = true;
        planned.push(PlannedTarget {
            model: routed.clone(),
            connection_id: None,
            via: Vec::new(),
        });
    }

    // the fallback chain, after everything else
    let chain_start = planned.len();
    let chain = policy
        .chains
        .get(&routed)
        .or_else(|| policy.chains.get(requested));
    if let Some(chain) = chain {
        for entry in chain.iter().take(MAX_CHAIN) {
            if entry == &routed {
                continue;
            }
            if set.contains(entry) {
                match combos.plan(entry, session, &facts) {
                    Ok(t) => planned.extend(t),
                    Err(e) => tracing::warn!("fallback chain of {routed}: {entry}: {e}"),
                }
            } else if let Some(Ok(variant)) = Variant::parse(entry) {
                let pool = auto::pool(snapshot, &state.usage().prices().get());
                match auto::plan(&auto_inputs(variant), pool) {
                    Ok(p) => planned.extend(p.targets),
                    Err(e) => tracing::warn!("fallback chain of {routed}: {entry}: {e}"),
                }
            } else {
                planned.push(PlannedTarget {
                    model: entry.clone(),
                    connection_id: None,
                    via: Vec::new(),
                });
            }
        }
    }

    // resolve, and leave out blocked providers
    let registry = Registry::builtin();
    let mut targets: Vec<Target<'a>> = Vec::new();
    let mut blocked: Vec<String> = Vec::new();
    let mut blocked_candidates: Vec<Candidate> = Vec::new();
    for (i, t) in planned.iter().enumerate() {
        let resolved = match parse_model_string(registry, &snapshot.nodes, &t.model) {
            Ok(Resolution::Exact(r)) => vec![r],
            Ok(Resolution::Candidates(v)) => v,
            Err(e) if plain && i == 0 && chain_start == planned.len() => {
                let status = match e {
                    ResolveError::UnknownModel(_) | ResolveError::UnknownPrefix { .. } => 404,
                    _ => 400,
                };
                return Err(Refusal::new(
                    status,
                    format!("{e}. GET /v1/models lists the models of your connections"),
                ));
            }
            Err(e) => {
                tracing::warn!("{routed}: {} cannot be resolved: {e}", t.model);
                continue;
            }
        };
        for r in resolved {
            let provider = r.target.id();
            if policy.is_blocked(provider) {
                let name = format!("{} ({provider})", r.target.name());
                if !blocked.contains(&name) {
                    blocked.push(name);
                }
                blocked_candidates.push(Candidate {
                    model: qualified(&r),
                    provider: provider.to_string(),
                    connection_id: t.connection_id.clone(),
                    score: None,
                    factors: None,
                    via: Vec::new(),
                    chain: i >= chain_start,
                    skipped: Some("provider blocked".into()),
                });
                continue;
            }
            let context = r
                .known
                .and_then(|k| k.context_length.map(u64::from))
                .or_else(|| super::ModelFacts::context_length(&facts, &t.model));
            targets.push(Target {
                resolved: r,
                pinned: t.connection_id.clone(),
                planned: i,
                context,
                chain: i >= chain_start,
            });
        }
    }
    if targets.is_empty() && !blocked.is_empty() {
        return Err(Refusal::new(
            403,
            format!(
                "model {requested:?} is only served by {}, which is blocked (Settings → Routing → Provider blocking, or PUT /api/settings/provider-blocking)",
                blocked.join(" and ")
            ),
        ));
    }

    // attempts, waiting once for a cooldown when allowed
    let mut waited: Option<Duration> = None;
    let (attempts, skipped) = loop {
        let (attempts, skipped, resting) = collect_attempts(state, snapshot, &targets);
        if !attempts.is_empty() {
            break (attempts, skipped);
        }
        if let Some((wait, why)) = resting {
            let max = Duration::from_secs(policy.wait.max_wait_secs);
            if policy.wait.enabled && waited.is_none() && wait <= max {
                tracing::info!(
                    "{requested}: every target is resting; waiting {} ms for the earliest ({why})",
                    wait.as_millis()
                );
                tokio::time::sleep(wait + Duration::from_millis(20)).await;
                waited = Some(wait);
                continue;
            }
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            let limit = if policy.wait.enabled && waited.is_none() {
                format!(
                    " (wait-for-cooldown waits at most {} s)",
                    policy.wait.max_wait_secs
                )
            } else {
                String::new()
            };
            return Err(Refusal {
                status: if why.contains("breaker") { 503 } else { 429 },
                message: format!(
                    "every target for {requested:?} is resting: {why}; the earliest recovers in {secs} s{limit}"
                ),
                retry_after: Some(secs),
            });
        }
        let names: Vec<String> = targets
            .iter()
            .map(|t| format!("{} ({})", t.resolved.target.name(), t.resolved.target.id()))
            .collect();
        let message = if names.is_empty() {
            match kind {
                Some("combo") => {
                    format!("combo {routed:?} has no step that resolves to a known provider")
                }
                _ => format!("{routed:?} has no target that resolves to a known provider"),
            }
        } else {
            format!(
                "model {requested:?} is served by {}, which has no enabled connection; add an API key in Dashboard → Providers or with POST /api/providers",
                names.join(" or ")
            )
        };
        return Err(Refusal::new(400, message));
    };

    let has_chain = chain_start < planned.len();
    let decision = (kind.is_some() || alias.is_some() || has_chain).then(|| {
        let mut candidates: Vec<Candidate> = targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let model = qualified(&t.resolved);
                let from_auto = scored.iter().find(|c| c.model == model);
                Candidate {
                    provider: t.resolved.target.id().to_string(),
                    connection_id: t.pinned.clone(),
                    score: from_auto.and_then(|c| c.score),
                    factors: from_auto.and_then(|c| c.factors),
                    via: planned[t.planned]
                        .via
                        .iter()
                        .map(|s| format!("{} → {}", s.combo, s.step))
                        .collect(),
                    chain: t.chain,
                    skipped: skipped.get(i).cloned().flatten(),
                    model,
                }
            })
            .collect();
        candidates.extend(blocked_candidates);
        let elapsed = started.elapsed().saturating_sub(waited.unwrap_or_default());
        Decision {
            id: request_id.to_string(),
            at: crate::usage::iso_ms(crate::usage::now_ms()),
            requested: requested.to_string(),
            routed: routed.clone(),
            alias: alias.clone(),
            kind: kind.unwrap_or("model"),
            strategy: if strategy.is_empty() {
                "model".into()
            } else {
                strategy.clone()
            },
            session: session.map(str::to_string),
            explored,
            estimated_tokens,
            candidates,
            pruned,
            attempts: Vec::new(),
            winner: None,
            fallbacks: 0,
            status: 0,
            planning_us: elapsed.as_micros() as u64,
            waited_ms: waited.map(|w| w.as_millis() as u64),
            total_ms: 0,
        }
    });

    Ok(Route {
        combo: kind.map(|_| routed.clone()),
        config,
        routed,
        planned,
        targets,
        attempts,
        relay,
        relayed: false,
        relay_from: None,
        needs_context_above: None,
        context_failed: Vec::new(),
        decision,
        started,
    })
}

/// Every (target, account) pair not resting, the reason each target was left out (if it
/// was), and the earliest recovery among the resting ones.
#[allow(clippy::type_complexity)]
fn collect_attempts<'a>(
    state: &AppState,
    snapshot: &'a Snapshot,
    targets: &[Target<'a>],
) -> (
    Vec<Attempt<'a>>,
    Vec<Option<String>>,
    Option<(Duration, String)>,
) {
    let resilience = state.resilience();
    let lockouts = state.routing().lockouts();
    let now = Instant::now();
    let mut resting: Option<(Duration, String)> = None;
    let mut note_rest = |wait: Duration, why: String| {
        if resting.as_ref().is_none_or(|(w, _)| wait < *w) {
            resting = Some((wait, why));
        }
    };
    let mut attempts = Vec::new();
    let mut skipped = Vec::with_capacity(targets.len());
    for (i, target) in targets.iter().enumerate() {
        let candidate = &target.resolved;
        let provider = candidate.target.id();
        if let Err(wait) = resilience.breaker_allows(provider) {
            note_rest(wait, format!("the circuit breaker of {provider} is open"));
            skipped.push(Some("circuit breaker open".into()));
            continue;
        }
        let mut connections = state
            .accounts()
            .order(provider, snapshot.connections_for(provider));
        if let Some(id) = &target.pinned {
            connections.retain(|c| &c.id == id);
        }
        if connections.is_empty() {
            if candidate.target.auth() == AuthStyle::None && target.pinned.is_none() {
                attempts.push(Attempt {
                    target: i,
                    connection: None,
                });
                skipped.push(None);
            } else {
                skipped.push(Some("no enabled connection".into()));
            }
            continue;
        }
        let before = attempts.len();
        let mut reason = None;
        for connection in connections {
            if let Some(until) = resilience.cooling_until(&connection.id) {
                note_rest(
                    until.saturating_duration_since(now),
                    format!(
                        "{provider} connection {:?} is cooling down",
                        connection.name
                    ),
                );
                reason = Some("cooling down".to_string());
            } else if let Some(until) = lockouts.locked_until(&connection.id, &candidate.model) {
                note_rest(
                    until.saturating_duration_since(now),
                    format!(
                        "model {} is locked out of {provider} connection {:?}",
                        candidate.model, connection.name
                    ),
                );
                reason = Some("model locked out".to_string());
            } else {
                attempts.push(Attempt {
                    target: i,
                    connection: Some(connection),
                });
            }
        }
        skipped.push(if attempts.len() == before {
            reason
        } else {
            None
        });
    }
    (attempts, skipped, resting)
}

/// Re-ranks a combo's planned targets with the auto-routing scorer (strategy `auto`).
fn rank_by_auto(
    inputs: &auto::Inputs<'_>,
    snapshot: &Snapshot,
    planned: Vec<PlannedTarget>,
    state: &AppState,
) -> (Vec<PlannedTarget>, Vec<Candidate>) {
    let registry = Registry::builtin();
    let prices = state.usage().prices().get();
    let pool = auto::pool(snapshot, &prices);
    let models: Vec<auto::PoolModel> = planned
        .iter()
        .map(|t| {
            let resolved = match parse_model_string(registry, &snapshot.nodes, &t.model) {
                Ok(Resolution::Exact(r)) => Some(r),
                Ok(Resolution::Candidates(v)) => v.into_iter().next(),
                Err(_) => None,
            };
            let known = resolved
                .as_ref()
                .and_then(|r| pool.iter().find(|p| p.model == r.qualified()));
            match (known, resolved) {
                (Some(p), _) => auto::PoolModel {
                    model: t.model.clone(),
                    ..p.clone()
                },
                (None, r) => auto::PoolModel {
                    model: t.model.clone(),
                    provider: r
                        .as_ref()
                        .map_or_else(String::new, |r| r.target.id().to_string()),
                    native: r
                        .as_ref()
                        .map_or_else(|| t.model.clone(), |r| r.model.clone()),
                    context: r
                        .as_ref()
                        .and_then(|r| r.known)
                        .and_then(|k| k.context_length.map(u64::from)),
                    price: None,
                    local: false,
                    connections: Vec::new(),
                },
            }
        })
        .collect();
    let ranked = auto::score(inputs, &models);
    let mut slots: Vec<Option<PlannedTarget>> = planned.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    let mut candidates = Vec::with_capacity(slots.len());
    for (m, factors, score) in ranked {
        if let Some(t) = slots
            .iter_mut()
            .find(|s| s.as_ref().is_some_and(|t| t.model == m.model))
            .and_then(Option::take)
        {
            ordered.push(t);
        }
        candidates.push(Candidate {
            model: m.model,
            provider: m.provider,
            connection_id: None,
            score: Some((score * 10_000.0).round() / 10_000.0),
            factors: Some(factors),
            via: Vec::new(),
            chain: false,
            skipped: None,
        });
    }
    ordered.extend(slots.into_iter().flatten());
    (ordered, candidates)
}

impl<'a> Route<'a> {
    /// The decision record's id (the request id), when this request keeps one.
    pub fn decision_id(&self) -> Option<&str> {
        self.decision.as_ref().map(|d| d.id.as_str())
    }

    /// The planned entry behind an attempt (the proxy records strategy health with it).
    pub fn planned_of(&self, attempt: &Attempt<'_>) -> Option<&PlannedTarget> {
        self.targets
            .get(attempt.target)
            .and_then(|t| self.planned.get(t.planned))
    }

    pub fn target(&self, attempt: &Attempt<'_>) -> &Target<'a> {
        &self.targets[attempt.target]
    }

    /// Why an attempt is not made any more (after a context-length error, targets without a
    /// larger window).
    pub fn skip(&self, attempt: &Attempt<'_>) -> Option<String> {
        if self.context_failed.is_empty() {
            return None;
        }
        let t = &self.targets[attempt.target];
        let model = qualified(&t.resolved);
        if self.context_failed.contains(&model) {
            return Some("the same model already refused the prompt as too long".into());
        }
        match (self.needs_context_above, t.context) {
            (Some(need), Some(c)) if c <= need => Some(format!(
                "its context window ({c}) is not larger than {need}"
            )),
            (Some(_), None) => Some("its context window is unknown".into()),
            _ => None,
        }
    }

    /// The body for the next attempt, when context-relay hands the conversation over.
    pub fn relay_body(&mut self, format: Format, body: &[u8]) -> Option<Vec<u8>> {
        let from = self.relay_from.take()?;
        if self.relayed {
            return None;
        }
        self.relayed = true;
        let out = super::relay::with_summary(format, body, &from)?;
        if let Some(a) = self.decision.as_mut().and_then(|d| d.attempts.last_mut()) {
            a.action = Some("relay: conversation summary handed to the next target".into());
        }
        Some(out)
    }

    fn record(
        &mut self,
        attempt: &Attempt<'_>,
        record: impl FnOnce(String, String) -> AttemptRecord,
    ) {
        if let Some(d) = self.decision.as_mut() {
            let t = &self.targets[attempt.target];
            d.attempts.push(record(
                qualified(&t.resolved),
                t.resolved.target.id().to_string(),
            ));
        }
    }

    /// A failed attempt (retryable, or reclassified by [`classify`]): lockouts, context
    /// needs and relay are noted; the answer says whether the account should cool down.
    pub fn failed(
        &mut self,
        state: &AppState,
        attempt: &Attempt<'_>,
        status: Option<u16>,
        what: &str,
        retry_after: Option<u64>,
        latency_ms: u64,
    ) -> AfterFailure {
        let class = status.map_or(ErrorClass::Other, |s| classify::classify(s, what));
        let t = &self.targets[attempt.target];
        let provider = t.resolved.target.id().to_string();
        let native = t.resolved.model.clone();
        let model = qualified(&t.resolved);
        let context = t.context;
        let mut action = None;
        let mut cool = true;
        match class {
            ErrorClass::ContextLength => {
                self.context_failed.push(model.clone());
                if let Some(c) = context {
                    self.needs_context_above = Some(self.needs_context_above.unwrap_or(0).max(c));
                }
                action = Some("context too long: trying a larger window".to_string());
                cool = false;
            }
            ErrorClass::ModelUnavailable => {
                if let Some(c) = attempt.connection {
                    let wait = retry_after
                        .map(Duration::from_secs)
                        .unwrap_or(DEFAULT_LOCKOUT);
                    state
                        .routing()
                        .lockouts()
                        .lock_out(&c.id, &provider, &native, wait, what);
                    action = Some(format!(
                        "model locked out of this connection for {} s",
                        wait.as_secs()
                    ));
                }
                cool = false;
            }
            ErrorClass::Other => {}
        }
        if self.relay && !self.relayed && classify::is_quota(status, what) {
            self.relay_from = Some(model.clone());
        }
        let connection_id = attempt.connection.map(|c| c.id.clone());
        self.record(attempt, |model, provider| AttemptRecord {
            model,
            provider,
            connection_id,
            status,
            ok: false,
            error: Some(what.chars().take(500).collect()),
            action,
            latency_ms,
        });
        AfterFailure {
            cool_connection: cool,
        }
    }

    /// The attempt that answered (successfully or with a client error returned as is).
    pub fn succeeded(&mut self, attempt: &Attempt<'_>, status: u16, latency_ms: u64) {
        let connection_id = attempt.connection.map(|c| c.id.clone());
        let ok = (200..300).contains(&status);
        if ok {
            if let Some(d) = self.decision.as_mut() {
                let t = &self.targets[attempt.target];
                d.winner = Some(Winner {
                    model: qualified(&t.resolved),
                    provider: t.resolved.target.id().to_string(),
                    connection_id: connection_id.clone(),
                });
            }
        }
        self.record(attempt, |model, provider| AttemptRecord {
            model,
            provider,
            connection_id,
            status: Some(status),
            ok,
            error: None,
            action: None,
            latency_ms,
        });
    }

    /// Stores the decision record and names it in the response.
    pub fn finish(&mut self, state: &AppState, response: &mut axum::response::Response) {
        let Some(mut d) = self.decision.take() else {
            return;
        };
        d.status = response.status().as_u16();
        d.fallbacks = d.attempts.len().saturating_sub(1);
        d.total_ms = self.started.elapsed().as_millis() as u64;
        if let Ok(v) = HeaderValue::from_str(&d.id) {
            response.headers_mut().insert(DECISION_HEADER, v);
        }
        state.routing().decisions().push(d);
    }
}
