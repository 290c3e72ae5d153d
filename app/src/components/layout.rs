//! The dashboard frame: sidebar navigation, top bar (theme, log out), and the page outlet.
//! An area is listed here only once its page works.

use super::theme::ThemeSwitch;
use crate::api::appearance_settings::get_appearance;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

struct NavItem {
    href: &'static str,
    label: &'static str,
    icon: &'static str,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/dashboard",
        label: "Home",
        icon: "M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5",
    },
    NavItem {
        href: "/dashboard/providers",
        label: "Providers",
        icon: "M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01",
    },
    NavItem {
        href: "/dashboard/combos",
        label: "Combos",
        icon: "M4 6h16M4 12h10M4 18h6M18 14l3 3-3 3",
    },
    NavItem {
        href: "/dashboard/usage",
        label: "Usage",
        icon: "M4 20V10M10 20V4M16 20v-7M22 20H2",
    },
    NavItem {
        href: "/dashboard/costs",
        label: "Costs",
        icon: "M12 2v20M17 6H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6",
    },
    NavItem {
        href: "/dashboard/logs",
        label: "Logs",
        icon: "M4 6h16M4 12h16M4 18h10",
    },
    NavItem {
        href: "/dashboard/health",
        label: "Health",
        icon: "M3 12h4l3-8 4 16 3-8h4",
    },
    NavItem {
        href: "/dashboard/api-manager",
        label: "API Manager",
        icon: "M8 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM12 12h9M18 12v3M21 12v3",
    },
    NavItem {
        href: "/dashboard/endpoints",
        label: "Endpoints",
        icon: "M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1",
    },
    NavItem {
        href: "/dashboard/cli-tools",
        label: "CLI Tools",
        icon: "M4 17l6-6-6-6M12 19h8",
    },
    NavItem {
        href: "/dashboard/mcp",
        label: "MCP & A2A",
        icon: "M12 2l8 4.5v9L12 20l-8-4.5v-9zM12 11l8-4.5M12 11v9M12 11L4 6.5",
    },
    NavItem {
        href: "/dashboard/translator",
        label: "Translator",
        icon: "M4 7h11l-3-3M20 17H9l3 3",
    },
    NavItem {
        href: "/dashboard/settings",
        label: "Settings",
        icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
    },
];

#[component]
pub fn DashboardLayout() -> impl IntoView {
    provide_context(super::theme::ThemeChoice::new());
    // Settings → Appearance (stored on the server): hidden entries and the compact sidebar.
    let appearance = Resource::new(|| (), |_| get_appearance());
    let look = move || appearance.get().and_then(Result::ok).unwrap_or_default();
    let compact = move || look().compact_sidebar;
    let shown = move |href: &str| {
        let slug = href
            .trim_start_matches("/dashboard")
            .trim_start_matches('/');
        !look().hidden_nav.iter().any(|h| h == slug)
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="app-frame">
            <Transition fallback=|| view! { <aside class="sidebar" aria-label="Main navigation"></aside> }>
            <aside class=move || if compact() { "sidebar compact" } else { "sidebar" } aria-label="Main navigation">
                <a class="brand" href="/dashboard">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span class="brand-name">"OmniRoute"</span>
                </a>
                <nav>
                    <ul class="nav-list">
                        {move || NAV
                            .iter()
                            .filter(|item| shown(item.href))
                            .map(|item| {
                                view! {
                                    <li>
                                        <A href=item.href attr:class="nav-link" attr:title=item.label exact=item.href == "/dashboard">
                                            <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                                                <path d=item.icon></path>
                                            </svg>
                                            <span>{item.label}</span>
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <p class="sidebar-foot">
                    "v" {env!("CARGO_PKG_VERSION")} " · "
                    <a href="/api/openapi.json" id="openapi-link" rel="external" target="_blank" title="The management API as an OpenAPI 3.1 document">"API (OpenAPI)"</a>
                </p>
            </aside>
            </Transition>
            <div class="main-column">
                <header class="topbar">
                    <ThemeSwitch/>
                    <form method="post" action="/api/auth/logout" class="logout-form">
                        <button type="submit" class="btn btn-ghost" id="logout">"Log out"</button>
                    </form>
                </header>
                <main id="main" class="content" tabindex="-1">
                    <Outlet/>
                </main>
            </div>
        </div>
    }
}
