//! Settings → Resilience: cooldowns, circuit breakers, and the per-account queue and pacing,
//! as `/api/settings/resilience` has them (a field the server does not report is not shown).

use super::json_card::JsonSettingsCard;
use crate::api::error_text;
use crate::api::resilience_settings::{
    get_resilience_settings, SaveResilienceSettings, RESILIENCE_FIELDS,
};
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

#[component]
pub(super) fn ResilienceTab() -> impl IntoView {
    let action = ServerAction::<SaveResilienceSettings>::new();
    let current = Resource::new(
        move || action.version().get(),
        |_| get_resilience_settings(),
    );
    let toast = toast_slot();
    announce(toast, action, |_| "Resilience settings saved.".to_string());
    view! {
        <div class="card-grid card-grid-wide">
            <Transition fallback=super::card_skeleton>
                {move || current.get().map(|r| match r {
                    Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                    Ok(s) => view! {
                        <section class="card" id="resilience-card" aria-labelledby="res-title">
                            <h2 id="res-title" class="card-title">"Cooldowns, breakers and queues"</h2>
                            <ActionForm action=action attr:class="form-stack" attr:id="resilience-form">
                                {RESILIENCE_FIELDS
                                    .iter()
                                    .filter_map(|(name, api, label, help)| {
                                        let value = s.get(*api)?.clone();
                                        Some(match value {
                                            serde_json::Value::Bool(b) => view! {
                                                <label for=*name>{*label}</label>
                                                <select id=*name name=*name>
                                                    <option value="true" selected=b>"Yes"</option>
                                                    <option value="false" selected=!b>"No"</option>
                                                </select>
                                                <p class="field-hint">{*help}</p>
                                            }.into_any(),
                                            other => view! {
                                                <label for=*name>{*label}</label>
                                                <input id=*name name=*name type="number" min="0" step="1" value=other.to_string() required/>
                                                <p class="field-hint">{*help}</p>
                                            }.into_any(),
                                        })
                                    })
                                    .collect_view()}
                                <button type="submit" class="btn btn-primary" id="resilience-submit" disabled=move || action.pending().get()>"Save"</button>
                            </ActionForm>
                            {move || super::outcome("resilience-result", action.value().get(), |_| "Saved.".to_string())}
                        </section>
                    }.into_any(),
                })}
            </Transition>
            <JsonSettingsCard
                namespace="wait-for-cooldown"
                title="Wait for cooldown"
                help="When every account of a request is cooling down, wait for the first to come back (up to a limit) instead of answering 429 at once."
            />
        </div>
        <Toast message=toast/>
    }
}
