//! OpenAI Chat request <-> IR.

use serde_json::{json, Map, Value};

use super::{parse_thinking_blocks, tool_call_json};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{
    args_string, as_array, as_object, joined_text, merge_extras, opt_bool, opt_f64, opt_str,
    opt_u64, req_str, stop_list, RenderCtx,
};
use crate::ir::{
    ChatRequest, Effort, GenParams, ImageSource, Message, Part, Reasoning, ReasoningMode,
    ResponseFormat, Role, TextBlock, Tool, ToolChoice,
};

const KNOWN: &[&str] = &[
    "model",
    "messages",
    "tools",
    "tool_choice",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "top_k",
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "user",
    "reasoning_effort",
    "response_format",
    "stream",
    "stream_options",
    "parallel_tool_calls",
    "thinking",
];

pub fn parse(v: &Value) -> Result<ChatRequest, TranslateError> {
    let o = as_object(v, "body")?;
    let mut req = ChatRequest {
        model: opt_str(o, "model", "")?.unwrap_or_default(),
        ..Default::default()
    };
    let msgs = as_array(
        o.get("messages")
            .ok_or_else(|| TranslateError::MissingField("messages".into()))?,
        "messages",
    )?;
    for (i, m) in msgs.iter().enumerate() {
        parse_message(m, &format!("messages[{i}]"), &mut req)?;
    }
    if let Some(tools) = o.get("tools").filter(|t| !t.is_null()) {
        for (i, t) in as_array(tools, "tools")?.iter().enumerate() {
            req.tools.push(parse_tool(t, &format!("tools[{i}]"))?);
        }
    }
    req.tool_choice = match o.get("tool_choice") {
        None | Some(Value::Null) => None,
        Some(tc) => Some(parse_tool_choice(tc)?),
    };
    req.params = GenParams {
        max_tokens: opt_u64(o, "max_completion_tokens", "")?.or(opt_u64(o, "max_tokens", "")?),
        temperature: opt_f64(o, "temperature", "")?,
        top_p: opt_f64(o, "top_p", "")?,
        top_k: opt_u64(o, "top_k", "")?,
        stop: stop_list(o, "stop", "")?,
        seed: o.get("seed").and_then(Value::as_i64),
        frequency_penalty: opt_f64(o, "frequency_penalty", "")?,
        presence_penalty: opt_f64(o, "presence_penalty", "")?,
        user: opt_str(o, "user", "")?,
    };
    req.reasoning = parse_reasoning(o)?;
    req.response_format = match o.get("response_format") {
        None | Some(Value::Null) => None,
        Some(rf) => Some(parse_response_format(rf, "response_format")?),
    };
    req.stream = opt_bool(o, "stream", "")?.unwrap_or(false);
    req.include_usage = o
        .get("stream_options")
        .and_then(|s| s.get("include_usage"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    req.parallel_tool_calls = opt_bool(o, "parallel_tool_calls", "")?;
    for (k, v) in o {
        if !KNOWN.contains(&k.as_str()) {
            req.extra.insert(k.clone(), v.clone());
        }
    }
    req.extra_source = Some(Format::OpenAiChat);
    fill_tool_result_names(&mut req);
    Ok(req)
}

fn parse_reasoning(o: &Map<String, Value>) -> Result<Option<Reasoning>, TranslateError> {
    if let Some(e) = opt_str(o, "reasoning_effort", "")? {
        let mode = if e == "none" {
            ReasoningMode::Off
        } else {
            ReasoningMode::Effort(Effort::parse(&e).ok_or_else(|| {
                TranslateError::field(
                    "reasoning_effort",
                    format!("unknown value '{e}' (expected none, minimal, low, medium, high)"),
                )
            })?)
        };
        return Ok(Some(Reasoning {
            mode,
            summary: None,
            include_thoughts: true,
        }));
    }
    // Some OpenAI-format clients send Anthropic's `thinking` object; honour it.
    if let Some(t) = o.get("thinking").filter(|t| t.is_object()) {
        return Ok(crate::formats::anthropic::request::parse_thinking(t));
    }
    Ok(None)
}

pub(crate) fn parse_response_format(
    rf: &Value,
    path: &str,
) -> Result<ResponseFormat, TranslateError> {
    let ty = rf.get("type").and_then(Value::as_str).unwrap_or("");
    match ty {
        "text" => Ok(ResponseFormat::Text),
        "json_object" => Ok(ResponseFormat::JsonObject),
        "json_schema" => {
            let js = rf.get("json_schema").unwrap_or(rf);
            Ok(ResponseFormat::JsonSchema {
                name: js
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("response")
                    .to_string(),
                schema: js.get("schema").cloned().unwrap_or_else(|| json!({})),
                strict: js.get("strict").and_then(Value::as_bool),
            })
        }
        other => Err(TranslateError::field(
            format!("{path}.type"),
            format!("unknown response format '{other}'"),
        )),
    }
}

fn parse_tool(t: &Value, path: &str) -> Result<Tool, TranslateError> {
    let o = as_object(t, path)?;
    let ty = opt_str(o, "type", path)?.unwrap_or_else(|| "function".into());
    if ty != "function" {
        return Err(TranslateError::field(
            format!("{path}.type"),
            format!("unsupported tool type '{ty}'"),
        ));
    }
    let f = as_object(
        o.get("function")
            .ok_or_else(|| TranslateError::MissingField(format!("{path}.function")))?,
        &format!("{path}.function"),
    )?;
    let fp = format!("{path}.function");
    let name = req_str(f, "name", &fp)?;
    if name.is_empty() {
        return Err(TranslateError::field(
            format!("{fp}.name"),
            "must not be empty",
        ));
    }
    Ok(Tool {
        name,
        description: opt_str(f, "description", &fp)?,
        parameters: f
            .get("parameters")
            .cloned()
            .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
        strict: opt_bool(f, "strict", &fp)?,
        cache_control: o.get("cache_control").cloned(),
    })
}

fn parse_tool_choice(tc: &Value) -> Result<ToolChoice, TranslateError> {
    match tc {
        Value::String(s) => match s.as_str() {
            "auto" => Ok(ToolChoice::Auto),
            "none" => Ok(ToolChoice::None),
            "required" => Ok(ToolChoice::Required),
            other => Err(TranslateError::field(
                "tool_choice",
                format!("unknown value '{other}'"),
            )),
        },
        Value::Object(o) => {
            let name = o
                .get("function")
                .and_then(|f| f.get("name"))
                .or_else(|| o.get("name"))
                .and_then(Value::as_str)
                .ok_or_else(|| TranslateError::MissingField("tool_choice.function.name".into()))?;
            Ok(ToolChoice::Tool(name.to_string()))
        }
        _ => Err(TranslateError::field(
            "tool_choice",
            "expected a string or an object",
        )),
    }
}

/// Content parts of a user/system/tool message.
fn parse_content(v: &Value, path: &str) -> Result<Vec<Part>, TranslateError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![Part::text(s.clone())]),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                let o = as_object(it, &p)?;
                let ty = opt_str(o, "type", &p)?.unwrap_or_default();
                let cache_control = o.get("cache_control").cloned();
                match ty.as_str() {
                    "text" | "input_text" => out.push(Part::Text {
                        text: req_str(o, "text", &p)?,
                        cache_control,
                    }),
                    "refusal" => out.push(Part::text(req_str(o, "refusal", &p)?)),
                    "image_url" => {
                        let iu = o.get("image_url").ok_or_else(|| {
                            TranslateError::MissingField(format!("{p}.image_url"))
                        })?;
                        let (url, detail) = match iu {
                            Value::String(s) => (s.clone(), None),
                            Value::Object(io) => (
                                req_str(io, "url", &format!("{p}.image_url"))?,
                                opt_str(io, "detail", &format!("{p}.image_url"))?,
                            ),
                            _ => {
                                return Err(TranslateError::field(
                                    format!("{p}.image_url"),
                                    "expected an object or a string",
                                ))
                            }
                        };
                        out.push(Part::Image {
                            source: ImageSource::from_url(&url),
                            detail,
                            cache_control,
                        });
                    }
                    // AI-SDK style `{type:"image", image:"data:..."}`
                    "image" => out.push(Part::Image {
                        source: ImageSource::from_url(&req_str(o, "image", &p)?),
                        detail: None,
                        cache_control,
                    }),
                    other => {
                        return Err(TranslateError::field(
                            p,
                            format!("unknown part type '{other}'"),
                        ))
                    }
                }
            }
            Ok(out)
        }
        _ => Err(TranslateError::field(
            path,
            "expected a string or an array of parts",
        )),
    }
}

fn parse_message(m: &Value, path: &str, req: &mut ChatRequest) -> Result<(), TranslateError> {
    let o = as_object(m, path)?;
    let role = req_str(o, "role", path)?;
    let content_path = format!("{path}.content");
    let content = o.get("content").unwrap_or(&Value::Null);
    match role.as_str() {
        "system" | "developer" => {
            for p in parse_content(content, &content_path)? {
                if let Part::Text {
                    text,
                    cache_control,
                } = p
                {
                    req.system.push(TextBlock {
                        text,
                        cache_control,
                    });
                } else {
                    return Err(TranslateError::field(
                        content_path,
                        "system messages may contain only text",
                    ));
                }
            }
        }
        "user" => push_turn(req, Role::User, parse_content(content, &content_path)?),
        "assistant" => {
            let mut parts = Vec::new();
            if let Some(tb) = o.get("thinking_blocks") {
                parts.extend(parse_thinking_blocks(tb));
            }
            let rc = opt_str(o, "reasoning_content", path)?
                .or(opt_str(o, "reasoning", path).ok().flatten())
                .filter(|t| !t.is_empty());
            if parts.is_empty() {
                if let Some(text) = rc {
                    parts.push(Part::Thinking {
                        text,
                        signature: opt_str(o, "reasoning_signature", path)?,
                    });
                }
            } else if let Some(text) = rc {
                // Our streams send the reasoning text as `reasoning_content` deltas and the
                // signature alone in a `thinking_blocks` delta (empty `thinking`), so a
                // client that echoes what it accumulated sends the text and the signature
                // apart. With exactly one thinking block and it empty, the text is
                // unambiguous: put it back, or Anthropic rejects the signature.
                let mut thinking = parts
                    .iter_mut()
                    .filter(|p| matches!(p, Part::Thinking { .. }));
                if let (Some(Part::Thinking { text: t, .. }), None) =
                    (thinking.next(), thinking.next())
                {
                    if t.is_empty() {
                        *t = text;
                    }
                }
            }
            parts.extend(parse_content(content, &content_path)?);
            if let Some(tcs) = o.get("tool_calls").filter(|t| !t.is_null()) {
                for (j, tc) in as_array(tcs, &format!("{path}.tool_calls"))?
                    .iter()
                    .enumerate()
                {
                    let tp = format!("{path}.tool_calls[{j}]");
                    let to = as_object(tc, &tp)?;
                    let f = as_object(
                        to.get("function").ok_or_else(|| {
                            TranslateError::MissingField(format!("{tp}.function"))
                        })?,
                        &format!("{tp}.function"),
                    )?;
                    parts.push(Part::ToolCall {
                        id: req_str(to, "id", &tp)?,
                        name: req_str(f, "name", &format!("{tp}.function"))?,
                        arguments: args_string(f.get("arguments")),
                        thought_signature: tc
                            .pointer("/extra_content/google/thought_signature")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        cache_control: None,
                    });
                }
            }
            push_turn(req, Role::Assistant, parts);
        }
        "tool" => {
            let call_id = req_str(o, "tool_call_id", path)?;
            let part = Part::ToolResult {
                call_id,
                name: opt_str(o, "name", path)?,
                content: parse_content(content, &content_path)?,
                is_error: false,
                cache_control: None,
            };
            // consecutive tool messages form one user turn of tool results
            match req.messages.last_mut() {
                Some(last)
                    if last.role == Role::User
                        && last
                            .content
                            .iter()
                            .all(|p| matches!(p, Part::ToolResult { .. })) =>
                {
                    last.content.push(part)
                }
                _ => req.messages.push(Message {
                    role: Role::User,
                    content: vec![part],
                }),
            }
        }
        other => {
            return Err(TranslateError::field(
                format!("{path}.role"),
                format!("unknown role '{other}'"),
            ))
        }
    }
    Ok(())
}

fn push_turn(req: &mut ChatRequest, role: Role, content: Vec<Part>) {
    req.messages.push(Message { role, content });
}

/// Tool results from OpenAI carry only the call id; Gemini needs the function name.
pub(crate) fn fill_tool_result_names(req: &mut ChatRequest) {
    let mut names = std::collections::HashMap::new();
    for m in &mut req.messages {
        for p in &mut m.content {
            match p {
                Part::ToolCall { id, name, .. } => {
                    names.insert(id.clone(), name.clone());
                }
                Part::ToolResult { call_id, name, .. } if name.is_none() => {
                    *name = names.get(call_id).cloned();
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// render

pub fn render(req: &ChatRequest, ctx: &mut RenderCtx<'_>) -> Result<Value, TranslateError> {
    let mut out = Map::new();
    out.insert("model".into(), json!(ctx.target_model));
    let mut messages = Vec::new();
    if !req.system.is_empty() {
        let text: Vec<&str> = req.system.iter().map(|b| b.text.as_str()).collect();
        messages.push(json!({"role": "system", "content": text.join("\n\n")}));
    }
    if req.system.iter().any(|b| b.cache_control.is_some())
        || req.messages.iter().any(|m| {
            m.content.iter().any(|p| {
                matches!(
                    p,
                    Part::Text {
                        cache_control: Some(_),
                        ..
                    } | Part::Image {
                        cache_control: Some(_),
                        ..
                    }
                )
            })
        })
    {
        ctx.warn("dropped cache_control (Anthropic only)");
    }
    for (i, m) in req.messages.iter().enumerate() {
        render_message(m, i, &mut messages, ctx)?;
    }
    out.insert("messages".into(), Value::Array(messages));
    if !req.tools.is_empty() {
        let tools: Vec<Value> = req
            .tools
            .iter()
            .map(|t| {
                let mut f = json!({"name": t.name, "parameters": t.parameters});
                if let Some(d) = &t.description {
                    f["description"] = json!(d);
                }
                if let Some(s) = t.strict {
                    f["strict"] = json!(s);
                }
                json!({"type": "function", "function": f})
            })
            .collect();
        out.insert("tools".into(), Value::Array(tools));
        if let Some(p) = req.parallel_tool_calls {
            out.insert("parallel_tool_calls".into(), json!(p));
        }
    }
    if let Some(tc) = &req.tool_choice {
        out.insert(
            "tool_choice".into(),
            match tc {
                ToolChoice::Auto => json!("auto"),
                ToolChoice::None => json!("none"),
                ToolChoice::Required => json!("required"),
                ToolChoice::Tool(n) => json!({"type": "function", "function": {"name": n}}),
            },
        );
    }
    let p = &req.params;
    if let Some(v) = p.max_tokens {
        out.insert("max_tokens".into(), json!(v));
    }
    if let Some(v) = p.temperature {
        out.insert("temperature".into(), json!(v));
    }
    if let Some(v) = p.top_p {
        out.insert("top_p".into(), json!(v));
    }
    if p.top_k.is_some() {
        ctx.warn("dropped top_k (not an OpenAI Chat parameter)");
    }
    if !p.stop.is_empty() {
        out.insert("stop".into(), json!(p.stop));
    }
    if let Some(v) = p.seed {
        out.insert("seed".into(), json!(v));
    }
    if let Some(v) = p.frequency_penalty {
        out.insert("frequency_penalty".into(), json!(v));
    }
    if let Some(v) = p.presence_penalty {
        out.insert("presence_penalty".into(), json!(v));
    }
    if let Some(v) = &p.user {
        out.insert("user".into(), json!(v));
    }
    if let Some(r) = &req.reasoning {
        // `Off` is expressed by omission: "none" is not accepted by most models.
        if let Some(e) = r.effort() {
            out.insert("reasoning_effort".into(), json!(e.as_str()));
        }
    }
    if let Some(rf) = &req.response_format {
        out.insert("response_format".into(), response_format_json(rf));
    }
    if req.stream {
        out.insert("stream".into(), json!(true));
        if req.include_usage || ctx.request_upstream_usage {
            out.insert("stream_options".into(), json!({"include_usage": true}));
        }
    }
    merge_extras(req, Format::OpenAiChat, &mut out, ctx);
    Ok(Value::Object(out))
}

pub(crate) fn response_format_json(rf: &ResponseFormat) -> Value {
    match rf {
        ResponseFormat::Text => json!({"type": "text"}),
        ResponseFormat::JsonObject => json!({"type": "json_object"}),
        ResponseFormat::JsonSchema {
            name,
            schema,
            strict,
        } => {
            let mut js = json!({"name": name, "schema": schema});
            if let Some(s) = strict {
                js["strict"] = json!(s);
            }
            json!({"type": "json_schema", "json_schema": js})
        }
    }
}

pub(crate) fn part_json(p: &Part) -> Option<Value> {
    match p {
        Part::Text { text, .. } => Some(json!({"type": "text", "text": text})),
        Part::Image { source, detail, .. } => {
            let mut iu = json!({"url": source.to_url()});
            if let Some(d) = detail {
                iu["detail"] = json!(d);
            }
            Some(json!({"type": "image_url", "image_url": iu}))
        }
        _ => None,
    }
}

/// A string when the content is plain text, an array of parts otherwise.
fn content_json(parts: &[Part]) -> Value {
    if parts.iter().all(|p| matches!(p, Part::Text { .. })) {
        return json!(joined_text(parts, ""));
    }
    Value::Array(parts.iter().filter_map(part_json).collect())
}

fn render_message(
    m: &Message,
    i: usize,
    out: &mut Vec<Value>,
    ctx: &mut RenderCtx<'_>,
) -> Result<(), TranslateError> {
    match m.role {
        Role::User => {
            let mut rest = Vec::new();
            let mut late_images = Vec::new();
            for p in &m.content {
                match p {
                    Part::ToolResult {
                        call_id, content, ..
                    } => {
                        let (texts, images): (Vec<Part>, Vec<Part>) = content
                            .iter()
                            .cloned()
                            .partition(|c| matches!(c, Part::Text { .. }));
                        if !images.is_empty() {
                            ctx.warn("tool-result images moved to a user message (OpenAI tool messages carry text only)");
                            late_images.extend(images);
                        }
                        out.push(json!({"role": "tool", "tool_call_id": call_id, "content": joined_text(&texts, "\n")}));
                    }
                    Part::Text { .. } | Part::Image { .. } => rest.push(p.clone()),
                    _ => {
                        return Err(TranslateError::field(
                            format!("messages[{i}]"),
                            "user turn contains assistant-only content",
                        ))
                    }
                }
            }
            rest.extend(late_images);
            if !rest.is_empty() {
                out.push(json!({"role": "user", "content": content_json(&rest)}));
            }
        }
        Role::Assistant => {
            let mut msg = Map::new();
            msg.insert("role".into(), json!("assistant"));
            let texts: Vec<Part> = m
                .content
                .iter()
                .filter(|p| matches!(p, Part::Text { .. } | Part::Image { .. }))
                .cloned()
                .collect();
            let thinking: String = m
                .content
                .iter()
                .filter_map(|p| match p {
                    Part::Thinking { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            let tool_calls: Vec<Value> = m
                .content
                .iter()
                .filter_map(|p| match p {
                    Part::ToolCall {
                        id,
                        name,
                        arguments,
                        thought_signature,
                        ..
                    } => Some(tool_call_json(
                        id,
                        name,
                        arguments,
                        thought_signature.as_ref(),
                    )),
                    _ => None,
                })
                .collect();
            msg.insert(
                "content".into(),
                if texts.is_empty() {
                    Value::Null
                } else {
                    json!(joined_text(&texts, ""))
                },
            );
            // Kept, not stripped: DeepSeek/Kimi-style models require their reasoning back.
            if !thinking.is_empty() {
                msg.insert("reasoning_content".into(), json!(thinking));
            }
            if !tool_calls.is_empty() {
                msg.insert("tool_calls".into(), Value::Array(tool_calls));
            }
            out.push(Value::Object(msg));
        }
    }
    Ok(())
}
