//! API keys for /v1, the management API and MCP. Keys are stored as an HMAC (API_KEY_SECRET);
//! the key itself only when ALLOW_API_KEY_REVEAL allows revealing it later (encrypted).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE api_keys (
                id             TEXT PRIMARY KEY NOT NULL,
                name           TEXT NOT NULL UNIQUE,
                key_hash       TEXT NOT NULL UNIQUE,
                key_prefix     TEXT NOT NULL,
                key_enc        TEXT,
                scopes         TEXT NOT NULL,
                allowed_models TEXT,
                is_active      INTEGER NOT NULL DEFAULT 1,
                created_at     INTEGER NOT NULL,
                updated_at     INTEGER NOT NULL,
                expires_at     INTEGER,
                revoked_at     INTEGER,
                last_used_at   INTEGER
            )",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
