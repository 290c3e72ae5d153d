//! Expanding a combo into targets and ordering its steps by its strategy.

use super::runtime::State;
use super::{Combo, ComboSet, PlanError, PlannedTarget, RoutingInputs, Step, StepRef, Strategy};
use rand::seq::SliceRandom;
use rand::Rng;
use std::cmp::Ordering;

/// One usable step of the combo being planned and what it expands to.
struct Branch<'c> {
    step: &'c Step,
    targets: Vec<PlannedTarget>,
}

impl Branch<'_> {
    /// The model that stands for this step in price, context and health comparisons: the
    /// step's own model, or the first target of the nested combo it names.
    fn model(&self) -> &str {
        self.targets
            .first()
            .map_or(self.step.model.as_str(), |t| t.model.as_str())
    }
}

/// The targets of combo `name` in the order its strategy chooses, nested combos expanded in
/// place. `stack` holds the combos being expanded (for cycle and depth checks).
pub(super) fn expand(
    set: &ComboSet,
    name: &str,
    inputs: &RoutingInputs<'_>,
    state: &mut State,
    stack: &mut Vec<String>,
) -> Result<Vec<PlannedTarget>, PlanError> {
    let combo = set.enter(name, stack)?;
    let mut branches = Vec::with_capacity(combo.steps.len());
    for step in &combo.steps {
        let targets = if set.contains(&step.model) {
            match expand(set, &step.model, inputs, state, stack) {
                Ok(targets) => targets,
                Err(PlanError::Empty(_)) => continue,
                Err(e) => return Err(e),
            }
        } else if set.is_inactive(&step.model) {
            continue; // a disabled combo: skipped, never sent upstream as a model name
        } else {
            vec![PlannedTarget {
                model: step.model.clone(),
                connection_id: step.connection_id.clone(),
                via: Vec::new(),
            }]
        };
        branches.push(Branch { step, targets });
    }
    stack.pop();
    if branches.is_empty() {
        return Err(PlanError::Empty(name.to_string()));
    }

    let order = order(combo, &branches, inputs, state);
    let mut slots: Vec<Option<Branch<'_>>> = branches.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for pos in order {
        let Some(branch) = slots.get_mut(pos).and_then(Option::take) else {
            continue;
        };
        for mut target in branch.targets {
            target.via.insert(
                0,
                StepRef {
                    combo: combo.name.clone(),
                    step: branch.step.model.clone(),
                },
            );
            out.push(target);
        }
    }
    Ok(out)
}

/// A permutation of `0..branches.len()`: the order to try the steps in.
fn order(
    combo: &Combo,
    branches: &[Branch<'_>],
    inputs: &RoutingInputs<'_>,
    state: &mut State,
) -> Vec<usize> {
    let n = branches.len();
    let mut order: Vec<usize> = (0..n).collect();
    match combo.strategy {
        Strategy::Priority | Strategy::FillFirst | Strategy::ContextRelay => {}
        Strategy::Auto => {
            // Nested auto combos: healthiest, then cheapest. A top-level auto combo is
            // re-ranked by the full auto-routing scorer (`route`).
            let keys: Vec<(f64, Option<f64>)> = branches
                .iter()
                .map(|b| {
                    (
                        state.health_of(b.model()).failure_rate(),
                        inputs.facts.price(b.model()),
                    )
                })
                .collect();
            order.sort_by(|&a, &b| {
                keys[a]
                    .0
                    .total_cmp(&keys[b].0)
                    .then(known_first(keys[a].1, keys[b].1, |x, y| x.total_cmp(&y)))
            });
        }
        Strategy::Weighted => order = weighted(branches, &mut state.rng),
        Strategy::RoundRobin => order = round_robin(combo, n, inputs.commit, state),
        Strategy::Random => order.shuffle(&mut state.rng),
        Strategy::StrictRandom => order = strict_random(combo, n, inputs.commit, state),
        Strategy::LeastUsed => {
            let usage = state.combos.get(&combo.name).map(|c| &c.usage);
            order.sort_by_key(|&i| {
                usage
                    .and_then(|u| u.get(&branches[i].step.model))
                    .copied()
                    .unwrap_or(0)
            });
        }
        Strategy::CostOptimized => {
            let prices: Vec<Option<f64>> = branches
                .iter()
                .map(|b| inputs.facts.price(b.model()))
                .collect();
            order.sort_by(|&a, &b| known_first(prices[a], prices[b], |x, y| x.total_cmp(&y)));
        }
        Strategy::ContextOptimized => {
            let contexts: Vec<Option<u64>> = branches
                .iter()
                .map(|b| inputs.facts.context_length(b.model()))
                .collect();
            order.sort_by(|&a, &b| known_first(contexts[a], contexts[b], |x, y| y.cmp(&x)));
        }
        Strategy::P2c => order = p2c(branches, state),
        Strategy::Lkgp => {
            if let Some(good) = state.lkgp_of(&combo.name, inputs.session) {
                if let Some(pos) = order.iter().position(|&i| branches[i].step.model == good) {
                    let first = order.remove(pos);
                    order.insert(0, first);
                }
            }
        }
    }

    if let Some(limit) = combo.config.max_concurrency_per_model {
        // Saturated models go behind the others, keeping their relative order.
        let busy: Vec<bool> = branches
            .iter()
            .map(|b| state.health_of(b.model()).in_flight >= limit)
            .collect();
        order.sort_by_key(|&i| busy[i]);
    }

    if inputs.commit {
        if let Some(&first) = order.first() {
            *state
                .combos
                .entry(combo.name.clone())
                .or_default()
                .usage
                .entry(branches[first].step.model.clone())
                .or_default() += 1;
        }
    }
    order
}

/// Known values first, ordered by `cmp`; unknown ones after, in step order.
fn known_first<T: Copy>(a: Option<T>, b: Option<T>, cmp: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => cmp(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Weighted sampling without replacement: the first step with probability proportional to
/// its weight, the next among the rest likewise; zero-weight steps last, in order. Without
/// any positive weight, every step weighs 1.
fn weighted(branches: &[Branch<'_>], rng: &mut impl Rng) -> Vec<usize> {
    let mut weights: Vec<u64> = branches
        .iter()
        .map(|b| u64::from(b.step.weight.unwrap_or(0)))
        .collect();
    if weights.iter().all(|&w| w == 0) {
        weights.iter_mut().for_each(|w| *w = 1);
    }
    let mut order = Vec::with_capacity(branches.len());
    let mut total: u64 = weights.iter().sum();
    while total > 0 {
        let mut ticket = rng.random_range(0..total);
        let Some(pick) = weights.iter().position(|&w| {
            if ticket < w {
                true
            } else {
                ticket -= w;
                false
            }
        }) else {
            break;
        };
        order.push(pick);
        total -= weights[pick];
        weights[pick] = 0;
    }
    let rest: Vec<usize> = (0..branches.len()).filter(|i| !order.contains(i)).collect();
    order.extend(rest);
    order
}

/// The step at the cursor first, then the following ones, wrapping. The cursor moves on
/// after `sticky_limit` requests (default 1).
fn round_robin(combo: &Combo, n: usize, commit: bool, state: &mut State) -> Vec<usize> {
    let sticky = combo.config.sticky_limit.unwrap_or(1).max(1);
    let (mut cursor, mut used) = state
        .combos
        .get(&combo.name)
        .map_or((0, 0), |c| (c.rr_cursor % n, c.rr_used));
    if used >= sticky {
        cursor = (cursor + 1) % n;
        used = 0;
    }
    if commit {
        let entry = state.combos.entry(combo.name.clone()).or_default();
        entry.rr_cursor = cursor;
        entry.rr_used = used + 1;
    }
    (0..n).map(|k| (cursor + k) % n).collect()
}

/// The next step of a shuffled bag holding each step once (refilled when empty), then the
/// others shuffled.
fn strict_random(combo: &Combo, n: usize, commit: bool, state: &mut State) -> Vec<usize> {
    let State { rng, combos, .. } = state;
    let entry = combos.entry(combo.name.clone()).or_default();
    entry.bag.retain(|&i| i < n);
    if entry.bag.is_empty() {
        entry.bag = (0..n).collect();
        entry.bag.shuffle(rng);
    }
    let first = entry.bag.last().copied().unwrap_or(0);
    if commit {
        entry.bag.pop();
    }
    let mut rest: Vec<usize> = (0..n).filter(|&i| i != first).collect();
    rest.shuffle(rng);
    rest.insert(0, first);
    rest
}

/// Power of two choices: of two random steps the healthier goes first (lower recent failure
/// rate, then fewer in flight, then lower latency); the rest follow by the same measure.
fn p2c(branches: &[Branch<'_>], state: &mut State) -> Vec<usize> {
    let n = branches.len();
    let health: Vec<_> = branches
        .iter()
        .map(|b| state.health_of(b.model()))
        .collect();
    let better = |a: usize, b: usize| {
        health[a]
            .failure_rate()
            .total_cmp(&health[b].failure_rate())
            .then(health[a].in_flight.cmp(&health[b].in_flight))
            .then(health[a].latency_ms().total_cmp(&health[b].latency_ms()))
            .then(a.cmp(&b))
    };
    let mut order: Vec<usize> = (0..n).collect();
    if n < 2 {
        return order;
    }
    let a = state.rng.random_range(0..n);
    let mut b = state.rng.random_range(0..n - 1);
    if b >= a {
        b += 1;
    }
    let winner = if better(a, b) == Ordering::Greater {
        b
    } else {
        a
    };
    order.retain(|&i| i != winner);
    order.sort_by(|&x, &y| better(x, y));
    order.insert(0, winner);
    order
}
