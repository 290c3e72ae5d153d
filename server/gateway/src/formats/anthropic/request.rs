//! Anthropic Messages request <-> IR.

use serde_json::{json, Map, Value};

use super::image_source_json;
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{
    args_object, as_array, as_object, merge_extras, opt_bool, opt_f64, opt_str, opt_u64, req_str,
    stop_list, RenderCtx,
};
use crate::ir::{
    ChatRequest, GenParams, ImageSource, Message, Part, Reasoning, ReasoningMode, ResponseFormat,
    Role, TextBlock, Tool, ToolChoice,
};

const KNOWN: &[&str] = &[
    "model",
    "max_tokens",
    "system",
    "messages",
    "tools",
    "tool_choice",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "stream",
    "metadata",
    "thinking",
];

/// Anthropic's smallest accepted thinking budget.
pub const MIN_THINKING_BUDGET: u64 = 1024;

pub(crate) fn parse_thinking(t: &Value) -> Option<Reasoning> {
    let mode = match t.get("type").and_then(Value::as_str)? {
        "enabled" => ReasoningMode::Budget(
            t.get("budget_tokens")
                .and_then(Value::as_u64)
                .unwrap_or(MIN_THINKING_BUDGET),
        ),
        "disabled" => ReasoningMode::Off,
        "adaptive" => ReasoningMode::Dynamic,
        _ => return None,
    };
    Some(Reasoning {
        mode,
        summary: None,
        include_thoughts: true,
    })
}

pub fn parse(v: &Value) -> Result<ChatRequest, TranslateError> {
    let o = as_object(v, "body")?;
    let mut req = ChatRequest {
        model: opt_str(o, "model", "")?.unwrap_or_default(),
        ..Default::default()
    };
    match o.get("system") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => req.system.push(TextBlock {
            text: s.clone(),
            cache_control: None,
        }),
        Some(Value::Array(blocks)) => {
            for (i, b) in blocks.iter().enumerate() {
                let p = format!("system[{i}]");
                let bo = as_object(b, &p)?;
                req.system.push(TextBlock {
                    text: req_str(bo, "text", &p)?,
                    cache_control: bo.get("cache_control").cloned(),
                });
            }
        }
        Some(_) => {
            return Err(TranslateError::field(
                "system",
                "expected a string or an array of text blocks",
            ))
        }
    }
    let msgs = as_array(
        o.get("messages")
            .ok_or_else(|| TranslateError::MissingField("messages".into()))?,
        "messages",
    )?;
    for (i, m) in msgs.iter().enumerate() {
        let path = format!("messages[{i}]");
        let mo = as_object(m, &path)?;
        let role = match req_str(mo, "role", &path)?.as_str() {
            "user" => Role::User,
            "assistant" => Role::Assistant,
            other => {
                return Err(TranslateError::field(
                    format!("{path}.role"),
                    format!("unknown role '{other}' (expected user or assistant)"),
                ))
            }
        };
        let content = parse_blocks(
            mo.get("content").unwrap_or(&Value::Null),
            &format!("{path}.content"),
        )?;
        req.messages.push(Message { role, content });
    }
    if let Some(tools) = o.get("tools").filter(|t| !t.is_null()) {
        for (i, t) in as_array(tools, "tools")?.iter().enumerate() {
            let p = format!("tools[{i}]");
            let to = as_object(t, &p)?;
            let ty = opt_str(to, "type", &p)?;
            if matches!(ty.as_deref(), Some(t) if t != "custom") {
                req.warnings.push(format!(
                    "dropped Anthropic server tool '{}' (only Anthropic runs it)",
                    ty.unwrap_or_default()
                ));
                continue;
            }
            req.tools.push(Tool {
                name: req_str(to, "name", &p)?,
                description: opt_str(to, "description", &p)?,
                parameters: to
                    .get("input_schema")
                    .cloned()
                    .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
                strict: None,
                cache_control: to.get("cache_control").cloned(),
            });
        }
    }
    if let Some(tc) = o.get("tool_choice").filter(|t| !t.is_null()) {
        let tco = as_object(tc, "tool_choice")?;
        req.tool_choice = Some(match req_str(tco, "type", "tool_choice")?.as_str() {
            "auto" => ToolChoice::Auto,
            "any" => ToolChoice::Required,
            "none" => ToolChoice::None,
            "tool" => ToolChoice::Tool(req_str(tco, "name", "tool_choice")?),
            other => {
                return Err(TranslateError::field(
                    "tool_choice.type",
                    format!("unknown value '{other}'"),
                ))
            }
        });
        if opt_bool(tco, "disable_parallel_tool_use", "tool_choice")? == Some(true) {
            req.parallel_tool_calls = Some(false);
        }
    }
    req.params = GenParams {
        max_tokens: opt_u64(o, "max_tokens", "")?,
        temperature: opt_f64(o, "temperature", "")?,
        top_p: opt_f64(o, "top_p", "")?,
        top_k: opt_u64(o, "top_k", "")?,
        stop: stop_list(o, "stop_sequences", "")?,
        user: o
            .get("metadata")
            .and_then(|m| m.get("user_id"))
            .and_then(Value::as_str)
            .map(str::to_string),
        ..Default::default()
    };
    req.reasoning = o.get("thinking").and_then(parse_thinking);
    req.stream = opt_bool(o, "stream", "")?.unwrap_or(false);
    // Anthropic streams always carry usage.
    req.include_usage = true;
    for (k, v) in o {
        if !KNOWN.contains(&k.as_str()) {
            req.extra.insert(k.clone(), v.clone());
        }
    }
    req.extra_source = Some(Format::Anthropic);
    crate::formats::openai_chat::request::fill_tool_result_names(&mut req);
    Ok(req)
}

fn parse_image(bo: &Map<String, Value>, p: &str) -> Result<ImageSource, TranslateError> {
    let sp = format!("{p}.source");
    let src = as_object(
        bo.get("source")
            .ok_or_else(|| TranslateError::MissingField(sp.clone()))?,
        &sp,
    )?;
    match req_str(src, "type", &sp)?.as_str() {
        "base64" => Ok(ImageSource::Base64 {
            media_type: req_str(src, "media_type", &sp)?,
            data: req_str(src, "data", &sp)?,
        }),
        "url" => Ok(ImageSource::Url {
            url: req_str(src, "url", &sp)?,
            media_type: None,
        }),
        other => Err(TranslateError::field(
            format!("{sp}.type"),
            format!("unsupported image source '{other}'"),
        )),
    }
}

fn parse_blocks(v: &Value, path: &str) -> Result<Vec<Part>, TranslateError> {
    let blocks = match v {
        Value::String(s) => return Ok(vec![Part::text(s.clone())]),
        Value::Array(a) => a,
        Value::Null => return Ok(Vec::new()),
        _ => {
            return Err(TranslateError::field(
                path,
                "expected a string or an array of content blocks",
            ))
        }
    };
    let mut out = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let bo = as_object(b, &p)?;
        let cache_control = bo.get("cache_control").cloned();
        let ty = req_str(bo, "type", &p)?;
        out.push(match ty.as_str() {
            "text" => Part::Text {
                text: req_str(bo, "text", &p)?,
                cache_control,
            },
            "image" | "document" => Part::Image {
                source: parse_image(bo, &p)?,
                detail: None,
                cache_control,
            },
            "tool_use" => Part::ToolCall {
                id: req_str(bo, "id", &p)?,
                name: req_str(bo, "name", &p)?,
                arguments: bo
                    .get("input")
                    .map(Value::to_string)
                    .unwrap_or_else(|| "{}".into()),
                thought_signature: None,
                cache_control,
            },
            "tool_result" => Part::ToolResult {
                call_id: req_str(bo, "tool_use_id", &p)?,
                name: None,
                content: parse_blocks(
                    bo.get("content").unwrap_or(&Value::Null),
                    &format!("{p}.content"),
                )?,
                is_error: opt_bool(bo, "is_error", &p)?.unwrap_or(false),
                cache_control,
            },
            "thinking" => Part::Thinking {
                text: opt_str(bo, "thinking", &p)?.unwrap_or_default(),
                signature: opt_str(bo, "signature", &p)?,
            },
            "redacted_thinking" => Part::RedactedThinking {
                data: req_str(bo, "data", &p)?,
            },
            other => {
                return Err(TranslateError::field(
                    p,
                    format!("unknown part type '{other}'"),
                ))
            }
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// render

/// The system text that stands in for `response_format` (Anthropic has no such field).
pub fn json_instruction(rf: &ResponseFormat) -> Option<String> {
    match rf {
        ResponseFormat::Text => None,
        ResponseFormat::JsonObject => Some(
            "Respond with a single valid JSON object and nothing else (no prose, no code fences)."
                .into(),
        ),
        ResponseFormat::JsonSchema { schema, .. } => Some(format!(
            "Respond with a single valid JSON value that conforms to this JSON schema, and nothing else (no prose, no code fences):\n{schema}"
        )),
    }
}

fn block_json(
    p: &Part,
    ctx: &mut RenderCtx<'_>,
    path: &str,
) -> Result<Option<Value>, TranslateError> {
    let with_cc = |mut v: Value, cc: &Option<Value>| {
        if let Some(cc) = cc {
            v["cache_control"] = cc.clone();
        }
        v
    };
    Ok(match p {
        Part::Text {
            text,
            cache_control,
        } => {
            if text.is_empty() {
                None // Anthropic rejects empty text blocks
            } else {
                Some(with_cc(
                    json!({"type": "text", "text": text}),
                    cache_control,
                ))
            }
        }
        Part::Image {
            source,
            cache_control,
            ..
        } => {
            // PDFs travel as images in the IR (OpenAI/Gemini treat them alike); Anthropic
            // wants a `document` block for them.
            let ty = if source.guess_media_type() == "application/pdf" {
                "document"
            } else {
                "image"
            };
            Some(with_cc(
                json!({"type": ty, "source": image_source_json(source)}),
                cache_control,
            ))
        }
        Part::ToolCall {
            id,
            name,
            arguments,
            cache_control,
            ..
        } => Some(with_cc(
            json!({"type": "tool_use", "id": id, "name": name, "input": args_object(arguments, path)?}),
            cache_control,
        )),
        Part::ToolResult {
            call_id,
            content,
            is_error,
            cache_control,
            ..
        } => {
            let mut inner = Vec::new();
            for c in content {
                if let Some(b) = block_json(c, ctx, path)? {
                    inner.push(b);
                }
            }
            let content = match inner.as_slice() {
                [] => json!(""),
                [one]
                    if one.get("type") == Some(&json!("text"))
                        && one.get("cache_control").is_none() =>
                {
                    one["text"].clone()
                }
                _ => Value::Array(inner),
            };
            let mut v = json!({"type": "tool_result", "tool_use_id": call_id, "content": content});
            if *is_error {
                v["is_error"] = json!(true);
            }
            Some(with_cc(v, cache_control))
        }
        Part::Thinking {
            text,
            signature: Some(sig),
        } => Some(json!({"type": "thinking", "thinking": text, "signature": sig})),
        Part::Thinking {
            signature: None, ..
        } => {
            ctx.warn("dropped unsigned reasoning from history (Anthropic accepts only signed thinking blocks)");
            None
        }
        Part::RedactedThinking { data } => Some(json!({"type": "redacted_thinking", "data": data})),
    })
}

pub fn render(req: &ChatRequest, ctx: &mut RenderCtx<'_>) -> Result<Value, TranslateError> {
    let mut out = Map::new();
    out.insert("model".into(), json!(ctx.target_model));

    let mut system: Vec<Value> = req
        .system
        .iter()
        .map(|b| {
            let mut v = json!({"type": "text", "text": b.text});
            if let Some(cc) = &b.cache_control {
                v["cache_control"] = cc.clone();
            }
            v
        })
        .collect();
    if let Some(instr) = req.response_format.as_ref().and_then(json_instruction) {
        system.push(json!({"type": "text", "text": instr}));
    }
    let plain = system.len() == 1 && system[0].get("cache_control").is_none();
    if plain {
        out.insert("system".into(), system[0]["text"].clone());
    } else if !system.is_empty() {
        out.insert("system".into(), Value::Array(system));
    }

    let mut messages: Vec<Value> = Vec::new();
    let mut last_role: Option<Role> = None;
    for (i, m) in req.messages.iter().enumerate() {
        let path = format!("messages[{i}]");
        let mut parts: Vec<Part> = m.content.clone();
        if m.role == Role::Assistant {
            restore_thinking(&mut parts, ctx);
        }
        let mut blocks = Vec::new();
        for p in &parts {
            if let Some(b) = block_json(p, ctx, &path)? {
                blocks.push(b);
            }
        }
        if blocks.is_empty() {
            continue;
        }
        let role = match m.role {
            Role::User => "user",
            Role::Assistant => "assistant",
        };
        // Anthropic wants alternating turns: merge consecutive turns of one role.
        if last_role == Some(m.role) {
            if let Some(Value::Array(prev)) = messages.last_mut().and_then(|v| v.get_mut("content"))
            {
                prev.extend(blocks);
                continue;
            }
        }
        last_role = Some(m.role);
        messages.push(json!({"role": role, "content": blocks}));
    }
    out.insert("messages".into(), Value::Array(messages));

    let p = &req.params;
    let thinking_budget = req.reasoning.as_ref().and_then(|r| r.budget());
    let mut max_tokens = p.max_tokens.unwrap_or(ctx.default_max_tokens);
    let mut thinking = None;
    if let Some(mut budget) = thinking_budget {
        budget = budget.max(MIN_THINKING_BUDGET);
        if budget >= max_tokens {
            if p.max_tokens.is_some() {
                // The client's limit wins: shrink the budget under it, or drop thinking.
                budget = max_tokens.saturating_sub(1);
            } else {
                max_tokens = budget + ctx.default_max_tokens;
            }
        }
        if budget >= MIN_THINKING_BUDGET {
            thinking = Some(json!({"type": "enabled", "budget_tokens": budget}));
        } else {
            ctx.warn("dropped thinking: max_tokens leaves no room for Anthropic's minimum budget of 1024");
        }
    }
    out.insert("max_tokens".into(), json!(max_tokens));
    if let Some(t) = &thinking {
        out.insert("thinking".into(), t.clone());
    }
    if thinking.is_some() && (p.temperature.is_some() || p.top_k.is_some()) {
        ctx.warn("dropped temperature/top_k (Anthropic rejects them with thinking enabled)");
    } else {
        if let Some(v) = p.temperature {
            out.insert("temperature".into(), json!(v.min(1.0)));
            if v > 1.0 {
                ctx.warn("temperature clamped to 1.0 (Anthropic's maximum)");
            }
        }
        if let Some(v) = p.top_k {
            out.insert("top_k".into(), json!(v));
        }
    }
    if let Some(v) = p.top_p {
        out.insert("top_p".into(), json!(v));
    }
    if !p.stop.is_empty() {
        out.insert("stop_sequences".into(), json!(p.stop));
    }
    if p.seed.is_some() || p.frequency_penalty.is_some() || p.presence_penalty.is_some() {
        ctx.warn("dropped seed/frequency_penalty/presence_penalty (not Anthropic parameters)");
    }
    if let Some(u) = &p.user {
        out.insert("metadata".into(), json!({"user_id": u}));
    }

    if !req.tools.is_empty() && req.tool_choice != Some(ToolChoice::None) {
        let tools: Vec<Value> = req
            .tools
            .iter()
            .map(|t| {
                let mut v = json!({"name": t.name, "input_schema": t.parameters});
                if let Some(d) = &t.description {
                    v["description"] = json!(d);
                }
                if let Some(cc) = &t.cache_control {
                    v["cache_control"] = cc.clone();
                }
                v
            })
            .collect();
        out.insert("tools".into(), Value::Array(tools));
        let mut choice = match &req.tool_choice {
            None | Some(ToolChoice::Auto) | Some(ToolChoice::None) => json!({"type": "auto"}),
            Some(ToolChoice::Required) => json!({"type": "any"}),
            Some(ToolChoice::Tool(n)) => json!({"type": "tool", "name": n}),
        };
        if thinking.is_some() && choice["type"] != "auto" {
            ctx.warn(
                "tool_choice relaxed to auto (Anthropic forbids forced tool use with thinking)",
            );
            choice = json!({"type": "auto"});
        }
        if req.parallel_tool_calls == Some(false) {
            choice["disable_parallel_tool_use"] = json!(true);
        }
        if req.tool_choice.is_some() || req.parallel_tool_calls == Some(false) {
            out.insert("tool_choice".into(), choice);
        }
    } else if req.tool_choice == Some(ToolChoice::None) && !req.tools.is_empty() {
        ctx.warn("tools omitted because tool_choice is none");
    }
    if req.stream {
        out.insert("stream".into(), json!(true));
    }
    merge_extras(req, Format::Anthropic, &mut out, ctx);
    Ok(Value::Object(out))
}

/// An assistant turn with tool calls but no thinking: put back the signed thinking the
/// store remembered for its first tool call (clients in other formats do not echo it).
fn restore_thinking(parts: &mut Vec<Part>, ctx: &mut RenderCtx<'_>) {
    let Some(store) = ctx.signatures else {
        return;
    };
    if parts.iter().any(|p| {
        matches!(
            p,
            Part::Thinking {
                signature: Some(_),
                ..
            } | Part::RedactedThinking { .. }
        )
    }) {
        return;
    }
    let first_call = parts.iter().find_map(|p| match p {
        Part::ToolCall { id, .. } => Some(id.clone()),
        _ => None,
    });
    if let Some(id) = first_call {
        let restored = store.thinking(&id);
        if !restored.is_empty() {
            parts.retain(|p| !matches!(p, Part::Thinking { .. }));
            let mut new = restored;
            new.append(parts);
            *parts = new;
        }
    }
}
