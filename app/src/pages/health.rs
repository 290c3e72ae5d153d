//! Health: the System Status card (refreshes itself every 10 seconds). Provider health,
//! cooldowns and latency cards join it as the routing features land.

use crate::api::error_text;
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
