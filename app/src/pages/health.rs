//! Health: System Status, Provider Health (circuit breakers, with a reset), Rate Limits
//! (accounts cooling down), Active Lockouts (per-model), Cache (with a flush) and Latency
//! Telemetry (p50/p95/p99 per provider as a bar chart), each refreshing itself every 10 seconds.

use crate::api::error_text;
use crate::api::health_traffic::{get_health_traffic, FlushCache, HealthTraffic, LatencyRow};
use crate::api::resilience_state::{get_resilience_state, ResetResilience, ResilienceState};
use crate::api::system_status::{get_system_status, SystemStatus};
use crate::format;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

pub const REFRESH: Duration = Duration::from_secs(10);

#[component]
pub fn HealthPage() -> impl IntoView {
    view! {
        <Title text="Health · OmniRoute"/>
        <div class="page-head">
            <h1>"Health"</h1>
            <p class="muted">"The state of this OmniRoute server. Refreshes every 10 seconds."</p>
        </div>
        <div class="card-grid">
            <SystemStatusCard/>
            {view! { <ResilienceCards/> }.into_any()}
            {view! { <TrafficCards/> }.into_any()}
        </div>
    }
}

#[component]
fn SystemStatusCard() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    // The interval exists in the browser only (effects do not run during SSR).
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    let status = Resource::new(move || tick.get(), |_| get_system_status());
    view! {
        <section class="card" id="system-status" aria-labelledby="system-status-title">
            <h2 id="system-status-title" class="card-title">"System Status"</h2>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || {
                    status
                        .get()
                        .map(|result| match result {
                            Ok(s) => status_table(s).into_any(),
                            Err(e) => {
                                view! {
                                    <p class="alert alert-error" role="alert">
                                        "Could not read the status: " {error_text(&e)}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

fn status_table(s: SystemStatus) -> impl IntoView {
    let memory = s
        .memory_rss_bytes
        .map(format::bytes)
        .unwrap_or_else(|| "unknown".to_string());
    view! {
        <dl class="kv">
            <dt>"Status"</dt>
            <dd><span class="badge badge-ok">"Running"</span></dd>
            <dt>"Version"</dt>
            <dd data-field="version">{s.version}</dd>
            <dt>"Uptime"</dt>
            <dd data-field="uptime">{format::duration_secs(s.uptime_secs)}</dd>
            <dt>"Memory (RSS)"</dt>
            <dd data-field="memory">{memory}</dd>
            <dt>"Data directory"</dt>
            <dd data-field="data-dir"><code>{s.data_dir}</code></dd>
            <dt>"Database size"</dt>
            <dd data-field="db-size">{format::bytes(s.db_size_bytes)}</dd>
        </dl>
        <p class="muted small" data-field="updated">"Updated " {format::clock_utc(s.measured_at)}</p>
    }
}

/// Provider Health and Rate Limits, from one server call per refresh.
#[component]
fn ResilienceCards() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    let reset = ServerAction::<ResetResilience>::new();
    let state = Resource::new(
        move || (tick.get(), reset.version().get()),
        |_| get_resilience_state(),
    );
    let body = move || {
        state.get().map(|r| match r {
            Ok(s) => resilience_view(s, reset).into_any(),
            Err(e) => {
                view! { <p class="alert alert-error" role="alert">{error_text(&e)}</p> }.into_any()
            }
        })
    };
    view! {
        <Transition fallback=|| view! { <section class="card"><div class="skeleton-lines" aria-busy="true"></div></section> }>
            {body}
        </Transition>
    }
}

fn resilience_view(s: ResilienceState, reset: ServerAction<ResetResilience>) -> impl IntoView {
    let any = !s.breakers.is_empty() || !s.cooldowns.is_empty();
    let breakers = if s.breakers.is_empty() {
        view! { <p class="muted small" id="breakers-empty">"No provider has failed recently: every breaker is closed."</p> }.into_any()
    } else {
        view! {
            <table class="table" id="breakers">
                <thead><tr><th scope="col">"Provider"</th><th scope="col">"State"</th><th scope="col">"Faults"</th><th scope="col">"Retry"</th></tr></thead>
                <tbody>
                    {s.breakers
                        .into_iter()
                        .map(|b| {
                            let class = match b.state.as_str() {
                                "OPEN" => "badge badge-error",
                                "HALF_OPEN" => "badge badge-neutral",
                                _ => "badge badge-ok",
                            };
                            let provider = b.provider.clone();
                            view! {
                                <tr data-provider=provider>
                                    <td><code>{b.provider}</code></td>
                                    <td><span class=class data-field="breaker-state">{b.state}</span></td>
                                    <td>{b.consecutive_faults}</td>
                                    <td>{b.retry_in_secs.map(|s| format!("in {s} s")).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
            .into_any()
    };
    let cooldowns = if s.cooldowns.is_empty() {
        view! { <p class="muted small" id="cooldowns-empty">"No account is cooling down."</p> }
            .into_any()
    } else {
        view! {
            <table class="table" id="cooldowns">
                <thead><tr><th scope="col">"Connection"</th><th scope="col">"Provider"</th><th scope="col">"Left"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {s.cooldowns
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td>{c.connection}</td>
                                <td><code>{c.provider}</code></td>
                                <td data-field="cooldown-left">{format::duration_secs(c.remaining_secs)}</td>
                                <td>{c.reason}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
            .into_any()
    };
    view! {
        <section class="card" id="provider-health" aria-labelledby="provider-health-title">
            <h2 id="provider-health-title" class="card-title">"Provider Health"</h2>
            <p class="muted small">"A provider's breaker opens after repeated provider faults (timeouts, 5xx) and lets a probe through after the reset time."</p>
            {breakers}
        </section>
        <section class="card" id="rate-limits" aria-labelledby="rate-limits-title">
            <h2 id="rate-limits-title" class="card-title">"Rate Limits"</h2>
            <p class="muted small">"Accounts resting after a 429 or a refused key; requests go to other accounts meanwhile."</p>
            {cooldowns}
            {any.then(|| view! {
                <button type="button" class="btn btn-ghost btn-sm" id="resilience-reset" on:click=move |_| { reset.dispatch(ResetResilience {}); }>
                    "Reset breakers and cooldowns"
                </button>
            })}
        </section>
    }
}

/// Active Lockouts, Cache and Latency Telemetry, from one server call per refresh.
#[component]
fn TrafficCards() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    let flush = ServerAction::<FlushCache>::new();
    let state = Resource::new(
        move || (tick.get(), flush.version().get()),
        |_| get_health_traffic(),
    );
    let body = move || {
        state.get().map(|r| match r {
            Ok(t) => traffic_view(t, flush).into_any(),
            Err(e) => view! {
                <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section>
            }
            .into_any(),
        })
    };
    view! {
        <Transition fallback=|| view! { <section class="card"><div class="skeleton-lines" aria-busy="true"></div></section> }>
            {body}
        </Transition>
    }
}

fn traffic_view(t: HealthTraffic, flush: ServerAction<FlushCache>) -> impl IntoView {
    let lockouts = if t.lockouts.is_empty() {
        view! { <p class="muted small" id="lockouts-empty">"No model is locked out of any connection."</p> }.into_any()
    } else {
        view! {
            <table class="table" id="lockouts">
                <thead><tr><th scope="col">"Model"</th><th scope="col">"Connection"</th><th scope="col">"Left"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {t.lockouts
                        .into_iter()
                        .map(|l| view! {
                            <tr>
                                <td><code>{format!("{}/{}", l.provider, l.model)}</code></td>
                                <td>{l.connection_id}</td>
                                <td data-field="lockout-left">{format::duration_secs(l.remaining_secs)}</td>
                                <td>{l.reason}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let c = t.cache;
    let hit_rate = format!("{:.0}%", c.hit_rate * 100.0);
    let cache_state = if c.enabled {
        view! { <span class="badge badge-ok">"On"</span> }.into_any()
    } else {
        view! { <span class="badge badge-off">"Off"</span> }.into_any()
    };
    let flushed = flush.value();
    let flush_note = move || {
        flushed.get().map(|r| match r {
            Ok(n) => view! { <p class="muted small" role="status" id="cache-flushed">{format!("Flushed {n} entr{}.", if n == 1 { "y" } else { "ies" })}</p> }.into_any(),
            Err(e) => view! { <p class="alert alert-error" role="alert">{error_text(&e)}</p> }.into_any(),
        })
    };
    let window_min = t.latency_window_secs / 60;
    view! {
        <section class="card" id="active-lockouts" aria-labelledby="active-lockouts-title">
            <h2 id="active-lockouts-title" class="card-title">"Active Lockouts"</h2>
            <p class="muted small">"A model that a connection reported as unavailable or out of quota rests on that connection only."</p>
            {lockouts}
        </section>
        <section class="card" id="cache" aria-labelledby="cache-title">
            <h2 id="cache-title" class="card-title">"Cache"</h2>
            <p class="muted small">"Exact answers to repeated temperature-0 requests, served without an upstream call."</p>
            <dl class="kv">
                <dt>"State"</dt>
                <dd>{cache_state}</dd>
                <dt>"Entries"</dt>
                <dd data-field="cache-entries">{format!("{} of {}", c.entries, c.max_entries)}</dd>
                <dt>"Size"</dt>
                <dd data-field="cache-bytes">{format::bytes(c.bytes)}</dd>
                <dt>"Hit rate"</dt>
                <dd data-field="cache-hit-rate">{hit_rate} <span class="muted small">{format!(" ({} hits, {} misses)", c.hits, c.misses)}</span></dd>
                <dt>"Lifetime"</dt>
                <dd>{format::duration_secs(c.ttl_secs)}</dd>
            </dl>
            <button type="button" class="btn btn-ghost btn-sm" id="cache-flush" disabled=move || flush.pending().get()
                on:click=move |_| { flush.dispatch(FlushCache {}); }>
                "Flush cache"
            </button>
            {flush_note}
        </section>
        <section class="card" id="latency" aria-labelledby="latency-title">
            <h2 id="latency-title" class="card-title">"Latency Telemetry"</h2>
            <p class="muted small">{format!("Successful answers per provider over the last {window_min} minutes, until the last byte.")}</p>
            {latency_chart(t.latency)}
        </section>
    }
    .into_any()
}

/// p50 / p95 / p99 per provider as horizontal bars on one scale.
fn latency_chart(rows: Vec<LatencyRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted small" id="latency-empty">"No answers yet in the window."</p> }.into_any();
    }
    const LABEL: f64 = 110.0;
    const WIDTH: f64 = 420.0;
    const BAR: f64 = 14.0;
    const GROUP: f64 = 3.0 * BAR + 18.0;
    let max = rows.iter().map(|r| r.p99_ms).max().unwrap_or(1).max(1) as f64;
    let plot = WIDTH - LABEL - 70.0;
    let height = GROUP * rows.len() as f64 + 24.0;
    let legend_y = height - 6.0;
    let groups = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let y0 = 6.0 + GROUP * i as f64;
            let bars = [("p50", r.p50_ms, "lat-p50"), ("p95", r.p95_ms, "lat-p95"), ("p99", r.p99_ms, "lat-p99")]
                .into_iter()
                .enumerate()
                .map(|(j, (name, ms, class))| {
                    let y = y0 + BAR * j as f64;
                    let w = (ms as f64 / max * plot).max(1.0);
                    view! {
                        <rect class=class x=LABEL y=y width=w height=BAR - 3.0>
                            <title>{format!("{} {name}: {ms} ms", r.provider)}</title>
                        </rect>
                        <text class="lat-value" x=LABEL + w + 4.0 y=y + BAR - 4.0>{format!("{ms} ms")}</text>
                    }
                })
                .collect_view();
            let provider = r.provider.clone();
            view! {
                <g data-provider=provider>
                    <text class="lat-label" x=0 y=y0 + 1.5 * BAR + 4.0>{r.provider}</text>
                    {bars}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="latency-chart" id="latency-chart" role="img" aria-label="Latency percentiles per provider"
            viewBox=format!("0 0 {WIDTH} {height}") width="100%">
            {groups}
            <g class="lat-legend">
                <rect class="lat-p50" x=LABEL y=legend_y - 8.0 width=10 height=8></rect>
                <text x=LABEL + 14.0 y=legend_y>"p50"</text>
                <rect class="lat-p95" x=LABEL + 60.0 y=legend_y - 8.0 width=10 height=8></rect>
                <text x=LABEL + 74.0 y=legend_y>"p95"</text>
                <rect class="lat-p99" x=LABEL + 120.0 y=legend_y - 8.0 width=10 height=8></rect>
                <text x=LABEL + 134.0 y=legend_y>"p99"</text>
            </g>
        </svg>
    }
    .into_any()
}
