//! A "Copy" button for URLs, keys and configuration snippets. It shows "Copied" for a moment
//! after the clipboard took the text, or says to copy by hand when the browser refuses
//! (the clipboard API needs a secure context: https, or http://localhost).

use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// `text` is read when clicked; `what` names it for screen readers ("Copy the /v1 URL").
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] what: String,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let click = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            let ok = write_clipboard(&value).await;
            state.set(if ok {
                CopyState::Copied
            } else {
                CopyState::Failed
            });
            set_timeout(
                move || state.set(CopyState::Idle),
                Duration::from_millis(if ok { 2000 } else { 4000 }),
            );
        });
    };
    view! {
        <button
            type="button"
            class="btn btn-sm btn-ghost copy-btn"
            id=id
            class:copy-done=move || state.get() == CopyState::Copied
            data-copy-state=move || match state.get() {
                CopyState::Idle => "idle",
                CopyState::Copied => "copied",
                CopyState::Failed => "failed",
            }
            aria-label=format!("Copy {what}")
            on:click=click
        >
            <span aria-live="polite">
                {move || match state.get() {
                    CopyState::Idle => "Copy",
                    CopyState::Copied => "Copied",
                    CopyState::Failed => "Select and press Ctrl+C",
                }}
            </span>
        </button>
    }
}

async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if !window.is_secure_context() {
        return false;
    }
    let promise = window.navigator().clipboard().write_text(text);
    web_sys::js_sys::futures::JsFuture::from(promise)
        .await
        .is_ok()
}
