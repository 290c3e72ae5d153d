//! The foundation: a generic settings store and dashboard sessions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // key_value: namespaced JSON values (settings, the admin password hash, ...).
        db.execute_unprepared(
            "CREATE TABLE key_value (
                namespace  TEXT NOT NULL,
                key        TEXT NOT NULL,
                value      TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (namespace, key)
            )",
        )
        .await?;
        // sessions: tower-sessions records for the dashboard login.
        db.execute_unprepared(
            "CREATE TABLE sessions (
                id          TEXT PRIMARY KEY NOT NULL,
                data        TEXT NOT NULL,
                expiry_date INTEGER NOT NULL
            )",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_sessions_expiry ON sessions (expiry_date)")
            .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
