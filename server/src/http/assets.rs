//! Static assets: embedded in the binary at build time (see build.rs), served with an ETag
//! and, to clients that accept it, the gzip variant made by the build script.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

pub struct EmbeddedAsset {
    pub path: &'static str,
    pub body: &'static [u8],
    pub gzip: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/site_assets.rs"));

struct Prepared {
    body: &'static [u8],
    gzip: Option<&'static [u8]>,
    content_type: &'static str,
    etag: HeaderValue,
}

static TABLE: LazyLock<HashMap<&'static str, Prepared>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(a.body)))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
            (
                a.path,
                Prepared {
                    body: a.body,
                    gzip: a.gzip,
                    content_type: content_type(a.path),
                    etag,
                },
            )
        })
        .collect()
});

/// Where assets are read from when the binary was built without an embedded site
/// (cargo-leptos sets LEPTOS_SITE_ROOT).
pub fn site_root_on_disk() -> String {
    std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_string())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("wasm") => "application/wasm",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn accepts_gzip(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")))
}

/// The asset at this path, or None.
pub fn serve(req: &Request) -> Option<Response> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return None;
    }
    let path = req.uri().path();
    let Some(asset) = TABLE.get(path) else {
        return serve_from_disk(path);
    };
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v == asset.etag)
    {
        return Some(
            (
                StatusCode::NOT_MODIFIED,
                [(header::ETAG, asset.etag.clone())],
            )
                .into_response(),
        );
    }
    let (body, encoding) = match asset.gzip {
        Some(gz) if accepts_gzip(req) => (gz, Some("gzip")),
        _ => (asset.body, None),
    };
    let mut builder = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, asset.content_type)
        .header(header::ETAG, asset.etag.clone())
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::VARY, "Accept-Encoding")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(enc) = encoding {
        builder = builder.header(header::CONTENT_ENCODING, enc);
    }
    let body = if req.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    builder.body(body).ok()
}

/// Development fallback when nothing was embedded.
fn serve_from_disk(path: &str) -> Option<Response> {
    if !ASSETS.is_empty() || path.contains("..") {
        return None;
    }
    let file = PathBuf::from(site_root_on_disk()).join(path.trim_start_matches('/'));
    let bytes = std::fs::read(&file).ok()?;
    Some(
        (
            [
                (header::CONTENT_TYPE, content_type(path)),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
    )
}
