//! Endpoints: the base URLs of this server as your browser reaches it, each with a copy
//! button, whether /v1 needs a key, and which keys exist. Only endpoints that work are listed.

use crate::api::endpoints_info::{endpoints, get_endpoints_info, Endpoint, EndpointsInfo};
use crate::api::error_text;
use crate::components::copy::CopyButton;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EndpointsPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_endpoints_info());
    view! {
        <Title text="Endpoints · OmniRoute"/>
        <div class="page-head">
            <h1>"Endpoints"</h1>
            <p class="muted">
                "Point your tools and SDKs at these URLs. Ready-made configurations for Claude Code, Codex, Cursor and others are under "
                <a href="/dashboard/cli-tools">"CLI Tools"</a> "."
            </p>
        </div>
        <Transition fallback=|| view! { <div class="skeleton-lines" aria-busy="true"></div> }>
            {move || {
                info.get()
                    .map(|result| match result {
                        Ok(i) => endpoints_view(i),
                        Err(e) => {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    "Could not read the endpoints: " {error_text(&e)}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

fn endpoint_row(e: Endpoint) -> AnyView {
    let url = e.url.clone();
    view! {
        <li class="endpoint" data-endpoint=e.id>
            <div class="endpoint-text">
                <h3>{e.title}</h3>
                <p class="muted small">{e.note}</p>
            </div>
            <div class="url-row">
                <code class="url" data-field="url">{e.url.clone()}</code>
                <CopyButton text=Signal::derive(move || url.clone()) what=format!("the {} URL", e.title)/>
            </div>
        </li>
    }
    .into_any()
}

fn endpoints_view(info: EndpointsInfo) -> AnyView {
    let list = endpoints(&info.base_url);
    let auth = if info.key_required {
        view! { <span class="badge badge-neutral" id="key-required">"API key required"</span> }
            .into_any()
    } else {
        view! { <span class="badge badge-ok" id="key-required">"No key needed"</span> }.into_any()
    };
    let keys = if info.keys.is_empty() {
        view! {
            <p class="muted" id="endpoint-keys-empty">
                "No API keys yet. " <a href="/dashboard/api-manager#create-key">"Create one"</a>
                " in the API Manager."
            </p>
        }
        .into_any()
    } else {
        view! {
            <ul class="key-list" id="endpoint-keys">
                {info
                    .keys
                    .into_iter()
                    .map(|k| {
                        let state = if k.usable {
                            view! { <span class="badge badge-ok">"Usable"</span> }.into_any()
                        } else {
                            view! { <span class="badge badge-off">"Not usable"</span> }.into_any()
                        };
                        let data_key = k.name.clone();
                        view! {
                            <li data-key=data_key>
                                <span class="key-name">{k.name}</span>
                                <code class="secret">{k.prefix}</code>
                                {state}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card section" aria-labelledby="base-urls-title">
            <h2 id="base-urls-title" class="card-title">"Base URLs"</h2>
            <ul class="endpoint-list" id="endpoint-list">
                {list.into_iter().map(endpoint_row).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="auth-title" id="endpoint-auth">
            <h2 id="auth-title" class="card-title">"Authentication " {auth}</h2>
            <p class="small" id="key-policy">{info.key_policy}</p>
            <p class="muted small">
                "Send a key as " <code>"Authorization: Bearer <key>"</code> ", " <code>"x-api-key"</code>
                " (Anthropic clients), " <code>"x-goog-api-key"</code> " or " <code>"?key="</code> " (Gemini clients)."
            </p>
            <h3 class="subhead">"Keys"</h3>
            {keys}
            <p class="small"><a href="/dashboard/api-manager">"Manage keys"</a></p>
        </section>
    }
    .into_any()
}
