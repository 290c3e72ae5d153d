//! Providers: connections (accounts with an encrypted API key), custom provider nodes, and
//! the model ids users add to a provider.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // provider_connections: one account of a provider (registry id or custom node id).
        // api_key_enc is `enc:v1:<nonce>:<ciphertext>` (AES-256-GCM), NULL for keyless
        // local servers. Times are Unix seconds.
        db.execute_unprepared(
            "CREATE TABLE provider_connections (
                id             TEXT PRIMARY KEY NOT NULL,
                provider       TEXT NOT NULL,
                name           TEXT NOT NULL,
                api_key_enc    TEXT,
                base_url       TEXT,
                priority       INTEGER NOT NULL DEFAULT 1,
                is_active      INTEGER NOT NULL DEFAULT 1,
                created_at     INTEGER NOT NULL,
                updated_at     INTEGER NOT NULL,
                last_tested_at INTEGER,
                test_status    TEXT,
                last_error     TEXT
            )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_provider_connections_provider
                ON provider_connections (provider, priority)",
        )
        .await?;
        // provider_nodes: user-defined OpenAI- or Anthropic-compatible endpoints.
        db.execute_unprepared(
            "CREATE TABLE provider_nodes (
                id         TEXT PRIMARY KEY NOT NULL,
                name       TEXT NOT NULL,
                prefix     TEXT NOT NULL UNIQUE,
                base_url   TEXT NOT NULL,
                type       TEXT NOT NULL,
                api_type   TEXT NOT NULL DEFAULT 'chat',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            )",
        )
        .await?;
        // provider_models: model ids added by hand or imported from a provider's model list.
        db.execute_unprepared(
            "CREATE TABLE provider_models (
                provider   TEXT NOT NULL,
                model_id   TEXT NOT NULL,
                model_name TEXT,
                source     TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'imported')),
                created_at INTEGER NOT NULL,
                PRIMARY KEY (provider, model_id)
            )",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
