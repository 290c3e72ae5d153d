//! Per-model lockout: a model that answered "not found", "not available" or "quota for this
//! model" on one connection rests on that connection only (the connection keeps serving its
//! other models). In memory, bounded; visible in `GET /api/resilience` as `lockouts`.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a model stays locked out when the upstream gave no Retry-After.
pub const DEFAULT_LOCKOUT: Duration = Duration::from_secs(300);
/// Lockouts remembered at once (expired ones go first, then the soonest to expire).
pub const CAPACITY: usize = 4_096;

struct Entry {
    until: Instant,
    provider: String,
    reason: String,
}

#[derive(Default)]
pub struct Lockouts {
    map: Mutex<HashMap<(String, String), Entry>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LockoutView {
    pub connection_id: String,
    pub provider: String,
    pub model: String,
    pub remaining_secs: u64,
    pub reason: String,
}

impl Lockouts {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Entry>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks `model` (the provider-native id) out of `connection_id` for `wait`.
    pub fn lock_out(
        &self,
        connection_id: &str,
        provider: &str,
        model: &str,
        wait: Duration,
        reason: &str,
    ) {
        let now = Instant::now();
        let mut map = self.lock();
        let key = (connection_id.to_string(), model.to_string());
        if !map.contains_key(&key) && map.len() >= CAPACITY {
            map.retain(|_, e| e.until > now);
            if map.len() >= CAPACITY {
                if let Some(k) = map
                    .iter()
                    .min_by_key(|(_, e)| e.until)
                    .map(|(k, _)| k.clone())
                {
                    map.remove(&k);
                }
            }
        }
        let mut reason: String = reason.chars().take(300).collect();
        if reason.is_empty() {
            reason = "model unavailable on this connection".into();
        }
        map.insert(
            key,
            Entry {
                until: now + wait,
                provider: provider.to_string(),
                reason,
            },
        );
    }

    /// Until when `model` is locked out of `connection_id`, if it is.
    pub fn locked_until(&self, connection_id: &str, model: &str) -> Option<Instant> {
        let map = self.lock();
        if map.is_empty() {
            return None;
        }
        map.get(&(connection_id.to_string(), model.to_string()))
            .map(|e| e.until)
            .filter(|u| *u > Instant::now())
    }

    /// Whether `model` is locked out on every one of `connections` (false when none).
    pub fn all_locked(&self, connections: &[&str], model: &str) -> bool {
        !connections.is_empty()
            && connections
                .iter()
                .all(|c| self.locked_until(c, model).is_some())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn view(&self) -> Vec<LockoutView> {
        let now = Instant::now();
        let mut out: Vec<LockoutView> = self
            .lock()
            .iter()
            .filter(|(_, e)| e.until > now)
            .map(|((conn, model), e)| LockoutView {
                connection_id: conn.clone(),
                provider: e.provider.clone(),
                model: model.clone(),
                remaining_secs: e.until.saturating_duration_since(now).as_secs().max(1),
                reason: e.reason.clone(),
            })
            .collect();
        out.sort_by(|a, b| {
            a.provider
                .cmp(&b.provider)
                .then(a.model.cmp(&b.model))
                .then(a.connection_id.cmp(&b.connection_id))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lockout_is_per_connection_and_model_and_expires() {
        let l = Lockouts::default();
        l.lock_out("c1", "openai", "gpt-x", Duration::from_secs(60), "404");
        assert!(l.locked_until("c1", "gpt-x").is_some());
        assert!(l.locked_until("c1", "gpt-y").is_none());
        assert!(l.locked_until("c2", "gpt-x").is_none());
        assert!(l.all_locked(&["c1"], "gpt-x"));
        assert!(!l.all_locked(&["c1", "c2"], "gpt-x"));
        l.lock_out("c1", "openai", "gpt-z", Duration::ZERO, "gone");
        assert!(l.locked_until("c1", "gpt-z").is_none());
        assert_eq!(l.view().len(), 1);
        l.clear();
        assert!(l.view().is_empty());
    }

    #[test]
    fn the_map_stays_bounded() {
        let l = Lockouts::default();
        for i in 0..CAPACITY + 10 {
            l.lock_out(&format!("c{i}"), "p", "m", Duration::from_secs(60), "x");
        }
        assert!(l.lock().len() <= CAPACITY);
    }
}
