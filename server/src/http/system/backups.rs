//! Database export and import (Settings → General), as in the user guide:
//!
//! - `GET /api/db-backups/export`: the database as a `.sqlite` file (a consistent copy made
//!   with `VACUUM INTO`, so the live database keeps serving).
//! - `GET /api/db-backups/exportAll`: a `.tar.gz` with a copy of the database **without
//!   credentials** (provider keys, revealable API keys, the dashboard password, sessions
//!   removed), the settings as JSON, and a manifest.
//! - `POST /api/db-backups/import`: a `.sqlite` file (multipart field `file`, or the raw body),
//!   at most 100 MB. It is validated first (SQLite header, `PRAGMA integrity_check`, the
//!   required tables, not written by a newer OmniRoute); a damaged file leaves the current
//!   database untouched. Unless DISABLE_SQLITE_AUTO_BACKUP=true, the current database is
//!   copied to `DATA_DIR/db_backups/` first. The data is then replaced in one transaction on
//!   the live database (the dashboard password and sessions are kept), and the routing
//!   snapshot and API keys are reloaded.

use super::SystemState;
use crate::http::error::ApiError;
use crate::store;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const MAX_IMPORT_BYTES: usize = 100 * 1024 * 1024;
/// Tables an import must have: without them it is not an OmniRoute database.
const REQUIRED_TABLES: &[&str] = &[
    "provider_connections",
    "provider_nodes",
    "api_keys",
    "key_value",
];
/// Kept from the live database on import.
const NEVER_IMPORTED: &[&str] = &["seaql_migrations", "sessions"];

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("{e}"))
}

fn backups_dir(system: &SystemState) -> Result<PathBuf, ApiError> {
    let dir = system.app.config().data_dir.join("db_backups");
    std::fs::create_dir_all(&dir)
        .map_err(|e| internal(format!("creating {}: {e}", dir.display())))?;
    Ok(dir)
}

fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

fn sql_string(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

/// A consistent copy of the live database at `path`.
async fn vacuum_into(db: &DatabaseConnection, path: &Path) -> Result<(), ApiError> {
    let _ = std::fs::remove_file(path);
    db.execute_unprepared(&format!("VACUUM INTO {}", sql_string(path)))
        .await
        .map_err(internal)?;
    Ok(())
}

/// Removes the temporary file when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_path(system: &SystemState, what: &str) -> Result<TempFile, ApiError> {
    Ok(TempFile(backups_dir(system)?.join(format!(
        ".{what}-{}.sqlite",
        crate::config::random_hex(6)
    ))))
}

fn attachment(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(bytes))
        .unwrap_or_default()
}

pub async fn export(State(system): State<SystemState>) -> Result<Response, ApiError> {
    let tmp = temp_path(&system, "export")?;
    vacuum_into(system.app.db(), &tmp.0).await?;
    let bytes = std::fs::read(&tmp.0).map_err(internal)?;
    Ok(attachment(
        bytes,
        "application/vnd.sqlite3",
        &format!("omniroute-{}.sqlite", stamp()),
    ))
}

async fn open_file(path: &Path, read_only: bool) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mode = if read_only { "ro" } else { "rw" };
    let mut options = ConnectOptions::new(format!("sqlite://{}?mode={mode}", path.display()));
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    Database::connect(options).await
}

async fn table_counts(
    db: &DatabaseConnection,
    schema: &str,
) -> Result<BTreeMap<String, i64>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"),
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        let count = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT count(*) AS n FROM {schema}.\"{name}\""),
            ))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        out.insert(name, count);
    }
    Ok(out)
}

pub async fn export_all(State(system): State<SystemState>) -> Result<Response, ApiError> {
    let tmp = temp_path(&system, "export-all")?;
    vacuum_into(system.app.db(), &tmp.0).await?;
    let copy = open_file(&tmp.0, false).await.map_err(internal)?;
    // Credentials stay home.
    for sql in [
        "UPDATE provider_connections SET api_key_enc = NULL",
        "UPDATE api_keys SET key_enc = NULL",
        "DELETE FROM sessions",
        "DELETE FROM key_value WHERE namespace = 'auth'",
    ] {
        copy.execute_unprepared(sql).await.map_err(internal)?;
    }
    let counts = table_counts(&copy, "main").await.map_err(internal)?;
    let settings = copy
        .query_all_raw(Statement::from_string(
            copy.get_database_backend(),
            "SELECT namespace, key, value FROM key_value ORDER BY namespace, key",
        ))
        .await
        .map_err(internal)?
        .into_iter()
        .filter_map(|row| {
            let ns: String = row.try_get("", "namespace").ok()?;
            let key: String = row.try_get("", "key").ok()?;
            let value: String = row.try_get("", "value").ok()?;
            Some(json!({ "namespace": ns, "key": key, "value": serde_json::from_str::<Value>(&value).unwrap_or(Value::String(value)) }))
        })
        .collect::<Vec<_>>();
    copy.execute_unprepared("VACUUM").await.map_err(internal)?;
    copy.close().await.map_err(internal)?;
    let db_bytes = std::fs::read(&tmp.0).map_err(internal)?;

    let manifest = json!({
        "format": "omniroute-export-all",
        "version": env!("CARGO_PKG_VERSION"),
        "createdAt": stamp(),
        "credentials": "removed: provider API keys, revealable API keys, the dashboard password and sessions are not in this archive",
        "tables": counts,
    });
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "manifest.json",
            serde_json::to_vec_pretty(&manifest).map_err(internal)?,
        ),
        (
            "settings.json",
            serde_json::to_vec_pretty(&settings).map_err(internal)?,
        ),
        ("storage.sqlite", db_bytes),
    ];
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, bytes) in files {
        let mut head = tar::Header::new_gnu();
        head.set_size(bytes.len() as u64);
        head.set_mode(0o600);
        head.set_mtime(store::now_unix().max(0) as u64);
        head.set_cksum();
        archive
            .append_data(&mut head, name, bytes.as_slice())
            .map_err(internal)?;
    }
    let gz = archive
        .into_inner()
        .map_err(internal)?
        .finish()
        .map_err(internal)?;
    Ok(attachment(
        gz,
        "application/gzip",
        &format!("omniroute-all-{}.tar.gz", stamp()),
    ))
}

/// The uploaded file: multipart field `file`, or the raw body.
fn uploaded<'a>(headers: &HeaderMap, body: &'a [u8]) -> Result<&'a [u8], ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        crate::http::v1::media::multipart_bytes(body, content_type, "file")
            .ok_or_else(|| ApiError::bad_request("missing_file", "the form field file is required"))
    } else {
        Ok(body)
    }
}

async fn validate(path: &Path) -> Result<(), ApiError> {
    let bad = |message: String| ApiError::bad_request("invalid_backup", message);
    let head = std::fs::read(path).map_err(internal)?;
    if head.len() < 100 || &head[..16] != b"SQLite format 3\0" {
        return Err(bad("the file is not a SQLite database".into()));
    }
    let db = open_file(path, true)
        .await
        .map_err(|e| bad(format!("the file cannot be opened as a database: {e}")))?;
    let check = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| bad(format!("the integrity check failed: {e}")))?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    if check != "ok" {
        return Err(bad(format!("the integrity check failed: {check}")));
    }
    let tables = table_counts(&db, "main")
        .await
        .map_err(|e| bad(format!("the tables cannot be read: {e}")))?;
    let missing: Vec<&str> = REQUIRED_TABLES
        .iter()
        .copied()
        .filter(|t| !tables.contains_key(*t))
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "not an OmniRoute database: missing table(s) {}",
            missing.join(", ")
        )));
    }
    if tables.contains_key("seaql_migrations") {
        let known = migration::known_migration_names();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT version FROM seaql_migrations",
            ))
            .await
            .map_err(internal)?;
        let newer: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "version").ok())
            .filter(|v| !known.contains(v))
            .collect();
        if !newer.is_empty() {
            return Err(bad(format!(
                "the backup was written by a newer OmniRoute (unknown migrations: {}); upgrade first",
                newer.join(", ")
            )));
        }
    }
    db.close().await.map_err(internal)?;
    Ok(())
}

async fn columns(
    db: &DatabaseConnection,
    schema: &str,
    table: &str,
) -> Result<Vec<String>, sea_orm::DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("PRAGMA {schema}.table_info(\"{table}\")"),
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect())
}

/// Copies every shared table from the attached `src` into the live database, in one
/// transaction on one dedicated connection.
async fn replace_data(
    system: &SystemState,
    import: &Path,
) -> Result<BTreeMap<String, i64>, ApiError> {
    let live = open_file(&system.app.config().db_path(), false)
        .await
        .map_err(internal)?;
    live.execute_unprepared("PRAGMA busy_timeout = 10000")
        .await
        .map_err(internal)?;
    live.execute_unprepared(&format!("ATTACH DATABASE {} AS src", sql_string(import)))
        .await
        .map_err(internal)?;
    let result = async {
        let ours = table_counts(&live, "main").await?;
        let theirs = table_counts(&live, "src").await?;
        live.execute_unprepared("BEGIN IMMEDIATE").await?;
        let mut copied = BTreeMap::new();
        for table in ours.keys().filter(|t| !NEVER_IMPORTED.contains(&t.as_str())) {
            let main_cols = columns(&live, "main", table).await?;
            let src_cols = if theirs.contains_key(table) { columns(&live, "src", table).await? } else { Vec::new() };
            let shared: Vec<String> = main_cols.iter().filter(|c| src_cols.contains(c)).map(|c| format!("\"{c}\"")).collect();
            // The dashboard password of this server stays.
            let keep = if table == "key_value" { " WHERE namespace != 'auth'" } else { "" };
            live.execute_unprepared(&format!("DELETE FROM main.\"{table}\"{keep}")).await?;
            if shared.is_empty() {
                copied.insert(table.clone(), 0);
                continue;
            }
            let cols = shared.join(", ");
            let res = live
                .execute_unprepared(&format!("INSERT INTO main.\"{table}\" ({cols}) SELECT {cols} FROM src.\"{table}\"{keep}"))
                .await?;
            copied.insert(table.clone(), res.rows_affected() as i64);
        }
        live.execute_unprepared("COMMIT").await?;
        Ok::<_, sea_orm::DbErr>(copied)
    }
    .await;
    if result.is_err() {
        let _ = live.execute_unprepared("ROLLBACK").await;
    }
    let _ = live.execute_unprepared("DETACH DATABASE src").await;
    let _ = live.close().await;
    result.map_err(|e| internal(format!("importing failed and was rolled back: {e}")))
}

pub async fn import(
    State(system): State<SystemState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let file = uploaded(&headers, &body)?;
    if file.len() > MAX_IMPORT_BYTES {
        return Ok((
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({ "error": "too_large", "message": format!("the file has {} bytes; the limit is 100 MB", file.len()) })),
        )
            .into_response());
    }
    if file.is_empty() {
        return Err(ApiError::bad_request("missing_file", "the upload is empty"));
    }
    let incoming = temp_path(&system, "import")?;
    std::fs::write(&incoming.0, file).map_err(internal)?;
    validate(&incoming.0).await?;

    let backup = if !system.app.config().disable_sqlite_auto_backup {
        let path = backups_dir(&system)?.join(format!("pre-import-{}.sqlite", stamp()));
        vacuum_into(system.app.db(), &path).await?;
        Some(path)
    } else {
        None
    };
    let copied = replace_data(&system, &incoming.0).await?;
    let snapshot = store::providers::load_snapshot(system.app.db(), system.app.config())
        .await
        .map_err(ApiError::Internal)?;
    system.app.set_snapshot(snapshot);
    system.app.reload_keys().await.map_err(internal)?;
    crate::http::manage::combos::reload(&system.app).await?;
    // Settings → AI / Security / Translator read in-memory cells: refresh them too.
    crate::http::settings::load(&system.app).await;
    tracing::info!(
        "database imported ({} tables); backup before import: {:?}",
        copied.len(),
        backup
    );
    Ok(Json(json!({
        "success": true,
        "backup": backup.map(|p| p.display().to_string()),
        "tables": copied,
    }))
    .into_response())
}
