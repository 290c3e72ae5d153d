//! A token estimate for `/v1/messages/count_tokens` when the upstream has no such endpoint.
//!
//! Heuristic (documented, deliberately simple, no tokenizer tables):
//! * text: ASCII characters count 1/4 token each (English averages ~4 characters per token);
//!   other characters count 1 token each for CJK-range code points (U+2E80 and up) and 1/2
//!   token otherwise (accented Latin, Cyrillic, ...);
//! * each message adds 4 tokens of framing, each tool definition 8 plus its name,
//!   description and JSON schema text, tool calls their name and arguments text;
//! * each image counts 1600 tokens (Anthropic's cost of a ~1.15 megapixel image; we do not
//!   decode images).
//!
//! The result is rounded up. It is an estimate: expect roughly ±15% on English prose.

use serde_json::Value;

use crate::errors::TranslateError;
use crate::format::Format;
use crate::ir::{ChatRequest, Part};

pub const IMAGE_TOKENS: u64 = 1600;
const MESSAGE_OVERHEAD: u64 = 4;
const TOOL_OVERHEAD: u64 = 8;

/// Estimates the prompt tokens of a request body in `format`.
pub fn estimate_request_tokens(format: Format, body: &[u8]) -> Result<u64, TranslateError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| TranslateError::InvalidJson(e.to_string()))?;
    let req = crate::translate::parse_request(format, &v)?;
    Ok(estimate_ir_tokens(&req))
}

/// Estimates the prompt tokens of a parsed request.
pub fn estimate_ir_tokens(req: &ChatRequest) -> u64 {
    let mut quarters: u64 = 0; // in quarter tokens
    let mut fixed: u64 = 0;
    for b in &req.system {
        quarters += text_quarters(&b.text);
    }
    for m in &req.messages {
        fixed += MESSAGE_OVERHEAD;
        for p in &m.content {
            part_cost(p, &mut quarters, &mut fixed);
        }
    }
    for t in &req.tools {
        fixed += TOOL_OVERHEAD;
        quarters += text_quarters(&t.name);
        quarters += t.description.as_deref().map_or(0, text_quarters);
        quarters += text_quarters(&t.parameters.to_string());
    }
    fixed + quarters.div_ceil(4)
}

fn part_cost(p: &Part, quarters: &mut u64, fixed: &mut u64) {
    match p {
        Part::Text { text, .. } => *quarters += text_quarters(text),
        Part::Image { .. } => *fixed += IMAGE_TOKENS,
        Part::ToolCall {
            name, arguments, ..
        } => {
            *quarters += text_quarters(name) + text_quarters(arguments);
        }
        Part::ToolResult { content, .. } => {
            for c in content {
                part_cost(c, quarters, fixed);
            }
        }
        Part::Thinking { text, .. } => *quarters += text_quarters(text),
        Part::RedactedThinking { .. } => {}
    }
}

/// Quarter tokens of a text (see the module docs).
pub fn text_quarters(s: &str) -> u64 {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                1
            } else if (c as u32) >= 0x2E80 {
                4
            } else {
                2
            }
        })
        .sum()
}

/// The Anthropic `count_tokens` response body.
pub fn count_tokens_body(tokens: u64) -> Value {
    serde_json::json!({"input_tokens": tokens})
}
