//! What happens around the routing of a client request (issue #5, "Caching and idempotency"
//! and "Request queue and pacing"), all in memory and bounded:
//!
//! - `cache`: the exact response cache for deterministic (temperature 0) non-streaming requests.
//! - `idempotency`: a repeated `Idempotency-Key` / `X-Request-Id` within 5 s gets the first
//!   request's answer instead of a second upstream call.
//! - `pacing`: per-account request queue (RPM, minimum gap, max concurrent) with bounded waits.
//! - `telemetry`: per-provider latency percentiles over a sliding window.
//!
//! The /v1 hooks that use them are in `http::v1::flow`.

pub mod cache;
pub mod idempotency;
pub mod pacing;
pub mod telemetry;

/// The shared state of the modules above (one field of `AppState`).
#[derive(Default)]
pub struct Traffic {
    pub cache: cache::ResponseCache,
    pub idempotency: std::sync::Arc<idempotency::Idempotency>,
    pub pacing: pacing::Pacing,
    pub telemetry: telemetry::Telemetry,
}
