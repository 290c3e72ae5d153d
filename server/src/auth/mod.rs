//! The dashboard login: one admin password (argon2id), sessions, brute-force lockout.

pub mod api_keys;
pub mod lockout;
pub mod password;

use crate::config::Config;
use crate::store;
use anyhow::Context;
use sea_orm::DatabaseConnection;

/// Session key set once the password was checked.
pub const SESSION_AUTHENTICATED: &str = "authenticated";

const KV_NAMESPACE: &str = "auth";
const KV_ADMIN_PASSWORD: &str = "admin_password";
pub const MIN_PASSWORD_LEN: usize = 8;

/// Makes sure an admin password exists. At first start it is INITIAL_PASSWORD or, when unset,
/// a random one that is logged once.
pub async fn ensure_admin_password(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    if stored_hash(db).await?.is_some() {
        return Ok(());
    }
    let (password, generated) = match &config.initial_password {
        Some(p) => (p.clone(), false),
        None => (password::random_password(), true),
    };
    set_admin_password(db, &password).await?;
    if generated {
        tracing::warn!(
            "first start: the dashboard password is {password}  (shown once; change it in Settings, or run `omniroute reset-password`)"
        );
    } else {
        tracing::info!("first start: the dashboard password is the one from INITIAL_PASSWORD");
        if password == "CHANGEME" || password == "your-password" {
            tracing::warn!(
                "INITIAL_PASSWORD is the guide's example value: change the password in Settings"
            );
        }
    }
    Ok(())
}

pub async fn stored_hash(db: &DatabaseConnection) -> anyhow::Result<Option<String>> {
    let value = store::kv::get(db, KV_NAMESPACE, KV_ADMIN_PASSWORD)
        .await
        .context("reading the admin password")?;
    Ok(value.and_then(|v| serde_json::from_str::<String>(&v).ok()))
}

pub async fn set_admin_password(db: &DatabaseConnection, password: &str) -> anyhow::Result<()> {
    let owned = password.to_string();
    let hash = tokio::task::spawn_blocking(move || password::hash(&owned))
        .await
        .context("hashing the password")??;
    let value = serde_json::to_string(&hash)?;
    store::kv::set(db, KV_NAMESPACE, KV_ADMIN_PASSWORD, &value)
        .await
        .context("saving the admin password")?;
    Ok(())
}

/// Checks a password against the stored hash, off the async threads (argon2 is slow on purpose).
pub async fn verify_admin_password(
    db: &DatabaseConnection,
    candidate: &str,
) -> anyhow::Result<bool> {
    let Some(hash) = stored_hash(db).await? else {
        return Ok(false);
    };
    let candidate = candidate.to_string();
    let ok = tokio::task::spawn_blocking(move || password::verify(&candidate, &hash))
        .await
        .context("checking the password")?;
    Ok(ok)
}

/// `omniroute reset-password [--password P]`.
pub async fn reset_password_cli(config: Config, password: Option<String>) -> anyhow::Result<()> {
    let db = store::open(&config.db_path()).await?;
    let (password, generated) = match password {
        Some(p) => (p, false),
        None => (password::random_password(), true),
    };
    if password.chars().count() < MIN_PASSWORD_LEN {
        anyhow::bail!("the password must have at least {MIN_PASSWORD_LEN} characters");
    }
    set_admin_password(&db, &password).await?;
    // Everybody logged in with the old password is logged out.
    let removed = store::sessions::SqliteSessionStore::new(db.clone())
        .delete_all_except(None)
        .await?;
    if generated {
        tracing::warn!("the new dashboard password is {password}");
    } else {
        tracing::info!("the dashboard password was changed");
    }
    tracing::info!("{removed} dashboard session(s) were logged out");
    Ok(())
}
