//! Settings → General: `GET /api/settings/general` (read-only: where the data lives, the
//! database size, the automatic backups kept in `DATA_DIR/db_backups/`), and
//! `POST /api/settings/general/import`, the dashboard's form upload of a database: it goes
//! through `POST /api/db-backups/import` (same validation) and answers with a redirect back to
//! the General tab carrying the outcome, so it works without JavaScript.

use crate::http::system::SystemState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Value};

/// Backups listed, newest first.
const MAX_LISTED: usize = 20;

pub async fn get_settings(State(system): State<SystemState>) -> Json<Value> {
    let config = system.app.config();
    let db_path = config.db_path();
    let dir = config.data_dir.join("db_backups");
    let mut backups: Vec<(String, u64, i64)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let meta = e.metadata().ok()?;
                    if !meta.is_file() {
                        return None;
                    }
                    let modified = meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_secs() as i64);
                    Some((
                        e.file_name().to_string_lossy().into_owned(),
                        meta.len(),
                        modified,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    backups.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| b.0.cmp(&a.0)));
    let listed: Vec<Value> = backups
        .iter()
        .take(MAX_LISTED)
        .map(|(name, size, modified)| {
            json!({"name": name, "sizeBytes": size, "modified": crate::usage::iso(*modified)})
        })
        .collect();
    Json(json!({
        "dataDir": config.data_dir.display().to_string(),
        "databasePath": db_path.display().to_string(),
        "databaseSizeBytes": crate::store::database_size(&db_path),
        "backupsDir": dir.display().to_string(),
        "autoBackup": !config.disable_sqlite_auto_backup,
        "backups": listed,
        "backupCount": backups.len(),
    }))
}

/// The form upload: imports, then sends the browser back to the General tab.
pub async fn import_form(
    State(system): State<SystemState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = crate::http::system::backups::import(State(system), headers, body).await;
    let response = match outcome {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let target = if status.is_success() {
        let tables = match answer.get("tables") {
            Some(Value::Array(list)) => list.len(),
            Some(Value::Object(map)) => map.len(),
            _ => 0,
        };
        format!("/dashboard/settings?tab=general&imported={tables}")
    } else {
        let message = answer
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the import was refused");
        format!(
            "/dashboard/settings?tab=general&import_error={}",
            encode(message)
        )
    };
    Redirect::to(&target).into_response()
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
