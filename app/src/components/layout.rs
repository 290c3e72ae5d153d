//! The dashboard frame: sidebar navigation, top bar (theme, log out), and the page outlet.
//! An area is listed here only once its page works.

use super::theme::ThemeSwitch;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

struct NavItem {
    href: &'static str,
    label: &'static str,
    icon: &'static str,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/dashboard/health",
        label: "Health",
        icon: "M3 12h4l3-8 4 16 3-8h4",
    },
    NavItem {
        href: "/dashboard/providers",
        label: "Providers",
        icon: "M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01",
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
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="app-frame">
            <aside class="sidebar" aria-label="Main navigation">
                <a class="brand" href="/dashboard/health">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span class="brand-name">"OmniRoute"</span>
                </a>
                <nav>
                    <ul class="nav-list">
                        {NAV
                            .iter()
                            .map(|item| {
                                view! {
                                    <li>
                                        <A href=item.href attr:class="nav-link">
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
                <p class="sidebar-foot">"v" {env!("CARGO_PKG_VERSION")}</p>
            </aside>
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
