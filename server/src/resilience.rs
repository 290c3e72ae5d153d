//! Resilience bookkeeping (Settings → Resilience; state on Health):
//!
//! - **Connection cooldown**: an account that answered 429 (or whose key was refused, or that
//!   ran out of credit) rests for a while: the upstream's Retry-After when it gave one and hints are
//!   honoured, else `base × 2^level` (exponential backoff, `max_backoff_steps` levels). A success
//!   resets the level.
//! - **Provider circuit breaker**: counts provider faults only (408, 5xx, timeouts, connection
//!   failures — not 401 or 429). After `breaker_threshold` consecutive faults the provider is
//!   OPEN (skipped) for `breaker_reset`; then HALF_OPEN lets one probe through: success closes
//!   it, a fault opens it again.
//!
//! All in memory, bounded by the number of connections and providers.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResilienceSettings {
    pub base_cooldown_secs: u64,
    pub max_backoff_steps: u32,
    pub use_upstream_hints: bool,
    pub breaker_threshold: u32,
    pub breaker_reset_secs: u64,
    /// Per-account request queue and pacing (`traffic::pacing`); 0 = no limit.
    pub rpm_limit: u32,
    pub min_gap_ms: u64,
    pub max_concurrent: u32,
    /// How long a request waits in an account's queue before moving on.
    pub queue_max_wait_ms: u64,
    /// Requests waiting per account at most.
    pub queue_max_size: u32,
    /// Until an upstream's response headers arrive (then the next target is tried).
    pub headers_timeout_secs: u64,
    /// Until a stream's first output (then the next target is tried).
    pub first_output_timeout_secs: u64,
    /// A stream silent this long ends with an in-band error.
    pub idle_timeout_secs: u64,
}

impl ResilienceSettings {
    pub fn pace_limits(&self) -> crate::traffic::pacing::PaceLimits {
        crate::traffic::pacing::PaceLimits {
            rpm: self.rpm_limit,
            min_gap: Duration::from_millis(self.min_gap_ms),
            max_concurrent: self.max_concurrent,
            max_wait: Duration::from_millis(self.queue_max_wait_ms),
            max_queue: self.queue_max_size,
        }
    }
}

impl Default for ResilienceSettings {
    fn default() -> Self {
        Self {
            base_cooldown_secs: 10,
            max_backoff_steps: 5,
            use_upstream_hints: true,
            breaker_threshold: 5,
            breaker_reset_secs: 60,
            rpm_limit: 0,
            min_gap_ms: 0,
            max_concurrent: 0,
            queue_max_wait_ms: 10_000,
            queue_max_size: 100,
            headers_timeout_secs: 120,
            first_output_timeout_secs: 120,
            idle_timeout_secs: 300,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
struct Breaker {
    state: BreakerState,
    consecutive_faults: u32,
    opened_at: Option<Instant>,
    probe_in_flight: bool,
    /// A probe that never reported back (its request was planned but not sent, or is still
    /// running) stops blocking after `PROBE_TIMEOUT`.
    probe_started: Option<Instant>,
}

const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Breaker {
    fn default() -> Self {
        Self {
            state: BreakerState::Closed,
            consecutive_faults: 0,
            opened_at: None,
            probe_in_flight: false,
            probe_started: None,
        }
    }
}

#[derive(Debug, Default)]
struct Cooldown {
    level: u32,
    until: Option<Instant>,
    reason: String,
}

/// What a failed attempt says about its account and its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// 429: this account, now.
    RateLimited,
    /// 401/402/403: this account's key or credit.
    AccountRefused,
    /// 408, 5xx, timeouts, connection failures: the provider.
    ProviderFault,
    /// A client error (400, 404, ...): nobody's health changes.
    ClientError,
}

impl Outcome {
    pub fn from_status(status: Option<u16>) -> Outcome {
        match status {
            Some(200..=299) => Outcome::Success,
            Some(429) => Outcome::RateLimited,
            Some(401..=403) => Outcome::AccountRefused,
            None | Some(408) | Some(500..=599) => Outcome::ProviderFault,
            Some(_) => Outcome::ClientError,
        }
    }
}

#[derive(Debug, Default)]
pub struct Resilience {
    settings: Mutex<ResilienceSettings>,
    cooldowns: Mutex<HashMap<String, Cooldown>>,
    breakers: Mutex<HashMap<String, Breaker>>,
}

/// For the Health page and `/api/resilience`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResilienceView {
    pub breakers: Vec<BreakerView>,
    pub cooldowns: Vec<CooldownView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreakerView {
    pub provider: String,
    pub state: BreakerState,
    pub consecutive_faults: u32,
    /// Seconds until an OPEN breaker lets a probe through.
    pub retry_in_secs: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CooldownView {
    pub connection_id: String,
    pub remaining_secs: u64,
    pub level: u32,
    pub reason: String,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Resilience {
    pub fn settings(&self) -> ResilienceSettings {
        *lock(&self.settings)
    }

    pub fn set_settings(&self, s: ResilienceSettings) {
        *lock(&self.settings) = s;
    }

    /// When this account is cooling down: until when.
    pub fn cooling_until(&self, connection_id: &str) -> Option<Instant> {
        self.cooling_until_at(connection_id, Instant::now())
    }

    fn cooling_until_at(&self, connection_id: &str, now: Instant) -> Option<Instant> {
        lock(&self.cooldowns)
            .get(connection_id)
            .and_then(|c| c.until)
            .filter(|until| *until > now)
    }

    /// Whether the provider's breaker lets a request through now; a HALF_OPEN breaker lets
    /// exactly one probe through (`Err` carries the time until an OPEN breaker retries).
    pub fn breaker_allows(&self, provider: &str) -> Result<(), Duration> {
        self.breaker_allows_at(provider, Instant::now())
    }

    fn breaker_allows_at(&self, provider: &str, now: Instant) -> Result<(), Duration> {
        let reset = Duration::from_secs(self.settings().breaker_reset_secs);
        let mut breakers = lock(&self.breakers);
        let Some(b) = breakers.get_mut(provider) else {
            return Ok(());
        };
        match b.state {
            BreakerState::Closed => Ok(()),
            BreakerState::Open => {
                let opened = b.opened_at.unwrap_or(now);
                let elapsed = now.saturating_duration_since(opened);
                if elapsed >= reset {
                    b.state = BreakerState::HalfOpen;
                    b.probe_in_flight = true;
                    b.probe_started = Some(now);
                    Ok(())
                } else {
                    Err(reset - elapsed)
                }
            }
            BreakerState::HalfOpen
                if !b.probe_in_flight
                    || b.probe_started
                        .is_some_and(|t| now.saturating_duration_since(t) >= PROBE_TIMEOUT) =>
            {
                b.probe_in_flight = true;
                b.probe_started = Some(now);
                Ok(())
            }
            BreakerState::HalfOpen => Err(Duration::from_secs(1)),
        }
    }

    /// Records what an attempt on `connection_id` (of `provider`) came to.
    pub fn record(
        &self,
        provider: &str,
        connection_id: Option<&str>,
        outcome: Outcome,
        retry_after: Option<Duration>,
    ) {
        self.record_at(
            provider,
            connection_id,
            outcome,
            retry_after,
            Instant::now(),
        );
    }

    fn record_at(
        &self,
        provider: &str,
        connection_id: Option<&str>,
        outcome: Outcome,
        retry_after: Option<Duration>,
        now: Instant,
    ) {
        let s = self.settings();
        // the breaker
        {
            let mut breakers = lock(&self.breakers);
            match outcome {
                Outcome::Success => {
                    if let Some(b) = breakers.get_mut(provider) {
                        if b.state != BreakerState::Closed {
                            tracing::info!("circuit breaker for {provider} closed");
                        }
                        *b = Breaker::default();
                    }
                }
                Outcome::ProviderFault => {
                    let b = breakers.entry(provider.to_string()).or_default();
                    b.consecutive_faults += 1;
                    b.probe_in_flight = false;
                    let trip = b.state == BreakerState::HalfOpen
                        || b.consecutive_faults >= s.breaker_threshold.max(1);
                    if trip && b.state != BreakerState::Open {
                        tracing::warn!(
                            "circuit breaker for {provider} opened after {} fault(s)",
                            b.consecutive_faults
                        );
                    }
                    if trip {
                        b.state = BreakerState::Open;
                        b.opened_at = Some(now);
                    }
                }
                // Account problems and client errors say nothing about the provider, but a
                // HALF_OPEN probe that got an answer did reach it.
                _ => {
                    if let Some(b) = breakers.get_mut(provider) {
                        if b.state == BreakerState::HalfOpen {
                            *b = Breaker::default();
                        }
                    }
                }
            }
        }
        // the account
        let Some(id) = connection_id else { return };
        let mut cooldowns = lock(&self.cooldowns);
        match outcome {
            Outcome::Success => {
                cooldowns.remove(id);
            }
            // A provider fault is the provider's, counted by its breaker; the account is fine.
            Outcome::ProviderFault | Outcome::ClientError => {}
            Outcome::RateLimited | Outcome::AccountRefused => {
                let c = cooldowns.entry(id.to_string()).or_default();
                let backoff = Duration::from_secs(s.base_cooldown_secs)
                    .saturating_mul(1u32 << c.level.min(20));
                let wait = match retry_after {
                    Some(hint) if s.use_upstream_hints && outcome == Outcome::RateLimited => hint,
                    _ => backoff,
                };
                c.level = (c.level + 1).min(s.max_backoff_steps);
                c.until = Some(now + wait);
                c.reason = if outcome == Outcome::RateLimited {
                    "rate limited (429)".into()
                } else {
                    "key refused or out of credit".into()
                };
            }
        }
    }

    /// Clears breakers and cooldowns (Health → reset).
    pub fn reset(&self) {
        lock(&self.breakers).clear();
        lock(&self.cooldowns).clear();
    }

    pub fn view(&self) -> ResilienceView {
        let now = Instant::now();
        let reset = Duration::from_secs(self.settings().breaker_reset_secs);
        let breakers = lock(&self.breakers)
            .iter()
            .map(|(p, b)| BreakerView {
                provider: p.clone(),
                state: b.state,
                consecutive_faults: b.consecutive_faults,
                retry_in_secs: (b.state == BreakerState::Open)
                    .then(|| {
                        b.opened_at.map(|o| {
                            reset
                                .saturating_sub(now.saturating_duration_since(o))
                                .as_secs()
                        })
                    })
                    .flatten(),
            })
            .collect();
        let cooldowns = lock(&self.cooldowns)
            .iter()
            .filter_map(|(id, c)| {
                let until = c.until.filter(|u| *u > now)?;
                Some(CooldownView {
                    connection_id: id.clone(),
                    remaining_secs: until.saturating_duration_since(now).as_secs().max(1),
                    level: c.level,
                    reason: c.reason.clone(),
                })
            })
            .collect();
        ResilienceView {
            breakers,
            cooldowns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_cool_the_account_with_backoff_or_the_hint() {
        let r = Resilience::default();
        let t0 = Instant::now();
        r.record_at("openai", Some("c1"), Outcome::RateLimited, None, t0);
        let until = r.cooling_until_at("c1", t0).unwrap();
        assert_eq!(until - t0, Duration::from_secs(10));
        r.record_at("openai", Some("c1"), Outcome::RateLimited, None, t0);
        assert_eq!(
            r.cooling_until_at("c1", t0).unwrap() - t0,
            Duration::from_secs(20),
            "backoff doubles"
        );
        r.record_at(
            "openai",
            Some("c1"),
            Outcome::RateLimited,
            Some(Duration::from_secs(3)),
            t0,
        );
        assert_eq!(
            r.cooling_until_at("c1", t0).unwrap() - t0,
            Duration::from_secs(3),
            "the hint wins"
        );
        assert!(r
            .cooling_until_at("c1", t0 + Duration::from_secs(4))
            .is_none());
        r.record_at("openai", Some("c1"), Outcome::Success, None, t0);
        assert!(r.cooling_until_at("c1", t0).is_none());
        assert!(
            r.breaker_allows_at("openai", t0).is_ok(),
            "429 never trips the breaker"
        );
    }

    #[test]
    fn backoff_is_capped() {
        let r = Resilience::default();
        let t0 = Instant::now();
        for _ in 0..20 {
            r.record_at("p", Some("c"), Outcome::AccountRefused, None, t0);
        }
        assert_eq!(
            r.cooling_until_at("c", t0).unwrap() - t0,
            Duration::from_secs(10 * 32)
        );
    }

    #[test]
    fn the_breaker_opens_half_opens_and_closes() {
        let r = Resilience::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            r.record_at("p", None, Outcome::ProviderFault, None, t0);
            assert!(r.breaker_allows_at("p", t0).is_ok());
        }
        r.record_at("p", None, Outcome::ProviderFault, None, t0);
        let wait = r
            .breaker_allows_at("p", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // after the reset time: one probe
        let t1 = t0 + Duration::from_secs(61);
        assert!(r.breaker_allows_at("p", t1).is_ok());
        assert!(
            r.breaker_allows_at("p", t1).is_err(),
            "only one probe while half-open"
        );
        // the probe fails: open again
        r.record_at("p", None, Outcome::ProviderFault, None, t1);
        assert!(r
            .breaker_allows_at("p", t1 + Duration::from_secs(1))
            .is_err());
        // next probe succeeds: closed
        let t2 = t1 + Duration::from_secs(61);
        assert!(r.breaker_allows_at("p", t2).is_ok());
        r.record_at("p", None, Outcome::Success, None, t2);
        assert!(r.breaker_allows_at("p", t2).is_ok());
        assert_eq!(r.view().breakers[0].state, BreakerState::Closed);
    }

    #[test]
    fn statuses_map_to_outcomes() {
        assert_eq!(Outcome::from_status(Some(200)), Outcome::Success);
        assert_eq!(Outcome::from_status(Some(429)), Outcome::RateLimited);
        assert_eq!(Outcome::from_status(Some(401)), Outcome::AccountRefused);
        assert_eq!(Outcome::from_status(Some(503)), Outcome::ProviderFault);
        assert_eq!(Outcome::from_status(None), Outcome::ProviderFault);
        assert_eq!(Outcome::from_status(Some(400)), Outcome::ClientError);
    }
}
