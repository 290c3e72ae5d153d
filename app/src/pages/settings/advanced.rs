//! Settings → Advanced: outbound proxies for upstream calls (global and per provider, HTTP or
//! SOCKS5, with a test), request-body logging, and the Translator's Live Monitor kept on.

use super::json_card::JsonSettingsCard;
use crate::api::error_text;
use crate::api::json_settings::TestProxy;
use crate::api::translator_tools::{get_live_monitor_setting, SaveLiveMonitor};
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

#[component]
pub(super) fn AdvancedTab() -> impl IntoView {
    let action = ServerAction::<SaveLiveMonitor>::new();
    let current = Resource::new(
        move || action.version().get(),
        |_| get_live_monitor_setting(),
    );
    let test = ServerAction::<TestProxy>::new();
    let toast = toast_slot();
    announce(toast, action, |on: &bool| {
        if *on {
            "Live Monitor keeps recording.".to_string()
        } else {
            "Live Monitor records only while its page is open.".to_string()
        }
    });
    view! {
        <div class="card-grid card-grid-wide">
            <JsonSettingsCard
                namespace="proxy"
                title="Outbound proxy"
                help="Upstream calls through a proxy: \"global\" for all, \"perProvider\" by provider id, \"noProxy\" for hosts reached directly. URLs like http://host:3128 or socks5://user:pass@host:1080."
            />
            <section class="card" id="proxy-test-card" aria-labelledby="proxy-test-title">
                <h2 id="proxy-test-title" class="card-title">"Test a proxy"</h2>
                <ActionForm action=test attr:class="form-stack" attr:id="proxy-test-form">
                    <label for="proxy_url">"Proxy URL"</label>
                    <input id="proxy_url" name="url" type="text" placeholder="socks5://127.0.0.1:1080" required/>
                    <label for="proxy_target">"Fetch through it " <span class="optional">"(optional)"</span></label>
                    <input id="proxy_target" name="target" type="url" placeholder="https://www.google.com/generate_204"/>
                    <button type="submit" class="btn btn-primary" id="proxy-test-submit" disabled=move || test.pending().get()>
                        {move || if test.pending().get() { "Testing…" } else { "Test" }}
                    </button>
                </ActionForm>
                {move || test.value().get().map(|r| match r {
                    Ok(t) if t.ok => view! {
                        <p class="alert alert-ok" role="status" id="proxy-test-result">
                            {format!("Connected: HTTP {} in {} ms.", t.status.unwrap_or(0), t.latency_ms.unwrap_or(0))}
                        </p>
                    }.into_any(),
                    Ok(t) => view! {
                        <p class="alert alert-error" role="alert" id="proxy-test-result">
                            {format!("Failed: {}", t.error.unwrap_or_else(|| "no answer".into()))}
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert-error" role="alert" id="proxy-test-result">{error_text(&e)}</p> }.into_any(),
                })}
            </section>
            <JsonSettingsCard
                namespace="logging"
                title="Request logging"
                help="Whether request and response bodies are kept with the request log, how much of each, and for how long."
            />
            <Transition fallback=super::card_skeleton>
                {move || current.get().map(|r| match r {
                    Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                    Ok(on) => view! {
                        <section class="card" id="monitor-card" aria-labelledby="monitor-title">
                            <h2 id="monitor-title" class="card-title">"Translator Live Monitor"</h2>
                            <p class="muted small">"The monitor keeps the last 100 translations in memory. By default it records only while its page is open, so it costs nothing otherwise."</p>
                            <ActionForm action=action attr:class="form-stack" attr:id="monitor-form">
                                <label class="check"><input type="checkbox" name="live_monitor" id="live_monitor" checked=on/>"Record all the time"</label>
                                <button type="submit" class="btn btn-primary" id="monitor-submit" disabled=move || action.pending().get()>"Save"</button>
                            </ActionForm>
                            {move || super::outcome("monitor-result", action.value().get(), |on| if *on { "Saved: always recording.".to_string() } else { "Saved: recording while watched.".to_string() })}
                        </section>
                    }.into_any(),
                })}
            </Transition>
        </div>
        <Toast message=toast/>
    }
}
