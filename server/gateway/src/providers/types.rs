//! The shapes of registry rows: a provider, its models, its prices.
//!
//! Rows are `const` data so the whole built-in registry is a static table checked by the
//! compiler; nothing here allocates.

use serde::Serialize;

/// The wire format a provider speaks on its chat endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WireFormat {
    /// OpenAI Chat Completions (`/chat/completions`).
    OpenAiChat,
    /// Anthropic Messages (`/messages`).
    Anthropic,
    /// Google Gemini `generateContent`.
    Gemini,
    /// OpenAI Responses (`/responses`).
    Responses,
}

impl WireFormat {
    /// The name used in config files and APIs (`openai-chat`, `anthropic`, `gemini`, `responses`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OpenAiChat => "openai-chat",
            Self::Anthropic => "anthropic",
            Self::Gemini => "gemini",
            Self::Responses => "responses",
        }
    }
}

/// How the credential travels to the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthStyle {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `x-api-key: <key>` (Anthropic and Anthropic-compatible endpoints).
    XApiKey,
    /// `x-goog-api-key: <key>` (Gemini AI Studio).
    XGoogApiKey,
    /// `?key=<key>` appended to the URL.
    QueryKey,
    /// No credential needed (local servers). A key given anyway is sent as a Bearer token,
    /// because vLLM and llama.cpp can be started with `--api-key`.
    None,
    /// Subscription login (OAuth). Reserved: not usable with an API key yet.
    OAuth,
}

impl AuthStyle {
    /// Whether a request cannot be made without an API key.
    pub const fn requires_key(self) -> bool {
        matches!(
            self,
            Self::Bearer | Self::XApiKey | Self::XGoogApiKey | Self::QueryKey
        )
    }
}

/// What a model does; decides which endpoint it is served on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelType {
    Chat,
    Embedding,
    Image,
    AudioTranscription,
    AudioSpeech,
}

impl ModelType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::Embedding => "embedding",
            Self::Image => "image",
            Self::AudioTranscription => "audio-transcription",
            Self::AudioSpeech => "audio-speech",
        }
    }
}

/// USD per 1M tokens. `None` means "not known", never "free": a free model says `Some(0.0)`.
///
/// These are seed values taken from public price pages at the time of writing; users edit
/// them in the dashboard, and the usage accounting reads the edited values first.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Prices {
    pub input: Option<f64>,
    pub output: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
}

impl Prices {
    pub const UNKNOWN: Prices = Prices {
        input: None,
        output: None,
        cache_read: None,
        cache_write: None,
    };

    pub const fn is_unknown(&self) -> bool {
        self.input.is_none()
            && self.output.is_none()
            && self.cache_read.is_none()
            && self.cache_write.is_none()
    }
}

/// One known model of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelSpec {
    /// The provider-native id, sent upstream verbatim (may contain slashes).
    pub id: &'static str,
    #[serde(rename = "type")]
    pub kind: ModelType,
    pub context_length: Option<u32>,
    pub max_output_tokens: Option<u32>,
    pub prices: Prices,
}

impl ModelSpec {
    const fn new(id: &'static str, kind: ModelType) -> Self {
        Self {
            id,
            kind,
            context_length: None,
            max_output_tokens: None,
            prices: Prices::UNKNOWN,
        }
    }

    /// A chat model with a context window (tokens) and, when known, its output cap.
    pub const fn chat(id: &'static str, context: u32, max_output: Option<u32>) -> Self {
        let mut m = Self::new(id, ModelType::Chat);
        m.context_length = Some(context);
        m.max_output_tokens = max_output;
        m
    }

    /// A chat model whose limits are not recorded.
    pub const fn chat_unsized(id: &'static str) -> Self {
        Self::new(id, ModelType::Chat)
    }

    pub const fn embedding(id: &'static str, context: Option<u32>) -> Self {
        let mut m = Self::new(id, ModelType::Embedding);
        m.context_length = context;
        m
    }

    pub const fn image(id: &'static str) -> Self {
        Self::new(id, ModelType::Image)
    }

    pub const fn transcription(id: &'static str) -> Self {
        Self::new(id, ModelType::AudioTranscription)
    }

    pub const fn speech(id: &'static str) -> Self {
        Self::new(id, ModelType::AudioSpeech)
    }

    /// Input and output price per 1M tokens.
    pub const fn price(mut self, input: f64, output: f64) -> Self {
        self.prices.input = Some(input);
        self.prices.output = Some(output);
        self
    }

    /// Price of a cached-prompt read per 1M tokens.
    pub const fn cache_read(mut self, price: f64) -> Self {
        self.prices.cache_read = Some(price);
        self
    }

    /// Price of a cache write per 1M tokens.
    pub const fn cache_write(mut self, price: f64) -> Self {
        self.prices.cache_write = Some(price);
        self
    }

    /// Input price only (output not published or not known).
    pub const fn input_price(mut self, input: f64) -> Self {
        self.prices.input = Some(input);
        self
    }
}

/// Optional endpoints besides chat. Paths are appended to the base URL; `{model}` is replaced
/// by the model id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Endpoints {
    pub embeddings: Option<&'static str>,
    pub images: Option<&'static str>,
    pub audio_speech: Option<&'static str>,
    pub audio_transcriptions: Option<&'static str>,
    /// Where the provider lists its models (used by model sync).
    pub models: Option<&'static str>,
}

impl Endpoints {
    pub const NONE: Endpoints = Endpoints {
        embeddings: None,
        images: None,
        audio_speech: None,
        audio_transcriptions: None,
        models: None,
    };

    /// Only a `/models` listing (most OpenAI-compatible hosts).
    pub const MODELS_ONLY: Endpoints = Endpoints {
        models: Some("/models"),
        ..Endpoints::NONE
    };

    pub const fn embeddings(mut self) -> Self {
        self.embeddings = Some("/embeddings");
        self
    }

    pub const fn images(mut self) -> Self {
        self.images = Some("/images/generations");
        self
    }

    pub const fn audio(mut self) -> Self {
        self.audio_speech = Some("/audio/speech");
        self.audio_transcriptions = Some("/audio/transcriptions");
        self
    }
}

/// One provider: a row of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProviderSpec {
    /// Stable id (`openai`, `deepseek`, `claude`...). Accepted as a model-string prefix too.
    pub id: &'static str,
    pub name: &'static str,
    /// The short alias used in model strings (`ds` in `ds/deepseek-v4-pro`).
    pub prefix: &'static str,
    /// Base URL without a trailing slash.
    pub base_url: &'static str,
    pub format: WireFormat,
    pub auth: AuthStyle,
    /// Headers sent on every request (besides auth).
    pub headers: &'static [(&'static str, &'static str)],
    /// Chat path appended to the base URL; `{model}` is replaced by the model id.
    pub chat_path: &'static str,
    /// Streaming chat path when it differs from `chat_path` (Gemini).
    pub stream_chat_path: Option<&'static str>,
    pub endpoints: Endpoints,
    /// Whether any model id is accepted (gateways such as OpenRouter), not only the known ones.
    pub passthrough_models: bool,
    /// Runs on the user's machine (no key, localhost URL).
    pub local: bool,
    pub models: &'static [ModelSpec],
}

impl ProviderSpec {
    /// An OpenAI-compatible, Bearer-authenticated provider with `/chat/completions` and a
    /// `/models` listing: the shape of most rows. Fields are then adjusted with struct update.
    pub const fn openai_compatible(
        id: &'static str,
        name: &'static str,
        prefix: &'static str,
        base_url: &'static str,
        models: &'static [ModelSpec],
    ) -> Self {
        Self {
            id,
            name,
            prefix,
            base_url,
            format: WireFormat::OpenAiChat,
            auth: AuthStyle::Bearer,
            headers: &[],
            chat_path: "/chat/completions",
            stream_chat_path: None,
            endpoints: Endpoints::MODELS_ONLY,
            passthrough_models: true,
            local: false,
            models,
        }
    }

    /// Whether this row is a reserved subscription (OAuth) provider.
    pub const fn is_oauth(&self) -> bool {
        matches!(self.auth, AuthStyle::OAuth)
    }

    /// A known model by its provider-native id.
    pub fn model(&self, id: &str) -> Option<&'static ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The path of an optional endpoint of the given model type, if the provider has it.
    pub const fn endpoint_for(&self, kind: ModelType) -> Option<&'static str> {
        match kind {
            ModelType::Chat => Some(self.chat_path),
            ModelType::Embedding => self.endpoints.embeddings,
            ModelType::Image => self.endpoints.images,
            ModelType::AudioSpeech => self.endpoints.audio_speech,
            ModelType::AudioTranscription => self.endpoints.audio_transcriptions,
        }
    }
}
