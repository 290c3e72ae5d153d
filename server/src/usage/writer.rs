//! The one task that writes usage rows: batches of up to [`BATCH_MAX`] rows, written at most
//! [`FLUSH_INTERVAL`] after the first of them arrived, in one transaction; on stop, the
//! channel is closed and drained before the task ends.

use super::{cost, UsageEvent, UsageRecorder, BATCH_MAX, FLUSH_INTERVAL};
use sea_orm::DatabaseConnection;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// `OMNIROUTE_USAGE_FLUSH_MS` overrides the flush interval (tests use a long one to prove that
/// shutdown drains the queue).
fn flush_interval() -> Duration {
    std::env::var("OMNIROUTE_USAGE_FLUSH_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(FLUSH_INTERVAL)
}

pub async fn run(
    db: DatabaseConnection,
    mut rx: mpsc::Receiver<UsageEvent>,
    mut stop: oneshot::Receiver<()>,
    recorder: UsageRecorder,
) {
    let interval = flush_interval();
    let mut batch: Vec<UsageEvent> = Vec::with_capacity(BATCH_MAX);
    'outer: loop {
        tokio::select! {
            biased;
            _ = &mut stop => break 'outer,
            n = rx.recv_many(&mut batch, BATCH_MAX) => if n == 0 { break 'outer },
        }
        let deadline = tokio::time::Instant::now() + interval;
        let mut stopping = false;
        while batch.len() < BATCH_MAX {
            let room = BATCH_MAX - batch.len();
            tokio::select! {
                biased;
                _ = &mut stop => { stopping = true; break; }
                _ = tokio::time::sleep_until(deadline) => break,
                n = rx.recv_many(&mut batch, room) => if n == 0 { break },
            }
        }
        write(&db, &mut batch, &recorder).await;
        if stopping {
            break;
        }
    }
    // Stopping: refuse new events, write every buffered one.
    rx.close();
    let mut drained = 0usize;
    while let Some(event) = rx.recv().await {
        batch.push(event);
        drained += 1;
        if batch.len() >= BATCH_MAX {
            write(&db, &mut batch, &recorder).await;
        }
    }
    write(&db, &mut batch, &recorder).await;
    tracing::debug!("usage writer stopped ({drained} queued row(s) written at shutdown)");
}

/// Writes the batch (retrying a failed transaction twice), then adds the costs to the spend
/// of their keys. The batch is empty afterwards.
async fn write(db: &DatabaseConnection, batch: &mut Vec<UsageEvent>, recorder: &UsageRecorder) {
    if batch.is_empty() {
        return;
    }
    let prices = recorder.prices().get();
    let rows: Vec<(UsageEvent, Option<f64>)> = batch
        .drain(..)
        .map(|e| {
            let price = e
                .provider
                .as_deref()
                .zip(e.model.as_deref())
                .and_then(|(p, m)| prices.get(p).and_then(|models| models.get(m)));
            let c = if e.cached {
                Some(0.0)
            } else {
                cost(&e.usage, price, e.success)
            };
            (e, c)
        })
        .collect();
    for attempt in 1..=3u64 {
        match crate::store::usage::insert_batch(db, &rows).await {
            Ok(()) => {
                let budgets = recorder.budgets();
                for (event, cost) in &rows {
                    if let (Some(key), Some(c)) = (&event.key_id, cost) {
                        if *c > 0.0 {
                            budgets.add_spend(key, event.ts_ms, *c);
                        }
                    }
                }
                return;
            }
            Err(e) if attempt < 3 => {
                tracing::warn!(
                    "writing {} usage row(s) failed (attempt {attempt}): {e}",
                    rows.len()
                );
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            Err(e) => {
                tracing::error!(
                    "writing {} usage row(s) failed three times, they are lost: {e}",
                    rows.len()
                );
            }
        }
    }
}
