//! Context relay: when a target of a `context-relay` combo runs out of quota, the next target
//! gets a compact summary of the conversation so far, prepended as a system instruction in
//! the client's dialect. The summary is built from the request itself (no model is called):
//! how many turns there were, then the most recent turns, each clipped.

use gateway::Format;
use serde_json::{json, Value};

/// Turns quoted in the summary (the most recent ones).
const TURNS: usize = 12;
/// Characters kept per turn.
const PER_TURN: usize = 240;
/// Characters of the whole summary.
const TOTAL: usize = 3_000;

/// Text of a content value: a string, or the text parts of an array.
fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o
                    .get("text")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| {
                        o.get("type")
                            .and_then(Value::as_str)
                            .filter(|t| t.contains("tool") || t.contains("function"))
                            .map(|t| format!("[{t}]"))
                    }),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// (role, text) of every turn of a request body in `format`.
fn turns(format: Format, body: &Value) -> Vec<(String, String)> {
    let role = |m: &Value, default: &str| {
        m.get("role")
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    match format {
        Format::OpenAiChat | Format::Anthropic => body
            .get("messages")
            .and_then(Value::as_array)
            .map(|ms| {
                ms.iter()
                    .filter(|m| role(m, "user") != "system")
                    .map(|m| {
                        (
                            role(m, "user"),
                            text_of(m.get("content").unwrap_or(&Value::Null)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Format::Responses => match body.get("input") {
            Some(Value::String(s)) => vec![("user".into(), s.clone())],
            Some(Value::Array(items)) => items
                .iter()
                .filter(|i| i.get("content").is_some())
                .map(|i| {
                    (
                        role(i, "user"),
                        text_of(i.get("content").unwrap_or(&Value::Null)),
                    )
                })
                .collect(),
            _ => Vec::new(),
        },
        Format::Gemini => body
            .get("contents")
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        (
                            role(c, "user"),
                            text_of(c.get("parts").unwrap_or(&Value::Null)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn clip(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut s: String = flat.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The summary text for a request body, or None when it has no conversation to hand over.
pub fn summary(format: Format, body: &Value, from: &str) -> Option<String> {
    let turns = turns(format, body);
    if turns.is_empty() {
        return None;
    }
    let mut out = format!(
        "Context handed over by OmniRoute (context-relay): the previous model ({from}) ran out of quota mid-conversation. The conversation has {} turn(s); the most recent ones:",
        turns.len()
    );
    let skip = turns.len().saturating_sub(TURNS);
    if skip > 0 {
        out.push_str(&format!("\n[{skip} earlier turn(s) omitted]"));
    }
    for (role, text) in &turns[skip..] {
        out.push_str(&format!("\n- {role}: {}", clip(text, PER_TURN)));
    }
    Some(clip_lines(&out, TOTAL))
}

fn clip_lines(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The body with the summary prepended as a system instruction, or None when the body is
/// not a JSON object or has no conversation.
pub fn with_summary(format: Format, body: &[u8], from: &str) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let text = summary(format, &value, from)?;
    let obj = value.as_object_mut()?;
    match format {
        Format::OpenAiChat => {
            let messages = obj.get_mut("messages")?.as_array_mut()?;
            messages.insert(0, json!({ "role": "system", "content": text }));
        }
        Format::Anthropic => match obj.get_mut("system") {
            Some(Value::String(s)) => *s = format!("{text}\n\n{s}"),
            Some(Value::Array(parts)) => parts.insert(0, json!({ "type": "text", "text": text })),
            _ => {
                obj.insert("system".into(), Value::String(text));
            }
        },
        Format::Responses => {
            let next = match obj.get("instructions").and_then(Value::as_str) {
                Some(s) if !s.is_empty() => format!("{text}\n\n{s}"),
                _ => text,
            };
            obj.insert("instructions".into(), Value::String(next));
        }
        Format::Gemini => {
            let key = if obj.contains_key("system_instruction") {
                "system_instruction"
            } else {
                "systemInstruction"
            };
            let part = json!({ "text": text });
            match obj
                .get_mut(key)
                .and_then(|s| s.get_mut("parts"))
                .and_then(Value::as_array_mut)
            {
                Some(parts) => parts.insert(0, part),
                None => {
                    obj.insert(key.into(), json!({ "parts": [part] }));
                }
            }
        }
    }
    serde_json::to_vec(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_gets_a_system_message_with_the_recent_turns() {
        let body = json!({"model":"x","messages":[
            {"role":"system","content":"be brief"},
            {"role":"user","content":"my name is Ada"},
            {"role":"assistant","content":"hello Ada"},
            {"role":"user","content":[{"type":"text","text":"what is my name?"}]}
        ]});
        let out = with_summary(
            Format::OpenAiChat,
            body.to_string().as_bytes(),
            "openai/gpt-4o",
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let first = &v["messages"][0];
        assert_eq!(first["role"], "system");
        let text = first["content"].as_str().unwrap();
        assert!(text.contains("openai/gpt-4o"), "{text}");
        assert!(text.contains("3 turn(s)"), "{text}");
        assert!(text.contains("- user: my name is Ada"), "{text}");
        assert!(text.contains("- assistant: hello Ada"), "{text}");
        assert!(text.contains("what is my name?"), "{text}");
        assert_eq!(v["messages"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn anthropic_and_gemini_and_responses() {
        let a = json!({"system":"sys","messages":[{"role":"user","content":"hi"}]});
        let v: Value = serde_json::from_slice(
            &with_summary(Format::Anthropic, a.to_string().as_bytes(), "m").unwrap(),
        )
        .unwrap();
        assert!(v["system"].as_str().unwrap().ends_with("\n\nsys"));
        let g = json!({"contents":[{"role":"user","parts":[{"text":"hi"}]}]});
        let v: Value = serde_json::from_slice(
            &with_summary(Format::Gemini, g.to_string().as_bytes(), "m").unwrap(),
        )
        .unwrap();
        assert!(v["systemInstruction"]["parts"][0]["text"]
            .as_str()
            .unwrap()
            .contains("- user: hi"));
        let r = json!({"input":"hello"});
        let v: Value = serde_json::from_slice(
            &with_summary(Format::Responses, r.to_string().as_bytes(), "m").unwrap(),
        )
        .unwrap();
        assert!(v["instructions"]
            .as_str()
            .unwrap()
            .contains("- user: hello"));
        assert!(with_summary(Format::OpenAiChat, b"{\"messages\":[]}", "m").is_none());
        assert!(with_summary(Format::OpenAiChat, b"not json", "m").is_none());
    }

    #[test]
    fn long_conversations_are_clipped() {
        let messages: Vec<Value> = (0..50)
            .map(|i| json!({"role":"user","content":"word ".repeat(200) + &i.to_string()}))
            .collect();
        let body = json!({ "messages": messages });
        let text = summary(Format::OpenAiChat, &body, "m").unwrap();
        assert!(text.chars().count() <= TOTAL);
        assert!(text.contains("38 earlier turn(s) omitted"), "{text}");
    }
}
