//! The login page. A plain HTML form posting to `/api/auth/login`: it works the same with and
//! without JavaScript. The server answers a form post with a redirect: to the dashboard, or
//! back here with `?error=`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn error_message(code: &str) -> Option<&'static str> {
    match code {
        "invalid" => Some("Wrong password. Try again."),
        "locked" => {
            Some("Too many failed attempts from this address. Wait 15 minutes and try again.")
        }
        "missing" => Some("Enter the password."),
        "" => None,
        _ => Some("Login failed. Try again."),
    }
}

/// Only same-site paths may be redirected to after login.
pub fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error").unwrap_or_default());
    let next = move || {
        query.with(|q| {
            q.get("next")
                .and_then(|n| safe_next(&n).map(str::to_string))
                .unwrap_or_else(|| "/dashboard".to_string())
        })
    };
    view! {
        <Title text="Log in · OmniRoute"/>
        <main class="centered-page">
            <div class="card narrow login-card">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span class="brand-name">"OmniRoute"</span>
                </div>
                <h1>"Log in to the dashboard"</h1>
                {move || {
                    error_message(&error())
                        .map(|msg| view! { <p class="alert alert-error" role="alert" id="login-error">{msg}</p> })
                }}
                <form method="post" action="/api/auth/login" class="form-stack" id="login-form">
                    <input type="hidden" name="next" value=next/>
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        autofocus
                    />
                    <button type="submit" class="btn btn-primary" id="login-submit">"Log in"</button>
                </form>
                <p class="muted small">
                    "Forgot it? Run " <code>"omniroute reset-password"</code> " on the server."
                </p>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            safe_next("/dashboard/settings"),
            Some("/dashboard/settings")
        );
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
    }
}
