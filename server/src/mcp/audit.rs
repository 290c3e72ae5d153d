//! The audit of MCP tool calls: each call becomes one row (tool, scope, key, transport,
//! duration, result), handed to a bounded channel with a non-blocking `try_send`; one writer
//! task writes what is waiting in one transaction, at once when idle and in batches under
//! load. A tool call never waits on the database. When the channel is full, rows are dropped
//! and counted (and logged at most every 10 s).

use crate::store::mcp_audit::{self, AuditRow};
use sea_orm::DatabaseConnection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const CHANNEL_CAPACITY: usize = 10_000;
const BATCH_MAX: usize = 500;

#[derive(Clone)]
pub struct AuditSink(Arc<Inner>);

struct Inner {
    tx: mpsc::Sender<AuditRow>,
    dropped: AtomicU64,
    last_warning: Mutex<Option<Instant>>,
    writer: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl AuditSink {
    /// A sink whose writer task runs on the current tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let writer = tokio::spawn(run(db, rx));
        Self(Arc::new(Inner {
            tx,
            dropped: AtomicU64::new(0),
            last_warning: Mutex::new(None),
            writer: Mutex::new(Some(writer)),
        }))
    }

    pub fn record(&self, row: AuditRow) {
        if self.0.tx.try_send(row).is_err() {
            let n = self.0.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            let mut last = self
                .0
                .last_warning
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if last.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                *last = Some(Instant::now());
                tracing::warn!("the MCP audit queue is full: {n} audit row(s) dropped so far");
            }
        }
    }

    pub fn dropped(&self) -> u64 {
        self.0.dropped.load(Ordering::Relaxed)
    }

    /// Waits until the rows queued so far are written (stdio mode at its end). Rows recorded
    /// later may still be written, by this sink's other clones.
    pub async fn flush(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.0.tx.capacity() < CHANNEL_CAPACITY && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The last batch taken from the channel may still be in its transaction.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    #[cfg(test)]
    fn writer_running(&self) -> bool {
        self.0
            .writer
            .lock()
            .map(|w| w.as_ref().is_some_and(|h| !h.is_finished()))
            .unwrap_or(false)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // The writer ends by itself once every sender is gone (it drains first).
        if let Ok(mut w) = self.writer.lock() {
            w.take();
        }
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<AuditRow>) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    while rx.recv_many(&mut batch, BATCH_MAX).await > 0 {
        for attempt in 1..=3u64 {
            match mcp_audit::insert_batch(&db, &batch).await {
                Ok(()) => break,
                Err(e) if attempt < 3 => {
                    tracing::warn!(
                        "writing {} MCP audit row(s) failed (attempt {attempt}): {e}",
                        batch.len()
                    );
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(e) => tracing::error!(
                    "writing {} MCP audit row(s) failed three times, they are lost: {e}",
                    batch.len()
                ),
            }
        }
        batch.clear();
    }
}

/// SHA-256 (hex) of a tool's arguments: tells identical calls apart without keeping them.
pub fn input_hash(
    arguments: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Option<String> {
    use sha2::{Digest, Sha256};
    let args = arguments?;
    let text = serde_json::to_string(args).ok()?;
    Some(hex::encode(Sha256::digest(text.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_identify_arguments_without_keeping_them() {
        let mut a = serde_json::Map::new();
        a.insert("prompt".into(), serde_json::json!("secret text"));
        let h = input_hash(Some(&a)).unwrap();
        assert_eq!(h.len(), 64);
        assert!(!h.contains("secret"));
        assert_eq!(input_hash(Some(&a)), Some(h));
        assert_eq!(input_hash(None), None);
    }

    #[tokio::test]
    async fn rows_reach_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::store::open(&dir.path().join("t.sqlite"))
            .await
            .unwrap();
        let sink = AuditSink::start(db.clone());
        assert!(sink.writer_running());
        for i in 0..3 {
            sink.record(AuditRow {
                ts_ms: 1000 + i,
                tool: "omniroute_get_health".into(),
                scope: "health".into(),
                key_id: Some("k1".into()),
                key_name: Some("ci".into()),
                transport: "stream",
                duration_ms: 3,
                success: i != 2,
                error: (i == 2).then(|| "boom".to_string()),
                input_hash: None,
            });
        }
        sink.flush().await;
        let (rows, total) = mcp_audit::page(&db, &Default::default(), 10, 0)
            .await
            .unwrap();
        assert_eq!(total, 3);
        assert_eq!(rows[0].ts, 1002, "newest first");
        assert_eq!(rows[0].error.as_deref(), Some("boom"));
        let stats = mcp_audit::stats(&db, 0).await.unwrap();
        assert_eq!(stats[0].calls, 3);
        assert_eq!(stats[0].errors, 1);
    }
}
