//! Gemini request <-> IR.

use std::collections::{HashMap, VecDeque};

use serde_json::{json, Map, Value};

use super::{image_part, schema, DUMMY_THOUGHT_SIGNATURE};
use crate::errors::TranslateError;
use crate::format::Format;
use crate::formats::{
    args_object, as_array, as_object, merge_extras, opt_f64, opt_str, opt_u64, req_str, stop_list,
    RenderCtx,
};
use crate::ir::{
    ChatRequest, GenParams, ImageSource, Message, Part, Reasoning, ReasoningMode, ResponseFormat,
    Role, TextBlock, Tool, ToolChoice,
};

const KNOWN: &[&str] = &[
    "contents",
    "systemInstruction",
    "system_instruction",
    "tools",
    "toolConfig",
    "generationConfig",
    "model",
];

pub fn parse(v: &Value) -> Result<ChatRequest, TranslateError> {
    let o = as_object(v, "body")?;
    let mut req = ChatRequest {
        model: opt_str(o, "model", "")?.unwrap_or_default(),
        ..Default::default()
    };
    if let Some(si) = o
        .get("systemInstruction")
        .or_else(|| o.get("system_instruction"))
    {
        if let Some(parts) = si.get("parts").and_then(Value::as_array) {
            for p in parts {
                if let Some(t) = p.get("text").and_then(Value::as_str) {
                    req.system.push(TextBlock {
                        text: t.to_string(),
                        cache_control: None,
                    });
                }
            }
        } else if let Some(t) = si.as_str() {
            req.system.push(TextBlock {
                text: t.to_string(),
                cache_control: None,
            });
        }
    }
    let contents = as_array(
        o.get("contents")
            .ok_or_else(|| TranslateError::MissingField("contents".into()))?,
        "contents",
    )?;
    // functionResponses refer to calls by name: pending call ids per name, in order
    let mut pending: HashMap<String, VecDeque<String>> = HashMap::new();
    for (i, c) in contents.iter().enumerate() {
        let path = format!("contents[{i}]");
        let co = as_object(c, &path)?;
        let role = match opt_str(co, "role", &path)?.as_deref() {
            None | Some("user") | Some("function") | Some("tool") => Role::User,
            Some("model") | Some("assistant") => Role::Assistant,
            Some(other) => {
                return Err(TranslateError::field(
                    format!("{path}.role"),
                    format!("unknown role '{other}' (expected user or model)"),
                ))
            }
        };
        let parts = as_array(
            co.get("parts")
                .ok_or_else(|| TranslateError::MissingField(format!("{path}.parts")))?,
            &format!("{path}.parts"),
        )?;
        let mut content = Vec::new();
        for (j, p) in parts.iter().enumerate() {
            let pp = format!("{path}.parts[{j}]");
            let po = as_object(p, &pp)?;
            let sig = opt_str(po, "thoughtSignature", &pp)?;
            if let Some(t) = po.get("text").and_then(Value::as_str) {
                if po.get("thought").and_then(Value::as_bool) == Some(true) {
                    content.push(Part::Thinking {
                        text: t.to_string(),
                        signature: None,
                    });
                } else {
                    content.push(Part::text(t));
                }
            } else if let Some(d) = po.get("inlineData") {
                let dp = format!("{pp}.inlineData");
                let d = as_object(d, &dp)?;
                content.push(Part::Image {
                    source: ImageSource::Base64 {
                        media_type: req_str(d, "mimeType", &dp)?,
                        data: req_str(d, "data", &dp)?,
                    },
                    detail: None,
                    cache_control: None,
                });
            } else if let Some(f) = po.get("fileData") {
                let fp = format!("{pp}.fileData");
                let f = as_object(f, &fp)?;
                content.push(Part::Image {
                    source: ImageSource::Url {
                        url: req_str(f, "fileUri", &fp)?,
                        media_type: opt_str(f, "mimeType", &fp)?,
                    },
                    detail: None,
                    cache_control: None,
                });
            } else if let Some(fc) = po.get("functionCall") {
                let fp = format!("{pp}.functionCall");
                let fco = as_object(fc, &fp)?;
                let name = req_str(fco, "name", &fp)?;
                let id = opt_str(fco, "id", &fp)?.unwrap_or_else(|| format!("call_{i}_{j}"));
                pending
                    .entry(name.clone())
                    .or_default()
                    .push_back(id.clone());
                content.push(Part::ToolCall {
                    id,
                    name,
                    arguments: fco
                        .get("args")
                        .map(Value::to_string)
                        .unwrap_or_else(|| "{}".into()),
                    thought_signature: sig,
                    cache_control: None,
                });
            } else if let Some(fr) = po.get("functionResponse") {
                let fp = format!("{pp}.functionResponse");
                let fro = as_object(fr, &fp)?;
                let name = req_str(fro, "name", &fp)?;
                let id = match opt_str(fro, "id", &fp)? {
                    Some(id) => id,
                    None => pending
                        .get_mut(&name)
                        .and_then(VecDeque::pop_front)
                        .unwrap_or_else(|| format!("call_{i}_{j}")),
                };
                let response = fro.get("response").cloned().unwrap_or(Value::Null);
                content.push(Part::ToolResult {
                    call_id: id,
                    name: Some(name),
                    content: vec![Part::text(response_text(&response))],
                    is_error: response.get("error").is_some()
                        && response.as_object().is_some_and(|o| o.len() == 1),
                    cache_control: None,
                });
            } else {
                let key = po.keys().next().cloned().unwrap_or_default();
                return Err(TranslateError::field(
                    pp,
                    format!("unknown part type '{key}'"),
                ));
            }
        }
        req.messages.push(Message { role, content });
    }
    if let Some(tools) = o.get("tools").filter(|t| !t.is_null()) {
        for (i, t) in as_array(tools, "tools")?.iter().enumerate() {
            let tp = format!("tools[{i}]");
            let decls = t
                .get("functionDeclarations")
                .or_else(|| t.get("function_declarations"));
            let Some(decls) = decls else {
                let key = t
                    .as_object()
                    .and_then(|o| o.keys().next().cloned())
                    .unwrap_or_default();
                req.warnings.push(format!(
                    "dropped Gemini built-in tool '{key}' (only Gemini runs it)"
                ));
                continue;
            };
            for (j, d) in as_array(decls, &format!("{tp}.functionDeclarations"))?
                .iter()
                .enumerate()
            {
                let dp = format!("{tp}.functionDeclarations[{j}]");
                let dobj = as_object(d, &dp)?;
                req.tools.push(Tool {
                    name: req_str(dobj, "name", &dp)?,
                    description: opt_str(dobj, "description", &dp)?,
                    parameters: dobj
                        .get("parametersJsonSchema")
                        .or_else(|| dobj.get("parameters"))
                        .cloned()
                        .map(lowercase_types)
                        .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
                    strict: None,
                    cache_control: None,
                });
            }
        }
    }
    if let Some(fcc) = v.pointer("/toolConfig/functionCallingConfig") {
        let names: Vec<String> = fcc
            .get("allowedFunctionNames")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        req.tool_choice = match fcc.get("mode").and_then(Value::as_str) {
            Some("NONE") => Some(ToolChoice::None),
            Some("ANY") if names.len() == 1 => Some(ToolChoice::Tool(names[0].clone())),
            Some("ANY") => Some(ToolChoice::Required),
            Some("AUTO") | Some("VALIDATED") => Some(ToolChoice::Auto),
            _ => None,
        };
    }
    if let Some(gc) = o.get("generationConfig").filter(|g| !g.is_null()) {
        let g = as_object(gc, "generationConfig")?;
        let p = "generationConfig";
        req.params = GenParams {
            max_tokens: opt_u64(g, "maxOutputTokens", p)?,
            temperature: opt_f64(g, "temperature", p)?,
            top_p: opt_f64(g, "topP", p)?,
            top_k: opt_f64(g, "topK", p)?.map(|k| k as u64),
            stop: stop_list(g, "stopSequences", p)?,
            seed: g.get("seed").and_then(Value::as_i64),
            frequency_penalty: opt_f64(g, "frequencyPenalty", p)?,
            presence_penalty: opt_f64(g, "presencePenalty", p)?,
            user: None,
        };
        if let Some(tc) = g.get("thinkingConfig") {
            let include = tc
                .get("includeThoughts")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mode = match (
                tc.get("thinkingBudget").and_then(Value::as_i64),
                tc.get("thinkingLevel").and_then(Value::as_str),
            ) {
                (Some(0), _) => Some(ReasoningMode::Off),
                (Some(b), _) if b < 0 => Some(ReasoningMode::Dynamic),
                (Some(b), _) => Some(ReasoningMode::Budget(b as u64)),
                (None, Some(l)) => {
                    crate::ir::Effort::parse(&l.to_ascii_lowercase()).map(ReasoningMode::Effort)
                }
                (None, None) => None,
            };
            if let Some(mode) = mode {
                req.reasoning = Some(Reasoning {
                    mode,
                    summary: None,
                    include_thoughts: include,
                });
            }
        }
        let mime = g.get("responseMimeType").and_then(Value::as_str);
        let sch = g
            .get("responseJsonSchema")
            .or_else(|| g.get("responseSchema"));
        req.response_format = match (mime, sch) {
            (Some("application/json"), Some(s)) => Some(ResponseFormat::JsonSchema {
                name: "response".into(),
                schema: lowercase_types(s.clone()),
                strict: None,
            }),
            (Some("application/json"), None) => Some(ResponseFormat::JsonObject),
            _ => None,
        };
        let handled = [
            "maxOutputTokens",
            "temperature",
            "topP",
            "topK",
            "stopSequences",
            "seed",
            "frequencyPenalty",
            "presencePenalty",
            "thinkingConfig",
            "responseMimeType",
            "responseSchema",
            "responseJsonSchema",
        ];
        let rest: Map<String, Value> = g
            .iter()
            .filter(|(k, _)| !handled.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !rest.is_empty() {
            req.extra
                .insert("generationConfig".into(), Value::Object(rest));
        }
    }
    // Gemini streams always carry usage.
    req.include_usage = true;
    for (k, v) in o {
        if !KNOWN.contains(&k.as_str()) {
            req.extra.insert(k.clone(), v.clone());
        }
    }
    req.extra_source = Some(Format::Gemini);
    Ok(req)
}

/// Gemini's OpenAPI schemas use upper-case types (`OBJECT`); JSON Schema wants lower case.
fn lowercase_types(mut v: Value) -> Value {
    match &mut v {
        Value::Object(o) => {
            for (k, val) in o.iter_mut() {
                if k == "type" {
                    if let Some(s) = val.as_str() {
                        *val = Value::from(s.to_ascii_lowercase());
                    }
                } else {
                    *val = lowercase_types(std::mem::take(val));
                }
            }
        }
        Value::Array(a) => {
            for val in a.iter_mut() {
                *val = lowercase_types(std::mem::take(val));
            }
        }
        _ => {}
    }
    v
}

/// The text a functionResponse carries: a lone string field is unwrapped, anything else is
/// kept as JSON.
fn response_text(response: &Value) -> String {
    if let Some(o) = response.as_object() {
        if o.len() == 1 {
            if let Some(s) = o.values().next().and_then(Value::as_str) {
                return s.to_string();
            }
        }
    }
    match response {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// render

pub fn render(req: &ChatRequest, ctx: &mut RenderCtx<'_>) -> Result<Value, TranslateError> {
    let mut out = Map::new();
    if !req.system.is_empty() {
        let parts: Vec<Value> = req.system.iter().map(|b| json!({"text": b.text})).collect();
        out.insert("systemInstruction".into(), json!({"parts": parts}));
    }
    let mut contents: Vec<Value> = Vec::new();
    let mut last_role = None;
    for (i, m) in req.messages.iter().enumerate() {
        let path = format!("messages[{i}]");
        let mut parts = Vec::new();
        let mut late = Vec::new();
        let mut first_call = true;
        for p in &m.content {
            match p {
                Part::Text { text, .. } => {
                    if !text.is_empty() {
                        parts.push(json!({"text": text}));
                    }
                }
                Part::Image { source, .. } => parts.push(image_part(source)),
                Part::ToolCall {
                    id,
                    name,
                    arguments,
                    thought_signature,
                    ..
                } => {
                    let mut part = json!({"functionCall": {"name": name, "args": args_object(arguments, &path)?}});
                    let sig = thought_signature
                        .clone()
                        .or_else(|| ctx.signatures.and_then(|s| s.thought_signature(id)))
                        .or_else(|| first_call.then(|| DUMMY_THOUGHT_SIGNATURE.to_string()));
                    if let Some(sig) = sig {
                        part["thoughtSignature"] = json!(sig);
                    }
                    first_call = false;
                    parts.push(part);
                }
                Part::ToolResult {
                    call_id,
                    name,
                    content,
                    is_error,
                    ..
                } => {
                    let Some(name) = name else {
                        return Err(TranslateError::field(
                            path,
                            format!("tool result for call '{call_id}' has no matching tool call (Gemini needs the function name)"),
                        ));
                    };
                    let text = crate::formats::joined_text(content, "\n");
                    let response = match serde_json::from_str::<Value>(&text) {
                        Ok(v @ Value::Object(_)) if !is_error => v,
                        _ if *is_error => json!({"error": text}),
                        _ => json!({"content": text}),
                    };
                    parts.push(json!({"functionResponse": {"name": name, "response": response}}));
                    for c in content {
                        if let Part::Image { source, .. } = c {
                            late.push(image_part(source));
                        }
                    }
                }
                Part::Thinking { .. } | Part::RedactedThinking { .. } => {
                    ctx.warn("dropped reasoning from history (Gemini does not take thoughts back)");
                }
            }
        }
        parts.extend(late);
        if parts.is_empty() {
            continue;
        }
        let role = match m.role {
            Role::User => "user",
            Role::Assistant => "model",
        };
        if last_role == Some(m.role) {
            if let Some(Value::Array(prev)) = contents.last_mut().and_then(|c| c.get_mut("parts")) {
                prev.extend(parts);
                continue;
            }
        }
        last_role = Some(m.role);
        contents.push(json!({"role": role, "parts": parts}));
    }
    out.insert("contents".into(), Value::Array(contents));

    if !req.tools.is_empty() {
        let decls: Vec<Value> = req
            .tools
            .iter()
            .map(|t| {
                let mut d = json!({"name": t.name});
                if let Some(desc) = &t.description {
                    d["description"] = json!(desc);
                }
                if !schema::is_empty_object(&t.parameters) {
                    d["parameters"] = schema::sanitize(&t.parameters);
                }
                d
            })
            .collect();
        out.insert("tools".into(), json!([{"functionDeclarations": decls}]));
        if req.parallel_tool_calls == Some(false) {
            ctx.warn("dropped parallel_tool_calls=false (Gemini has no such switch)");
        }
    }
    if let Some(tc) = &req.tool_choice {
        let fcc = match tc {
            ToolChoice::Auto => json!({"mode": "AUTO"}),
            ToolChoice::None => json!({"mode": "NONE"}),
            ToolChoice::Required => json!({"mode": "ANY"}),
            ToolChoice::Tool(n) => json!({"mode": "ANY", "allowedFunctionNames": [n]}),
        };
        out.insert("toolConfig".into(), json!({"functionCallingConfig": fcc}));
    }

    let mut gc = Map::new();
    let p = &req.params;
    if let Some(v) = p.max_tokens {
        gc.insert("maxOutputTokens".into(), json!(v));
    }
    if let Some(v) = p.temperature {
        gc.insert("temperature".into(), json!(v));
    }
    if let Some(v) = p.top_p {
        gc.insert("topP".into(), json!(v));
    }
    if let Some(v) = p.top_k {
        gc.insert("topK".into(), json!(v));
    }
    if !p.stop.is_empty() {
        gc.insert("stopSequences".into(), json!(p.stop));
    }
    if let Some(v) = p.seed {
        gc.insert("seed".into(), json!(v));
    }
    if let Some(v) = p.frequency_penalty {
        gc.insert("frequencyPenalty".into(), json!(v));
    }
    if let Some(v) = p.presence_penalty {
        gc.insert("presencePenalty".into(), json!(v));
    }
    if p.user.is_some() {
        ctx.warn("dropped user (Gemini has no end-user field)");
    }
    if let Some(r) = &req.reasoning {
        let budget: i64 = match r.mode {
            ReasoningMode::Off => 0,
            ReasoningMode::Dynamic => -1,
            _ => r.budget().unwrap_or(0) as i64,
        };
        let mut tc = json!({"thinkingBudget": budget});
        if budget != 0 {
            tc["includeThoughts"] = json!(r.include_thoughts);
        }
        gc.insert("thinkingConfig".into(), tc);
    }
    match &req.response_format {
        Some(ResponseFormat::JsonObject) => {
            gc.insert("responseMimeType".into(), json!("application/json"));
        }
        Some(ResponseFormat::JsonSchema { schema: s, .. }) => {
            gc.insert("responseMimeType".into(), json!("application/json"));
            gc.insert("responseSchema".into(), schema::sanitize(s));
        }
        _ => {}
    }
    if req.extra_source == Some(Format::Gemini) {
        if let Some(Value::Object(rest)) = req.extra.get("generationConfig") {
            for (k, v) in rest {
                gc.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    if !gc.is_empty() {
        out.insert("generationConfig".into(), Value::Object(gc));
    }
    if req.system.iter().any(|b| b.cache_control.is_some()) {
        ctx.warn("dropped cache_control (Anthropic only)");
    }
    merge_extras(req, Format::Gemini, &mut out, ctx);
    Ok(Value::Object(out))
}
