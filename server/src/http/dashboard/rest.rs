//! Server functions that change or read something the REST API already serves call its
//! handlers in-process (`/api/...` on the management and system routers, without the auth
//! layer: server functions sit behind the dashboard login already). One source of truth per
//! action: the dashboard and the REST API validate, store and reload alike.

use axum::http::Method;
use axum::Router;
use serde_json::Value;

/// Calls `path` on the API router. Answers the JSON body of a success (`null` for an empty
/// one), or the API's `message` (already worded for people) of a refusal.
pub(super) async fn call(
    api: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    crate::http::inprocess::call(api.clone(), method, path, body.as_ref())
        .await
        .map_err(|f| sentence(&f.message))
}

/// `an API key named "x" already exists` → `An API key named "x" already exists.`
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "The server refused the request.".to_string(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A method name from a server function (`"GET"`, `"post"`…).
pub(super) fn method(name: &str) -> Result<Method, String> {
    Method::from_bytes(name.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("{name} is not an HTTP method."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("an API key named \"x\" already exists"),
            "An API key named \"x\" already exists."
        );
        assert_eq!(sentence("done."), "Done.");
        assert!(method("patch").is_ok());
        assert!(method("no such").is_err());
    }
}
