//! API Manager: the keys clients use for /v1 (and, with the `manage` scope, for /api). A key
//! is shown in full once, when it is created or regenerated; lists show its prefix only.

use crate::api::create_api_key::{CreateApiKey, IssuedKey, NewApiKeyInput};
use crate::api::delete_api_key::delete_api_key;
use crate::api::error_text;
use crate::api::list_api_keys::{list_api_keys, ApiKeyInfo, ApiKeysOverview};
use crate::api::regenerate_api_key::regenerate_api_key;
use crate::api::reveal_api_key::reveal_api_key;
use crate::api::revoke_api_key::revoke_api_key;
use crate::api::set_api_key_enabled::set_api_key_enabled;
use crate::components::copy::CopyButton;
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use std::collections::HashMap;

/// What each scope opens, for the form.
fn scope_note(scope: &str) -> &'static str {
    match scope {
        "chat" => "the /v1 API (chat, embeddings, images, audio, models)",
        "manage" => "the management API under /api",
        _ => "MCP tools of this group",
    }
}

#[derive(Clone, Copy)]
struct Ui {
    reload: RwSignal<u32>,
    /// `"<action>:<id>"` while a call runs.
    busy: RwSignal<Option<String>>,
    /// `"<action>:<id>"` awaiting confirmation (delete, revoke, regenerate).
    confirm: RwSignal<Option<String>>,
    notice: RwSignal<Option<Result<String, String>>>,
    /// The key just created or regenerated, shown once.
    issued: RwSignal<Option<IssuedKey>>,
    revealed: RwSignal<HashMap<String, Result<String, String>>>,
}

#[component]
pub fn ApiManagerPage() -> impl IntoView {
    let ui = Ui {
        reload: RwSignal::new(0),
        busy: RwSignal::new(None),
        confirm: RwSignal::new(None),
        notice: RwSignal::new(None),
        issued: RwSignal::new(None),
        revealed: RwSignal::new(HashMap::new()),
    };
    let create = ServerAction::<CreateApiKey>::new();
    let overview = Resource::new(
        move || (ui.reload.get(), create.version().get()),
        |_| list_api_keys(),
    );
    Effect::new(move |_| {
        if let Some(Ok(key)) = create.value().get() {
            ui.issued.set(Some(key));
            ui.notice.set(None);
        }
    });
    view! {
        <Title text="API Manager · OmniRoute"/>
        <div class="page-head">
            <h1>"API Manager"</h1>
            <p class="muted">
                "Keys for the tools that call this server. Send one as "
                <code>"Authorization: Bearer <key>"</code> " (or " <code>"x-api-key"</code>
                "). The server keeps only a hash: a key is shown in full once."
            </p>
        </div>
        {move || ui.issued.get().map(|k| issued_box(k, ui))}
        {move || {
            ui.notice
                .get()
                .map(|n| match n {
                    Ok(msg) => view! { <p class="alert alert-ok page-notice" role="status" id="keys-notice">{msg}</p> }.into_any(),
                    Err(msg) => view! { <p class="alert alert-error page-notice" role="alert" id="keys-notice">{msg}</p> }.into_any(),
                })
        }}
        <section class="section" aria-labelledby="keys-title">
            <h2 id="keys-title" class="section-title">"Keys"</h2>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || {
                    overview
                        .get()
                        .map(|result| match result {
                            Ok(o) => keys_view(o, ui),
                            Err(e) => {
                                view! {
                                    <p class="alert alert-error" role="alert">
                                        "Could not read the keys: " {error_text(&e)}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
        <CreateKeyCard action=create overview/>
    }
}

fn issued_box(k: IssuedKey, ui: Ui) -> AnyView {
    let key = k.key.clone();
    view! {
        <section class="card issued-key" id="new-key-box" aria-labelledby="new-key-title">
            <h2 id="new-key-title" class="card-title">"The key “" {k.name.clone()} "”"</h2>
            <p class="issued-warning">
                <strong>"Copy it now: you will not see it again."</strong>
                " OmniRoute stores only a hash of it. Lost it? Regenerate the key."
            </p>
            <div class="secret-row">
                <code class="secret-full" id="new-key">{k.key.clone()}</code>
                <CopyButton text=Signal::derive(move || key.clone()) what="the new key" id="new-key-copy"/>
            </div>
            <div class="btn-row">
                <button type="button" class="btn btn-sm btn-primary" id="new-key-done" on:click=move |_| ui.issued.set(None)>
                    "I have saved it"
                </button>
            </div>
        </section>
    }
    .into_any()
}

fn keys_view(o: ApiKeysOverview, ui: Ui) -> AnyView {
    if o.keys.is_empty() {
        return view! {
            <div class="card empty-state" id="keys-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M8 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM12 12h9M18 12v3M21 12v3"></path>
                </svg>
                <h3>"No API keys yet"</h3>
                <p class="muted">
                    "Create a key for each tool that calls this server: to reach it from other machines, to limit a tool to some models, or to use the management API. The Endpoints page says whether /v1 requires one."
                </p>
                <a class="btn btn-primary" href="#create-key">"Create a key"</a>
            </div>
        }
        .into_any();
    }
    let reveal_allowed = o.reveal_allowed;
    view! {
        <div class="conn-grid" id="keys">
            {o.keys.into_iter().map(|k| key_card(k, reveal_allowed, ui)).collect_view()}
        </div>
    }
    .into_any()
}

fn status_badge(k: &ApiKeyInfo) -> AnyView {
    let (class, text) = if k.revoked_at.is_some() {
        ("badge badge-error", "Revoked")
    } else if k.expired {
        ("badge badge-error", "Expired")
    } else if !k.enabled {
        ("badge badge-off", "Disabled")
    } else {
        ("badge badge-ok", "Enabled")
    };
    view! { <span class=class data-field="state">{text}</span> }.into_any()
}

fn when(t: Option<i64>, none: &'static str) -> String {
    t.map(format::datetime_utc)
        .unwrap_or_else(|| none.to_string())
}

/// Runs a key action: marks it busy, reports the outcome as the page notice, reloads.
fn run<F, Fut>(ui: Ui, action: &'static str, id: String, call: F, done: String)
where
    F: FnOnce(String) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<(), ServerFnError>> + 'static,
{
    ui.busy.set(Some(format!("{action}:{id}")));
    spawn_local(async move {
        let result = call(id).await;
        ui.notice
            .set(Some(result.map(|()| done).map_err(|e| error_text(&e))));
        ui.confirm.set(None);
        ui.busy.set(None);
        ui.reload.update(|n| *n += 1);
    });
}

fn key_card(k: ApiKeyInfo, reveal_allowed: bool, ui: Ui) -> AnyView {
    let id = k.id.clone();
    let name = k.name.clone();
    let revoked = k.revoked_at.is_some();
    let enabled = k.enabled;
    let busy_any = move || ui.busy.with(Option::is_some);
    let scopes = k
        .scopes
        .iter()
        .map(|s| view! { <li><span class="badge badge-neutral" data-scope=s.clone()>{s.clone()}</span></li> })
        .collect_view();
    let models = if k.allowed_models.is_empty() {
        view! { <span class="muted">"All models"</span> }.into_any()
    } else {
        view! {
            <ul class="chips">
                {k.allowed_models.iter().map(|m| view! { <li class="chip"><code>{m.clone()}</code></li> }).collect_view()}
            </ul>
        }
        .into_any()
    };

    let toggle = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            let done = if enabled {
                format!("“{name}” is disabled: requests with it are refused.")
            } else {
                format!("“{name}” is enabled.")
            };
            run(
                ui,
                "toggle",
                id.clone(),
                move |id| set_api_key_enabled(id, !enabled),
                done,
            );
        }
    };
    let confirm_for = |action: &'static str| {
        let id = id.clone();
        move |_| ui.confirm.set(Some(format!("{action}:{id}")))
    };
    let reveal = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            if ui.revealed.with(|r| r.contains_key(&id)) {
                ui.revealed.update(|r| {
                    r.remove(&id);
                });
                return;
            }
            ui.busy.set(Some(format!("reveal:{id}")));
            spawn_local(async move {
                let result = reveal_api_key(id.clone()).await.map_err(|e| error_text(&e));
                ui.revealed.update(|r| {
                    r.insert(id, result);
                });
                ui.busy.set(None);
            });
        }
    };
    let reveal_button = (reveal_allowed && k.revealable && !revoked).then(|| {
        let id = id.clone();
        view! {
            <button type="button" class="btn btn-sm btn-ghost" data-action="reveal" on:click=reveal disabled=busy_any>
                {move || if ui.revealed.with(|r| r.contains_key(&id)) { "Hide" } else { "Reveal" }}
            </button>
        }
    });
    let revealed = {
        let id = id.clone();
        move || {
            ui.revealed.with(|r| r.get(&id).cloned()).map(|r| match r {
                Ok(key) => {
                    let copy = key.clone();
                    view! {
                        <div class="secret-row" data-field="revealed">
                            <code class="secret-full">{key}</code>
                            <CopyButton text=Signal::derive(move || copy.clone()) what="the key"/>
                        </div>
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="alert alert-error" role="alert" data-field="revealed">{e}</p> }.into_any(),
            })
        }
    };
    let confirm_box = {
        let (id, name) = (id.clone(), name.clone());
        move || {
            let pending = ui.confirm.get()?;
            let (action, target) = pending.split_once(':')?;
            if target != id {
                return None;
            }
            let (question, button, class) = match action {
                "delete" => ("Delete “{}”? Tools using it stop working, and it disappears from this list.", "Delete key", "btn btn-sm btn-danger"),
                "revoke" => ("Revoke “{}”? Every request with it is refused from now on. Regenerating gives it a new secret.", "Revoke key", "btn btn-sm btn-danger"),
                _ => ("Regenerate “{}”? The current secret stops working at once; the new one is shown once.", "Regenerate", "btn btn-sm btn-primary"),
            };
            let question = question.replace("{}", &name);
            let action = action.to_string();
            let (id, name) = (id.clone(), name.clone());
            let confirm = move |_| {
                let id = id.clone();
                match action.as_str() {
                    "delete" => run(
                        ui,
                        "delete",
                        id,
                        delete_api_key,
                        format!("“{name}” was deleted."),
                    ),
                    "revoke" => run(
                        ui,
                        "revoke",
                        id,
                        revoke_api_key,
                        format!("“{name}” is revoked."),
                    ),
                    _ => {
                        ui.busy.set(Some(format!("regenerate:{id}")));
                        spawn_local(async move {
                            match regenerate_api_key(id.clone()).await {
                                Ok(key) => {
                                    ui.issued.set(Some(key));
                                    ui.notice.set(None);
                                }
                                Err(e) => ui.notice.set(Some(Err(error_text(&e)))),
                            }
                            ui.revealed.update(|r| {
                                r.remove(&id);
                            });
                            ui.confirm.set(None);
                            ui.busy.set(None);
                            ui.reload.update(|n| *n += 1);
                        });
                    }
                }
            };
            Some(view! {
                <div class="confirm-box" role="alertdialog" aria-label="Confirm">
                    <p>{question}</p>
                    <div class="btn-row">
                        <button type="button" class=class data-action="confirm" on:click=confirm>{button}</button>
                        <button type="button" class="btn btn-sm btn-ghost" data-action="cancel" on:click=move |_| ui.confirm.set(None)>
                            "Cancel"
                        </button>
                    </div>
                </div>
            })
        }
    };

    view! {
        <article class="card conn-card key-card" class:conn-disabled=!k.usable() data-key=k.name.clone() data-id=id.clone()>
            <header class="conn-head">
                <div class="conn-title">
                    <h3>{k.name.clone()}</h3>
                    <p class="muted small"><code class="secret" data-field="prefix">{k.prefix.clone()}</code></p>
                </div>
                {status_badge(&k)}
            </header>
            <dl class="kv kv-compact">
                <dt>"Scopes"</dt>
                <dd data-field="scopes"><ul class="chips">{scopes}</ul></dd>
                <dt>"Models"</dt>
                <dd data-field="models">{models}</dd>
                <dt>"Created"</dt>
                <dd data-field="created">{format::datetime_utc(k.created_at)}</dd>
                <dt>"Expires"</dt>
                <dd data-field="expires">{when(k.expires_at, "Never")}</dd>
                <dt>"Revoked"</dt>
                <dd data-field="revoked">{when(k.revoked_at, "No")}</dd>
                <dt>"Last used"</dt>
                <dd data-field="last-used">{when(k.last_used_at, "Never")}</dd>
            </dl>
            <div class="btn-row" role="group" aria-label=format!("Actions for {}", k.name)>
                {(!revoked).then(|| view! {
                    <button type="button" class="btn btn-sm btn-ghost" data-action="toggle" on:click=toggle disabled=busy_any>
                        {if enabled { "Disable" } else { "Enable" }}
                    </button>
                })}
                {reveal_button}
                <button type="button" class="btn btn-sm btn-ghost" data-action="regenerate" on:click=confirm_for("regenerate") disabled=busy_any>
                    "Regenerate"
                </button>
                {(!revoked).then(|| view! {
                    <button type="button" class="btn btn-sm btn-danger-ghost" data-action="revoke" on:click=confirm_for("revoke") disabled=busy_any>
                        "Revoke"
                    </button>
                })}
                <button type="button" class="btn btn-sm btn-danger-ghost" data-action="delete" on:click=confirm_for("delete") disabled=busy_any>
                    "Delete"
                </button>
            </div>
            {confirm_box}
            {revealed}
        </article>
    }
    .into_any()
}

#[component]
fn CreateKeyCard(
    action: ServerAction<CreateApiKey>,
    overview: Resource<Result<ApiKeysOverview, ServerFnError>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec!["chat".to_string()]);
    let models = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let result = action.value();
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            name.set(String::new());
            scopes.set(vec!["chat".to_string()]);
            models.set(String::new());
            days.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateApiKey {
            input: NewApiKeyInput {
                name: name.get(),
                scopes: scopes.get(),
                allowed_models: models.get(),
                expires_in_days: days.get(),
            },
        });
    };
    let scope_boxes = move || {
        overview.get().and_then(Result::ok).map(|o| {
            o.scopes
                .into_iter()
                .map(|scope| {
                    let id = format!("scope-{scope}");
                    let label_for = id.clone();
                    let s1 = scope.clone();
                    let s0 = scope.clone();
                    let s2 = scope.clone();
                    view! {
                        <label class="check" for=label_for>
                            <input
                                type="checkbox"
                                id=id
                                value=scope.clone()
                                // the attribute for the server-rendered page, the property after
                                checked=move || scopes.with(|l| l.contains(&s0))
                                prop:checked=move || scopes.with(|l| l.contains(&s1))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    scopes.update(|l| {
                                        l.retain(|x| x != &s2);
                                        if on {
                                            l.push(s2.clone());
                                        }
                                    });
                                }
                            />
                            <code>{scope.clone()}</code>
                            <span class="muted small">{scope_note(&scope)}</span>
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card create-key" id="create-key" aria-labelledby="create-key-title">
            <h2 id="create-key-title" class="card-title">"Create a key"</h2>
            <form class="form-stack" id="create-key-form" on:submit=submit>
                {view! {
                <label for="key-name">"Name"</label>
                <input
                    id="key-name"
                    type="text"
                    placeholder="e.g. laptop, claude-code"
                    required
                    maxlength="100"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <fieldset class="scope-set">
                    <legend>"Scopes"</legend>
                    <Transition fallback=|| view! { <div class="skeleton-lines skeleton-short" aria-busy="true"></div> }>
                        <div class="check-grid">{scope_boxes}</div>
                    </Transition>
                </fieldset>
                }.into_any()}
                {view! {
                <div class="field-pair">
                    <div class="form-stack">
                        <label for="key-models">"Allowed models " <span class="optional">"(optional)"</span></label>
                        <input
                            id="key-models"
                            type="text"
                            placeholder="e.g. openai/*, anthropic/claude-*"
                            autocomplete="off"
                            aria-describedby="key-models-hint"
                            prop:value=move || models.get()
                            on:input=move |ev| models.set(event_target_value(&ev))
                        />
                        <p class="field-hint" id="key-models-hint">"Patterns separated by commas; empty allows every model."</p>
                    </div>
                    <div class="form-stack">
                        <label for="key-expiry">"Expires after (days) " <span class="optional">"(optional)"</span></label>
                        <input
                            id="key-expiry"
                            type="number"
                            min="1"
                            max="3650"
                            step="1"
                            placeholder="Never"
                            prop:value=move || days.get()
                            on:input=move |ev| days.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <button type="submit" class="btn btn-primary" id="create-key-submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create key" }}
                </button>
                }.into_any()}
            </form>
            {move || {
                result
                    .get()
                    .and_then(Result::err)
                    .map(|e| view! { <p class="alert alert-error" role="alert" id="create-key-result">{error_text(&e)}</p> })
            }}
        </section>
    }
}
