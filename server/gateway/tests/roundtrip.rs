//! Round trips through the IR: X -> IR -> X keeps the meaning (the IR parsed back is the
//! same), and X -> IR -> Y -> IR keeps the conversation (texts, tool calls, tool results,
//! images) for every pair of formats.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use gateway::formats::RenderCtx;
use gateway::ir::{ChatRequest, Part, Role};
use gateway::translate::{parse_request, parse_response, render_request, render_response};
use gateway::Format;
use serde_json::{json, Value};

fn ctx() -> RenderCtx<'static> {
    RenderCtx {
        target_model: "target",
        default_max_tokens: 8192,
        request_upstream_usage: false,
        signatures: None,
        warnings: Vec::new(),
    }
}

fn sample(f: Format) -> Value {
    match f {
        Format::OpenAiChat => json!({
            "model": "m", "stream": true, "stream_options": {"include_usage": true},
            "messages": [
                {"role": "system", "content": "Sys"},
                {"role": "user", "content": [{"type": "text", "text": "Look"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]},
                {"role": "assistant", "content": "Calling", "reasoning_content": "why", "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "res"},
                {"role": "user", "content": "next"}
            ],
            "tools": [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}}}}],
            "tool_choice": "auto", "max_tokens": 4096, "temperature": 0.5, "top_p": 0.9, "stop": ["x"], "seed": 7,
            "reasoning_effort": "medium", "response_format": {"type": "json_object"}, "vendor_field": {"keep": true}
        }),
        Format::Anthropic => json!({
            "model": "m", "max_tokens": 4096, "stream": true,
            "system": [{"type": "text", "text": "Sys", "cache_control": {"type": "ephemeral"}}],
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Look"}, {"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "why", "signature": "s"}, {"type": "text", "text": "Calling"}, {"type": "tool_use", "id": "c1", "name": "f", "input": {"a": 1}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "content": "res", "is_error": true}, {"type": "text", "text": "next"}]}
            ],
            "tools": [{"name": "f", "description": "d", "input_schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}],
            // valid with thinking: no temperature/top_k, no forced tool
            "tool_choice": {"type": "auto"}, "stop_sequences": ["x"],
            "thinking": {"type": "enabled", "budget_tokens": 2048}, "container": "abc"
        }),
        Format::Gemini => json!({
            "systemInstruction": {"parts": [{"text": "Sys"}]},
            "contents": [
                {"role": "user", "parts": [{"text": "Look"}, {"inlineData": {"mimeType": "image/png", "data": "AAAA"}}]},
                {"role": "model", "parts": [{"text": "Calling"}, {"functionCall": {"name": "f", "args": {"a": 1}}, "thoughtSignature": "gs"}]},
                {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": {"content": "res"}}}, {"text": "next"}]}
            ],
            "tools": [{"functionDeclarations": [{"name": "f", "description": "d", "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}}}]}],
            "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
            "generationConfig": {"maxOutputTokens": 4096, "temperature": 0.5, "topP": 0.9, "stopSequences": ["x"], "thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": true}},
            "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}]
        }),
        Format::Responses => json!({
            "model": "m", "stream": true, "instructions": "Sys",
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "Look"}, {"type": "input_image", "image_url": "https://x/y.png", "detail": "auto"}]},
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Calling"}]},
                {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{\"a\": 1}"},
                {"type": "function_call_output", "call_id": "c1", "output": "res"},
                {"role": "user", "content": "next"}
            ],
            "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}}, "strict": false}],
            "tool_choice": "required", "max_output_tokens": 4096, "temperature": 0.5,
            "reasoning": {"effort": "low", "summary": "auto"}, "text": {"format": {"type": "json_object"}},
            "prompt_cache_key": "k1"
        }),
    }
}

/// X -> IR -> X -> IR: the IR must not change (model aside).
#[test]
fn same_format_round_trip_preserves_the_ir() {
    for f in Format::ALL {
        let ir1 = parse_request(f, &sample(f)).unwrap();
        let out = render_request(f, &ir1, &mut ctx()).unwrap();
        let mut ir2 = parse_request(f, &out).unwrap();
        ir2.model = ir1.model.clone();
        assert_eq!(
            ir1, ir2,
            "{f}: IR changed after a round trip\nrendered: {out}"
        );
        // and something real came through
        // OpenAI-family formats keep tool outputs and the next user text as separate turns
        let openai_family = matches!(f, Format::OpenAiChat | Format::Responses);
        assert_eq!(ir1.messages.len(), 3 + usize::from(openai_family), "{f}");
        assert_eq!(ir1.tools.len(), 1, "{f}");
    }
}

/// Unknown fields survive a same-format render.
#[test]
fn unknown_fields_survive_same_family_render() {
    let cases = [
        (Format::OpenAiChat, "vendor_field"),
        (Format::Anthropic, "container"),
        (Format::Gemini, "safetySettings"),
        (Format::Responses, "prompt_cache_key"),
    ];
    for (f, key) in cases {
        let ir = parse_request(f, &sample(f)).unwrap();
        let out = render_request(f, &ir, &mut ctx()).unwrap();
        assert_eq!(out[key], sample(f)[key], "{f}: {key} lost");
    }
    // a key both OpenAI formats understand crosses Chat <-> Responses; others do not
    let ir = parse_request(Format::Responses, &sample(Format::Responses)).unwrap();
    let chat = render_request(Format::OpenAiChat, &ir, &mut ctx()).unwrap();
    assert_eq!(chat["prompt_cache_key"], "k1");
    let ir = parse_request(Format::OpenAiChat, &sample(Format::OpenAiChat)).unwrap();
    let mut c = ctx();
    let resp = render_request(Format::Responses, &ir, &mut c).unwrap();
    assert!(resp.get("vendor_field").is_none());
    assert!(
        c.warnings.iter().any(|w| w.contains("vendor_field")),
        "{:?}",
        c.warnings
    );
}

/// The conversation as a user sees it: role, texts, tool calls (name + parsed args), tool
/// results (call id + text), image count.
fn conversation(ir: &ChatRequest) -> Vec<Value> {
    ir.messages
        .iter()
        .map(|m| {
            let parts: Vec<Value> = m
                .content
                .iter()
                .filter_map(|p| match p {
                    Part::Text { text, .. } => Some(json!({"text": text})),
                    Part::Image { .. } => Some(json!("image")),
                    Part::ToolCall { name, arguments, .. } => Some(
                        json!({"call": name, "args": serde_json::from_str::<Value>(arguments).unwrap()}),
                    ),
                    Part::ToolResult { content, .. } => {
                        Some(json!({"result": gateway_text(content)}))
                    }
                    _ => None,
                })
                .collect();
            json!({"role": if m.role == Role::User { "user" } else { "assistant" }, "parts": parts})
        })
        .collect()
}

fn gateway_text(parts: &[Part]) -> String {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn cross_format_round_trip_keeps_the_conversation() {
    for from in Format::ALL {
        let ir1 = parse_request(from, &sample(from)).unwrap();
        for to in Format::ALL {
            let out = render_request(to, &ir1, &mut ctx()).unwrap();
            let ir2 = parse_request(to, &out).unwrap();
            let (a, b) = (conversation(&ir1), conversation(&ir2));
            // OpenAI splits a turn of tool results + text into tool messages and a user
            // message; compare after merging adjacent user turns.
            assert_eq!(
                merge_users(a),
                merge_users(b),
                "{from} -> {to}\nrendered: {out}"
            );
            // Anthropic has no response_format: an instruction block is appended after the
            // client's system blocks, which must come through unchanged and first.
            let sys1: Vec<&String> = ir1.system.iter().map(|s| &s.text).collect();
            let sys2: Vec<&String> = ir2.system.iter().map(|s| &s.text).collect();
            assert_eq!(sys1[..], sys2[..sys1.len()], "{from} -> {to}: system");
            if to == Format::Anthropic && ir1.response_format.is_some() {
                assert!(
                    sys2.last().unwrap().contains("JSON"),
                    "{from} -> {to}: JSON instruction"
                );
            } else {
                assert_eq!(sys1.len(), sys2.len(), "{from} -> {to}: system");
            }
            assert_eq!(ir2.tools.len(), 1, "{from} -> {to}: tools");
            assert_eq!(ir2.tools[0].name, "f");
            assert_eq!(
                ir2.params.max_tokens,
                Some(4096),
                "{from} -> {to}: max tokens"
            );
        }
    }
}

fn merge_users(conv: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for m in conv {
        if let Some(last) = out.last_mut() {
            if last["role"] == m["role"] {
                let extra = m["parts"].as_array().unwrap().clone();
                last["parts"].as_array_mut().unwrap().extend(extra);
                continue;
            }
        }
        out.push(m);
    }
    out
}

/// Complete responses: X -> IR -> X -> IR keeps content, stop reason and usage.
#[test]
fn response_round_trip_per_format() {
    let resp = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "thinking", "thinking": "t", "signature": "s"}, {"type": "text", "text": "hi"},
                    {"type": "tool_use", "id": "c1", "name": "f", "input": {"a": [1, 2]}}],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 10, "cache_read_input_tokens": 5, "cache_creation_input_tokens": 3, "output_tokens": 20}});
    let ir = parse_response(Format::Anthropic, &resp).unwrap();
    for f in Format::ALL {
        let out = render_response(f, &ir, "client");
        let back = parse_response(f, &out).unwrap();
        assert_eq!(back.stop, ir.stop, "{f}: stop");
        // the whole prompt is always preserved; Gemini has no cache-write counter, so there
        // cache writes are billed as plain input
        assert_eq!(back.usage.prompt_total(), 18, "{f}: prompt total");
        let expected_input = if f == Format::Gemini { 13 } else { 10 };
        assert_eq!(back.usage.input, expected_input, "{f}: usage input");
        assert_eq!(back.usage.output, 20, "{f}: usage output");
        assert_eq!(back.usage.cache_read, 5, "{f}: cache read");
        let texts = |r: &gateway::ir::ChatResponse| gateway_text(&r.content);
        assert_eq!(texts(&back), "hi", "{f}");
        let call = back.content.iter().find_map(|p| match p {
            Part::ToolCall {
                name, arguments, ..
            } => Some((
                name.clone(),
                serde_json::from_str::<Value>(arguments).unwrap(),
            )),
            _ => None,
        });
        assert_eq!(call, Some(("f".to_string(), json!({"a": [1, 2]}))), "{f}");
        let thinking = back
            .content
            .iter()
            .any(|p| matches!(p, Part::Thinking { text, .. } if text == "t"));
        assert!(thinking, "{f}: reasoning text lost");
    }
}
