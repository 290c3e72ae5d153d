//! Settings → Appearance: the theme (per browser), and which sidebar entries and Home panels
//! show (stored on the server, so they follow the user to any browser).

use crate::api::appearance_settings::{get_appearance, SaveAppearance, NAV_CHOICES, PANEL_CHOICES};
use crate::api::error_text;
use crate::components::theme::ThemeSwitch;
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

#[component]
pub(super) fn AppearanceTab() -> impl IntoView {
    let action = ServerAction::<SaveAppearance>::new();
    let current = Resource::new(move || action.version().get(), |_| get_appearance());
    let toast = toast_slot();
    announce(toast, action, |_| {
        "Appearance saved. Reload other tabs to see it.".to_string()
    });
    view! {
        <div class="card-grid card-grid-wide">
            <section class="card" id="theme-card" aria-labelledby="theme-title">
                <h2 id="theme-title" class="card-title">"Theme"</h2>
                <p class="muted small">"Light, dark, or follow the system. Kept in this browser."</p>
                <ThemeSwitch secondary=true/>
            </section>
            <Transition fallback=super::card_skeleton>
                {move || {
                    current
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                            Ok(a) => view! {
                                <section class="card" id="layout-card" aria-labelledby="layout-title">
                                    <h2 id="layout-title" class="card-title">"Sidebar and panels"</h2>
                                    <p class="muted small">"Stored on the server: the same layout in every browser you log in from."</p>
                                    <ActionForm action=action attr:class="form-stack" attr:id="appearance-form">
                                        <fieldset class="scope-set">
                                            <legend>"Sidebar entries"</legend>
                                            <div class="check-grid">
                                                {NAV_CHOICES
                                                    .iter()
                                                    .map(|(id, label)| {
                                                        let name = format!("nav_{}", id.replace('-', "_"));
                                                        let checked = !a.hidden_nav.iter().any(|h| h == id);
                                                        view! {
                                                            <label class="check">
                                                                <input type="checkbox" name=name.clone() id=name checked=checked/>
                                                                {*label}
                                                            </label>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </div>
                                        </fieldset>
                                        <label class="check">
                                            <input type="checkbox" name="compact_sidebar" id="compact_sidebar" checked=a.compact_sidebar/>
                                            "Compact sidebar (icons only)"
                                        </label>
                                        <fieldset class="scope-set">
                                            <legend>"Home panels"</legend>
                                            <div class="check-grid">
                                                {PANEL_CHOICES
                                                    .iter()
                                                    .map(|(id, label)| {
                                                        let name = format!("panel_{}", id.replace('-', "_"));
                                                        let checked = !a.hidden_panels.iter().any(|h| h == id);
                                                        view! {
                                                            <label class="check">
                                                                <input type="checkbox" name=name.clone() id=name checked=checked/>
                                                                {*label}
                                                            </label>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </div>
                                        </fieldset>
                                        <button type="submit" class="btn btn-primary" id="appearance-submit" disabled=move || action.pending().get()>"Save"</button>
                                    </ActionForm>
                                    {move || super::outcome("appearance-result", action.value().get(), |_| "Saved.".to_string())}
                                </section>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        </div>
        <Toast message=toast/>
    }
}
