//! Home: the overview at `/dashboard`. Requests and cost today and this month, success rate,
//! a usage chart (SVG), top models and providers, health at a glance, recent errors, and a
//! getting-started panel until a provider, a key and a first request exist. The range of the
//! chart is a link (`?range=24h|7d|30d`), so it works without JavaScript; the page refreshes
//! itself every 30 seconds.

use crate::api::appearance_settings::{get_appearance, Appearance};
use crate::api::error_text;
use crate::api::overview::{get_overview, Overview, Period, Point, TopRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::time::Duration;

const REFRESH: Duration = Duration::from_secs(30);
const RANGES: [(&str, &str); 3] = [("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days")];

/// `$12.34`, `$0.0042`, or a dash when no price is known.
pub fn usd(cost: Option<f64>) -> String {
    match cost {
        None => "—".to_string(),
        Some(0.0) => "$0.00".to_string(),
        Some(v) if v.abs() < 0.01 => format!("${v:.4}"),
        Some(v) => format!("${v:.2}"),
    }
}

/// `1,234,567`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn percent(rate: Option<f64>) -> String {
    match rate {
        None => "—".to_string(),
        Some(r) if r >= 0.9995 => "100%".to_string(),
        Some(r) => format!("{:.1}%", r * 100.0),
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let range = move || {
        query.with(|q| {
            q.get("range")
                .filter(|r| RANGES.iter().any(|(v, _)| v == r))
                .unwrap_or_else(|| "7d".to_string())
        })
    };
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    let data = Resource::new(move || (range(), tick.get()), |(r, _)| get_overview(r));
    let appearance = Resource::new(|| (), |_| get_appearance());
    let body = move || {
        let look = appearance.get().and_then(Result::ok).unwrap_or_default();
        data.get().map(|r| match r {
            Ok(o) => overview_view(o, look, range()).into_any(),
            Err(e) => view! {
                <p class="alert alert-error" role="alert">"Could not load the overview: " {error_text(&e)}</p>
            }
            .into_any(),
        })
    };
    view! {
        <Title text="Home · OmniRoute"/>
        <div class="page-head">
            <h1>"Home"</h1>
            <p class="muted">"Traffic, spend and health of this gateway at a glance. Days are UTC."</p>
        </div>
        <Transition fallback=|| view! {
            <div class="stat-grid" aria-busy="true">
                <div class="stat skeleton-tile"></div><div class="stat skeleton-tile"></div>
                <div class="stat skeleton-tile"></div><div class="stat skeleton-tile"></div>
            </div>
            <div class="card"><div class="skeleton-lines"></div></div>
        }>
            {body}
        </Transition>
    }
}

fn shown(look: &Appearance, panel: &str) -> bool {
    !look.hidden_panels.iter().any(|p| p == panel)
}

fn overview_view(o: Overview, look: Appearance, range: String) -> impl IntoView {
    let pending = o.setup.steps.iter().any(|s| !s.done);
    let setup = (pending && shown(&look, "getting-started")).then(|| {
        let done = o.setup.steps.iter().filter(|s| s.done).count();
        let total = o.setup.steps.len();
        view! {
            <section class="card getting-started" id="getting-started" aria-labelledby="gs-title">
                <div class="card-head">
                    <h2 id="gs-title" class="card-title">"Get started"</h2>
                    <span class="muted small">{format!("{done} of {total} done")}</span>
                </div>
                <ol class="steps">
                    {o.setup
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let class = if s.done { "step step-done" } else { "step" };
                            let status = if s.done { "Done" } else { "Not done" };
                            let badge = if s.done { "badge badge-ok" } else { "badge badge-off" };
                            view! {
                                <li class=class data-step=s.id.clone() data-done=s.done.to_string()>
                                    <span class="step-mark" aria-hidden="true">{if s.done { "✓".to_string() } else { (i + 1).to_string() }}</span>
                                    <span class="step-body">
                                        <a href=s.href.clone()>{s.title.clone()}</a>
                                        <span class="visually-hidden">{format!(" ({status})")}</span>
                                    </span>
                                    <span class=badge>{status}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    });
    let stats = view! {
        <div class="stat-grid" id="home-stats">
            {stat("stat-today-requests", "Requests today", count(o.today.requests), period_note(&o.today))}
            {stat("stat-today-cost", "Cost today", usd(o.today.cost), unknown_note(&o.today))}
            {stat("stat-month-requests", "Requests this month", count(o.month.requests), period_note(&o.month))}
            {stat("stat-month-cost", "Cost this month", usd(o.month.cost), unknown_note(&o.month))}
            {stat(
                "stat-success",
                "Success rate (month)",
                percent(o.month.success_rate),
                format!("{} failed of {} attempts", count(o.month.failed), count(o.month.attempts)),
            )}
        </div>
    };
    let chart = shown(&look, "chart").then(|| {
        let points = o.series.points.clone();
        let bucket = o.series.bucket.clone();
        view! {
            <section class="card" id="usage-chart" aria-labelledby="chart-title">
                <div class="card-head">
                    <h2 id="chart-title" class="card-title">"Requests over time"</h2>
                    <nav class="segmented" aria-label="Chart range">
                        {RANGES
                            .iter()
                            .map(|(value, label)| {
                                let current = range == *value;
                                view! {
                                    <a
                                        class="segmented-btn"
                                        href=format!("?range={value}")
                                        aria-pressed=current.to_string()
                                        aria-current=current.then_some("page")
                                        data-range=*value
                                    >
                                        {*label}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </nav>
                </div>
                {bar_chart(points, &bucket)}
                <p class="chart-legend small muted">
                    <span class="legend-swatch legend-ok" aria-hidden="true"></span>"Succeeded "
                    <span class="legend-swatch legend-failed" aria-hidden="true"></span>"Failed attempts"
                </p>
            </section>
        }
    });
    let top = shown(&look, "top").then(|| {
        view! {
            <div class="home-two">
                {top_table("top-models", "Top models this month", "Model", o.top_models.clone())}
                {top_table("top-providers", "Top providers this month", "Provider", o.top_providers.clone())}
            </div>
        }
    });
    let health = shown(&look, "health").then(|| {
        let open = o.health.open_breakers.len();
        let cooling = o.health.cooldowns;
        let (class, text) = if open == 0 && cooling == 0 {
            ("badge badge-ok", "All providers healthy".to_string())
        } else if open > 0 {
            ("badge badge-error", format!("{open} breaker(s) open"))
        } else {
            ("badge badge-warn", format!("{cooling} account(s) cooling down"))
        };
        view! {
            <section class="card" id="health-glance" aria-labelledby="hg-title">
                <div class="card-head">
                    <h2 id="hg-title" class="card-title">"Health"</h2>
                    <a class="small" href="/dashboard/health">"Details"</a>
                </div>
                <p><span class=class data-field="health-state">{text}</span></p>
                <dl class="kv kv-compact">
                    <dt>"Open circuit breakers"</dt>
                    <dd data-field="open-breakers">{open}</dd>
                    <dt>"Accounts cooling down"</dt>
                    <dd data-field="cooldowns">{cooling}</dd>
                </dl>
                {(!o.health.open_breakers.is_empty()).then(|| view! {
                    <ul class="chips">
                        {o.health
                            .open_breakers
                            .iter()
                            .map(|b| view! { <li class="chip"><code>{format!("{} · {}", b.provider, b.state)}</code></li> })
                            .collect_view()}
                    </ul>
                })}
            </section>
        }
    });
    let errors = shown(&look, "errors").then(|| {
        let list = if o.recent_errors.is_empty() {
            view! { <p class="muted small" id="recent-errors-empty">"No failed requests recorded."</p> }.into_any()
        } else {
            view! {
                <ul class="error-list">
                    {o.recent_errors
                        .iter()
                        .map(|e| {
                            let when = e.time.get(5..16).unwrap_or(&e.time).replace('T', " ");
                            view! {
                                <li>
                                    <div class="error-head">
                                        <span class="badge badge-error">{e.status}</span>
                                        <code>{e.requested_model.clone()}</code>
                                        <span class="muted small">{e.provider.clone().unwrap_or_default()}</span>
                                        <span class="muted small error-time">{when}</span>
                                    </div>
                                    <p class="small error-text">{e.error.clone().unwrap_or_else(|| "no message".into())}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        };
        view! {
            <section class="card" id="recent-errors" aria-labelledby="re-title">
                <div class="card-head">
                    <h2 id="re-title" class="card-title">"Recent errors"</h2>
                </div>
                {list}
            </section>
        }
    });
    view! {
        {setup}
        {stats}
        {chart}
        {top}
        <div class="home-two">{health}{errors}</div>
    }
    .into_any()
}

fn period_note(p: &Period) -> String {
    format!("{} tokens", count(p.tokens))
}

fn unknown_note(p: &Period) -> String {
    if p.unknown_cost_requests > 0 {
        format!("{} without a known price", count(p.unknown_cost_requests))
    } else {
        "USD, from your prices".to_string()
    }
}

fn stat(id: &'static str, label: &'static str, value: String, note: String) -> impl IntoView {
    view! {
        <div class="stat" id=id>
            <span class="stat-label">{label}</span>
            <span class="stat-value" data-field="value">{value}</span>
            <span class="stat-note">{note}</span>
        </div>
    }
}

fn top_table(
    id: &'static str,
    title: &'static str,
    what: &'static str,
    rows: Vec<TopRow>,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.requests).max().unwrap_or(0).max(1);
    let body = if rows.is_empty() {
        view! { <p class="muted small">"No requests this month yet."</p> }.into_any()
    } else {
        view! {
            <table class="table">
                <thead><tr><th scope="col">{what}</th><th scope="col" class="num">"Requests"</th><th scope="col" class="num">"Cost"</th></tr></thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let width = format!("width: {}%", (r.requests * 100 / max).max(2));
                            view! {
                                <tr>
                                    <td>
                                        <code>{r.name}</code>
                                        <div class="meter" aria-hidden="true"><span style=width></span></div>
                                    </td>
                                    <td class="num">{count(r.requests)}</td>
                                    <td class="num">{usd(r.cost)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" id=id>
            <h2 class="card-title">{title}</h2>
            {body}
        </section>
    }
}

/// A bar per bucket (succeeded and failed stacked), y axis with three gridlines, a few x labels.
fn bar_chart(points: Vec<Point>, bucket: &str) -> impl IntoView {
    const W: f64 = 720.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 22.0;
    const TOP: f64 = 8.0;
    let max_raw = points
        .iter()
        .map(|p| p.requests.max(p.failed))
        .max()
        .unwrap_or(0);
    let max = nice_max(max_raw);
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let bar = (slot * 0.7).max(2.0);
    let plot_h = H - BOTTOM - TOP;
    let y = move |v: i64| TOP + plot_h - (v as f64 / max as f64) * plot_h;
    let label_every = (points.len() / 8).max(1);
    let hourly = bucket == "hour";
    let total: i64 = points.iter().map(|p| p.requests).sum();
    let summary = format!(
        "Bar chart of requests per {bucket}: {} in total over {} {bucket}s, at most {max_raw} in one {bucket}.",
        total,
        points.len()
    );
    let grid = (0..=2)
        .map(|i| {
            let v = max * i / 2;
            let yy = y(v);
            view! {
                <g>
                    <line class="chart-grid" x1=LEFT y1=yy x2=W y2=yy></line>
                    <text class="chart-axis" x=LEFT - 6.0 y=yy + 4.0 text-anchor="end">{v}</text>
                </g>
            }
        })
        .collect_view();
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
            let failed = p.failed.min(p.requests.max(p.failed));
            let ok = (p.requests - failed).max(0);
            let ok_top = y(ok);
            let failed_top = y(ok + failed);
            let label = if hourly {
                p.time.get(11..16).unwrap_or("").to_string()
            } else {
                p.time.get(5..10).unwrap_or("").to_string()
            };
            let tip = format!(
                "{}: {} requests, {} failed attempts",
                p.time.get(..16).unwrap_or(&p.time).replace('T', " "),
                p.requests,
                p.failed
            );
            let show_label = i % label_every == 0;
            view! {
                <g class="chart-bar" data-requests=p.requests>
                    <title>{tip}</title>
                    <rect class="bar-ok" x=x y=ok_top width=bar height=(TOP + plot_h - ok_top).max(0.0) rx="2"></rect>
                    <rect class="bar-failed" x=x y=failed_top width=bar height=(ok_top - failed_top).max(0.0) rx="2"></rect>
                    {show_label.then(|| view! {
                        <text class="chart-axis" x=x + bar / 2.0 y=H - 6.0 text-anchor="middle">{label}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=summary>
            {grid}
            {bars}
        </svg>
    }
}

/// 0 → 4, else the next of 1, 2, 5 × 10ⁿ at or above `v` (at least 4 so gridlines are whole).
fn nice_max(v: i64) -> i64 {
    if v <= 4 {
        return 4;
    }
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            if m * base >= v {
                return m * base;
            }
        }
        base *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(usd(None), "—");
        assert_eq!(usd(Some(1.5)), "$1.50");
        assert_eq!(usd(Some(0.0042)), "$0.0042");
        assert_eq!(nice_max(0), 4);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(130), 200);
        assert_eq!(percent(Some(0.5)), "50.0%");
    }
}
