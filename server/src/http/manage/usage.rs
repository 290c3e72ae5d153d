//! `/api/usage/summary`, `/api/usage/history`, `/api/usage/logs[/{id}]`: what the usage
//! writer recorded (one row per attempt; see `crate::usage`).
//!
//! Times in queries (`from`, `to`) are unix seconds, unix milliseconds (13+ digits), or UTC
//! dates / date-times (`2026-11-24`, `2026-11-24T10:00:00Z`); `from` is inclusive, `to`
//! exclusive. Costs are USD; `cost: null` means every row's cost is unknown, and
//! `unknownCostRequests` counts the rows whose price is unknown (never counted as $0).

use crate::http::error::ApiError;
use crate::state::AppState;
use crate::store::usage::{self as store, Filter, GroupBy, StatusFilter, Totals};
use crate::usage::iso_ms;
use axum::extract::{Path, Query, State};
use axum::Json;
use entity::usage_history::Model;
use serde_json::{json, Value};
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

fn bad(param: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request("invalid_query", format!("{param} {why}"))
}

/// A non-empty query parameter.
pub(super) fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// A time in a query: unix seconds or milliseconds, or a UTC date or date-time.
pub(super) fn parse_time(name: &str, text: &str) -> Result<i64, ApiError> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().map_err(|_| bad(name, "is not a valid time"))?;
        return Ok(if text.len() >= 13 { n } else { n * 1000 });
    }
    let invalid = || {
        bad(
            name,
            format!("must be unix seconds or a UTC date/time like 2026-11-24 or 2026-11-24T10:00:00Z (got {text:?})"),
        )
    };
    let num = |s: Option<&str>| -> Result<i64, ApiError> {
        s.filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or_else(invalid)
    };
    let (date, rest) = text.split_at_checked(10).ok_or_else(invalid)?;
    let mut parts = date.split('-');
    let (y, m, d) = (num(parts.next())?, num(parts.next())?, num(parts.next())?);
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(invalid)?;
    let date = time::Date::from_calendar_date(
        i32::try_from(y).map_err(|_| invalid())?,
        month,
        u8::try_from(d).map_err(|_| invalid())?,
    )
    .map_err(|_| invalid())?;
    let mut ms = date.midnight().assume_utc().unix_timestamp() * 1000;
    if !rest.is_empty() {
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix(' '))
            .ok_or_else(invalid)?;
        let rest = rest
            .strip_suffix('Z')
            .or_else(|| rest.strip_suffix("+00:00"))
            .unwrap_or(rest);
        let (clock, fraction) = rest.split_once('.').unwrap_or((rest, ""));
        let mut hms = clock.split(':');
        let h = num(hms.next())?;
        let mi = num(hms.next())?;
        let s = match hms.next() {
            Some(s) => num(Some(s))?,
            None => 0,
        };
        if h > 23 || mi > 59 || s > 60 || hms.next().is_some() {
            return Err(invalid());
        }
        let frac_ms = if fraction.is_empty() {
            0
        } else {
            let digits: String = fraction.chars().chain("000".chars()).take(3).collect();
            num(Some(&digits))?
        };
        ms += ((h * 60 + mi) * 60 + s) * 1000 + frac_ms;
    }
    Ok(ms)
}

/// `from`, `to`, `provider`, `model`, `keyId`, `status` of a query.
fn filter(q: &HashMap<String, String>) -> Result<Filter, ApiError> {
    let from_ms = param(q, "from")
        .map(|t| parse_time("from", t))
        .transpose()?;
    let to_ms = param(q, "to").map(|t| parse_time("to", t)).transpose()?;
    if let (Some(f), Some(t)) = (from_ms, to_ms) {
        if f > t {
            return Err(bad("from", "must not be after to"));
        }
    }
    let status = match param(q, "status") {
        None => None,
        Some("ok" | "success" | "succeeded") => Some(StatusFilter::Success),
        Some("error" | "failed" | "failure") => Some(StatusFilter::Failed),
        Some(code) => match code.parse::<u16>() {
            Ok(c) if (100..=599).contains(&c) => Some(StatusFilter::Code(c)),
            _ => {
                return Err(bad(
                    "status",
                    format!("must be ok, error or an HTTP status code (got {code:?})"),
                ))
            }
        },
    };
    Ok(Filter {
        from_ms,
        to_ms,
        provider: param(q, "provider").map(str::to_string),
        model: param(q, "model").map(str::to_string),
        key_id: param(q, "keyId").map(str::to_string),
        status,
        search: match param(q, "q") {
            Some(t) if t.chars().count() > 200 => {
                return Err(bad("q", "must have at most 200 characters"))
            }
            t => t.map(str::to_string),
        },
    })
}

fn totals_view(t: &Totals) -> Value {
    json!({
        "requests": t.requests,
        "failed": t.failed,
        "clientRequests": t.client_requests,
        "tokens": {
            "input": t.input,
            "output": t.output,
            "cacheRead": t.cache_read,
            "cacheWrite": t.cache_write,
            "reasoning": t.reasoning,
            "total": t.input + t.output + t.cache_read + t.cache_write,
        },
        "cost": t.cost,
        "unknownCostRequests": t.unknown_cost,
        "avgLatencyMs": t.latency_ms_avg.map(|v| v.round() as i64),
    })
}

fn group_view(t: &Totals, by: GroupBy) -> Value {
    let mut v = totals_view(t);
    match by {
        GroupBy::Day | GroupBy::Hour => {
            let start: i64 = t.key.parse().unwrap_or(0);
            v["key"] = json!(iso_ms(start));
            v["start"] = json!(start);
        }
        GroupBy::Key => {
            v["key"] = if t.key.is_empty() {
                Value::Null
            } else {
                json!(t.key)
            };
            v["name"] = json!(t.label.clone().unwrap_or_else(|| "anonymous".to_string()));
        }
        GroupBy::Provider | GroupBy::Model => {
            v["key"] = if t.key.is_empty() {
                Value::Null
            } else {
                json!(t.key)
            };
        }
    }
    v
}

fn group_by(q: &HashMap<String, String>, name: &str) -> Result<Option<GroupBy>, ApiError> {
    match param(q, name) {
        None => Ok(None),
        Some(g) => GroupBy::parse(g).map(Some).ok_or_else(|| {
            bad(
                name,
                format!("must be provider, model, key, day or hour (got {g:?})"),
            )
        }),
    }
}

/// `GET /api/usage/summary?from=&to=&groupBy=provider|model|key|day|hour` (and the log
/// filters `provider`, `model`, `keyId`, `status`).
pub(super) async fn summary(
    State(state): State<AppState>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let filter = filter(&q)?;
    let by = group_by(&q, "groupBy")?;
    let totals = store::totals(state.db(), &filter).await?;
    let groups = match by {
        Some(by) => Some(
            store::grouped(state.db(), &filter, by)
                .await?
                .iter()
                .map(|t| group_view(t, by))
                .collect::<Vec<_>>(),
        ),
        None => None,
    };
    Ok(Json(json!({
        "from": filter.from_ms.map(iso_ms),
        "to": filter.to_ms.map(iso_ms),
        "groupBy": param(&q, "groupBy"),
        "totals": totals_view(&totals),
        "groups": groups,
    })))
}

/// `GET /api/usage/history?from=&to=&bucket=hour|day` (default: hour for ranges up to two
/// days, else day): time buckets for charts, oldest first; buckets without rows are left out.
pub(super) async fn history(
    State(state): State<AppState>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let filter = filter(&q)?;
    let bucket = match param(&q, "bucket").or_else(|| param(&q, "interval")) {
        Some("hour") => GroupBy::Hour,
        Some("day") => GroupBy::Day,
        Some(other) => {
            return Err(bad(
                "bucket",
                format!("must be hour or day (got {other:?})"),
            ))
        }
        None => {
            let span =
                filter.to_ms.unwrap_or_else(crate::usage::now_ms) - filter.from_ms.unwrap_or(0);
            if span <= 2 * 86_400_000 {
                GroupBy::Hour
            } else {
                GroupBy::Day
            }
        }
    };
    let points: Vec<Value> = store::grouped(state.db(), &filter, bucket)
        .await?
        .iter()
        .map(|t| {
            let mut v = group_view(t, bucket);
            v["time"] = v["key"].take();
            if let Some(o) = v.as_object_mut() {
                o.remove("key");
            }
            v
        })
        .collect();
    Ok(Json(json!({
        "bucket": if bucket == GroupBy::Hour { "hour" } else { "day" },
        "from": filter.from_ms.map(iso_ms),
        "to": filter.to_ms.map(iso_ms),
        "points": points,
    })))
}

fn log_view(row: &Model) -> Value {
    json!({
        "id": row.id,
        "requestId": row.request_id,
        "time": iso_ms(row.ts),
        "timestamp": row.ts,
        "apiKeyId": row.api_key_id,
        "apiKeyName": row.api_key_name,
        "requestedModel": row.requested_model,
        "provider": row.provider,
        "model": row.model,
        "connectionId": row.connection_id,
        "combo": row.combo,
        "endpoint": row.endpoint,
        "clientFormat": row.client_format,
        "upstreamFormat": row.upstream_format,
        "tokens": {
            "input": row.tokens_input,
            "output": row.tokens_output,
            "cacheRead": row.tokens_cache_read,
            "cacheWrite": row.tokens_cache_write,
            "reasoning": row.tokens_reasoning,
        },
        "latencyMs": row.latency_ms,
        "ttftMs": row.ttft_ms,
        "status": row.status,
        "success": row.success,
        "error": row.error,
        "attempt": row.attempt,
        "streamed": row.streamed,
        "cached": row.cached,
        "cost": row.cost_usd,
    })
}

fn bounded(
    q: &HashMap<String, String>,
    name: &str,
    default: u64,
    max: u64,
) -> Result<u64, ApiError> {
    match param(q, name) {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(bad(
                name,
                format!("must be an integer from 0 to {max} (got {v:?})"),
            )),
        },
    }
}

/// `GET /api/usage/logs?limit=&offset=&status=&provider=&model=&keyId=&q=&from=&to=`: the
/// request log, newest first (`q`: text in the request id, models, provider, key name, error).
pub(super) async fn logs(
    State(state): State<AppState>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let filter = filter(&q)?;
    let limit = bounded(&q, "limit", 50, 1000)?.max(1);
    let offset = bounded(&q, "offset", 0, u64::MAX / 2)?;
    let (rows, total) = store::logs(state.db(), &filter, limit, offset).await?;
    Ok(Json(json!({
        "logs": rows.iter().map(log_view).collect::<Vec<_>>(),
        "total": total,
        "limit": limit,
        "offset": offset,
    })))
}

/// `GET /api/usage/logs/{id}`: one row, every attempt of its request, and the bodies recorded
/// for it (`null` unless Settings → logging records bodies).
pub(super) async fn log_detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let not_found = || ApiError::not_found("log_not_found", format!("no request log with id {id}"));
    let n: i64 = id.trim().parse().map_err(|_| not_found())?;
    let row = store::log(state.db(), n).await?.ok_or_else(not_found)?;
    let attempts = store::attempts_of(state.db(), &row.request_id).await?;
    let bodies = store::bodies_of(state.db(), &row.request_id).await?;
    Ok(Json(json!({
        "log": log_view(&row),
        "attempts": attempts.iter().map(log_view).collect::<Vec<_>>(),
        "bodies": bodies.map(|b| json!({
            "request": b.request_body,
            "requestTruncated": b.request_truncated,
            "response": b.response_body,
            "responseTruncated": b.response_truncated,
        })),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_every_accepted_form() {
        assert_eq!(parse_time("from", "1700000000").unwrap(), 1_700_000_000_000);
        assert_eq!(
            parse_time("from", "1700000000123").unwrap(),
            1_700_000_000_123
        );
        assert_eq!(parse_time("from", "2023-11-14").unwrap(), 1_699_920_000_000);
        assert_eq!(
            parse_time("from", "2023-11-14T22:13:20Z").unwrap(),
            1_700_000_000_000
        );
        assert_eq!(
            parse_time("from", "2023-11-14T22:13:20.5Z").unwrap(),
            1_700_000_000_500
        );
        for bad in [
            "yesterday",
            "2023-13-01",
            "2023-11-14T25:00",
            "2023-11-14X",
            "",
        ] {
            assert!(parse_time("from", bad).is_err(), "{bad}");
        }
    }
}
