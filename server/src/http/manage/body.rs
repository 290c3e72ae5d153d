//! JSON bodies read field by field: a missing field, a wrong type or bad JSON gets a 400 that
//! names the field, never a panic or a generic rejection. Unknown fields are ignored (scripts
//! written for the reference send a few more).

use super::ApiError;
use serde_json::{Map, Value};

pub(crate) struct JsonBody(Map<String, Value>);

impl JsonBody {
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "invalid_body",
                "the request body is empty; send a JSON object",
            ));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(ApiError::bad_request(
                "invalid_body",
                "the request body must be a JSON object",
            )),
            Err(e) => Err(ApiError::bad_request(
                "invalid_json",
                format!("the request body is not valid JSON: {e}"),
            )),
        }
    }

    /// An empty body is an empty object (for endpoints whose fields are all optional).
    pub fn parse_optional(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(Self(Map::new()))
        } else {
            Self::parse(bytes)
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    fn wrong_type(field: &str, what: &str) -> ApiError {
        ApiError::bad_request("invalid_field", format!("{field} must be {what}"))
    }

    /// A trimmed string; absent or null is `None`. An empty string is `Some("")`.
    fn raw_string(&self, field: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(Self::wrong_type(field, "a string")),
        }
    }

    /// A non-empty string, or `None` when absent, null or empty.
    pub fn string(&self, field: &str) -> Result<Option<String>, ApiError> {
        Ok(self.raw_string(field)?.filter(|s| !s.is_empty()))
    }

    pub fn required_string(&self, field: &str) -> Result<String, ApiError> {
        match self.raw_string(field)? {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(ApiError::bad_request(
                "missing_field",
                format!("{field} must not be empty"),
            )),
            None => Err(ApiError::bad_request(
                "missing_field",
                format!("{field} is required"),
            )),
        }
    }

    /// For updates: absent is `None` (leave as is); null or `""` is `Some(None)` (clear).
    pub fn nullable_string(&self, field: &str) -> Result<Option<Option<String>>, ApiError> {
        if !self.has(field) {
            return Ok(None);
        }
        Ok(Some(self.string(field)?))
    }

    /// For updates: a present field must be a non-empty string.
    pub fn present_string(&self, field: &str) -> Result<Option<String>, ApiError> {
        if self.has(field) {
            self.required_string(field).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn integer(&self, field: &str) -> Result<Option<i64>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| Self::wrong_type(field, "an integer")),
            Some(_) => Err(Self::wrong_type(field, "an integer")),
        }
    }

    /// A finite number (integer or not); absent or null is `None`.
    /// An integer within `min..=max`.
    pub fn integer_in(&self, field: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.integer(field)? {
            Some(n) if !(min..=max).contains(&n) => Err(Self::wrong_type(
                field,
                &format!("a whole number from {min} to {max}"),
            )),
            other => Ok(other),
        }
    }

    pub fn number(&self, field: &str) -> Result<Option<f64>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| Self::wrong_type(field, "a number")),
            Some(_) => Err(Self::wrong_type(field, "a number")),
        }
    }

    pub fn boolean(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Self::wrong_type(field, "true or false")),
        }
    }

    pub fn string_list(&self, field: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                    _ => Err(Self::wrong_type(field, "an array of non-empty strings")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Self::wrong_type(field, "an array of strings")),
        }
    }
}

/// A base URL as users paste it: trimmed, trailing `/` removed, `http(s)://host[...]`, no
/// query or fragment.
pub(crate) fn base_url(field: &str, text: &str) -> Result<String, ApiError> {
    let text = text.trim().trim_end_matches('/');
    let bad = |why: &str| {
        ApiError::bad_request(
            "invalid_field",
            format!("{field} {why}, e.g. https://api.example.com/v1 (got {text:?})"),
        )
    };
    let url = reqwest::Url::parse(text).map_err(|_| bad("must be an http:// or https:// URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must be an http:// or https:// URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("must name a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: ApiError) -> &'static str {
        match e {
            ApiError::BadRequest { code, .. } => code,
            _ => "other",
        }
    }

    #[test]
    fn fields_are_named_in_errors() {
        assert_eq!(code(JsonBody::parse(b"").err().unwrap()), "invalid_body");
        assert_eq!(code(JsonBody::parse(b"{").err().unwrap()), "invalid_json");
        assert_eq!(code(JsonBody::parse(b"[1]").err().unwrap()), "invalid_body");
        let body = JsonBody::parse(br#"{"a":" x ","n":1.5,"b":"yes","e":"","z":null}"#).unwrap();
        assert_eq!(body.required_string("a").unwrap(), "x");
        let err = body.required_string("missing").unwrap_err().to_string();
        assert_eq!(err, "missing is required");
        assert!(body
            .integer("n")
            .unwrap_err()
            .to_string()
            .contains("n must be"));
        assert!(body
            .boolean("b")
            .unwrap_err()
            .to_string()
            .contains("b must be"));
        assert_eq!(body.nullable_string("e").unwrap(), Some(None));
        assert_eq!(body.nullable_string("z").unwrap(), Some(None));
        assert_eq!(body.nullable_string("q").unwrap(), None);
        assert!(body.present_string("e").is_err());
    }

    #[test]
    fn base_urls_are_normalised_or_refused() {
        assert_eq!(
            base_url("baseUrl", " http://127.0.0.1:9/v1/ ").unwrap(),
            "http://127.0.0.1:9/v1"
        );
        for bad in ["ftp://x", "localhost:8080", "http://x/v1?x=1", "nope"] {
            let e = base_url("baseUrl", bad).unwrap_err().to_string();
            assert!(e.starts_with("baseUrl "), "{e}");
        }
    }
}
