//! Health: System Status, Provider Health (circuit breakers, with a reset) and Rate Limits
//! (accounts cooling down), each refreshing itself every 10 seconds.

use crate::api::error_text;
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
