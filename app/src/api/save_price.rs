use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The price form, as typed: USD per 1M tokens; an empty cache price means unknown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceInput {
    pub provider: String,
    pub model: String,
    pub input: String,
    pub output: String,
    pub cache_read: String,
    pub cache_write: String,
}

/// Sets a model's price (`PUT /api/pricing`, a `user` row).
#[server(prefix = "/api/sf", endpoint = "save_price")]
pub async fn save_price(input: PriceInput) -> Result<(), ServerFnError> {
    use serde_json::Value;
    let number = |text: &str, what: &str, required: bool| -> Result<Value, ServerFnError> {
        let t = text.trim().trim_start_matches('$');
        if t.is_empty() || t.eq_ignore_ascii_case("unknown") {
            return if required {
                Err(ServerFnError::new(format!(
                    "The {what} price is required (USD per 1M tokens)."
                )))
            } else {
                Ok(Value::Null)
            };
        }
        t.parse::<f64>().map(Value::from).map_err(|_| {
            ServerFnError::new(format!(
                "The {what} price must be a number of USD per 1M tokens, like 2.5 (got {text:?})."
            ))
        })
    };
    let body = serde_json::json!({
        "provider": input.provider.trim(),
        "model": input.model.trim(),
        "input": number(&input.input, "input", true)?,
        "output": number(&input.output, "output", true)?,
        "cacheRead": number(&input.cache_read, "cache read", false)?,
        "cacheWrite": number(&input.cache_write, "cache write", false)?,
    });
    let _: Value = super::rest("PUT", "/api/pricing", Some(body)).await?;
    Ok(())
}
