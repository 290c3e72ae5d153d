//! `GET /api/openapi.json`: a valid OpenAPI 3.1 document behind the login, listing exactly the
//! routes the server registers under /api. Two checks keep it from drifting: every
//! `.route("/api/...", ...)` in the server's sources (read here) must be documented with the
//! same methods, and every documented operation must reach a registered route of the running
//! server (never the router's 404 or 405).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{client, login, Server, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `(path, methods)` of every `.route("/api/…", …)` / `.route_service("/api/…", …)` in the
/// server's sources; `route_service` answers every method (`any`).
fn source_routes() -> BTreeMap<String, BTreeSet<String>> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut routes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (start, kind) in text
            .match_indices(".route(")
            .map(|(i, _)| (i + ".route(".len(), "route"))
            .chain(
                text.match_indices(".route_service(")
                    .map(|(i, _)| (i + ".route_service(".len(), "service")),
            )
        {
            let rest = text[start..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = rest.find('"') else { continue };
            let path = &rest[..end];
            if !path.starts_with("/api/") || path.starts_with("/api/sf/") {
                continue;
            }
            // the rest of the call, up to its closing parenthesis
            let mut depth = 1;
            let mut call_end = end;
            for (i, c) in rest[end..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    call_end = end + i;
                    break;
                }
            }
            let call = &rest[end..call_end];
            let methods = routes.entry(path.to_string()).or_default();
            if kind == "service" {
                methods.insert("any".into());
                continue;
            }
            for m in ["get", "post", "put", "patch", "delete", "any"] {
                let needle = format!("{m}(");
                for (i, _) in call.match_indices(&needle) {
                    let before = call[..i].chars().next_back();
                    if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
                        methods.insert(m.to_string());
                    }
                }
            }
        }
    }
    routes
}

async fn document(c: &reqwest::Client, server: &Server) -> Value {
    let resp = c.get(server.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    resp.json().await.unwrap()
}

fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            (
                path.clone(),
                item.as_object().unwrap().keys().cloned().collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_api_route_in_the_sources_is_documented_with_its_methods() {
    let server = Server::start();
    let c = client();
    login(&c, &server, PASSWORD).await;
    let doc = documented(&document(&c, &server).await);
    let routes = source_routes();
    assert!(
        routes.len() > 30 && routes.contains_key("/api/usage/logs"),
        "the source scan finds the routes: {routes:?}"
    );
    let mut missing = Vec::new();
    for (path, methods) in &routes {
        let Some(doc_methods) = doc.get(path) else {
            missing.push(format!("{path} (every method)"));
            continue;
        };
        for m in methods {
            if m == "any" {
                continue;
            }
            if !doc_methods.contains(m) {
                missing.push(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes registered but not in the OpenAPI table (add them to OPERATIONS in server/src/http/openapi.rs): {missing:#?}"
    );
    let mut stale = Vec::new();
    for (path, methods) in &doc {
        match routes.get(path) {
            None => stale.push(format!("{path} (no such route)")),
            Some(registered) if !registered.contains("any") => {
                for m in methods {
                    if !registered.contains(m) {
                        stale.push(format!("{} {path}", m.to_uppercase()));
                    }
                }
            }
            Some(_) => {}
        }
    }
    assert!(
        stale.is_empty(),
        "documented operations with no route (remove them from OPERATIONS): {stale:#?}"
    );
}

#[tokio::test]
async fn every_documented_operation_reaches_a_registered_route() {
    let server = Server::start();
    let c = client();
    login(&c, &server, PASSWORD).await;
    let doc = document(&c, &server).await;
    let mut unrouted = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            // logging out would end this session; the gate answers it before routing anyway
            if path == "/api/auth/logout" {
                continue;
            }
            let concrete = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        "openapi-probe"
                    } else {
                        seg
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut req = c.request(m.clone(), server.url(&concrete));
            if m != Method::GET && m != Method::DELETE {
                req = req.header("content-type", "application/json").body("{}");
            }
            // the SSE stream stays open: the status line is enough
            let resp = req
                .timeout(std::time::Duration::from_secs(10))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body = if path.ends_with("/sse") || path.ends_with("/stream") {
                Value::Null
            } else {
                resp.json::<Value>().await.unwrap_or(Value::Null)
            };
            let handler_404 = status == StatusCode::NOT_FOUND && body["error"].is_string();
            if status == StatusCode::METHOD_NOT_ALLOWED
                || (status == StatusCode::NOT_FOUND && !handler_404)
            {
                unrouted.push(format!("{} {concrete}: {status}", method.to_uppercase()));
            }
        }
    }
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:#?}"
    );
    // the check can fail: an unknown path gets the router's 404, not a handler's
    let resp = c
        .get(server.url("/api/no-such-route"))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(
        status == StatusCode::NOT_FOUND && !body["error"].is_string()
            || status == StatusCode::METHOD_NOT_ALLOWED,
        "an unknown route is told apart: {status} {body}"
    );
}

#[tokio::test]
async fn the_document_is_valid_openapi_and_needs_a_login_or_manage_key() {
    let server = Server::start();
    let anon = client();
    let resp = anon
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let c = client();
    login(&c, &server, PASSWORD).await;
    let doc = document(&c, &server).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(doc["info"]["title"].is_string());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            assert!(
                ["get", "post", "put", "patch", "delete"].contains(&method.as_str()),
                "{method} {path}"
            );
            assert!(ids.insert(op["operationId"].as_str().unwrap().to_string()));
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(op["responses"]["200"].is_object(), "{method} {path}");
            // every {param} of the path is declared as a required path parameter
            for seg in path.split('/').filter(|s| s.starts_with('{')) {
                let name = seg.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    op["parameters"].as_array().unwrap().iter().any(|p| {
                        p["name"] == name && p["in"] == "path" && p["required"] == true
                    }),
                    "{method} {path} declares {name}"
                );
            }
        }
    }
    // every $ref resolves
    let text = doc.to_string();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(schemas.contains_key(name), "dangling $ref {name}");
    }
    // the documented shapes are the served ones: a usage summary has the documented totals
    let summary: Value = c
        .get(server.url("/api/usage/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for field in schemas["UsageTotals"]["properties"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(
            summary["totals"].get(field).is_some(),
            "totals.{field} documented and served"
        );
    }
    // a manage-scoped key reads it too; a chat-only key cannot
    let mk = |scopes: Value| {
        let c = c.clone();
        let url = server.url("/api/keys");
        async move {
            let v: Value = c
                .post(url)
                .json(&json!({ "name": format!("k{}", scopes), "scopes": scopes }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["key"].as_str().unwrap().to_string()
        }
    };
    let manage = mk(json!(["manage"])).await;
    let chat = mk(json!(["chat"])).await;
    let by_key = |key: String| {
        anon.get(server.url("/api/openapi.json"))
            .bearer_auth(key)
            .send()
    };
    assert_eq!(by_key(manage).await.unwrap().status(), StatusCode::OK);
    assert_eq!(by_key(chat).await.unwrap().status(), StatusCode::FORBIDDEN);
}
