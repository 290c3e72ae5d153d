//! Regional and coding-plan providers: GLM (z.ai), MiniMax, Kimi (Moonshot), Baidu Qianfan.
//!
//! Prices are seed values (USD per 1M tokens) users can edit; unknown ones stay `None`.

use super::frontier::ANTHROPIC_HEADERS;
use crate::providers::types::{AuthStyle, Endpoints, ModelSpec as M, ProviderSpec, WireFormat};

const GLM_MODELS: &[M] = &[
    M::chat("glm-5.1", 200_000, Some(128_000)),
    M::chat("glm-5", 200_000, Some(128_000)),
    M::chat("glm-5-turbo", 200_000, Some(128_000)),
    M::chat("glm-4.7", 200_000, Some(128_000))
        .price(0.6, 2.2)
        .cache_read(0.11),
    M::chat("glm-4.7-flash", 200_000, Some(128_000)),
    M::chat("glm-4.6", 200_000, Some(128_000))
        .price(0.6, 2.2)
        .cache_read(0.11),
    M::chat("glm-4.6v", 128_000, Some(32_768)),
    M::chat("glm-4.5", 128_000, Some(96_000))
        .price(0.6, 2.2)
        .cache_read(0.11),
    M::chat("glm-4.5v", 64_000, Some(16_384)),
    M::chat("glm-4.5-air", 128_000, Some(96_000))
        .price(0.2, 1.1)
        .cache_read(0.03),
];

/// z.ai Coding Plan, OpenAI-compatible endpoint.
pub(crate) const GLM: ProviderSpec = ProviderSpec {
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "glm",
        "GLM (Z.ai Coding Plan)",
        "glm",
        "https://api.z.ai/api/coding/paas/v4",
        GLM_MODELS,
    )
};

/// The same plan on the mainland China endpoint.
pub(crate) const GLM_CN: ProviderSpec = ProviderSpec {
    passthrough_models: false,
    ..ProviderSpec::openai_compatible(
        "glm-cn",
        "GLM China (BigModel Coding Plan)",
        "glm-cn",
        "https://open.bigmodel.cn/api/coding/paas/v4",
        GLM_MODELS,
    )
};

/// z.ai's Anthropic-format endpoint (what Claude Code uses against z.ai).
pub(crate) const ZAI: ProviderSpec = ProviderSpec {
    id: "zai",
    name: "Z.ai (Anthropic format)",
    prefix: "zai",
    base_url: "https://api.z.ai/api/anthropic/v1",
    format: WireFormat::Anthropic,
    auth: AuthStyle::XApiKey,
    headers: ANTHROPIC_HEADERS,
    chat_path: "/messages",
    stream_chat_path: None,
    endpoints: Endpoints::NONE,
    passthrough_models: false,
    local: false,
    models: GLM_MODELS,
};

const MINIMAX_MODELS: &[M] = &[
    M::chat("MiniMax-M2.7", 204_800, Some(131_072))
        .price(0.3, 1.2)
        .cache_read(0.03)
        .cache_write(0.375),
    M::chat("MiniMax-M2.7-highspeed", 204_800, Some(131_072)),
    M::chat("MiniMax-M2.5", 204_800, Some(131_072))
        .price(0.3, 1.2)
        .cache_read(0.03)
        .cache_write(0.375),
    M::chat("MiniMax-M2.5-highspeed", 204_800, Some(131_072)),
    M::chat("MiniMax-M2.1", 204_800, Some(131_072))
        .price(0.3, 1.2)
        .cache_read(0.03)
        .cache_write(0.375),
];

/// MiniMax through its Anthropic-format endpoint.
pub(crate) const MINIMAX: ProviderSpec = ProviderSpec {
    id: "minimax",
    name: "MiniMax",
    prefix: "minimax",
    base_url: "https://api.minimax.io/anthropic/v1",
    format: WireFormat::Anthropic,
    auth: AuthStyle::XApiKey,
    headers: ANTHROPIC_HEADERS,
    chat_path: "/messages",
    stream_chat_path: None,
    endpoints: Endpoints::NONE,
    passthrough_models: false,
    local: false,
    models: MINIMAX_MODELS,
};

pub(crate) const MINIMAX_CN: ProviderSpec = ProviderSpec {
    id: "minimax-cn",
    name: "MiniMax China",
    prefix: "minimax-cn",
    base_url: "https://api.minimaxi.com/anthropic/v1",
    ..MINIMAX
};

const KIMI_MODELS: &[M] = &[
    M::chat("kimi-k2.6", 262_144, None),
    M::chat("kimi-k2.5", 262_144, None),
    M::chat("kimi-k2-0905-preview", 262_144, None)
        .price(0.6, 2.5)
        .cache_read(0.15),
];

pub(crate) const KIMI: ProviderSpec = ProviderSpec::openai_compatible(
    "kimi",
    "Kimi (Moonshot AI)",
    "kimi",
    "https://api.moonshot.ai/v1",
    KIMI_MODELS,
);

const QIANFAN_MODELS: &[M] = &[
    M::chat_unsized("ernie-5.1"),
    M::chat_unsized("ernie-5.0-thinking-latest"),
    M::chat_unsized("ernie-x1.1"),
];

pub(crate) const QIANFAN: ProviderSpec = ProviderSpec::openai_compatible(
    "qianfan",
    "Baidu Qianfan (ERNIE)",
    "qianfan",
    "https://qianfan.baidubce.com/v2",
    QIANFAN_MODELS,
);
