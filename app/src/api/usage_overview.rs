use super::usage_types::{UsageGroup, UsagePoint, UsageTotals};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the Usage page shows for one range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageReport {
    /// `today`, `7d` or `30d`.
    pub range: String,
    /// Unix milliseconds.
    pub from_ms: i64,
    pub to_ms: i64,
    /// The chart's bucket length in milliseconds (an hour or a day).
    pub bucket_ms: i64,
    pub totals: UsageTotals,
    /// Every bucket of the range, oldest first (empty buckets included).
    pub points: Vec<UsagePoint>,
    pub by_provider: Vec<UsageGroup>,
    pub by_model: Vec<UsageGroup>,
    pub by_key: Vec<UsageGroup>,
}

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// `(from, bucket)` of a range ending at `now` (unix ms): today by hour (UTC), the last 7 or
/// 30 days by day, today included.
pub fn range_bounds(range: &str, now_ms: i64) -> Option<(i64, i64)> {
    let today = now_ms - now_ms.rem_euclid(DAY_MS);
    match range {
        "today" => Some((today, HOUR_MS)),
        "7d" => Some((today - 6 * DAY_MS, DAY_MS)),
        "30d" => Some((today - 29 * DAY_MS, DAY_MS)),
        _ => None,
    }
}

#[server(prefix = "/api/sf", endpoint = "usage_overview")]
pub async fn usage_overview(range: String) -> Result<UsageReport, ServerFnError> {
    use super::rest;
    use serde_json::Value;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let (from, bucket_ms) = range_bounds(&range, now).ok_or_else(|| {
        ServerFnError::new(format!("Unknown range {range:?}: use today, 7d or 30d."))
    })?;
    let bucket = if bucket_ms == HOUR_MS { "hour" } else { "day" };
    let base = format!("from={from}");
    let summary: Value = rest("GET", &format!("/api/usage/summary?{base}"), None).await?;
    let history: Value = rest(
        "GET",
        &format!("/api/usage/history?{base}&bucket={bucket}"),
        None,
    )
    .await?;
    let mut recorded = std::collections::HashMap::new();
    for p in history["points"].as_array().into_iter().flatten() {
        if let Some(start) = p["start"].as_i64() {
            recorded.insert(start, UsageTotals::from_json(p));
        }
    }
    let mut points = Vec::new();
    let mut start = from;
    while start <= now {
        points.push(UsagePoint {
            start_ms: start,
            totals: recorded.remove(&start).unwrap_or_default(),
        });
        start += bucket_ms;
    }
    let mut groups = Vec::new();
    for by in ["provider", "model", "key"] {
        let v: Value = rest(
            "GET",
            &format!("/api/usage/summary?{base}&groupBy={by}"),
            None,
        )
        .await?;
        let rows: Vec<UsageGroup> = v["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| {
                let key = g["key"].as_str().map(str::to_string);
                let label = match by {
                    "key" => g["name"].as_str().unwrap_or("anonymous").to_string(),
                    "provider" => key
                        .clone()
                        .unwrap_or_else(|| "(refused before routing)".into()),
                    _ => key.clone().unwrap_or_else(|| "(none)".into()),
                };
                UsageGroup {
                    key,
                    label,
                    totals: UsageTotals::from_json(g),
                }
            })
            .collect();
        groups.push(rows);
    }
    let by_key = groups.pop().unwrap_or_default();
    let by_model = groups.pop().unwrap_or_default();
    let by_provider = groups.pop().unwrap_or_default();
    Ok(UsageReport {
        range,
        from_ms: from,
        to_ms: now,
        bucket_ms,
        totals: UsageTotals::from_json(&summary["totals"]),
        points,
        by_provider,
        by_model,
        by_key,
    })
}
