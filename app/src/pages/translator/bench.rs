//! Translator → Test Bench: the Playground's sample requests and responses run through the
//! engine for every pair of formats. Each case translates, must parse as the target format,
//! and is translated back: `clean` is an exact round trip, `lossy` lists what changed (with the
//! JSON paths), `failed` names the error.

use super::examples::format_label;
use crate::api::translator_tools::{BenchCase, BenchReport, RunBench};
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

#[component]
pub fn TestBench() -> impl IntoView {
    let action = ServerAction::<RunBench>::new();
    let toast = toast_slot();
    announce(toast, action, |rep: &BenchReport| {
        format!(
            "{} cases: {} clean, {} lossy, {} failed.",
            rep.summary.total, rep.summary.clean, rep.summary.lossy, rep.summary.failed
        )
    });
    view! {
        <section class="card playground" id="test-bench" aria-labelledby="bench-title">
            <div class="playground-head">
                <h2 id="bench-title" class="card-title">"Test Bench"</h2>
            </div>
            <p class="muted small">
                "Runs a sample request and a sample response of each format through every other format and back, with the engine the gateway uses."
            </p>
            <ActionForm action=action attr:class="format-bar" attr:id="bench-form">
                <div class="field">
                    <label for="bench-modes">"Cases"</label>
                    <select id="bench-modes" name="modes">
                        <option value="all">"Requests and responses"</option>
                        <option value="request">"Requests only"</option>
                        <option value="response">"Responses only"</option>
                    </select>
                </div>
                <button type="submit" class="btn btn-primary" id="bench-run" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Running…" } else { "Run the bench" }}
                </button>
            </ActionForm>
            {move || {
                if action.pending().get() {
                    return Some(view! { <div class="skeleton-lines" aria-busy="true"></div> }.into_any());
                }
                action.value().get().map(|r| match r {
                    Err(e) => view! { <p class="alert alert-error" role="alert">{crate::api::error_text(&e)}</p> }.into_any(),
                    Ok(report) => report_view(report).into_any(),
                })
            }}
        </section>
        <Toast message=toast/>
    }
}

fn report_view(report: BenchReport) -> impl IntoView {
    let s = report.summary;
    let failed_class = if s.failed > 0 {
        "badge badge-error"
    } else {
        "badge badge-off"
    };
    view! {
        <div class="bench-summary" id="bench-summary">
            <span class="badge badge-neutral" data-field="total">{format!("{} cases", s.total)}</span>
            <span class="badge badge-ok" data-field="clean">{format!("{} clean", s.clean)}</span>
            <span class="badge badge-warn" data-field="lossy">{format!("{} lossy", s.lossy)}</span>
            <span class=failed_class data-field="failed">{format!("{} failed", s.failed)}</span>
        </div>
        <div class="table-wrap">
            <table class="table bench-table" id="bench-results">
                <thead>
                    <tr><th scope="col">"Kind"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Result"</th><th scope="col">"Details"</th></tr>
                </thead>
                <tbody>
                    {report.cases.into_iter().map(case_row).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn case_row(c: BenchCase) -> impl IntoView {
    let class = match c.status.as_str() {
        "clean" => "badge badge-ok",
        "lossy" => "badge badge-warn",
        _ => "badge badge-error",
    };
    let details = if let Some(error) = c.error.clone() {
        view! { <span class="text-error small">{error}</span> }.into_any()
    } else if c.differences.is_empty() {
        view! { <span class="muted small">"Exact round trip"</span> }.into_any()
    } else {
        let n = c.differences.len();
        view! {
            <details class="bench-diff">
                <summary>{format!("{n} difference(s) after the round trip")}</summary>
                <ul class="diff-list">
                    {c.differences
                        .iter()
                        .map(|d| {
                            let show = |v: &Option<serde_json::Value>| v.as_ref().map_or("(absent)".to_string(), |v| {
                                let t = v.to_string();
                                if t.chars().count() > 120 { format!("{}…", t.chars().take(120).collect::<String>()) } else { t }
                            });
                            view! {
                                <li>
                                    <code>{d.path.clone()}</code>
                                    <span class="diff-del diff-inline">{show(&d.expected)}</span>
                                    " → "
                                    <span class="diff-add diff-inline">{show(&d.actual)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {(!c.warnings.is_empty()).then(|| view! {
                    <p class="muted small">"Engine notes: " {c.warnings.join("; ")}</p>
                })}
            </details>
        }
        .into_any()
    };
    view! {
        <tr data-case=format!("{}:{}:{}", c.mode, c.from, c.to) data-status=c.status.clone()>
            <td>{if c.mode == "request" { "Request" } else { "Response" }}</td>
            <td>{format_label(&c.from)}</td>
            <td>{format_label(&c.to)}</td>
            <td><span class=class>{c.status.clone()}</span></td>
            <td>{details}</td>
        </tr>
    }
}
