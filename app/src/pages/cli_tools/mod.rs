//! CLI Tools: ready-to-paste configuration for Claude Code, Codex CLI, Cursor, Cline /
//! Continue / RooCode and OpenClaw, filled with this server's URL, a key and a model. For the
//! tools whose configuration file lives on this machine, "Apply" previews the merged file as
//! a diff and writes it (keeping a backup) — only when the dashboard is opened on this
//! machine.

pub mod snippets;

use crate::api::apply_cli_config::{apply_cli_config, CliApplied};
use crate::api::cli_setup::{get_cli_setup, CliSetup};
use crate::api::error_text;
use crate::api::preview_cli_config::{preview_cli_config, CliConfigInput, CliPreview};
use crate::api::reveal_api_key::reveal_api_key;
use crate::components::copy::CopyButton;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

/// The choices every snippet is filled with.
#[derive(Clone, Copy)]
struct Choice {
    base: StoredValue<String>,
    key: RwSignal<String>,
    model: RwSignal<String>,
    /// Ok(home) when Apply may write files here, else why not.
    apply: StoredValue<Result<String, String>>,
}

#[component]
pub fn CliToolsPage() -> impl IntoView {
    let setup = Resource::new(|| (), |_| get_cli_setup());
    view! {
        <Title text="CLI Tools · OmniRoute"/>
        <div class="page-head">
            <h1>"CLI Tools"</h1>
            <p class="muted">
                "Configuration for your coding tools, filled with this server's address. Choose a key and a model, then copy — or, for tools configured by a file on this machine, apply it."
            </p>
        </div>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || {
                setup
                    .get()
                    .map(|result| match result {
                        Ok(s) => tools_view(s),
                        Err(e) => {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    "Could not read the set-up: " {error_text(&e)}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

fn tools_view(s: CliSetup) -> AnyView {
    let choice = Choice {
        base: StoredValue::new(s.base_url.clone()),
        key: RwSignal::new(String::new()),
        model: RwSignal::new(s.models.first().cloned().unwrap_or_default()),
        apply: StoredValue::new(s.apply.clone()),
    };
    view! {
        {choices_card(&s, choice)}
        {view! {
        <div class="tool-grid">
            <ToolCard
                tool="claude"
                title="Claude Code"
                file="~/.claude/settings.json"
                lead="Claude Code talks to the Claude-compatible root: ANTHROPIC_BASE_URL without /v1."
                snippet=Signal::derive(move || snippets::claude(&choice.base.get_value(), &choice.key.get(), &choice.model.get()))
                choice
            />
            <ToolCard
                tool="codex"
                title="Codex CLI"
                file="~/.codex/config.toml"
                lead="A custom provider on the Responses API. Codex reads the key from OMNIROUTE_API_KEY:"
                snippet=Signal::derive(move || snippets::codex_toml(&choice.base.get_value(), &choice.model.get()))
                choice
            >
                <CodeBlock id="snippet-codex-env" label="Codex key variable" caption="Shell (e.g. ~/.bashrc)" text=Signal::derive(move || snippets::codex_env(&choice.key.get()))/>
                <p class="muted small">"Or, without a config file, with the OpenAI variables (the root URL, no /v1):"</p>
                <CodeBlock
                    id="snippet-codex-alt"
                    label="Codex with OPENAI_BASE_URL"
                    caption="Shell"
                    text=Signal::derive(move || snippets::codex_env_only(&choice.base.get_value(), &choice.key.get(), &choice.model.get()))
                />
            </ToolCard>
            <ToolCard
                tool="cursor"
                title="Cursor"
                file="Settings → Models → Advanced"
                lead="Override the OpenAI base URL and key, then add the model by name."
                snippet=Signal::derive(move || snippets::cursor(&choice.base.get_value(), &choice.key.get(), &choice.model.get()))
                choice
            />
            <ToolCard
                tool="cline"
                title="Cline / Continue / RooCode"
                file="API provider: OpenAI Compatible"
                lead="Choose the OpenAI Compatible provider and fill in:"
                snippet=Signal::derive(move || snippets::cline(&choice.base.get_value(), &choice.key.get(), &choice.model.get()))
                choice
            />
            <ToolCard
                tool="openclaw"
                title="OpenClaw"
                file="~/.openclaw/openclaw.json"
                lead="An omniroute provider on the OpenAI-compatible API, and the default model."
                snippet=Signal::derive(move || snippets::openclaw(&choice.base.get_value(), &choice.key.get(), &choice.model.get()))
                choice
            />
        </div>
        }.into_any()}
    }
    .into_any()
}

fn choices_card(s: &CliSetup, choice: Choice) -> AnyView {
    let keys = s.keys.clone();
    let key_names = StoredValue::new(keys.clone());
    let selected_key = RwSignal::new(String::new());
    let reveal_error = RwSignal::new(None::<String>);
    let pick_key = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        selected_key.set(id.clone());
        reveal_error.set(None);
        choice.key.set(String::new());
        let revealable = key_names.with_value(|k| k.iter().any(|k| k.id == id && k.revealable));
        if revealable {
            spawn_local(async move {
                match reveal_api_key(id).await {
                    Ok(key) => choice.key.set(key),
                    Err(e) => reveal_error.set(Some(error_text(&e))),
                }
            });
        }
    };
    let key_hint = move || {
        let id = selected_key.get();
        let picked = key_names.with_value(|k| k.iter().find(|k| k.id == id).cloned());
        match picked {
            Some(k) if k.revealable => format!("The key “{}” is filled in (revealing is on).", k.name),
            Some(k) => format!(
                "Paste the full key of “{}” ({}): the server keeps only its hash.",
                k.name, k.prefix
            ),
            None if key_names.with_value(Vec::is_empty) => "No keys yet: create one in the API Manager, or leave this empty to see a placeholder.".to_string(),
            None => "Paste a key, or leave this empty to see a placeholder.".to_string(),
        }
    };
    let model_field = if s.models.is_empty() {
        view! {
            <input
                id="cli-model"
                type="text"
                placeholder="e.g. openai/gpt-4o"
                autocomplete="off"
                aria-describedby="cli-model-hint"
                prop:value=move || choice.model.get()
                on:input=move |ev| choice.model.set(event_target_value(&ev))
            />
            <p class="field-hint" id="cli-model-hint">
                "No connection serves a model yet: " <a href="/dashboard/providers">"add a provider"</a> ", or type a model."
            </p>
        }
        .into_any()
    } else {
        let models = s.models.clone();
        view! {
            <select id="cli-model" prop:value=move || choice.model.get() on:change=move |ev| choice.model.set(event_target_value(&ev))>
                {models
                    .into_iter()
                    .map(|m| {
                        let (value, label) = (m.clone(), m.clone());
                        view! { <option value=m selected=move || choice.model.get() == value>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-hint">"From the models your connections serve (" <code>"GET /v1/models"</code> ")."</p>
        }
        .into_any()
    };
    let required = if s.key_required {
        "This server requires a key on /v1."
    } else {
        "This server accepts /v1 requests without a key here, but a key that is sent must be valid."
    };
    view! {
        <section class="card section" id="cli-choices" aria-labelledby="cli-choices-title">
            <h2 id="cli-choices-title" class="card-title">"Fill in"</h2>
            <dl class="kv kv-compact">
                <dt>"Server"</dt>
                <dd><code id="cli-base">{s.base_url.clone()}</code></dd>
            </dl>
            <div class="field-pair">
                <div class="form-stack">
                    <label for="cli-key-select">"API key"</label>
                    <select id="cli-key-select" on:change=pick_key>
                        <option value="" selected>"Paste a key…"</option>
                        {keys
                            .into_iter()
                            .map(|k| view! { <option value=k.id.clone() disabled=!k.usable>{format!("{} ({})", k.name, k.prefix)}</option> })
                            .collect_view()}
                    </select>
                    <input
                        id="cli-key"
                        type="text"
                        placeholder="sk-or-…"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label="The full API key"
                        aria-describedby="cli-key-hint"
                        prop:value=move || choice.key.get()
                        on:input=move |ev| choice.key.set(event_target_value(&ev))
                    />
                    <p class="field-hint" id="cli-key-hint">{key_hint} " " {required}</p>
                    {move || reveal_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
                </div>
                <div class="form-stack">
                    <label for="cli-model">"Model"</label>
                    {model_field}
                </div>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn CodeBlock(
    id: &'static str,
    label: &'static str,
    /// What the block is: a file name, "Shell", "Settings".
    caption: &'static str,
    text: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="code-block">
            <div class="code-block-head">
                <span class="muted small">{caption}</span>
                <CopyButton text=text what=label/>
            </div>
            <pre class="code-snippet" id=id aria-label=label tabindex="0"><code>{move || text.get()}</code></pre>
        </div>
    }
}

#[component]
fn ToolCard(
    tool: &'static str,
    title: &'static str,
    file: &'static str,
    lead: &'static str,
    snippet: Signal<String>,
    choice: Choice,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let appliable = matches!(tool, "claude" | "codex" | "openclaw");
    let snippet_id = match tool {
        "claude" => "snippet-claude",
        "codex" => "snippet-codex",
        "cursor" => "snippet-cursor",
        "cline" => "snippet-cline",
        _ => "snippet-openclaw",
    };
    view! {
        <section class="card tool-card" data-tool=tool aria-labelledby=format!("tool-{tool}-title")>
            <header class="tool-head">
                <h2 class="card-title" id=format!("tool-{tool}-title")>{title}</h2>
            </header>
            <p class="muted small">{lead}</p>
            <CodeBlock id=snippet_id label=title caption=file text=snippet/>
            {children.map(|c| c())}
            {appliable.then(|| apply_panel(tool, choice).into_any())}
        </section>
    }
}

fn apply_panel(tool: &'static str, choice: Choice) -> AnyView {
    let home = match choice.apply.get_value() {
        Ok(home) => home,
        Err(why) => {
            return view! { <p class="muted small apply-refused" data-field="apply-refused">{why}</p> }.into_any();
        }
    };
    let preview = RwSignal::new(None::<Result<CliPreview, String>>);
    let applied = RwSignal::new(None::<Result<CliApplied, String>>);
    let busy = RwSignal::new(false);
    let input = move || CliConfigInput {
        tool: tool.to_string(),
        key: choice.key.get_untracked(),
        model: choice.model.get_untracked(),
    };
    // A changed key or model makes a shown preview stale.
    Effect::new(move |first: Option<()>| {
        choice.key.track();
        choice.model.track();
        if first.is_some() {
            preview.set(None);
        }
    });
    let do_preview = move |_| {
        busy.set(true);
        applied.set(None);
        let input = input();
        spawn_local(async move {
            preview.set(Some(
                preview_cli_config(input).await.map_err(|e| error_text(&e)),
            ));
            busy.set(false);
        });
    };
    let do_apply = move |_| {
        let Some(Ok(p)) = preview.get_untracked() else {
            return;
        };
        busy.set(true);
        let input = input();
        spawn_local(async move {
            let result = apply_cli_config(input, p.old)
                .await
                .map_err(|e| error_text(&e));
            if result.is_ok() {
                preview.set(None);
            }
            applied.set(Some(result));
            busy.set(false);
        });
    };
    view! {
        <div class="apply-panel">
            <div class="btn-row">
                <button type="button" class="btn btn-sm btn-primary" data-action="preview" on:click=do_preview disabled=move || busy.get()>
                    "Apply to this machine…"
                </button>
                <span class="muted small">"Under " <code>{home}</code> "; shows the changes first."</span>
            </div>
            {move || preview.get().map(|p| match p {
                Ok(p) => preview_view(p, do_apply, busy, preview),
                Err(e) => view! { <p class="alert alert-error" role="alert" data-field="apply-error">{e}</p> }.into_any(),
            })}
            {move || applied.get().map(|r| match r {
                Ok(a) if a.unchanged => view! { <p class="alert alert-ok" role="status" data-field="applied">{a.path} " already had these settings; nothing was written."</p> }.into_any(),
                Ok(a) => {
                    let backup = match a.backup {
                        Some(b) => format!(" The previous file was saved as {b}."),
                        None => " It did not exist before.".to_string(),
                    };
                    view! { <p class="alert alert-ok" role="status" data-field="applied">"Wrote " <code>{a.path}</code> "." {backup}</p> }.into_any()
                }
                Err(e) => view! { <p class="alert alert-error" role="alert" data-field="apply-error">{e}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}

fn preview_view(
    p: CliPreview,
    do_apply: impl Fn(leptos::ev::MouseEvent) + Clone + 'static,
    busy: RwSignal<bool>,
    preview: RwSignal<Option<Result<CliPreview, String>>>,
) -> AnyView {
    let what = if !p.exists {
        "This file does not exist yet; it will be created:"
    } else if p.unchanged {
        "This file already has these settings."
    } else {
        "Changes to this file (your other settings stay; a backup is kept):"
    };
    let lines = p
        .diff
        .into_iter()
        .map(|l| {
            let (class, sign) = match l.kind.as_str() {
                "add" => ("diff-line diff-add", "+ "),
                "del" => ("diff-line diff-del", "- "),
                "skip" => ("diff-line diff-skip", "  "),
                _ => ("diff-line", "  "),
            };
            view! { <span class=class>{sign}{l.text}"\n"</span> }
        })
        .collect_view();
    let unchanged = p.unchanged;
    view! {
        <div class="diff-box" data-field="preview">
            <p class="small"><code>{p.path}</code> " — " {what}</p>
            <pre class="diff" tabindex="0" aria-label="Changes">{lines}</pre>
            <div class="btn-row">
                {(!unchanged).then(|| view! {
                    <button type="button" class="btn btn-sm btn-primary" data-action="apply" on:click=do_apply disabled=move || busy.get()>
                        "Write the file"
                    </button>
                })}
                <button type="button" class="btn btn-sm btn-ghost" data-action="cancel-apply" on:click=move |_| preview.set(None)>
                    "Cancel"
                </button>
            </div>
        </div>
    }
    .into_any()
}
