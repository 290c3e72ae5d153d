//! Optional request and response bodies in the request log (off by default).
//!
//! The settings (`/api/settings/logging`: `recordBodies`, `retentionDays`, `maxBodyBytes`)
//! live in the key-value store (namespace `settings`, key `logging`) and in memory
//! ([`LoggingCell`]), read by the request path without touching the database. When recording
//! is on, a [`Capture`] in the attempt's `Recording` keeps the client's request body and the
//! response sent back (streams included: what the client received, up to `maxBodyBytes`),
//! each truncated at a character boundary. Only bodies are kept: headers, and with them
//! `Authorization`, `x-api-key` and `x-goog-api-key`, are never stored. The usage writer stores
//! them with the batch (table `usage_bodies`, one row per client request), and the retention
//! job of `crate::jobs` deletes rows older than `retentionDays`.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};

pub const KV_KEY: &str = "logging";
pub const DEFAULT_RETENTION_DAYS: u32 = 7;
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_RETENTION_DAYS: u32 = 3650;
/// The largest accepted `maxBodyBytes` (a body is stored in one SQLite TEXT value).
pub const MAX_BODY_BYTES_LIMIT: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LoggingSettings {
    pub record_bodies: bool,
    pub retention_days: u32,
    pub max_body_bytes: usize,
}

impl Default for LoggingSettings {
    fn default() -> Self {
        Self {
            record_bodies: false,
            retention_days: DEFAULT_RETENTION_DAYS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// The settings the request path reads.
#[derive(Default)]
pub struct LoggingCell(RwLock<Arc<LoggingSettings>>);

impl LoggingCell {
    pub fn get(&self) -> LoggingSettings {
        **self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set(&self, settings: LoggingSettings) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(settings);
    }

    /// Reads the stored settings (defaults when none).
    pub async fn load(&self, db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let stored: Option<LoggingSettings> =
            crate::store::kv::get_json(db, "settings", KV_KEY).await;
        self.set(stored.unwrap_or_default());
        Ok(())
    }
}

/// A body kept for the log: text (invalid UTF-8 replaced) and whether it was cut.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    pub text: String,
    pub truncated: bool,
}

impl Kept {
    /// Appends `bytes`, keeping at most `max` bytes in all.
    fn push(&mut self, bytes: &[u8], max: usize) {
        if self.truncated {
            return;
        }
        let room = max.saturating_sub(self.text.len());
        let (take, cut) = if bytes.len() > room {
            (&bytes[..room], true)
        } else {
            (bytes, false)
        };
        let text = String::from_utf8_lossy(take);
        let mut text: &str = &text;
        // A replacement character can be longer than the bytes it replaces.
        let mut cut = cut;
        if text.len() > room {
            let mut end = room;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text = &text[..end];
            cut = true;
        }
        self.text.push_str(text);
        self.truncated = cut;
    }
}

/// The bodies of one attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bodies {
    pub request: Option<Kept>,
    pub response: Option<Kept>,
}

/// Collects the bodies of one attempt while it runs (see `Recording::capture_request`).
#[derive(Debug, Clone)]
pub struct Capture {
    max: usize,
    pub bodies: Bodies,
}

impl Capture {
    /// A capture when recording is on.
    pub fn when_enabled(settings: &LoggingSettings) -> Option<Self> {
        settings.record_bodies.then(|| Self {
            max: settings.max_body_bytes,
            bodies: Bodies::default(),
        })
    }

    pub fn request(&mut self, bytes: &[u8]) {
        let mut kept = Kept::default();
        kept.push(bytes, self.max);
        self.bodies.request = Some(kept);
    }

    pub fn response(&mut self, bytes: &[u8]) {
        let max = self.max;
        self.bodies
            .response
            .get_or_insert_with(Kept::default)
            .push(bytes, max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_truncated_at_a_character_boundary() {
        let mut c = Capture::when_enabled(&LoggingSettings {
            record_bodies: true,
            retention_days: 1,
            max_body_bytes: 5,
        })
        .unwrap();
        c.request("abcdef".as_bytes());
        assert_eq!(
            c.bodies.request,
            Some(Kept {
                text: "abcde".into(),
                truncated: true
            })
        );
        c.response("ab".as_bytes());
        c.response("cdé".as_bytes()); // é is 2 bytes: only 'c' and 'd' fit whole
        let r = c.bodies.response.clone().unwrap();
        assert_eq!(r.text, "abcd");
        assert!(r.truncated);
        c.response(b"more");
        assert_eq!(c.bodies.response.unwrap().text, "abcd");
        assert!(Capture::when_enabled(&LoggingSettings::default()).is_none());
    }
}
