//! The `usage_history` table: batch inserts from the usage writer, aggregates for the usage
//! API, the request log.

use crate::usage::UsageEvent;
use entity::usage_history as uh;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionTrait, Value,
};

/// Rows per INSERT statement (SQLite limits bound variables per statement).
const ROWS_PER_STATEMENT: usize = 200;

fn active(e: &UsageEvent, cost: Option<f64>) -> uh::ActiveModel {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    uh::ActiveModel {
        id: sea_orm::NotSet,
        request_id: Set(e.request_id.clone()),
        ts: Set(e.ts_ms),
        api_key_id: Set(e.key_id.clone()),
        api_key_name: Set(e.key_name.clone()),
        requested_model: Set(e.requested_model.clone()),
        provider: Set(e.provider.clone()),
        model: Set(e.model.clone()),
        connection_id: Set(e.connection_id.clone()),
        combo: Set(e.combo.clone()),
        endpoint: Set(e.endpoint.to_string()),
        client_format: Set(e.client_format.to_string()),
        upstream_format: Set(e.upstream_format.map(str::to_string)),
        tokens_input: Set(n(e.usage.input)),
        tokens_output: Set(n(e.usage.output)),
        tokens_cache_read: Set(n(e.usage.cache_read)),
        tokens_cache_write: Set(n(e.usage.cache_write)),
        tokens_reasoning: Set(n(e.usage.reasoning)),
        latency_ms: Set(n(e.latency_ms)),
        ttft_ms: Set(e.ttft_ms.map(n)),
        status: Set(i32::from(e.status)),
        success: Set(e.success),
        error: Set(e.error.clone()),
        attempt: Set(i32::try_from(e.attempt).unwrap_or(i32::MAX)),
        streamed: Set(e.streamed),
        cached: Set(e.cached),
        cost_usd: Set(cost),
    }
}

/// Inserts every row in one transaction.
pub async fn insert_batch(
    db: &DatabaseConnection,
    rows: &[(UsageEvent, Option<f64>)],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        uh::Entity::insert_many(chunk.iter().map(|(e, c)| active(e, *c)))
            .exec_without_returning(&txn)
            .await?;
    }
    for (e, _) in rows {
        if let Some(bodies) = &e.bodies {
            upsert_bodies(&txn, &e.request_id, e.ts_ms, bodies).await?;
        }
    }
    txn.commit().await
}

/// Stores the bodies of a request: the first request body kept, the latest response body.
async fn upsert_bodies(
    db: &impl ConnectionTrait,
    request_id: &str,
    ts: i64,
    bodies: &crate::usage::bodies::Bodies,
) -> Result<(), DbErr> {
    let text = |k: &Option<crate::usage::bodies::Kept>| -> Value {
        Value::String(k.as_ref().map(|k| k.text.clone()))
    };
    let cut = |k: &Option<crate::usage::bodies::Kept>| -> Value {
        Value::from(k.as_ref().is_some_and(|k| k.truncated))
    };
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO usage_bodies (request_id, ts, request_body, request_truncated, response_body, response_truncated)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (request_id) DO UPDATE SET
            request_body = COALESCE(usage_bodies.request_body, excluded.request_body),
            request_truncated = CASE WHEN usage_bodies.request_body IS NULL THEN excluded.request_truncated ELSE usage_bodies.request_truncated END,
            response_body = COALESCE(excluded.response_body, usage_bodies.response_body),
            response_truncated = CASE WHEN excluded.response_body IS NULL THEN usage_bodies.response_truncated ELSE excluded.response_truncated END",
        [
            Value::from(request_id),
            Value::from(ts),
            text(&bodies.request),
            cut(&bodies.request),
            text(&bodies.response),
            cut(&bodies.response),
        ],
    ))
    .await?;
    Ok(())
}

/// The bodies recorded for a request, if any.
pub async fn bodies_of(
    db: &DatabaseConnection,
    request_id: &str,
) -> Result<Option<entity::usage_bodies::Model>, DbErr> {
    entity::usage_bodies::Entity::find_by_id(request_id.to_string())
        .one(db)
        .await
}

/// Deletes bodies recorded before `before_ms`; answers how many.
pub async fn delete_bodies_before(db: &DatabaseConnection, before_ms: i64) -> Result<u64, DbErr> {
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "DELETE FROM usage_bodies WHERE ts < $1",
            [Value::from(before_ms)],
        ))
        .await?;
    Ok(r.rows_affected())
}

/// `(key id, spend since day_start, since week_start, since month_start)` for every key with
/// a known cost in those periods.
pub async fn spend_since(
    db: &DatabaseConnection,
    day_start: i64,
    week_start: i64,
    month_start: i64,
) -> Result<Vec<(String, f64, f64, f64)>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT api_key_id,
                    COALESCE(SUM(CASE WHEN ts >= $1 THEN cost_usd END), 0.0) AS d,
                    COALESCE(SUM(CASE WHEN ts >= $2 THEN cost_usd END), 0.0) AS w,
                    COALESCE(SUM(CASE WHEN ts >= $3 THEN cost_usd END), 0.0) AS m
               FROM usage_history
              WHERE api_key_id IS NOT NULL AND cost_usd IS NOT NULL AND ts >= $4
              GROUP BY api_key_id",
            [
                Value::from(day_start),
                Value::from(week_start),
                Value::from(month_start),
                Value::from(week_start.min(month_start)),
            ],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String>("", "api_key_id")?,
                r.try_get::<f64>("", "d")?,
                r.try_get::<f64>("", "w")?,
                r.try_get::<f64>("", "m")?,
            ))
        })
        .collect()
}

/// What rows to aggregate or list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub key_id: Option<String>,
    pub status: Option<StatusFilter>,
    /// Text searched (case-insensitive substring) in the request id, the requested and
    /// upstream model, the provider, the key's name and the error.
    pub search: Option<String>,
}

/// The columns `Filter::search` looks in.
const SEARCHED: [&str; 6] = [
    "request_id",
    "requested_model",
    "model",
    "provider",
    "api_key_name",
    "error",
];

/// `text` as a LIKE pattern matching it anywhere (backslash escapes `%`, `_` and itself).
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Success,
    Failed,
    Code(u16),
}

impl Filter {
    fn sql(&self) -> (String, Vec<Value>) {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut values: Vec<Value> = Vec::new();
        let mut push = |clause: &str, value: Value, values: &mut Vec<Value>| {
            values.push(value);
            clauses.push(clause.replace('?', &format!("${}", values.len())));
        };
        if let Some(v) = self.from_ms {
            push("ts >= ?", v.into(), &mut values);
        }
        if let Some(v) = self.to_ms {
            push("ts < ?", v.into(), &mut values);
        }
        if let Some(v) = &self.provider {
            push("provider = ?", v.clone().into(), &mut values);
        }
        if let Some(v) = &self.model {
            push("model = ?", v.clone().into(), &mut values);
        }
        if let Some(v) = &self.key_id {
            push("api_key_id = ?", v.clone().into(), &mut values);
        }
        match self.status {
            Some(StatusFilter::Success) => clauses.push("success = 1".into()),
            Some(StatusFilter::Failed) => clauses.push("success = 0".into()),
            Some(StatusFilter::Code(c)) => push("status = ?", i32::from(c).into(), &mut values),
            None => {}
        }
        if let Some(text) = &self.search {
            values.push(like_pattern(text).into());
            let n = values.len();
            let any = SEARCHED
                .iter()
                .map(|c| format!("LOWER(COALESCE({c}, '')) LIKE ${n} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ");
            clauses.push(format!("({any})"));
        }
        (clauses.join(" AND "), values)
    }

    fn apply(&self, mut q: sea_orm::Select<uh::Entity>) -> sea_orm::Select<uh::Entity> {
        if let Some(v) = self.from_ms {
            q = q.filter(uh::Column::Ts.gte(v));
        }
        if let Some(v) = self.to_ms {
            q = q.filter(uh::Column::Ts.lt(v));
        }
        if let Some(v) = &self.provider {
            q = q.filter(uh::Column::Provider.eq(v.as_str()));
        }
        if let Some(v) = &self.model {
            q = q.filter(uh::Column::Model.eq(v.as_str()));
        }
        if let Some(v) = &self.key_id {
            q = q.filter(uh::Column::ApiKeyId.eq(v.as_str()));
        }
        if let Some(text) = &self.search {
            let pattern = like_pattern(text);
            let mut any = sea_orm::Condition::any();
            for c in SEARCHED {
                any = any.add(sea_orm::sea_query::Expr::cust_with_values(
                    format!("LOWER(COALESCE(\"{c}\", '')) LIKE ? ESCAPE '\\'"),
                    [pattern.clone()],
                ));
            }
            q = q.filter(any);
        }
        match self.status {
            Some(StatusFilter::Success) => q.filter(uh::Column::Success.eq(true)),
            Some(StatusFilter::Failed) => q.filter(uh::Column::Success.eq(false)),
            Some(StatusFilter::Code(c)) => q.filter(uh::Column::Status.eq(i32::from(c))),
            None => q,
        }
    }
}

/// How to group an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Provider,
    Model,
    Key,
    Day,
    Hour,
}

impl GroupBy {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "provider" => Some(Self::Provider),
            "model" => Some(Self::Model),
            "key" | "apiKey" | "keyId" => Some(Self::Key),
            "day" => Some(Self::Day),
            "hour" => Some(Self::Hour),
            _ => None,
        }
    }

    fn expr(self) -> &'static str {
        match self {
            Self::Provider => "COALESCE(provider, '')",
            Self::Model => "COALESCE(model, requested_model)",
            Self::Key => "COALESCE(api_key_id, '')",
            Self::Day => "CAST((ts / 86400000) * 86400000 AS TEXT)",
            Self::Hour => "CAST((ts / 3600000) * 3600000 AS TEXT)",
        }
    }
}

/// Totals of a set of rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// The group's value (provider id, model, key id, or bucket start in ms as text).
    pub key: String,
    /// The key's name when grouped by key.
    pub label: Option<String>,
    /// Rows: upstream attempts and refused requests.
    pub requests: i64,
    pub failed: i64,
    /// Distinct client requests.
    pub client_requests: i64,
    pub input: i64,
    pub output: i64,
    pub cache_read: i64,
    pub cache_write: i64,
    pub reasoning: i64,
    /// Sum of the known costs; None when every row's cost is unknown.
    pub cost: Option<f64>,
    /// Rows whose cost is unknown.
    pub unknown_cost: i64,
    pub latency_ms_avg: Option<f64>,
}

const AGGREGATES: &str = "COUNT(*) AS requests,
    SUM(CASE WHEN success = 0 THEN 1 ELSE 0 END) AS failed,
    COUNT(DISTINCT request_id) AS client_requests,
    COALESCE(SUM(tokens_input), 0) AS input,
    COALESCE(SUM(tokens_output), 0) AS output,
    COALESCE(SUM(tokens_cache_read), 0) AS cache_read,
    COALESCE(SUM(tokens_cache_write), 0) AS cache_write,
    COALESCE(SUM(tokens_reasoning), 0) AS reasoning,
    SUM(cost_usd) AS cost,
    SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unknown_cost,
    AVG(latency_ms) AS latency";

fn totals_of(
    r: &sea_orm::QueryResult,
    key: String,
    label: Option<String>,
) -> Result<Totals, DbErr> {
    let int = |c: &str| -> Result<i64, DbErr> { Ok(r.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
    Ok(Totals {
        key,
        label,
        requests: int("requests")?,
        failed: int("failed")?,
        client_requests: int("client_requests")?,
        input: int("input")?,
        output: int("output")?,
        cache_read: int("cache_read")?,
        cache_write: int("cache_write")?,
        reasoning: int("reasoning")?,
        cost: r.try_get::<Option<f64>>("", "cost")?,
        unknown_cost: int("unknown_cost")?,
        latency_ms_avg: r.try_get::<Option<f64>>("", "latency")?,
    })
}

pub async fn totals(db: &DatabaseConnection, filter: &Filter) -> Result<Totals, DbErr> {
    let (clause, values) = filter.sql();
    let sql = format!("SELECT {AGGREGATES} FROM usage_history WHERE {clause}");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    match row {
        Some(r) => totals_of(&r, String::new(), None),
        None => Ok(Totals::default()),
    }
}

/// Totals per group, largest first for provider/model/key, in time order for day/hour.
pub async fn grouped(
    db: &DatabaseConnection,
    filter: &Filter,
    by: GroupBy,
) -> Result<Vec<Totals>, DbErr> {
    let (clause, values) = filter.sql();
    let order = match by {
        GroupBy::Day | GroupBy::Hour => "MIN(ts) ASC",
        _ => "requests DESC, grp ASC",
    };
    let sql = format!(
        "SELECT {} AS grp, MAX(api_key_name) AS label, {AGGREGATES}
           FROM usage_history WHERE {clause} GROUP BY grp ORDER BY {order} LIMIT 10000",
        by.expr()
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let key = r.try_get::<String>("", "grp")?;
            let label = if by == GroupBy::Key {
                r.try_get::<Option<String>>("", "label")?
            } else {
                None
            };
            totals_of(r, key, label)
        })
        .collect()
}

/// One page of the request log, newest first, and the number of matching rows.
pub async fn logs(
    db: &DatabaseConnection,
    filter: &Filter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<uh::Model>, u64), DbErr> {
    let total = filter.apply(uh::Entity::find()).count(db).await?;
    let rows = filter
        .apply(uh::Entity::find())
        .order_by_desc(uh::Column::Ts)
        .order_by_desc(uh::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

pub async fn log(db: &DatabaseConnection, id: i64) -> Result<Option<uh::Model>, DbErr> {
    uh::Entity::find_by_id(id).one(db).await
}

/// Every attempt of one client request, in order.
pub async fn attempts_of(
    db: &DatabaseConnection,
    request_id: &str,
) -> Result<Vec<uh::Model>, DbErr> {
    uh::Entity::find()
        .filter(uh::Column::RequestId.eq(request_id))
        .order_by_asc(uh::Column::Id)
        .all(db)
        .await
}
