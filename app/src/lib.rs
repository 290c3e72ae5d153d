//! The dashboard: components, pages and server functions. Compiled twice: with `ssr` into the
//! server (which renders pages and runs server functions) and with `hydrate` into the wasm
//! bundle (which makes the rendered pages interactive).
//!
//! - `api/`: server functions and the types they share with the browser (one per file).
//! - `backend`: (ssr only) the trait the server implements so server functions can reach it.
//! - `components/`: the layout, navigation, theme switch, cards.
//! - `pages/`: one module per page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod format;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// Applies the saved theme before the first paint, so a dark-theme user never sees a white flash.
const THEME_BOOT_SCRIPT: &str = "try{var t=localStorage.getItem('omniroute-theme');if(t==='light'||t==='dark'){document.documentElement.dataset.theme=t}}catch(e){}";

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script>{THEME_BOOT_SCRIPT}</script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="omniroute-css" href="/pkg/omniroute.css"/>
        <Title text="OmniRoute"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <ParentRoute path=path!("/dashboard") view=components::layout::DashboardLayout>
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::InOrder/>
                    <Route path=path!("health") view=pages::health::HealthPage ssr=SsrMode::InOrder/>
                    <Route path=path!("providers") view=pages::providers::ProvidersPage ssr=SsrMode::InOrder/>
                    <Route path=path!("combos") view=pages::combos::CombosPage ssr=SsrMode::InOrder/>
                    <Route path=path!("translator") view=pages::translator::TranslatorPage ssr=SsrMode::InOrder/>
                    <Route path=path!("usage") view=pages::usage::UsagePage ssr=SsrMode::InOrder/>
                    <Route path=path!("costs") view=pages::costs::CostsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("logs") view=pages::logs::LogsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("api-manager") view=pages::api_manager::ApiManagerPage ssr=SsrMode::InOrder/>
                    <Route path=path!("endpoints") view=pages::endpoints::EndpointsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("cli-tools") view=pages::cli_tools::CliToolsPage ssr=SsrMode::InOrder/>
                    <Route path=path!("mcp") view=pages::mcp::McpPage ssr=SsrMode::InOrder/>
                    <Route path=path!("settings") view=pages::settings::SettingsPage ssr=SsrMode::InOrder/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
