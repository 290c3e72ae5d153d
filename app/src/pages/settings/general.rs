//! Settings → General: where the data lives, database export (.sqlite) and export all
//! (.tar.gz, without credentials), import of a .sqlite file (a plain form upload, validated by
//! the server; the outcome comes back in the address), and the automatic backups.

use crate::api::error_text;
use crate::api::general_settings::get_general_info;
use crate::format;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub(super) fn GeneralTab() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_general_info());
    let query = use_query_map();
    let imported = move || query.with(|q| q.get("imported"));
    let import_error = move || query.with(|q| q.get("import_error"));
    view! {
        <div class="card-grid card-grid-wide">
            <Transition fallback=super::card_skeleton>
                {move || {
                    info.get()
                        .map(|r| match r {
                            Err(e) => view! { <section class="card"><p class="alert alert-error" role="alert">{error_text(&e)}</p></section> }.into_any(),
                            Ok(g) => {
                                let backups = if g.backups.is_empty() {
                                    view! { <p class="muted small" id="backups-empty">"No automatic backup yet: one is made before each import."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table" id="backups">
                                                <thead><tr><th scope="col">"File"</th><th scope="col">"Size"</th><th scope="col">"Made"</th></tr></thead>
                                                <tbody>
                                                    {g.backups
                                                        .iter()
                                                        .map(|b| view! {
                                                            <tr>
                                                                <td><code>{b.name.clone()}</code></td>
                                                                <td>{format::bytes(b.size_bytes)}</td>
                                                                <td>{b.modified.replace('T', " ").replace('Z', " UTC")}</td>
                                                            </tr>
                                                        })
                                                        .collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }
                                    .into_any()
                                };
                                view! {
                                    <section class="card" id="storage" aria-labelledby="storage-title">
                                        <h2 id="storage-title" class="card-title">"Storage"</h2>
                                        <dl class="kv">
                                            <dt>"Data directory"</dt>
                                            <dd data-field="data-dir"><code>{g.data_dir.clone()}</code></dd>
                                            <dt>"Database"</dt>
                                            <dd><code>{g.database_path.clone()}</code></dd>
                                            <dt>"Database size"</dt>
                                            <dd data-field="db-size">{format::bytes(g.database_size_bytes)}</dd>
                                            <dt>"Backup before import"</dt>
                                            <dd>{if g.auto_backup { "On" } else { "Off (DISABLE_SQLITE_AUTO_BACKUP=true)" }}</dd>
                                        </dl>
                                    </section>
                                    <section class="card" id="backups-card" aria-labelledby="backups-title">
                                        <h2 id="backups-title" class="card-title">"Automatic backups"</h2>
                                        <p class="muted small">"Kept in " <code>{g.backups_dir.clone()}</code> {format!(" ({} in all).", g.backup_count)}</p>
                                        {backups}
                                    </section>
                                }
                                .into_any()
                            }
                        })
                }}
            </Transition>
            <section class="card" id="database-card" aria-labelledby="db-title">
                <h2 id="db-title" class="card-title">"Database export and import"</h2>
                <p class="muted small">"The export is a consistent copy of the live database. \"Export all\" leaves out credentials (provider keys, the password, sessions) and adds the settings as JSON."</p>
                <div class="btn-row">
                    <a class="btn btn-ghost" id="export-db" href="/api/db-backups/export" download>"Export database (.sqlite)"</a>
                    <a class="btn btn-ghost" id="export-all" href="/api/db-backups/exportAll" download>"Export all (.tar.gz)"</a>
                </div>
                <form class="form-stack import-form" id="import-form" method="post" action="/api/settings/general/import" enctype="multipart/form-data">
                    <label for="import-file">"Import a database (.sqlite, at most 100 MB)"</label>
                    <input id="import-file" name="file" type="file" accept=".sqlite,.db,application/vnd.sqlite3,application/x-sqlite3" required/>
                    <p class="field-hint">"It is checked first (SQLite header, integrity, OmniRoute tables, not from a newer version). It replaces providers, keys, combos and settings; your password and sessions stay."</p>
                    <button type="submit" class="btn btn-primary" id="import-submit">"Import"</button>
                </form>
                {move || imported().map(|n| view! {
                    <p class="alert alert-ok" role="status" id="import-result">{format!("Imported: {n} tables replaced. The previous database was backed up first.")}</p>
                })}
                {move || import_error().map(|m| view! {
                    <p class="alert alert-error" role="alert" id="import-result">{format!("Import refused: {m}.")}</p>
                })}
            </section>
        </div>
    }
}
