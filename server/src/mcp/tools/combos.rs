//! Scope `combos`: list, inspect, switch and test combos, and simulate where a request would
//! go (a dry run: nothing is sent, no strategy state moves).

use super::{fail, ok, reply};
use crate::mcp::chat::{self, ChatRequest};
use crate::mcp::scopes::McpCaller;
use crate::mcp::server::McpServer;
use axum::http::Method;
use gateway::providers::{parse_model_string, Registry, Resolution};
use rmcp::handler::server::common::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::schemars::{self, JsonSchema};
use rmcp::{tool, tool_router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Instant;

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ComboInput {
    /// The combo's name (what clients send as model) or id.
    pub combo: String,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SwitchInput {
    /// The combo's name or id.
    pub combo: String,
    /// true activates the combo (requests may use it), false deactivates it.
    pub active: bool,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct SimulateInput {
    /// A model string (provider/model, a bare model name) or a combo name.
    pub model: String,
    /// A session id for sticky strategies (lkgp, round-robin).
    #[serde(default)]
    pub session: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct TestComboInput {
    /// The combo's name or id.
    pub combo: String,
    /// The prompt to send (default: "Reply with OK.").
    #[serde(default)]
    pub prompt: Option<String>,
}

#[tool_router(router = combo_tools, vis = "pub(super)")]
impl McpServer {
    #[tool(
        name = "omniroute_list_combos",
        description = "Every combo (a named list of models with a balancing strategy, usable as a model name): name, strategy, steps, whether it is active."
    )]
    async fn list_combos(&self) -> CallToolResult {
        reply(self.api(Method::GET, "/api/combos", None).await)
    }

    #[tool(
        name = "omniroute_get_combo",
        description = "One combo with its steps and configuration, and the order in which its strategy would try the targets now (a preview that moves no strategy state)."
    )]
    async fn get_combo(&self, Parameters(input): Parameters<ComboInput>) -> CallToolResult {
        let id = match self.combo_id(&input.combo).await {
            Ok(id) => id,
            Err(e) => return fail(e),
        };
        let path = format!("/api/combos/{}", crate::mcp::api::encode(&id));
        let combo = match self.api(Method::GET, &path, None).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let plan = self
            .api(Method::GET, &format!("{path}/plan"), None)
            .await
            .unwrap_or_else(|e| json!({ "unavailable": e }));
        ok(json!({ "combo": combo["combo"], "plan": plan }))
    }

    #[tool(
        name = "omniroute_switch_combo",
        description = "Activates or deactivates a combo. A deactivated combo is refused as a model until it is activated again."
    )]
    async fn switch_combo(&self, Parameters(input): Parameters<SwitchInput>) -> CallToolResult {
        let id = match self.combo_id(&input.combo).await {
            Ok(id) => id,
            Err(e) => return fail(e),
        };
        let path = format!("/api/combos/{}", crate::mcp::api::encode(&id));
        reply(
            self.api(
                Method::PATCH,
                &path,
                Some(json!({ "isActive": input.active })),
            )
            .await,
        )
    }

    #[tool(
        name = "omniroute_simulate_route",
        description = "Dry run: where a request for this model or combo would go now, in order, with the targets that would be skipped and why (circuit breaker open, account cooling down, no connection). Nothing is sent."
    )]
    async fn simulate_route(&self, Parameters(input): Parameters<SimulateInput>) -> CallToolResult {
        reply(self.simulate(&input.model, input.session.as_deref()).await)
    }

    #[tool(
        name = "omniroute_test_combo",
        description = "Sends a short prompt through a combo (a real request, billed like any other) and reports the answer, the provider and model that served it, the attempts and the latency."
    )]
    async fn test_combo(
        &self,
        Parameters(input): Parameters<TestComboInput>,
        Extension(caller): Extension<McpCaller>,
    ) -> CallToolResult {
        let list = match self.api(Method::GET, "/api/combos", None).await {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        let Some(name) = list["combos"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["id"] == input.combo.as_str() || c["name"] == input.combo.as_str())
            .and_then(|c| c["name"].as_str())
            .map(str::to_string)
        else {
            return fail(format!(
                "no combo named {:?}: omniroute_list_combos lists them",
                input.combo
            ));
        };
        let prompt = input.prompt.unwrap_or_else(|| "Reply with OK.".to_string());
        let started = Instant::now();
        let request = ChatRequest {
            model: name.clone(),
            messages: vec![chat::user(&prompt)],
            max_tokens: Some(64),
            ..Default::default()
        };
        match chat::route_chat(&self.system.app, caller.key.as_ref(), request).await {
            Ok(out) => ok(json!({
                "combo": name,
                "ok": true,
                "answer": out.answer,
                "route": out.route,
                "usage": out.usage,
                "latencyMs": out.latency_ms,
            })),
            Err(e) => ok(json!({
                "combo": name,
                "ok": false,
                "status": e.status,
                "error": e.message,
                "route": e.route,
                "latencyMs": started.elapsed().as_millis() as u64,
            })),
        }
    }
}

impl McpServer {
    /// The simulated route of `model`: a combo's plan preview, or the resolution of a model
    /// string to providers and accounts.
    pub(crate) async fn simulate(
        &self,
        model: &str,
        session: Option<&str>,
    ) -> Result<Value, String> {
        let app = &self.system.app;
        if app.combos().get().contains(model) {
            let id = self.combo_id(model).await?;
            let mut path = format!("/api/combos/{}/plan", crate::mcp::api::encode(&id));
            path.push_str(&crate::mcp::api::query(&[(
                "session",
                session.map(str::to_string),
            )]));
            let plan = self.api(Method::GET, &path, None).await?;
            let mut steps = Vec::new();
            for t in plan["targets"].as_array().into_iter().flatten() {
                let target = t["model"].as_str().unwrap_or_default();
                let resolved = self.resolve(target);
                steps.push(json!({ "target": t, "resolution": resolved }));
            }
            return Ok(json!({
                "model": model,
                "combo": true,
                "strategy": plan["strategy"],
                "steps": steps,
                "note": "a combo tries its targets in this order; the first target with a usable account answers",
            }));
        }
        let resolution = self.resolve(model);
        Ok(json!({ "model": model, "combo": false, "resolution": resolution }))
    }

    /// A model string's candidates, each with its accounts and whether they can take a request now.
    fn resolve(&self, model: &str) -> Value {
        let app = &self.system.app;
        let snapshot = app.snapshot();
        let registry = Registry::builtin();
        let candidates = match parse_model_string(registry, &snapshot.nodes, model) {
            Ok(Resolution::Exact(r)) => vec![r],
            Ok(Resolution::Candidates(v)) => v,
            Err(e) => return json!({ "error": e.to_string() }),
        };
        let resilience = app.resilience();
        let now = Instant::now();
        let strategy = app.accounts().settings().strategy.as_str();
        let targets: Vec<Value> = candidates
            .iter()
            .map(|c| {
                let provider = c.target.id();
                let breaker = resilience.breaker_allows(provider).err();
                let accounts: Vec<Value> = snapshot
                    .connections_for(provider)
                    .into_iter()
                    .map(|conn| {
                        let cooling = resilience
                            .cooling_until(&conn.id)
                            .map(|until| until.saturating_duration_since(now).as_secs().max(1));
                        json!({
                            "connection": conn.name,
                            "connectionId": conn.id,
                            "usable": cooling.is_none() && breaker.is_none(),
                            "coolingDownSecs": cooling,
                        })
                    })
                    .collect();
                let skipped = if let Some(wait) = breaker {
                    Some(format!(
                        "the circuit breaker of {provider} is open (retry in {} s)",
                        wait.as_secs().max(1)
                    ))
                } else if accounts.is_empty()
                    && c.target.auth() != gateway::providers::AuthStyle::None
                {
                    Some(format!("no enabled connection for {provider}"))
                } else if !accounts.is_empty() && accounts.iter().all(|a| a["usable"] == false) {
                    Some("every account is cooling down".to_string())
                } else {
                    None
                };
                json!({
                    "provider": provider,
                    "providerName": c.target.name(),
                    "upstreamModel": c.model,
                    "model": c.qualified(),
                    "accounts": accounts,
                    "skipped": skipped,
                })
            })
            .collect();
        let first = targets.iter().find(|t| t["skipped"].is_null()).cloned();
        json!({
            "targets": targets,
            "wouldUse": first,
            "accountStrategy": strategy,
        })
    }
}
