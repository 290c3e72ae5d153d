//! Settings, in the guide's seven tabs: General, Appearance, AI, Security, Routing,
//! Resilience, Advanced. Each tab is a link (`?tab=general`), so every tab has its own address
//! and works without JavaScript. Every form validates on the server (the REST handler of its
//! setting) and shows the error inline; a success also shows a toast.

mod advanced;
mod ai;
mod appearance;
mod general;
mod json_card;
mod password_card;
mod resilience;
mod routing;
mod security;

pub use crate::api::resilience_settings::field_label;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const TABS: [(&str, &str); 7] = [
    ("general", "General"),
    ("appearance", "Appearance"),
    ("ai", "AI"),
    ("security", "Security"),
    ("routing", "Routing"),
    ("resilience", "Resilience"),
    ("advanced", "Advanced"),
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || {
        query.with(|q| {
            q.get("tab")
                .filter(|t| TABS.iter().any(|(id, _)| id == t))
                .unwrap_or_else(|| "general".to_string())
        })
    };
    let title = move || {
        let current = tab();
        let label = TABS
            .iter()
            .find(|(id, _)| *id == current)
            .map_or("General", |(_, l)| *l);
        format!("Settings · {label} · OmniRoute")
    };
    view! {
        <Title text=title/>
        <div class="page-head">
            <h1>"Settings"</h1>
            <p class="muted">"Every change takes effect at once, without a restart."</p>
        </div>
        <nav class="tabs" aria-label="Settings sections">
            {TABS
                .iter()
                .map(|(id, label)| {
                    let id = *id;
                    view! {
                        <a
                            class="tab"
                            href=format!("/dashboard/settings?tab={id}")
                            data-tab=id
                            aria-current=move || (tab() == id).then_some("page")
                        >
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <div class="tab-panel" id="settings-panel">
            {move || match tab().as_str() {
                "appearance" => view! { <appearance::AppearanceTab/> }.into_any(),
                "ai" => view! { <ai::AiTab/> }.into_any(),
                "security" => view! { <security::SecurityTab/> }.into_any(),
                "routing" => view! { <routing::RoutingTab/> }.into_any(),
                "resilience" => view! { <resilience::ResilienceTab/> }.into_any(),
                "advanced" => view! { <advanced::AdvancedTab/> }.into_any(),
                _ => view! { <general::GeneralTab/> }.into_any(),
            }}
        </div>
    }
}

/// The inline outcome of a form: the error (role alert) or a short success note.
pub(super) fn outcome<T: 'static>(
    id: &'static str,
    result: Option<Result<T, ServerFnError>>,
    ok: impl FnOnce(&T) -> String,
) -> Option<AnyView> {
    result.map(|r| match r {
        Ok(v) => view! { <p class="alert alert-ok" role="status" id=id>{ok(&v)}</p> }.into_any(),
        Err(e) => view! { <p class="alert alert-error" role="alert" id=id>{crate::api::error_text(&e)}</p> }
            .into_any(),
    })
}

/// The standard card skeleton while a tab loads.
pub(super) fn card_skeleton() -> impl IntoView {
    view! { <section class="card"><div class="skeleton-lines" aria-busy="true"></div></section> }
}
