//! Idempotency: a client that repeats a request with the same `Idempotency-Key` (or
//! `X-Request-Id`) within [`WINDOW`] gets the first request's answer instead of a second
//! upstream call. While the first is still running, the repeat waits for it (at most
//! [`MAX_WAIT`]). Keys are scoped by API key and endpoint, so two callers never see each
//! other's answers. Only successful answers are kept: a repeat of a failed request is a retry
//! and goes upstream again.

use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long after the first request ended a repeat is answered from it.
pub const WINDOW: Duration = Duration::from_secs(5);
/// How long a repeat waits for a first request that is still running.
pub const MAX_WAIT: Duration = Duration::from_secs(60);
/// Keys remembered at most (in flight and done); beyond this new keys are not tracked.
pub const MAX_KEYS: usize = 10_000;
/// Answers larger than this are not kept (a repeat then goes upstream).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A finished answer.
#[derive(Debug)]
pub struct Stored {
    pub status: u16,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

type Outcome = Option<Arc<Stored>>;

enum Slot {
    /// The first request is running; its outcome arrives on the channel.
    Running(watch::Receiver<Option<Outcome>>),
    Done {
        at: Instant,
        answer: Arc<Stored>,
    },
}

#[derive(Default)]
pub struct Idempotency {
    slots: Mutex<HashMap<String, Slot>>,
}

/// What to do with a request that carries a key.
pub enum Begin {
    /// Answer with this.
    Replay(Arc<Stored>),
    /// The first request is running: wait for it.
    Wait(watch::Receiver<Option<Outcome>>),
    /// This is the first: run it and report through the claim.
    First(Claim),
    /// Not tracked (too many keys): run it.
    Untracked,
}

/// The first request's duty to report its answer. Dropped without [`Claim::complete`] (the
/// client went away, or the answer was not kept), waiting repeats go upstream themselves.
pub struct Claim {
    owner: Arc<Idempotency>,
    key: String,
    tx: watch::Sender<Option<Outcome>>,
    done: bool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Idempotency {
    pub fn begin(self: &Arc<Self>, key: String) -> Begin {
        self.begin_at(key, Instant::now())
    }

    fn begin_at(self: &Arc<Self>, key: String, now: Instant) -> Begin {
        let mut slots = lock(&self.slots);
        match slots.get(&key) {
            Some(Slot::Done { at, answer }) if now.saturating_duration_since(*at) < WINDOW => {
                return Begin::Replay(answer.clone())
            }
            Some(Slot::Running(rx)) => return Begin::Wait(rx.clone()),
            _ => {}
        }
        if slots.len() >= MAX_KEYS {
            slots.retain(|_, s| match s {
                Slot::Done { at, .. } => now.saturating_duration_since(*at) < WINDOW,
                Slot::Running(_) => true,
            });
            if slots.len() >= MAX_KEYS {
                return Begin::Untracked;
            }
        }
        let (tx, rx) = watch::channel(None);
        slots.insert(key.clone(), Slot::Running(rx));
        Begin::First(Claim {
            owner: self.clone(),
            key,
            tx,
            done: false,
        })
    }

    /// Keys currently remembered.
    pub fn len(&self) -> usize {
        lock(&self.slots).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Claim {
    /// The first request's answer: kept for [`WINDOW`] and handed to the waiting repeats.
    pub fn complete(mut self, answer: Stored) {
        let answer = Arc::new(answer);
        let now = Instant::now();
        let mut slots = lock(&self.owner.slots);
        slots.insert(
            self.key.clone(),
            Slot::Done {
                at: now,
                answer: answer.clone(),
            },
        );
        // Forget expired answers now and then (bounded work: only when the map is large).
        if slots.len() > 1024 {
            slots.retain(|_, s| match s {
                Slot::Done { at, .. } => now.saturating_duration_since(*at) < WINDOW,
                Slot::Running(_) => true,
            });
        }
        drop(slots);
        self.done = true;
        let _ = self.tx.send(Some(Some(answer)));
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut slots = lock(&self.owner.slots);
        if matches!(slots.get(&self.key), Some(Slot::Running(_))) {
            slots.remove(&self.key);
        }
        drop(slots);
        let _ = self.tx.send(Some(None));
    }
}

/// Waits (at most [`MAX_WAIT`]) for the first request; `Ok(None)` when it ended without an
/// answer to share, `Err(())` when it is still running after the wait.
pub async fn wait(mut rx: watch::Receiver<Option<Outcome>>) -> Result<Outcome, ()> {
    let waited = tokio::time::timeout(MAX_WAIT, async {
        loop {
            if let Some(outcome) = rx.borrow_and_update().clone() {
                return outcome;
            }
            if rx.changed().await.is_err() {
                return None; // the first request's claim is gone
            }
        }
    })
    .await;
    waited.map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &'static str) -> Stored {
        Stored {
            status: 200,
            headers: Vec::new(),
            body: Bytes::from_static(text.as_bytes()),
        }
    }

    #[tokio::test]
    async fn a_repeat_waits_for_the_first_and_gets_its_answer() {
        let idem = Arc::new(Idempotency::default());
        let Begin::First(claim) = idem.begin("k".into()) else {
            panic!("first")
        };
        let Begin::Wait(rx) = idem.begin("k".into()) else {
            panic!("wait")
        };
        let waiter = tokio::spawn(wait(rx));
        claim.complete(answer("one"));
        let got = waiter.await.unwrap().unwrap().unwrap();
        assert_eq!(got.body, "one");
        assert!(matches!(idem.begin("k".into()), Begin::Replay(_)));
        // after the window: a new first request
        let later = Instant::now() + WINDOW + Duration::from_secs(1);
        assert!(matches!(idem.begin_at("k".into(), later), Begin::First(_)));
    }

    #[tokio::test]
    async fn a_first_request_that_gives_up_releases_its_waiters() {
        let idem = Arc::new(Idempotency::default());
        let Begin::First(claim) = idem.begin("k".into()) else {
            panic!("first")
        };
        let Begin::Wait(rx) = idem.begin("k".into()) else {
            panic!("wait")
        };
        drop(claim);
        assert!(wait(rx).await.unwrap().is_none());
        assert!(matches!(idem.begin("k".into()), Begin::First(_)));
    }
}
