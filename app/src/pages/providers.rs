//! Providers: the provider connections (one API key of one provider each) with their status,
//! test / model list / enable / delete actions, and the forms that add a connection or a
//! custom OpenAI- or Anthropic-compatible node. Keys are only ever shown masked.

use crate::api::add_connection::AddConnection;
use crate::api::add_node::AddNode;
use crate::api::connection_models::{connection_models, UpstreamModelInfo};
use crate::api::delete_connection::delete_connection;
use crate::api::delete_node::delete_node;
use crate::api::error_text;
use crate::api::list_providers::{list_providers, ConnectionInfo, NodeInfo, ProvidersOverview};
use crate::api::provider_choices::{provider_choices, ProviderChoice};
use crate::api::set_connection_enabled::set_connection_enabled;
use crate::api::test_connection::{test_connection, ConnectionTest};
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use std::collections::HashMap;

/// Page-wide state of the per-connection actions. It lives above the list, so results
/// survive the list being reloaded after each change.
#[derive(Clone, Copy)]
struct Ui {
    /// Bumped after a change: reloads the list.
    reload: RwSignal<u32>,
    tests: RwSignal<HashMap<String, Result<ConnectionTest, String>>>,
    models: RwSignal<HashMap<String, Result<Vec<UpstreamModelInfo>, String>>>,
    /// `"<action>:<id>"` while a call runs.
    busy: RwSignal<Option<String>>,
    /// The connection (or `node:<id>`) whose deletion awaits confirmation.
    confirm: RwSignal<Option<String>>,
    /// The outcome of the last enable/disable/delete, for everyone to read.
    notice: RwSignal<Option<Result<String, String>>>,
}

impl Ui {
    fn is_busy(&self, action: &str, id: &str) -> bool {
        self.busy
            .with(|b| b.as_deref() == Some(format!("{action}:{id}").as_str()))
    }
}

#[component]
pub fn ProvidersPage() -> impl IntoView {
    let ui = Ui {
        reload: RwSignal::new(0),
        tests: RwSignal::new(HashMap::new()),
        models: RwSignal::new(HashMap::new()),
        busy: RwSignal::new(None),
        confirm: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    let add_connection = ServerAction::<AddConnection>::new();
    let add_node = ServerAction::<AddNode>::new();
    let overview = Resource::new(
        move || {
            (
                ui.reload.get(),
                add_connection.version().get(),
                add_node.version().get(),
            )
        },
        |_| list_providers(),
    );
    let choices = Resource::new(move || add_node.version().get(), |_| provider_choices());
    view! {
        <Title text="Providers · OmniRoute"/>
        <div class="page-head">
            <h1>"Providers"</h1>
            <p class="muted">
                "Connect the API keys of your LLM providers. Requests for "
                <code>"prefix/model"</code>
                " are routed to the enabled connections of that provider, lowest priority first."
            </p>
        </div>
        {move || {
            ui.notice
                .get()
                .map(|n| match n {
                    Ok(msg) => view! { <p class="alert alert-ok page-notice" role="status" id="providers-notice">{msg}</p> }.into_any(),
                    Err(msg) => view! { <p class="alert alert-error page-notice" role="alert" id="providers-notice">{msg}</p> }.into_any(),
                })
        }}
        <section class="section" aria-labelledby="connections-title">
            <h2 id="connections-title" class="section-title">"Connections"</h2>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || {
                    overview
                        .get()
                        .map(|result| match result {
                            Ok(o) => overview_view(o, ui).into_any(),
                            Err(e) => {
                                view! {
                                    <p class="alert alert-error" role="alert">
                                        "Could not read the connections: " {error_text(&e)}
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
        <div class="card-grid card-grid-wide">
            <AddConnectionCard action=add_connection choices/>
            <AddNodeCard action=add_node/>
        </div>
    }
}

fn overview_view(o: ProvidersOverview, ui: Ui) -> AnyView {
    let connections = if o.connections.is_empty() {
        empty_state().into_any()
    } else {
        view! {
            <div class="conn-grid" id="connections">
                {o.connections.into_iter().map(|c| connection_card(c, ui)).collect_view()}
            </div>
        }
        .into_any()
    };
    let nodes = (!o.nodes.is_empty()).then(|| nodes_card(o.nodes, ui));
    view! {
        {connections}
        {nodes}
    }
    .into_any()
}

fn empty_state() -> AnyView {
    view! {
        <div class="card empty-state" id="providers-empty">
            <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M9 2v6M15 2v6M6 8h12v4a6 6 0 0 1-12 0zM12 18v4"></path>
            </svg>
            <h3>"No provider connections yet"</h3>
            <p class="muted">
                "Choose a provider below and paste its API key. Then point your tools at this server and ask for "
                <code>"openai/gpt-4o"</code> ", " <code>"anthropic/claude-sonnet-4-5"</code>
                " and so on. For a self-hosted or other compatible endpoint, add a custom node first."
            </p>
            <a class="btn btn-primary" href="#add-connection">"Add an API key"</a>
        </div>
    }
    .into_any()
}

fn test_badge(c: &ConnectionInfo) -> impl IntoView {
    let when = c
        .last_tested_at
        .map(|t| format!(" · {}", format::datetime_utc(t)))
        .unwrap_or_default();
    match c.test_status.as_deref() {
        Some("active") => view! { <span class="badge badge-ok">"Passed"</span> <span class="muted small">{when}</span> }.into_any(),
        Some(_) => view! { <span class="badge badge-error">"Failed"</span> <span class="muted small">{when}</span> }.into_any(),
        None => view! { <span class="muted">"Never tested"</span> }.into_any(),
    }
}

fn connection_card(c: ConnectionInfo, ui: Ui) -> AnyView {
    let id = c.id.clone();
    let name = c.name.clone();
    let enabled = c.enabled;
    let key = match (&c.key_masked, &c.key_error) {
        (_, Some(err)) => view! { <span class="text-error">{err.clone()}</span> }.into_any(),
        (Some(masked), None) => view! { <code class="secret">{masked.clone()}</code> }.into_any(),
        (None, None) => view! { <span class="muted">"None"</span> }.into_any(),
    };
    let base_url = match (&c.base_url, &c.default_base_url) {
        (Some(url), _) => view! { <code>{url.clone()}</code> }.into_any(),
        (None, Some(url)) => {
            view! { <code>{url.clone()}</code> " " <span class="muted small">"(default)"</span> }
                .into_any()
        }
        (None, None) => view! { <span class="muted">"Provider default"</span> }.into_any(),
    };
    let last_error = (c.test_status.as_deref() == Some("error"))
        .then(|| c.last_error.clone())
        .flatten()
        .map(|e| view! { <p class="small text-error conn-last-error">{e}</p> });

    let test = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            ui.busy.set(Some(format!("test:{id}")));
            spawn_local(async move {
                let result = test_connection(id.clone())
                    .await
                    .map_err(|e| error_text(&e));
                ui.tests.update(|t| {
                    t.insert(id, result);
                });
                ui.busy.set(None);
                ui.reload.update(|n| *n += 1);
            });
        }
    };
    let models = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            if ui.models.with(|m| m.contains_key(&id)) {
                // A second click hides the list.
                ui.models.update(|m| {
                    m.remove(&id);
                });
                return;
            }
            ui.busy.set(Some(format!("models:{id}")));
            spawn_local(async move {
                let result = connection_models(id.clone())
                    .await
                    .map_err(|e| error_text(&e));
                ui.models.update(|m| {
                    m.insert(id, result);
                });
                ui.busy.set(None);
            });
        }
    };
    let toggle = {
        let id = id.clone();
        let name = name.clone();
        move |_| {
            let id = id.clone();
            let name = name.clone();
            ui.busy.set(Some(format!("toggle:{id}")));
            spawn_local(async move {
                let result = set_connection_enabled(id, !enabled).await;
                ui.notice.set(Some(match result {
                    Ok(()) if enabled => Ok(format!("“{name}” is disabled: no requests go to it.")),
                    Ok(()) => Ok(format!("“{name}” is enabled.")),
                    Err(e) => Err(error_text(&e)),
                }));
                ui.busy.set(None);
                ui.reload.update(|n| *n += 1);
            });
        }
    };
    let ask_delete = {
        let id = id.clone();
        move |_| ui.confirm.set(Some(id.clone()))
    };
    let confirm_delete = {
        let id = id.clone();
        let name = name.clone();
        move |_| {
            let id = id.clone();
            let name = name.clone();
            ui.busy.set(Some(format!("delete:{id}")));
            spawn_local(async move {
                let result = delete_connection(id.clone()).await;
                ui.notice.set(Some(match result {
                    Ok(()) => Ok(format!("“{name}” was deleted.")),
                    Err(e) => Err(error_text(&e)),
                }));
                ui.tests.update(|t| {
                    t.remove(&id);
                });
                ui.models.update(|m| {
                    m.remove(&id);
                });
                ui.confirm.set(None);
                ui.busy.set(None);
                ui.reload.update(|n| *n += 1);
            });
        }
    };

    let busy_any = move || ui.busy.with(Option::is_some);
    let id_for_test = id.clone();
    let id_for_models = id.clone();
    let id_for_confirm = id.clone();
    let id_test_label = id.clone();
    let id_models_label = id.clone();
    let id_models_open = id.clone();
    let name_for_confirm = name.clone();
    view! {
        <article class="card conn-card" class:conn-disabled=!enabled data-connection=c.name.clone() data-id=id.clone()>
            <header class="conn-head">
                <div class="conn-title">
                    <h3>{c.name.clone()}</h3>
                    <p class="muted small">{c.provider_name.clone()} " · " <code>{c.provider.clone()}</code></p>
                </div>
                {if enabled {
                    view! { <span class="badge badge-ok" data-field="state">"Enabled"</span> }.into_any()
                } else {
                    view! { <span class="badge badge-off" data-field="state">"Disabled"</span> }.into_any()
                }}
            </header>
            <dl class="kv kv-compact">
                <dt>"API key"</dt>
                <dd data-field="key">{key}</dd>
                <dt>"Base URL"</dt>
                <dd data-field="base-url">{base_url}</dd>
                <dt>"Priority"</dt>
                <dd data-field="priority">{c.priority}</dd>
                <dt>"Last test"</dt>
                <dd data-field="last-test">{test_badge(&c)}</dd>
            </dl>
            {last_error}
            <div class="btn-row" role="group" aria-label=format!("Actions for {}", c.name)>
                <button type="button" class="btn btn-sm btn-ghost" data-action="test" on:click=test disabled=busy_any>
                    {move || if ui.is_busy("test", &id_test_label) { "Testing…" } else { "Test" }}
                </button>
                <button
                    type="button"
                    class="btn btn-sm btn-ghost"
                    data-action="models"
                    on:click=models
                    disabled=busy_any
                    aria-expanded=move || ui.models.with(|m| m.contains_key(&id_models_open)).to_string()
                >
                    {move || if ui.is_busy("models", &id_models_label) { "Loading…" } else { "Models" }}
                </button>
                <button type="button" class="btn btn-sm btn-ghost" data-action="toggle" on:click=toggle disabled=busy_any>
                    {if enabled { "Disable" } else { "Enable" }}
                </button>
                <button type="button" class="btn btn-sm btn-danger-ghost" data-action="delete" on:click=ask_delete disabled=busy_any>
                    "Delete"
                </button>
            </div>
            {move || {
                (ui.confirm.get().as_deref() == Some(id_for_confirm.as_str()))
                    .then(|| {
                        let confirm_delete = confirm_delete.clone();
                        view! {
                            <div class="confirm-box" role="alertdialog" aria-label="Confirm deletion">
                                <p>"Delete “" {name_for_confirm.clone()} "”? Its API key is removed from this server."</p>
                                <div class="btn-row">
                                    <button type="button" class="btn btn-sm btn-danger" data-action="confirm-delete" on:click=confirm_delete>
                                        "Delete connection"
                                    </button>
                                    <button type="button" class="btn btn-sm btn-ghost" data-action="cancel-delete" on:click=move |_| ui.confirm.set(None)>
                                        "Cancel"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
            {move || ui.tests.with(|t| t.get(&id_for_test).cloned()).map(test_result)}
            {move || ui.models.with(|m| m.get(&id_for_models).cloned()).map(model_list)}
        </article>
    }
    .into_any()
}

fn test_result(result: Result<ConnectionTest, String>) -> impl IntoView {
    match result {
        Ok(t) => {
            let status = t
                .status
                .map(|s| format!("HTTP {s}"))
                .unwrap_or_else(|| "no answer".to_string());
            let (class, verdict) = if t.ok {
                ("alert alert-ok test-result", "OK")
            } else {
                ("alert alert-error test-result", "Failed")
            };
            view! {
                <div class=class role="status" data-field="test-result" data-ok=t.ok.to_string()>
                    <strong>{verdict}</strong>
                    " · " {status} " · " {format!("{} ms", t.latency_ms)}
                    <div>{t.message}</div>
                </div>
            }
            .into_any()
        }
        Err(e) => {
            view! { <p class="alert alert-error" role="alert" data-field="test-result">{e}</p> }
                .into_any()
        }
    }
}

fn model_list(result: Result<Vec<UpstreamModelInfo>, String>) -> impl IntoView {
    match result {
        Ok(models) if models.is_empty() => {
            view! { <p class="muted small" data-field="models">"The provider lists no models."</p> }
                .into_any()
        }
        Ok(models) => {
            let count = models.len();
            view! {
                <div class="model-list" data-field="models">
                    <p class="small muted">{format!("{count} model(s) listed by the provider")}</p>
                    <ul class="chips">
                        {models
                            .into_iter()
                            .map(|m| {
                                let title = m.name.clone().unwrap_or_default();
                                view! { <li class="chip" title=title><code>{m.id}</code></li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any()
        }
        Err(e) => view! { <p class="alert alert-error" role="alert" data-field="models">{e}</p> }
            .into_any(),
    }
}

fn nodes_card(nodes: Vec<NodeInfo>, ui: Ui) -> AnyView {
    view! {
        <section class="card nodes-card" aria-labelledby="nodes-title" id="nodes">
            <h2 id="nodes-title" class="card-title">"Custom nodes"</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Prefix"</th>
                            <th scope="col">"Base URL"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"API"</th>
                            <th scope="col">"Models"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {nodes.into_iter().map(|n| node_row(n, ui)).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn node_row(n: NodeInfo, ui: Ui) -> AnyView {
    let key = format!("node:{}", n.id);
    let key_for_ask = key.clone();
    let key_for_show = key.clone();
    let id = n.id.clone();
    let name = n.name.clone();
    let confirm = move |_| {
        let id = id.clone();
        let name = name.clone();
        ui.busy.set(Some(format!("delete-node:{id}")));
        spawn_local(async move {
            let result = delete_node(id).await;
            ui.notice.set(Some(match result {
                Ok(()) => Ok(format!(
                    "The node “{name}” and its connections were deleted."
                )),
                Err(e) => Err(error_text(&e)),
            }));
            ui.confirm.set(None);
            ui.busy.set(None);
            ui.reload.update(|v| *v += 1);
        });
    };
    view! {
        <tr data-node=n.prefix.clone()>
            <td>{n.name.clone()}</td>
            <td><code>{n.prefix.clone()} "/"</code></td>
            <td><code>{n.base_url.clone()}</code></td>
            <td>{n.kind.clone()}</td>
            <td>{n.api_type.clone()}</td>
            <td>{n.models}</td>
            <td class="cell-actions">
                {move || {
                    if ui.confirm.get().as_deref() == Some(key_for_show.as_str()) {
                        let confirm = confirm.clone();
                        view! {
                            <span class="inline-confirm">
                                <button type="button" class="btn btn-sm btn-danger" on:click=confirm>"Delete node"</button>
                                <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| ui.confirm.set(None)>"Cancel"</button>
                            </span>
                        }
                            .into_any()
                    } else {
                        let key = key_for_ask.clone();
                        view! {
                            <button type="button" class="btn btn-sm btn-danger-ghost" on:click=move |_| ui.confirm.set(Some(key.clone()))>
                                "Delete"
                            </button>
                        }
                            .into_any()
                    }
                }}
            </td>
        </tr>
    }
    .into_any()
}

#[component]
fn AddConnectionCard(
    action: ServerAction<AddConnection>,
    choices: Resource<Result<Vec<ProviderChoice>, ServerFnError>>,
) -> impl IntoView {
    let result = action.value();
    // The fields outlive a reload of the provider list; they are emptied once a connection
    // was added.
    let fields = ConnectionFields {
        name: RwSignal::new(String::new()),
        api_key: RwSignal::new(String::new()),
        base_url: RwSignal::new(String::new()),
    };
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            fields.name.set(String::new());
            fields.api_key.set(String::new());
            fields.base_url.set(String::new());
        }
    });
    view! {
        <section class="card" id="add-connection" aria-labelledby="add-connection-title">
            <h2 id="add-connection-title" class="card-title">"Add an API key"</h2>
            <p class="muted small">"The key is stored encrypted and only ever shown masked."</p>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || {
                    choices
                        .get()
                        .map(|r| match r {
                            Ok(list) => connection_form(action, list, fields).into_any(),
                            Err(e) => {
                                view! {
                                    <p class="alert alert-error" role="alert">
                                        "Could not read the providers: " {error_text(&e)}
                                    </p>
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
                        Ok(c) => view! { <p class="alert alert-ok" role="status" id="add-connection-result">"Added “" {c.name} "”."</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert-error" role="alert" id="add-connection-result">{error_text(&e)}</p> }.into_any(),
                    })
            }}
        </section>
    }
}

#[derive(Clone, Copy)]
struct ConnectionFields {
    name: RwSignal<String>,
    api_key: RwSignal<String>,
    base_url: RwSignal<String>,
}

fn connection_form(
    action: ServerAction<AddConnection>,
    list: Vec<ProviderChoice>,
    fields: ConnectionFields,
) -> AnyView {
    let selected = RwSignal::new(String::new());
    let defaults: HashMap<String, (String, bool)> = list
        .iter()
        .map(|c| (c.id.clone(), (c.default_base_url.clone(), c.needs_key)))
        .collect();
    let defaults = StoredValue::new(defaults);
    let placeholder = move || {
        defaults.with_value(|d| {
            d.get(&selected.get())
                .map(|(url, _)| url.clone())
                .unwrap_or_else(|| "The provider's default".to_string())
        })
    };
    let key_hint = move || {
        let needs = defaults.with_value(|d| d.get(&selected.get()).map(|(_, n)| *n));
        match needs {
            Some(false) => "Optional for this provider.",
            _ => "Required for cloud providers.",
        }
    };
    let (builtin, custom): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| !c.custom);
    let option = |c: ProviderChoice| {
        view! { <option value=c.id.clone()>{format!("{} ({}/)", c.name, c.prefix)}</option> }
    };
    let custom_group = (!custom.is_empty()).then(|| {
        view! { <optgroup label="Custom nodes">{custom.into_iter().map(option).collect_view()}</optgroup> }
    });
    view! {
        <ActionForm action=action attr:class="form-stack" attr:id="add-connection-form">
            <label for="conn-provider">"Provider"</label>
            <select id="conn-provider" name="provider" required on:change=move |ev| selected.set(event_target_value(&ev))>
                <option value="" selected disabled>"Choose a provider…"</option>
                <optgroup label="Providers">{builtin.into_iter().map(option).collect_view()}</optgroup>
                {custom_group}
            </select>
            <label for="conn-name">"Name " <span class="optional">"(optional)"</span></label>
            <input
                id="conn-name"
                name="name"
                type="text"
                placeholder="e.g. Work account"
                autocomplete="off"
                prop:value=move || fields.name.get()
                on:input=move |ev| fields.name.set(event_target_value(&ev))
            />
            <label for="conn-key">"API key"</label>
            <input
                id="conn-key"
                name="api_key"
                type="password"
                placeholder="sk-…"
                autocomplete="off"
                aria-describedby="conn-key-hint"
                prop:value=move || fields.api_key.get()
                on:input=move |ev| fields.api_key.set(event_target_value(&ev))
            />
            <p class="field-hint" id="conn-key-hint">{key_hint}</p>
            <label for="conn-base-url">"Base URL " <span class="optional">"(optional)"</span></label>
            <input
                id="conn-base-url"
                name="base_url"
                type="url"
                placeholder=placeholder
                autocomplete="off"
                aria-describedby="conn-base-hint"
                prop:value=move || fields.base_url.get()
                on:input=move |ev| fields.base_url.set(event_target_value(&ev))
            />
            <p class="field-hint" id="conn-base-hint">"For a proxy or a self-hosted endpoint; empty uses the provider's default."</p>
            <button type="submit" class="btn btn-primary" id="add-connection-submit" disabled=move || action.pending().get()>
                "Add connection"
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn AddNodeCard(action: ServerAction<AddNode>) -> impl IntoView {
    let result = action.value();
    let name = RwSignal::new(String::new());
    let prefix = RwSignal::new(String::new());
    let base_url = RwSignal::new(String::new());
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(_))) {
            name.set(String::new());
            prefix.set(String::new());
            base_url.set(String::new());
        }
    });
    view! {
        <section class="card" id="add-node" aria-labelledby="add-node-title">
            <h2 id="add-node-title" class="card-title">"Add a custom node"</h2>
            <p class="muted small">
                "Any OpenAI- or Anthropic-compatible endpoint, reached as " <code>"prefix/model"</code>
                ". Then add an API key to it above."
            </p>
            <ActionForm action=action attr:class="form-stack" attr:id="add-node-form">
                <label for="node-name">"Name " <span class="optional">"(optional)"</span></label>
                <input
                    id="node-name"
                    name="name"
                    type="text"
                    placeholder="e.g. Lab GPU server"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <label for="node-prefix">"Prefix"</label>
                <input
                    id="node-prefix"
                    name="prefix"
                    type="text"
                    placeholder="e.g. lab"
                    required
                    autocomplete="off"
                    aria-describedby="node-prefix-hint"
                    prop:value=move || prefix.get()
                    on:input=move |ev| prefix.set(event_target_value(&ev))
                />
                <p class="field-hint" id="node-prefix-hint">"Letters, digits and dashes; not a built-in provider's prefix."</p>
                <label for="node-base-url">"Base URL"</label>
                <input
                    id="node-base-url"
                    name="base_url"
                    type="url"
                    placeholder="https://llm.example.com/v1"
                    required
                    autocomplete="off"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev))
                />
                <div class="field-pair">
                    <div class="form-stack">
                        <label for="node-kind">"Type"</label>
                        <select id="node-kind" name="kind">
                            <option value="openai-compatible" selected>"OpenAI-compatible"</option>
                            <option value="anthropic-compatible">"Anthropic-compatible"</option>
                        </select>
                    </div>
                    <div class="form-stack">
                        <label for="node-api-type">"API type"</label>
                        <select id="node-api-type" name="api_type">
                            <option value="chat" selected>"Chat Completions"</option>
                            <option value="responses">"Responses"</option>
                        </select>
                    </div>
                </div>
                <button type="submit" class="btn btn-primary" id="add-node-submit" disabled=move || action.pending().get()>
                    "Add node"
                </button>
            </ActionForm>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(n) => view! { <p class="alert alert-ok" role="status" id="add-node-result">"Added the node “" {n.name} "”: use " <code>{format!("{}/<model>", n.prefix)}</code> "."</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert-error" role="alert" id="add-node-result">{error_text(&e)}</p> }.into_any(),
                    })
            }}
        </section>
    }
}
