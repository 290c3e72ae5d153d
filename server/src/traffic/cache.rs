//! The exact response cache (Settings → Cache; stats on Health).
//!
//! Non-streaming requests with `temperature: 0` are deterministic enough to answer twice from
//! one upstream call. The key is a SHA-256 of the client format, the endpoint, the requested
//! model and the request body in a canonical form (object keys sorted, no whitespace), so two
//! bodies that differ only in key order or spacing share an entry. Entries live in memory,
//! bounded by count and by bytes (least recently used first out), and expire after a TTL.
//! `X-OmniRoute-No-Cache: true` bypasses the cache (neither read nor written).

use axum::body::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CacheSettings {
    pub enabled: bool,
    pub ttl_secs: u64,
    pub max_entries: usize,
    pub max_bytes: usize,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            ttl_secs: 300,
            max_entries: 1000,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A stored answer and what the response headers said about it.
#[derive(Debug, Clone)]
pub struct CachedResponse {
    pub body: Bytes,
    pub content_type: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub connection: Option<String>,
}

impl CachedResponse {
    fn size(&self) -> usize {
        self.body.len()
            + self.content_type.len()
            + self.provider.as_ref().map_or(0, String::len)
            + self.model.as_ref().map_or(0, String::len)
            + self.connection.as_ref().map_or(0, String::len)
            + 128
    }
}

pub type CacheKey = [u8; 32];

struct Entry {
    value: Arc<CachedResponse>,
    size: usize,
    stored: Instant,
    /// Position in the recency order (higher = used more recently).
    tick: u64,
}

#[derive(Default)]
struct Lru {
    entries: HashMap<CacheKey, Entry>,
    order: BTreeMap<u64, CacheKey>,
    bytes: usize,
    tick: u64,
}

impl Lru {
    fn remove(&mut self, key: &CacheKey) {
        if let Some(e) = self.entries.remove(key) {
            self.order.remove(&e.tick);
            self.bytes -= e.size;
        }
    }

    fn touch(&mut self, key: &CacheKey) {
        self.tick += 1;
        let tick = self.tick;
        if let Some(e) = self.entries.get_mut(key) {
            self.order.remove(&e.tick);
            e.tick = tick;
            self.order.insert(tick, *key);
        }
    }

    /// Drops the least recently used entries until both bounds hold.
    fn shrink(&mut self, max_entries: usize, max_bytes: usize) {
        while self.entries.len() > max_entries || self.bytes > max_bytes {
            let Some((_, key)) = self.order.pop_first() else {
                break;
            };
            if let Some(e) = self.entries.remove(&key) {
                self.bytes -= e.size;
            }
        }
    }
}

#[derive(Default)]
pub struct ResponseCache {
    settings: Mutex<CacheSettings>,
    lru: Mutex<Lru>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// `GET /api/cache/stats`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    pub enabled: bool,
    pub entries: usize,
    pub bytes: usize,
    pub max_entries: usize,
    pub max_bytes: usize,
    pub ttl_secs: u64,
    pub hits: u64,
    pub misses: u64,
    /// hits / (hits + misses), 0 when nothing was looked up yet.
    pub hit_rate: f64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ResponseCache {
    pub fn settings(&self) -> CacheSettings {
        *lock(&self.settings)
    }

    /// New bounds apply at once (entries beyond them are dropped).
    pub fn set_settings(&self, s: CacheSettings) {
        *lock(&self.settings) = s;
        let mut lru = lock(&self.lru);
        if s.enabled {
            lru.shrink(s.max_entries, s.max_bytes);
        } else {
            *lru = Lru::default();
        }
    }

    /// The entry for `key` when it is fresh; counts a hit or a miss.
    pub fn get(&self, key: &CacheKey) -> Option<Arc<CachedResponse>> {
        self.get_at(key, Instant::now())
    }

    fn get_at(&self, key: &CacheKey, now: Instant) -> Option<Arc<CachedResponse>> {
        let ttl = Duration::from_secs(self.settings().ttl_secs);
        let mut lru = lock(&self.lru);
        let fresh = match lru.entries.get(key) {
            Some(e) if now.saturating_duration_since(e.stored) < ttl => Some(e.value.clone()),
            Some(_) => {
                lru.remove(key);
                None
            }
            None => None,
        };
        match fresh {
            Some(v) => {
                lru.touch(key);
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(v)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    pub fn put(&self, key: CacheKey, value: CachedResponse) {
        self.put_at(key, value, Instant::now());
    }

    fn put_at(&self, key: CacheKey, value: CachedResponse, now: Instant) {
        let s = self.settings();
        let size = value.size();
        if !s.enabled || s.max_entries == 0 || size > s.max_bytes {
            return;
        }
        let mut lru = lock(&self.lru);
        lru.remove(&key);
        lru.tick += 1;
        let tick = lru.tick;
        lru.entries.insert(
            key,
            Entry {
                value: Arc::new(value),
                size,
                stored: now,
                tick,
            },
        );
        lru.order.insert(tick, key);
        lru.bytes += size;
        lru.shrink(s.max_entries, s.max_bytes);
    }

    /// Empties the cache (the hit and miss counters stay).
    pub fn flush(&self) -> usize {
        let mut lru = lock(&self.lru);
        let n = lru.entries.len();
        *lru = Lru::default();
        n
    }

    pub fn stats(&self) -> CacheStats {
        let s = self.settings();
        let lru = lock(&self.lru);
        let hits = self.hits.load(Ordering::Relaxed);
        let misses = self.misses.load(Ordering::Relaxed);
        let looked = hits + misses;
        CacheStats {
            enabled: s.enabled,
            entries: lru.entries.len(),
            bytes: lru.bytes,
            max_entries: s.max_entries,
            max_bytes: s.max_bytes,
            ttl_secs: s.ttl_secs,
            hits,
            misses,
            hit_rate: if looked == 0 {
                0.0
            } else {
                hits as f64 / looked as f64
            },
        }
    }
}

/// Whether a request body asks for a deterministic answer: `temperature` (or Gemini's
/// `generationConfig.temperature`) is 0, and it is not a stream.
pub fn cacheable(body: &Value) -> bool {
    if body.get("stream").and_then(Value::as_bool) == Some(true) {
        return false;
    }
    let temperature = body.get("temperature").or_else(|| {
        body.get("generationConfig")
            .and_then(|g| g.get("temperature"))
    });
    temperature.and_then(Value::as_f64) == Some(0.0)
}

/// The cache key of a request.
pub fn key(format: &str, endpoint: &str, model: &str, body: &Value) -> CacheKey {
    let mut canonical = Vec::with_capacity(256);
    write_canonical(body, &mut canonical);
    let mut h = Sha256::new();
    for part in [format.as_bytes(), endpoint.as_bytes(), model.as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(&canonical);
    h.finalize().into()
}

/// JSON with object keys sorted and no whitespace.
fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(&Value::String(k.clone()), out);
                out.push(b':');
                if let Some(inner) = map.get(k) {
                    write_canonical(inner, out);
                }
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        other => {
            if let Ok(text) = serde_json::to_vec(other) {
                out.extend_from_slice(&text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(text: &str) -> CachedResponse {
        CachedResponse {
            body: Bytes::from(text.to_string()),
            content_type: "application/json".into(),
            provider: None,
            model: None,
            connection: None,
        }
    }

    #[test]
    fn keys_ignore_key_order_and_spacing() {
        let a: Value = serde_json::from_str(
            r#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"x"}]}"#,
        )
        .unwrap();
        let b: Value = serde_json::from_str(
            r#"{ "messages": [ {"content":"x", "role":"user"} ], "temperature": 0, "model": "m" }"#,
        )
        .unwrap();
        assert_eq!(
            key("openai", "chat", "m", &a),
            key("openai", "chat", "m", &b)
        );
        assert_ne!(
            key("openai", "chat", "m", &a),
            key("claude", "chat", "m", &a)
        );
        let c = json!({"model":"m","temperature":0,"messages":[{"role":"user","content":"y"}]});
        assert_ne!(
            key("openai", "chat", "m", &a),
            key("openai", "chat", "m", &c)
        );
    }

    #[test]
    fn only_temperature_zero_without_stream_is_cacheable() {
        assert!(cacheable(&json!({"temperature": 0})));
        assert!(cacheable(&json!({"temperature": 0.0, "stream": false})));
        assert!(cacheable(&json!({"generationConfig": {"temperature": 0}})));
        assert!(!cacheable(&json!({"temperature": 0, "stream": true})));
        assert!(!cacheable(&json!({"temperature": 0.7})));
        assert!(!cacheable(&json!({})));
    }

    #[test]
    fn entries_expire_and_the_least_recently_used_go_first() {
        let c = ResponseCache::default();
        c.set_settings(CacheSettings {
            enabled: true,
            ttl_secs: 10,
            max_entries: 2,
            max_bytes: 1 << 20,
        });
        let t0 = Instant::now();
        c.put_at([1; 32], answer("one"), t0);
        c.put_at([2; 32], answer("two"), t0);
        assert!(c.get_at(&[1; 32], t0).is_some()); // 1 is now the most recent
        c.put_at([3; 32], answer("three"), t0);
        assert!(c.get_at(&[2; 32], t0).is_none(), "2 was evicted");
        assert!(c.get_at(&[1; 32], t0).is_some());
        assert!(
            c.get_at(&[3; 32], t0 + Duration::from_secs(11)).is_none(),
            "expired"
        );
        let s = c.stats();
        assert_eq!((s.entries, s.hits, s.misses), (1, 2, 2));
        assert_eq!(c.flush(), 1);
        assert_eq!(c.stats().bytes, 0);
    }

    #[test]
    fn the_byte_bound_holds() {
        let c = ResponseCache::default();
        c.set_settings(CacheSettings {
            enabled: true,
            ttl_secs: 10,
            max_entries: 100,
            max_bytes: 600,
        });
        for i in 0..10u8 {
            c.put([i; 32], answer(&"x".repeat(100)));
        }
        let s = c.stats();
        assert!(s.bytes <= 600, "{s:?}");
        assert_eq!(s.entries, 2);
        c.put([99; 32], answer(&"x".repeat(1000)));
        assert_eq!(
            c.stats().entries,
            2,
            "an answer larger than the cache is not stored"
        );
    }
}
