//! An optional record of what the proxy did with one request, for the dashboard's Chat Tester:
//! per attempt, the upstream URL (never its key), the translated request, and the upstream's
//! status and answer. Off (None) on every real client request.

use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default)]
pub struct TraceAttempt {
    pub provider: String,
    pub upstream_format: String,
    /// Without the query string (a `key=` may be in it).
    pub url: String,
    pub translated_request: String,
    pub status: Option<u16>,
    pub upstream_response: String,
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct Trace {
    pub attempts: Vec<TraceAttempt>,
}

pub type SharedTrace = Arc<Mutex<Trace>>;

/// Upstream bodies kept in a trace are cut at this size.
pub const MAX_TRACE_BODY: usize = 256 * 1024;

pub fn clip(bytes: &[u8]) -> String {
    let cut = bytes.len().min(MAX_TRACE_BODY);
    let mut text = String::from_utf8_lossy(&bytes[..cut]).into_owned();
    if bytes.len() > cut {
        text.push_str("\n… (cut)");
    }
    text
}

pub fn url_without_query(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_string()
}
