//! Brute-force lockout: 5 failed logins within 15 minutes from one client address lock that
//! address out until the oldest of those failures is 15 minutes old.
//!
//! Kept in memory and bounded: a restart clears it, and the table never grows past
//! `MAX_TRACKED` addresses.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Default)]
pub struct Lockout {
    failures: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Lockout {
    /// `Some(remaining)` when this address is locked out now.
    pub fn locked_for(&self, addr: IpAddr) -> Option<Duration> {
        self.locked_for_at(addr, Instant::now())
    }

    fn locked_for_at(&self, addr: IpAddr, now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.get_mut(&addr)?;
        prune(entry, now);
        if entry.len() >= MAX_FAILURES {
            let oldest = *entry.front()?;
            Some(WINDOW.saturating_sub(now.duration_since(oldest)))
        } else {
            None
        }
    }

    pub fn record_failure(&self, addr: IpAddr) {
        self.record_failure_at(addr, Instant::now());
    }

    fn record_failure_at(&self, addr: IpAddr, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_TRACKED && !map.contains_key(&addr) {
            map.retain(|_, v| {
                prune(v, now);
                !v.is_empty()
            });
            if map.len() >= MAX_TRACKED {
                // Still full of live entries: forget the quietest address.
                if let Some(victim) = map
                    .iter()
                    .min_by_key(|(_, v)| v.back().copied())
                    .map(|(k, _)| *k)
                {
                    map.remove(&victim);
                }
            }
        }
        let entry = map.entry(addr).or_default();
        prune(entry, now);
        entry.push_back(now);
        while entry.len() > MAX_FAILURES {
            entry.pop_front();
        }
    }

    pub fn clear(&self, addr: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&addr);
    }
}

fn prune(entry: &mut VecDeque<Instant>, now: Instant) {
    while let Some(first) = entry.front() {
        if now.duration_since(*first) >= WINDOW {
            entry.pop_front();
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_and_the_window_unlocks() {
        let l = Lockout::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..4 {
            l.record_failure_at(a, t0 + Duration::from_secs(i));
        }
        assert!(l.locked_for_at(a, t0 + Duration::from_secs(5)).is_none());
        l.record_failure_at(a, t0 + Duration::from_secs(5));
        let left = l.locked_for_at(a, t0 + Duration::from_secs(6)).unwrap();
        assert!(
            left > Duration::from_secs(14 * 60) && left <= WINDOW,
            "{left:?}"
        );
        assert!(
            l.locked_for_at(b, t0 + Duration::from_secs(6)).is_none(),
            "per address"
        );
        // The oldest failure leaves the window: one slot frees up.
        assert!(l
            .locked_for_at(a, t0 + WINDOW + Duration::from_secs(1))
            .is_none());
        l.clear(a);
        assert!(l.locked_for_at(a, t0 + Duration::from_secs(7)).is_none());
    }
}
