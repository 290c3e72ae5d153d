//! Frontier labs with their own API: OpenAI, Anthropic, Gemini (AI Studio), xAI, Mistral,
//! DeepSeek, Cohere, Perplexity.
//!
//! Prices are seed values (USD per 1M tokens) users can edit; unknown ones stay `None`.

use crate::providers::types::{AuthStyle, Endpoints, ModelSpec as M, ProviderSpec, WireFormat};

const OPENAI_MODELS: &[M] = &[
    M::chat("gpt-5.5", 400_000, Some(128_000)),
    M::chat("gpt-5.4", 400_000, Some(128_000)),
    M::chat("gpt-5.4-mini", 400_000, Some(128_000)),
    M::chat("gpt-5.2", 400_000, Some(128_000)),
    M::chat("gpt-5.1", 400_000, Some(128_000))
        .price(1.25, 10.0)
        .cache_read(0.125),
    M::chat("gpt-5", 400_000, Some(128_000))
        .price(1.25, 10.0)
        .cache_read(0.125),
    M::chat("gpt-5-mini", 400_000, Some(128_000))
        .price(0.25, 2.0)
        .cache_read(0.025),
    M::chat("gpt-5-nano", 400_000, Some(128_000))
        .price(0.05, 0.4)
        .cache_read(0.005),
    M::chat("gpt-4.1", 1_047_576, Some(32_768))
        .price(2.0, 8.0)
        .cache_read(0.5),
    M::chat("gpt-4.1-mini", 1_047_576, Some(32_768))
        .price(0.4, 1.6)
        .cache_read(0.1),
    M::chat("gpt-4o", 128_000, Some(16_384))
        .price(2.5, 10.0)
        .cache_read(1.25),
    M::chat("gpt-4o-mini", 128_000, Some(16_384))
        .price(0.15, 0.6)
        .cache_read(0.075),
    M::chat("o3", 200_000, Some(100_000))
        .price(2.0, 8.0)
        .cache_read(0.5),
    M::chat("o4-mini", 200_000, Some(100_000))
        .price(1.1, 4.4)
        .cache_read(0.275),
    M::embedding("text-embedding-3-small", Some(8_191)).input_price(0.02),
    M::embedding("text-embedding-3-large", Some(8_191)).input_price(0.13),
    M::image("gpt-image-1"),
    M::image("dall-e-3"),
    M::transcription("whisper-1"),
    M::transcription("gpt-4o-transcribe"),
    M::transcription("gpt-4o-mini-transcribe"),
    M::speech("tts-1"),
    M::speech("tts-1-hd"),
    M::speech("gpt-4o-mini-tts"),
];

pub(crate) const OPENAI: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings().images().audio(),
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "openai",
        "OpenAI",
        "openai",
        "https://api.openai.com/v1",
        OPENAI_MODELS,
    )
};

const ANTHROPIC_MODELS: &[M] = &[
    M::chat("claude-opus-4-7", 200_000, Some(64_000)),
    M::chat("claude-opus-4-6", 200_000, Some(64_000)),
    M::chat("claude-opus-4-5-20251101", 200_000, Some(64_000))
        .price(5.0, 25.0)
        .cache_read(0.5)
        .cache_write(6.25),
    M::chat("claude-sonnet-4-6", 200_000, Some(64_000)),
    M::chat("claude-sonnet-4-5-20250929", 200_000, Some(64_000))
        .price(3.0, 15.0)
        .cache_read(0.3)
        .cache_write(3.75),
    M::chat("claude-haiku-4-5-20251001", 200_000, Some(64_000))
        .price(1.0, 5.0)
        .cache_read(0.1)
        .cache_write(1.25),
    M::chat("claude-opus-4-1-20250805", 200_000, Some(32_000))
        .price(15.0, 75.0)
        .cache_read(1.5)
        .cache_write(18.75),
];

/// The version header every Anthropic Messages request carries.
pub(crate) const ANTHROPIC_HEADERS: &[(&str, &str)] = &[("anthropic-version", "2023-06-01")];

pub(crate) const ANTHROPIC: ProviderSpec = ProviderSpec {
    id: "anthropic",
    name: "Anthropic",
    prefix: "anthropic",
    base_url: "https://api.anthropic.com/v1",
    format: WireFormat::Anthropic,
    auth: AuthStyle::XApiKey,
    headers: ANTHROPIC_HEADERS,
    chat_path: "/messages",
    stream_chat_path: None,
    endpoints: Endpoints::MODELS_ONLY,
    passthrough_models: false,
    local: false,
    models: ANTHROPIC_MODELS,
};

// The guide says the Gemini catalog is synced live per key; these are seeds so that the
// catalog and bare-name lookup work before a sync.
const GEMINI_MODELS: &[M] = &[
    M::chat("gemini-3-pro-preview", 1_048_576, Some(65_536)).price(2.0, 12.0),
    M::chat("gemini-3-flash-preview", 1_048_576, Some(65_536)),
    M::chat("gemini-2.5-pro", 1_048_576, Some(65_536))
        .price(1.25, 10.0)
        .cache_read(0.125),
    M::chat("gemini-2.5-flash", 1_048_576, Some(65_536))
        .price(0.3, 2.5)
        .cache_read(0.03),
    M::chat("gemini-2.5-flash-lite", 1_048_576, Some(65_536))
        .price(0.1, 0.4)
        .cache_read(0.01),
    M::embedding("gemini-embedding-001", Some(2_048)).input_price(0.15),
];

pub(crate) const GEMINI: ProviderSpec = ProviderSpec {
    id: "gemini",
    name: "Google Gemini (AI Studio)",
    prefix: "gemini",
    base_url: "https://generativelanguage.googleapis.com/v1beta",
    format: WireFormat::Gemini,
    auth: AuthStyle::XGoogApiKey,
    headers: &[],
    chat_path: "/models/{model}:generateContent",
    stream_chat_path: Some("/models/{model}:streamGenerateContent?alt=sse"),
    endpoints: Endpoints {
        embeddings: Some("/models/{model}:embedContent"),
        ..Endpoints::MODELS_ONLY
    },
    passthrough_models: true,
    local: false,
    models: GEMINI_MODELS,
};

const XAI_MODELS: &[M] = &[
    M::chat_unsized("grok-4.3"),
    M::chat_unsized("grok-4.20-multi-agent-0309"),
    M::chat_unsized("grok-4.20-0309-reasoning"),
    M::chat_unsized("grok-4.20-0309-non-reasoning"),
    M::chat("grok-4", 256_000, None)
        .price(3.0, 15.0)
        .cache_read(0.75),
    M::image("grok-2-image"),
];

pub(crate) const XAI: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.images(),
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "xai",
        "xAI (Grok)",
        "xai",
        "https://api.x.ai/v1",
        XAI_MODELS,
    )
};

const MISTRAL_MODELS: &[M] = &[
    M::chat("mistral-large-latest", 131_072, None),
    M::chat("mistral-medium-3-5", 131_072, None),
    M::chat("mistral-small-latest", 131_072, None).price(0.1, 0.3),
    M::chat("devstral-latest", 131_072, None),
    M::chat("codestral-latest", 256_000, None).price(0.3, 0.9),
    M::embedding("mistral-embed", Some(8_192)).input_price(0.1),
];

pub(crate) const MISTRAL: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings(),
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "mistral",
        "Mistral AI",
        "mistral",
        "https://api.mistral.ai/v1",
        MISTRAL_MODELS,
    )
};

const DEEPSEEK_MODELS: &[M] = &[
    M::chat_unsized("deepseek-v4-pro"),
    M::chat_unsized("deepseek-v4-flash"),
    M::chat("deepseek-chat", 128_000, Some(8_192))
        .price(0.28, 0.42)
        .cache_read(0.028),
    M::chat("deepseek-reasoner", 128_000, Some(65_536))
        .price(0.28, 0.42)
        .cache_read(0.028),
];

pub(crate) const DEEPSEEK: ProviderSpec = ProviderSpec {
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "deepseek",
        "DeepSeek",
        "ds",
        "https://api.deepseek.com/v1",
        DEEPSEEK_MODELS,
    )
};

const COHERE_MODELS: &[M] = &[
    M::chat("command-a-reasoning-08-2025", 256_000, Some(32_000)),
    M::chat("command-a-vision-07-2025", 128_000, Some(8_000)),
    M::chat("command-a-03-2025", 256_000, Some(8_000)).price(2.5, 10.0),
    M::chat("command-r-08-2024", 128_000, Some(4_000)).price(0.15, 0.6),
    M::embedding("embed-v4.0", Some(128_000)).input_price(0.12),
];

// Cohere's OpenAI-compatibility endpoint; the native v2 API is a different format.
pub(crate) const COHERE: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::MODELS_ONLY.embeddings(),
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "cohere",
        "Cohere",
        "cohere",
        "https://api.cohere.ai/compatibility/v1",
        COHERE_MODELS,
    )
};

const PERPLEXITY_MODELS: &[M] = &[
    M::chat("sonar-deep-research", 128_000, None).price(2.0, 8.0),
    M::chat("sonar-reasoning-pro", 128_000, None).price(2.0, 8.0),
    M::chat("sonar-pro", 200_000, Some(8_000)).price(3.0, 15.0),
    M::chat("sonar", 128_000, None).price(1.0, 1.0),
];

pub(crate) const PERPLEXITY: ProviderSpec = ProviderSpec {
    endpoints: Endpoints::NONE,
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "perplexity",
        "Perplexity",
        "pplx",
        "https://api.perplexity.ai",
        PERPLEXITY_MODELS,
    )
};
