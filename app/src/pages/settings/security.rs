//! Settings → Security: the dashboard password, the request guards (a key for the model
//! lists, the prompt-injection guard) and IP access control (allow / deny lists).

use super::json_card::JsonSettingsCard;
use super::password_card::PasswordCard;
use crate::api::error_text;
use crate::api::ip_access_settings::{get_ip_access, SaveIpAccess};
use crate::api::security_settings::{get_security_settings, SaveSecuritySettings};
use crate::components::toast::{announce, toast_slot, Toast};
use leptos::prelude::*;

const GUARD_MODES: [(&str, &str); 4] = [
    ("off", "Off"),
    ("log", "Log: write a warning to the server log"),
    (
        "flag",
        "Flag: log, and add an x-omniroute-injection-warning header",
    ),
    ("block", "Block: refuse with a 400 in the client's format"),
];

#[component]
pub(super) fn SecurityTab() -> impl IntoView {
    let guard = ServerAction::<SaveSecuritySettings>::new();
    let guard_now = Resource::new(move || guard.version().get(), |_| get_security_settings());
    let ip = ServerAction::<SaveIpAccess>::new();
    let ip_now = Resource::new(move || ip.version().get(), |_| get_ip_access());
    let toast = toast_slot();
    announce(toast, guard, |_| "Security settings saved.".to_string());
    announce(toast, ip, |_| "IP access control saved.".to_string());
    view! {
        <div class="card-grid card-grid-wide">
            <PasswordCard/>
            <Transition fallback=super::card_skeleton>
                {move || guard_now.get().map(|r| match r {
                    Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                    Ok(s) => view! {
                        <section class="card" id="guard-card" aria-labelledby="guard-title">
                            <h2 id="guard-title" class="card-title">"Client API guards"</h2>
                            <ActionForm action=guard attr:class="form-stack" attr:id="guard-form">
                                <label class="check">
                                    <input type="checkbox" name="models_require_key" id="models_require_key" checked=s.models_require_key/>
                                    "Require an API key for the model lists (GET /v1/models, /v1beta/models)"
                                </label>
                                <p class="field-hint">"Otherwise the lists follow the /v1 rule: a key is needed when REQUIRE_API_KEY=true or the server listens beyond loopback."</p>
                                <label for="injection_guard">"Prompt-injection guard"</label>
                                <select id="injection_guard" name="injection_guard">
                                    {GUARD_MODES.iter().map(|(v, l)| {
                                        let selected = s.injection_guard == *v;
                                        view! { <option value=*v selected=selected>{*l}</option> }
                                    }).collect_view()}
                                </select>
                                <p class="field-hint">"Looks at the latest user message for phrases such as \"ignore all previous instructions\" or \"reveal your system prompt\"."</p>
                                <button type="submit" class="btn btn-primary" id="guard-submit" disabled=move || guard.pending().get()>"Save"</button>
                            </ActionForm>
                            {move || super::outcome("guard-result", guard.value().get(), |_| "Saved.".to_string())}
                        </section>
                    }.into_any(),
                })}
            </Transition>
            <JsonSettingsCard
                namespace="provider-blocking"
                title="Provider blocking"
                help="Providers that no request may reach, whatever model or combo names them."
            />
            <Transition fallback=super::card_skeleton>
                {move || ip_now.get().map(|r| match r {
                    Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                    Ok(s) => view! {
                        <section class="card" id="ip-card" aria-labelledby="ip-title">
                            <h2 id="ip-title" class="card-title">"IP access control"</h2>
                            <p class="muted small">"Addresses or CIDR ranges, one per line. Deny wins over allow; an empty allow list admits everyone not denied. Loopback is always admitted, so you cannot lock yourself out here."</p>
                            <ActionForm action=ip attr:class="form-stack" attr:id="ip-form">
                                <label class="check"><input type="checkbox" name="enabled" id="ip_enabled" checked=s.enabled/>"Enforce these lists"</label>
                                <label for="ip_allow">"Allow"</label>
                                <textarea id="ip_allow" name="allow" rows="4" placeholder="192.168.1.0/24">{s.allow.join("\n")}</textarea>
                                <label for="ip_deny">"Deny"</label>
                                <textarea id="ip_deny" name="deny" rows="3" placeholder="203.0.113.7">{s.deny.join("\n")}</textarea>
                                <button type="submit" class="btn btn-primary" id="ip-submit" disabled=move || ip.pending().get()>"Save"</button>
                            </ActionForm>
                            {move || super::outcome("ip-result", ip.value().get(), |_| "Saved.".to_string())}
                        </section>
                    }.into_any(),
                })}
            </Transition>
        </div>
        <Toast message=toast/>
    }
}
