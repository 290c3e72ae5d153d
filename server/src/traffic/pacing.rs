//! The request queue and pacing of each account (Settings → Resilience): at most `rpm`
//! requests started per sliding minute, at least `min_gap` between two starts, at most
//! `max_concurrent` running at once. A request that cannot start waits in the account's queue
//! (at most `max_queue` waiting, at most `max_wait`); when the queue is full or the wait runs
//! out, the account is skipped and the request moves on to the next one (or, when none is
//! left, gets a 429 with Retry-After). Limits of 0 are off; with every limit off nothing is
//! tracked.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

const MINUTE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaceLimits {
    pub rpm: u32,
    pub min_gap: Duration,
    pub max_concurrent: u32,
    pub max_wait: Duration,
    pub max_queue: u32,
}

impl PaceLimits {
    pub fn is_off(&self) -> bool {
        self.rpm == 0 && self.min_gap.is_zero() && self.max_concurrent == 0
    }
}

#[derive(Default)]
struct PaceState {
    /// Start times within the last minute (at most `rpm` of them are kept).
    recent: VecDeque<Instant>,
    last_start: Option<Instant>,
    running: u32,
    waiting: u32,
}

#[derive(Default)]
struct Account {
    state: Mutex<PaceState>,
    /// Woken when a running request ends.
    freed: Notify,
}

#[derive(Default)]
pub struct Pacing {
    accounts: Mutex<HashMap<String, Arc<Account>>>,
}

/// A started request; dropping it frees its concurrency slot.
pub struct Permit {
    account: Arc<Account>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        {
            let mut s = lock(&self.account.state);
            s.running = s.running.saturating_sub(1);
        }
        self.account.freed.notify_waiters();
    }
}

/// Why an account could not take the request now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    pub why: String,
    /// When the account can probably take a request again.
    pub retry_after_secs: u64,
}

/// A place in an account's queue, given back on drop (also when the client goes away).
struct QueueSlot<'a>(&'a Account);

impl Drop for QueueSlot<'_> {
    fn drop(&mut self) {
        let mut s = lock(&self.0.state);
        s.waiting = s.waiting.saturating_sub(1);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What stops a start now: `Ok(())` to start, else the time to wait (None: until a running
/// request ends) and the reason.
fn blocked(
    s: &mut PaceState,
    limits: &PaceLimits,
    now: Instant,
) -> Result<(), (Option<Duration>, &'static str)> {
    while s
        .recent
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= MINUTE)
    {
        s.recent.pop_front();
    }
    if limits.max_concurrent > 0 && s.running >= limits.max_concurrent {
        return Err((None, "max concurrent requests"));
    }
    let mut wait = Duration::ZERO;
    let mut why = "";
    if limits.rpm > 0 && s.recent.len() >= limits.rpm as usize {
        if let Some(oldest) = s.recent.front() {
            wait = (*oldest + MINUTE).saturating_duration_since(now);
            why = "requests per minute";
        }
    }
    if !limits.min_gap.is_zero() {
        if let Some(last) = s.last_start {
            let gap_wait = (last + limits.min_gap).saturating_duration_since(now);
            if gap_wait > wait {
                wait = gap_wait;
                why = "minimum gap between requests";
            }
        }
    }
    if wait.is_zero() {
        Ok(())
    } else {
        Err((Some(wait), why))
    }
}

impl Pacing {
    /// Waits (bounded) until `account` may start a request under `limits`.
    pub async fn acquire(&self, account: &str, limits: PaceLimits) -> Result<Option<Permit>, Busy> {
        if limits.is_off() {
            return Ok(None);
        }
        let acct = lock(&self.accounts)
            .entry(account.to_string())
            .or_default()
            .clone();
        let deadline = Instant::now() + limits.max_wait;
        let mut slot: Option<QueueSlot<'_>> = None;
        loop {
            // Registered before looking, so a slot freed in between is not missed.
            let freed = acct.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            let now = Instant::now();
            let wait = {
                let mut s = lock(&acct.state);
                match blocked(&mut s, &limits, now) {
                    Ok(()) => {
                        s.running += 1;
                        s.last_start = Some(now);
                        if limits.rpm > 0 {
                            s.recent.push_back(now);
                            while s.recent.len() > limits.rpm as usize {
                                s.recent.pop_front();
                            }
                        }
                        drop(s);
                        drop(slot);
                        return Ok(Some(Permit {
                            account: acct.clone(),
                        }));
                    }
                    Err((wait, why)) => {
                        let retry_after_secs = wait
                            .map(|w| w.as_secs_f64().ceil() as u64)
                            .unwrap_or(1)
                            .max(1);
                        if slot.is_none() && s.waiting >= limits.max_queue {
                            return Err(Busy {
                                why: format!(
                                    "its queue is full ({} waiting; limit: {why})",
                                    s.waiting
                                ),
                                retry_after_secs,
                            });
                        }
                        if now >= deadline {
                            drop(s);
                            drop(slot);
                            return Err(Busy {
                                why: format!(
                                    "it stayed busy for the longest queue wait of {} ms (limit: {why})",
                                    limits.max_wait.as_millis()
                                ),
                                retry_after_secs,
                            });
                        }
                        if slot.is_none() {
                            s.waiting += 1;
                        }
                        wait
                    }
                }
            };
            if slot.is_none() {
                slot = Some(QueueSlot(&acct));
            }
            let until_deadline = deadline.saturating_duration_since(now);
            let nap = wait.map_or(until_deadline, |w| w.min(until_deadline));
            tokio::select! {
                _ = tokio::time::sleep(nap) => {}
                _ = &mut freed => {}
            }
        }
    }

    /// Requests running and waiting per account, for the Health page.
    pub fn view(&self) -> Vec<(String, u32, u32)> {
        let accounts = lock(&self.accounts);
        let mut out: Vec<(String, u32, u32)> = accounts
            .iter()
            .map(|(id, a)| {
                let s = lock(&a.state);
                (id.clone(), s.running, s.waiting)
            })
            .filter(|(_, running, waiting)| *running > 0 || *waiting > 0)
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> PaceLimits {
        PaceLimits {
            rpm: 0,
            min_gap: Duration::ZERO,
            max_concurrent: 0,
            max_wait: Duration::from_millis(0),
            max_queue: 10,
        }
    }

    #[tokio::test]
    async fn off_limits_track_nothing() {
        let p = Pacing::default();
        assert!(p.acquire("a", limits()).await.unwrap().is_none());
        assert!(p.accounts.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn concurrency_is_capped_and_a_freed_slot_is_taken() {
        let p = Arc::new(Pacing::default());
        let l = PaceLimits {
            max_concurrent: 1,
            max_wait: Duration::from_secs(30),
            ..limits()
        };
        let first = p.acquire("a", l).await.unwrap();
        let busy = p
            .acquire(
                "a",
                PaceLimits {
                    max_wait: Duration::ZERO,
                    ..l
                },
            )
            .await
            .err()
            .unwrap();
        assert!(busy.why.contains("max concurrent"), "{busy:?}");
        let p2 = p.clone();
        let waiter = tokio::spawn(async move { p2.acquire("a", l).await.map(|x| x.is_some()) });
        tokio::task::yield_now().await;
        drop(first);
        assert_eq!(waiter.await.unwrap(), Ok(true));
        assert!(p.view().is_empty(), "nothing running or waiting");
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let p = Arc::new(Pacing::default());
        let l = PaceLimits {
            max_concurrent: 1,
            max_wait: Duration::from_secs(30),
            max_queue: 0,
            ..limits()
        };
        let _first = p.acquire("a", l).await.unwrap();
        let busy = p.acquire("a", l).await.err().unwrap();
        assert!(busy.why.contains("queue is full"), "{busy:?}");
    }

    #[test]
    fn rpm_and_gap_say_how_long_to_wait() {
        let l = PaceLimits {
            rpm: 2,
            min_gap: Duration::from_secs(5),
            ..limits()
        };
        let t0 = Instant::now();
        let mut s = PaceState::default();
        assert!(blocked(&mut s, &l, t0).is_ok());
        s.recent.push_back(t0);
        s.last_start = Some(t0);
        let (wait, why) = blocked(&mut s, &l, t0 + Duration::from_secs(1)).unwrap_err();
        assert_eq!(wait, Some(Duration::from_secs(4)));
        assert!(why.contains("gap"));
        s.recent.push_back(t0 + Duration::from_secs(6));
        s.last_start = Some(t0 + Duration::from_secs(6));
        let (wait, why) = blocked(&mut s, &l, t0 + Duration::from_secs(20)).unwrap_err();
        assert_eq!(wait, Some(Duration::from_secs(40)));
        assert!(why.contains("per minute"));
        assert!(blocked(&mut s, &l, t0 + Duration::from_secs(61)).is_ok());
    }
}
