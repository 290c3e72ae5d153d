//! Configuration: command-line flags, then the process environment, then `.env` files
//! (`DATA_DIR/.env`, then `./.env`), then the secrets generated into `DATA_DIR/server.env`.
//!
//! The environment is read, never written: values from files are looked up, not exported.

use anyhow::{bail, Context};
use rand::RngCore;
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::path::{Path, PathBuf};

pub const DEFAULT_PORT: u16 = 20128;
pub const DB_FILE: &str = "storage.sqlite";
pub const SECRETS_FILE: &str = "server.env";

/// Values from the guide's examples, public and therefore never used as secrets.
const PUBLIC_EXAMPLE_SECRETS: &[&str] = &[
    "omniroute-default-secret-change-me",
    "endpoint-proxy-api-key-secret",
    "your-secure-secret-change-this",
    "your-secret",
];

/// What the command line says; it wins over everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub port: Option<u16>,
    pub host: Option<String>,
    pub data_dir: Option<PathBuf>,
}

#[derive(Clone)]
pub struct Config {
    pub host: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    /// Signs the dashboard session cookie.
    pub jwt_secret: String,
    /// HMAC secret for API keys.
    pub api_key_secret: String,
    /// Encrypts provider credentials at rest.
    pub storage_encryption_key: String,
    pub initial_password: Option<String>,
    pub cookie_secure: bool,
    /// REQUIRE_API_KEY: Some(true) always, Some(false) never (an explicit choice), None: a key
    /// is required whenever the server listens beyond loopback.
    pub require_api_key: Option<bool>,
    /// ALLOW_API_KEY_REVEAL: keep new keys encrypted so the dashboard can show them again.
    pub allow_api_key_reveal: bool,
    /// DISABLE_SQLITE_AUTO_BACKUP: no copy of the database before an import.
    pub disable_sqlite_auto_backup: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets are never printed.
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("data_dir", &self.data_dir)
            .field("cookie_secure", &self.cookie_secure)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(DB_FILE)
    }

    /// True when the server can be reached from other machines.
    pub fn listens_beyond_loopback(&self) -> bool {
        !self.host.is_loopback()
    }

    /// Whether a /v1 request without a key is refused.
    pub fn api_key_required(&self) -> bool {
        self.require_api_key
            .unwrap_or_else(|| self.listens_beyond_loopback())
    }

    pub fn load(overrides: Overrides) -> anyhow::Result<Config> {
        let cwd_env = read_env_file(Path::new(".env"))?;
        let lookup_early = |name: &str| -> Option<String> {
            non_empty(std::env::var(name).ok()).or_else(|| non_empty(cwd_env.get(name).cloned()))
        };

        let data_dir = match overrides.data_dir.clone() {
            Some(dir) => dir,
            None => match lookup_early("DATA_DIR") {
                Some(dir) => expand_home(&dir),
                None => default_data_dir()?,
            },
        };
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .with_context(|| format!("cannot resolve the data directory {}", data_dir.display()))?;
        check_writable(&data_dir)?;

        let data_env = read_env_file(&data_dir.join(".env"))?;
        let secrets_path = data_dir.join(SECRETS_FILE);
        let mut generated = read_env_file(&secrets_path)?;
        let lookup = |name: &str| -> Option<String> {
            non_empty(std::env::var(name).ok())
                .or_else(|| non_empty(data_env.get(name).cloned()))
                .or_else(|| non_empty(cwd_env.get(name).cloned()))
        };

        let port = match overrides.port {
            Some(port) => port,
            None => match lookup("PORT") {
                Some(text) => text.trim().parse::<u16>().with_context(|| {
                    format!("PORT must be a number from 0 to 65535, got {text:?}")
                })?,
                None => DEFAULT_PORT,
            },
        };
        let host_text = overrides.host.clone().or_else(|| lookup("HOSTNAME"));
        let host = match host_text {
            Some(text) => resolve_host(&text)?,
            None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        };

        let mut secret = |name: &str| -> anyhow::Result<String> {
            if let Some(value) = lookup(name) {
                if !PUBLIC_EXAMPLE_SECRETS.contains(&value.as_str()) {
                    return Ok(value);
                }
                tracing::warn!(
                    "{name} is set to a value published in the user guide; ignoring it and using a private generated secret"
                );
            }
            if let Some(value) = non_empty(generated.get(name).cloned()) {
                return Ok(value);
            }
            let value = random_hex(32);
            append_secret(&secrets_path, name, &value)?;
            generated.insert(name.to_string(), value.clone());
            Ok(value)
        };
        let jwt_secret = secret("JWT_SECRET")?;
        let api_key_secret = secret("API_KEY_SECRET")?;
        let storage_encryption_key = secret("STORAGE_ENCRYPTION_KEY")?;

        let flag = |name: &str| -> anyhow::Result<Option<bool>> {
            match lookup(name) {
                None => Ok(None),
                Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => Ok(Some(true)),
                    "0" | "false" | "no" | "off" => Ok(Some(false)),
                    other => bail!("{name} must be true or false, got {other:?}"),
                },
            }
        };
        let cookie_secure = flag("AUTH_COOKIE_SECURE")?.unwrap_or(false);
        let require_api_key = flag("REQUIRE_API_KEY")?;
        let allow_api_key_reveal = flag("ALLOW_API_KEY_REVEAL")?.unwrap_or(false);
        let disable_sqlite_auto_backup = flag("DISABLE_SQLITE_AUTO_BACKUP")?.unwrap_or(false);

        Ok(Config {
            host,
            port,
            data_dir,
            jwt_secret,
            api_key_secret,
            storage_encryption_key,
            initial_password: lookup("INITIAL_PASSWORD"),
            cookie_secure,
            require_api_key,
            allow_api_key_reveal,
            disable_sqlite_auto_backup,
        })
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn default_data_dir() -> anyhow::Result<PathBuf> {
    match std::env::var_os("HOME") {
        Some(home) if !home.is_empty() => Ok(PathBuf::from(home).join(".omniroute")),
        _ => bail!("HOME is not set: set DATA_DIR to choose where OmniRoute keeps its data"),
    }
}

fn expand_home(path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    PathBuf::from(path)
}

fn check_writable(dir: &Path) -> anyhow::Result<()> {
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("the data directory {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// HOSTNAME is an address to bind. Shells and containers sometimes export the machine's name
/// in it; a name is resolved, and a name that does not resolve is an error naming it.
fn resolve_host(text: &str) -> anyhow::Result<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(ip);
    }
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let mut addrs = (text, 0u16).to_socket_addrs().with_context(|| {
        format!("HOSTNAME {text:?} is neither an IP address nor a resolvable name")
    })?;
    match addrs.next() {
        Some(addr) => Ok(addr.ip()),
        None => bail!("HOSTNAME {text:?} resolves to no address"),
    }
}

fn read_env_file(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    if !path.exists() {
        return Ok(out);
    }
    let iter =
        dotenvy::from_path_iter(path).with_context(|| format!("cannot read {}", path.display()))?;
    for item in iter {
        let (key, value) =
            item.with_context(|| format!("{} has a malformed line", path.display()))?;
        out.insert(key, value);
    }
    Ok(out)
}

fn append_secret(path: &Path, name: &str, value: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write the generated secrets file {}", path.display()))?;
    writeln!(file, "{name}={value}")
        .with_context(|| format!("cannot write the generated secrets file {}", path.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot write the generated secrets file {}", path.display()))?;
    Ok(())
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_accepts_ips_and_localhost_and_rejects_garbage() {
        assert_eq!(resolve_host("0.0.0.0").unwrap().to_string(), "0.0.0.0");
        assert!(resolve_host("localhost").unwrap().is_loopback());
        assert!(resolve_host("::1").unwrap().is_loopback());
        let err = resolve_host("no-such-host.invalid")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no-such-host.invalid"), "{err}");
    }

    #[test]
    fn secrets_are_generated_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let overrides = Overrides {
            data_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        let first = Config::load(overrides.clone()).unwrap();
        let second = Config::load(overrides).unwrap();
        assert_eq!(first.jwt_secret.len(), 64);
        assert_eq!(first.jwt_secret, second.jwt_secret);
        assert_ne!(first.jwt_secret, first.api_key_secret);
        assert!(!PUBLIC_EXAMPLE_SECRETS.contains(&first.jwt_secret.as_str()));
        let text = std::fs::read_to_string(dir.path().join(SECRETS_FILE)).unwrap();
        assert_eq!(text.lines().count(), 3);
    }
}
