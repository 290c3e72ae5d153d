//! Decision records: for every routed request (auto-routing or a combo), the candidates and
//! their scores, the winner, the fallbacks taken and the timing. Kept in a bounded in-memory
//! ring (`GET /api/routing/decisions[?limit]`, `GET /api/routing/decisions/{id}`); the id is
//! the request id of the usage rows and comes back as `X-OmniRoute-Decision-Id`.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Decisions kept (oldest dropped first).
pub const CAPACITY: usize = 500;

/// The factors of one auto-routing score, each 0 (worst) to 1 (best).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Factors {
    pub latency: f64,
    pub cost: f64,
    pub success_rate: f64,
    pub context_fit: f64,
    pub task_fit: f64,
    pub recent_failures: f64,
    pub quota: f64,
    pub breaker: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// `prefix/model`.
    pub model: String,
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// Auto-routing: the weighted score (0-1). Combos: none (their strategy decides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factors: Option<Factors>,
    /// Combos: the combo steps that led here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// A fallback-chain entry (tried after every other target).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub chain: bool,
    /// Why it was not tried (blocked, breaker open, cooling down, locked out, context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptRecord {
    pub model: String,
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The upstream status (None: no response).
    pub status: Option<u16>,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What the router did after it (`lockout`, `larger-context`, `relay`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub latency_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Winner {
    pub model: String,
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id: String,
    /// ISO-8601 UTC.
    pub at: String,
    pub requested: String,
    /// After aliases.
    pub routed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// `auto` or `combo`.
    pub kind: &'static str,
    /// The combo's strategy, or the auto variant (`auto/cheap`...).
    pub strategy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Requests whose winner was drawn at random among the best (exploration).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub explored: bool,
    /// Rough prompt size used for context fit (bytes / 4).
    pub estimated_tokens: u64,
    /// Candidates considered, in the order they were to be tried.
    pub candidates: Vec<Candidate>,
    /// Candidates dropped by the prefilter before full scoring.
    pub pruned: usize,
    pub attempts: Vec<AttemptRecord>,
    pub winner: Option<Winner>,
    /// Attempts after the first.
    pub fallbacks: usize,
    /// The final status sent to the client.
    pub status: u16,
    /// Microseconds spent planning (scoring, ordering).
    pub planning_us: u64,
    /// Milliseconds waited for a cooldown before the first attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waited_ms: Option<u64>,
    pub total_ms: u64,
}

impl Decision {
    /// A short line for lists.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "at": self.at,
            "requested": self.requested,
            "routed": self.routed,
            "kind": self.kind,
            "strategy": self.strategy,
            "candidates": self.candidates.len(),
            "winner": self.winner,
            "fallbacks": self.fallbacks,
            "status": self.status,
            "totalMs": self.total_ms,
        })
    }
}

#[derive(Default)]
pub struct DecisionLog {
    ring: Mutex<VecDeque<Decision>>,
}

impl DecisionLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Decision>> {
        self.ring.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn push(&self, decision: Decision) {
        let mut ring = self.lock();
        while ring.len() >= CAPACITY {
            ring.pop_front();
        }
        ring.push_back(decision);
    }

    /// The newest first.
    pub fn recent(&self, limit: usize) -> Vec<Decision> {
        self.lock().iter().rev().take(limit).cloned().collect()
    }

    pub fn get(&self, id: &str) -> Option<Decision> {
        self.lock().iter().rev().find(|d| d.id == id).cloned()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
