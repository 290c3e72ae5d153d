//! Settings → AI: the default thinking budget and the global system prompt (applied to every
//! /v1 chat request in its own dialect), and the response cache (its statistics and switch).

use crate::api::ai_settings::{get_ai_settings, SaveAiSettings};
use crate::api::cache_settings::{get_cache_stats, SaveCacheSettings};
use crate::api::error_text;
use crate::components::toast::{announce, toast_slot, Toast};
use crate::format;
use leptos::prelude::*;

#[component]
pub(super) fn AiTab() -> impl IntoView {
    let action = ServerAction::<SaveAiSettings>::new();
    let current = Resource::new(move || action.version().get(), |_| get_ai_settings());
    let cache_action = ServerAction::<SaveCacheSettings>::new();
    let cache = Resource::new(move || cache_action.version().get(), |_| get_cache_stats());
    let toast = toast_slot();
    announce(toast, action, |_| "AI settings saved.".to_string());
    announce(toast, cache_action, |_| "Cache settings saved.".to_string());
    view! {
        <div class="card-grid card-grid-wide">
            <Transition fallback=super::card_skeleton>
                {move || {
                    current.get().map(|r| match r {
                        Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                        Ok(s) => {
                            let append = s.system_prompt_position == "append";
                            view! {
                                <section class="card" id="ai-card" aria-labelledby="ai-title">
                                    <h2 id="ai-title" class="card-title">"Requests"</h2>
                                    <ActionForm action=action attr:class="form-stack" attr:id="ai-form">
                                        <label for="thinking_budget">"Default thinking budget (tokens)"</label>
                                        <input id="thinking_budget" name="thinking_budget" type="number" min="0" max="200000" step="1" value=s.thinking_budget.to_string() required/>
                                        <p class="field-hint">"Given to requests that ask for no reasoning of their own; 0 leaves them alone. OpenAI-style clients get the nearest effort (low, medium, high)."</p>
                                        <label for="system_prompt">"Global system prompt " <span class="optional">"(optional)"</span></label>
                                        <textarea id="system_prompt" name="system_prompt" rows="5" maxlength="20000" placeholder="e.g. Answer in British English.">{s.system_prompt.clone()}</textarea>
                                        <label for="system_prompt_position">"Place it"</label>
                                        <select id="system_prompt_position" name="system_prompt_position">
                                            <option value="prepend" selected=!append>"Before the client's system prompt"</option>
                                            <option value="append" selected=append>"After the client's system prompt"</option>
                                        </select>
                                        <p class="field-hint">"Added to every /v1 request: OpenAI, Claude, Gemini and Responses dialects alike. Empty adds nothing."</p>
                                        <button type="submit" class="btn btn-primary" id="ai-submit" disabled=move || action.pending().get()>"Save"</button>
                                    </ActionForm>
                                    {move || super::outcome("ai-result", action.value().get(), |_| "Saved.".to_string())}
                                </section>
                            }
                            .into_any()
                        }
                    })
                }}
            </Transition>
            <Transition fallback=super::card_skeleton>
                {move || {
                    cache.get().map(|r| match r {
                        Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                        Ok(c) => view! {
                            <section class="card" id="cache-card" aria-labelledby="cache-title">
                                <h2 id="cache-title" class="card-title">"Response cache"</h2>
                                <p class="muted small">"Identical non-streaming requests within the lifetime are answered from memory."</p>
                                <dl class="kv kv-compact">
                                    <dt>"Hit rate"</dt><dd data-field="hit-rate">{format!("{:.1}%", c.hit_rate * 100.0)}</dd>
                                    <dt>"Hits / misses"</dt><dd>{format!("{} / {}", c.hits, c.misses)}</dd>
                                    <dt>"Entries"</dt><dd>{format!("{} of {}", c.entries, c.max_entries)}</dd>
                                    <dt>"Memory"</dt><dd>{format!("{} of {}", format::bytes(c.bytes), format::bytes(c.max_bytes))}</dd>
                                </dl>
                                <ActionForm action=cache_action attr:class="form-stack" attr:id="cache-form">
                                    <label class="check"><input type="checkbox" name="enabled" id="cache_enabled" checked=c.enabled/>"Cache responses"</label>
                                    <label for="ttl_secs">"Lifetime (seconds)"</label>
                                    <input id="ttl_secs" name="ttl_secs" type="number" min="1" max="604800" value=c.ttl_secs.to_string() required/>
                                    <button type="submit" class="btn btn-primary" id="cache-submit" disabled=move || cache_action.pending().get()>"Save"</button>
                                </ActionForm>
                                {move || super::outcome("cache-result", cache_action.value().get(), |_| "Saved.".to_string())}
                            </section>
                        }
                        .into_any(),
                    })
                }}
            </Transition>
        </div>
        <Toast message=toast/>
    }
}
