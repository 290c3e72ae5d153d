use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The API Manager's "Create a key" form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiKeyInput {
    pub name: String,
    pub scopes: Vec<String>,
    /// Model patterns separated by commas or new lines; empty: every model.
    pub allowed_models: String,
    /// Whole days from now; empty: never expires.
    pub expires_in_days: String,
}

/// A key just created or regenerated: the only time its full text leaves the server
/// (unless revealing is allowed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedKey {
    pub id: String,
    pub name: String,
    pub key: String,
}

/// The longest expiry the form accepts (ten years).
pub const MAX_EXPIRY_DAYS: i64 = 3650;

/// The allowed-model patterns of the form: split on commas and new lines, trimmed.
pub fn model_patterns(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The expiry field: None when empty, else whole days between 1 and [`MAX_EXPIRY_DAYS`].
pub fn expiry_days(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(format!(
            "Expiry: enter whole days between 1 and {MAX_EXPIRY_DAYS}, or leave it empty for a key that never expires."
        )),
    }
}

#[server(prefix = "/api/sf", endpoint = "create_api_key")]
pub async fn create_api_key(input: NewApiKeyInput) -> Result<IssuedKey, ServerFnError> {
    if input.name.trim().is_empty() {
        return Err(ServerFnError::new("Give the key a name, e.g. laptop."));
    }
    if input.scopes.is_empty() {
        return Err(ServerFnError::new("Choose at least one scope."));
    }
    expiry_days(&input.expires_in_days).map_err(ServerFnError::new)?;
    let backend = super::backend()?;
    backend
        .0
        .create_api_key(input)
        .await
        .map_err(ServerFnError::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields() {
        assert_eq!(
            model_patterns(" openai/*, anthropic/claude-*\n\n ds/x "),
            vec!["openai/*", "anthropic/claude-*", "ds/x"]
        );
        assert!(model_patterns(" , \n").is_empty());
        assert_eq!(expiry_days(""), Ok(None));
        assert_eq!(expiry_days(" 30 "), Ok(Some(30)));
        assert!(expiry_days("0").is_err());
        assert!(expiry_days("1.5").is_err());
        assert!(expiry_days("99999").is_err());
    }
}
