//! Subscription (OAuth) providers. Their prefixes are reserved now so that no API-key provider
//! or custom node takes them; logging in to them comes with a later change. Until then they are
//! listed in the catalog but refused at resolution time.

use super::frontier::ANTHROPIC_HEADERS;
use crate::providers::types::{AuthStyle, Endpoints, ModelSpec as M, ProviderSpec, WireFormat};

const fn oauth(
    id: &'static str,
    name: &'static str,
    prefix: &'static str,
    base_url: &'static str,
    format: WireFormat,
    chat_path: &'static str,
    models: &'static [M],
) -> ProviderSpec {
    ProviderSpec {
        id,
        name,
        prefix,
        base_url,
        format,
        auth: AuthStyle::OAuth,
        headers: &[],
        chat_path,
        stream_chat_path: None,
        endpoints: Endpoints::NONE,
        passthrough_models: false,
        local: false,
        models,
    }
}

const CLAUDE_CODE_MODELS: &[M] = &[
    M::chat("claude-opus-4-7", 200_000, Some(64_000)),
    M::chat("claude-opus-4-6", 200_000, Some(64_000)),
    M::chat("claude-opus-4-5-20251101", 200_000, Some(64_000)),
    M::chat("claude-sonnet-4-6", 200_000, Some(64_000)),
    M::chat("claude-sonnet-4-5-20250929", 200_000, Some(64_000)),
    M::chat("claude-haiku-4-5-20251001", 200_000, Some(64_000)),
];

pub(crate) const CLAUDE_CODE: ProviderSpec = ProviderSpec {
    headers: ANTHROPIC_HEADERS,
    ..oauth(
        "claude",
        "Claude Code",
        "cc",
        "https://api.anthropic.com/v1",
        WireFormat::Anthropic,
        "/messages?beta=true",
        CLAUDE_CODE_MODELS,
    )
};

const CODEX_MODELS: &[M] = &[
    M::chat_unsized("gpt-5.5"),
    M::chat_unsized("gpt-5.5-xhigh"),
    M::chat_unsized("gpt-5.5-high"),
    M::chat_unsized("gpt-5.5-medium"),
    M::chat_unsized("gpt-5.5-low"),
    M::chat_unsized("gpt-5.4"),
    M::chat_unsized("gpt-5.4-mini"),
    M::chat_unsized("gpt-5.3-codex"),
    M::chat_unsized("gpt-5.3-codex-spark"),
    M::chat_unsized("gpt-5.2"),
];

pub(crate) const CODEX: ProviderSpec = oauth(
    "codex",
    "OpenAI Codex",
    "cx",
    "https://chatgpt.com/backend-api/codex",
    WireFormat::Responses,
    "/responses",
    CODEX_MODELS,
);

const GEMINI_CLI_MODELS: &[M] = &[
    M::chat("gemini-3.1-pro-preview", 1_048_576, Some(65_536)),
    M::chat(
        "gemini-3.1-pro-preview-customtools",
        1_048_576,
        Some(65_536),
    ),
    M::chat("gemini-3-flash-preview", 1_048_576, Some(65_536)),
    M::chat("gemini-3.1-flash-lite-preview", 1_048_576, Some(65_536)),
];

// Cloud Code Assist takes the model in the body, not in the path.
pub(crate) const GEMINI_CLI: ProviderSpec = ProviderSpec {
    stream_chat_path: Some("/v1internal:streamGenerateContent?alt=sse"),
    ..oauth(
        "gemini-cli",
        "Gemini CLI",
        "gemini-cli",
        "https://cloudcode-pa.googleapis.com",
        WireFormat::Gemini,
        "/v1internal:generateContent",
        GEMINI_CLI_MODELS,
    )
};

const COPILOT_MODELS: &[M] = &[
    M::chat_unsized("gpt-5.5"),
    M::chat_unsized("gpt-5.4"),
    M::chat_unsized("gpt-5.4-mini"),
    M::chat_unsized("gpt-5-mini"),
    M::chat_unsized("gpt-5.3-codex"),
    M::chat_unsized("claude-opus-4.7"),
    M::chat_unsized("claude-opus-4.6"),
    M::chat_unsized("claude-opus-4-5-20251101"),
    M::chat_unsized("claude-sonnet-4.6"),
    M::chat_unsized("claude-sonnet-4.5"),
    M::chat_unsized("claude-haiku-4.5"),
    M::chat_unsized("gemini-3.1-pro-preview"),
    M::chat_unsized("gemini-3-flash-preview"),
    M::chat_unsized("oswe-vscode-prime"),
];

pub(crate) const GITHUB_COPILOT: ProviderSpec = oauth(
    "github",
    "GitHub Copilot",
    "gh",
    "https://api.githubcopilot.com",
    WireFormat::OpenAiChat,
    "/chat/completions",
    COPILOT_MODELS,
);

const KIRO_MODELS: &[M] = &[
    M::chat_unsized("auto-kiro"),
    M::chat_unsized("claude-opus-4.7"),
    M::chat_unsized("claude-opus-4.6"),
    M::chat_unsized("claude-sonnet-4.6"),
    M::chat_unsized("claude-sonnet-4.5"),
    M::chat_unsized("claude-haiku-4.5"),
    M::chat_unsized("deepseek-3.2"),
    M::chat_unsized("minimax-m2.5"),
    M::chat_unsized("minimax-m2.1"),
    M::chat_unsized("glm-5"),
    M::chat_unsized("qwen3-coder-next"),
];

pub(crate) const KIRO: ProviderSpec = oauth(
    "kiro",
    "Kiro",
    "kr",
    "https://codewhisperer.us-east-1.amazonaws.com",
    WireFormat::OpenAiChat,
    "/generateAssistantResponse",
    KIRO_MODELS,
);

const QODER_MODELS: &[M] = &[
    M::chat_unsized("kimi-k2-0905"),
    M::chat_unsized("kimi-k2"),
    M::chat_unsized("qwen3-coder-plus"),
    M::chat_unsized("qwen3-max"),
    M::chat_unsized("qwen3-max-preview"),
    M::chat_unsized("qwen3-vl-plus"),
    M::chat_unsized("qwen3-32b"),
    M::chat_unsized("qwen3-235b-a22b-thinking-2507"),
    M::chat_unsized("qwen3-235b-a22b-instruct"),
    M::chat_unsized("qwen3-235b"),
    M::chat_unsized("deepseek-v3.2"),
    M::chat_unsized("deepseek-v3"),
    M::chat_unsized("deepseek-r1"),
    M::chat_unsized("qoder-rome-30ba3b"),
];

pub(crate) const QODER: ProviderSpec = oauth(
    "qoder",
    "Qoder",
    "if",
    "https://api.qoder.com/v1",
    WireFormat::OpenAiChat,
    "/chat/completions",
    QODER_MODELS,
);

const QWEN_MODELS: &[M] = &[
    M::chat_unsized("coder-model"),
    M::chat_unsized("vision-model"),
];

pub(crate) const QWEN: ProviderSpec = oauth(
    "qwen",
    "Qwen Code",
    "qw",
    "https://portal.qwen.ai/v1",
    WireFormat::OpenAiChat,
    "/chat/completions",
    QWEN_MODELS,
);
