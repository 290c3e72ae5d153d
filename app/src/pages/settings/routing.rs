//! Settings → Routing: the account strategy among one provider's connections.

use super::json_card::JsonSettingsCard;
use crate::api::error_text;
use crate::api::routing_settings::{get_routing_settings, SaveRoutingSettings, ACCOUNT_STRATEGIES};
use leptos::prelude::*;

#[component]
pub(super) fn RoutingTab() -> impl IntoView {
    view! {
        <div class="card-grid card-grid-wide">
            <RoutingCard/>
            <JsonSettingsCard
                namespace="aliases"
                title="Model aliases"
                help="Names clients may use for a model, wildcards allowed: {\"aliases\": [{\"pattern\": \"fast\", \"target\": \"openai/gpt-4o-mini\"}]}."
            />
            <JsonSettingsCard
                namespace="fallback-chains"
                title="Fallback chains"
                help="For a model, the models to try next when every connection for it fails."
            />
            <JsonSettingsCard
                namespace="auto-routing"
                title="Auto-routing"
                help="How the auto model picks a target from the request."
            />
        </div>
    }
}

#[component]
pub(super) fn RoutingCard() -> impl IntoView {
    let action = ServerAction::<SaveRoutingSettings>::new();
    let current = Resource::new(move || action.version().get(), |_| get_routing_settings());
    let result = action.value();
    view! {
        <section class="card" aria-labelledby="routing-title">
            <h2 id="routing-title" class="card-title">"Routing: accounts"</h2>
            <p class="muted small">
                "When a provider has several connections, this decides which one serves a request first; the others follow as failover."
            </p>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || {
                    current
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <p class="alert alert-error" role="alert">{error_text(&e)}</p> }.into_any(),
                            Ok(s) => {
                                let chosen = s.account_strategy.clone();
                                view! {
                                    <ActionForm action=action attr:class="form-stack" attr:id="routing-form">
                                        <label for="account_strategy">"Account strategy"</label>
                                        <select id="account_strategy" name="account_strategy">
                                            {ACCOUNT_STRATEGIES
                                                .iter()
                                                .map(|(value, label, help)| {
                                                    let selected = chosen == *value;
                                                    view! { <option value=*value selected=selected title=*help>{*label}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                        <p class="muted small" id="account-strategy-help">
                                            {ACCOUNT_STRATEGIES
                                                .iter()
                                                .find(|(v, _, _)| *v == chosen)
                                                .map(|(_, _, h)| *h)
                                                .unwrap_or_default()}
                                        </p>
                                        <label for="sticky_limit">"Sticky limit (round robin)"</label>
                                        <input id="sticky_limit" name="sticky_limit" type="number" min="1" max="1000" value=s.sticky_limit.to_string() required/>
                                        <button type="submit" class="btn btn-primary" id="routing-submit" disabled=move || action.pending().get()>
                                            "Save"
                                        </button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(s) => view! { <p class="alert alert-ok" role="status" id="routing-result">{format!("Saved: {}.", s.account_strategy)}</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert-error" role="alert" id="routing-result">{error_text(&e)}</p> }.into_any(),
                    })
            }}
        </section>
    }
}
