//! Latency telemetry: per provider, the latency of its successful answers (until the last
//! byte, streams included) over a sliding window: the last [`SAMPLES`] answers of the last
//! [`WINDOW`]. A fixed ring per provider, so memory stays bounded.

use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SAMPLES: usize = 512;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Providers tracked at most (custom nodes included); beyond this new ones are not tracked.
const MAX_PROVIDERS: usize = 512;

#[derive(Default)]
pub struct Telemetry {
    rings: Mutex<HashMap<String, VecDeque<(Instant, u32)>>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LatencyView {
    pub provider: String,
    pub samples: usize,
    pub p50_ms: u32,
    pub p95_ms: u32,
    pub p99_ms: u32,
    pub max_ms: u32,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The nearest-rank percentile of sorted samples.
fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Telemetry {
    pub fn record(&self, provider: &str, latency: Duration) {
        self.record_at(provider, latency, Instant::now());
    }

    fn record_at(&self, provider: &str, latency: Duration, now: Instant) {
        let ms = latency.as_millis().min(u32::MAX as u128) as u32;
        let mut rings = lock(&self.rings);
        if !rings.contains_key(provider) && rings.len() >= MAX_PROVIDERS {
            return;
        }
        let ring = rings.entry(provider.to_string()).or_default();
        if ring.len() >= SAMPLES {
            ring.pop_front();
        }
        ring.push_back((now, ms));
    }

    pub fn view(&self) -> Vec<LatencyView> {
        self.view_at(Instant::now())
    }

    fn view_at(&self, now: Instant) -> Vec<LatencyView> {
        let mut rings = lock(&self.rings);
        let mut out = Vec::new();
        for (provider, ring) in rings.iter_mut() {
            while ring
                .front()
                .is_some_and(|(t, _)| now.saturating_duration_since(*t) > WINDOW)
            {
                ring.pop_front();
            }
            if ring.is_empty() {
                continue;
            }
            let mut sorted: Vec<u32> = ring.iter().map(|(_, ms)| *ms).collect();
            sorted.sort_unstable();
            out.push(LatencyView {
                provider: provider.clone(),
                samples: sorted.len(),
                p50_ms: percentile(&sorted, 50.0),
                p95_ms: percentile(&sorted, 95.0),
                p99_ms: percentile(&sorted, 99.0),
                max_ms: sorted.last().copied().unwrap_or(0),
            });
        }
        rings.retain(|_, ring| !ring.is_empty());
        out.sort_by(|a, b| a.provider.cmp(&b.provider));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_over_the_window() {
        let t = Telemetry::default();
        let t0 = Instant::now();
        for ms in 1..=100u64 {
            t.record_at("openai", Duration::from_millis(ms), t0);
        }
        let v = t.view_at(t0);
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].p50_ms, v[0].p95_ms, v[0].p99_ms, v[0].max_ms),
            (50, 95, 99, 100)
        );
        assert!(t.view_at(t0 + WINDOW + Duration::from_secs(1)).is_empty());
    }

    #[test]
    fn the_ring_is_bounded() {
        let t = Telemetry::default();
        for ms in 0..(SAMPLES as u64 * 3) {
            t.record("p", Duration::from_millis(ms));
        }
        assert_eq!(t.view()[0].samples, SAMPLES);
    }
}
