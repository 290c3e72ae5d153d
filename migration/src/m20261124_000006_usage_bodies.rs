//! Request and response bodies of the request log, optional (Settings → logging,
//! `recordBodies`, off by default): one row per client request, kept apart from
//! `usage_history` so the aggregates never read them. Each body is truncated to the
//! configured size when written; headers (and with them `Authorization` / `x-api-key`) are
//! never stored. A retention job deletes rows older than `retentionDays`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE usage_bodies (
                request_id          TEXT PRIMARY KEY NOT NULL,
                ts                  INTEGER NOT NULL,
                request_body        TEXT,
                request_truncated   INTEGER NOT NULL DEFAULT 0,
                response_body       TEXT,
                response_truncated  INTEGER NOT NULL DEFAULT 0
            )",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_usage_bodies_ts ON usage_bodies (ts)")
            .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
