//! MCP and A2A (issue #6).
//!
//! - `mcp_tool_audit`: one row per MCP tool call (every transport): the tool, the scope that
//!   allowed it, the calling key (NULL for the local stdio operator without a key), how long
//!   it took, whether it succeeded, and the error when it did not. A SHA-256 of the arguments
//!   tells identical calls apart without storing what may be secret (keys, prompts).
//! - `a2a_tasks`: one row per A2A task with its lifecycle state (submitted, working,
//!   completed, failed, canceled), the skill, the input message, the artifacts it produced
//!   and the route taken (JSON).
//! - `a2a_task_events`: the task's status and artifact update events, in order.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE mcp_tool_audit (
                id          INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
                ts          INTEGER NOT NULL,
                tool        TEXT NOT NULL,
                scope       TEXT NOT NULL,
                api_key_id  TEXT,
                key_name    TEXT,
                transport   TEXT NOT NULL,
                duration_ms INTEGER NOT NULL,
                success     INTEGER NOT NULL,
                error       TEXT,
                input_hash  TEXT
            )",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_mcp_tool_audit_ts ON mcp_tool_audit (ts)")
            .await?;
        db.execute_unprepared(
            "CREATE TABLE a2a_tasks (
                id          TEXT PRIMARY KEY NOT NULL,
                context_id  TEXT NOT NULL,
                skill       TEXT NOT NULL,
                state       TEXT NOT NULL,
                api_key_id  TEXT,
                key_name    TEXT,
                input       TEXT NOT NULL,
                artifacts   TEXT,
                status_message TEXT,
                error       TEXT,
                route       TEXT,
                metadata    TEXT,
                created_at  INTEGER NOT NULL,
                updated_at  INTEGER NOT NULL
            )",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_a2a_tasks_created_at ON a2a_tasks (created_at)")
            .await?;
        db.execute_unprepared(
            "CREATE TABLE a2a_task_events (
                id         INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
                task_id    TEXT NOT NULL REFERENCES a2a_tasks (id) ON DELETE CASCADE,
                ts         INTEGER NOT NULL,
                kind       TEXT NOT NULL,
                state      TEXT,
                data       TEXT NOT NULL
            )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_a2a_task_events_task ON a2a_task_events (task_id, id)",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
