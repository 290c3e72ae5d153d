//! The Translator Playground's backend: runs the `gateway` engine on a pasted body, exactly
//! as the proxy does: requests client → provider, responses and streams provider → client.

use crate::http::v1::Caller;
use crate::state::AppState;
use app::api::chat_test::{ChatTestAttempt, ChatTestInput, ChatTestOutput};
use app::api::translate::{TranslateInput, TranslateOutput};
use axum::body::Bytes;
use gateway::{translate_request, translate_response, Format, StreamTranslator, TranslateOptions};
use serde_json::Value;

/// The name a format has on the page.
fn label(format: Format) -> &'static str {
    match format {
        Format::OpenAiChat => "OpenAI Chat",
        Format::Anthropic => "Anthropic Messages",
        Format::Gemini => "Gemini",
        Format::Responses => "OpenAI Responses",
    }
}

fn parse_format(text: &str, what: &str) -> Result<Format, String> {
    text.parse::<Format>()
        .map_err(|_| format!("Unknown {what} format {text:?}."))
}

/// The model to name: the one given, else the body's `model` (or Gemini's `modelVersion`),
/// else a stand-in.
fn model_for(input: &TranslateInput) -> String {
    let given = input.model.trim();
    if !given.is_empty() {
        return given.to_string();
    }
    let from_body = serde_json::from_str::<Value>(&input.body)
        .ok()
        .and_then(|v| {
            v.get("model")
                .or_else(|| v.get("modelVersion"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|m| !m.is_empty());
    from_body.unwrap_or_else(|| "model".to_string())
}

/// Pretty-prints JSON bytes; anything else is shown as it is.
fn pretty(bytes: &[u8]) -> String {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => serde_json::to_string_pretty(&v)
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned()),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

pub(super) fn translate(input: &TranslateInput) -> Result<TranslateOutput, String> {
    let source = parse_format(&input.source, "source")?;
    let target = parse_format(&input.target, "target")?;
    let model = model_for(input);
    let body = input.body.as_bytes();
    match input.mode.as_str() {
        "request" => {
            let out = translate_request(source, target, body, &model, &TranslateOptions::default())
                .map_err(|e| format!("The {} request is refused: {e}", label(source)))?;
            Ok(TranslateOutput {
                text: pretty(&out.body),
                warnings: out.warnings,
            })
        }
        "response" => {
            let out = translate_response(target, source, body, &model, None)
                .map_err(|e| format!("The {} response is refused: {e}", label(target)))?;
            Ok(TranslateOutput {
                text: pretty(&out.body),
                warnings: Vec::new(),
            })
        }
        "stream" => {
            let mut stream = StreamTranslator::new(target, source, &model);
            let refused = |e: gateway::StreamError| {
                format!("The {} stream is refused: {}", label(target), e.error)
            };
            let mut text = stream.push(body).map_err(refused)?.to_vec();
            text.extend_from_slice(&stream.finish().map_err(refused)?);
            Ok(TranslateOutput {
                text: String::from_utf8_lossy(&text).into_owned(),
                warnings: Vec::new(),
            })
        }
        other => Err(format!(
            "Unknown mode {other:?}: request, response or stream."
        )),
    }
}

/// The Chat Tester: the request goes through the real proxy (resolution, connections,
/// translation, the upstream call, translation back) with a trace attached. Streaming is
/// turned off so every step can be shown whole.
pub async fn chat_test(state: AppState, input: ChatTestInput) -> Result<ChatTestOutput, String> {
    use crate::http::v1::proxy::{self, Ingress};
    use crate::http::v1::trace::{clip, Trace};
    let format: Format = input
        .format
        .parse()
        .map_err(|_| format!("unknown format {:?}", input.format))?;
    let mut body = input.body.clone().into_bytes();
    if format != Format::Gemini {
        body = gateway::json_scan::set_top_level(&body, "stream", "false")
            .map_err(|e| format!("The request is not valid JSON: {e}"))?;
        if !input.model.trim().is_empty() {
            let quoted = serde_json::to_string(input.model.trim()).unwrap_or_default();
            body = gateway::json_scan::set_top_level(&body, "model", &quoted)
                .map_err(|e| format!("The request is not valid JSON: {e}"))?;
        }
    } else if input.model.trim().is_empty() {
        return Err("Gemini requests name their model in the URL: fill in the model.".into());
    }
    let client_request = pretty(&body);
    let trace = std::sync::Arc::new(std::sync::Mutex::new(Trace::default()));
    let mut ingress = Ingress::new(format, Bytes::from(body), Caller(None));
    ingress.trace = Some(trace.clone());
    if format == Format::Gemini {
        ingress.model_from_path = Some(input.model.trim().to_string());
    }
    let response = proxy::handle(state, ingress, axum::http::HeaderMap::new()).await;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?;
    let attempts = trace
        .lock()
        .map(|t| t.attempts.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|a| ChatTestAttempt {
            provider: a.provider,
            upstream_format: a.upstream_format,
            url: a.url,
            translated_request: pretty(a.translated_request.as_bytes()),
            status: a.status,
            upstream_response: pretty(a.upstream_response.as_bytes()),
            error: a.error,
        })
        .collect();
    Ok(ChatTestOutput {
        client_request,
        attempts,
        status,
        client_response: pretty(&clip(&bytes).into_bytes()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::pages::translator::examples::{example, FORMATS, MODES};

    fn input(mode: &str, source: &str, target: &str, body: &str) -> TranslateInput {
        TranslateInput {
            mode: mode.into(),
            source: source.into(),
            target: target.into(),
            model: String::new(),
            body: body.into(),
        }
    }

    /// Every example the page offers translates to every other format, and a stream ends
    /// cleanly (no "ended before the response was complete" error event).
    #[test]
    fn every_example_translates_in_every_direction() {
        for mode in MODES {
            for source in FORMATS {
                for target in FORMATS {
                    // Requests are written in the source format, answers in the target's.
                    let body = if mode == "request" {
                        example(mode, source)
                    } else {
                        example(mode, target)
                    };
                    let out = translate(&input(mode, source, target, body))
                        .unwrap_or_else(|e| panic!("{mode} {source}->{target}: {e}"));
                    assert!(!out.text.trim().is_empty(), "{mode} {source}->{target}");
                    if mode == "stream" {
                        assert!(
                            !out.text.contains("ended before"),
                            "{mode} {source}->{target}: {}",
                            out.text
                        );
                    } else {
                        serde_json::from_str::<Value>(&out.text).unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn openai_to_anthropic_sets_max_tokens_and_messages() {
        let out = translate(&input(
            "request",
            "openai_chat",
            "anthropic",
            example("request", "openai_chat"),
        ))
        .unwrap();
        let v: Value = serde_json::from_str(&out.text).unwrap();
        assert!(v["max_tokens"].is_u64(), "{}", out.text);
        assert!(v["messages"].is_array(), "{}", out.text);
        assert!(v["system"].is_string() || v["system"].is_array());
    }

    #[test]
    fn errors_name_the_problem() {
        let e = translate(&input("request", "openai_chat", "anthropic", "{nope")).unwrap_err();
        assert!(e.contains("invalid JSON"), "{e}");
        let e = translate(&input(
            "request",
            "openai_chat",
            "anthropic",
            r#"{"model":"m","messages":[{"role":"user","content":5}]}"#,
        ))
        .unwrap_err();
        assert!(e.contains("messages[0]"), "{e}");
        let e = translate(&input("request", "cobol", "anthropic", "{}")).unwrap_err();
        assert!(e.contains("cobol"), "{e}");
    }
}
