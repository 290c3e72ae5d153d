//! A settings section edited as JSON: its current object in a labelled editor, saved through
//! the section's own PUT handler (which validates it and names a bad field). Used for the
//! sections whose shapes are lists and maps (aliases, fallback chains, proxies…).

use crate::api::error_text;
use crate::api::json_settings::{get_json_settings, SaveJsonSettings};
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

#[component]
pub fn JsonSettingsCard(
    /// The section under `/api/settings/` (one of `JSON_NAMESPACES`).
    namespace: &'static str,
    title: &'static str,
    help: &'static str,
) -> impl IntoView {
    let action = ServerAction::<SaveJsonSettings>::new();
    let current = Resource::new(
        move || action.version().get(),
        move |_| get_json_settings(namespace.to_string()),
    );
    let toast = toast_slot();
    announce(toast, action, move |_| format!("{title} saved."));
    let id = format!("json-{namespace}");
    let editor = format!("json-{namespace}-editor");
    let result_id = format!("json-{namespace}-result");
    view! {
        <section class="card" id=id.clone() aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title") class="card-title">{title}</h2>
            <p class="muted small">{help}</p>
            <Transition fallback=|| view! { <div class="skeleton-lines skeleton-short" aria-busy="true"></div> }>
                {
                    let editor = editor.clone();
                    move || {
                        let editor = editor.clone();
                        current.get().map(move |r| match r {
                            Err(e) => view! { <p class="alert alert-error" role="alert">{error_text(&e)}</p> }.into_any(),
                            Ok(text) => {
                                let rows = text.lines().count().clamp(4, 18);
                                view! {
                                    <ActionForm action=action attr:class="form-stack">
                                        <input type="hidden" name="namespace" value=namespace/>
                                        <label for=editor.clone()>{format!("{title} (JSON)")}</label>
                                        <textarea id=editor.clone() name="json" rows=rows spellcheck="false">{text}</textarea>
                                        <button type="submit" class="btn btn-primary" id=format!("{editor}-save") disabled=move || action.pending().get()>"Save"</button>
                                    </ActionForm>
                                }
                                .into_any()
                            }
                        })
                    }
                }
            </Transition>
            {
                let result_id = result_id.clone();
                move || action.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="alert alert-ok" role="status" id=result_id.clone()>"Saved."</p> }.into_any(),
                    Err(e) => view! { <p class="alert alert-error" role="alert" id=result_id.clone()>{error_text(&e)}</p> }.into_any(),
                })
            }
            <Toast message=toast/>
        </section>
    }
}
