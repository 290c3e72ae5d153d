//! The A2A skills. The model-backed ones (smart-routing, code-review, summarize,
//! extract-facts) send a prompt through the gateway's routing like any `/v1` request (combos,
//! failover, usage rows, the key's budget and model limits); health-report and cost-analysis
//! answer from the gateway's own state.
//!
//! The model: the message's `metadata.model` (or the request's), else the A2A default model
//! (Dashboard → MCP & A2A), else the first active combo, else the first model a connection
//! serves.

use crate::auth::api_keys::KeyInfo;
use crate::http::system::SystemState;
use crate::mcp::api;
use crate::mcp::chat::{self, ChatRequest};
use axum::http::Method;
use serde_json::{json, Value};

pub struct SkillSpec {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub tags: &'static [&'static str],
    pub examples: &'static [&'static str],
    /// The key scope needed to run it (`manage` holds every scope).
    pub scope: &'static str,
    /// The system prompt of a model-backed skill; None for the ones answered from state.
    pub system_prompt: Option<&'static str>,
}

pub const SKILLS: &[SkillSpec] = &[
    SkillSpec {
        id: "smart-routing",
        name: "Smart routing",
        description: "Answers a prompt through OmniRoute's routing: a combo or the best available model (name one in the message metadata as \"model\"), with failover across providers and accounts. The answer comes with the route taken.",
        tags: &["chat", "routing", "llm"],
        examples: &["Explain the difference between TCP and UDP in three sentences."],
        scope: "chat",
        system_prompt: None,
    },
    SkillSpec {
        id: "code-review",
        name: "Code review",
        description: "Reviews code or a diff: bugs and risks first, then security, then readability, concretely and briefly.",
        tags: &["code", "review"],
        examples: &["Review this function: fn div(a: i32, b: i32) -> i32 { a / b }"],
        scope: "chat",
        system_prompt: Some("You are a meticulous senior code reviewer. Review the code or diff the user sends: list bugs and risks first (with line references where possible), then security issues, then readability and style. Be concrete and brief."),
    },
    SkillSpec {
        id: "summarize",
        name: "Summarize",
        description: "Summarizes a text faithfully in a few sentences, then lists its key points.",
        tags: &["text", "summary"],
        examples: &["Summarize: <a long text>"],
        scope: "chat",
        system_prompt: Some("Summarize the text the user sends faithfully in a few sentences, then list its key points as bullets. Do not add anything that is not in the text."),
    },
    SkillSpec {
        id: "extract-facts",
        name: "Extract facts",
        description: "Extracts the verifiable facts of a text as a JSON array of {fact, subject, confidence}.",
        tags: &["text", "extraction", "json"],
        examples: &["Extract the facts: Ada Lovelace wrote the first program in 1843."],
        scope: "chat",
        system_prompt: Some("Extract the verifiable facts from the text the user sends. Answer with a JSON array only, one object per fact: {\"fact\": string, \"subject\": string, \"confidence\": number between 0 and 1}."),
    },
    SkillSpec {
        id: "health-report",
        name: "Health report",
        description: "Reports the gateway's health: connections per provider, open circuit breakers, accounts cooling down after rate limits, uptime.",
        tags: &["health", "operations"],
        examples: &["How healthy are my providers?"],
        scope: "health",
        system_prompt: None,
    },
    SkillSpec {
        id: "cost-analysis",
        name: "Cost analysis",
        description: "Analyses spending: this month's cost by model and by provider, the most expensive ones, and requests with unknown prices.",
        tags: &["cost", "billing", "usage"],
        examples: &["What did I spend this month, and on which models?"],
        scope: "billing",
        system_prompt: None,
    },
];

pub fn find(id: &str) -> Option<&'static SkillSpec> {
    SKILLS.iter().find(|s| s.id == id)
}

/// What a skill produced.
#[derive(Debug, Clone, Default)]
pub struct SkillOutput {
    pub text: String,
    /// Structured results (an A2A data part).
    pub data: Option<Value>,
    /// The route taken, for model-backed skills.
    pub route: Option<Value>,
}

/// A skill's failure, with the route tried when there was one.
#[derive(Debug, Clone)]
pub struct SkillError {
    pub message: String,
    pub route: Option<Value>,
}

/// Runs `skill` on `text` as `key`.
pub async fn run(
    system: &SystemState,
    key: Option<&KeyInfo>,
    skill: &SkillSpec,
    text: &str,
    model: Option<String>,
) -> Result<SkillOutput, SkillError> {
    let plain = |message: String| SkillError {
        message,
        route: None,
    };
    match skill.id {
        "health-report" => health_report(system).await.map_err(plain),
        "cost-analysis" => cost_analysis(system).await.map_err(plain),
        _ => {
            let model = match model {
                Some(m) => m,
                None => default_model(system).await.map_err(plain)?,
            };
            let request = ChatRequest {
                model,
                system: skill.system_prompt.map(str::to_string),
                messages: vec![chat::user(text)],
                ..Default::default()
            };
            match chat::route_chat(&system.app, key, request).await {
                Ok(out) => {
                    let route = serde_json::to_value(&out.route).ok();
                    let data = (skill.id == "extract-facts")
                        .then(|| parse_facts(&out.answer))
                        .flatten()
                        .map(|facts| json!({ "facts": facts }));
                    Ok(SkillOutput {
                        text: out.answer,
                        data,
                        route,
                    })
                }
                Err(e) => Err(SkillError {
                    message: format!("{} (HTTP {})", e.message, e.status),
                    route: serde_json::to_value(&e.route).ok(),
                }),
            }
        }
    }
}

/// The model used when the message names none.
async fn default_model(system: &SystemState) -> Result<String, String> {
    let hub = crate::mcp::hub(system);
    if let Some(m) = hub.settings().a2a(system.app.db()).await.default_model {
        if !m.trim().is_empty() {
            return Ok(m);
        }
    }
    if let Some(c) = system.app.combos().get().iter().next() {
        return Ok(c.name.clone());
    }
    let response =
        crate::http::v1::models::list_openai(axum::extract::State(system.app.clone())).await;
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .map_err(|e| e.to_string())?;
    let list: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    list["data"][0]["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| {
            "no model to use: name one in the message metadata (\"model\"), set the A2A default model in Dashboard → MCP & A2A, or add a provider connection".to_string()
        })
}

/// A JSON array of facts in a model's answer (possibly inside a ```json fence).
fn parse_facts(answer: &str) -> Option<Value> {
    let start = answer.find('[')?;
    let end = answer.rfind(']')?;
    let value: Value = serde_json::from_str(answer.get(start..=end)?).ok()?;
    value.is_array().then_some(value)
}

async fn health_report(system: &SystemState) -> Result<SkillOutput, String> {
    let app = &system.app;
    let resilience = api::call(system, Method::GET, "/api/resilience", None)
        .await
        .map_err(|e| e.to_string())?;
    let snapshot = app.snapshot();
    let mut lines = vec![format!(
        "OmniRoute {} up for {} s; {} connection(s), {} combo(s).",
        env!("CARGO_PKG_VERSION"),
        app.uptime_secs(),
        snapshot.connections.len(),
        app.combos().get().len()
    )];
    let state = &resilience["state"];
    let breakers: Vec<&Value> = state["breakers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| {
            b["state"]
                .as_str()
                .is_some_and(|s| s != "closed" && s != "CLOSED")
        })
        .collect();
    if breakers.is_empty() {
        lines.push("Every provider's circuit breaker is closed.".into());
    } else {
        for b in &breakers {
            lines.push(format!(
                "Circuit breaker of {} is {}.",
                b["provider"].as_str().unwrap_or("?"),
                b["state"].as_str().unwrap_or("?")
            ));
        }
    }
    let cooling = state["cooldowns"].as_array().map(Vec::len).unwrap_or(0);
    lines.push(if cooling == 0 {
        "No account is cooling down.".into()
    } else {
        format!("{cooling} account(s) cooling down after rate limits or refusals.")
    });
    Ok(SkillOutput {
        text: lines.join("\n"),
        data: Some(json!({
            "uptimeSecs": app.uptime_secs(),
            "connections": snapshot.connections.len(),
            "resilience": resilience,
        })),
        route: None,
    })
}

async fn cost_analysis(system: &SystemState) -> Result<SkillOutput, String> {
    let now = time::OffsetDateTime::now_utc();
    let from = format!("{:04}-{:02}-01", now.year(), u8::from(now.month()));
    let get = |group: &'static str| {
        let path = format!("/api/usage/summary?from={from}&groupBy={group}");
        async move {
            api::call(system, Method::GET, &path, None)
                .await
                .map_err(|e| e.to_string())
        }
    };
    let by_model = get("model").await?;
    let by_provider = get("provider").await?;
    let cost = |v: &Value| v["cost"].as_f64().unwrap_or(0.0);
    let mut models: Vec<Value> = by_model["groups"].as_array().cloned().unwrap_or_default();
    models.sort_by(|a, b| {
        cost(b)
            .partial_cmp(&cost(a))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let totals = &by_model["totals"];
    let mut lines = vec![format!(
        "Since {from}: {} request(s), ${:.4} known cost{}.",
        totals["requests"].as_i64().unwrap_or(0),
        cost(totals),
        match totals["unknownCostRequests"].as_i64().unwrap_or(0) {
            0 => String::new(),
            n => format!(", {n} request(s) with an unknown price"),
        }
    )];
    for m in models.iter().take(5) {
        lines.push(format!(
            "- {}: ${:.4} over {} request(s)",
            m["key"].as_str().unwrap_or("?"),
            cost(m),
            m["requests"].as_i64().unwrap_or(0)
        ));
    }
    Ok(SkillOutput {
        text: lines.join("\n"),
        data: Some(json!({
            "from": from,
            "totals": totals,
            "byModel": models,
            "byProvider": by_provider["groups"],
        })),
        route: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_found_in_fenced_answers() {
        let v =
            parse_facts("```json\n[{\"fact\":\"a\",\"subject\":\"b\",\"confidence\":0.9}]\n```")
                .unwrap();
        assert_eq!(v[0]["fact"], "a");
        assert!(parse_facts("no facts here").is_none());
    }

    #[test]
    fn skills_have_known_scopes() {
        for s in SKILLS {
            assert!(crate::auth::api_keys::SCOPES.contains(&s.scope), "{}", s.id);
        }
        assert!(find("smart-routing").is_some());
        assert!(find("web-research").is_none());
    }
}
