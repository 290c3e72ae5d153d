//! MCP & A2A: the switches of both servers, their endpoints, copy-ready client
//! configurations (Claude Desktop over stdio, Cursor and VS Code over HTTP), the MCP tools
//! grouped by scope, the audit log of tool calls, and the A2A tasks with their state.
//! The audit and task pages live in the address (`?audit=2&tasks=3`), so paging works
//! without JavaScript.

use crate::api::a2a_tasks::{list_a2a_tasks, TaskPage, TaskRow};
use crate::api::cancel_a2a_task::CancelA2aTask;
use crate::api::error_text;
use crate::api::mcp_audit::{list_mcp_audit, AuditEntry, AuditPage};
use crate::api::mcp_overview::{get_mcp_overview, McpOverview, ScopeGroup};
use crate::api::save_agent_settings::SaveAgentSettings;
use crate::components::copy::CopyButton;
use crate::format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// This page's address with the given audit and task pages.
fn href(audit: u64, tasks: u64) -> String {
    let mut parts = Vec::new();
    if audit > 1 {
        parts.push(format!("audit={audit}"));
    }
    if tasks > 1 {
        parts.push(format!("tasks={tasks}"));
    }
    if parts.is_empty() {
        "/dashboard/mcp".to_string()
    } else {
        format!("/dashboard/mcp?{}", parts.join("&"))
    }
}

#[component]
pub fn McpPage() -> impl IntoView {
    let params = use_query_map();
    let audit_page = Memo::new(move |_| {
        params.with(|p| p.get("audit").and_then(|v| v.parse().ok()).unwrap_or(1u64))
    });
    let task_page = Memo::new(move |_| {
        params.with(|p| p.get("tasks").and_then(|v| v.parse().ok()).unwrap_or(1u64))
    });
    let save = ServerAction::<SaveAgentSettings>::new();
    let cancel = ServerAction::<CancelA2aTask>::new();
    let overview = Resource::new(move || save.version().get(), |_| get_mcp_overview());
    let audit = Resource::new(move || audit_page.get(), list_mcp_audit);
    let tasks = Resource::new(
        move || (task_page.get(), cancel.version().get()),
        |(page, _)| list_a2a_tasks(page),
    );
    view! {
        <Title text="MCP & A2A · OmniRoute"/>
        <div class="page-head">
            <h1>"MCP & A2A"</h1>
            <p class="muted">
                "OmniRoute is an MCP server for IDEs and agent hosts (Claude Desktop, Cursor, VS Code) and an A2A agent for other agents. Both need an API key; its scopes decide which tools and skills it may use ("
                <a href="/dashboard/api-manager">"API Manager"</a> ")."
            </p>
        </div>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || overview.get().map(|r| match r {
                Ok(o) => overview_view(o, save),
                Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the MCP and A2A status: " {error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || audit.get().map(|r| match r {
                Ok(p) => audit_view(p, task_page.get_untracked()),
                Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the audit log: " {error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || tasks.get().map(|r| match r {
                Ok(p) => tasks_view(p, audit_page.get_untracked(), cancel),
                Err(e) => view! { <p class="alert alert-error" role="alert">"Could not read the A2A tasks: " {error_text(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn on_off(on: bool, id: &'static str) -> AnyView {
    if on {
        view! { <span class="badge badge-ok" id=id>"On"</span> }.into_any()
    } else {
        view! { <span class="badge badge-off" id=id>"Off"</span> }.into_any()
    }
}

fn overview_view(o: McpOverview, save: ServerAction<SaveAgentSettings>) -> AnyView {
    let hosts = o.allowed_hosts.join(", ");
    let model = o.default_model.clone().unwrap_or_default();
    let effective = o.effective_hosts.join(", ");
    let env = o.allowed_hosts_env.clone();
    let result = move || {
        save.value().get().map(|r| match r {
            Ok(m) => view! { <p class="alert alert-ok" role="status" id="agents-result">{m}</p> }.into_any(),
            Err(e) => view! { <p class="alert alert-error" role="alert" id="agents-result">{error_text(&e)}</p> }.into_any(),
        })
    };
    let servers = view! {
        <section class="card" aria-labelledby="agents-title" id="agents-card">
            <h2 id="agents-title" class="card-title">"Servers"</h2>
            <p class="small">
                "MCP " {on_off(o.mcp_enabled, "mcp-state")} " · A2A " {on_off(o.a2a_enabled, "a2a-state")}
                " · " {format!("{} MCP tool call(s) in 24 h, {} failed", o.calls_24h, o.errors_24h)}
            </p>
            <ActionForm action=save attr:class="form-stack" attr:id="agents-form">
                <label class="check"><input type="checkbox" name="mcp_enabled" id="mcp_enabled" checked=o.mcp_enabled/>"MCP server (streamable HTTP and SSE)"</label>
                <label class="check"><input type="checkbox" name="a2a_enabled" id="a2a_enabled" checked=o.a2a_enabled/>"A2A server and agent card"</label>
                <label for="allowed_hosts">"Extra allowed hosts for MCP"</label>
                <input id="allowed_hosts" name="allowed_hosts" type="text" value=hosts placeholder="gateway.example.com, 192.168.1.20"/>
                <p class="field-hint">
                    "The MCP HTTP transports refuse other Host names (protection against DNS rebinding). Accepted now: " {effective}
                    ". Also settable with " <code>{env}</code> "; " <code>"*"</code> " accepts any."
                </p>
                <label for="default_model">"A2A default model"</label>
                <input id="default_model" name="default_model" type="text" value=model placeholder="a combo name or provider/model"/>
                <p class="field-hint">"Used when an A2A message names no model in its metadata; empty: the first combo, else the first available model."</p>
                <button type="submit" class="btn btn-primary" id="agents-save" disabled=move || save.pending().get()>"Save"</button>
            </ActionForm>
            {result}
        </section>
    }
    .into_any();
    view! {
        {servers}
        {endpoints_view(&o)}
        {configs_view(&o)}
        {tools_view(&o.groups, o.tool_count)}
        {skills_view(&o)}
    }
    .into_any()
}

fn url_row(id: &'static str, title: &'static str, url: String, note: &'static str) -> AnyView {
    let copy = url.clone();
    view! {
        <li class="endpoint" data-endpoint=id>
            <div class="endpoint-text">
                <h3>{title}</h3>
                <p class="muted small">{note}</p>
            </div>
            <div class="url-row">
                <code class="url" data-field="url">{url}</code>
                <CopyButton text=Signal::derive(move || copy.clone()) what=format!("the {title} address")/>
            </div>
        </li>
    }
    .into_any()
}

fn endpoints_view(o: &McpOverview) -> AnyView {
    let b = &o.base_url;
    view! {
        <section class="card section" aria-labelledby="agent-endpoints-title">
            <h2 id="agent-endpoints-title" class="card-title">"Endpoints"</h2>
            <ul class="endpoint-list" id="agent-endpoints">
                {url_row("mcp-stream", "MCP, streamable HTTP", format!("{b}/api/mcp/stream"), "Current MCP clients. Send Authorization: Bearer <key>.")}
                {url_row("mcp-sse", "MCP, SSE (legacy)", format!("{b}/api/mcp/sse"), "Older clients; messages go to the endpoint the stream announces.")}
                {url_row("mcp-stdio", "MCP, stdio", "omniroute --mcp".to_string(), "For clients that start the server themselves; the key comes from OMNIROUTE_API_KEY.")}
                {url_row("a2a", "A2A (JSON-RPC 2.0)", format!("{b}/a2a"), "message/send, message/stream, tasks/get, tasks/cancel.")}
                {url_row("agent-card", "A2A agent card", format!("{b}/.well-known/agent.json"), "Public: what agents read to discover the skills.")}
            </ul>
        </section>
    }
    .into_any()
}

fn snippet(id: &'static str, title: &'static str, file: &'static str, text: String) -> AnyView {
    let copy = text.clone();
    view! {
        <div class="code-block mcp-config" data-config=id>
            <div class="code-block-head">
                <strong>{title}</strong>
                <span class="muted small">{file}</span>
                <CopyButton text=Signal::derive(move || copy.clone()) what=format!("the {title} configuration")/>
            </div>
            <pre class="code-snippet"><code>{text}</code></pre>
        </div>
    }
    .into_any()
}

/// Configuration snippets; the key is a placeholder the user replaces (keys are shown once).
pub fn client_configs(o: &McpOverview) -> Vec<(&'static str, &'static str, &'static str, String)> {
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let url = format!("{}/api/mcp/stream", o.base_url);
    let claude = pretty(serde_json::json!({
        "mcpServers": { "omniroute": {
            "command": if o.command.is_empty() { "omniroute" } else { o.command.as_str() },
            "args": ["--mcp"],
            "env": { "DATA_DIR": o.data_dir, "OMNIROUTE_API_KEY": "sk-or-YOUR-KEY" },
        } }
    }));
    let cursor = pretty(serde_json::json!({
        "mcpServers": { "omniroute": {
            "url": url,
            "headers": { "Authorization": "Bearer sk-or-YOUR-KEY" },
        } }
    }));
    let vscode = pretty(serde_json::json!({
        "inputs": [{ "type": "promptString", "id": "omniroute-key", "description": "OmniRoute API key", "password": true }],
        "servers": { "omniroute": {
            "type": "http",
            "url": url,
            "headers": { "Authorization": "Bearer ${input:omniroute-key}" },
        } }
    }));
    vec![
        (
            "claude",
            "Claude Desktop (stdio)",
            "claude_desktop_config.json",
            claude,
        ),
        ("cursor", "Cursor (HTTP)", "~/.cursor/mcp.json", cursor),
        ("vscode", "VS Code (HTTP)", ".vscode/mcp.json", vscode),
    ]
}

fn configs_view(o: &McpOverview) -> AnyView {
    let blocks = client_configs(o)
        .into_iter()
        .map(|(id, title, file, text)| snippet(id, title, file, text))
        .collect_view();
    view! {
        <section class="card section" aria-labelledby="configs-title" id="client-configs">
            <h2 id="configs-title" class="card-title">"Connect a client"</h2>
            <p class="muted small">"Replace sk-or-YOUR-KEY with a key that has the scopes of the tools you want (keys are shown once, when created)."</p>
            <div class="mcp-configs">{blocks}</div>
        </section>
    }
    .into_any()
}

fn tools_view(groups: &[ScopeGroup], total: u64) -> AnyView {
    let groups = groups
        .iter()
        .map(|g| {
            let count = g.tools.len();
            let tools = if g.tools.is_empty() {
                view! { <p class="muted small">"No tools in this scope yet."</p> }.into_any()
            } else {
                let items = g
                    .tools
                    .iter()
                    .map(|t| {
                        let also: Vec<&String> = t.scopes.iter().filter(|s| **s != g.scope).collect();
                        let note = if also.is_empty() {
                            String::new()
                        } else {
                            format!(" (also needs {})", also.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
                        };
                        view! {
                            <li data-tool=t.name.clone()>
                                <code>{t.name.clone()}</code>
                                <span class="small muted">{note}</span>
                                <p class="small">{t.description.clone()}</p>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="mcp-tool-list">{items}</ul> }.into_any()
            };
            view! {
                <div class="mcp-scope" data-scope=g.scope.clone()>
                    <h3 class="subhead"><span class="badge badge-neutral">{g.scope.clone()}</span> " " {format!("{count} tool(s)")}</h3>
                    {tools}
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card section" aria-labelledby="tools-title" id="mcp-tools">
            <h2 id="tools-title" class="card-title">{format!("MCP tools ({total})")}</h2>
            <p class="muted small">"A key sees the tools of its scopes; the manage scope sees every tool."</p>
            <div class="mcp-scopes">{groups}</div>
        </section>
    }
    .into_any()
}

fn skills_view(o: &McpOverview) -> AnyView {
    let counts = if o.task_counts.is_empty() {
        "No tasks yet.".to_string()
    } else {
        o.task_counts
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let skills = o
        .skills
        .iter()
        .map(|s| {
            view! {
                <tr data-skill=s.id.clone()>
                    <td><code>{s.id.clone()}</code></td>
                    <td class="small">{s.description.clone()}</td>
                    <td><span class="badge badge-neutral">{s.scope.clone()}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card section" aria-labelledby="skills-title" id="a2a-skills">
            <h2 id="skills-title" class="card-title">"A2A skills"</h2>
            <p class="small" id="a2a-counts">{counts} {format!(" · {} running", o.running)}</p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Skill"</th><th>"What it does"</th><th>"Scope"</th></tr></thead>
                    <tbody>{skills}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn pager(
    label: &'static str,
    id: &'static str,
    page: u64,
    total: u64,
    per_page: u64,
    link: impl Fn(u64) -> String,
) -> AnyView {
    let pages = total.div_ceil(per_page).max(1);
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page < pages).then(|| link(page + 1));
    view! {
        <nav class="pager" aria-label=label id=id>
            {match prev {
                Some(h) => view! { <A href=h attr:class="btn btn-sm btn-ghost" attr:data-action="prev">"Previous"</A> }.into_any(),
                None => view! { <span class="btn btn-sm btn-ghost" aria-disabled="true">"Previous"</span> }.into_any(),
            }}
            <span class="muted small">{format!("{total} in all · page {page} of {pages}")}</span>
            {match next {
                Some(h) => view! { <A href=h attr:class="btn btn-sm btn-ghost" attr:data-action="next">"Next"</A> }.into_any(),
                None => view! { <span class="btn btn-sm btn-ghost" aria-disabled="true">"Next"</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

fn audit_row(e: AuditEntry) -> AnyView {
    let badge = if e.success {
        view! { <span class="badge badge-ok">"ok"</span> }.into_any()
    } else {
        view! { <span class="badge badge-error">"error"</span> }.into_any()
    };
    view! {
        <tr data-audit=e.id.to_string() class:row-failed=!e.success>
            <td class="small nowrap">{format::datetime_utc(e.ts.div_euclid(1000))}</td>
            <td><code>{e.tool}</code></td>
            <td class="small">{e.scope}</td>
            <td class="small">{e.key_name.unwrap_or_else(|| "local (stdio)".into())}</td>
            <td class="small">{e.transport}</td>
            <td class="num small">{e.duration_ms} " ms"</td>
            <td>{badge}</td>
            <td class="small text-error mcp-error">{e.error.unwrap_or_default()}</td>
        </tr>
    }
    .into_any()
}

fn audit_view(p: AuditPage, task_page: u64) -> AnyView {
    let body = if p.entries.is_empty() {
        view! { <p class="muted" id="audit-empty">"No MCP tool call yet. Connect a client (above) and call a tool: it appears here."</p> }.into_any()
    } else {
        let rows = p.entries.into_iter().map(audit_row).collect_view();
        view! {
            <div class="table-wrap">
                <table class="table" id="audit-table">
                    <thead><tr><th>"Time"</th><th>"Tool"</th><th>"Scope"</th><th>"Key"</th><th>"Transport"</th><th class="num">"Duration"</th><th>"Result"</th><th>"Error"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {pager("Audit pages", "audit-pager", p.page, p.total, p.per_page, move |n| href(n, task_page))}
        }
        .into_any()
    };
    view! {
        <section class="card section" aria-labelledby="audit-title" id="mcp-audit">
            <h2 id="audit-title" class="card-title">"MCP audit log"</h2>
            <p class="muted small">"Every tool call, refused ones included: newest first, times in UTC."</p>
            {body}
        </section>
    }
    .into_any()
}

fn state_badge(state: &str) -> AnyView {
    let class = match state {
        "completed" => "badge badge-ok",
        "failed" => "badge badge-error",
        "canceled" => "badge badge-off",
        _ => "badge badge-warn",
    };
    view! { <span class=class data-field="state">{state.to_string()}</span> }.into_any()
}

fn task_row(t: TaskRow, cancel: ServerAction<CancelA2aTask>) -> AnyView {
    let route = match (&t.provider, &t.model) {
        (Some(p), Some(m)) => format!("{p} · {m}"),
        (Some(p), None) => p.clone(),
        _ => "—".into(),
    };
    let action = if t.finished() {
        ().into_any()
    } else {
        let id = t.id.clone();
        view! {
            <ActionForm action=cancel attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="btn btn-sm btn-danger-ghost" data-action="cancel">"Cancel"</button>
            </ActionForm>
        }
        .into_any()
    };
    let when = t.created_at.replace('T', " ").replace('Z', " UTC");
    let duration = if t.finished() {
        format!("{} ms", t.duration_ms)
    } else {
        "…".into()
    };
    view! {
        <tr data-task=t.id.clone()>
            <td class="small nowrap">{when}</td>
            <td><code>{t.skill.clone()}</code></td>
            <td>{state_badge(&t.state)}</td>
            <td class="small">{t.key_name.clone().unwrap_or_default()}</td>
            <td class="small">{route}</td>
            <td class="small mcp-input">{t.input.clone()}</td>
            <td class="num small">{duration}</td>
            <td class="small text-error mcp-error">{t.error.clone().unwrap_or_default()}</td>
            <td class="cell-actions">{action}</td>
        </tr>
    }
    .into_any()
}

fn tasks_view(p: TaskPage, audit_page: u64, cancel: ServerAction<CancelA2aTask>) -> AnyView {
    let outcome = move || {
        cancel.value().get().map(|r| match r {
            Ok(m) => view! { <p class="alert alert-ok" role="status" id="cancel-result">{m}</p> }.into_any(),
            Err(e) => view! { <p class="alert alert-error" role="alert" id="cancel-result">{error_text(&e)}</p> }.into_any(),
        })
    };
    let body = if p.tasks.is_empty() {
        view! { <p class="muted" id="tasks-empty">"No A2A task yet. An agent sends one with message/send to the A2A endpoint."</p> }.into_any()
    } else {
        let rows = p
            .tasks
            .into_iter()
            .map(|t| task_row(t, cancel))
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table" id="tasks-table">
                    <thead><tr><th>"Created"</th><th>"Skill"</th><th>"State"</th><th>"Key"</th><th>"Route"</th><th>"Input"</th><th class="num">"Took"</th><th>"Error"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {pager("Task pages", "tasks-pager", p.page, p.total, p.per_page, move |n| href(audit_page, n))}
        }
        .into_any()
    };
    view! {
        <section class="card section" aria-labelledby="tasks-title" id="a2a-tasks">
            <h2 id="tasks-title" class="card-title">"A2A tasks"</h2>
            {outcome}
            {body}
        </section>
    }
    .into_any()
}
