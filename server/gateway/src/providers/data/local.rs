//! Servers on the user's own machine. No key; the usual default ports. Their model lists
//! come from their own `/models` endpoint, so none are recorded here.

use crate::providers::types::{AuthStyle, ProviderSpec};

const fn local(
    id: &'static str,
    name: &'static str,
    prefix: &'static str,
    base_url: &'static str,
) -> ProviderSpec {
    ProviderSpec {
        auth: AuthStyle::None,
        local: true,
        ..ProviderSpec::openai_compatible(id, name, prefix, base_url, &[])
    }
}

pub(crate) const OLLAMA: ProviderSpec = local(
    "ollama",
    "Ollama (local)",
    "ollama",
    "http://localhost:11434/v1",
);
pub(crate) const VLLM: ProviderSpec = local("vllm", "vLLM", "vllm", "http://localhost:8000/v1");
pub(crate) const LLAMA_CPP: ProviderSpec = local(
    "llama-cpp",
    "llama.cpp server",
    "llama-cpp",
    "http://localhost:8080/v1",
);
pub(crate) const LM_STUDIO: ProviderSpec = local(
    "lm-studio",
    "LM Studio",
    "lmstudio",
    "http://localhost:1234/v1",
);
