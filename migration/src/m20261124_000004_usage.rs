//! Usage recording, pricing and budgets.
//!
//! - `usage_history`: one row per attempt to serve a client request (failed attempts included;
//!   attempts of one request share `request_id`). Tokens follow `gateway::Usage` (input
//!   excludes cache reads/writes, output includes reasoning). `cost_usd` is computed from
//!   `pricing` when the row is written; NULL means unknown (never 0 for "no price").
//! - `pricing`: USD per 1M tokens per provider and upstream model; `source` is `seed` (from
//!   the built-in registry, refreshed at start) or `user` (never overwritten by the seed).
//! - `budgets`: one spending limit per API key and period (UTC days, ISO weeks from Monday,
//!   calendar months).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE usage_history (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
                request_id         TEXT NOT NULL,
                ts                 INTEGER NOT NULL,
                api_key_id         TEXT,
                api_key_name       TEXT,
                requested_model    TEXT NOT NULL,
                provider           TEXT,
                model              TEXT,
                connection_id      TEXT,
                combo              TEXT,
                endpoint           TEXT NOT NULL,
                client_format      TEXT NOT NULL,
                upstream_format    TEXT,
                tokens_input       INTEGER NOT NULL DEFAULT 0,
                tokens_output      INTEGER NOT NULL DEFAULT 0,
                tokens_cache_read  INTEGER NOT NULL DEFAULT 0,
                tokens_cache_write INTEGER NOT NULL DEFAULT 0,
                tokens_reasoning   INTEGER NOT NULL DEFAULT 0,
                latency_ms         INTEGER NOT NULL DEFAULT 0,
                ttft_ms            INTEGER,
                status             INTEGER NOT NULL,
                success            INTEGER NOT NULL,
                error              TEXT,
                attempt            INTEGER NOT NULL DEFAULT 1,
                streamed           INTEGER NOT NULL DEFAULT 0,
                cost_usd           REAL
            )",
        )
        .await?;
        for index in [
            "CREATE INDEX idx_usage_ts ON usage_history (ts)",
            "CREATE INDEX idx_usage_key_ts ON usage_history (api_key_id, ts)",
            "CREATE INDEX idx_usage_provider_ts ON usage_history (provider, ts)",
            "CREATE INDEX idx_usage_model_ts ON usage_history (model, ts)",
            "CREATE INDEX idx_usage_status_ts ON usage_history (status, ts)",
            "CREATE INDEX idx_usage_request ON usage_history (request_id)",
        ] {
            db.execute_unprepared(index).await?;
        }
        db.execute_unprepared(
            "CREATE TABLE pricing (
                provider    TEXT NOT NULL,
                model       TEXT NOT NULL,
                input       REAL,
                output      REAL,
                cache_read  REAL,
                cache_write REAL,
                source      TEXT NOT NULL,
                updated_at  INTEGER NOT NULL,
                PRIMARY KEY (provider, model)
            )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE budgets (
                api_key_id        TEXT PRIMARY KEY NOT NULL
                                  REFERENCES api_keys (id) ON DELETE CASCADE,
                limit_usd         REAL NOT NULL,
                period            TEXT NOT NULL,
                warning_threshold REAL NOT NULL DEFAULT 0.8,
                created_at        INTEGER NOT NULL,
                updated_at        INTEGER NOT NULL
            )",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
