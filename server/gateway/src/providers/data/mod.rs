//! The built-in provider table. Adding a provider means adding a row here (and its constant in
//! the file of its group), never a code branch elsewhere.

mod frontier;
mod hosts;
mod local;
mod regional;
mod subscription;

pub(crate) use frontier::ANTHROPIC_HEADERS;

use super::types::ProviderSpec;

/// Every built-in provider, in catalog order: API-key providers first, then local servers,
/// then the reserved subscription providers.
pub(crate) static BUILTIN: &[ProviderSpec] = &[
    frontier::OPENAI,
    frontier::ANTHROPIC,
    frontier::GEMINI,
    hosts::OPENROUTER,
    frontier::DEEPSEEK,
    hosts::GROQ,
    frontier::XAI,
    frontier::MISTRAL,
    frontier::PERPLEXITY,
    hosts::TOGETHER,
    hosts::FIREWORKS,
    hosts::CEREBRAS,
    frontier::COHERE,
    hosts::NVIDIA,
    regional::QIANFAN,
    regional::GLM,
    regional::GLM_CN,
    regional::ZAI,
    regional::MINIMAX,
    regional::MINIMAX_CN,
    regional::KIMI,
    hosts::OLLAMA_CLOUD,
    hosts::SILICONFLOW,
    hosts::HYPERBOLIC,
    hosts::DEEPINFRA,
    hosts::HUGGINGFACE,
    hosts::NEBIUS,
    hosts::SAMBANOVA,
    local::OLLAMA,
    local::VLLM,
    local::LLAMA_CPP,
    local::LM_STUDIO,
    subscription::CLAUDE_CODE,
    subscription::CODEX,
    subscription::GEMINI_CLI,
    subscription::GITHUB_COPILOT,
    subscription::KIRO,
    subscription::QODER,
    subscription::QWEN,
];
