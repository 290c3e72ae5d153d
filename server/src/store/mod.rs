//! The only module that talks to sea-orm. It opens `DATA_DIR/storage.sqlite`, refuses files
//! it must not touch (not a database, written by a newer OmniRoute), runs the migrations, and
//! offers small typed stores on top.

pub mod a2a_tasks;
pub mod api_keys;
pub mod budgets;
pub mod combos;
pub mod kv;
pub mod mcp_audit;
pub mod pricing;
pub mod providers;
pub mod sessions;
pub mod usage;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path} is not a SQLite database (it may be corrupt or another kind of file); it was left untouched. Move it aside or restore a backup to start OmniRoute")]
    NotADatabase { path: String },
    #[error(
        "{path} could not be opened as a SQLite database: {cause}. The file was left untouched"
    )]
    Unreadable { path: String, cause: String },
    #[error("{path} was written by a newer OmniRoute (it has migrations this version {version} does not know: {unknown}). It was left untouched: upgrade OmniRoute, or restore a backup made by this version")]
    NewerThanBinary {
        path: String,
        version: &'static str,
        unknown: String,
    },
    #[error("migrating {path} failed: {cause}")]
    Migration { path: String, cause: String },
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Opens (creating if missing) and migrates the database.
pub async fn open(path: &Path) -> Result<DatabaseConnection, OpenError> {
    let shown = path.display().to_string();
    check_header(path)?;

    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(4)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    let db = Database::connect(options)
        .await
        .map_err(|e| classify(&shown, &e.to_string()))?;

    // A query that reads the schema: fails on a damaged file without writing to it.
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT count(*) FROM sqlite_master",
    ))
    .await
    .map_err(|e| classify(&shown, &e.to_string()))?;

    refuse_newer(&db, &shown).await?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| OpenError::Migration {
            path: shown.clone(),
            cause: e.to_string(),
        })?;
    Ok(db)
}

fn classify(path: &str, cause: &str) -> OpenError {
    if cause.contains("not a database") || cause.contains("malformed") {
        OpenError::NotADatabase {
            path: path.to_string(),
        }
    } else {
        OpenError::Unreadable {
            path: path.to_string(),
            cause: cause.to_string(),
        }
    }
}

/// A non-empty file without the SQLite header is refused before SQLite ever opens it.
fn check_header(path: &Path) -> Result<(), OpenError> {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(()); // missing: it will be created
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(OpenError::Unreadable {
                    path: path.display().to_string(),
                    cause: e.to_string(),
                })
            }
        }
    }
    if read == 0 || (read == head.len() && &head == SQLITE_MAGIC) {
        Ok(())
    } else {
        Err(OpenError::NotADatabase {
            path: path.display().to_string(),
        })
    }
}

async fn refuse_newer(db: &DatabaseConnection, path: &str) -> Result<(), OpenError> {
    let backend = db.get_database_backend();
    let exists = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        ))
        .await
        .map_err(|e| classify(path, &e.to_string()))?
        .is_some();
    if !exists {
        return Ok(());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .map_err(|e| classify(path, &e.to_string()))?;
    let known = migration::known_migration_names();
    let unknown: Vec<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "version").ok())
        .filter(|version| !known.contains(version))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(OpenError::NewerThanBinary {
            path: path.to_string(),
            version: env!("CARGO_PKG_VERSION"),
            unknown: unknown.join(", "),
        })
    }
}

/// Size of the database including its WAL file, in bytes.
pub fn database_size(path: &Path) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    size(path) + size(Path::new(&wal))
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn creates_migrates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("storage.sqlite");
        let db = open(&path).await.unwrap();
        kv::set(&db, "test", "k", "\"v\"").await.unwrap();
        drop(db);
        let db = open(&path).await.unwrap();
        assert_eq!(
            kv::get(&db, "test", "k").await.unwrap().as_deref(),
            Some("\"v\"")
        );
        let mode = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<String>(0)
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[tokio::test]
    async fn refuses_a_file_that_is_not_a_database_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("storage.sqlite");
        std::fs::write(
            &path,
            b"this is not sqlite, just some text that is long enough",
        )
        .unwrap();
        let err = open(&path).await.unwrap_err();
        assert!(matches!(err, OpenError::NotADatabase { .. }), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not sqlite, just some text that is long enough"
        );
    }

    #[tokio::test]
    async fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("storage.sqlite");
        let db = open(&path).await.unwrap();
        db.execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_future', 0)",
        )
        .await
        .unwrap();
        drop(db);
        let err = open(&path).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, OpenError::NewerThanBinary { .. }), "{text}");
        assert!(text.contains("m20991231_000001_future"), "{text}");
    }
}
