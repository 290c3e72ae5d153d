//! OpenAI Responses request <-> IR.

use serde_json::{json, Map, Value};

use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{
    args_string, as_array, as_object, joined_text, merge_extras, opt_bool, opt_f64, opt_str,
    opt_u64, req_str, RenderCtx,
};
use crate::ir::{
    ChatRequest, Effort, GenParams, ImageSource, Message, Part, Reasoning, ReasoningMode,
    ResponseFormat, Role, TextBlock, Tool, ToolChoice,
};

const KNOWN: &[&str] = &[
    "model",
    "input",
    "instructions",
    "tools",
    "tool_choice",
    "max_output_tokens",
    "temperature",
    "top_p",
    "reasoning",
    "text",
    "stream",
    "parallel_tool_calls",
    "user",
];

pub fn parse(v: &Value) -> Result<ChatRequest, TranslateError> {
    let o = as_object(v, "body")?;
    let mut req = ChatRequest {
        model: opt_str(o, "model", "")?.unwrap_or_default(),
        ..Default::default()
    };
    if let Some(instr) = opt_str(o, "instructions", "")? {
        req.system.push(TextBlock {
            text: instr,
            cache_control: None,
        });
    }
    match o.get("input") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => req.messages.push(Message {
            role: Role::User,
            content: vec![Part::text(s.clone())],
        }),
        Some(Value::Array(items)) => {
            for (i, it) in items.iter().enumerate() {
                parse_item(it, &format!("input[{i}]"), &mut req)?;
            }
        }
        Some(_) => {
            return Err(TranslateError::field(
                "input",
                "expected a string or an array of items",
            ))
        }
    }
    if let Some(tools) = o.get("tools").filter(|t| !t.is_null()) {
        for (i, t) in as_array(tools, "tools")?.iter().enumerate() {
            let p = format!("tools[{i}]");
            let to = as_object(t, &p)?;
            let ty = opt_str(to, "type", &p)?.unwrap_or_default();
            if ty != "function" {
                req.warnings.push(format!(
                    "dropped Responses built-in tool '{ty}' (only OpenAI runs it)"
                ));
                continue;
            }
            req.tools.push(Tool {
                name: req_str(to, "name", &p)?,
                description: opt_str(to, "description", &p)?,
                parameters: to
                    .get("parameters")
                    .cloned()
                    .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
                strict: opt_bool(to, "strict", &p)?,
                cache_control: None,
            });
        }
    }
    req.tool_choice = match o.get("tool_choice") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(match s.as_str() {
            "auto" => ToolChoice::Auto,
            "none" => ToolChoice::None,
            "required" => ToolChoice::Required,
            other => {
                return Err(TranslateError::field(
                    "tool_choice",
                    format!("unknown value '{other}'"),
                ))
            }
        }),
        Some(Value::Object(tc)) => match tc.get("name").and_then(Value::as_str) {
            Some(n) => Some(ToolChoice::Tool(n.to_string())),
            None => Some(ToolChoice::Auto),
        },
        Some(_) => {
            return Err(TranslateError::field(
                "tool_choice",
                "expected a string or an object",
            ))
        }
    };
    req.params = GenParams {
        max_tokens: opt_u64(o, "max_output_tokens", "")?,
        temperature: opt_f64(o, "temperature", "")?,
        top_p: opt_f64(o, "top_p", "")?,
        user: opt_str(o, "user", "")?,
        ..Default::default()
    };
    if let Some(r) = o.get("reasoning").filter(|r| r.is_object()) {
        let effort = r.get("effort").and_then(Value::as_str);
        let mode = match effort {
            Some("none") => Some(ReasoningMode::Off),
            Some(e) => Some(ReasoningMode::Effort(Effort::parse(e).ok_or_else(
                || TranslateError::field("reasoning.effort", format!("unknown value '{e}'")),
            )?)),
            None => None,
        };
        let summary = r.get("summary").and_then(Value::as_str).map(str::to_string);
        if mode.is_some() || summary.is_some() {
            req.reasoning = Some(Reasoning {
                mode: mode.unwrap_or(ReasoningMode::Effort(Effort::Medium)),
                summary,
                include_thoughts: true,
            });
        }
    }
    if let Some(f) = o.get("text").and_then(|t| t.get("format")) {
        req.response_format = Some(crate::formats::openai_chat::request::parse_response_format(
            f,
            "text.format",
        )?);
    }
    req.stream = opt_bool(o, "stream", "")?.unwrap_or(false);
    req.include_usage = true;
    req.parallel_tool_calls = opt_bool(o, "parallel_tool_calls", "")?;
    for (k, v) in o {
        if !KNOWN.contains(&k.as_str()) {
            req.extra.insert(k.clone(), v.clone());
        }
    }
    req.extra_source = Some(Format::Responses);
    crate::formats::openai_chat::request::fill_tool_result_names(&mut req);
    Ok(req)
}

fn content_parts(v: &Value, path: &str) -> Result<Vec<Part>, TranslateError> {
    match v {
        Value::String(s) => Ok(vec![Part::text(s.clone())]),
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                let o = as_object(it, &p)?;
                match opt_str(o, "type", &p)?.unwrap_or_default().as_str() {
                    "input_text" | "output_text" | "text" => {
                        out.push(Part::text(req_str(o, "text", &p)?))
                    }
                    "refusal" => out.push(Part::text(req_str(o, "refusal", &p)?)),
                    "input_image" => {
                        let url = opt_str(o, "image_url", &p)?.ok_or_else(|| {
                            TranslateError::field(&p, "only image_url images are supported (file_id needs OpenAI storage)")
                        })?;
                        out.push(Part::Image {
                            source: ImageSource::from_url(&url),
                            detail: opt_str(o, "detail", &p)?,
                            cache_control: None,
                        });
                    }
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

/// Appends parts to the last turn when it has `role` and `mergeable` says so.
fn push(req: &mut ChatRequest, role: Role, parts: Vec<Part>, merge: bool) {
    match req.messages.last_mut() {
        Some(last) if merge && last.role == role => last.content.extend(parts),
        _ => req.messages.push(Message {
            role,
            content: parts,
        }),
    }
}

fn last_is_tool_results(req: &ChatRequest) -> bool {
    req.messages.last().is_some_and(|m| {
        m.role == Role::User
            && m.content
                .iter()
                .all(|p| matches!(p, Part::ToolResult { .. }))
    })
}

fn parse_item(it: &Value, path: &str, req: &mut ChatRequest) -> Result<(), TranslateError> {
    let o = as_object(it, path)?;
    let ty = opt_str(o, "type", path)?.unwrap_or_else(|| "message".into());
    match ty.as_str() {
        "message" => {
            let role = req_str(o, "role", path)?;
            let parts = content_parts(
                o.get("content").unwrap_or(&Value::Null),
                &format!("{path}.content"),
            )?;
            match role.as_str() {
                "system" | "developer" => {
                    for p in parts {
                        if let Part::Text { text, .. } = p {
                            req.system.push(TextBlock {
                                text,
                                cache_control: None,
                            });
                        }
                    }
                }
                "user" => push(req, Role::User, parts, false),
                "assistant" => push(req, Role::Assistant, parts, true),
                other => {
                    return Err(TranslateError::field(
                        format!("{path}.role"),
                        format!("unknown role '{other}'"),
                    ))
                }
            }
        }
        "function_call" => {
            let part = Part::ToolCall {
                id: req_str(o, "call_id", path)?,
                name: req_str(o, "name", path)?,
                arguments: args_string(o.get("arguments")),
                thought_signature: None,
                cache_control: None,
            };
            push(req, Role::Assistant, vec![part], true);
        }
        "function_call_output" => {
            let content = match o.get("output") {
                Some(Value::String(s)) => vec![Part::text(s.clone())],
                Some(other) => content_parts(other, &format!("{path}.output"))?,
                None => Vec::new(),
            };
            let part = Part::ToolResult {
                call_id: req_str(o, "call_id", path)?,
                name: None,
                content,
                is_error: false,
                cache_control: None,
            };
            let merge = last_is_tool_results(req);
            push(req, Role::User, vec![part], merge);
        }
        "reasoning" => {
            let summary: Vec<String> = o
                .get("summary")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.get("text").and_then(Value::as_str).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if !summary.is_empty() {
                push(
                    req,
                    Role::Assistant,
                    vec![Part::Thinking {
                        text: summary.join("\n\n"),
                        signature: None,
                    }],
                    true,
                );
            }
            if o.get("encrypted_content").is_some() {
                req.warnings
                    .push("dropped encrypted reasoning (only OpenAI can read it)".into());
            }
        }
        other => {
            return Err(TranslateError::field(
                format!("{path}.type"),
                format!("unsupported input item type '{other}'"),
            ))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// render

fn user_content(parts: &[Part]) -> Vec<Value> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(json!({"type": "input_text", "text": text})),
            Part::Image { source, detail, .. } => {
                let mut v = json!({"type": "input_image", "image_url": source.to_url()});
                v["detail"] = json!(detail.clone().unwrap_or_else(|| "auto".into()));
                Some(v)
            }
            _ => None,
        })
        .collect()
}

pub fn render(req: &ChatRequest, ctx: &mut RenderCtx<'_>) -> Result<Value, TranslateError> {
    let mut out = Map::new();
    out.insert("model".into(), json!(ctx.target_model));
    if !req.system.is_empty() {
        let text: Vec<&str> = req.system.iter().map(|b| b.text.as_str()).collect();
        out.insert("instructions".into(), json!(text.join("\n\n")));
    }
    let mut input = Vec::new();
    for m in &req.messages {
        match m.role {
            Role::User => {
                let mut rest = Vec::new();
                for p in &m.content {
                    match p {
                        Part::ToolResult {
                            call_id, content, ..
                        } => {
                            let output = if content.iter().all(|c| matches!(c, Part::Text { .. })) {
                                json!(joined_text(content, "\n"))
                            } else {
                                Value::Array(user_content(content))
                            };
                            input.push(json!({"type": "function_call_output", "call_id": call_id, "output": output}));
                        }
                        _ => rest.push(p.clone()),
                    }
                }
                if !rest.is_empty() {
                    input.push(
                        json!({"type": "message", "role": "user", "content": user_content(&rest)}),
                    );
                }
            }
            Role::Assistant => {
                let mut text = Vec::new();
                let flush = |text: &mut Vec<Part>, input: &mut Vec<Value>| {
                    if !text.is_empty() {
                        input.push(json!({"type": "message", "role": "assistant",
                            "content": [{"type": "output_text", "text": joined_text(text, "")}]}));
                        text.clear();
                    }
                };
                for p in &m.content {
                    match p {
                        Part::Text { .. } => text.push(p.clone()),
                        Part::ToolCall {
                            id,
                            name,
                            arguments,
                            ..
                        } => {
                            flush(&mut text, &mut input);
                            input.push(json!({"type": "function_call", "call_id": id, "name": name, "arguments": arguments}));
                        }
                        Part::Thinking { .. } | Part::RedactedThinking { .. } => {
                            ctx.warn("dropped reasoning from history (Responses accepts only reasoning items it issued)");
                        }
                        _ => {}
                    }
                }
                flush(&mut text, &mut input);
            }
        }
    }
    out.insert("input".into(), Value::Array(input));
    if !req.tools.is_empty() {
        let tools: Vec<Value> = req
            .tools
            .iter()
            .map(|t| {
                let mut v = json!({"type": "function", "name": t.name, "parameters": t.parameters,
                    // Responses defaults to strict mode, which rejects most hand-written schemas
                    "strict": t.strict.unwrap_or(false)});
                if let Some(d) = &t.description {
                    v["description"] = json!(d);
                }
                v
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
                ToolChoice::Tool(n) => json!({"type": "function", "name": n}),
            },
        );
    }
    let p = &req.params;
    if let Some(v) = p.max_tokens {
        out.insert("max_output_tokens".into(), json!(v));
    }
    if let Some(v) = p.temperature {
        out.insert("temperature".into(), json!(v));
    }
    if let Some(v) = p.top_p {
        out.insert("top_p".into(), json!(v));
    }
    if let Some(v) = &p.user {
        out.insert("user".into(), json!(v));
    }
    if !p.stop.is_empty()
        || p.seed.is_some()
        || p.top_k.is_some()
        || p.frequency_penalty.is_some()
        || p.presence_penalty.is_some()
    {
        ctx.warn("dropped stop/seed/top_k/penalties (not Responses parameters)");
    }
    if let Some(r) = &req.reasoning {
        if let Some(e) = r.effort() {
            let mut rv = json!({"effort": e.as_str()});
            if let Some(s) = &r.summary {
                rv["summary"] = json!(s);
            }
            out.insert("reasoning".into(), rv);
        }
    }
    if let Some(rf) = &req.response_format {
        let f = match rf {
            ResponseFormat::Text => json!({"type": "text"}),
            ResponseFormat::JsonObject => json!({"type": "json_object"}),
            ResponseFormat::JsonSchema {
                name,
                schema,
                strict,
            } => {
                let mut f = json!({"type": "json_schema", "name": name, "schema": schema});
                if let Some(s) = strict {
                    f["strict"] = json!(s);
                }
                f
            }
        };
        out.insert("text".into(), json!({"format": f}));
    }
    if req.stream {
        out.insert("stream".into(), json!(true));
    }
    merge_extras(req, Format::Responses, &mut out, ctx);
    Ok(Value::Object(out))
}
