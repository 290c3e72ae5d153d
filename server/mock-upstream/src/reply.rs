//! The deterministic reply: text, reasoning, tool calls and token counts derived from the
//! request and the scenario.
//!
//! Defaults (documented in the crate docs):
//! - text = `"mock: " + <text of the last user message>` (trailing space trimmed);
//! - input tokens = whitespace-separated words in the request's message texts;
//! - output tokens = words of the text + words of the reasoning + 1 per tool call;
//! - reasoning tokens = words of the reasoning.

use serde_json::Value;

use crate::scenario::Scenario;

/// Token counts as reported (see [`crate::Usage`] for their meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: u64,
}

impl Tokens {
    /// Prompt total for dialects that count cached tokens inside it.
    pub fn prompt_total(&self) -> u64 {
        self.input + self.cache_read + self.cache_write
    }
}

pub(crate) struct ToolOut {
    pub n: usize,
    pub id: Option<String>,
    pub name: String,
    pub arguments: Value,
    /// The arguments serialized, as streamed.
    pub arguments_text: String,
}

impl ToolOut {
    pub fn id_or(&self, prefix: &str) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{prefix}_mock_{}", self.n))
    }
}

pub(crate) struct Reply {
    pub model: String,
    pub text: String,
    pub reasoning: Option<String>,
    pub signature: String,
    pub tools: Vec<ToolOut>,
    pub tokens: Tokens,
}

impl Reply {
    pub fn new(scenario: &Scenario, request: &Value, model: &str) -> Self {
        let text = match (&scenario.text, scenario.tool_calls.is_empty()) {
            (Some(t), _) => t.clone(),
            (None, false) => String::new(),
            (None, true) => format!("mock: {}", last_user_text(request))
                .trim_end()
                .to_owned(),
        };
        let reasoning = scenario.reasoning.clone();
        let tools: Vec<ToolOut> = scenario
            .tool_calls
            .iter()
            .enumerate()
            .map(|(i, t)| ToolOut {
                n: i + 1,
                id: t.id.clone(),
                name: t.name.clone(),
                arguments: t.arguments.clone(),
                arguments_text: if t.arguments.is_null() {
                    "{}".to_owned()
                } else {
                    t.arguments.to_string()
                },
            })
            .collect();
        let reasoning_words = reasoning.as_deref().map_or(0, words);
        let usage = scenario.usage.unwrap_or_default();
        let reasoning_tokens = usage.reasoning.unwrap_or(reasoning_words);
        let tokens = Tokens {
            input: usage.input.unwrap_or_else(|| input_words(request)),
            output: usage
                .output
                .unwrap_or(words(&text) + reasoning_words + tools.len() as u64),
            cache_read: usage.cache_read,
            cache_write: usage.cache_write,
            reasoning: reasoning_tokens,
        };
        Self {
            model: model.to_owned(),
            text,
            signature: scenario
                .signature
                .clone()
                .unwrap_or_else(|| "mock-signature".to_owned()),
            reasoning,
            tools,
            tokens,
        }
    }

    pub fn has_tools(&self) -> bool {
        !self.tools.is_empty()
    }
}

/// Whitespace-separated words.
pub(crate) fn words(s: &str) -> u64 {
    s.split_whitespace().count() as u64
}

/// Streaming pieces of a text: one word (with its following whitespace) per piece.
pub(crate) fn pieces(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            out.push(&s[start..i]);
            start = i;
            in_space = false;
        }
    }
    out.push(&s[start..]);
    out
}

/// Small fragments (8 characters) of a tool call's arguments, as providers stream them.
pub(crate) fn fragments(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (count, (i, _)) in s.char_indices().enumerate() {
        if count > 0 && count % 8 == 0 {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The text of a content value: a string, or the `text` of each part of an array.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.clone()),
                other => other["text"].as_str().map(str::to_owned),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

fn last_user<'a>(items: &'a [Value], content_key: &str) -> Option<&'a Value> {
    items
        .iter()
        .rev()
        .find(|m| m["role"].as_str().is_none_or(|r| r == "user"))
        .map(|m| &m[content_key])
}

/// The text of the last user message, whatever the request format.
pub(crate) fn last_user_text(request: &Value) -> String {
    if let Some(messages) = request["messages"].as_array() {
        return last_user(messages, "content")
            .map(text_of)
            .unwrap_or_default();
    }
    if let Some(contents) = request["contents"].as_array() {
        return last_user(contents, "parts")
            .map(text_of)
            .unwrap_or_default();
    }
    match &request["input"] {
        Value::String(s) => return s.clone(),
        Value::Array(items) => {
            let messages: Vec<Value> = items
                .iter()
                .filter(|i| i["type"].as_str().is_none_or(|t| t == "message"))
                .cloned()
                .collect();
            return last_user(&messages, "content")
                .map(text_of)
                .unwrap_or_default();
        }
        _ => {}
    }
    text_of(&request["prompt"])
}

const TEXT_FIELDS: [&str; 7] = [
    "system",
    "messages",
    "input",
    "instructions",
    "contents",
    "systemInstruction",
    "prompt",
];
const TEXT_KEYS: [&str; 6] = [
    "text",
    "content",
    "input",
    "prompt",
    "system",
    "instructions",
];

fn count(v: &Value, text_position: bool) -> u64 {
    match v {
        Value::String(s) if text_position => words(s),
        Value::Array(items) => items.iter().map(|i| count(i, text_position)).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| count(v, TEXT_KEYS.contains(&k.as_str()) || k == "parts"))
            .sum(),
        _ => 0,
    }
}

/// Words in the message texts of a request: OpenAI `messages`, Anthropic `system` +
/// `messages`, Responses `instructions` + `input`, Gemini `systemInstruction` + `contents`,
/// legacy `prompt`. Roles, types, ids and tool arguments are not counted.
pub(crate) fn input_words(request: &Value) -> u64 {
    TEXT_FIELDS.iter().map(|f| count(&request[*f], true)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pieces_keep_every_character() {
        let s = "one two  three\nfour";
        assert_eq!(pieces(s).concat(), s);
        assert_eq!(pieces(s).len(), 4);
        assert_eq!(
            fragments("{\"a\":\"héllo wörld\"}").concat(),
            "{\"a\":\"héllo wörld\"}"
        );
    }

    #[test]
    fn last_user_text_in_every_format() {
        let openai = json!({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":[{"type":"text","text":"hello there"}]}]});
        assert_eq!(last_user_text(&openai), "hello there");
        let gemini = json!({"contents":[{"role":"user","parts":[{"text":"hi"},{"text":"you"}]}]});
        assert_eq!(last_user_text(&gemini), "hi you");
        let responses = json!({"input":[{"role":"user","content":[{"type":"input_text","text":"q"}]},{"type":"function_call_output","output":"x"}]});
        assert_eq!(last_user_text(&responses), "q");
        assert_eq!(last_user_text(&json!({"input":"plain"})), "plain");
        assert_eq!(
            last_user_text(&json!({"prompt":"legacy text"})),
            "legacy text"
        );
    }

    #[test]
    fn input_words_count_texts_only() {
        let anthropic = json!({"model":"m","system":"be brief","messages":[{"role":"user","content":[{"type":"text","text":"one two three"}]}]});
        assert_eq!(input_words(&anthropic), 5);
        let gemini = json!({"systemInstruction":{"parts":[{"text":"sys"}]},"contents":[{"role":"user","parts":[{"text":"a b"}]}]});
        assert_eq!(input_words(&gemini), 3);
    }
}
