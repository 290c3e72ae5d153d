//! Light / dark / system theme. The choice is kept in localStorage and applied to
//! `<html data-theme>`; "system" removes the attribute and lets `prefers-color-scheme` decide.
//! Without JavaScript the system theme applies.

use leptos::prelude::*;

const STORAGE_KEY: &str = "omniroute-theme";
const CHOICES: [(&str, &str); 3] = [("light", "Light"), ("dark", "Dark"), ("system", "System")];

/// The current choice, shared by every switch on the page (the top bar and Settings →
/// Appearance) when the layout provides it.
#[derive(Clone, Copy)]
pub struct ThemeChoice(pub RwSignal<String>);

impl ThemeChoice {
    pub fn new() -> Self {
        Self(RwSignal::new(String::from("system")))
    }
}

impl Default for ThemeChoice {
    fn default() -> Self {
        Self::new()
    }
}

/// `secondary`: a second switch on the page (Settings → Appearance); its buttons carry
/// `data-theme-option` so the top bar's stay the ones tests and scripts address.
#[component]
pub fn ThemeSwitch(#[prop(optional)] secondary: bool) -> impl IntoView {
    let choice = use_context::<ThemeChoice>().unwrap_or_default().0;
    // Runs in the browser only: pick up what the boot script applied.
    Effect::new(move |_| {
        if let Some(saved) = read_saved() {
            choice.set(saved);
        }
    });
    view! {
        <div class="segmented" role="group" aria-label="Theme">
            {CHOICES
                .iter()
                .map(|(value, label)| {
                    let value = *value;
                    view! {
                        <button
                            type="button"
                            class="segmented-btn"
                            data-theme-choice=(!secondary).then_some(value)
                            data-theme-option=secondary.then_some(value)
                            aria-pressed=move || (choice.get() == value).to_string()
                            on:click=move |_| {
                                apply(value);
                                choice.set(value.to_string());
                            }
                        >
                            {*label}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

fn read_saved() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let value = storage.get_item(STORAGE_KEY).ok()??;
    matches!(value.as_str(), "light" | "dark" | "system").then_some(value)
}

fn apply(value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(STORAGE_KEY, value);
    }
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        if value == "system" {
            let _ = root.remove_attribute("data-theme");
        } else {
            let _ = root.set_attribute("data-theme", value);
        }
    }
}
