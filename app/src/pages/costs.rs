//! Costs: Budget (spending limits per API key, with their spend in the current period) and
//! Pricing (USD per 1M tokens per model, editable). The tab is in the address (`?tab=pricing`).

use crate::api::delete_budget::delete_budget;
use crate::api::error_text;
use crate::api::list_budgets::{list_budgets, BudgetRow, BudgetsOverview};
use crate::api::list_pricing::{list_pricing, PriceRow};
use crate::api::reset_price::reset_price;
use crate::api::save_budget::{save_budget, BudgetInput};
use crate::api::save_price::{save_price, PriceInput};
use crate::api::usage_types::usd;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Price rows per page.
const PRICE_PAGE: usize = 25;

#[derive(Clone, Copy)]
struct Ui {
    reload: RwSignal<u32>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<Result<String, String>>>,
    /// `"<action>:<id>"` awaiting confirmation.
    confirm: RwSignal<Option<String>>,
}

impl Ui {
    fn new() -> Self {
        Self {
            reload: RwSignal::new(0),
            busy: RwSignal::new(false),
            notice: RwSignal::new(None),
            confirm: RwSignal::new(None),
        }
    }

    /// Runs a call, reports its outcome as the page notice and reloads.
    fn run<Fut>(self, call: Fut, done: String, after: impl FnOnce(bool) + 'static)
    where
        Fut: std::future::Future<Output = Result<(), ServerFnError>> + 'static,
    {
        self.busy.set(true);
        spawn_local(async move {
            let result = call.await;
            let ok = result.is_ok();
            self.notice
                .set(Some(result.map(|()| done).map_err(|e| error_text(&e))));
            self.busy.set(false);
            self.confirm.set(None);
            self.reload.update(|n| *n += 1);
            after(ok);
        });
    }

    fn notice_view(self) -> impl IntoView {
        move || {
            self.notice.get().map(|n| match n {
                Ok(msg) => view! { <p class="alert alert-ok page-notice" role="status" id="costs-notice">{msg}</p> }.into_any(),
                Err(msg) => view! { <p class="alert alert-error page-notice" role="alert" id="costs-notice">{msg}</p> }.into_any(),
            })
        }
    }
}

#[component]
pub fn CostsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| {
        if query.with(|q| q.get("tab")).as_deref() == Some("pricing") {
            "pricing"
        } else {
            "budget"
        }
    });
    let ui = Ui::new();
    view! {
        <Title text="Costs · OmniRoute"/>
        <div class="page-head">
            <h1>"Costs"</h1>
            <p class="muted">
                "Spending limits per API key, and the prices costs are computed from. A request whose model has no price has an unknown cost, never $0."
            </p>
        </div>
        <div class="tabs" role="tablist" aria-label="Costs">
            <a href="?tab=budget" class="tab" role="tab" id="tab-budget" aria-selected=move || (tab.get() == "budget").to_string() aria-current=move || (tab.get() == "budget").then_some("page")>"Budget"</a>
            <a href="?tab=pricing" class="tab" role="tab" id="tab-pricing" aria-selected=move || (tab.get() == "pricing").to_string() aria-current=move || (tab.get() == "pricing").then_some("page")>"Pricing"</a>
        </div>
        {ui.notice_view()}
        {move || if tab.get() == "pricing" {
            view! { <PricingTab ui/> }.into_any()
        } else {
            view! { <BudgetTab ui/> }.into_any()
        }}
    }
}

// --- Budget ------------------------------------------------------------------------------

#[component]
fn BudgetTab(ui: Ui) -> impl IntoView {
    let overview = Resource::new(move || ui.reload.get(), |_| list_budgets());
    let form = RwSignal::new(BudgetInput {
        period: "monthly".into(),
        warning_percent: "80".into(),
        ..Default::default()
    });
    view! {
        <section class="section" role="tabpanel" aria-labelledby="tab-budget" id="budget-panel">
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || overview.get().map(|r| match r {
                    Ok(o) => budgets_view(o, ui, form),
                    Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the budgets: " {error_text(&e)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

fn budgets_view(o: BudgetsOverview, ui: Ui, form: RwSignal<BudgetInput>) -> AnyView {
    if o.keys.is_empty() && o.budgets.is_empty() {
        return view! {
            <div class="card empty-state" id="budgets-empty">
                <h3>"No API keys to budget"</h3>
                <p class="muted">"A budget limits what one API key may spend per day, week or month. Create a key first."</p>
                <a class="btn btn-primary" href="/dashboard/api-manager">"Create a key"</a>
            </div>
        }
        .into_any();
    }
    if form.with_untracked(|f| f.key_id.is_empty()) {
        if let Some(k) = o.keys.first() {
            form.update(|f| f.key_id = k.id.clone());
        }
    }
    let table = if o.budgets.is_empty() {
        view! {
            <div class="card empty-state" id="budgets-empty">
                <h3>"No budgets yet"</h3>
                <p class="muted">"Without a budget a key can spend without limit. Set one below: over it, requests get 429 until the period resets."</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="card table-wrap">
                <table class="table" id="budgets">
                    <thead>
                        <tr>
                            <th scope="col">"Key"</th>
                            <th scope="col" class="num">"Limit"</th>
                            <th scope="col">"Period"</th>
                            <th scope="col">"Spent"</th>
                            <th scope="col" class="num">"Remaining"</th>
                            <th scope="col">"Resets"</th>
                            <th scope="col" class="num">"Warn at"</th>
                            <th scope="col">"State"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{o.budgets.into_iter().map(|b| budget_row(b, ui, form)).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let keys = o.keys;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        let name = input.key_id.clone();
        ui.run(
            save_budget(input),
            "The budget is saved.".to_string(),
            move |ok| {
                if ok {
                    form.update(|f| {
                        f.limit.clear();
                    });
                }
                let _ = name;
            },
        );
    };
    view! {
        {table}
        <form class="card form-stack budget-form" id="budget-form" on:submit=submit>
            <h2 class="card-title">"Set a budget"</h2>
            <p class="muted small">"Setting a budget for a key that has one replaces it."</p>
            <div class="field-row">
                <label class="field">
                    <span>"API key"</span>
                    <select name="keyId" prop:value=move || form.with(|f| f.key_id.clone()) on:change=move |ev| form.update(|f| f.key_id = event_target_value(&ev))>
                        {keys.into_iter().map(|k| view! { <option value=k.id.clone()>{k.name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>"Limit (USD)"</span>
                    <input type="text" name="limit" inputmode="decimal" required placeholder="25" prop:value=move || form.with(|f| f.limit.clone()) on:input=move |ev| form.update(|f| f.limit = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"Period"</span>
                    <select name="period" prop:value=move || form.with(|f| f.period.clone()) on:change=move |ev| form.update(|f| f.period = event_target_value(&ev))>
                        <option value="daily">"Daily"</option>
                        <option value="weekly">"Weekly"</option>
                        <option value="monthly">"Monthly"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Warn at (%)"</span>
                    <input type="text" name="warningPercent" inputmode="decimal" placeholder="80" prop:value=move || form.with(|f| f.warning_percent.clone()) on:input=move |ev| form.update(|f| f.warning_percent = event_target_value(&ev))/>
                </label>
            </div>
            <div class="btn-row">
                <button type="submit" class="btn btn-primary" id="budget-save" disabled=move || ui.busy.get()>"Save budget"</button>
            </div>
        </form>
    }
    .into_any()
}

fn budget_row(b: BudgetRow, ui: Ui, form: RwSignal<BudgetInput>) -> impl IntoView {
    let name = b.key_name.clone().unwrap_or_else(|| b.key_id.clone());
    let pct = if b.limit > 0.0 {
        (b.spent / b.limit * 100.0).min(100.0)
    } else {
        0.0
    };
    let (badge, state) = if b.exceeded {
        ("badge badge-error", "Exceeded")
    } else if b.warning {
        ("badge badge-warn", "Warning")
    } else {
        ("badge badge-ok", "Within budget")
    };
    let edit = {
        let b = b.clone();
        move |_| {
            form.set(BudgetInput {
                key_id: b.key_id.clone(),
                limit: format!("{}", b.limit),
                period: b.period.clone(),
                warning_percent: format!("{}", (b.warning_threshold * 100.0).round()),
            });
        }
    };
    let confirm_id = format!("delete:{}", b.key_id);
    let asking = {
        let confirm_id = confirm_id.clone();
        move || ui.confirm.get().as_deref() == Some(confirm_id.as_str())
    };
    let key_id = b.key_id.clone();
    let delete = {
        let name = name.clone();
        move |_| {
            ui.run(
                delete_budget(key_id.clone()),
                format!("The budget of “{name}” is removed."),
                |_| {},
            )
        }
    };
    view! {
        <tr data-key=name.clone()>
            <th scope="row">{name.clone()}</th>
            <td class="num" data-field="limit">{usd(b.limit)}</td>
            <td data-field="period">{b.period.clone()}</td>
            <td data-field="spent">
                <div class="umeter" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{pct:.0}") aria-label="Spent">
                    <span class="umeter-fill" class:umeter-warn=b.warning class:umeter-over=b.exceeded style=format!("width:{pct:.1}%")></span>
                </div>
                <span class="small">{usd(b.spent)} " (" {format!("{pct:.0}")} "%)"</span>
            </td>
            <td class="num">{usd(b.remaining)}</td>
            <td class="small" data-field="resets">{b.resets_at.replace('T', " ").replace(".000Z", " UTC")}</td>
            <td class="num">{format!("{:.0}%", b.warning_threshold * 100.0)}</td>
            <td><span class=badge data-field="state">{state}</span></td>
            <td class="cell-actions">
                {move || if asking() {
                    let delete = delete.clone();
                    view! {
                        <span class="inline-confirm">
                            <button type="button" class="btn btn-sm btn-danger" data-action="confirm" on:click=delete>"Delete"</button>
                            <button type="button" class="btn btn-sm btn-ghost" data-action="cancel" on:click=move |_| ui.confirm.set(None)>"Cancel"</button>
                        </span>
                    }.into_any()
                } else {
                    let confirm_id = confirm_id.clone();
                    let edit = edit.clone();
                    view! {
                        <span class="btn-row">
                            <a class="btn btn-sm btn-ghost" href="#budget-form" data-action="edit" on:click=edit>"Edit"</a>
                            <button type="button" class="btn btn-sm btn-danger-ghost" data-action="delete" on:click=move |_| ui.confirm.set(Some(confirm_id.clone()))>"Delete"</button>
                        </span>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}

// --- Pricing -----------------------------------------------------------------------------

fn price_text(v: Option<f64>) -> String {
    match v {
        Some(p) => format!("${p}"),
        None => "unknown".to_string(),
    }
}

fn price_field(v: Option<f64>) -> String {
    v.map(|p| p.to_string()).unwrap_or_default()
}

#[component]
fn PricingTab(ui: Ui) -> impl IntoView {
    let prices = Resource::new(move || ui.reload.get(), |_| list_pricing());
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let editing = RwSignal::new(None::<PriceInput>);
    let adding = RwSignal::new(PriceInput::default());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = adding.get_untracked();
        let label = format!("{}/{}", input.provider.trim(), input.model.trim());
        ui.run(
            save_price(input),
            format!("The price of {label} is saved."),
            move |ok| {
                if ok {
                    adding.set(PriceInput::default());
                }
            },
        );
    };
    let field = move |name: &'static str,
                      label: &'static str,
                      placeholder: &'static str,
                      get: fn(&PriceInput) -> String,
                      set: fn(&mut PriceInput, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" name=name placeholder=placeholder prop:value=move || adding.with(get) on:input=move |ev| adding.update(|p| set(p, event_target_value(&ev)))/>
            </label>
        }
    };
    view! {
        <section class="section" role="tabpanel" aria-labelledby="tab-pricing" id="pricing-panel">
            <div class="toolbar">
                <label class="field field-grow">
                    <span class="visually-hidden">"Filter prices"</span>
                    <input type="search" id="pricing-filter" placeholder="Filter by provider or model" prop:value=move || filter.get() on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }/>
                </label>
                <p class="muted small">"USD per 1M tokens. Reasoning tokens are part of the output and billed at the output price."</p>
            </div>
            <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
                {move || prices.get().map(|r| match r {
                    Ok(rows) => pricing_table(rows, filter, page, editing, ui),
                    Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the prices: " {error_text(&e)}</p> }.into_any(),
                })}
            </Transition>
            <form class="card form-stack" id="price-add" on:submit=add>
                <h2 class="card-title">"Add a model"</h2>
                <p class="muted small">"A price for a model the table lacks (or a new price for one it has). Empty cache prices stay unknown."</p>
                <div class="field-row">
                    {field("provider", "Provider", "openai", |p| p.provider.clone(), |p, v| p.provider = v)}
                    {field("model", "Model", "gpt-4o-mini", |p| p.model.clone(), |p, v| p.model = v)}
                    {field("input", "Input", "0.15", |p| p.input.clone(), |p, v| p.input = v)}
                    {field("output", "Output", "0.60", |p| p.output.clone(), |p, v| p.output = v)}
                    {field("cacheRead", "Cache read", "unknown", |p| p.cache_read.clone(), |p, v| p.cache_read = v)}
                    {field("cacheWrite", "Cache write", "unknown", |p| p.cache_write.clone(), |p, v| p.cache_write = v)}
                </div>
                <div class="btn-row">
                    <button type="submit" class="btn btn-primary" id="price-add-save" disabled=move || ui.busy.get()>"Add price"</button>
                </div>
            </form>
        </section>
    }
}

fn pricing_table(
    rows: Vec<PriceRow>,
    filter: RwSignal<String>,
    page: RwSignal<usize>,
    editing: RwSignal<Option<PriceInput>>,
    ui: Ui,
) -> AnyView {
    if rows.is_empty() {
        return view! {
            <div class="card empty-state" id="pricing-empty">
                <h3>"No prices"</h3>
                <p class="muted">"Add the price of a model below; until then its requests have an unknown cost."</p>
            </div>
        }
        .into_any();
    }
    let rows = StoredValue::new(rows);
    let matching = move || {
        let f = filter.get().trim().to_lowercase();
        rows.with_value(|rows| {
            rows.iter()
                .filter(|r| {
                    f.is_empty()
                        || r.provider.to_lowercase().contains(&f)
                        || r.model.to_lowercase().contains(&f)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let matching = Memo::new(move |_| matching());
    let pages = move || matching.with(|m| m.len().div_ceil(PRICE_PAGE).max(1));
    let body = move || {
        let start = page.get() * PRICE_PAGE;
        matching.with(|m| {
            m.iter()
                .skip(start)
                .take(PRICE_PAGE)
                .cloned()
                .map(|r| price_row(r, editing, ui))
                .collect_view()
        })
    };
    view! {
        <div class="card table-wrap">
            <table class="table" id="pricing">
                <thead>
                    <tr>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"Model"</th>
                        <th scope="col" class="num">"Input"</th>
                        <th scope="col" class="num">"Output"</th>
                        <th scope="col" class="num">"Cache read"</th>
                        <th scope="col" class="num">"Cache write"</th>
                        <th scope="col" class="num">"Reasoning"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            <nav class="pager" aria-label="Price pages">
                <button type="button" class="btn btn-sm btn-ghost" data-action="prev" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                <span class="muted small" id="pricing-page">{move || format!("Page {} of {} · {} models", page.get() + 1, pages(), matching.with(Vec::len))}</span>
                <button type="button" class="btn btn-sm btn-ghost" data-action="next" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </nav>
        </div>
    }
    .into_any()
}

fn price_row(r: PriceRow, editing: RwSignal<Option<PriceInput>>, ui: Ui) -> AnyView {
    let id = format!("{}/{}", r.provider, r.model);
    let is_editing = {
        let (p, m) = (r.provider.clone(), r.model.clone());
        move || editing.with(|e| e.as_ref().is_some_and(|e| e.provider == p && e.model == m))
    };
    let cell = move |get: fn(&PriceInput) -> String,
                     set: fn(&mut PriceInput, String),
                     name: &'static str| {
        view! {
            <input type="text" class="price-input" name=name aria-label=name inputmode="decimal" placeholder="unknown"
                prop:value=move || editing.with(|e| e.as_ref().map(get).unwrap_or_default())
                on:input=move |ev| editing.update(|e| if let Some(e) = e.as_mut() { set(e, event_target_value(&ev)) })/>
        }
    };
    let row = r.clone();
    let label = id.clone();
    let view_cells = move || {
        if is_editing() {
            let label = label.clone();
            let save = move |_| {
                if let Some(input) = editing.get_untracked() {
                    ui.run(
                        save_price(input),
                        format!("The price of {label} is saved."),
                        move |ok| {
                            if ok {
                                editing.set(None);
                            }
                        },
                    );
                }
            };
            view! {
                <td class="num">{cell(|p| p.input.clone(), |p, v| p.input = v, "input")}</td>
                <td class="num">{cell(|p| p.output.clone(), |p, v| p.output = v, "output")}</td>
                <td class="num">{cell(|p| p.cache_read.clone(), |p, v| p.cache_read = v, "cacheRead")}</td>
                <td class="num">{cell(|p| p.cache_write.clone(), |p, v| p.cache_write = v, "cacheWrite")}</td>
                <td class="num muted">"= output"</td>
                <td>{row.source.clone()}</td>
                <td class="cell-actions">
                    <span class="btn-row">
                        <button type="button" class="btn btn-sm btn-primary" data-action="save" on:click=save disabled=move || ui.busy.get()>"Save"</button>
                        <button type="button" class="btn btn-sm btn-ghost" data-action="cancel" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </span>
                </td>
            }
            .into_any()
        } else {
            let r = row.clone();
            let edit = {
                let r = r.clone();
                move |_| {
                    editing.set(Some(PriceInput {
                        provider: r.provider.clone(),
                        model: r.model.clone(),
                        input: price_field(r.input),
                        output: price_field(r.output),
                        cache_read: price_field(r.cache_read),
                        cache_write: price_field(r.cache_write),
                    }))
                }
            };
            let reset = (r.source == "user").then(|| {
                let (p, m) = (r.provider.clone(), r.model.clone());
                let (text, done) = if r.has_default {
                    ("Reset to default", format!("{p}/{m} is back to its built-in price."))
                } else {
                    ("Delete", format!("The price of {p}/{m} is removed: its cost is unknown again."))
                };
                view! {
                    <button type="button" class="btn btn-sm btn-danger-ghost" data-action="reset" on:click=move |_| ui.run(reset_price(p.clone(), m.clone()), done.clone(), |_| {})>{text}</button>
                }
            });
            view! {
                <td class="num" data-field="input">{price_text(r.input)}</td>
                <td class="num" data-field="output">{price_text(r.output)}</td>
                <td class="num" data-field="cacheRead">{price_text(r.cache_read)}</td>
                <td class="num" data-field="cacheWrite">{price_text(r.cache_write)}</td>
                <td class="num" data-field="reasoning" title="Reasoning tokens are billed at the output price">{price_text(r.output)}</td>
                <td><span class=if r.source == "user" { "badge badge-neutral" } else { "badge badge-off" } data-field="source">{if r.source == "user" { "edited" } else { "built-in" }}</span></td>
                <td class="cell-actions">
                    <span class="btn-row">
                        <button type="button" class="btn btn-sm btn-ghost" data-action="edit" on:click=edit>"Edit"</button>
                        {reset}
                    </span>
                </td>
            }
            .into_any()
        }
    };
    view! {
        <tr data-price=id>
            <td>{r.provider.clone()}</td>
            <th scope="row"><code>{r.model.clone()}</code></th>
            {view_cells}
        </tr>
    }
    .into_any()
}
