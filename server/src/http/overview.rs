//! `GET /api/overview?range=24h|7d|30d`: what the Home page shows, in one call: requests and
//! cost today and this month (UTC), success rates, top models and providers of the month, a
//! usage series over the range with empty buckets filled, health at a glance (open breakers,
//! cooldowns), the latest errors, and the getting-started steps.

use crate::http::error::ApiError;
use crate::http::system::SystemState;
use crate::store;
use crate::store::usage::{Filter, GroupBy, StatusFilter, Totals};
use crate::usage::{iso_ms, now_ms};
use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
const TOP: usize = 5;

fn totals(t: &Totals) -> Value {
    let succeeded = t.requests - t.failed;
    json!({
        "requests": t.client_requests,
        "attempts": t.requests,
        "failed": t.failed,
        "successRate": (t.requests > 0).then(|| succeeded as f64 / t.requests as f64),
        "tokens": t.input + t.output + t.cache_read + t.cache_write,
        "cost": t.cost,
        "unknownCostRequests": t.unknown_cost,
        "avgLatencyMs": t.latency_ms_avg.map(|v| v.round() as i64),
    })
}

/// Midnight UTC of today and the first of this month, in unix milliseconds.
fn day_and_month_start(now_ms: i64) -> (i64, i64) {
    let day = now_ms.div_euclid(DAY_MS) * DAY_MS;
    let month = time::OffsetDateTime::from_unix_timestamp(day / 1000)
        .ok()
        .and_then(|t| t.replace_day(1).ok())
        .map(|t| t.unix_timestamp() * 1000)
        .unwrap_or(day);
    (day, month)
}

fn since(from_ms: i64) -> Filter {
    Filter {
        from_ms: Some(from_ms),
        ..Filter::default()
    }
}

pub async fn overview(
    State(system): State<SystemState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let state = &system.app;
    let db = state.db();
    let (bucket_ms, buckets, range) = match q.get("range").map(|s| s.trim()) {
        None | Some("" | "7d") => (DAY_MS, 7, "7d"),
        Some("24h") => (HOUR_MS, 24, "24h"),
        Some("30d") => (DAY_MS, 30, "30d"),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!("range must be 24h, 7d or 30d (got {other:?})"),
            ))
        }
    };
    let now = now_ms();
    let (day, month) = day_and_month_start(now);
    let today = store::usage::totals(db, &since(day)).await?;
    let this_month = store::usage::totals(db, &since(month)).await?;
    let ever = store::usage::totals(db, &Filter::default()).await?;

    let top = |rows: Vec<Totals>| -> Vec<Value> {
        rows.iter()
            .filter(|t| !t.key.is_empty())
            .take(TOP)
            .map(|t| {
                json!({
                    "name": t.key,
                    "requests": t.client_requests,
                    "failed": t.failed,
                    "cost": t.cost,
                    "tokens": t.input + t.output + t.cache_read + t.cache_write,
                })
            })
            .collect()
    };
    let top_models = top(store::usage::grouped(db, &since(month), GroupBy::Model).await?);
    let top_providers = top(store::usage::grouped(db, &since(month), GroupBy::Provider).await?);

    // The series: every bucket of the range, oldest first, empty ones as zeros.
    let last = now.div_euclid(bucket_ms) * bucket_ms;
    let first = last - (buckets - 1) * bucket_ms;
    let by = if bucket_ms == HOUR_MS {
        GroupBy::Hour
    } else {
        GroupBy::Day
    };
    let found: HashMap<i64, Totals> = store::usage::grouped(db, &since(first), by)
        .await?
        .into_iter()
        .filter_map(|t| t.key.parse::<i64>().ok().map(|k| (k, t)))
        .collect();
    let series: Vec<Value> = (0..buckets)
        .map(|i| {
            let start = first + i * bucket_ms;
            let t = found.get(&start);
            json!({
                "start": start,
                "time": iso_ms(start),
                "requests": t.map_or(0, |t| t.client_requests),
                "failed": t.map_or(0, |t| t.failed),
                "cost": t.and_then(|t| t.cost),
            })
        })
        .collect();

    let errors = Filter {
        status: Some(StatusFilter::Failed),
        ..Filter::default()
    };
    let (rows, _) = store::usage::logs(db, &errors, 5, 0).await?;
    let recent_errors: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "time": iso_ms(r.ts),
                "requestedModel": r.requested_model,
                "provider": r.provider,
                "status": r.status,
                "error": r.error,
            })
        })
        .collect();

    let resilience = state.resilience().view();
    let breakers = serde_json::to_value(&resilience.breakers).unwrap_or(Value::Null);
    let open: Vec<&Value> = breakers
        .as_array()
        .map(|b| {
            b.iter()
                .filter(|b| b.get("state").and_then(Value::as_str) != Some("CLOSED"))
                .collect()
        })
        .unwrap_or_default();

    let snapshot = state.snapshot();
    let connections = snapshot.connections.len();
    let keys = store::api_keys::list(db).await?.len();
    let setup = json!({
        "providers": connections,
        "apiKeys": keys,
        "requests": ever.client_requests,
        "steps": [
            {"id": "provider", "title": "Add a provider", "done": connections > 0, "href": "/dashboard/providers"},
            {"id": "key", "title": "Create an API key", "done": keys > 0, "href": "/dashboard/api-manager"},
            {"id": "client", "title": "Copy a client configuration and send a request", "done": ever.client_requests > 0, "href": "/dashboard/cli-tools"},
        ],
    });

    Ok(Json(json!({
        "generatedAt": iso_ms(now),
        "today": totals(&today),
        "month": totals(&this_month),
        "topModels": top_models,
        "topProviders": top_providers,
        "series": {"range": range, "bucket": if bucket_ms == HOUR_MS { "hour" } else { "day" }, "points": series},
        "health": {
            "openBreakers": open,
            "cooldowns": resilience.cooldowns.len(),
            "cooldownList": resilience.cooldowns,
        },
        "recentErrors": recent_errors,
        "setup": setup,
    })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn month_start() {
        // 2026-11-24T10:00:00Z
        let now = 1_795_514_400_000;
        let (day, month) = super::day_and_month_start(now);
        assert_eq!(crate::usage::iso_ms(day), "2026-11-24T00:00:00.000Z");
        assert_eq!(crate::usage::iso_ms(month), "2026-11-01T00:00:00.000Z");
    }
}
