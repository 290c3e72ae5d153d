//! Settings → Security → the dashboard password.

use crate::api::change_password::ChangePassword;
use crate::api::error_text;
use leptos::prelude::*;

#[component]
pub(super) fn PasswordCard() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let result = action.value();
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title" class="card-title">"Dashboard password"</h2>
            <p class="muted small">
                "At least 8 characters. Changing it logs out every other browser session."
            </p>
            <ActionForm action=action attr:class="form-stack" attr:id="password-form">
                <label for="current_password">"Current password"</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
                <label for="new_password">"New password"</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required/>
                <label for="confirm_password">"Confirm new password"</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="8" required/>
                <button type="submit" class="btn btn-primary" id="password-submit" disabled=move || action.pending().get()>
                    "Change password"
                </button>
            </ActionForm>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(()) => view! { <p class="alert alert-ok" role="status" id="password-result">"Password changed."</p> }.into_any(),
                        Err(e) => view! { <p class="alert alert-error" role="alert" id="password-result">{error_text(&e)}</p> }.into_any(),
                    })
            }}
        </section>
    }
}
