//! Calls to a provider on behalf of the dashboard: test a connection, list its models. They
//! use the shared client with a total timeout (the proxy path uses per-read timeouts).

use crate::state::AppState;
use crate::store::providers::StoredConnection;
use gateway::providers::{
    BuildError, Endpoint, ModelType, Target, UpstreamCall, UpstreamRequest, WireFormat,
};
use serde::Serialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Admin calls give up after this long.
pub(super) const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The outcome of `POST /api/providers/{id}/test`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Probe {
    pub ok: bool,
    /// The upstream's HTTP status; `null` when no answer came (connection refused, timeout).
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub message: String,
}

/// A model as the upstream lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpstreamModel {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
}

/// Why a model list could not be had.
#[derive(Debug)]
pub(super) enum ListError {
    /// The provider has no model-list endpoint.
    NoEndpoint(String),
    /// No key, OAuth, ...: the request cannot be built.
    Build(BuildError),
    /// The upstream failed or answered something unusable.
    Upstream {
        status: Option<u16>,
        message: String,
    },
}

fn models_request(target: Target<'_>, c: &StoredConnection) -> Result<UpstreamRequest, BuildError> {
    let mut call =
        UpstreamCall::chat(target, "", c.api_key.as_deref(), false).endpoint(Endpoint::Models);
    if let Some(base) = c.base_url.as_deref() {
        call = call.base_url(base);
    }
    call.build()
}

fn send(
    state: &AppState,
    provider: &str,
    method: reqwest::Method,
    req: &UpstreamRequest,
) -> reqwest::RequestBuilder {
    let mut builder = state
        .http_for(provider)
        .request(method, &req.url)
        .timeout(ADMIN_TIMEOUT)
        .header("accept", "application/json");
    for (k, v) in &req.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder
}

/// Describes a transport failure without the URL (it may carry `?key=`).
fn transport_message(e: reqwest::Error) -> String {
    if e.is_timeout() {
        format!(
            "the provider did not answer within {} s",
            ADMIN_TIMEOUT.as_secs()
        )
    } else if e.is_connect() {
        format!(
            "cannot connect to the provider: {}",
            root_cause(&e.without_url())
        )
    } else {
        format!("the request failed: {}", root_cause(&e.without_url()))
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// The error text of a provider's error body, in the usual places, shortened.
fn error_text(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(v) => [
            &v["error"]["message"],
            &v["error"],
            &v["message"],
            &v["detail"],
            &v[0]["error"]["message"],
        ]
        .iter()
        .find_map(|x| x.as_str().map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned()),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn status_message(status: u16, body: &[u8]) -> String {
    let detail = error_text(body);
    let what = match status {
        401 | 403 => "the provider refused the API key",
        404 => "the provider does not know this endpoint (check baseUrl)",
        429 => "the provider is rate limiting this key",
        s if s >= 500 => "the provider failed",
        _ => "the provider refused the request",
    };
    if detail.is_empty() {
        format!("{what} (HTTP {status})")
    } else {
        format!("{what} (HTTP {status}): {detail}")
    }
}

/// Lists the provider's models with the connection's key and base URL.
pub(super) async fn list_models(
    state: &AppState,
    target: Target<'_>,
    c: &StoredConnection,
) -> Result<Vec<UpstreamModel>, ListError> {
    let req = match models_request(target, c) {
        Ok(req) => req,
        Err(BuildError::NoSuchEndpoint { provider, .. }) => {
            return Err(ListError::NoEndpoint(provider))
        }
        Err(e) => return Err(ListError::Build(e)),
    };
    let response = send(state, target.id(), reqwest::Method::GET, &req)
        .send()
        .await
        .map_err(|e| ListError::Upstream {
            status: None,
            message: transport_message(e),
        })?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| ListError::Upstream {
        status: Some(status),
        message: transport_message(e),
    })?;
    if !(200..300).contains(&status) {
        return Err(ListError::Upstream {
            status: Some(status),
            message: status_message(status, &body),
        });
    }
    let json: Value = serde_json::from_slice(&body).map_err(|_| ListError::Upstream {
        status: Some(status),
        message: "the provider's model list is not JSON".to_string(),
    })?;
    parse_model_list(&json).ok_or_else(|| ListError::Upstream {
        status: Some(status),
        message: "the provider's model list has an unknown shape".to_string(),
    })
}

/// Reads `{"data":[{"id"}]}` (OpenAI, Anthropic), `{"models":[{"name":"models/x"}]}`
/// (Gemini, Ollama) or a bare array.
fn parse_model_list(json: &Value) -> Option<Vec<UpstreamModel>> {
    let items = json["data"]
        .as_array()
        .or_else(|| json["models"].as_array())
        .or_else(|| json.as_array())?;
    let mut out: Vec<UpstreamModel> = Vec::with_capacity(items.len());
    for item in items {
        let id = item["id"]
            .as_str()
            .or_else(|| item["name"].as_str())
            .or_else(|| item["model"].as_str())
            .or_else(|| item.as_str());
        let Some(id) = id else { continue };
        let id = id.strip_prefix("models/").unwrap_or(id).trim();
        if id.is_empty() || out.iter().any(|m| m.id == id) {
            continue;
        }
        let name = item["display_name"]
            .as_str()
            .or_else(|| item["displayName"].as_str())
            .or_else(|| item["name"].as_str().filter(|n| !n.starts_with("models/")))
            .filter(|n| *n != id)
            .map(str::to_string);
        out.push(UpstreamModel {
            id: id.to_string(),
            name,
            owned_by: item["owned_by"].as_str().map(str::to_string),
        });
    }
    Some(out)
}

/// Tests a connection: the model list when the provider has one, else a 1-token chat.
pub(super) async fn probe(state: &AppState, target: Target<'_>, c: &StoredConnection) -> Probe {
    let started = Instant::now();
    let done = |ok: bool, status: Option<u16>, message: String| Probe {
        ok,
        status,
        latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        message,
    };
    if c.key_error.is_some() {
        return done(
            false,
            None,
            "the stored API key cannot be decrypted (STORAGE_ENCRYPTION_KEY changed?); set the apiKey again".into(),
        );
    }
    match list_models(state, target, c).await {
        Ok(models) => {
            return done(
                true,
                Some(200),
                format!("connected; the provider lists {} models", models.len()),
            )
        }
        Err(ListError::Build(e)) => return done(false, None, e.to_string()),
        Err(ListError::Upstream { status, message }) => {
            let ok = status.is_some_and(|s| (200..300).contains(&s));
            return done(ok, status, message);
        }
        Err(ListError::NoEndpoint(_)) => {}
    }
    // No model list: the smallest chat request the provider accepts.
    let Some(model) = probe_model(target) else {
        return done(
            false,
            None,
            "cannot test: the provider has no model list and no known chat model; add one with POST /api/provider-models".into(),
        );
    };
    let mut call = UpstreamCall::chat(target, &model, c.api_key.as_deref(), false);
    if let Some(base) = c.base_url.as_deref() {
        call = call.base_url(base);
    }
    let req = match call.build() {
        Ok(req) => req,
        Err(e) => return done(false, None, e.to_string()),
    };
    let body = tiny_chat(req.format, &model);
    let response = send(state, target.id(), reqwest::Method::POST, &req)
        .json(&body)
        .send()
        .await;
    match response {
        Err(e) => done(false, None, transport_message(e)),
        Ok(r) => {
            let status = r.status().as_u16();
            let bytes = r.bytes().await.unwrap_or_default();
            if (200..300).contains(&status) {
                done(true, Some(status), format!("connected; {model} answered"))
            } else {
                done(false, Some(status), status_message(status, &bytes))
            }
        }
    }
}

fn probe_model(target: Target<'_>) -> Option<String> {
    match target {
        Target::Builtin(p) => p
            .models
            .iter()
            .find(|m| m.kind == ModelType::Chat)
            .map(|m| m.id.to_string()),
        Target::Custom(n) => n.models.first().cloned(),
    }
}

fn tiny_chat(format: WireFormat, model: &str) -> Value {
    match format {
        WireFormat::OpenAiChat => json!({
            "model": model, "max_tokens": 1, "stream": false,
            "messages": [{"role": "user", "content": "ping"}],
        }),
        WireFormat::Anthropic => json!({
            "model": model, "max_tokens": 1,
            "messages": [{"role": "user", "content": "ping"}],
        }),
        WireFormat::Gemini => json!({
            "contents": [{"role": "user", "parts": [{"text": "ping"}]}],
            "generationConfig": {"maxOutputTokens": 1},
        }),
        // The Responses API refuses fewer than 16 output tokens.
        WireFormat::Responses => json!({
            "model": model, "input": "ping", "max_output_tokens": 16,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_lists_of_each_shape() {
        let openai =
            json!({"object":"list","data":[{"id":"a","owned_by":"x"},{"id":"a"},{"id":"b"}]});
        let ids: Vec<_> = parse_model_list(&openai)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        let gemini = json!({"models":[{"name":"models/gemini-x","displayName":"Gemini X"}]});
        let m = &parse_model_list(&gemini).unwrap()[0];
        assert_eq!(
            (m.id.as_str(), m.name.as_deref()),
            ("gemini-x", Some("Gemini X"))
        );
        assert!(parse_model_list(&json!({"nope":1})).is_none());
    }

    #[test]
    fn error_bodies_are_summarised() {
        assert_eq!(
            error_text(br#"{"error":{"message":"Incorrect API key"}}"#),
            "Incorrect API key"
        );
        assert_eq!(error_text(b"plain"), "plain");
        assert!(status_message(401, b"{}").contains("refused the API key (HTTP 401)"));
        assert!(error_text(&[b'x'; 1000]).chars().count() <= 301);
    }
}
