//! Outbound proxies for upstream calls (Settings → Advanced; `/api/settings/proxy`): a global
//! proxy, one per provider (overriding the global one, or `null` to go direct), and hosts
//! reached directly (`noProxy`). Schemes: `http`, `https`, `socks5` (names resolved locally),
//! `socks5h` (names resolved by the proxy).
//!
//! The settings live in the key-value store (`settings` / `proxy`) and in memory; a change
//! applies to the next upstream call, without a restart. Each distinct proxy gets its own
//! pooled `reqwest::Client`, built once and cached ([`Outbound::client`]); a change of
//! settings empties the cache. Calls without a proxy use the server's shared client.

use crate::crypto::SecretBox;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

pub const KV_KEY: &str = "proxy";
pub const SCHEMES: [&str; 4] = ["http", "https", "socks5", "socks5h"];

/// One proxy: its URL, or `None` for a direct connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyRef {
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxySettings {
    pub global: ProxyRef,
    /// Provider (or custom node) id → its proxy; `url: None` means direct even with a global
    /// proxy.
    pub per_provider: BTreeMap<String, ProxyRef>,
    /// Hosts (`api.example.com`), domains (`.example.com`), IPs or CIDRs reached directly.
    pub no_proxy: Vec<String>,
}

impl ProxySettings {
    /// The proxy URL calls to `provider` go through, if any.
    pub fn proxy_for(&self, provider: &str) -> Option<&str> {
        match self.per_provider.get(provider) {
            Some(p) => p.url.as_deref(),
            None => self.global.url.as_deref(),
        }
    }
}

/// Checks a proxy URL: a known scheme, a host and a port (given, or the scheme's default for
/// http/https); no path, query or fragment. Answers the URL as normalised.
pub fn validate_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let url = reqwest::Url::parse(text).map_err(|e| {
        format!(
            "{text:?} is not a URL ({e}); use e.g. http://127.0.0.1:8080 or socks5://proxy:1080"
        )
    })?;
    if !SCHEMES.contains(&url.scheme()) {
        return Err(format!(
            "the scheme {:?} is not supported: use http, https, socks5 or socks5h",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{text:?} has no host"));
    }
    if url.port_or_known_default().is_none() {
        return Err(format!("{text:?} needs a port (e.g. socks5://host:1080)"));
    }
    if !(url.path().is_empty() || url.path() == "/")
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!(
            "{text:?} must be only scheme://[user:password@]host:port, without a path"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Builds a client like the server's shared one, through `proxy` (None: direct).
pub fn build_client(proxy: Option<&str>, no_proxy: &[String]) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(32)
        .user_agent(concat!("omniroute/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = proxy {
        let exempt = reqwest::NoProxy::from_string(&no_proxy.join(","));
        builder = builder.proxy(reqwest::Proxy::all(url)?.no_proxy(exempt));
    } else {
        builder = builder.no_proxy();
    }
    builder.build()
}

/// The settings in memory and a client per proxy.
#[derive(Default)]
pub struct Outbound {
    settings: RwLock<Arc<ProxySettings>>,
    clients: Mutex<HashMap<String, reqwest::Client>>,
}

impl Outbound {
    pub fn settings(&self) -> Arc<ProxySettings> {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set(&self, settings: ProxySettings) {
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(settings);
        self.clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Reads the stored settings (sealed, or the plain form of earlier builds).
    pub async fn load(&self, db: &sea_orm::DatabaseConnection, secrets: &SecretBox) {
        let stored: Option<serde_json::Value> =
            crate::store::kv::get_json(db, "settings", KV_KEY).await;
        let settings = match stored {
            Some(serde_json::Value::Object(m)) if m.contains_key("sealed") => m
                .get("sealed")
                .and_then(|v| v.as_str())
                .and_then(|sealed| {
                    secrets
                        .decrypt(sealed)
                        .map_err(|e| tracing::warn!("the stored proxy settings cannot be opened ({e}); no proxy is used"))
                        .ok()
                })
                .and_then(|json| serde_json::from_str(&json).ok()),
            Some(plain) => serde_json::from_value(plain).ok(),
            None => None,
        };
        self.set(settings.unwrap_or_default());
    }
}

/// Stores the settings sealed with STORAGE_ENCRYPTION_KEY: proxy URLs may carry passwords.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    secrets: &SecretBox,
    settings: &ProxySettings,
) -> Result<(), sea_orm::DbErr> {
    let json =
        serde_json::to_string(settings).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    let sealed = secrets
        .encrypt(&json)
        .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    crate::store::kv::set_json(
        db,
        "settings",
        KV_KEY,
        &serde_json::json!({ "sealed": sealed }),
    )
    .await
}

/// What a proxy URL's password shows as when the settings are read back.
pub const MASK: &str = "****";

/// The URL with its password (if any) replaced by [`MASK`], for showing.
pub fn masked(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some(MASK));
            u.as_str().trim_end_matches('/').to_string()
        }
        _ => url.to_string(),
    }
}

/// A URL sent back with [`MASK`] as its password keeps the password of `previous` when it is
/// the same proxy (scheme, user, host, port); a masked URL with nothing to restore is refused.
pub fn unmasked(url: String, previous: Option<&str>) -> Result<String, String> {
    let Ok(mut u) = reqwest::Url::parse(&url) else {
        return Ok(url);
    };
    if u.password() != Some(MASK) {
        return Ok(url);
    }
    let same = previous
        .and_then(|p| reqwest::Url::parse(p).ok())
        .filter(|p| {
            p.scheme() == u.scheme()
                && p.username() == u.username()
                && p.host_str() == u.host_str()
                && p.port_or_known_default() == u.port_or_known_default()
        });
    match same {
        Some(p) if u.set_password(p.password()).is_ok() => {
            Ok(u.as_str().trim_end_matches('/').to_string())
        }
        _ => Err(format!(
            "the password shows as {MASK}: type the proxy's password again"
        )),
    }
}

impl Outbound {
    /// The client for a call to `provider`: `direct` (the shared client) unless a proxy
    /// applies. A proxy whose client cannot be built (it was validated when saved, so this
    /// is unexpected) is logged and the call goes direct.
    pub fn client(&self, direct: &reqwest::Client, provider: &str) -> reqwest::Client {
        let settings = self.settings();
        let Some(url) = settings.proxy_for(provider) else {
            return direct.clone();
        };
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = clients.get(url) {
            return c.clone();
        }
        match build_client(Some(url), &settings.no_proxy) {
            Ok(c) => {
                clients.insert(url.to_string(), c.clone());
                c
            }
            Err(e) => {
                tracing::warn!(
                    "the proxy {url} for {provider} is unusable ({e}); connecting directly"
                );
                direct.clone()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert_eq!(
            validate_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_url("socks5h://u:p@proxy:1080").unwrap(),
            "socks5h://u:p@proxy:1080"
        );
        assert!(
            validate_url("http://proxy").is_ok(),
            "http has a default port"
        );
        for bad in [
            "ftp://x:21",
            "socks5://proxy",
            "http://:8080",
            "http://h:1/path",
            "nonsense",
            "",
        ] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_provider_entry_overrides_the_global_proxy() {
        let mut s = ProxySettings {
            global: ProxyRef {
                url: Some("http://g:1".into()),
            },
            ..Default::default()
        };
        s.per_provider.insert(
            "openai".into(),
            ProxyRef {
                url: Some("socks5://o:2".into()),
            },
        );
        s.per_provider
            .insert("ollama".into(), ProxyRef { url: None });
        assert_eq!(s.proxy_for("openai"), Some("socks5://o:2"));
        assert_eq!(s.proxy_for("ollama"), None);
        assert_eq!(s.proxy_for("anthropic"), Some("http://g:1"));
    }
}
