//! API keys: generation, hashing, scopes, and the in-memory index the request path checks
//! (a key check is one HMAC and one hash-map lookup, never a database query).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Every scope a key can carry: `chat` (the /v1 API), `manage` (the /api management API),
/// and the MCP tool groups of the user guide.
pub const SCOPES: &[&str] = &[
    "chat",
    "manage",
    "analytics",
    "auth",
    "billing",
    "combos",
    "health",
    "keys",
    "memory",
    "models",
    "providers",
    "system",
];
pub const DEFAULT_SCOPES: &[&str] = &["chat"];
const KEY_PREFIX: &str = "sk-or-";

/// A new random key: `sk-or-` and 40 characters of base62 (about 238 bits).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = [0u8; 40];
    rand::rng().fill_bytes(&mut bytes);
    let mut key = String::with_capacity(KEY_PREFIX.len() + 40);
    key.push_str(KEY_PREFIX);
    // 248 = 4 * 62: rejection-free and unbiased for bytes below it; redraw the rest.
    for b in bytes {
        let mut byte = b;
        while byte >= 248 {
            let mut one = [0u8; 1];
            rand::rng().fill_bytes(&mut one);
            byte = one[0];
        }
        key.push(ALPHABET[(byte % 62) as usize] as char);
    }
    key
}

/// HMAC-SHA256 of the key with API_KEY_SECRET, hex. What the database stores.
pub fn hash(secret: &str, key: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(key.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; this arm is unreachable in practice.
        Err(_) => String::new(),
    }
}

/// What lists show: `sk-or-AbCd…wXyZ`.
pub fn display_prefix(key: &str) -> String {
    let head: String = key.chars().take(KEY_PREFIX.len() + 4).collect();
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}

/// A key as the request path sees it.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// Model patterns (`*` wildcard); None allows every model.
    pub allowed_models: Option<Vec<String>>,
    pub active: bool,
    pub expires_at: Option<i64>,
    pub revoked: bool,
}

impl KeyInfo {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    pub fn allows_model(&self, model: &str) -> bool {
        match &self.allowed_models {
            None => true,
            Some(patterns) => patterns.iter().any(|p| wildcard(p, model)),
        }
    }

    /// Why this key cannot be used now, if it cannot.
    pub fn unusable(&self, now: i64) -> Option<&'static str> {
        if self.revoked {
            Some("this API key was revoked")
        } else if !self.active {
            Some("this API key is disabled")
        } else if self.expires_at.is_some_and(|t| t <= now) {
            Some("this API key has expired")
        } else {
            None
        }
    }
}

/// `*` matches any run of characters, `?` one character.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Every key by hash, swapped whole after a change.
#[derive(Debug, Default)]
pub struct KeyIndex(RwLock<Arc<HashMap<String, KeyInfo>>>);

impl KeyIndex {
    pub fn set(&self, keys: HashMap<String, KeyInfo>) {
        let mut guard = self.0.write().unwrap_or_else(|p| p.into_inner());
        *guard = Arc::new(keys);
    }

    pub fn lookup(&self, hash: &str) -> Option<KeyInfo> {
        let guard = self.0.read().unwrap_or_else(|p| p.into_inner());
        guard.get(hash).cloned()
    }
}

/// Where a client put its key: `Authorization: Bearer`, `x-api-key` (Anthropic clients),
/// `x-goog-api-key` or `?key=` (Gemini clients).
pub fn presented_key<'a>(
    headers: &'a axum::http::HeaderMap,
    query: Option<&'a str>,
) -> Option<String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(auth) = header("authorization") {
        let token = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
            .unwrap_or(auth)
            .trim();
        if !token.is_empty() {
            return Some(token.to_string());
        }
    }
    for name in ["x-api-key", "x-goog-api-key"] {
        if let Some(v) = header(name).filter(|v| !v.is_empty()) {
            return Some(v.to_string());
        }
    }
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == "key" && !v.is_empty()).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_prefixed_and_hashed_with_the_secret() {
        let a = generate();
        assert!(a.starts_with("sk-or-") && a.len() == 46, "{a}");
        assert!(a[6..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, generate());
        assert_eq!(hash("s1", &a), hash("s1", &a));
        assert_ne!(hash("s1", &a), hash("s2", &a));
        assert_eq!(hash("s1", &a).len(), 64);
        assert!(display_prefix(&a).starts_with("sk-or-") && display_prefix(&a).contains('…'));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("openai/*", "openai/gpt-5"));
        assert!(wildcard("*", "anything"));
        assert!(wildcard("claude-sonnet-?", "claude-sonnet-4"));
        assert!(!wildcard("openai/*", "anthropic/claude"));
        assert!(!wildcard("gpt-?", "gpt-55"));
    }

    #[test]
    fn keys_are_found_in_every_place_clients_put_them() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(
            presented_key(&h, Some("alt=sse&key=k1")).as_deref(),
            Some("k1")
        );
        h.insert("x-goog-api-key", "k2".parse().unwrap());
        assert_eq!(presented_key(&h, None).as_deref(), Some("k2"));
        h.insert("x-api-key", "k3".parse().unwrap());
        assert_eq!(presented_key(&h, None).as_deref(), Some("k3"));
        h.insert("authorization", "Bearer k4".parse().unwrap());
        assert_eq!(presented_key(&h, None).as_deref(), Some("k4"));
        assert_eq!(
            presented_key(&axum::http::HeaderMap::new(), Some("alt=sse")),
            None
        );
    }

    #[test]
    fn unusable_keys_say_why() {
        let mut k = KeyInfo {
            id: "1".into(),
            name: "n".into(),
            scopes: vec!["chat".into()],
            allowed_models: None,
            active: true,
            expires_at: Some(100),
            revoked: false,
        };
        assert_eq!(k.unusable(50), None);
        assert_eq!(k.unusable(100), Some("this API key has expired"));
        k.active = false;
        assert_eq!(k.unusable(50), Some("this API key is disabled"));
        k.revoked = true;
        assert_eq!(k.unusable(50), Some("this API key was revoked"));
    }
}
