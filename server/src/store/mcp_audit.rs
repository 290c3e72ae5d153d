//! The `mcp_tool_audit` table: batch inserts from the MCP audit writer, pages of the log and
//! per-tool statistics for the dashboard and `/api/mcp/audit[/stats]`.

use entity::mcp_tool_audit as audit;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionTrait,
};

/// One call to record.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub ts_ms: i64,
    pub tool: String,
    pub scope: String,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub transport: &'static str,
    pub duration_ms: i64,
    pub success: bool,
    pub error: Option<String>,
    pub input_hash: Option<String>,
}

/// Rows per INSERT statement (SQLite limits bound variables per statement).
const ROWS_PER_STATEMENT: usize = 200;

fn active(r: &AuditRow) -> audit::ActiveModel {
    audit::ActiveModel {
        id: sea_orm::NotSet,
        ts: Set(r.ts_ms),
        tool: Set(r.tool.clone()),
        scope: Set(r.scope.clone()),
        api_key_id: Set(r.key_id.clone()),
        key_name: Set(r.key_name.clone()),
        transport: Set(r.transport.to_string()),
        duration_ms: Set(r.duration_ms),
        success: Set(r.success),
        error: Set(r.error.clone()),
        input_hash: Set(r.input_hash.clone()),
    }
}

/// Inserts every row in one transaction.
pub async fn insert_batch(db: &DatabaseConnection, rows: &[AuditRow]) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        audit::Entity::insert_many(chunk.iter().map(active))
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub tool: Option<String>,
    pub key_id: Option<String>,
    pub success: Option<bool>,
}

/// One page of the log, newest first, and the number of matching rows.
pub async fn page(
    db: &DatabaseConnection,
    filter: &AuditFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<audit::Model>, u64), DbErr> {
    let apply = |mut q: sea_orm::Select<audit::Entity>| {
        if let Some(tool) = &filter.tool {
            q = q.filter(audit::Column::Tool.eq(tool.as_str()));
        }
        if let Some(key) = &filter.key_id {
            q = q.filter(audit::Column::ApiKeyId.eq(key.as_str()));
        }
        if let Some(ok) = filter.success {
            q = q.filter(audit::Column::Success.eq(ok));
        }
        q
    };
    let total = apply(audit::Entity::find()).count(db).await?;
    let rows = apply(audit::Entity::find())
        .order_by_desc(audit::Column::Ts)
        .order_by_desc(audit::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Calls per tool since `since_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolStats {
    pub tool: String,
    pub calls: i64,
    pub errors: i64,
    pub avg_duration_ms: Option<f64>,
    pub last_ts: i64,
}

pub async fn stats(db: &DatabaseConnection, since_ms: i64) -> Result<Vec<ToolStats>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT tool, COUNT(*) AS calls,
                    SUM(CASE WHEN success = 0 THEN 1 ELSE 0 END) AS errors,
                    AVG(duration_ms) AS avg_ms, MAX(ts) AS last_ts
             FROM mcp_tool_audit WHERE ts >= ? GROUP BY tool ORDER BY calls DESC, tool",
            [since_ms.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ToolStats {
                tool: r.try_get("", "tool")?,
                calls: r.try_get::<Option<i64>>("", "calls")?.unwrap_or(0),
                errors: r.try_get::<Option<i64>>("", "errors")?.unwrap_or(0),
                avg_duration_ms: r.try_get::<Option<f64>>("", "avg_ms")?,
                last_ts: r.try_get::<Option<i64>>("", "last_ts")?.unwrap_or(0),
            })
        })
        .collect()
}
