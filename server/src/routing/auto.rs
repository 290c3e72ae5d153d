//! Auto-routing: `auto`, `auto/coding`, `auto/cheap`, `auto/fast`, `auto/offline`,
//! `auto/smart`, `auto/lkgp` are virtual combos over the chat models of every provider with an
//! enabled connection. Each candidate gets a score from eight factors (each 0-1, 1 best),
//! weighted by the settings and by the variant:
//!
//! - latency: the moving average of its successful attempts (unmeasured: 0.5);
//! - cost: input + output price per 1M tokens (price book first, then the registry;
//!   unknown: 0.5, free: 1);
//! - success rate over its last 32 attempts (none yet: 0.8);
//! - context fit: headroom of the window over the estimated prompt (too small: excluded);
//! - task fit: how well the model's family suits the variant (coding, fast, smart);
//! - recent failures: failures among its last 5 attempts;
//! - quota: share of the provider's connections neither cooling down nor locked out of it;
//! - breaker: CLOSED 1, HALF_OPEN 0.5, OPEN 0.
//!
//! The pool stays bounded: a cheap prefilter (static factors only) keeps the best
//! `poolSize` models before the full scoring, however many accounts and models exist.

use super::decisions::{Candidate, Factors};
use super::policy::{Policy, Weights};
use super::{ComboRuntime, PlannedTarget, StepRef};
use crate::resilience::{BreakerState, Resilience};
use crate::snapshot::Snapshot;
use crate::usage::Price;
use gateway::providers::{AuthStyle, ModelSpec, ModelType, Registry};
use rand::Rng;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Default,
    Coding,
    Cheap,
    Fast,
    Offline,
    Smart,
    Lkgp,
}

impl Variant {
    pub const ALL: [Variant; 7] = [
        Variant::Default,
        Variant::Coding,
        Variant::Cheap,
        Variant::Fast,
        Variant::Offline,
        Variant::Smart,
        Variant::Lkgp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Default => "auto",
            Variant::Coding => "auto/coding",
            Variant::Cheap => "auto/cheap",
            Variant::Fast => "auto/fast",
            Variant::Offline => "auto/offline",
            Variant::Smart => "auto/smart",
            Variant::Lkgp => "auto/lkgp",
        }
    }

    /// `None`: not an auto model name. `Some(Err)`: `auto/<unknown>`.
    pub fn parse(model: &str) -> Option<Result<Variant, String>> {
        if model != "auto" && !model.starts_with("auto/") {
            return None;
        }
        Some(
            Variant::ALL
                .into_iter()
                .find(|v| v.name() == model)
                .ok_or_else(|| {
                    format!(
                        "unknown auto-routing variant {model:?}; use one of {}",
                        Variant::ALL.map(Variant::name).join(", ")
                    )
                }),
        )
    }

    /// The weights of this variant: the settings' weights, some multiplied.
    fn weights(self, base: &Weights) -> Weights {
        let mut w = *base;
        match self {
            Variant::Cheap => {
                w.cost *= 4.0;
                w.latency *= 0.5;
            }
            Variant::Fast => {
                w.latency *= 4.0;
                w.task_fit *= 2.0;
            }
            Variant::Smart => {
                w.task_fit *= 3.0;
                w.cost *= 0.2;
            }
            Variant::Coding => w.task_fit *= 3.0,
            Variant::Default | Variant::Offline | Variant::Lkgp => {}
        }
        w
    }

    /// How well a model id suits the variant (0-1); 0.5 when the variant has no preference.
    fn task_fit(self, model_id: &str) -> f64 {
        let id = model_id.to_ascii_lowercase();
        let any = |words: &[&str]| words.iter().any(|w| id.contains(w));
        let small = any(&["mini", "nano", "lite", "haiku", "small", "8b", "7b", "3b"]);
        match self {
            Variant::Coding => {
                if any(&["code", "coder", "codestral", "devstral", "codex"]) {
                    1.0
                } else if !small
                    && any(&[
                        "claude", "sonnet", "opus", "gpt-5", "gpt-4.1", "deepseek", "qwen3",
                        "kimi", "glm",
                    ])
                {
                    0.8
                } else if small {
                    0.3
                } else {
                    0.4
                }
            }
            Variant::Fast => {
                if small || any(&["flash", "instant", "turbo", "fast", "haiku"]) {
                    1.0
                } else {
                    0.3
                }
            }
            Variant::Smart => {
                if small {
                    0.2
                } else if any(&[
                    "opus", "-pro", "o3", "gpt-5", "ultra", "large", "reasoner", "r1", "thinking",
                    "sonnet", "max",
                ]) {
                    1.0
                } else {
                    0.4
                }
            }
            Variant::Default | Variant::Cheap | Variant::Offline | Variant::Lkgp => 0.5,
        }
    }
}

/// One model the pool may pick: `prefix/model` of a provider with an enabled connection.
#[derive(Debug, Clone)]
pub struct PoolModel {
    /// `prefix/model`.
    pub model: String,
    pub provider: String,
    /// The provider-native id.
    pub native: String,
    pub context: Option<u64>,
    pub price: Option<f64>,
    pub local: bool,
    /// Enabled connections of the provider (ids).
    pub connections: Vec<String>,
}

/// Every chat model reachable now (providers with an enabled connection, custom nodes).
pub fn pool(
    snapshot: &Snapshot,
    prices: &HashMap<String, HashMap<String, Price>>,
) -> Vec<PoolModel> {
    let registry = Registry::builtin();
    let price_of = |provider: &str, native: &str, known: Option<&ModelSpec>| -> Option<f64> {
        let book = prices.get(provider).and_then(|m| m.get(native));
        let (i, o) = match book {
            Some(p) => (p.input, p.output),
            None => known.map_or((None, None), |k| (k.prices.input, k.prices.output)),
        };
        match (i, o) {
            (Some(i), Some(o)) => Some(i + o),
            (Some(p), None) | (None, Some(p)) => Some(p),
            (None, None) => None,
        }
    };
    let mut out = Vec::new();
    for provider in registry.providers() {
        if provider.is_oauth() {
            continue;
        }
        let connections: Vec<String> = snapshot
            .connections_for(provider.id)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        if connections.is_empty() {
            continue;
        }
        let local = provider.local || provider.auth == AuthStyle::None;
        for m in provider.models.iter().filter(|m| m.kind == ModelType::Chat) {
            let mut price = price_of(provider.id, m.id, Some(m));
            if price.is_none() && local {
                price = Some(0.0);
            }
            out.push(PoolModel {
                model: format!("{}/{}", provider.prefix, m.id),
                provider: provider.id.to_string(),
                native: m.id.to_string(),
                context: m.context_length.map(u64::from),
                price,
                local,
                connections: connections.clone(),
            });
        }
        for custom in snapshot
            .custom_models
            .iter()
            .filter(|m| m.provider == provider.id)
        {
            if provider.model(&custom.model_id).is_some() {
                continue;
            }
            let mut price = price_of(provider.id, &custom.model_id, None);
            if price.is_none() && local {
                price = Some(0.0);
            }
            out.push(PoolModel {
                model: format!("{}/{}", provider.prefix, custom.model_id),
                provider: provider.id.to_string(),
                native: custom.model_id.clone(),
                context: None,
                price,
                local,
                connections: connections.clone(),
            });
        }
    }
    for node in &snapshot.nodes {
        let connections: Vec<String> = snapshot
            .connections_for(&node.id)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        if connections.is_empty() {
            continue;
        }
        let local = is_local_url(&node.base_url);
        let mut ids: Vec<&str> = node.models.iter().map(String::as_str).collect();
        for custom in snapshot
            .custom_models
            .iter()
            .filter(|m| m.provider == node.id)
        {
            if !ids.contains(&custom.model_id.as_str()) {
                ids.push(&custom.model_id);
            }
        }
        for id in ids {
            out.push(PoolModel {
                model: format!("{}/{}", node.prefix, id),
                provider: node.id.clone(),
                native: id.to_string(),
                context: None,
                price: price_of(&node.id, id, None),
                local,
                connections: connections.clone(),
            });
        }
    }
    out
}

/// Loopback and private addresses (for `auto/offline`).
fn is_local_url(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    host == "localhost"
        || host.ends_with(".local")
        || host.starts_with("127.")
        || host.starts_with("10.")
        || host.starts_with("192.168.")
        || (host.starts_with("172.")
            && host
                .split('.')
                .nth(1)
                .and_then(|o| o.parse::<u8>().ok())
                .is_some_and(|o| (16..=31).contains(&o)))
}

/// What the scorer reads besides the pool.
pub struct Inputs<'a> {
    pub policy: &'a Policy,
    pub variant: Variant,
    /// Rough prompt size (bytes / 4).
    pub estimated_tokens: u64,
    pub session: Option<&'a str>,
    pub runtime: &'a ComboRuntime,
    pub resilience: &'a Resilience,
    pub lockouts: &'a super::lockout::Lockouts,
}

/// The candidates in the order to try, with their scores.
#[derive(Debug, Clone)]
pub struct AutoPlan {
    pub targets: Vec<PlannedTarget>,
    pub candidates: Vec<Candidate>,
    /// Models dropped by the prefilter.
    pub pruned: usize,
    pub explored: bool,
}

fn cost_factor(price: Option<f64>) -> f64 {
    match price {
        Some(p) if p <= 0.0 => 1.0,
        Some(p) => 1.0 / (1.0 + p / 10.0),
        None => 0.5,
    }
}

fn context_factor(context: Option<u64>, tokens: u64) -> Option<f64> {
    match context {
        Some(c) if c < tokens => None,
        Some(c) if c > 0 => Some((1.0 - tokens as f64 / c as f64).clamp(0.0, 1.0)),
        _ => Some(0.6),
    }
}

fn weighted(w: &Weights, f: &Factors) -> f64 {
    let pairs = [
        (w.latency, f.latency),
        (w.cost, f.cost),
        (w.success_rate, f.success_rate),
        (w.context_fit, f.context_fit),
        (w.task_fit, f.task_fit),
        (w.recent_failures, f.recent_failures),
        (w.quota, f.quota),
        (w.breaker, f.breaker),
    ];
    let total: f64 = pairs.iter().map(|(w, _)| w.max(0.0)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    pairs.iter().map(|(w, f)| w.max(0.0) * f).sum::<f64>() / total
}

/// Scores `models` in full (dynamic factors included); the best first.
pub fn score(inputs: &Inputs<'_>, models: &[PoolModel]) -> Vec<(PoolModel, Factors, f64)> {
    let weights = inputs.variant.weights(&inputs.policy.auto.weights);
    let view = inputs.resilience.view();
    let breakers: HashMap<&str, BreakerState> = view
        .breakers
        .iter()
        .map(|b| (b.provider.as_str(), b.state))
        .collect();
    let cooling: std::collections::HashSet<&str> = view
        .cooldowns
        .iter()
        .map(|c| c.connection_id.as_str())
        .collect();
    let state = inputs.runtime.lock();
    let mut out: Vec<(PoolModel, Factors, f64)> = models
        .iter()
        .map(|m| {
            let health = state.health_of(&m.model);
            let usable = m
                .connections
                .iter()
                .filter(|c| {
                    !cooling.contains(c.as_str())
                        && inputs.lockouts.locked_until(c, &m.native).is_none()
                })
                .count();
            let factors = Factors {
                latency: health
                    .known_latency_ms()
                    .map_or(0.5, |l| 1.0 / (1.0 + l / 2000.0)),
                cost: cost_factor(m.price),
                success_rate: if health.samples() > 0 {
                    1.0 - health.failure_rate()
                } else {
                    0.8
                },
                context_fit: context_factor(m.context, inputs.estimated_tokens).unwrap_or(0.0),
                task_fit: inputs.variant.task_fit(&m.native),
                recent_failures: 1.0 - f64::from(health.recent_failures(5)) / 5.0,
                quota: if m.connections.is_empty() {
                    1.0
                } else {
                    usable as f64 / m.connections.len() as f64
                },
                breaker: match breakers.get(m.provider.as_str()) {
                    Some(BreakerState::Open) => 0.0,
                    Some(BreakerState::HalfOpen) => 0.5,
                    _ => 1.0,
                },
            };
            let s = weighted(&weights, &factors);
            (m.clone(), factors, s)
        })
        .collect();
    drop(state);
    out.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(
                a.0.price
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.0.price.unwrap_or(f64::MAX)),
            )
            .then(a.0.model.cmp(&b.0.model))
    });
    out
}

/// Plans an auto-routing request: filter, prefilter to the pool size, score, order.
/// `Err` explains why nothing is eligible.
pub fn plan(inputs: &Inputs<'_>, all: Vec<PoolModel>) -> Result<AutoPlan, String> {
    let policy = inputs.policy;
    let variant = inputs.variant;
    let total = all.len();
    let mut dropped_reasons: Vec<&'static str> = Vec::new();
    let eligible: Vec<PoolModel> = all
        .into_iter()
        .filter(|m| {
            let why = if policy.auto.blacklist.iter().any(|b| b == &m.provider) {
                Some("blacklisted for auto-routing")
            } else if policy.is_blocked(&m.provider) {
                Some("provider blocked")
            } else if variant == Variant::Offline && !m.local {
                Some("not a local provider")
            } else if context_factor(m.context, inputs.estimated_tokens).is_none() {
                Some("context window too small")
            } else {
                None
            };
            if let Some(w) = why {
                if !dropped_reasons.contains(&w) {
                    dropped_reasons.push(w);
                }
            }
            why.is_none()
        })
        .collect();
    if eligible.is_empty() {
        return Err(if total == 0 {
            format!(
                "{} has no model to choose from: no provider has an enabled connection; add one in Dashboard → Providers",
                variant.name()
            )
        } else {
            format!(
                "{} found no eligible model among {total} ({})",
                variant.name(),
                dropped_reasons.join(", ")
            )
        });
    }

    // The cheap prefilter: static factors only, best `pool_size` kept.
    let weights = variant.weights(&policy.auto.weights);
    let pool_size = policy.auto.pool_size.clamp(1, super::policy::MAX_POOL);
    let mut eligible = eligible;
    let pruned = eligible.len().saturating_sub(pool_size);
    if pruned > 0 {
        let static_score = |m: &PoolModel| {
            weights.cost * cost_factor(m.price)
                + weights.context_fit
                    * context_factor(m.context, inputs.estimated_tokens).unwrap_or(0.0)
                + weights.task_fit * variant.task_fit(&m.native)
        };
        let mut keyed: Vec<(f64, PoolModel)> = eligible
            .into_iter()
            .map(|m| (static_score(&m), m))
            .collect();
        keyed.select_nth_unstable_by(pool_size - 1, |a, b| {
            b.0.total_cmp(&a.0).then(a.1.model.cmp(&b.1.model))
        });
        keyed.truncate(pool_size);
        eligible = keyed.into_iter().map(|(_, m)| m).collect();
    }

    let mut ranked = score(inputs, &eligible);
    let mut explored = false;
    if variant == Variant::Lkgp {
        if let Some(good) = inputs
            .runtime
            .last_known_good(variant.name(), inputs.session)
        {
            if let Some(pos) = ranked.iter().position(|r| r.0.model == good) {
                let first = ranked.remove(pos);
                ranked.insert(0, first);
            }
        }
    } else if policy.auto.exploration > 0.0 && ranked.len() > 1 {
        let mut state = inputs.runtime.lock();
        if state.rng.random::<f64>() < policy.auto.exploration {
            let pick = state.rng.random_range(0..ranked.len().min(3));
            if pick > 0 {
                let chosen = ranked.remove(pick);
                ranked.insert(0, chosen);
                explored = true;
            }
        }
    }

    let targets = ranked
        .iter()
        .map(|(m, _, _)| PlannedTarget {
            model: m.model.clone(),
            connection_id: None,
            via: vec![StepRef {
                combo: variant.name().to_string(),
                step: m.model.clone(),
            }],
        })
        .collect();
    let candidates = ranked
        .into_iter()
        .map(|(m, f, s)| Candidate {
            model: m.model,
            provider: m.provider,
            connection_id: None,
            score: Some((s * 10_000.0).round() / 10_000.0),
            factors: Some(f),
            via: Vec::new(),
            chain: false,
            skipped: None,
        })
        .collect();
    Ok(AutoPlan {
        targets,
        candidates,
        pruned,
        explored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(model: &str, price: Option<f64>, context: Option<u64>) -> PoolModel {
        PoolModel {
            model: model.into(),
            provider: model.split('/').next().unwrap_or("").into(),
            native: model.split('/').nth(1).unwrap_or("").into(),
            context,
            price,
            local: false,
            connections: vec![format!("c-{model}")],
        }
    }

    fn inputs<'a>(
        policy: &'a Policy,
        variant: Variant,
        tokens: u64,
        runtime: &'a ComboRuntime,
        resilience: &'a Resilience,
        lockouts: &'a super::super::lockout::Lockouts,
    ) -> Inputs<'a> {
        Inputs {
            policy,
            variant,
            estimated_tokens: tokens,
            session: None,
            runtime,
            resilience,
            lockouts,
        }
    }

    #[test]
    fn variants_rank_as_scored() {
        let policy = Policy::default();
        let runtime = ComboRuntime::with_seed(1);
        let res = Resilience::default();
        let lock = super::super::lockout::Lockouts::default();
        let models = vec![
            m("a/big-opus", Some(90.0), Some(200_000)),
            m("b/gpt-4o-mini", Some(0.75), Some(128_000)),
            m("c/qwen3-coder", Some(3.0), Some(256_000)),
        ];
        let first = |v: Variant, tokens: u64| {
            plan(
                &inputs(&policy, v, tokens, &runtime, &res, &lock),
                models.clone(),
            )
            .unwrap()
            .targets[0]
                .model
                .clone()
        };
        assert_eq!(first(Variant::Cheap, 10), "b/gpt-4o-mini");
        assert_eq!(first(Variant::Fast, 10), "b/gpt-4o-mini");
        assert_eq!(first(Variant::Coding, 10), "c/qwen3-coder");
        assert_eq!(first(Variant::Smart, 10), "a/big-opus");
        // too big for 128k and 200k: only the 256k model fits
        let p = plan(
            &inputs(&policy, Variant::Cheap, 220_000, &runtime, &res, &lock),
            models.clone(),
        )
        .unwrap();
        assert_eq!(p.targets.len(), 1);
        assert_eq!(p.targets[0].model, "c/qwen3-coder");
        let err = plan(
            &inputs(&policy, Variant::Cheap, 900_000, &runtime, &res, &lock),
            models.clone(),
        )
        .unwrap_err();
        assert!(err.contains("context window too small"), "{err}");
    }

    #[test]
    fn failures_breakers_and_lockouts_lower_the_score() {
        let policy = Policy::default();
        let runtime = ComboRuntime::with_seed(1);
        let res = Resilience::default();
        let lock = super::super::lockout::Lockouts::default();
        let models = vec![
            m("a/x", Some(1.0), Some(100_000)),
            m("b/y", Some(1.0), Some(100_000)),
        ];
        let order = |runtime: &ComboRuntime| -> Vec<String> {
            plan(
                &inputs(&policy, Variant::Default, 10, runtime, &res, &lock),
                models.clone(),
            )
            .unwrap()
            .targets
            .into_iter()
            .map(|t| t.model)
            .collect()
        };
        assert_eq!(order(&runtime), ["a/x", "b/y"], "ties by name");
        for _ in 0..3 {
            runtime.record_result("auto", "a/x", None, false, 10);
        }
        assert_eq!(order(&runtime), ["b/y", "a/x"]);
        let runtime = ComboRuntime::with_seed(1);
        lock.lock_out(
            "c-a/x",
            "a",
            "x",
            std::time::Duration::from_secs(60),
            "gone",
        );
        assert_eq!(order(&runtime), ["b/y", "a/x"], "quota factor");
        lock.clear();
        for _ in 0..5 {
            res.record("b", None, crate::resilience::Outcome::ProviderFault, None);
        }
        assert_eq!(order(&runtime), ["a/x", "b/y"], "breaker open");
    }

    #[test]
    fn the_pool_is_bounded_and_blacklists_apply() {
        let mut policy = Policy::default();
        policy.auto.pool_size = 4;
        policy.auto.blacklist = vec!["p3".into()];
        let runtime = ComboRuntime::with_seed(1);
        let res = Resilience::default();
        let lock = super::super::lockout::Lockouts::default();
        let models: Vec<PoolModel> = (0..1000)
            .map(|i| m(&format!("p{}/m{i}", i % 5), Some(f64::from(i)), None))
            .collect();
        let p = plan(
            &inputs(&policy, Variant::Cheap, 10, &runtime, &res, &lock),
            models,
        )
        .unwrap();
        assert_eq!(p.targets.len(), 4);
        assert_eq!(p.pruned, 800 - 4);
        assert_eq!(p.targets[0].model, "p0/m0");
        assert!(p.candidates.iter().all(|c| c.provider != "p3"));
    }

    #[test]
    fn seeded_exploration_is_deterministic() {
        let mut policy = Policy::default();
        policy.auto.exploration = 0.5;
        let res = Resilience::default();
        let lock = super::super::lockout::Lockouts::default();
        let models = vec![
            m("a/x", Some(1.0), None),
            m("b/y", Some(2.0), None),
            m("c/z", Some(3.0), None),
        ];
        let run = || {
            let runtime = ComboRuntime::with_seed(42);
            (0..20)
                .map(|_| {
                    plan(
                        &inputs(&policy, Variant::Default, 10, &runtime, &res, &lock),
                        models.clone(),
                    )
                    .unwrap()
                    .targets[0]
                        .model
                        .clone()
                })
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        assert!(a.iter().any(|m| m != "a/x"), "some requests explore: {a:?}");
        assert!(a.iter().filter(|m| *m == "a/x").count() >= 5, "{a:?}");
    }

    #[test]
    fn variant_names() {
        assert_eq!(Variant::parse("auto"), Some(Ok(Variant::Default)));
        assert_eq!(Variant::parse("auto/cheap"), Some(Ok(Variant::Cheap)));
        assert!(Variant::parse("auto/nope").unwrap().is_err());
        assert_eq!(Variant::parse("automatic"), None);
        assert!(is_local_url("http://127.0.0.1:11434/v1"));
        assert!(is_local_url("http://192.168.1.2/v1"));
        assert!(!is_local_url("https://api.openai.com/v1"));
    }
}
