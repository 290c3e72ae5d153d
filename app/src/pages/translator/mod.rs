//! Translator: the Playground and the Chat Tester (`chat_tester`), the Test Bench (`bench`) and
//! the Live Monitor (`monitor`), each mode at its own `?mode=` address. Pick the client's format (source) and the provider's (target),
//! paste a body, and see what the gateway makes of it: a request goes source → target; a
//! complete response or a stream comes back target → source, as the proxy returns a
//! provider's answer to the client.

pub mod bench;
pub mod chat_tester;
pub mod examples;
pub mod monitor;

use crate::api::error_text;
use crate::api::translate::{Translate, TranslateInput};
use examples::{example, format_label, FORMATS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const MODE_LABELS: [(&str, &str); 3] = [
    ("request", "Request"),
    ("response", "Response"),
    ("stream", "Stream"),
];

/// The page's modes, each at its own address (`?mode=bench`).
const PAGE_MODES: [(&str, &str); 3] = [
    ("playground", "Playground"),
    ("bench", "Test Bench"),
    ("monitor", "Live Monitor"),
];

#[component]
pub fn TranslatorPage() -> impl IntoView {
    let query = use_query_map();
    let page_mode = move || {
        query.with(|q| {
            q.get("mode")
                .filter(|m| PAGE_MODES.iter().any(|(id, _)| id == m))
                .unwrap_or_else(|| "playground".to_string())
        })
    };
    view! {
        <Title text="Translator · OmniRoute"/>
        <div class="page-head">
            <h1>"Translator"</h1>
            <p class="muted">
                "See how OmniRoute translates between OpenAI Chat, Anthropic Messages, Gemini and OpenAI Responses — the same engine the gateway runs on every request."
            </p>
        </div>
        <nav class="tabs" aria-label="Translator modes">
            {PAGE_MODES
                .iter()
                .map(|(id, label)| {
                    let id = *id;
                    view! {
                        <a class="tab" href=format!("/dashboard/translator?mode={id}") data-mode-tab=id aria-current=move || (page_mode() == id).then_some("page")>
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        {move || match page_mode().as_str() {
            "bench" => view! { <bench::TestBench/> }.into_any(),
            "monitor" => view! { <monitor::LiveMonitor/> }.into_any(),
            _ => view! { <Playground/> }.into_any(),
        }}
    }
}

#[component]
fn Playground() -> impl IntoView {
    let mode = RwSignal::new("request");
    let source = RwSignal::new("openai_chat".to_string());
    let target = RwSignal::new("anthropic".to_string());
    let model = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let action = ServerAction::<Translate>::new();

    // The format the pasted body is in, and the one the output is in.
    let input_format = move || {
        if mode.get() == "request" {
            source.get()
        } else {
            target.get()
        }
    };
    let output_format = move || {
        if mode.get() == "request" {
            target.get()
        } else {
            source.get()
        }
    };
    let noun = move || match mode.get() {
        "request" => "request",
        "response" => "response",
        _ => "stream (SSE)",
    };
    let input_label = move || format!("{} {}", format_label(&input_format()), noun());
    let input_note = move || {
        if mode.get() == "request" {
            "from the client"
        } else {
            "from the provider"
        }
    };
    let output_label = move || format!("{} {}", format_label(&output_format()), noun());
    let output_note = move || {
        if mode.get() == "request" {
            "to the provider"
        } else {
            "to the client"
        }
    };
    let placeholder = move || {
        if mode.get() == "stream" {
            "event: …\ndata: {…}\n\n".to_string()
        } else {
            format!(
                "Paste a {} {} here, or load the example.",
                format_label(&input_format()),
                noun()
            )
        }
    };
    let load_example = move |_| {
        body.set(example(mode.get(), &input_format()).to_string());
        action.clear();
    };
    let swap = move |_| {
        let s = source.get();
        source.set(target.get());
        target.set(s);
        action.clear();
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(Translate {
            input: TranslateInput {
                mode: mode.get().to_string(),
                source: source.get(),
                target: target.get(),
                model: model.get(),
                body: body.get(),
            },
        });
    };
    let result = action.value();

    view! {
        <section class="card playground" aria-labelledby="playground-title">
            <div class="playground-head">
                <h2 id="playground-title" class="card-title">"Playground"</h2>
                <div class="segmented" role="group" aria-label="What to translate">
                    {MODE_LABELS
                        .iter()
                        .map(|(value, label)| {
                            let value = *value;
                            view! {
                                <button
                                    type="button"
                                    class="segmented-btn"
                                    data-mode=value
                                    aria-pressed=move || (mode.get() == value).to_string()
                                    on:click=move |_| {
                                        mode.set(value);
                                        action.clear();
                                    }
                                >
                                    {*label}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <form class="playground-form" on:submit=submit>
                {view! {
                <div class="format-bar">
                    <div class="field">
                        <label for="tr-source">"Client format (source)"</label>
                        <FormatSelect id="tr-source" value=source on_change=move || action.clear()/>
                    </div>
                    <button type="button" class="btn btn-ghost btn-icon" id="tr-swap" on:click=swap title="Swap source and target" aria-label="Swap source and target">
                        "⇄"
                    </button>
                    <div class="field">
                        <label for="tr-target">"Provider format (target)"</label>
                        <FormatSelect id="tr-target" value=target on_change=move || action.clear()/>
                    </div>
                    <div class="field field-grow">
                        <label for="tr-model">"Model " <span class="optional">"(optional)"</span></label>
                        <input
                            id="tr-model"
                            type="text"
                            placeholder="From the body"
                            autocomplete="off"
                            prop:value=move || model.get()
                            on:input=move |ev| model.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                }.into_any()}
                {view! {
                <p class="direction small" id="tr-direction">
                    <span class="badge badge-neutral">{move || format_label(&input_format())}</span>
                    " → "
                    <span class="badge badge-neutral">{move || format_label(&output_format())}</span>
                    <span class="muted">
                        {move || if mode.get() == "request" {
                            " A request goes from the client's format to the provider's."
                        } else {
                            " The provider's answer goes back to the client's format."
                        }}
                    </span>
                </p>
                }.into_any()}
                {view! {
                <div class="split">
                    <div class="pane">
                        <div class="pane-head">
                            <label for="tr-input">{input_label} " " <span class="optional">{input_note}</span></label>
                            <button type="button" class="btn btn-sm btn-ghost" id="tr-example" on:click=load_example>
                                "Load example"
                            </button>
                        </div>
                        <textarea
                            id="tr-input"
                            class="code-input"
                            spellcheck="false"
                            wrap="off"
                            placeholder=placeholder
                            prop:value=move || body.get()
                            on:input=move |ev| body.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="pane">
                        <div class="pane-head">
                            <span class="pane-label" id="tr-output-label">{output_label} " " <span class="optional">{output_note}</span></span>
                        </div>
                        {move || match result.get() {
                            Some(Ok(out)) => {
                                let warnings = (!out.warnings.is_empty()).then(|| {
                                    view! {
                                        <div class="alert alert-warn" id="tr-warnings">
                                            <strong>"Dropped by the target format:"</strong>
                                            <ul>{out.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}</ul>
                                        </div>
                                    }
                                });
                                view! {
                                    <pre class="code-output" id="tr-output" aria-labelledby="tr-output-label" tabindex="0"><code>{out.text}</code></pre>
                                    {warnings}
                                }
                                    .into_any()
                            }
                            Some(Err(e)) => {
                                view! {
                                    <div class="code-output code-output-empty">
                                        <p class="alert alert-error" role="alert" id="tr-error">{error_text(&e)}</p>
                                    </div>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <div class="code-output code-output-empty" id="tr-output-empty">
                                        <p class="muted">"The translation appears here."</p>
                                    </div>
                                }
                                    .into_any()
                            }
                        }}
                    </div>
                </div>
                }.into_any()}
                <div class="btn-row">
                    <button type="submit" class="btn btn-primary" id="tr-submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Translating…" } else { "Translate" }}
                    </button>
                </div>
            </form>
        </section>
        {view! { <chat_tester::ChatTester/> }.into_any()}
    }
}

#[component]
fn FormatSelect(
    id: &'static str,
    value: RwSignal<String>,
    on_change: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <select
            id=id
            prop:value=move || value.get()
            on:change=move |ev| {
                value.set(event_target_value(&ev));
                on_change();
            }
        >
            {FORMATS
                .iter()
                .map(|f| {
                    let f = *f;
                    view! {
                        <option value=f selected=move || value.get() == f>{format_label(f)}</option>
                    }
                })
                .collect_view()}
        </select>
    }
}
