//! Logs: the request log (one row per attempt), filtered and paginated on the server, with a
//! detail view of a row: every recorded field, every attempt of its request, and the bodies
//! when they were recorded. Filters, page and the open row live in the address.

use crate::api::error_text;
use crate::api::get_log_detail::{get_log_detail, LogDetail};
use crate::api::list_logs::{list_logs, LogPage, LogQuery};
use crate::api::usage_types::{cost_text, count, query_string, LogRow};
use crate::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

fn when(ms: i64) -> String {
    let base = format::datetime_utc(ms.div_euclid(1000));
    // `YYYY-MM-DD HH:MM UTC` → with seconds.
    let secs = ms.div_euclid(1000).rem_euclid(60);
    base.replace(" UTC", &format!(":{secs:02} UTC"))
}

/// The address of this page with `query`'s filters, a page and an open row.
fn href(query: &LogQuery, page: u64, id: Option<i64>) -> String {
    let page = if page > 1 {
        page.to_string()
    } else {
        String::new()
    };
    let id = id.map(|i| i.to_string()).unwrap_or_default();
    let qs = query_string(&[
        ("status", &query.status),
        ("provider", &query.provider),
        ("model", &query.model),
        ("keyId", &query.key_id),
        ("q", &query.q),
        ("page", &page),
        ("id", &id),
    ]);
    format!("/dashboard/logs{qs}")
}

fn status_badge(r: &LogRow) -> AnyView {
    let class = if r.success {
        "badge badge-ok"
    } else {
        "badge badge-error"
    };
    let text = if r.status == 0 {
        "—".to_string()
    } else {
        r.status.to_string()
    };
    view! { <span class=class data-field="status">{text}</span> }.into_any()
}

#[component]
pub fn LogsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| LogQuery {
            status: p.get("status").unwrap_or_default(),
            provider: p.get("provider").unwrap_or_default(),
            model: p.get("model").unwrap_or_default(),
            key_id: p.get("keyId").unwrap_or_default(),
            q: p.get("q").unwrap_or_default(),
            page: p.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        })
    });
    let open = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let logs = Resource::new(move || query.get(), list_logs);
    let detail = Resource::new(
        move || open.get(),
        |id| async move {
            match id {
                Some(id) => get_log_detail(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Logs · OmniRoute"/>
        <div class="page-head">
            <h1>"Logs"</h1>
            <p class="muted">
                "Every request and every attempt inside it (a failed attempt before a fallback is a row of its own). Newest first; times are UTC."
            </p>
        </div>
        <Transition fallback=|| ()>
            {move || detail.get().map(|r| match r {
                Ok(Some(d)) => detail_view(d, query.get_untracked()),
                Ok(None) => ().into_any(),
                Err(e) => view! { <p class="alert alert-error" role="alert" id="log-detail">"Could not read the log entry: " {error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || logs.get().map(|r| match r {
                Ok(p) => page_view(p, query.get_untracked()),
                Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the log: " {error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn filters(p: &LogPage, q: &LogQuery) -> AnyView {
    fn option(value: String, label: String, current: &str) -> AnyView {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }.into_any()
    }
    let providers = p
        .providers
        .iter()
        .map(|v| option(v.clone(), v.clone(), &q.provider))
        .collect_view();
    let models = p
        .models
        .iter()
        .map(|v| option(v.clone(), v.clone(), &q.model))
        .collect_view();
    let keys = p
        .keys
        .iter()
        .map(|k| option(k.id.clone(), k.name.clone(), &q.key_id))
        .collect_view();
    let filtered = *q
        != LogQuery {
            page: q.page,
            ..Default::default()
        };
    let status = view! {
        {option(String::new(), "Any".into(), &q.status)}
        {option("ok".into(), "Succeeded".into(), &q.status)}
        {option("error".into(), "Failed".into(), &q.status)}
    }
    .into_any();
    let any_provider = option(String::new(), "Any".into(), &q.provider);
    let any_model = option(String::new(), "Any".into(), &q.model);
    let any_key = option(String::new(), "Any".into(), &q.key_id);
    let text = q.q.clone();
    view! {
        <Form method="GET" action="/dashboard/logs" attr:class="card filter-bar" attr:id="log-filters">
            <label class="field">
                <span>"Status"</span>
                <select name="status">{status}</select>
            </label>
            <label class="field">
                <span>"Provider"</span>
                <select name="provider">{any_provider}{providers}</select>
            </label>
            <label class="field">
                <span>"Model"</span>
                <select name="model">{any_model}{models}</select>
            </label>
            <label class="field">
                <span>"API key"</span>
                <select name="keyId">{any_key}{keys}</select>
            </label>
            <label class="field field-grow">
                <span>"Search"</span>
                <input type="search" name="q" value=text placeholder="Request id, model, provider, key, error"/>
            </label>
            <div class="btn-row filter-actions">
                <button type="submit" class="btn btn-primary" id="log-apply">"Apply"</button>
                {filtered.then(|| view! { <A href="/dashboard/logs" attr:class="btn btn-ghost" attr:id="log-clear">"Clear"</A> })}
            </div>
        </Form>
    }
    .into_any()
}

fn page_view(p: LogPage, q: LogQuery) -> AnyView {
    let head = filters(&p, &q);
    if p.rows.is_empty() {
        let filtered = q
            != LogQuery {
                page: q.page,
                ..Default::default()
            };
        let (title, text) = if filtered || p.total > 0 {
            (
                "No matching requests",
                "Nothing in the log matches these filters. Clear them to see every request.",
            )
        } else {
            ("No requests yet", "Send a request through /v1 (the Endpoints page shows how): it appears here within a second.")
        };
        return view! {
            {head}
            <div class="card empty-state" id="logs-empty">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h16M4 12h16M4 18h10"></path></svg>
                <h3>{title}</h3>
                <p class="muted">{text}</p>
            </div>
        }
        .into_any();
    }
    let pages = p.total.div_ceil(p.per_page).max(1);
    let first = (p.page - 1) * p.per_page + 1;
    let last = first + p.rows.len() as u64 - 1;
    let page = p.page;
    let rows = p
        .rows
        .into_iter()
        .map(|r| {
            let link = href(&q, page, Some(r.id));
            let at = when(r.ts_ms);
            let badge = status_badge(&r);
            let target = match (&r.provider, &r.model) {
                (Some(pr), Some(m)) => format!("{pr}/{m}"),
                _ => "—".to_string(),
            };
            view! {
                <tr data-log=r.id.to_string() class:row-failed=!r.success>
                    <td class="small nowrap"><A href=link attr:class="log-link" attr:data-action="open">{at}</A></td>
                    <td>{badge}</td>
                    <td><code>{r.requested_model.clone()}</code></td>
                    <td class="small" data-field="target">{target}</td>
                    <td class="small">{r.key_name.clone().unwrap_or_else(|| "anonymous".into())}</td>
                    <td class="num small">{count(r.input + r.cache_read + r.cache_write)} " / " {count(r.output)}</td>
                    <td class="num small">{count(r.latency_ms)} " ms"</td>
                    <td class="num small" data-field="cost">{cost_text(r.cost)}</td>
                    <td class="small text-error log-error">{r.error.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let prev = (p.page > 1).then(|| href(&q, p.page - 1, None));
    let next = (p.page < pages).then(|| href(&q, p.page + 1, None));
    view! {
        {head}
        <div class="card table-wrap">
            <table class="table" id="logs">
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Requested"</th>
                        <th scope="col">"Provider / model"</th>
                        <th scope="col">"Key"</th>
                        <th scope="col" class="num">"Tokens in / out"</th>
                        <th scope="col" class="num">"Latency"</th>
                        <th scope="col" class="num">"Cost"</th>
                        <th scope="col">"Error"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <nav class="pager" aria-label="Log pages">
                {match prev {
                    Some(h) => view! { <A href=h attr:class="btn btn-sm btn-ghost" attr:data-action="prev">"Previous"</A> }.into_any(),
                    None => view! { <span class="btn btn-sm btn-ghost" aria-disabled="true">"Previous"</span> }.into_any(),
                }}
                <span class="muted small" id="logs-range">{format!("{first}–{last} of {} · page {} of {pages}", count(p.total as i64), p.page)}</span>
                {match next {
                    Some(h) => view! { <A href=h attr:class="btn btn-sm btn-ghost" attr:data-action="next">"Next"</A> }.into_any(),
                    None => view! { <span class="btn btn-sm btn-ghost" aria-disabled="true">"Next"</span> }.into_any(),
                }}
            </nav>
        </div>
    }
    .into_any()
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

fn detail_view(d: LogDetail, q: LogQuery) -> AnyView {
    let r = d.log;
    let close = href(&q, q.page, None);
    let attempts = d
        .attempts
        .iter()
        .map(|a| {
            let current = a.id == r.id;
            view! {
                <tr data-attempt=a.attempt.to_string() class:row-current=current>
                    <td class="num">{a.attempt}</td>
                    <td>{status_badge(a)}</td>
                    <td class="small">{opt(&a.provider)} " / " {opt(&a.model)}</td>
                    <td class="small"><code>{opt(&a.connection_id)}</code></td>
                    <td class="num small">{count(a.latency_ms)} " ms"</td>
                    <td class="small text-error">{a.error.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let bodies = match d.bodies {
        None => view! {
            <p class="muted small" id="log-bodies-off">"Bodies were not recorded for this request. Recording them is off by default (Settings → logging, or PUT /api/settings/logging)."</p>
        }
        .into_any(),
        Some(b) => {
            let block = |title: &'static str, id: &'static str, text: Option<String>, truncated: bool| {
                view! {
                    <div class="body-block">
                        <h4>{title} {truncated.then_some(" (truncated)")}</h4>
                        <pre class="code-block log-body" id=id>{text.unwrap_or_else(|| "(none)".into())}</pre>
                    </div>
                }
            };
            view! {
                <div class="body-grid" id="log-bodies">
                    {block("Request body", "log-request-body", b.request, b.request_truncated)}
                    {block("Response body", "log-response-body", b.response, b.response_truncated)}
                </div>
            }
            .into_any()
        }
    };
    let tokens = format!(
        "in {} · out {} · cache read {} · cache write {} · reasoning {}",
        count(r.input),
        count(r.output),
        count(r.cache_read),
        count(r.cache_write),
        count(r.reasoning)
    );
    view! {
        <section class="card log-detail" id="log-detail" aria-labelledby="log-detail-title">
            <header class="conn-head">
                <h2 id="log-detail-title" class="card-title">"Request " <code>{r.request_id.clone()}</code></h2>
                <A href=close attr:class="btn btn-sm btn-ghost" attr:id="log-detail-close">"Close"</A>
            </header>
            <dl class="kv kv-compact log-fields">
                <dt>"Time"</dt><dd data-field="time">{when(r.ts_ms)}</dd>
                <dt>"Status"</dt><dd>{status_badge(&r)} {if r.success { " succeeded" } else { " failed" }}</dd>
                <dt>"Error"</dt><dd data-field="error" class="text-error">{opt(&r.error)}</dd>
                <dt>"Endpoint"</dt><dd><code>{r.endpoint.clone()}</code> " (" {r.client_format.clone()} " → " {opt(&r.upstream_format)} ")"</dd>
                <dt>"Requested model"</dt><dd><code data-field="requested">{r.requested_model.clone()}</code></dd>
                <dt>"Provider / model"</dt><dd data-field="target">{opt(&r.provider)} " / " {opt(&r.model)}</dd>
                <dt>"Connection"</dt><dd><code>{opt(&r.connection_id)}</code></dd>
                <dt>"Combo"</dt><dd>{opt(&r.combo)}</dd>
                <dt>"API key"</dt><dd>{r.key_name.clone().unwrap_or_else(|| "anonymous".into())}</dd>
                <dt>"Tokens"</dt><dd data-field="tokens">{tokens}</dd>
                <dt>"Latency"</dt><dd>{count(r.latency_ms)} " ms" {r.ttft_ms.map(|t| format!(" · first token after {t} ms"))}</dd>
                <dt>"Streamed"</dt><dd>{if r.streamed { "yes" } else { "no" }}</dd>
                <dt>"Attempt"</dt><dd>{r.attempt}</dd>
                <dt>"Cost"</dt><dd data-field="cost">{cost_text(r.cost)}</dd>
            </dl>
            <h3 class="subhead">"Attempts"</h3>
            <div class="table-wrap">
                <table class="table" id="log-attempts">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Provider / model"</th>
                            <th scope="col">"Connection"</th>
                            <th scope="col" class="num">"Latency"</th>
                            <th scope="col">"Error"</th>
                        </tr>
                    </thead>
                    <tbody>{attempts}</tbody>
                </table>
            </div>
            <h3 class="subhead">"Bodies"</h3>
            {bodies}
        </section>
    }
    .into_any()
}
