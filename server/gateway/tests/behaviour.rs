//! Focused behaviour tests: usage numbers, error messages, signature round trips,
//! pass-through details, robustness against garbage, token estimates.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::sync::Arc;

use common::{sse_events, Rng};
use gateway::ir::{Effort, Reasoning, ReasoningMode};
use gateway::usage::{
    extract_usage, read_openai_chat, write_anthropic, write_gemini, write_openai_chat,
    write_responses,
};
use gateway::{
    error_body, estimate_request_tokens, translate_request, translate_response, Format,
    SignatureStore, StreamTranslator, TranslateError, TranslateOptions, Usage,
};
use serde_json::{json, Value};

fn tr(from: Format, to: Format, body: Value) -> Result<gateway::TranslatedRequest, TranslateError> {
    translate_request(
        from,
        to,
        &serde_json::to_vec(&body).unwrap(),
        "target",
        &TranslateOptions::default(),
    )
}

// ---------------------------------------------------------------- usage

#[test]
fn usage_is_read_exactly_from_every_format() {
    let u = |f, v: Value| extract_usage(f, &v);
    assert_eq!(
        u(
            Format::OpenAiChat,
            json!({"usage": {"prompt_tokens": 1000, "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 600}, "completion_tokens_details": {"reasoning_tokens": 100}}})
        ),
        Usage {
            input: 400,
            output: 300,
            cache_read: 600,
            cache_write: 0,
            reasoning: 100
        }
    );
    assert_eq!(
        u(
            Format::Anthropic,
            json!({"usage": {"input_tokens": 12, "output_tokens": 34, "cache_read_input_tokens": 56, "cache_creation_input_tokens": 78}})
        ),
        Usage {
            input: 12,
            output: 34,
            cache_read: 56,
            cache_write: 78,
            reasoning: 0
        }
    );
    assert_eq!(
        u(
            Format::Gemini,
            json!({"usageMetadata": {"promptTokenCount": 100, "cachedContentTokenCount": 40, "candidatesTokenCount": 20, "thoughtsTokenCount": 15, "totalTokenCount": 135}})
        ),
        Usage {
            input: 60,
            output: 35,
            cache_read: 40,
            cache_write: 0,
            reasoning: 15
        }
    );
    assert_eq!(
        u(
            Format::Responses,
            json!({"usage": {"input_tokens": 900, "input_tokens_details": {"cached_tokens": 512}, "output_tokens": 220, "output_tokens_details": {"reasoning_tokens": 128}, "total_tokens": 1120}})
        ),
        Usage {
            input: 388,
            output: 220,
            cache_read: 512,
            cache_write: 0,
            reasoning: 128
        }
    );
    assert_eq!(
        u(Format::OpenAiChat, json!({"choices": []})),
        Usage::default(),
        "no usage means zeros, not guesses"
    );
}

#[test]
fn usage_written_to_any_format_reads_back_identically_and_totals_agree() {
    let u = Usage {
        input: 30,
        output: 50,
        cache_read: 1000,
        cache_write: 200,
        reasoning: 20,
    };
    let oa = write_openai_chat(&u);
    assert_eq!(
        oa["prompt_tokens"], 1230,
        "OpenAI prompt_tokens is the whole prompt"
    );
    assert_eq!(oa["total_tokens"], 1280);
    let mut back = Usage::default();
    read_openai_chat(&oa).apply_to(&mut back);
    assert_eq!(back, u, "OpenAI round trip");
    assert_eq!(
        extract_usage(Format::Responses, &json!({"usage": write_responses(&u)})),
        u,
        "Responses round trip"
    );
    let an = extract_usage(Format::Anthropic, &json!({"usage": write_anthropic(&u)}));
    assert_eq!(
        an,
        Usage { reasoning: 0, ..u },
        "Anthropic cannot carry reasoning, everything else exact"
    );
    let gm = write_gemini(&u);
    assert_eq!(gm["totalTokenCount"], u.total());
    assert_eq!(
        gm["candidatesTokenCount"], 30,
        "Gemini counts thoughts apart"
    );
    let g = extract_usage(Format::Gemini, &json!({"usageMetadata": gm}));
    assert_eq!(g.prompt_total(), u.prompt_total(), "no token lost or added");
    assert_eq!(g.total(), u.total());
}

#[test]
fn non_stream_translation_never_inflates_usage() {
    let body = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "c", "content": [{"type": "text", "text": "hi"}],
        "stop_reason": "end_turn", "usage": {"input_tokens": 7, "output_tokens": 3}});
    for client in Format::ALL {
        let out = translate_response(
            Format::Anthropic,
            client,
            &serde_json::to_vec(&body).unwrap(),
            "m",
            None,
        )
        .unwrap();
        assert_eq!(
            out.usage,
            Usage {
                input: 7,
                output: 3,
                ..Default::default()
            },
            "{client}"
        );
        let v: Value = serde_json::from_slice(&out.body).unwrap();
        let shown = extract_usage(client, &v);
        assert_eq!(
            shown.total(),
            10,
            "{client}: client sees exactly 10 tokens, no hidden buffer"
        );
    }
}

// ---------------------------------------------------------------- errors

#[test]
fn request_errors_name_the_field() {
    let err = |from, body| tr(from, Format::Anthropic, body).unwrap_err().to_string();
    assert_eq!(
        err(
            Format::OpenAiChat,
            json!({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": [{"type": "foo"}]}]})
        ),
        "messages[2].content[0]: unknown part type 'foo'"
    );
    assert_eq!(
        err(Format::OpenAiChat, json!({"model": "x"})),
        "messages: required field is missing"
    );
    assert_eq!(
        err(
            Format::OpenAiChat,
            json!({"messages": [{"role": "wizard", "content": "x"}]})
        ),
        "messages[0].role: unknown role 'wizard'"
    );
    assert_eq!(
        err(
            Format::OpenAiChat,
            json!({"messages": [], "temperature": "hot"})
        ),
        "temperature: expected a number"
    );
    assert_eq!(
        err(Format::OpenAiChat, json!({"messages": [{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]})),
        "messages[0]: tool call arguments are not valid JSON: key must be a string at line 1 column 2"
    );
    assert_eq!(
        err(
            Format::Responses,
            json!({"input": [{"type": "item_reference", "id": "x"}]})
        ),
        "input[0].type: unsupported input item type 'item_reference'"
    );
    assert_eq!(
        err(
            Format::Gemini,
            json!({"contents": [{"role": "user", "parts": [{"videoMetadata": {}}]}]})
        ),
        "contents[0].parts[0]: unknown part type 'videoMetadata'"
    );
    let e = translate_request(
        Format::OpenAiChat,
        Format::Anthropic,
        b"{oops",
        "t",
        &TranslateOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, TranslateError::InvalidJson(_)), "{e:?}");
    assert_eq!(e.http_status(), 400);
    // pass-through validates too
    let e = translate_request(
        Format::OpenAiChat,
        Format::OpenAiChat,
        b"{\"a\":",
        "t",
        &TranslateOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, TranslateError::InvalidJson(_)));
}

#[test]
fn gemini_tool_result_without_a_call_is_a_clear_error() {
    let body = json!({"messages": [{"role": "tool", "tool_call_id": "orphan", "content": "x"}]});
    let e = tr(Format::OpenAiChat, Format::Gemini, body)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("orphan") && e.contains("no matching tool call"),
        "{e}"
    );
}

#[test]
fn error_bodies_follow_each_dialect() {
    assert_eq!(
        error_body(Format::OpenAiChat, 429, "slow down", None),
        json!({"error": {"message": "slow down", "type": "rate_limit_error", "code": "rate_limit_exceeded", "param": null}})
    );
    assert_eq!(
        error_body(Format::Responses, 400, "bad", None),
        json!({"error": {"message": "bad", "type": "invalid_request_error", "code": null, "param": null}})
    );
    assert_eq!(
        error_body(Format::Anthropic, 529, "busy", None),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})
    );
    assert_eq!(
        error_body(Format::Gemini, 404, "no model", None),
        json!({"error": {"code": 404, "message": "no model", "status": "NOT_FOUND"}})
    );
    assert_eq!(
        error_body(Format::OpenAiChat, 402, "pay", Some("insufficient_quota"))["error"]["code"],
        "insufficient_quota"
    );
}

// ---------------------------------------------------------------- signatures

/// Gemini 3 rejects a replayed functionCall without its thoughtSignature. An OpenAI client
/// drops unknown fields; the store re-attaches the signature on the next turn.
#[test]
fn gemini_thought_signature_survives_an_openai_client_turn() {
    let store = Arc::new(SignatureStore::default());
    let upstream = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"x\":1}},\"thoughtSignature\":\"SIG-1\"}]},\"finishReason\":\"STOP\"}]}\n\n";
    let mut t = StreamTranslator::new(Format::Gemini, Format::OpenAiChat, "m")
        .with_signature_store(store.clone());
    let mut out = t.push(upstream.as_bytes()).unwrap().to_vec();
    out.extend_from_slice(&t.finish().unwrap());
    let events = sse_events(&out);
    let call_id = events
        .iter()
        .find_map(|e| {
            e["data"]
                .pointer("/choices/0/delta/tool_calls/0/id")
                .and_then(Value::as_str)
        })
        .unwrap()
        .to_string();
    // the client echoes only the standard fields
    let next = json!({"messages": [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{\"x\":1}"}}]},
        {"role": "tool", "tool_call_id": call_id, "content": "done"}
    ]});
    let opts = TranslateOptions {
        signatures: Some(&store),
        ..Default::default()
    };
    let req = translate_request(
        Format::OpenAiChat,
        Format::Gemini,
        &serde_json::to_vec(&next).unwrap(),
        "gemini-3-pro",
        &opts,
    )
    .unwrap();
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body.pointer("/contents/1/parts/0/thoughtSignature"),
        Some(&json!("SIG-1"))
    );
    // without the store the documented placeholder keeps the request valid
    let req = tr(Format::OpenAiChat, Format::Gemini, next).unwrap();
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body.pointer("/contents/1/parts/0/thoughtSignature"),
        Some(&json!("skip_thought_signature_validator"))
    );
}

/// Anthropic extended thinking with tools needs the signed thinking block back. A
/// Responses/OpenAI client will not echo it; the store restores it.
#[test]
fn anthropic_thinking_is_restored_for_clients_that_drop_it() {
    let store = SignatureStore::default();
    let resp = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "c",
        "content": [{"type": "thinking", "thinking": "plan", "signature": "SIG-A"}, {"type": "tool_use", "id": "toolu_7", "name": "f", "input": {}}],
        "stop_reason": "tool_use", "usage": {"input_tokens": 1, "output_tokens": 1}});
    translate_response(
        Format::Anthropic,
        Format::Responses,
        &serde_json::to_vec(&resp).unwrap(),
        "m",
        Some(&store),
    )
    .unwrap();
    let next = json!({"input": [
        {"role": "user", "content": "go"},
        {"type": "function_call", "call_id": "toolu_7", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "toolu_7", "output": "ok"}
    ], "reasoning": {"effort": "low"}, "max_output_tokens": 4000});
    let opts = TranslateOptions {
        signatures: Some(&store),
        ..Default::default()
    };
    let req = translate_request(
        Format::Responses,
        Format::Anthropic,
        &serde_json::to_vec(&next).unwrap(),
        "claude",
        &opts,
    )
    .unwrap();
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body.pointer("/messages/1/content/0"),
        Some(&json!({"type": "thinking", "thinking": "plan", "signature": "SIG-A"}))
    );
    assert_eq!(
        body.pointer("/messages/1/content/1/type"),
        Some(&json!("tool_use"))
    );
}

#[test]
fn openai_client_echoing_thinking_blocks_restores_anthropic_signatures() {
    let next = json!({"messages": [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": "ok", "reasoning_content": "plan", "thinking_blocks": [{"type": "thinking", "thinking": "plan", "signature": "S"}, {"type": "redacted_thinking", "data": "R"}]},
        {"role": "user", "content": "more"}
    ]});
    let body: Value = serde_json::from_slice(
        &tr(Format::OpenAiChat, Format::Anthropic, next)
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(
        body["messages"][1]["content"],
        json!([{"type": "thinking", "thinking": "plan", "signature": "S"}, {"type": "redacted_thinking", "data": "R"}, {"type": "text", "text": "ok"}])
    );
}

#[test]
fn deepseek_reasoning_content_is_kept_for_openai_targets() {
    let body = json!({"system": "s", "max_tokens": 100, "messages": [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "deep thought", "signature": "x"}, {"type": "text", "text": "a"}]},
        {"role": "user", "content": "q2"}]});
    let out: Value = serde_json::from_slice(
        &tr(Format::Anthropic, Format::OpenAiChat, body)
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(out["messages"][2]["reasoning_content"], "deep thought");
}

#[test]
fn signature_store_is_bounded() {
    let store = SignatureStore::new(3, 1 << 20);
    for i in 0..10 {
        store.put_thought_signature(&format!("c{i}"), "sig");
    }
    assert_eq!(store.len(), 3);
    assert_eq!(store.thought_signature("c0"), None, "oldest evicted");
    assert_eq!(store.thought_signature("c9").as_deref(), Some("sig"));
    let small = SignatureStore::new(100, 64);
    small.put_thought_signature("a", &"x".repeat(40));
    small.put_thought_signature("b", &"y".repeat(40));
    assert_eq!(small.len(), 1, "byte budget enforced");
    assert!(small.thought_signature("b").is_some());
}

// ---------------------------------------------------------------- pass-through & URLs

#[test]
fn openai_passthrough_reports_client_usage_wish_and_does_not_duplicate_stream_options() {
    let body =
        br#"{"model":"a","stream":true,"stream_options":{"include_usage":true},"messages":[]}"#;
    let r = translate_request(
        Format::OpenAiChat,
        Format::OpenAiChat,
        body,
        "b",
        &TranslateOptions::default(),
    )
    .unwrap();
    assert!(r.stream && r.client_include_usage);
    assert_eq!(
        r.body,
        br#"{"model":"b","stream":true,"stream_options":{"include_usage":true},"messages":[]}"#
            .to_vec()
    );
    let body = br#"{"model":"a","stream":false,"messages":[]}"#;
    let r = translate_request(
        Format::OpenAiChat,
        Format::OpenAiChat,
        body,
        "b",
        &TranslateOptions::default(),
    )
    .unwrap();
    assert!(!r.stream);
    assert_eq!(
        r.body,
        br#"{"model":"b","stream":false,"messages":[]}"#.to_vec(),
        "non-stream untouched"
    );
}

#[test]
fn gemini_path_carries_model_and_stream() {
    let body = json!({"messages": [{"role": "user", "content": "hi"}], "stream": true});
    let r = tr(Format::OpenAiChat, Format::Gemini, body).unwrap();
    assert_eq!(
        r.gemini_path().as_deref(),
        Some("models/target:streamGenerateContent?alt=sse")
    );
    assert!(
        r.body.windows(7).all(|w| w != b"\"model\""),
        "no model in a Gemini body"
    );
    let r = tr(
        Format::OpenAiChat,
        Format::Anthropic,
        json!({"messages": []}),
    )
    .unwrap();
    assert_eq!(r.gemini_path(), None);
}

// ---------------------------------------------------------------- streams

#[test]
fn saw_output_turns_true_only_with_content() {
    let mut t = StreamTranslator::new(Format::Anthropic, Format::OpenAiChat, "m");
    let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"c\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n";
    t.push(start.as_bytes()).unwrap();
    assert!(
        !t.saw_output(),
        "metadata and pings are not output: fail-over still possible"
    );
    assert_eq!(t.usage().input, 5);
    t.push(b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n").unwrap();
    assert!(t.saw_output());
    let err = sse_events(&t.error_event("boom"));
    assert_eq!(err[0]["data"]["error"]["message"], "boom");
    assert_eq!(err[1]["data"], "[DONE]");
    assert!(t.is_finished());
    assert!(t.finish().unwrap().is_empty(), "nothing after the error");
}

#[test]
fn error_event_in_each_client_dialect() {
    for client in Format::ALL {
        let mut t = StreamTranslator::new(Format::OpenAiChat, client, "m");
        let ev = sse_events(&t.error_event("upstream died"));
        let text = serde_json::to_string(&ev).unwrap();
        assert!(text.contains("upstream died"), "{client}: {text}");
        match client {
            Format::Anthropic => assert_eq!(ev[0]["event"], "error"),
            Format::Responses => assert_eq!(ev.last().unwrap()["data"]["type"], "response.failed"),
            Format::Gemini => assert_eq!(ev[0]["data"]["error"]["status"], "INTERNAL"),
            Format::OpenAiChat => assert_eq!(ev.last().unwrap()["data"], "[DONE]"),
        }
    }
}

#[test]
fn anthropic_client_never_reopens_a_tool_block() {
    // OpenAI upstream: tool 0 streams, text interrupts it, then more args for tool 0
    let chunk = |d: Value| {
        format!(
            "data: {}\n\n",
            json!({"choices": [{"index": 0, "delta": d, "finish_reason": null}]})
        )
    };
    let mut t = StreamTranslator::new(Format::OpenAiChat, Format::Anthropic, "m");
    t.push(chunk(json!({"tool_calls": [{"index": 0, "id": "c", "function": {"name": "f", "arguments": "{\"a\""}}]})).as_bytes()).unwrap();
    t.push(chunk(json!({"content": "text"})).as_bytes())
        .unwrap();
    let err = t
        .push(
            chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": ":1}"}}]}))
                .as_bytes(),
        )
        .unwrap_err();
    assert!(
        matches!(err.error, TranslateError::StreamProtocol(_)),
        "{err}"
    );
    let ev = sse_events(&t.error_event(&err.error.to_string()));
    assert_eq!(
        ev[0]["event"], "error",
        "the client learns the stream broke, no corrupted tool input"
    );
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng(42);
    let alphabet: &[u8] =
        b"data: {}[]\",:\n\r event:message_start tool_calls choices delta 0123 \xff\xfe\xe2\x82";
    for up in Format::ALL {
        for client in Format::ALL {
            for _ in 0..30 {
                let len = rng.below(300) as usize;
                let bytes: Vec<u8> = (0..len)
                    .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                    .collect();
                let mut t = StreamTranslator::new(up, client, "m");
                let _ = t.push(&bytes);
                let _ = t.finish();
                let _ = t.error_event("x");
            }
        }
    }
    // structurally valid JSON with wrong types everywhere
    let weird = [
        json!(null),
        json!(1),
        json!("s"),
        json!([]),
        json!({}),
        json!([{}]),
        json!({"x": [null]}),
    ];
    for from in Format::ALL {
        for to in Format::ALL {
            for (i, w) in weird.iter().enumerate() {
                let mut body = json!({"model": w, "messages": w, "contents": w, "input": w, "tools": w, "system": w, "max_tokens": w});
                if i % 2 == 0 {
                    body = json!({"messages": [{"role": "user", "content": w}], "contents": [{"parts": [w]}], "input": [w]});
                }
                let _ = tr(from, to, body.clone());
                let _ =
                    translate_response(from, to, &serde_json::to_vec(&body).unwrap(), "m", None);
            }
        }
    }
}

// ---------------------------------------------------------------- reasoning & tokens

#[test]
fn effort_and_budget_map_both_ways() {
    assert_eq!(
        [Effort::Low, Effort::Medium, Effort::High].map(Effort::budget),
        [1024, 10240, 32768]
    );
    assert_eq!(Effort::from_budget(1024), Effort::Low);
    assert_eq!(Effort::from_budget(10240), Effort::Medium);
    assert_eq!(Effort::from_budget(32768), Effort::High);
    assert_eq!(Effort::from_budget(4095), Effort::Low);
    assert_eq!(Effort::from_budget(4096), Effort::Medium);
    let r = Reasoning {
        mode: ReasoningMode::Off,
        summary: None,
        include_thoughts: false,
    };
    assert_eq!((r.effort(), r.budget()), (None, None));
    // OpenAI effort -> Anthropic budget -> OpenAI effort is stable
    for e in ["low", "medium", "high"] {
        let body = json!({"messages": [{"role": "user", "content": "x"}], "reasoning_effort": e, "max_tokens": 64000});
        let anth: Value = serde_json::from_slice(
            &tr(Format::OpenAiChat, Format::Anthropic, body)
                .unwrap()
                .body,
        )
        .unwrap();
        let back: Value = serde_json::from_slice(
            &tr(Format::Anthropic, Format::OpenAiChat, anth)
                .unwrap()
                .body,
        )
        .unwrap();
        assert_eq!(back["reasoning_effort"], e);
    }
}

#[test]
fn token_estimate_follows_the_documented_heuristic() {
    let body = json!({"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": "abcd".repeat(100)}]});
    // 400 ASCII chars = 100 tokens, + 4 framing
    assert_eq!(
        estimate_request_tokens(Format::Anthropic, &serde_json::to_vec(&body).unwrap()).unwrap(),
        104
    );
    let cjk = json!({"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": [{"type": "text", "text": "漢字漢字"}, {"type": "image", "source": {"type": "url", "url": "https://x"}}]}]});
    assert_eq!(
        estimate_request_tokens(Format::Anthropic, &serde_json::to_vec(&cjk).unwrap()).unwrap(),
        4 + 4 + 1600
    );
}

#[test]
fn aggregating_a_stream_gives_the_same_response_as_non_stream() {
    let sse = concat!(
        "data: {\"id\":\"c1\",\"model\":\"g\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hm\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n\n",
        "data: [DONE]\n\n"
    );
    let mut agg = gateway::StreamAggregator::new(Format::OpenAiChat);
    for b in sse.as_bytes().chunks(7) {
        agg.push(b).unwrap();
    }
    let out = agg.finish(Format::Anthropic, "client", None).unwrap();
    let v: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(
        v["content"][0],
        json!({"type": "thinking", "thinking": "hm", "signature": ""})
    );
    assert_eq!(v["content"][1], json!({"type": "text", "text": "Hello"}));
    assert_eq!(v["content"][2]["input"], json!({"a": 1}));
    assert_eq!(v["stop_reason"], "tool_use");
    assert_eq!(
        out.usage,
        Usage {
            input: 10,
            output: 5,
            ..Default::default()
        }
    );
    // a truncated stream is an error, not a half answer
    let mut agg = gateway::StreamAggregator::new(Format::OpenAiChat);
    agg.push(b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n")
        .unwrap();
    assert!(agg.finish(Format::OpenAiChat, "c", None).is_err());
}
