//! Images, text-to-speech and transcription, in OpenAI's shapes.

use axum::response::Response;
use serde_json::{json, Value};

use crate::call::Call;
use crate::errors::Dialect;
use crate::openai::CREATED;
use crate::reply::words;
use crate::stream;

/// A 1x1 PNG, base64.
pub const PNG_1X1_BASE64: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// `POST /v1/images/generations`: `n` images (default 1) as `b64_json`, or URLs when
/// `response_format` is `url`.
pub(crate) async fn images(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let n = call.json["n"].as_u64().unwrap_or(1).clamp(1, 10);
    let prompt = call.json["prompt"].as_str().unwrap_or_default();
    let as_url = call.json["response_format"].as_str() == Some("url");
    let data: Vec<Value> = (0..n)
        .map(|i| {
            if as_url {
                json!({ "url": format!("https://mock.invalid/images/{i}.png"), "revised_prompt": prompt })
            } else {
                json!({ "b64_json": PNG_1X1_BASE64, "revised_prompt": prompt })
            }
        })
        .collect();
    let mut body = json!({ "created": CREATED, "data": data });
    if let Some(usage) = token_usage(&call) {
        body["usage"] = usage;
    }
    stream::json(&body, &call.scenario)
}

/// gpt-image-1 / gpt-4o-transcribe style `usage`, when the scenario sets token counts.
fn token_usage(call: &Call) -> Option<Value> {
    call.scenario.usage.as_ref().map(|u| {
        let (input, output) = (u.input.unwrap_or(0), u.output.unwrap_or(0));
        json!({
            "input_tokens": input + u.cache_read,
            "output_tokens": output,
            "total_tokens": input + u.cache_read + output,
            "input_tokens_details": { "cached_tokens": u.cache_read },
        })
    })
}

/// `POST /v1/audio/speech`: a few bytes of the requested format (default mp3) with its
/// content type; the length grows with the words of `input` (100 bytes per word).
pub(crate) async fn speech(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let input = call.json["input"].as_str().unwrap_or_default();
    let size = 100 * usize::try_from(words(input).max(1)).unwrap_or(1);
    let format = call.json["response_format"].as_str().unwrap_or("mp3");
    let (content_type, magic): (&'static str, &[u8]) = match format {
        "wav" => ("audio/wav", b"RIFF"),
        "opus" => ("audio/ogg", b"OggS"),
        "aac" => ("audio/aac", b"\xff\xf1"),
        "flac" => ("audio/flac", b"fLaC"),
        "pcm" => ("audio/pcm", b""),
        _ => ("audio/mpeg", b"ID3"),
    };
    let mut data = magic.to_vec();
    data.resize(size.max(magic.len()), 0);
    stream::bytes(content_type, data)
}

/// `POST /v1/audio/transcriptions` (multipart): `{"text": "mock transcription of <file>
/// (<size> bytes)"}`, or that text alone when `response_format` is `text`.
pub(crate) async fn transcriptions(call: Call) -> Response {
    if let Some(early) = call.preflight(Dialect::OpenAi).await {
        return early;
    }
    let file = &call.json["file"];
    let text = call.scenario.text.clone().unwrap_or_else(|| {
        format!(
            "mock transcription of {} ({} bytes)",
            file["filename"].as_str().unwrap_or("audio"),
            file["size"].as_u64().unwrap_or(0)
        )
    });
    match call.json["response_format"].as_str() {
        Some("text") => stream::bytes("text/plain; charset=utf-8", text.into_bytes()),
        Some("verbose_json") => stream::json(
            &json!({ "task": "transcribe", "language": "english", "duration": 1.0, "text": text, "segments": [] }),
            &call.scenario,
        ),
        _ => {
            let mut body = json!({ "text": text });
            if let Some(usage) = token_usage(&call) {
                body["usage"] = usage;
            }
            stream::json(&body, &call.scenario)
        }
    }
}
