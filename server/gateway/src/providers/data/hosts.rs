//! Gateways and inference hosts speaking the OpenAI Chat format with a Bearer key.
//!
//! Prices are seed values (USD per 1M tokens) users can edit; unknown ones stay `None`.
//! Models marked free carry `Some(0.0)` on purpose.

use crate::providers::types::{Endpoints, ModelSpec as M, ProviderSpec};

const OPENROUTER_MODELS: &[M] = &[
    M::chat_unsized("openrouter/auto"),
    M::chat_unsized("openai/gpt-5"),
    M::chat_unsized("anthropic/claude-sonnet-4.5"),
    M::chat_unsized("google/gemini-2.5-flash"),
    M::chat_unsized("deepseek/deepseek-chat-v3.1"),
];

// OpenRouter asks apps to identify themselves with these optional headers.
pub(crate) const OPENROUTER: ProviderSpec = ProviderSpec {
    headers: &[
        ("HTTP-Referer", "https://github.com/omniroute"),
        ("X-Title", "OmniRoute"),
    ],
    endpoints: Endpoints::MODELS_ONLY.embeddings(),
    ..ProviderSpec::openai_compatible(
        "openrouter",
        "OpenRouter",
        "openrouter",
        "https://openrouter.ai/api/v1",
        OPENROUTER_MODELS,
    )
};

const GROQ_MODELS: &[M] = &[
    M::chat("llama-3.3-70b-versatile", 131_072, Some(32_768)).price(0.59, 0.79),
    M::chat(
        "meta-llama/llama-4-maverick-17b-128e-instruct",
        131_072,
        Some(8_192),
    )
    .price(0.2, 0.6),
    M::chat("qwen/qwen3-32b", 131_072, Some(40_960)).price(0.29, 0.59),
    M::chat("openai/gpt-oss-120b", 131_072, Some(65_536)).price(0.15, 0.75),
    M::transcription("whisper-large-v3"),
    M::transcription("whisper-large-v3-turbo"),
];

pub(crate) const GROQ: ProviderSpec = ProviderSpec {
    endpoints: Endpoints {
        audio_transcriptions: Some("/audio/transcriptions"),
        ..Endpoints::MODELS_ONLY
    },
    ..ProviderSpec::openai_compatible(
        "groq",
        "Groq",
        "groq",
        "https://api.groq.com/openai/v1",
        GROQ_MODELS,
    )
};

const TOGETHER_MODELS: &[M] = &[
    M::chat(
        "meta-llama/Llama-3.3-70B-Instruct-Turbo-Free",
        131_072,
        None,
    )
    .price(0.0, 0.0),
    M::chat("meta-llama/Llama-Vision-Free", 131_072, None).price(0.0, 0.0),
    M::chat(
        "deepseek-ai/DeepSeek-R1-Distill-Llama-70B-Free",
        131_072,
        None,
    )
    .price(0.0, 0.0),
    M::chat("deepseek-ai/DeepSeek-R1", 163_840, None).price(3.0, 7.0),
    M::chat_unsized("Qwen/Qwen3-235B-A22B"),
    M::chat_unsized("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8"),
    M::embedding("BAAI/bge-large-en-v1.5", Some(512)),
    M::image("black-forest-labs/FLUX.1-schnell"),
];

pub(crate) const TOGETHER: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings().images(),
    ..ProviderSpec::openai_compatible(
        "together",
        "Together AI",
        "together",
        "https://api.together.xyz/v1",
        TOGETHER_MODELS,
    )
};

const FIREWORKS_MODELS: &[M] = &[
    M::chat_unsized("accounts/fireworks/models/kimi-k2p6"),
    M::chat_unsized("accounts/fireworks/models/minimax-m2p7"),
    M::chat_unsized("accounts/fireworks/models/qwen3p6-plus"),
    M::chat_unsized("accounts/fireworks/models/glm-5p1"),
    M::chat_unsized("accounts/fireworks/models/deepseek-v4-pro"),
    M::embedding("nomic-ai/nomic-embed-text-v1.5", Some(8_192)),
    M::image("accounts/fireworks/models/flux-1-schnell-fp8"),
];

// Fireworks serves images through per-model workflow URLs, not /images/generations.
pub(crate) const FIREWORKS: ProviderSpec = ProviderSpec {
    endpoints: Endpoints {
        images: Some("/workflows/{model}/text_to_image"),
        ..Endpoints::MODELS_ONLY.embeddings()
    },
    ..ProviderSpec::openai_compatible(
        "fireworks",
        "Fireworks AI",
        "fireworks",
        "https://api.fireworks.ai/inference/v1",
        FIREWORKS_MODELS,
    )
};

const CEREBRAS_MODELS: &[M] = &[
    M::chat("zai-glm-4.7", 131_072, None),
    M::chat("gpt-oss-120b", 131_072, None),
];

pub(crate) const CEREBRAS: ProviderSpec = ProviderSpec::openai_compatible(
    "cerebras",
    "Cerebras",
    "cerebras",
    "https://api.cerebras.ai/v1",
    CEREBRAS_MODELS,
);

const NVIDIA_MODELS: &[M] = &[
    M::chat_unsized("z-ai/glm-5.1"),
    M::chat_unsized("minimaxai/minimax-m2.7"),
    M::chat_unsized("google/gemma-4-31b-it"),
    M::chat_unsized("mistralai/mistral-small-4-119b-2603"),
    M::chat_unsized("mistralai/mistral-large-3-675b-instruct-2512"),
    M::chat_unsized("qwen/qwen3.5-397b-a17b"),
    M::chat_unsized("deepseek-ai/deepseek-v4-pro"),
    M::chat_unsized("openai/gpt-oss-120b"),
    M::chat_unsized("nvidia/nemotron-3-super-120b-a12b"),
    M::embedding("nvidia/nv-embedqa-e5-v5", Some(512)),
];

pub(crate) const NVIDIA: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings(),
    ..ProviderSpec::openai_compatible(
        "nvidia",
        "NVIDIA NIM",
        "nvidia",
        "https://integrate.api.nvidia.com/v1",
        NVIDIA_MODELS,
    )
};

const OLLAMA_CLOUD_MODELS: &[M] = &[
    M::chat_unsized("deepseek-v4-pro"),
    M::chat_unsized("deepseek-v4-flash"),
    M::chat_unsized("kimi-k2.6"),
    M::chat_unsized("glm-5.1"),
    M::chat_unsized("minimax-m2.7"),
    M::chat_unsized("gemma4:31b"),
    M::chat_unsized("qwen3.5:397b"),
];

pub(crate) const OLLAMA_CLOUD: ProviderSpec = ProviderSpec::openai_compatible(
    "ollama-cloud",
    "Ollama Cloud",
    "ollama-cloud",
    "https://ollama.com/v1",
    OLLAMA_CLOUD_MODELS,
);

const SILICONFLOW_MODELS: &[M] = &[
    M::chat_unsized("deepseek-ai/DeepSeek-V3.2"),
    M::chat_unsized("Qwen/Qwen3-235B-A22B-Instruct-2507"),
    M::chat_unsized("moonshotai/Kimi-K2-Instruct-0905"),
    M::embedding("BAAI/bge-m3", Some(8_192)),
];

pub(crate) const SILICONFLOW: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings().images(),
    ..ProviderSpec::openai_compatible(
        "siliconflow",
        "SiliconFlow",
        "siliconflow",
        "https://api.siliconflow.com/v1",
        SILICONFLOW_MODELS,
    )
};

const HYPERBOLIC_MODELS: &[M] = &[
    M::chat_unsized("deepseek-ai/DeepSeek-V3"),
    M::chat_unsized("meta-llama/Llama-3.3-70B-Instruct"),
    M::chat_unsized("Qwen/Qwen3-Coder-480B-A35B-Instruct"),
];

pub(crate) const HYPERBOLIC: ProviderSpec = ProviderSpec::openai_compatible(
    "hyperbolic",
    "Hyperbolic",
    "hyperbolic",
    "https://api.hyperbolic.xyz/v1",
    HYPERBOLIC_MODELS,
);

const DEEPINFRA_MODELS: &[M] = &[
    M::chat_unsized("deepseek-ai/DeepSeek-V3.1"),
    M::chat_unsized("meta-llama/Llama-3.3-70B-Instruct-Turbo"),
    M::chat_unsized("Qwen/Qwen3-235B-A22B-Instruct-2507"),
    M::embedding("BAAI/bge-m3", Some(8_192)),
];

pub(crate) const DEEPINFRA: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings().images(),
    ..ProviderSpec::openai_compatible(
        "deepinfra",
        "DeepInfra",
        "deepinfra",
        "https://api.deepinfra.com/v1/openai",
        DEEPINFRA_MODELS,
    )
};

const HUGGINGFACE_MODELS: &[M] = &[
    M::chat_unsized("meta-llama/Llama-3.3-70B-Instruct"),
    M::chat_unsized("Qwen/Qwen3-Coder-480B-A35B-Instruct"),
    M::chat_unsized("deepseek-ai/DeepSeek-V3.1"),
];

pub(crate) const HUGGINGFACE: ProviderSpec = ProviderSpec::openai_compatible(
    "huggingface",
    "Hugging Face Inference",
    "huggingface",
    "https://router.huggingface.co/v1",
    HUGGINGFACE_MODELS,
);

const NEBIUS_MODELS: &[M] = &[
    M::chat_unsized("deepseek-ai/DeepSeek-V3-0324"),
    M::chat_unsized("meta-llama/Llama-3.3-70B-Instruct"),
    M::chat_unsized("Qwen/Qwen3-235B-A22B"),
    M::embedding("BAAI/bge-en-icl", None),
];

pub(crate) const NEBIUS: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings().images(),
    ..ProviderSpec::openai_compatible(
        "nebius",
        "Nebius AI Studio",
        "nebius",
        "https://api.studio.nebius.com/v1",
        NEBIUS_MODELS,
    )
};

const SAMBANOVA_MODELS: &[M] = &[
    M::chat_unsized("Meta-Llama-3.3-70B-Instruct"),
    M::chat_unsized("DeepSeek-V3.1"),
    M::chat_unsized("gpt-oss-120b"),
];

pub(crate) const SAMBANOVA: ProviderSpec = ProviderSpec::openai_compatible(
    "sambanova",
    "SambaNova",
    "sambanova",
    "https://api.sambanova.ai/v1",
    SAMBANOVA_MODELS,
);
