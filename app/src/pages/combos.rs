//! Combos: named model lists with a balancing strategy, usable wherever a model is. Cards in
//! routing order (drag a card, or use its up/down buttons, to reorder; the order is saved),
//! a form to create or edit one (steps picked from the catalog, weights, nested combos,
//! per-combo settings), a "test" that sends a short chat through a combo and shows the route
//! it took, and the recent routing decisions with their candidates and scores.

use crate::api::combos_overview::{list_combos, ComboInfo, ComboSettings, ComboStep};
use crate::api::delete_combo::delete_combo;
use crate::api::error_text;
use crate::api::reorder_combos::reorder_combos;
use crate::api::routing_decisions::{
    routing_decision, routing_decisions, DecisionDetail, DecisionLine,
};
use crate::api::save_combo::{save_combo, ComboForm};
use crate::api::test_combo::{test_combo, ComboTestResult};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

/// Every strategy, with what it does (the form's select).
pub const STRATEGIES: [(&str, &str); 13] = [
    ("priority", "In order; the next only when one fails"),
    ("weighted", "A random first step, by weight"),
    ("round-robin", "Rotates through the steps"),
    ("random", "A fresh shuffle per request"),
    ("strict-random", "Each step once per shuffled cycle"),
    ("least-used", "The least used step first"),
    ("cost-optimized", "The cheapest model first"),
    ("fill-first", "The first step until it fails or runs out"),
    ("p2c", "The healthier of two random steps"),
    ("lkgp", "The last step that worked for the session"),
    ("context-optimized", "The largest context window first"),
    (
        "context-relay",
        "In order; a summary is handed over when quota runs out",
    ),
    ("auto", "Ranked by the auto-routing score"),
];

#[derive(Clone, Copy)]
struct Ui {
    reload: RwSignal<u32>,
    notice: RwSignal<Option<Result<String, String>>>,
    editing: RwSignal<Option<ComboForm>>,
    dragging: RwSignal<Option<usize>>,
    drop_target: RwSignal<Option<usize>>,
    confirm_delete: RwSignal<Option<String>>,
    /// The combo whose test panel is open.
    testing: RwSignal<Option<String>>,
    test_result: RwSignal<Option<Result<ComboTestResult, String>>>,
    busy: RwSignal<bool>,
    decisions_tick: RwSignal<u32>,
}

#[component]
pub fn CombosPage() -> impl IntoView {
    let ui = Ui {
        reload: RwSignal::new(0),
        notice: RwSignal::new(None),
        editing: RwSignal::new(None),
        dragging: RwSignal::new(None),
        drop_target: RwSignal::new(None),
        confirm_delete: RwSignal::new(None),
        testing: RwSignal::new(None),
        test_result: RwSignal::new(None),
        busy: RwSignal::new(false),
        decisions_tick: RwSignal::new(0),
    };
    let overview = Resource::new(move || ui.reload.get(), |_| list_combos());
    view! {
        <Title text="Combos · OmniRoute"/>
        <div class="page-head">
            <h1>"Combos"</h1>
            <p class="muted">
                "A combo is a named list of models with a strategy. Use its name as the model in any client; "
                "the gateway tries the steps in the order the strategy picks and falls back on failures. "
                "Drag a card (or use its arrows) to reorder."
            </p>
        </div>
        {move || {
            ui.notice
                .get()
                .map(|n| match n {
                    Ok(msg) => view! { <p class="alert alert-ok page-notice" role="status" id="combos-notice">{msg}</p> }.into_any(),
                    Err(msg) => view! { <p class="alert alert-error page-notice" role="alert" id="combos-notice">{msg}</p> }.into_any(),
                })
        }}
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(o) => {
                            let models = o.models.clone();
                            view! {
                                <datalist id="combo-model-options">
                                    {models.into_iter().map(|m| view! { <option value=m></option> }).collect_view()}
                                </datalist>
                                <section class="section" aria-labelledby="combos-title">
                                    <div class="section-head">
                                        <h2 id="combos-title" class="section-title">"Your combos"</h2>
                                        <button type="button" class="btn btn-primary" id="combo-new"
                                            on:click=move |_| ui.editing.set(Some(ComboForm { strategy: "priority".into(), steps: vec![ComboStep::default()], ..Default::default() }))>
                                            "New combo"
                                        </button>
                                    </div>
                                    {move || ui.editing.get().map(|form| combo_form(form, ui))}
                                    {combo_list(o.combos, ui)}
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => view! {
                            <p class="alert alert-error" role="alert">"Could not read the combos: " {error_text(&e)}</p>
                        }
                            .into_any(),
                    })
            }}
        </Transition>
        {view! { <DecisionsSection ui/> }.into_any()}
    }
}

fn notice(ui: Ui, result: Result<String, String>) {
    ui.notice.set(Some(result));
    ui.busy.set(false);
    ui.reload.update(|n| *n += 1);
    ui.decisions_tick.update(|n| *n += 1);
}

/// Saves a new order of combo ids.
fn persist_order(ui: Ui, ids: Vec<String>, what: String) {
    ui.busy.set(true);
    spawn_local(async move {
        let result = reorder_combos(ids)
            .await
            .map(|()| what)
            .map_err(|e| error_text(&e));
        notice(ui, result);
    });
}

/// `ids` with the item at `from` moved to `to`.
fn moved(mut ids: Vec<String>, from: usize, to: usize) -> Vec<String> {
    if from < ids.len() && to < ids.len() && from != to {
        let id = ids.remove(from);
        ids.insert(to, id);
    }
    ids
}

fn combo_list(combos: Vec<ComboInfo>, ui: Ui) -> AnyView {
    if combos.is_empty() {
        return view! {
            <div class="card empty-state" id="combos-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 6h16M4 12h10M4 18h6M18 14l3 3-3 3"></path>
                </svg>
                <h3>"No combos yet"</h3>
                <p class="muted">
                    "Group models into a combo to get fallback and balancing: for example a fast model first and a strong one behind it. "
                    "Auto-routing needs no combo: ask for the model " <code>"auto"</code> " (or auto/cheap, auto/fast, auto/coding, auto/smart, auto/offline, auto/lkgp)."
                </p>
            </div>
        }
        .into_any();
    }
    let ids: Vec<String> = combos.iter().map(|c| c.id.clone()).collect();
    let count = combos.len();
    view! {
        <ol class="combo-list" id="combo-list">
            {combos
                .into_iter()
                .enumerate()
                .map(|(i, c)| combo_card(c, i, count, ids.clone(), ui))
                .collect_view()}
        </ol>
    }
    .into_any()
}

fn combo_card(c: ComboInfo, index: usize, count: usize, ids: Vec<String>, ui: Ui) -> AnyView {
    let name = c.name.clone();
    let id = c.id.clone();
    let strategy_note = STRATEGIES
        .iter()
        .find(|(n, _)| *n == c.strategy)
        .map_or("", |(_, d)| *d);
    let steps = c
        .steps
        .iter()
        .map(|s| {
            let weight = s.weight.map(|w| format!("weight {w}"));
            view! {
                <li class="combo-step">
                    <code>{s.model.clone()}</code>
                    {weight.map(|w| view! { <span class="badge badge-neutral">{w}</span> })}
                </li>
            }
        })
        .collect_view();
    let on_drop = {
        let ids = ids.clone();
        let name = name.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            let from = ui.dragging.get_untracked();
            ui.dragging.set(None);
            ui.drop_target.set(None);
            if let Some(from) = from.filter(|f| *f != index) {
                persist_order(
                    ui,
                    moved(ids.clone(), from, index),
                    format!(
                        "Order saved: a combo moved to position {} (where “{name}” was).",
                        index + 1
                    ),
                );
            }
        }
    };
    let up = {
        let ids = ids.clone();
        let name = name.clone();
        move |_: leptos::ev::MouseEvent| {
            persist_order(
                ui,
                moved(ids.clone(), index, index - 1),
                format!("“{name}” moved up."),
            )
        }
    };
    let down = {
        let ids = ids.clone();
        let name = name.clone();
        move |_: leptos::ev::MouseEvent| {
            persist_order(
                ui,
                moved(ids.clone(), index, index + 1),
                format!("“{name}” moved down."),
            )
        }
    };
    let edit = {
        let c = c.clone();
        move |_| {
            ui.editing.set(Some(ComboForm {
                id: Some(c.id.clone()),
                name: c.name.clone(),
                strategy: c.strategy.clone(),
                steps: c.steps.clone(),
                settings: c.settings.clone(),
            }))
        }
    };
    let last = index + 1 >= count;
    let test_name = name.clone();
    let open_test = move |_| {
        ui.test_result.set(None);
        ui.testing.set(Some(test_name.clone()));
    };
    let delete_id = id.clone();
    let ask_delete = move |_| ui.confirm_delete.set(Some(delete_id.clone()));
    let confirm = {
        let (id, name) = (id.clone(), name.clone());
        move || {
            (ui.confirm_delete.get().as_deref() == Some(id.as_str())).then(|| {
                let (id, name) = (id.clone(), name.clone());
                let shown = name.clone();
                let go = move |_| {
                    let (id, name) = (id.clone(), name.clone());
                    ui.busy.set(true);
                    spawn_local(async move {
                        let result = delete_combo(id)
                            .await
                            .map(|()| format!("“{name}” was deleted."))
                            .map_err(|e| error_text(&e));
                        ui.confirm_delete.set(None);
                        notice(ui, result);
                    });
                };
                view! {
                    <div class="confirm-box" role="alertdialog">
                        <p>"Delete “" {shown} "”? Clients using its name get an unknown-model error."</p>
                        <div class="btn-row">
                            <button type="button" class="btn btn-sm btn-danger" data-action="confirm-delete" on:click=go>"Delete combo"</button>
                            <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| ui.confirm_delete.set(None)>"Cancel"</button>
                        </div>
                    </div>
                }
            })
        }
    };
    let panel_name = name.clone();
    let test_panel = move || {
        (ui.testing.get().as_deref() == Some(panel_name.as_str()))
            .then(|| test_panel(panel_name.clone(), ui))
    };
    let class = move || {
        let mut class = String::from("card combo-card");
        if ui.dragging.get() == Some(index) {
            class.push_str(" dragging");
        }
        if ui.drop_target.get() == Some(index) && ui.dragging.get() != Some(index) {
            class.push_str(" drop-target");
        }
        class
    };
    view! {
        <li class=class draggable="true" data-combo=name.clone() data-index=index.to_string()
            on:dragstart=move |_| ui.dragging.set(Some(index))
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); ui.drop_target.set(Some(index)); }
            on:dragleave=move |_| if ui.drop_target.get_untracked() == Some(index) { ui.drop_target.set(None) }
            on:dragend=move |_| { ui.dragging.set(None); ui.drop_target.set(None); }
            on:drop=on_drop>
            <div class="combo-card-head">
                <span class="drag-handle" aria-hidden="true" title="Drag to reorder">"⠿"</span>
                <span class="combo-pos muted">{format!("#{}", index + 1)}</span>
                <h3 class="combo-name" data-field="name">{name.clone()}</h3>
                <span class="badge badge-neutral" data-field="strategy" title=strategy_note>{c.strategy.clone()}</span>
                {if c.active {
                    view! { <span class="badge badge-ok">"Active"</span> }.into_any()
                } else {
                    view! { <span class="badge badge-off">"Disabled"</span> }.into_any()
                }}
            </div>
            <ol class="combo-steps" aria-label="Steps">{steps}</ol>
            <div class="btn-row">
                <button type="button" class="btn btn-sm btn-ghost" data-action="up" aria-label=format!("Move {name} up")
                    disabled=move || index == 0 || ui.busy.get() on:click=up>"↑"</button>
                <button type="button" class="btn btn-sm btn-ghost" data-action="down" aria-label=format!("Move {name} down")
                    disabled=move || last || ui.busy.get() on:click=down>"↓"</button>
                <button type="button" class="btn btn-sm" data-action="test" on:click=open_test>"Test"</button>
                <button type="button" class="btn btn-sm" data-action="edit" on:click=edit>"Edit"</button>
                <button type="button" class="btn btn-sm btn-danger" data-action="delete" on:click=ask_delete>"Delete"</button>
            </div>
            {confirm}
            {test_panel}
        </li>
    }
    .into_any()
}

fn test_panel(name: String, ui: Ui) -> AnyView {
    let prompt = RwSignal::new("Say hello in five words.".to_string());
    let running = RwSignal::new(false);
    let send = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = name.clone();
            running.set(true);
            ui.test_result.set(None);
            spawn_local(async move {
                let result = test_combo(name, prompt.get_untracked())
                    .await
                    .map_err(|e| error_text(&e));
                ui.test_result.set(Some(result));
                running.set(false);
                ui.decisions_tick.update(|n| *n += 1);
            });
        }
    };
    view! {
        <div class="combo-test" data-field="test-panel">
            <form class="inline-form" on:submit=send>
                <label class="visually-hidden" for=format!("test-prompt-{name}")>"Prompt"</label>
                <input type="text" class="input" id=format!("test-prompt-{name}") data-field="prompt"
                    prop:value=move || prompt.get() on:input=move |ev| prompt.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-sm btn-primary" data-action="send" disabled=move || running.get()>
                    {move || if running.get() { "Sending…" } else { "Send" }}
                </button>
                <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| ui.testing.set(None)>"Close"</button>
            </form>
            {move || ui.test_result.get().map(|r| match r {
                Ok(t) => test_result_view(t),
                Err(e) => view! { <p class="alert alert-error" role="alert">{e}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}

fn test_result_view(t: ComboTestResult) -> AnyView {
    let head = if t.ok {
        format!(
            "{} answered through {} / {} in {} ms",
            t.status,
            t.provider.clone().unwrap_or_default(),
            t.model.clone().unwrap_or_default(),
            t.latency_ms
        )
    } else {
        format!("{}: {}", t.status, t.error.clone().unwrap_or_default())
    };
    let class = if t.ok {
        "alert alert-ok"
    } else {
        "alert alert-error"
    };
    view! {
        <div class="combo-test-result" data-field="test-result">
            <p class=class role="status">{head}</p>
            {t.text.map(|text| view! { <blockquote class="combo-answer" data-field="answer">{text}</blockquote> })}
            {t.decision.map(route_view)}
        </div>
    }
    .into_any()
}

/// The attempts of a decision, in order: the route taken.
fn route_view(d: DecisionDetail) -> AnyView {
    view! {
        <ol class="route" data-field="route" aria-label="Route taken">
            {d.attempts.into_iter().map(|a| {
                let status = a.status.map_or_else(|| "no answer".to_string(), |s| s.to_string());
                let class = if a.ok { "badge badge-ok" } else { "badge badge-error" };
                view! {
                    <li class="route-step">
                        <span class=class>{status}</span>
                        <code>{a.model}</code>
                        <span class="muted">{format!("{} · {} ms", a.provider, a.latency_ms)}</span>
                        {a.action.map(|x| view! { <span class="muted route-action">{x}</span> })}
                        {a.error.map(|e| view! { <span class="route-error">{e}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

fn parse_opt<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

fn combo_form(form: ComboForm, ui: Ui) -> AnyView {
    let editing_id = form.id.clone();
    let title = if editing_id.is_some() {
        format!("Edit “{}”", form.name)
    } else {
        "New combo".to_string()
    };
    let name = RwSignal::new(form.name.clone());
    let strategy = RwSignal::new(form.strategy.clone());
    let steps = RwSignal::new(if form.steps.is_empty() {
        vec![ComboStep::default()]
    } else {
        form.steps.clone()
    });
    let s = form.settings.clone();
    let show = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let retries = RwSignal::new(show(s.max_retries.map(u64::from)));
    let timeout = RwSignal::new(show(s.timeout_ms));
    let concurrency = RwSignal::new(show(s.max_concurrency_per_model.map(u64::from)));
    let sticky = RwSignal::new(show(s.sticky_limit.map(u64::from)));
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ComboForm {
            id: editing_id.clone(),
            name: name.get_untracked(),
            strategy: strategy.get_untracked(),
            steps: steps.get_untracked(),
            settings: ComboSettings {
                max_retries: parse_opt(&retries.get_untracked()),
                timeout_ms: parse_opt(&timeout.get_untracked()),
                max_concurrency_per_model: parse_opt(&concurrency.get_untracked()),
                sticky_limit: parse_opt(&sticky.get_untracked()),
            },
        };
        let done = format!("“{}” was saved.", form.name.trim());
        saving.set(true);
        spawn_local(async move {
            match save_combo(form).await {
                Ok(()) => {
                    ui.editing.set(None);
                    notice(ui, Ok(done));
                }
                Err(e) => error.set(Some(error_text(&e))),
            }
            saving.set(false);
        });
    };
    let weighted = move || strategy.get() == "weighted";
    let step_rows = move || {
        let list = steps.get();
        let only_one = list.len() <= 1;
        list.into_iter()
            .enumerate()
            .map(|(i, step)| {
                view! {
                    <li class="step-row">
                        <label class="visually-hidden" for=format!("step-model-{i}")>{format!("Step {} model", i + 1)}</label>
                        <input type="text" class="input" list="combo-model-options" id=format!("step-model-{i}")
                            data-field="step-model" placeholder="provider/model or a combo name" required
                            prop:value=step.model.clone()
                            on:change=move |ev| { let v = event_target_value(&ev); steps.update(|s| if let Some(x) = s.get_mut(i) { x.model = v; }); }/>
                        <Show when=weighted>
                            <label class="visually-hidden" for=format!("step-weight-{i}")>{format!("Step {} weight", i + 1)}</label>
                            <input type="number" class="input input-narrow" min="0" max="100" id=format!("step-weight-{i}")
                                data-field="step-weight" placeholder="weight"
                                prop:value=step.weight.map(|w| w.to_string()).unwrap_or_default()
                                on:change=move |ev| { let v = parse_opt::<u32>(&event_target_value(&ev)); steps.update(|s| if let Some(x) = s.get_mut(i) { x.weight = v; }); }/>
                        </Show>
                        <button type="button" class="btn btn-sm btn-ghost" aria-label=format!("Remove step {}", i + 1)
                            disabled=only_one on:click=move |_| steps.update(|s| { s.remove(i); })>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let number = |label: &'static str,
                  id: &'static str,
                  sig: RwSignal<String>,
                  hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input type="number" min="0" class="input" id=id placeholder=hint
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="card combo-form" id="combo-form" on:submit=save aria-labelledby="combo-form-title">
            <h3 id="combo-form-title" class="card-title">{title}</h3>
            <div class="form-grid">
                <div class="field">
                    <label for="combo-name">"Name"</label>
                    <input type="text" class="input" id="combo-name" required maxlength="100"
                        placeholder="e.g. coding-fast" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p class="field-hint">"Letters, digits, spaces and _ - . / [ ]. Clients send this as the model."</p>
                </div>
                <div class="field">
                    <label for="combo-strategy">"Strategy"</label>
                    <select class="input" id="combo-strategy" prop:value=move || strategy.get()
                        on:change=move |ev| strategy.set(event_target_value(&ev))>
                        {STRATEGIES.iter().map(|(n, d)| view! { <option value=*n selected=form.strategy == *n>{format!("{n} — {d}")}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="fieldset">
                <legend>"Steps (in order)"</legend>
                <p class="field-hint">"Pick a model from the catalog or type another combo's name to nest it."</p>
                <ol class="step-rows" id="combo-steps">{step_rows}</ol>
                <button type="button" class="btn btn-sm" id="combo-add-step"
                    on:click=move |_| steps.update(|s| s.push(ComboStep::default()))>"Add step"</button>
            </fieldset>
            <details class="fieldset">
                <summary>"Combo settings"</summary>
                <div class="form-grid">
                    {number("Max retries", "combo-retries", retries, "default")}
                    {number("Timeout (ms)", "combo-timeout", timeout, "default")}
                    {number("Max concurrency per model", "combo-concurrency", concurrency, "unlimited")}
                    {number("Sticky limit (round-robin)", "combo-sticky", sticky, "1")}
                </div>
            </details>
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="combo-form-error">{e}</p> })}
            <div class="btn-row">
                <button type="submit" class="btn btn-primary" id="combo-save" disabled=move || saving.get()>
                    {move || if saving.get() { "Saving…" } else { "Save combo" }}
                </button>
                <button type="button" class="btn btn-ghost" on:click=move |_| ui.editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn DecisionsSection(ui: Ui) -> impl IntoView {
    let list = Resource::new(move || ui.decisions_tick.get(), |_| routing_decisions(30));
    let detail = RwSignal::new(None::<Result<DecisionDetail, String>>);
    let open = move |id: String| {
        spawn_local(async move {
            detail.set(Some(routing_decision(id).await.map_err(|e| error_text(&e))));
        });
    };
    view! {
        <section class="section" aria-labelledby="decisions-title" id="routing-decisions">
            <div class="section-head">
                <h2 id="decisions-title" class="section-title">"Routing decisions"</h2>
                <button type="button" class="btn btn-sm" id="decisions-refresh"
                    on:click=move |_| ui.decisions_tick.update(|n| *n += 1)>"Refresh"</button>
            </div>
            <p class="muted">"Every request through a combo, auto-routing, an alias or a fallback chain, newest first (the last 500 are kept in memory)."</p>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || list.get().map(|r| match r {
                    Ok(lines) if lines.is_empty() => view! {
                        <div class="card empty-state" id="decisions-empty">
                            <h3>"No routed requests yet"</h3>
                            <p class="muted">"Send a request to a combo or to " <code>"auto"</code> ", or use a combo's Test button."</p>
                        </div>
                    }.into_any(),
                    Ok(lines) => decisions_table(lines, open),
                    Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the decisions: " {error_text(&e)}</p> }.into_any(),
                })}
            </Transition>
            {move || detail.get().map(|d| match d {
                Ok(d) => decision_detail(d, detail),
                Err(e) => view! { <p class="alert alert-error" role="alert">{e}</p> }.into_any(),
            })}
        </section>
    }
}

fn decisions_table(lines: Vec<DecisionLine>, open: impl Fn(String) + Copy + 'static) -> AnyView {
    view! {
        <div class="table-wrap">
            <table class="table" id="decisions-table">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Requested"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Winner"</th>
                        <th scope="col">"Fallbacks"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"ms"</th>
                        <th scope="col"><span class="visually-hidden">"Details"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let id = l.id.clone();
                        let status_class = if (200..300).contains(&l.status) { "badge badge-ok" } else { "badge badge-error" };
                        view! {
                            <tr data-decision=l.id.clone()>
                                <td class="nowrap">{l.at.replace('T', " ").trim_end_matches('Z').to_string()}</td>
                                <td><code>{l.requested}</code></td>
                                <td>{format!("{} · {}", l.kind, l.strategy)}</td>
                                <td>{l.winner.map(|w| view! { <code>{w}</code> }.into_any()).unwrap_or_else(|| view! { <span class="muted">"none"</span> }.into_any())}</td>
                                <td>{l.fallbacks}</td>
                                <td><span class=status_class>{l.status}</span></td>
                                <td>{l.total_ms}</td>
                                <td><button type="button" class="btn btn-sm btn-ghost" data-action="details" on:click=move |_| open(id.clone())>"Details"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn decision_detail(
    d: DecisionDetail,
    detail: RwSignal<Option<Result<DecisionDetail, String>>>,
) -> AnyView {
    let facts = format!(
        "{} → {} · {} · ~{} tokens · planned in {} µs{}{}{}",
        d.line.requested,
        d.routed,
        d.line.strategy,
        d.estimated_tokens,
        d.planning_us,
        d.waited_ms
            .map(|w| format!(" · waited {w} ms for a cooldown"))
            .unwrap_or_default(),
        if d.pruned > 0 {
            format!(" · {} more pruned by the prefilter", d.pruned)
        } else {
            String::new()
        },
        if d.explored { " · explored" } else { "" },
    );
    let candidates = d.candidates.clone();
    view! {
        <div class="card decision-detail" id="decision-detail">
            <div class="section-head">
                <h3 class="card-title">"Decision " <code>{d.line.id.clone()}</code></h3>
                <button type="button" class="btn btn-sm btn-ghost" on:click=move |_| detail.set(None)>"Close"</button>
            </div>
            <p class="muted">{facts}</p>
            {d.alias.clone().map(|a| view! { <p class="muted">"Alias " <code>{a}</code> " applied."</p> })}
            <h4>"Candidates"</h4>
            <div class="table-wrap">
                <table class="table" id="decision-candidates">
                    <thead>
                        <tr>
                            <th scope="col">"#"</th>
                            <th scope="col">"Model"</th>
                            <th scope="col">"Provider"</th>
                            <th scope="col">"Score"</th>
                            <th scope="col">"Factors"</th>
                            <th scope="col">"Note"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {candidates.into_iter().enumerate().map(|(i, c)| {
                            let factors = c.factors.iter().map(|(k, v)| format!("{k} {v:.2}")).collect::<Vec<_>>().join(" · ");
                            let note = [
                                c.skipped.clone().map(|s| format!("skipped: {s}")),
                                c.chain.then(|| "fallback chain".to_string()),
                                (!c.via.is_empty()).then(|| c.via.join(", ")),
                            ].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                            view! {
                                <tr>
                                    <td>{i + 1}</td>
                                    <td><code>{c.model}</code></td>
                                    <td>{c.provider}</td>
                                    <td data-field="score">{c.score.map(|s| format!("{s:.3}")).unwrap_or_else(|| "—".into())}</td>
                                    <td class="factors">{factors}</td>
                                    <td class="muted">{note}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h4>"Attempts"</h4>
            {route_view(d)}
        </div>
    }
    .into_any()
}
