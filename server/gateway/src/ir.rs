//! The internal representation (IR): the hub every wire format converts to and from.
//!
//! Requests become a [`ChatRequest`], complete responses a [`ChatResponse`], and streams a
//! sequence of [`StreamEvent`]s. Anything a format cannot express is dropped deliberately by
//! its renderer (and reported in [`crate::translate::TranslatedRequest::warnings`]).

use serde_json::{Map, Value};

use crate::format::Format;
use crate::usage::{Usage, UsageUpdate};

/// A chat request in format-neutral form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatRequest {
    /// The model the client asked for (the translator replaces it with the target model).
    pub model: String,
    /// System/developer instructions, in order.
    pub system: Vec<TextBlock>,
    pub messages: Vec<Message>,
    pub tools: Vec<Tool>,
    pub tool_choice: Option<ToolChoice>,
    pub params: GenParams,
    pub reasoning: Option<Reasoning>,
    pub response_format: Option<ResponseFormat>,
    pub stream: bool,
    /// OpenAI `stream_options.include_usage`: the client wants a usage chunk at the end.
    pub include_usage: bool,
    pub parallel_tool_calls: Option<bool>,
    /// Top-level fields the source parser did not understand, with the format they came from.
    /// Renderers copy them only into a target of the same [`crate::format::Family`]
    /// (OpenAI Chat and Responses share only a short allow-list of keys).
    pub extra: Map<String, Value>,
    pub extra_source: Option<Format>,
    /// What the source parser dropped deliberately (e.g. Anthropic server tools).
    pub warnings: Vec<String>,
}

/// A text block with an optional Anthropic `cache_control` marker.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    pub text: String,
    pub cache_control: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
}

/// One turn. Tool results live in user turns (the Anthropic convention); OpenAI `tool`
/// messages are grouped into one user turn and split again when rendering to OpenAI.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub content: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImageSource {
    /// Inline bytes, base64-encoded, with their media type.
    Base64 { media_type: String, data: String },
    /// A URL the provider fetches itself (never downloaded by us).
    Url {
        url: String,
        media_type: Option<String>,
    },
}

impl ImageSource {
    /// Parses an OpenAI-style `image_url.url`: a `data:` URI becomes [`ImageSource::Base64`].
    pub fn from_url(url: &str) -> ImageSource {
        if let Some(rest) = url.strip_prefix("data:") {
            if let Some((meta, data)) = rest.split_once(',') {
                if let Some(media_type) = meta.strip_suffix(";base64") {
                    return ImageSource::Base64 {
                        media_type: media_type.to_string(),
                        data: data.to_string(),
                    };
                }
            }
        }
        ImageSource::Url {
            url: url.to_string(),
            media_type: None,
        }
    }

    /// The OpenAI-style URL (a `data:` URI for inline bytes).
    pub fn to_url(&self) -> String {
        match self {
            ImageSource::Base64 { media_type, data } => format!("data:{media_type};base64,{data}"),
            ImageSource::Url { url, .. } => url.clone(),
        }
    }

    /// Best-effort media type of a URL image, from its extension (Gemini's `fileData`
    /// requires one).
    pub fn guess_media_type(&self) -> String {
        match self {
            ImageSource::Base64 { media_type, .. } => media_type.clone(),
            ImageSource::Url {
                media_type: Some(m),
                ..
            } => m.clone(),
            ImageSource::Url { url, .. } => {
                let path = url
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let ext = path.rsplit('.').next().unwrap_or("");
                match ext {
                    "png" => "image/png",
                    "gif" => "image/gif",
                    "webp" => "image/webp",
                    "pdf" => "application/pdf",
                    _ => "image/jpeg",
                }
                .to_string()
            }
        }
    }
}

/// A piece of message content.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text {
        text: String,
        cache_control: Option<Value>,
    },
    Image {
        source: ImageSource,
        /// OpenAI `detail` (`low`/`high`/`auto`).
        detail: Option<String>,
        cache_control: Option<Value>,
    },
    ToolCall {
        id: String,
        name: String,
        /// The arguments as a JSON string, byte-identical to what the model produced.
        arguments: String,
        /// Gemini `thoughtSignature` of this functionCall part (Gemini-only meaning).
        thought_signature: Option<String>,
        cache_control: Option<Value>,
    },
    ToolResult {
        call_id: String,
        /// The function name, when known (Gemini's `functionResponse` needs it).
        name: Option<String>,
        content: Vec<Part>,
        is_error: bool,
        cache_control: Option<Value>,
    },
    /// Visible reasoning. `signature` is Anthropic's opaque signature.
    Thinking {
        text: String,
        signature: Option<String>,
    },
    /// Anthropic's encrypted reasoning.
    RedactedThinking { data: String },
}

impl Part {
    pub fn text(s: impl Into<String>) -> Part {
        Part::Text {
            text: s.into(),
            cache_control: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    pub name: String,
    pub description: Option<String>,
    /// JSON schema of the arguments.
    pub parameters: Value,
    pub strict: Option<bool>,
    pub cache_control: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    Auto,
    None,
    Required,
    Tool(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenParams {
    pub max_tokens: Option<u64>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub top_k: Option<u64>,
    pub stop: Vec<String>,
    pub seed: Option<i64>,
    pub frequency_penalty: Option<f64>,
    pub presence_penalty: Option<f64>,
    /// End-user id (OpenAI `user`, Anthropic `metadata.user_id`).
    pub user: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Minimal,
    Low,
    Medium,
    High,
    XHigh,
}

impl Effort {
    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Minimal => "minimal",
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
            Effort::XHigh => "xhigh",
        }
    }

    pub fn parse(s: &str) -> Option<Effort> {
        match s {
            "minimal" => Some(Effort::Minimal),
            "low" => Some(Effort::Low),
            "medium" => Some(Effort::Medium),
            "high" => Some(Effort::High),
            "xhigh" | "max" => Some(Effort::XHigh),
            _ => None,
        }
    }

    /// Effort to thinking budget: minimal/low 1024 (Anthropic's minimum), medium 10240,
    /// high 32768, xhigh 65536.
    pub fn budget(self) -> u64 {
        match self {
            Effort::Minimal | Effort::Low => 1024,
            Effort::Medium => 10240,
            Effort::High => 32768,
            Effort::XHigh => 65536,
        }
    }

    /// Budget to effort by thresholds halfway (roughly) between the map points:
    /// below 4096 low, below 20480 medium, below 49152 high, else xhigh.
    pub fn from_budget(budget: u64) -> Effort {
        match budget {
            0..=4095 => Effort::Low,
            4096..=20479 => Effort::Medium,
            20480..=49151 => Effort::High,
            _ => Effort::XHigh,
        }
    }
}

/// How much reasoning the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasoningMode {
    /// Explicitly disabled (`reasoning_effort: "none"`, `thinking.type: "disabled"`,
    /// `thinkingBudget: 0`).
    Off,
    Effort(Effort),
    Budget(u64),
    /// The provider decides (`thinkingBudget: -1`, Anthropic adaptive thinking).
    Dynamic,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reasoning {
    pub mode: ReasoningMode,
    /// Responses `reasoning.summary` (`auto`/`concise`/`detailed`).
    pub summary: Option<String>,
    /// Whether the client wants reasoning text back (Gemini `includeThoughts`).
    pub include_thoughts: bool,
}

impl Reasoning {
    pub fn effort(&self) -> Option<Effort> {
        match self.mode {
            ReasoningMode::Off => None,
            ReasoningMode::Effort(e) => Some(e),
            ReasoningMode::Budget(b) => Some(Effort::from_budget(b)),
            ReasoningMode::Dynamic => Some(Effort::Medium),
        }
    }

    pub fn budget(&self) -> Option<u64> {
        match self.mode {
            ReasoningMode::Off => None,
            ReasoningMode::Effort(e) => Some(e.budget()),
            ReasoningMode::Budget(b) => Some(b),
            ReasoningMode::Dynamic => Some(Effort::Medium.budget()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseFormat {
    Text,
    JsonObject,
    JsonSchema {
        name: String,
        schema: Value,
        strict: Option<bool>,
    },
}

/// Why generation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
    /// A stop sequence matched (Anthropic reports which one).
    StopSequence(Option<String>),
}

/// A complete (non-stream) assistant response.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatResponse {
    pub id: Option<String>,
    pub model: Option<String>,
    pub content: Vec<Part>,
    pub stop: StopReason,
    pub usage: Usage,
}

/// One step of a streamed response, format-neutral. Decoders produce these from upstream
/// events; encoders turn them into client events.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The upstream announced the response (ids are reused by encoders when present).
    Start {
        id: Option<String>,
        model: Option<String>,
    },
    TextDelta(String),
    ThinkingDelta(String),
    /// The signature that closes the current thinking block.
    ThinkingSignature(String),
    RedactedThinking(String),
    /// A tool call begins. `index` counts tool calls of this response from 0.
    ToolCallStart {
        index: usize,
        id: String,
        name: String,
        thought_signature: Option<String>,
    },
    ToolCallArgs {
        index: usize,
        fragment: String,
    },
    Usage(UsageUpdate),
    Finish(StopReason),
    /// The upstream's own end marker (`[DONE]`, `message_stop`, `response.completed`).
    End,
    /// An upstream keep-alive (Anthropic `ping`).
    Ping,
    /// An in-band upstream error.
    Error(String),
}
