//! Token counts of the media endpoints' answers (`/v1/embeddings`, `/v1/images/generations`,
//! `/v1/audio/transcriptions`), read from the upstream's `usage` object:
//!
//! - embeddings: `prompt_tokens` (OpenAI-compatible upstreams);
//! - images and transcriptions (gpt-image-1, gpt-4o-transcribe): `input_tokens`,
//!   `output_tokens`, with `input_tokens_details.cached_tokens` counted as cache reads and
//!   `output_tokens_details.reasoning_tokens` as reasoning.
//!
//! A `usage` of type `duration` (whisper bills seconds) and answers without usage give no
//! tokens (the cost is then unknown, never 0).

use gateway::Usage;
use serde_json::Value;

pub fn from_response(body: &[u8]) -> Usage {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Usage::default();
    };
    let u = &v["usage"];
    if !u.is_object() || u["type"] == "duration" {
        return Usage::default();
    }
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let prompt = if u["input_tokens"].is_u64() {
        n(&u["input_tokens"])
    } else {
        n(&u["prompt_tokens"])
    };
    let output = if u["output_tokens"].is_u64() {
        n(&u["output_tokens"])
    } else {
        n(&u["completion_tokens"])
    };
    let cached = n(&u["input_tokens_details"]["cached_tokens"])
        .max(n(&u["prompt_tokens_details"]["cached_tokens"]))
        .min(prompt);
    Usage {
        input: prompt - cached,
        output,
        cache_read: cached,
        cache_write: 0,
        reasoning: n(&u["output_tokens_details"]["reasoning_tokens"]).min(output),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_read_in_each_shape() {
        let e = from_response(br#"{"data":[],"usage":{"prompt_tokens":12,"total_tokens":12}}"#);
        assert_eq!((e.input, e.output), (12, 0));
        let i = from_response(
            br#"{"usage":{"input_tokens":50,"output_tokens":4160,"input_tokens_details":{"cached_tokens":10}}}"#,
        );
        assert_eq!((i.input, i.cache_read, i.output), (40, 10, 4160));
        let t = from_response(br#"{"text":"x","usage":{"type":"duration","seconds":3}}"#);
        assert!(t.is_empty());
        assert!(from_response(b"not json").is_empty());
        assert!(from_response(br#"{"text":"x"}"#).is_empty());
    }
}
