//! Scopes `analytics` and `billing`: usage reports, the request log, why a request went where
//! it went, costs, budgets and prices.

use super::{fail, ok, reply};
use crate::mcp::api::query;
use crate::mcp::scopes::McpCaller;
use crate::mcp::server::McpServer;
use axum::http::Method;
use rmcp::handler::server::common::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageInput {
    /// Start (inclusive): a UTC date (2026-11-24), date-time (2026-11-24T10:00:00Z) or unix seconds. Default: everything.
    #[serde(default)]
    pub from: Option<String>,
    /// End (exclusive), same forms as from.
    #[serde(default)]
    pub to: Option<String>,
    /// Group the totals by provider, model, key, day or hour.
    #[serde(default)]
    pub group_by: Option<String>,
    /// Only this provider id.
    #[serde(default)]
    pub provider: Option<String>,
    /// Only this model.
    #[serde(default)]
    pub model: Option<String>,
    /// Only this API key id.
    #[serde(default)]
    pub key_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogsInput {
    /// Rows per page (1-200, default 20).
    #[serde(default)]
    pub limit: Option<u64>,
    /// Rows to skip (for the next pages).
    #[serde(default)]
    pub offset: Option<u64>,
    /// ok, error, or an HTTP status code.
    #[serde(default)]
    pub status: Option<String>,
    /// Only this provider id.
    #[serde(default)]
    pub provider: Option<String>,
    /// Only this model.
    #[serde(default)]
    pub model: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExplainInput {
    /// The request log id (from omniroute_usage_logs). Default: the latest request of the calling key.
    #[serde(default)]
    pub log_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CostInput {
    /// Start (inclusive): a UTC date, date-time or unix seconds. Default: the current UTC month.
    #[serde(default)]
    pub from: Option<String>,
    /// End (exclusive). Default: now.
    #[serde(default)]
    pub to: Option<String>,
    /// Break the costs down by model (default), provider, key or day.
    #[serde(default)]
    pub group_by: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BudgetInput {
    /// The API key id whose budget to check. Default: the calling key.
    #[serde(default)]
    pub key_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct PricingInput {
    /// Only this provider id (e.g. openai).
    #[serde(default)]
    pub provider: Option<String>,
    /// Only models containing this text (case-insensitive).
    #[serde(default)]
    pub search: Option<String>,
}

fn month_start() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-01", now.year(), u8::from(now.month()))
}

#[tool_router(router = usage_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_usage_report",
        description = "Usage totals (requests, failures, tokens by kind, cost in USD, average latency) for a time range, optionally grouped by provider, model, key, day or hour and filtered."
    )]
    async fn usage_report(&self, Parameters(i): Parameters<UsageInput>) -> CallToolResult {
        let q = query(&[
            ("from", i.from),
            ("to", i.to),
            ("groupBy", i.group_by),
            ("provider", i.provider),
            ("model", i.model),
            ("keyId", i.key_id),
        ]);
        reply(
            self.api(Method::GET, &format!("/api/usage/summary{q}"), None)
                .await,
        )
    }

    #[tool(
        name = "omniroute_usage_logs",
        description = "The request log, newest first: one row per upstream attempt with time, key, requested model, provider, model, status, tokens, cost and latency. Paginated with limit and offset."
    )]
    async fn usage_logs(&self, Parameters(i): Parameters<LogsInput>) -> CallToolResult {
        let q = query(&[
            (
                "limit",
                Some(i.limit.unwrap_or(20).clamp(1, 200).to_string()),
            ),
            ("offset", i.offset.map(|o| o.to_string())),
            ("status", i.status),
            ("provider", i.provider),
            ("model", i.model),
        ]);
        reply(
            self.api(Method::GET, &format!("/api/usage/logs{q}"), None)
                .await,
        )
    }

    #[tool(
        name = "omniroute_explain_route",
        description = "Explains how one past request was routed: every attempt in order (provider, model, connection, status, error), which one answered, and why the others failed over."
    )]
    async fn explain_route(
        &self,
        Parameters(i): Parameters<ExplainInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        let id = match i.log_id {
            Some(id) => id,
            None => {
                let q = query(&[
                    ("limit", Some("1".into())),
                    ("keyId", caller.key_id().map(str::to_string)),
                ]);
                match self
                    .api(Method::GET, &format!("/api/usage/logs{q}"), None)
                    .await
                {
                    Ok(v) => match v["logs"][0]["id"].as_i64() {
                        Some(id) => id,
                        None => return fail("no request recorded yet for this key; pass logId"),
                    },
                    Err(e) => return fail(e),
                }
            }
        };
        let detail = match self
            .api(Method::GET, &format!("/api/usage/logs/{id}"), None)
            .await
        {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let attempts = detail["attempts"].as_array().cloned().unwrap_or_default();
        let mut steps = Vec::new();
        for (n, a) in attempts.iter().enumerate() {
            let ok = a["success"] == true;
            let why = if ok {
                "answered".to_string()
            } else {
                format!(
                    "failed with {}{}",
                    a["status"],
                    a["error"]
                        .as_str()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default()
                )
            };
            steps.push(json!({
                "step": n + 1,
                "provider": a["provider"],
                "model": a["model"],
                "connectionId": a["connectionId"],
                "combo": a["combo"],
                "status": a["status"],
                "outcome": why,
            }));
        }
        let answered = attempts.iter().find(|a| a["success"] == true).cloned();
        let summary = match &answered {
            Some(a) if attempts.len() > 1 => format!(
                "served by {} ({}) after {} failed attempt(s)",
                a["provider"].as_str().unwrap_or("?"),
                a["model"].as_str().unwrap_or("?"),
                attempts.len() - 1
            ),
            Some(a) => format!(
                "served by {} ({}) on the first attempt",
                a["provider"].as_str().unwrap_or("?"),
                a["model"].as_str().unwrap_or("?")
            ),
            None => "no attempt succeeded".to_string(),
        };
        ok(json!({ "request": detail["log"], "summary": summary, "steps": steps }))
    }

    #[tool(
        name = "omniroute_cost_report",
        description = "Costs in USD for a period (default: this UTC month), broken down by model, provider, key or day, most expensive first, with the requests whose price is unknown counted apart."
    )]
    async fn cost_report(&self, Parameters(i): Parameters<CostInput>) -> CallToolResult {
        let q = query(&[
            ("from", Some(i.from.unwrap_or_else(month_start))),
            ("to", i.to),
            (
                "groupBy",
                Some(i.group_by.unwrap_or_else(|| "model".into())),
            ),
        ]);
        let mut summary = match self
            .api(Method::GET, &format!("/api/usage/summary{q}"), None)
            .await
        {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        if let Some(groups) = summary["groups"].as_array_mut() {
            groups.sort_by(|a, b| {
                let c = |v: &Value| v["cost"].as_f64().unwrap_or(0.0);
                c(b).partial_cmp(&c(a)).unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        ok(json!({
            "from": summary["from"],
            "to": summary["to"],
            "totalCost": summary["totals"]["cost"],
            "unknownCostRequests": summary["totals"]["unknownCostRequests"],
            "requests": summary["totals"]["requests"],
            "breakdown": summary["groups"],
        }))
    }

    #[tool(
        name = "omniroute_check_budget",
        description = "A key's spending budget: limit, period, spent so far, remaining, whether the warning threshold or the limit is reached, and when the period resets. Default: the calling key."
    )]
    async fn check_budget(
        &self,
        Parameters(i): Parameters<BudgetInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        let key_id = match i.key_id.or_else(|| caller.key_id().map(str::to_string)) {
            Some(k) => k,
            None => {
                return fail(
                    "keyId is required (there is no calling key on stdio without --api-key)",
                )
            }
        };
        let budgets = match self.api(Method::GET, "/api/usage/budget", None).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let found = budgets["budgets"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["keyId"] == key_id.as_str())
            .cloned();
        ok(match found {
            Some(b) => json!({ "keyId": key_id, "hasBudget": true, "budget": b }),
            None => json!({
                "keyId": key_id,
                "hasBudget": false,
                "note": "this key has no budget: its spending is not limited",
            }),
        })
    }

    #[tool(
        name = "omniroute_list_pricing",
        description = "Model prices in USD per 1M tokens (input, output, cache read, cache write) used for cost accounting, by provider."
    )]
    async fn list_pricing(&self, Parameters(i): Parameters<PricingInput>) -> CallToolResult {
        let q = query(&[("provider", i.provider.clone())]);
        let mut prices = match self
            .api(Method::GET, &format!("/api/pricing{q}"), None)
            .await
        {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        if let Some(needle) = i.search.map(|s| s.to_ascii_lowercase()) {
            for list in prices
                .as_object_mut()
                .into_iter()
                .flat_map(|o| o.values_mut())
            {
                if let Some(rows) = list.as_array_mut() {
                    rows.retain(|r| {
                        r["model"]
                            .as_str()
                            .is_some_and(|m| m.to_ascii_lowercase().contains(&needle))
                    });
                }
            }
        }
        ok(prices)
    }
}
