//! Types shared by the Usage, Costs and Logs pages and their server functions (which read the
//! `/api/usage/*`, `/api/pricing` and `/api/usage/budget` answers), and the helpers that map
//! those JSON answers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Aggregates of a set of usage rows (`totals` of `/api/usage/summary`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsageTotals {
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
    /// USD; None when every row's cost is unknown.
    pub cost: Option<f64>,
    /// Rows whose cost is unknown (a price is missing).
    pub unknown_cost: i64,
    pub avg_latency_ms: Option<i64>,
}

impl UsageTotals {
    pub fn from_json(v: &Value) -> Self {
        let int = |v: &Value| v.as_i64().unwrap_or(0);
        let tokens = &v["tokens"];
        Self {
            requests: int(&v["requests"]),
            failed: int(&v["failed"]),
            client_requests: int(&v["clientRequests"]),
            input: int(&tokens["input"]),
            output: int(&tokens["output"]),
            cache_read: int(&tokens["cacheRead"]),
            cache_write: int(&tokens["cacheWrite"]),
            reasoning: int(&tokens["reasoning"]),
            cost: v["cost"].as_f64(),
            unknown_cost: int(&v["unknownCostRequests"]),
            avg_latency_ms: v["avgLatencyMs"].as_i64(),
        }
    }

    /// The cost to show: `$1.23`; `unknown` when no row has a known non-zero cost but some
    /// row's price is unknown; `≥ $1.23` when part of it is unknown.
    pub fn cost_label(&self) -> String {
        match (self.cost, self.unknown_cost > 0) {
            (Some(c), true) if c > 0.0 => format!("≥ {}", usd(c)),
            (_, true) | (None, false) => "unknown".to_string(),
            (Some(c), false) => usd(c),
        }
    }

    /// Succeeded rows over all rows, in percent; None without rows.
    pub fn success_rate(&self) -> Option<f64> {
        (self.requests > 0)
            .then(|| (self.requests - self.failed) as f64 * 100.0 / self.requests as f64)
    }
}

/// One row of a breakdown (by provider, model or key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageGroup {
    /// Provider id, model id or key id; None for "no provider" / anonymous.
    pub key: Option<String>,
    /// What to show.
    pub label: String,
    pub totals: UsageTotals,
}

/// One time bucket of the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsagePoint {
    /// Unix milliseconds of the bucket's start.
    pub start_ms: i64,
    pub totals: UsageTotals,
}

/// A request log row (one attempt).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogRow {
    pub id: i64,
    pub request_id: String,
    /// Unix milliseconds.
    pub ts_ms: i64,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub requested_model: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub connection_id: Option<String>,
    pub combo: Option<String>,
    pub endpoint: String,
    pub client_format: String,
    pub upstream_format: Option<String>,
    pub input: i64,
    pub output: i64,
    pub cache_read: i64,
    pub cache_write: i64,
    pub reasoning: i64,
    pub latency_ms: i64,
    pub ttft_ms: Option<i64>,
    pub status: i64,
    pub success: bool,
    pub error: Option<String>,
    pub attempt: i64,
    pub streamed: bool,
    pub cost: Option<f64>,
}

impl LogRow {
    pub fn from_json(v: &Value) -> Self {
        let text = |v: &Value| v.as_str().map(str::to_string);
        let int = |v: &Value| v.as_i64().unwrap_or(0);
        let tokens = &v["tokens"];
        Self {
            id: int(&v["id"]),
            request_id: text(&v["requestId"]).unwrap_or_default(),
            ts_ms: int(&v["timestamp"]),
            key_id: text(&v["apiKeyId"]),
            key_name: text(&v["apiKeyName"]),
            requested_model: text(&v["requestedModel"]).unwrap_or_default(),
            provider: text(&v["provider"]),
            model: text(&v["model"]),
            connection_id: text(&v["connectionId"]),
            combo: text(&v["combo"]),
            endpoint: text(&v["endpoint"]).unwrap_or_default(),
            client_format: text(&v["clientFormat"]).unwrap_or_default(),
            upstream_format: text(&v["upstreamFormat"]),
            input: int(&tokens["input"]),
            output: int(&tokens["output"]),
            cache_read: int(&tokens["cacheRead"]),
            cache_write: int(&tokens["cacheWrite"]),
            reasoning: int(&tokens["reasoning"]),
            latency_ms: int(&v["latencyMs"]),
            ttft_ms: v["ttftMs"].as_i64(),
            status: int(&v["status"]),
            success: v["success"].as_bool().unwrap_or(false),
            error: text(&v["error"]),
            attempt: int(&v["attempt"]),
            streamed: v["streamed"].as_bool().unwrap_or(false),
            cost: v["cost"].as_f64(),
        }
    }
}

/// A query string of the non-empty pairs, percent-encoded: `?a=1&b=x%20y` (or "").
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value.trim()));
    }
    out
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// USD with a precision that suits the amount: `$12.34`, `$0.0123`, `$0.000045`.
pub fn usd(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "$0.00".to_string()
    } else if a >= 1.0 {
        format!("${v:.2}")
    } else if a >= 0.01 {
        format!("${v:.4}")
    } else {
        format!("${v:.6}")
    }
}

/// A cost that may be unknown: `$1.23`, `unknown`.
pub fn cost_text(v: Option<f64>) -> String {
    v.map(usd).unwrap_or_else(|| "unknown".to_string())
}

/// `1,234,567`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `999`, `1.2K`, `3.4M`, for chart axes.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}K", v / 1e3)
    } else if a == a.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_format_and_encode() {
        assert_eq!(
            query_string(&[("a", "1"), ("b", ""), ("q", "x y&z")]),
            "?a=1&q=x%20y%26z"
        );
        assert_eq!(query_string(&[("a", " ")]), "");
        assert_eq!(usd(12.345), "$12.35");
        assert_eq!(usd(0.0123), "$0.0123");
        assert_eq!(usd(0.000045), "$0.000045");
        assert_eq!(cost_text(None), "unknown");
        let t = |cost, unknown_cost| UsageTotals {
            cost,
            unknown_cost,
            ..Default::default()
        };
        assert_eq!(t(Some(0.0), 2).cost_label(), "unknown");
        assert_eq!(t(Some(1.5), 2).cost_label(), "≥ $1.50");
        assert_eq!(t(Some(1.5), 0).cost_label(), "$1.50");
        assert_eq!(t(None, 0).cost_label(), "unknown");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(12), "12");
        assert_eq!(compact(1500.0), "1.5K");
        assert_eq!(compact(3.0), "3");
    }
}
