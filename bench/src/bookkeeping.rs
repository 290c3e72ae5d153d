#![allow(clippy::print_stdout)]
//! `omniroute-bench-bookkeeping`: the time the request path spends on routing and resilience
//! bookkeeping, in process, without any I/O or translation: what a request pays over a plain
//! pass-through that would forward it unchanged.
//!
//! The loop runs exactly the calls `http::v1::proxy::route` and `http::v1::flow` make around
//! one successful attempt, on a real `AppState` (fresh data directory, one OpenAI connection,
//! a two-step priority combo, the usage writer running):
//!
//! - the cache and idempotency checks of `flow::around` (cache enabled, no temperature);
//! - the usage event of the request and of its attempt (queued to the writer);
//! - `routing::route::build`: aliases, combos, auto-routing checks, breakers, cooldowns,
//!   per-model lockouts, account order, the decision record;
//! - `flow::before_attempt` (pacing off, the default) and the combo's in-flight count;
//! - the account's in-flight count, `resilience.record`, the strategy's health, the decision's
//!   outcome, the meta headers of the answer, and the latency telemetry.
//!
//! `cargo run --release -p bench --bin omniroute-bench-bookkeeping [-- iterations]`

use anyhow::{Context, Result};
use axum::body::Body;
use axum::http::HeaderMap;
use axum::response::Response;
use server::config::{Config, Overrides};
use server::resilience::Outcome;
use server::routing::{ComboConfig, Step, Strategy};
use server::store;
use server::usage::{self, Recording, UsageEvent};
use std::time::{Duration, Instant};

fn main() -> Result<()> {
    let iterations: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()
        .context("the iteration count must be a whole number")?
        .unwrap_or(200_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run(iterations))
}

async fn run(iterations: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config::load(Overrides {
        data_dir: Some(dir.path().to_path_buf()),
        ..Overrides::default()
    })?;
    let db = store::open(&config.db_path()).await?;
    let secrets = server::crypto::SecretBox::new(&config.storage_encryption_key);
    store::providers::insert_connection(
        &db,
        &secrets,
        store::providers::NewConnection {
            provider: "openai".into(),
            name: "bench".into(),
            api_key: Some("sk-bench".into()),
            base_url: Some("http://127.0.0.1:9/v1".into()),
            priority: None,
        },
    )
    .await?;
    store::combos::create(
        &db,
        store::combos::NewCombo {
            name: "bench-combo".into(),
            strategy: Strategy::Priority,
            steps: vec![
                Step::model("openai/gpt-bench"),
                Step::model("openai/gpt-backup"),
            ],
            config: ComboConfig::default(),
            is_active: true,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the combo: {e:?}"))?;
    let state = server::load_state(config, db, Instant::now()).await?;

    println!("## Routing and resilience bookkeeping (in process)\n");
    println!(
        "`omniroute-bench-bookkeeping`, {iterations} requests per row after {} warm-up, one successful attempt each, no I/O:\n",
        iterations / 10
    );
    println!("| Requested model | mean | p50 | p99 |");
    println!("|---|---:|---:|---:|");
    for model in ["openai/gpt-bench", "bench-combo"] {
        one_request(&state, model).await?; // the model resolves and routes
        for _ in 0..iterations / 10 {
            one_request(&state, model).await?;
        }
        let mut samples = Vec::with_capacity(iterations);
        let started = Instant::now();
        for _ in 0..iterations {
            let t = Instant::now();
            one_request(&state, model).await?;
            samples.push(t.elapsed());
        }
        let mean = started.elapsed() / iterations as u32;
        samples.sort_unstable();
        let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
        println!(
            "| `{model}` | {} | {} | {} |",
            micros(mean),
            micros(pct(0.50)),
            micros(pct(0.99))
        );
        // Let the usage writer catch up between rows.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    state.usage().shutdown().await;
    Ok(())
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// The bookkeeping of one request served by its first attempt.
async fn one_request(state: &server::state::AppState, requested: &str) -> Result<()> {
    let headers = HeaderMap::new();
    // flow::around: cache and idempotency checks
    let cache = state.traffic().cache.settings();
    let _may_cache = cache.enabled
        && headers.get("x-omniroute-no-cache").is_none()
        && headers.get("idempotency-key").is_none();
    let mut base = UsageEvent::new(
        usage::new_request_id(),
        "chat",
        "openai_chat",
        requested,
        None,
    );
    let snapshot = state.snapshot();
    let mut route =
        server::routing::route::build(state, &snapshot, requested, None, 120, &base.request_id)
            .await
            .map_err(|r| anyhow::anyhow!("{} {}", r.status, r.message))?;
    base.combo = route.combo.clone();
    let attempts = std::mem::take(&mut route.attempts);
    let routed = attempts.first().context("no attempt planned")?;
    let resolved = route.target(routed).resolved.clone();
    let connection = routed.connection;
    let planned = route.planned_of(routed).cloned();
    let permit = server::http::v1::flow::before_attempt(
        state,
        1,
        attempts.len(),
        resolved.target.id(),
        &resolved.model,
        connection.map(|c| (c.id.as_str(), c.name.as_str())),
    )
    .await
    .map_err(|b| anyhow::anyhow!(b.why))?;
    let combos = state.combos();
    let _combo_flight = planned.as_ref().map(|t| combos.runtime().begin(&t.model));
    let started = Instant::now();
    let mut recording = Recording::new(
        state.usage(),
        base.for_attempt(
            1,
            resolved.target.id(),
            &resolved.model,
            connection.map(|c| c.id.as_str()),
            Some("openai_chat"),
        ),
        started,
    );
    let flight = connection.map(|c| state.accounts().start(&c.id));
    // (the upstream call would be here)
    if let Some(f) = flight {
        f.succeeded();
    }
    recording.finish(200, None);
    state.resilience().record(
        resolved.target.id(),
        connection.map(|c| c.id.as_str()),
        Outcome::Success,
        None,
    );
    if let Some(t) = &planned {
        combos.runtime().record_target(t, None, true, 1);
    }
    route.succeeded(routed, 200, 1);
    let mut response = Response::new(Body::empty());
    server::http::v1::flow::answered_by(
        &mut response,
        1,
        resolved.target.id(),
        &resolved.model,
        connection.map(|c| c.id.as_str()),
        permit,
    );
    route.finish(state, &mut response);
    state
        .traffic()
        .telemetry
        .record(resolved.target.id(), started.elapsed());
    Ok(())
}
