//! Choosing among one provider's connections (accounts): the strategies of Settings →
//! Routing. The order decides which account serves a request first; the others follow as
//! failover, so every strategy returns all enabled connections, just ordered.
//!
//! - `fill-first`: by priority: the first account takes everything until it fails.
//! - `round-robin`: rotate, staying on one account for `sticky_limit` requests.
//! - `p2c`: power of two choices: of two random accounts, the healthier (fewer recent
//!   failures, then fewer requests in flight) goes first.
//! - `random`: a fresh random order per request.
//! - `least-used`: the account used longest ago goes first.
//! - `cost-optimized`: the lowest priority value first (the guide's definition: priorities
//!   encode cost), ties broken by least recent use.
//!
//! State is in memory and bounded by the number of connections.

use crate::snapshot::Connection;
use rand::seq::SliceRandom;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    #[default]
    FillFirst,
    RoundRobin,
    P2c,
    Random,
    LeastUsed,
    CostOptimized,
}

impl Strategy {
    pub const ALL: [(&'static str, Strategy); 6] = [
        ("fill-first", Strategy::FillFirst),
        ("round-robin", Strategy::RoundRobin),
        ("p2c", Strategy::P2c),
        ("random", Strategy::Random),
        ("least-used", Strategy::LeastUsed),
        ("cost-optimized", Strategy::CostOptimized),
    ];

    pub fn parse(text: &str) -> Option<Strategy> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, s)| *s)
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("fill-first")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSettings {
    pub strategy: Strategy,
    /// Round-robin: requests on one account before moving on.
    pub sticky_limit: u32,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            strategy: Strategy::FillFirst,
            sticky_limit: 3,
        }
    }
}

/// Failures older than this no longer count against an account.
const HEALTH_WINDOW: Duration = Duration::from_secs(300);

#[derive(Debug, Default)]
struct AccountStats {
    last_used: Option<Instant>,
    in_flight: u32,
    failures: Vec<Instant>,
}

impl AccountStats {
    fn recent_failures(&mut self, now: Instant) -> usize {
        self.failures
            .retain(|t| now.duration_since(*t) < HEALTH_WINDOW);
        self.failures.len()
    }
}

#[derive(Debug, Default)]
struct Rotation {
    index: usize,
    used_on_current: u32,
}

#[derive(Debug, Default)]
pub struct Accounts {
    settings: Mutex<AccountSettings>,
    stats: Mutex<HashMap<String, AccountStats>>,
    rotations: Mutex<HashMap<String, Rotation>>,
}

impl Accounts {
    pub fn settings(&self) -> AccountSettings {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_settings(&self, settings: AccountSettings) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
    }

    /// The order in which to try `connections` (already filtered to one provider's enabled
    /// ones, sorted by priority) for the next request.
    pub fn order<'a>(
        &self,
        provider: &str,
        connections: Vec<&'a Connection>,
    ) -> Vec<&'a Connection> {
        self.order_with(provider, connections, &mut rand::rng())
    }

    fn order_with<'a, R: Rng>(
        &self,
        provider: &str,
        mut conns: Vec<&'a Connection>,
        rng: &mut R,
    ) -> Vec<&'a Connection> {
        if conns.len() < 2 {
            return conns;
        }
        let settings = self.settings();
        let now = Instant::now();
        match settings.strategy {
            Strategy::FillFirst => conns,
            Strategy::Random => {
                conns.shuffle(rng);
                conns
            }
            Strategy::RoundRobin => {
                let mut rotations = self.rotations.lock().unwrap_or_else(|p| p.into_inner());
                let r = rotations.entry(provider.to_string()).or_default();
                if r.used_on_current >= settings.sticky_limit.max(1) {
                    r.index = r.index.wrapping_add(1);
                    r.used_on_current = 0;
                }
                r.used_on_current += 1;
                let start = r.index % conns.len();
                conns.rotate_left(start);
                conns
            }
            Strategy::LeastUsed | Strategy::CostOptimized => {
                let stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
                let last = |c: &Connection| stats.get(&c.id).and_then(|s| s.last_used);
                if settings.strategy == Strategy::LeastUsed {
                    // Never used first, then the oldest use; priority breaks ties.
                    conns.sort_by_key(|c| (last(c), c.priority));
                } else {
                    conns.sort_by_key(|c| (c.priority, last(c)));
                }
                conns
            }
            Strategy::P2c => {
                let a = rng.random_range(0..conns.len());
                let mut b = rng.random_range(0..conns.len() - 1);
                if b >= a {
                    b += 1;
                }
                let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
                let mut score = |c: &Connection| {
                    let s = stats.entry(c.id.clone()).or_default();
                    (s.recent_failures(now), s.in_flight)
                };
                let first = if score(conns[b]) < score(conns[a]) {
                    b
                } else {
                    a
                };
                let chosen = conns.remove(first);
                conns.insert(0, chosen);
                conns
            }
        }
    }

    /// Call when a request is sent to an account; the guard's `finish` records the outcome.
    pub fn start(&self, connection_id: &str) -> InFlight<'_> {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        let s = stats.entry(connection_id.to_string()).or_default();
        s.in_flight += 1;
        s.last_used = Some(Instant::now());
        InFlight {
            accounts: self,
            id: connection_id.to_string(),
            done: false,
        }
    }

    fn finish(&self, id: &str, ok: bool) {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = stats.get_mut(id) {
            s.in_flight = s.in_flight.saturating_sub(1);
            if !ok {
                s.failures.push(Instant::now());
                if s.failures.len() > 64 {
                    s.failures.remove(0);
                }
            }
        }
    }

    /// Forgets accounts that no longer exist (after the connection list changed).
    pub fn retain(&self, live: &[Connection]) {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        stats.retain(|id, _| live.iter().any(|c| &c.id == id));
    }
}

/// One request on one account; counts as a failure unless `succeeded` is called.
pub struct InFlight<'a> {
    accounts: &'a Accounts,
    id: String,
    done: bool,
}

impl InFlight<'_> {
    pub fn succeeded(mut self) {
        self.done = true;
        self.accounts.finish(&self.id, true);
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.accounts.finish(&self.id, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn conn(id: &str, priority: i64) -> Connection {
        Connection {
            id: id.into(),
            provider: "openai".into(),
            name: id.into(),
            api_key: None,
            base_url: None,
            priority,
            enabled: true,
        }
    }

    fn ids(list: &[&Connection]) -> Vec<String> {
        list.iter().map(|c| c.id.clone()).collect()
    }

    fn with(strategy: Strategy, sticky: u32) -> Accounts {
        let a = Accounts::default();
        a.set_settings(AccountSettings {
            strategy,
            sticky_limit: sticky,
        });
        a
    }

    #[test]
    fn fill_first_keeps_priority_order() {
        let (a, b, c) = (conn("a", 1), conn("b", 2), conn("c", 3));
        let acc = with(Strategy::FillFirst, 3);
        assert_eq!(ids(&acc.order("p", vec![&a, &b, &c])), ["a", "b", "c"]);
    }

    #[test]
    fn round_robin_rotates_after_the_sticky_limit() {
        let (a, b, c) = (conn("a", 1), conn("b", 2), conn("c", 3));
        let acc = with(Strategy::RoundRobin, 2);
        let firsts: Vec<String> = (0..7)
            .map(|_| ids(&acc.order("p", vec![&a, &b, &c]))[0].clone())
            .collect();
        assert_eq!(firsts, ["a", "a", "b", "b", "c", "c", "a"]);
        // every account is still there for failover
        assert_eq!(acc.order("p", vec![&a, &b, &c]).len(), 3);
    }

    #[test]
    fn least_used_prefers_the_idle_account() {
        let (a, b) = (conn("a", 1), conn("b", 2));
        let acc = with(Strategy::LeastUsed, 3);
        acc.start("a").succeeded();
        assert_eq!(ids(&acc.order("p", vec![&a, &b]))[0], "b");
        acc.start("b").succeeded();
        assert_eq!(ids(&acc.order("p", vec![&a, &b]))[0], "a");
    }

    #[test]
    fn p2c_avoids_a_failing_account() {
        let (a, b) = (conn("a", 1), conn("b", 2));
        let acc = with(Strategy::P2c, 3);
        for _ in 0..3 {
            drop(acc.start("a")); // dropped without success: a failure
        }
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..20 {
            assert_eq!(ids(&acc.order_with("p", vec![&a, &b], &mut rng))[0], "b");
        }
    }

    #[test]
    fn random_uses_every_account_first_sometimes() {
        let (a, b, c) = (conn("a", 1), conn("b", 2), conn("c", 3));
        let acc = with(Strategy::Random, 3);
        let mut rng = StdRng::seed_from_u64(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..60 {
            seen.insert(ids(&acc.order_with("p", vec![&a, &b, &c], &mut rng))[0].clone());
        }
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn strategies_parse_by_their_guide_names() {
        for (name, s) in Strategy::ALL {
            assert_eq!(Strategy::parse(name), Some(s));
            assert_eq!(s.as_str(), name);
        }
        assert_eq!(Strategy::parse("fastest"), None);
    }
}
