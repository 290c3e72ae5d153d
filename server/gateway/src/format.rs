//! The four wire formats the hub speaks.

use std::fmt;
use std::str::FromStr;

use crate::errors::TranslateError;

/// A wire format, on the client side (ingress) or the upstream side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OpenAI Chat Completions (`/v1/chat/completions`).
    OpenAiChat,
    /// Anthropic Messages (`/v1/messages`).
    Anthropic,
    /// Gemini `generateContent` / `streamGenerateContent?alt=sse` (`/v1beta`).
    Gemini,
    /// OpenAI Responses (`/v1/responses`).
    Responses,
}

/// Formats that share field names and conventions. Unknown extra request fields survive a
/// translation only inside one family (see [`crate::ir::ChatRequest::extra`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    OpenAi,
    Anthropic,
    Gemini,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::OpenAiChat,
        Format::Anthropic,
        Format::Gemini,
        Format::Responses,
    ];

    /// The stable identifier used in config, logs and fixtures.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::OpenAiChat => "openai_chat",
            Format::Anthropic => "anthropic",
            Format::Gemini => "gemini",
            Format::Responses => "responses",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Format::OpenAiChat | Format::Responses => Family::OpenAi,
            Format::Anthropic => Family::Anthropic,
            Format::Gemini => Family::Gemini,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = TranslateError;

    /// Accepts the canonical names plus common aliases (`openai`, `claude`, `openai-responses`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "openai_chat" | "openai" | "chat" | "chat_completions" => Ok(Format::OpenAiChat),
            "anthropic" | "claude" | "messages" => Ok(Format::Anthropic),
            "gemini" | "google" => Ok(Format::Gemini),
            "responses" | "openai_responses" | "openai_response" | "codex" => Ok(Format::Responses),
            _ => Err(TranslateError::UnknownFormat(s.to_string())),
        }
    }
}
