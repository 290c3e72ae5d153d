//! Settings: the dashboard password (Security) and the account strategy (Routing). The guide's
//! other tabs join as their features land.

use crate::api::change_password::ChangePassword;
use crate::api::error_text;
use crate::api::routing_settings::{get_routing_settings, SaveRoutingSettings, ACCOUNT_STRATEGIES};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings · OmniRoute"/>
        <div class="page-head">
            <h1>"Settings"</h1>
        </div>
        <div class="card-grid">
            <PasswordCard/>
            {view! { <RoutingCard/> }.into_any()}
        </div>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let result = action.value();
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title" class="card-title">"Dashboard password"</h2>
            <p class="muted small">
                "At least 8 characters. Changing it logs out every other browser session."
            </p>
            <ActionForm action=action attr:class="form-stack" attr:id="password-form">
                <label for="current_password">"Current password"</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
                <label for="new_password">"New password"</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required/>
                <label for="confirm_password">"Confirm new password"</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required/>
                <button type="submit" class="btn btn-primary" id="password-submit" disabled=move || action.pending().get()>
                    "Change password"
                </button>
            </ActionForm>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(()) => view! { <p class="alert alert-ok" role="status" id="password-result">"Password changed."</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert-error" role="alert" id="password-result">{error_text(&e)}</p> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn RoutingCard() -> impl IntoView {
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
