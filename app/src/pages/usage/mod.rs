//! Usage: totals for a range (today / 7 days / 30 days), requests and cost over time, and
//! breakdowns by provider, model and API key. The range is in the address (`?range=7d`), so
//! every view is a link that works without JavaScript.

pub mod chart;

use crate::api::error_text;
use crate::api::usage_overview::{usage_overview, UsageReport, HOUR_MS};
use crate::api::usage_types::{count, UsageGroup, UsageTotals};
use chart::{bar_line_chart, Bar};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const RANGES: [(&str, &str); 3] = [("today", "Today"), ("7d", "7 days"), ("30d", "30 days")];
/// Rows per page of a breakdown table.
const PAGE: usize = 10;

#[component]
pub fn UsagePage() -> impl IntoView {
    let query = use_query_map();
    let range = Memo::new(move |_| {
        let r = query.with(|q| q.get("range")).unwrap_or_default();
        if RANGES.iter().any(|(k, _)| *k == r) {
            r
        } else {
            "7d".to_string()
        }
    });
    let overview = Resource::new(move || range.get(), usage_overview);
    view! {
        <Title text="Usage · OmniRoute"/>
        <div class="page-head page-head-row">
            <div>
                <h1>"Usage"</h1>
                <p class="muted">
                    "What went through this server: requests, tokens and cost, recorded for every attempt. Times are UTC."
                </p>
            </div>
            <div class="segmented" role="group" aria-label="Range" id="usage-range">
                {RANGES
                    .iter()
                    .map(|(key, label)| {
                        view! {
                            <a
                                href=format!("?range={key}")
                                class="segmented-btn"
                                data-range=*key
                                aria-current=move || (range.get() == *key).to_string()
                            >
                                {*label}
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(o) => overview_view(o),
                        Err(e) => {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    "Could not read the usage: " {error_text(&e)}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

fn stat(id: &'static str, label: &'static str, value: String, note: String) -> impl IntoView {
    view! {
        <div class="card ustat-card" id=id>
            <p class="ustat-label">{label}</p>
            <p class="ustat-value" data-field="value">{value}</p>
            <p class="ustat-note muted small">{note}</p>
        </div>
    }
}

fn totals_cards(t: &UsageTotals) -> AnyView {
    let rate = t
        .success_rate()
        .map(|r| format!("{r:.1}%"))
        .unwrap_or_else(|| "—".into());
    let cost_note = if t.unknown_cost > 0 {
        format!(
            "{} attempt(s) with an unknown price (see Costs → Pricing)",
            count(t.unknown_cost)
        )
    } else {
        "USD, from the Costs → Pricing table".to_string()
    };
    view! {
        <div class="ustat-grid" id="usage-totals">
            {stat("stat-requests", "Requests", count(t.client_requests), format!("{} attempt(s) upstream", count(t.requests)))}
            {stat("stat-success", "Success rate", rate, format!("{} failed attempt(s)", count(t.failed)))}
            {stat("stat-input", "Tokens in", count(t.input), format!("cache read {} · cache write {}", count(t.cache_read), count(t.cache_write)))}
            {stat("stat-output", "Tokens out", count(t.output), format!("{} reasoning", count(t.reasoning)))}
            {stat("stat-cost", "Cost", t.cost_label(), cost_note)}
            {stat("stat-latency", "Avg latency", t.avg_latency_ms.map(|ms| format!("{} ms", count(ms))).unwrap_or_else(|| "—".into()), "per attempt".to_string())}
        </div>
    }
    .into_any()
}

fn overview_view(o: UsageReport) -> AnyView {
    if o.totals.requests == 0 {
        return view! {
            {totals_cards(&o.totals)}
            <div class="card empty-state" id="usage-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 20V10M10 20V4M16 20v-7M22 20H2"></path>
                </svg>
                <h3>"No requests in this range"</h3>
                <p class="muted">
                    "Send a request through /v1 (the Endpoints page shows how) and it appears here within a second. Try a longer range if you expected traffic."
                </p>
                <a class="btn btn-primary" href="/dashboard/endpoints">"See the endpoints"</a>
            </div>
        }
        .into_any();
    }
    let hourly = o.bucket_ms == HOUR_MS;
    let bars: Vec<Bar> = o
        .points
        .iter()
        .map(|p| Bar {
            start_ms: p.start_ms,
            value: p.totals.client_requests as f64,
            line: if p.totals.requests == 0 {
                Some(0.0)
            } else {
                p.totals.cost
            },
        })
        .collect();
    let range_label = RANGES
        .iter()
        .find(|(k, _)| *k == o.range)
        .map(|(_, l)| *l)
        .unwrap_or("");
    view! {
        {totals_cards(&o.totals)}
        <section class="card section" aria-labelledby="usage-chart-title">
            <h2 id="usage-chart-title" class="card-title">"Requests and cost over time"</h2>
            {bar_line_chart(
                "usage-chart",
                format!("Requests and cost per {} ({range_label})", if hourly { "hour" } else { "day" }),
                bars,
                hourly,
                "requests",
                "cost",
            )}
        </section>
        <div class="breakdown-grid">
            <Breakdown id="by-provider" title="By provider" first="Provider" rows=o.by_provider/>
            <Breakdown id="by-model" title="By model" first="Model" rows=o.by_model/>
            <Breakdown id="by-key" title="By API key" first="Key" rows=o.by_key/>
        </div>
    }
    .into_any()
}

#[component]
fn Breakdown(
    id: &'static str,
    title: &'static str,
    first: &'static str,
    rows: Vec<UsageGroup>,
) -> impl IntoView {
    let page = RwSignal::new(0usize);
    let total = rows.len();
    let pages = total.div_ceil(PAGE).max(1);
    let rows = StoredValue::new(rows);
    let body = move || {
        let start = page.get() * PAGE;
        rows.with_value(|rows| {
            rows.iter()
                .skip(start)
                .take(PAGE)
                .map(|g| {
                    let t = &g.totals;
                    let rate = t
                        .success_rate()
                        .map(|r| format!("{r:.0}%"))
                        .unwrap_or_else(|| "—".into());
                    view! {
                        <tr data-row=g.label.clone()>
                            <td><code>{g.label.clone()}</code></td>
                            <td class="num" data-field="requests">{count(t.client_requests)}</td>
                            <td class="num">{count(t.input + t.cache_read + t.cache_write)}</td>
                            <td class="num">{count(t.output)}</td>
                            <td class="num" data-field="cost">{t.cost_label()}</td>
                            <td class="num">{rate}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" id=id aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title") class="card-title">{title}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{first}</th>
                            <th scope="col" class="num">"Requests"</th>
                            <th scope="col" class="num">"Tokens in"</th>
                            <th scope="col" class="num">"Tokens out"</th>
                            <th scope="col" class="num">"Cost"</th>
                            <th scope="col" class="num">"Success"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label=format!("{title} pages")>
                    <button type="button" class="btn btn-sm btn-ghost" data-action="prev" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                    <span class="muted small">{move || format!("Page {} of {pages} · {total} rows", page.get() + 1)}</span>
                    <button type="button" class="btn btn-sm btn-ghost" data-action="next" disabled=move || { page.get() + 1 >= pages } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
                </nav>
            })}
        </section>
    }
}
