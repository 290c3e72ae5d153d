//! IP access control (Settings → Security): allow and deny lists of addresses and CIDR
//! ranges, enforced on every request (/v1, /api, MCP, the dashboard). A deny match always
//! refuses; a non-empty allow list refuses everything it does not match. Loopback is always
//! allowed, so whoever sits at the machine can never lock themselves out.
//!
//! `GET /api/settings/ip-access`, `PUT /api/settings/ip-access {"enabled","allow","deny"}`.

use super::SystemState;
use crate::http::error::ApiError;
use crate::http::manage::body::JsonBody;
use crate::store;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};
use tokio::sync::OnceCell;

const KV_NAMESPACE: &str = "settings";
const KV_KEY: &str = "ipAccess";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IpAccess {
    pub enabled: bool,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

/// The parsed policy the middleware checks.
#[derive(Debug, Default)]
struct Policy {
    enabled: bool,
    allow: Vec<IpNet>,
    deny: Vec<IpNet>,
}

fn parse_entry(field: &str, index: usize, text: &str) -> Result<IpNet, ApiError> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_cidr",
                format!("{field}[{index}]: {text:?} is not an IP address or CIDR range (e.g. 10.0.0.0/8)"),
            )
        })
}

impl Policy {
    fn from_settings(s: &IpAccess) -> Result<Self, ApiError> {
        let parse = |field: &str, list: &[String]| -> Result<Vec<IpNet>, ApiError> {
            list.iter()
                .enumerate()
                .map(|(i, t)| parse_entry(field, i, t))
                .collect()
        };
        Ok(Policy {
            enabled: s.enabled,
            allow: parse("allow", &s.allow)?,
            deny: parse("deny", &s.deny)?,
        })
    }

    fn admits(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        if !self.enabled || ip.is_loopback() {
            return true;
        }
        if self.deny.iter().any(|n| n.contains(&ip)) {
            return false;
        }
        self.allow.is_empty() || self.allow.iter().any(|n| n.contains(&ip))
    }
}

/// The current settings and policy, loaded from the database on first use.
#[derive(Debug, Default)]
pub struct IpAccessCell {
    loaded: OnceCell<()>,
    current: RwLock<(IpAccess, Arc<Policy>)>,
}

impl IpAccessCell {
    async fn ensure_loaded(&self, db: &sea_orm::DatabaseConnection) {
        self.loaded
            .get_or_init(|| async {
                let settings: IpAccess = store::kv::get_json(db, KV_NAMESPACE, KV_KEY)
                    .await
                    .unwrap_or_default();
                match Policy::from_settings(&settings) {
                    Ok(policy) => self.set(settings, policy),
                    Err(e) => tracing::error!(
                        "the stored IP access settings are invalid and were ignored: {e}"
                    ),
                }
            })
            .await;
    }

    fn set(&self, settings: IpAccess, policy: Policy) {
        let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
        *guard = (settings, Arc::new(policy));
    }

    fn policy(&self) -> Arc<Policy> {
        self.current.read().map(|g| g.1.clone()).unwrap_or_default()
    }

    fn settings(&self) -> IpAccess {
        self.current.read().map(|g| g.0.clone()).unwrap_or_default()
    }
}

pub async fn enforce(
    State(system): State<SystemState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    system.ip.ensure_loaded(system.app.db()).await;
    if system.ip.policy().admits(peer.ip()) {
        return next.run(req).await;
    }
    tracing::warn!(
        "refused {} {} from {}: IP access control",
        req.method(),
        req.uri().path(),
        peer.ip()
    );
    let message = format!(
        "requests from {} are not allowed by this server's IP access control",
        peer.ip()
    );
    let path = req.uri().path();
    if crate::http::v1::is_client_path(path) {
        let format = crate::http::v1::dialect_of(path);
        return crate::http::v1::error::V1Error::new(format, 403, &message).into_response_for();
    }
    ApiError::Forbidden {
        code: "ip_not_allowed",
        message,
    }
    .into_response()
}

pub async fn get_settings(State(system): State<SystemState>) -> Json<Value> {
    system.ip.ensure_loaded(system.app.db()).await;
    Json(json!(system.ip.settings()))
}

pub async fn put_settings(
    State(system): State<SystemState>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    system.ip.ensure_loaded(system.app.db()).await;
    let body = JsonBody::parse(&body)?;
    let mut settings = system.ip.settings();
    if let Some(enabled) = body.boolean("enabled")? {
        settings.enabled = enabled;
    }
    if let Some(allow) = body.string_list("allow")? {
        settings.allow = allow;
    }
    if let Some(deny) = body.string_list("deny")? {
        settings.deny = deny;
    }
    let policy = Policy::from_settings(&settings)?;
    store::kv::set_json(system.app.db(), KV_NAMESPACE, KV_KEY, &settings)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    system.ip.set(settings.clone(), policy);
    tracing::info!(
        "IP access control {}: {} allowed range(s), {} denied",
        if settings.enabled { "on" } else { "off" },
        settings.allow.len(),
        settings.deny.len()
    );
    Ok(Json(json!(settings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow: &[&str], deny: &[&str]) -> Policy {
        Policy::from_settings(&IpAccess {
            enabled: true,
            allow: allow.iter().map(|s| s.to_string()).collect(),
            deny: deny.iter().map(|s| s.to_string()).collect(),
        })
        .unwrap()
    }

    #[test]
    fn deny_wins_allow_restricts_loopback_always_passes() {
        let p = policy(&["10.0.0.0/8"], &["10.1.0.0/16"]);
        assert!(p.admits("10.2.3.4".parse().unwrap()));
        assert!(!p.admits("10.1.2.3".parse().unwrap()));
        assert!(!p.admits("192.168.1.1".parse().unwrap()));
        assert!(p.admits("127.0.0.1".parse().unwrap()));
        assert!(p.admits("::1".parse().unwrap()));
        assert!(p.admits("::ffff:10.2.3.4".parse().unwrap()), "v4-mapped v6");
        let open = policy(&[], &["203.0.113.7"]);
        assert!(!open.admits("203.0.113.7".parse().unwrap()));
        assert!(open.admits("203.0.113.8".parse().unwrap()));
    }

    #[test]
    fn bad_entries_are_named() {
        let err = Policy::from_settings(&IpAccess {
            enabled: true,
            allow: vec!["10.0.0.0/8".into(), "ten.dot".into()],
            deny: vec![],
        })
        .unwrap_err();
        assert!(err.to_string().contains("allow[1]"), "{err}");
    }
}
