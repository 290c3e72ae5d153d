//! The Chat Tester: sends a chat through the real gateway path and shows every step: the
//! client's request, what was sent to each upstream tried (URL and translated request), what
//! the upstream answered, and what the client got back.

use super::examples::{example, format_label, FORMATS};
use crate::api::chat_test::{ChatTest, ChatTestInput, ChatTestOutput};
use crate::api::error_text;
use leptos::prelude::*;

#[component]
pub fn ChatTester() -> impl IntoView {
    let format = RwSignal::new("openai_chat".to_string());
    let model = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let action = ServerAction::<ChatTest>::new();
    let result = action.value();
    let load_example = move |_| {
        body.set(example("request", &format.get()).to_string());
        action.clear();
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(ChatTest {
            input: ChatTestInput {
                format: format.get(),
                model: model.get(),
                body: body.get(),
            },
        });
    };
    view! {
        <section class="card playground" aria-labelledby="chat-tester-title">
            <div class="playground-head">
                <h2 id="chat-tester-title" class="card-title">"Chat Tester"</h2>
            </div>
            <p class="muted small">
                "Sends the request through the gateway as a client would (model resolution, your connections, translation, the upstream call) and shows each step. Streaming is turned off here so every step can be shown whole."
            </p>
            <form class="playground-form" on:submit=submit>
                <div class="format-bar">
                    <div class="field">
                        <label for="ct-format">"Client format"</label>
                        <select
                            id="ct-format"
                            prop:value=move || format.get()
                            on:change=move |ev| {
                                format.set(event_target_value(&ev));
                                action.clear();
                            }
                        >
                            {FORMATS
                                .iter()
                                .map(|f| {
                                    let f = *f;
                                    view! { <option value=f selected=move || format.get() == f>{format_label(f)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field field-grow">
                        <label for="ct-model">"Model " <span class="optional">"(e.g. openai/gpt-4o; replaces the body's)"</span></label>
                        <input
                            id="ct-model"
                            type="text"
                            autocomplete="off"
                            placeholder="provider/model"
                            prop:value=move || model.get()
                            on:input=move |ev| model.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <div class="pane">
                    <div class="pane-head">
                        <label for="ct-input">"Client request"</label>
                        <button type="button" class="btn btn-sm btn-ghost" id="ct-example" on:click=load_example>
                            "Load example"
                        </button>
                    </div>
                    <textarea
                        id="ct-input"
                        class="code-input code-input-short"
                        spellcheck="false"
                        wrap="off"
                        placeholder="Paste a request in the client format, or load the example."
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="btn-row">
                    <button type="submit" class="btn btn-primary" id="ct-submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Sending…" } else { "Send through the gateway" }}
                    </button>
                </div>
            </form>
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="alert alert-error" role="alert" id="ct-error">{error_text(&e)}</p> }.into_any(),
                Some(Ok(out)) => steps(out).into_any(),
            }}
        </section>
    }
}

fn code(id: String, label: String, text: String) -> impl IntoView {
    view! {
        <div class="pane">
            <div class="pane-head"><span class="pane-label">{label}</span></div>
            <pre class="code-output code-output-short" id=id tabindex="0"><code>{text}</code></pre>
        </div>
    }
}

fn steps(out: ChatTestOutput) -> impl IntoView {
    let ok = (200..300).contains(&out.status);
    let attempts = out.attempts.len();
    view! {
        <div class="chat-steps" id="ct-result">
            <p class="small">
                <span class=if ok { "badge badge-ok" } else { "badge badge-error" } id="ct-status">{format!("HTTP {}", out.status)}</span>
                " · " {format!("{attempts} upstream attempt(s)")}
            </p>
            {out
                .attempts
                .into_iter()
                .enumerate()
                .map(|(i, a)| {
                    let n = i + 1;
                    let head = format!(
                        "Attempt {n}: {} ({}) · {} · {}",
                        a.provider,
                        format_label(&a.upstream_format),
                        a.url,
                        a.status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no answer".into())
                    );
                    view! {
                        <div class="chat-attempt">
                            <h3 class="small">{head}</h3>
                            <div class="split">
                                {code(format!("ct-translated-{n}"), "Translated request (to the provider)".into(), a.translated_request)}
                                {code(format!("ct-upstream-{n}"), "Provider response".into(), a.upstream_response)}
                            </div>
                        </div>
                    }
                })
                .collect_view()}
            <div class="split">
                {code("ct-client-request".into(), "Client request".into(), out.client_request)}
                {code("ct-client-response".into(), "Client response (what the caller gets)".into(), out.client_response)}
            </div>
        </div>
    }
}
