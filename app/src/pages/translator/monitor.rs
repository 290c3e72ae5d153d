//! Translator → Live Monitor: the latest /v1 translations as they flow (client format →
//! provider format, the request before and after), polled every 2 seconds. The server records
//! only while this page polls (or when Settings → Advanced keeps it on).

use super::examples::format_label;
use crate::api::error_text;
use crate::api::translator_tools::{get_monitor, ClearMonitor, MonitorEntry};
use leptos::prelude::*;
use std::time::Duration;

const POLL: Duration = Duration::from_secs(2);

#[component]
pub fn LiveMonitor() -> impl IntoView {
    let tick = RwSignal::new(0u64);
    let paused = RwSignal::new(false);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !paused.get_untracked() {
                    tick.update(|t| *t += 1)
                }
            },
            POLL,
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let clear = ServerAction::<ClearMonitor>::new();
    let data = Resource::new(
        move || (tick.get(), clear.version().get()),
        |_| get_monitor(),
    );
    view! {
        <section class="card playground" id="live-monitor" aria-labelledby="monitor-title">
            <div class="playground-head">
                <h2 id="monitor-title" class="card-title">"Live Monitor"</h2>
                <div class="btn-row">
                    <button type="button" class="btn btn-ghost btn-sm" id="monitor-pause" aria-pressed=move || paused.get().to_string() on:click=move |_| paused.update(|p| *p = !*p)>
                        {move || if paused.get() { "Resume" } else { "Pause" }}
                    </button>
                    <ActionForm action=clear attr:class="inline-form">
                        <button type="submit" class="btn btn-ghost btn-sm" id="monitor-clear">"Clear"</button>
                    </ActionForm>
                </div>
            </div>
            <p class="muted small">
                "Requests to /v1 appear here as the gateway translates them for the provider. Recording runs while this page is open (refreshing every 2 s); nothing is kept otherwise."
            </p>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <p class="alert alert-error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(v) => {
                        let status = if v.always {
                            "Recording (always on in Settings → Advanced)".to_string()
                        } else if v.recording {
                            "Recording while this page is open".to_string()
                        } else {
                            "Not recording".to_string()
                        };
                        let count = v.entries.len();
                        let capacity = v.capacity;
                        let list = if v.entries.is_empty() {
                            view! {
                                <div class="empty-state" id="monitor-empty">
                                    <h3>"Waiting for requests"</h3>
                                    <p class="muted">"Send a request to /v1 (for example from the Playground's Chat Tester or your client) and its translation shows up here."</p>
                                </div>
                            }
                            .into_any()
                        } else {
                            view! { <ol class="monitor-list" id="monitor-entries">{v.entries.into_iter().map(entry_view).collect_view()}</ol> }.into_any()
                        };
                        view! {
                            <p class="small"><span class="badge badge-ok" data-field="recording">{status}</span>
                                <span class="muted">{format!(" {count} of the last {capacity} kept")}</span></p>
                            {list}
                        }
                        .into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

fn entry_view(e: MonitorEntry) -> impl IntoView {
    let secs = e.time.div_euclid(1000);
    let when = crate::format::clock_utc(secs);
    let same = e.source_format == e.target_format;
    view! {
        <li class="monitor-entry" data-entry=e.id>
            <details>
                <summary>
                    <span class="muted small">{when}</span>
                    <span class="badge badge-neutral">{format_label(&e.source_format)}</span>
                    " → "
                    <span class="badge badge-neutral">{format_label(&e.target_format)}</span>
                    <code>{e.requested_model.clone()}</code>
                    <span class="muted small">{format!("{} · {} → {} bytes{}", e.provider, e.before_bytes, e.after_bytes, if same { " · pass-through" } else { "" })}</span>
                </summary>
                <div class="split">
                    <div class="pane">
                        <span class="pane-label">{format!("From the client ({})", format_label(&e.source_format))}</span>
                        <pre class="code-output code-output-short"><code>{pretty(&e.before)}</code></pre>
                    </div>
                    <div class="pane">
                        <span class="pane-label">{format!("To {} as {}", e.provider, e.model)}</span>
                        <pre class="code-output code-output-short"><code>{pretty(&e.after)}</code></pre>
                    </div>
                </div>
            </details>
        </li>
    }
}

fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}
