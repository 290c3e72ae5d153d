//! Scenarios: what the next matching request gets back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One scripted behaviour, consumed by one request (the first queued scenario whose `model`
/// is unset or equals the requested model). Every field is optional; an empty scenario is the
/// default behaviour.
///
/// JSON form (for `POST /__mock/scenarios`) uses the same snake_case field names, e.g.
/// `{"model":"gpt-x","text":"hi","fault":{"type":"rate_limit","retry_after_secs":2}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Only consumed by requests for this model.
    pub model: Option<String>,
    /// The reply text. Default: `"mock: " + <last user message>`, or empty when the scenario
    /// has tool calls.
    pub text: Option<String>,
    /// Reasoning / thinking text sent before the answer.
    pub reasoning: Option<String>,
    /// Signature of the thinking block (Anthropic `signature`, Gemini `thoughtSignature`).
    /// Default: `"mock-signature"` when there is reasoning.
    pub signature: Option<String>,
    /// Tool calls after the text, in order (several = parallel calls).
    pub tool_calls: Vec<ToolCall>,
    /// Token counts to report instead of the word-count defaults.
    pub usage: Option<Usage>,
    pub fault: Option<Fault>,
    /// Delay before the response headers (slow first byte).
    pub first_byte_delay_ms: u64,
    /// Delay between stream events (and between the halves of a non-stream body).
    pub chunk_delay_ms: u64,
}

/// A tool call the mock model makes. Arguments are streamed in small fragments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolCall {
    pub name: String,
    #[serde(default)]
    pub arguments: Value,
    /// Default: `call_mock_<n>` (OpenAI, Responses), `toolu_mock_<n>` (Anthropic).
    #[serde(default)]
    pub id: Option<String>,
}

/// Reported token counts. `input` excludes cached tokens (Anthropic's meaning); dialects that
/// count cached tokens inside the prompt total (OpenAI, Responses, Gemini) report
/// `input + cache_read + cache_write` there. `output` includes `reasoning`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub cache_read: u64,
    pub cache_write: u64,
    pub reasoning: Option<u64>,
}

/// What goes wrong. HTTP errors use the error body of the dialect of the endpoint called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// HTTP 429 with `Retry-After` and the provider's rate-limit body and headers.
    RateLimit { retry_after_secs: u64 },
    /// Any status with a provider-shaped error body. `kind` defaults from the status.
    Status {
        status: u16,
        #[serde(default)]
        kind: Option<ErrorKind>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        retry_after_secs: Option<u64>,
    },
    /// The TCP connection is reset before any response byte.
    ResetBeforeHeaders,
    /// Send `after_events` events (default: half) then hang until the client gives up.
    Stall {
        #[serde(default)]
        after_events: Option<usize>,
    },
    /// Send `after_events` events (default: half) then end the body cleanly, without the
    /// terminal event (`[DONE]`, `message_stop`, `response.completed`, the finish chunk).
    Truncate {
        #[serde(default)]
        after_events: Option<usize>,
    },
    /// After `after_events` events (default: 1), one `data:` line of invalid JSON, then the
    /// rest of the stream as usual.
    MalformedChunk {
        #[serde(default)]
        after_events: Option<usize>,
    },
    /// Send `after_events` events (default: half) then abort the connection mid-body.
    ResetMidStream {
        #[serde(default)]
        after_events: Option<usize>,
    },
    /// Send the whole stream but its very last event (OpenAI: `data: [DONE]`; Anthropic:
    /// `message_stop`), then end the body cleanly.
    MissingDone,
}

/// The class of an HTTP error; each dialect renders it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    InvalidRequest,
    ContextLengthExceeded,
    Authentication,
    PermissionDenied,
    NotFound,
    RateLimit,
    Server,
    Overloaded,
}

impl ErrorKind {
    /// The usual kind for a status code.
    pub fn for_status(status: u16) -> Self {
        match status {
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            429 => Self::RateLimit,
            503 | 529 => Self::Overloaded,
            s if s >= 500 => Self::Server,
            _ => Self::InvalidRequest,
        }
    }
}

impl Scenario {
    /// A reply with this text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A fault, nothing else.
    pub fn fault(fault: Fault) -> Self {
        Self {
            fault: Some(fault),
            ..Self::default()
        }
    }

    /// HTTP 429 with `Retry-After: secs`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::fault(Fault::RateLimit { retry_after_secs })
    }

    /// An error status with the default kind for it.
    pub fn status(status: u16) -> Self {
        Self::fault(Fault::Status {
            status,
            kind: None,
            message: None,
            retry_after_secs: None,
        })
    }

    /// HTTP 400 "context length exceeded" in the provider's words.
    pub fn context_length_exceeded() -> Self {
        Self::fault(Fault::Status {
            status: 400,
            kind: Some(ErrorKind::ContextLengthExceeded),
            message: None,
            retry_after_secs: None,
        })
    }

    /// Only for requests asking for this model.
    pub fn for_model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    pub fn with_reasoning(mut self, reasoning: impl Into<String>) -> Self {
        self.reasoning = Some(reasoning.into());
        self
    }

    pub fn with_signature(mut self, signature: impl Into<String>) -> Self {
        self.signature = Some(signature.into());
        self
    }

    /// Adds a tool call (call several times for parallel calls).
    pub fn with_tool_call(mut self, name: impl Into<String>, arguments: Value) -> Self {
        self.tool_calls.push(ToolCall {
            name: name.into(),
            arguments,
            id: None,
        });
        self
    }

    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    pub fn with_first_byte_delay_ms(mut self, ms: u64) -> Self {
        self.first_byte_delay_ms = ms;
        self
    }

    pub fn with_chunk_delay_ms(mut self, ms: u64) -> Self {
        self.chunk_delay_ms = ms;
        self
    }
}
