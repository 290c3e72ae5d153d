//! Translator → Live Monitor: a bounded in-memory ring of the latest `/v1` translations
//! (client format, upstream format, model, the request before and after, both cut short).
//!
//! It records only while someone watches (the page polled within the last few seconds) or
//! when Settings turn it on for good; otherwise [`Monitor::record`] is one atomic load.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

/// Entries kept.
pub const CAPACITY: usize = 100;
/// Characters kept of each body.
pub const MAX_BODY_CHARS: usize = 4000;
/// A poll keeps the monitor on this long.
pub const WATCH_WINDOW_MS: i64 = 10_000;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: u64,
    /// Unix milliseconds.
    pub time: i64,
    pub source_format: String,
    pub target_format: String,
    pub requested_model: String,
    pub model: String,
    pub provider: String,
    pub before: String,
    pub after: String,
    pub before_bytes: usize,
    pub after_bytes: usize,
}

#[derive(Default)]
pub struct Monitor {
    always: AtomicBool,
    watched_until_ms: AtomicI64,
    next_id: AtomicU64,
    ring: Mutex<VecDeque<Entry>>,
}

pub struct Translation<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub requested_model: &'a str,
    pub model: &'a str,
    pub provider: &'a str,
    pub before: &'a [u8],
    pub after: &'a [u8],
}

impl Monitor {
    fn active(&self) -> bool {
        self.always.load(Ordering::Relaxed)
            || self.watched_until_ms.load(Ordering::Relaxed) > crate::usage::now_ms()
    }

    /// Keeps recording for a while (the page polls).
    pub fn watch(&self) {
        self.watched_until_ms
            .store(crate::usage::now_ms() + WATCH_WINDOW_MS, Ordering::Relaxed);
    }

    pub fn set_always(&self, on: bool) {
        self.always.store(on, Ordering::Relaxed);
    }

    pub fn always(&self) -> bool {
        self.always.load(Ordering::Relaxed)
    }

    pub fn recording(&self) -> bool {
        self.active()
    }

    pub fn record(&self, t: Translation<'_>) {
        if !self.active() {
            return;
        }
        let entry = Entry {
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            time: crate::usage::now_ms(),
            source_format: t.source.to_string(),
            target_format: t.target.to_string(),
            requested_model: t.requested_model.to_string(),
            model: t.model.to_string(),
            provider: t.provider.to_string(),
            before: clip(t.before),
            after: clip(t.after),
            before_bytes: t.before.len(),
            after_bytes: t.after.len(),
        };
        let mut ring = match self.ring.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if ring.len() == CAPACITY {
            ring.pop_front();
        }
        ring.push_back(entry);
    }

    /// Entries newer than `after_id`, newest first.
    pub fn entries(&self, after_id: u64) -> Vec<Entry> {
        let ring = match self.ring.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        ring.iter()
            .rev()
            .filter(|e| e.id > after_id)
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        match self.ring.lock() {
            Ok(mut g) => g.clear(),
            Err(p) => p.into_inner().clear(),
        }
    }
}

fn clip(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() <= MAX_BODY_CHARS {
        return text.into_owned();
    }
    let mut out: String = text.chars().take(MAX_BODY_CHARS).collect();
    out.push_str("\n… (cut)");
    out
}
