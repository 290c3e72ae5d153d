//! Toasts: the short-lived confirmation (or error) after an action, in a corner region that
//! screen readers announce. Forms keep their inline messages; the toast is the at-a-glance
//! signal. It hides itself after a few seconds, or on its close button.

use crate::api::error_text;
use leptos::prelude::*;
use std::time::Duration;

const VISIBLE_FOR: Duration = Duration::from_secs(5);

/// What a toast says: success or error, and the text.
#[derive(Clone, Debug, PartialEq)]
pub struct ToastMessage {
    pub ok: bool,
    pub text: String,
}

impl ToastMessage {
    /// From a server function's result: `ok` words the success.
    pub fn from_result<T>(
        result: &Result<T, ServerFnError>,
        ok: impl FnOnce(&T) -> String,
    ) -> Self {
        match result {
            Ok(v) => Self {
                ok: true,
                text: ok(v),
            },
            Err(e) => Self {
                ok: false,
                text: error_text(e),
            },
        }
    }
}

/// A toast slot for a page: set it with [`ToastMessage`]s (see [`announce`]).
pub fn toast_slot() -> RwSignal<Option<ToastMessage>> {
    RwSignal::new(None)
}

/// Puts every outcome of `action` into `slot`, worded by `ok` on success.
pub fn announce<A, T>(
    slot: RwSignal<Option<ToastMessage>>,
    action: ServerAction<A>,
    ok: impl Fn(&T) -> String + Send + Sync + 'static,
) where
    A: leptos::server_fn::ServerFn<Output = T, Error = ServerFnError>
        + Clone
        + Send
        + Sync
        + 'static,
    T: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(result) = action.value().get() {
            let message = match &result {
                Ok(v) => ToastMessage {
                    ok: true,
                    text: ok(v),
                },
                Err(e) => ToastMessage {
                    ok: false,
                    text: error_text(e),
                },
            };
            slot.set(Some(message));
        }
    });
}

/// Shows `message` each time it changes to a new `Some`.
#[component]
pub fn Toast(#[prop(into)] message: Signal<Option<ToastMessage>>) -> impl IntoView {
    let visible = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        if message.get().is_some() {
            visible.set(true);
            let mine = generation.get_value() + 1;
            generation.set_value(mine);
            set_timeout(
                move || {
                    if generation.get_value() == mine {
                        visible.set(false);
                    }
                },
                VISIBLE_FOR,
            );
        }
    });
    view! {
        <div class="toast-region" aria-live="polite">
            {move || {
                message
                    .get()
                    .filter(|_| visible.get())
                    .map(|m| {
                        let class = if m.ok { "toast toast-ok" } else { "toast toast-error" };
                        let role = if m.ok { "status" } else { "alert" };
                        view! {
                            <div class=class role=role>
                                <span class="toast-text">{m.text}</span>
                                <button type="button" class="toast-close" aria-label="Dismiss" on:click=move |_| visible.set(false)>
                                    "×"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
