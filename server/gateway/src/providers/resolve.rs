//! Model-string resolution: `prefix/model` → which provider (built-in or custom node) and which
//! provider-native model id.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::registry::{check_base_url, is_token, Registry};
use super::types::{AuthStyle, ModelSpec, ProviderSpec, WireFormat};

/// What a custom provider node speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CustomNodeKind {
    OpenaiCompatible,
    AnthropicCompatible,
}

/// Which OpenAI API an `openai-compatible` node exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomApiType {
    #[default]
    Chat,
    Responses,
}

/// A user-defined provider: a prefix that points at a base URL. Any model id after the prefix
/// is sent upstream as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomNode {
    /// Stable id (`openai-compatible-mybox`).
    pub id: String,
    pub name: String,
    /// The model-string prefix (`mybox` in `mybox/llama3`); a slug, no `/`.
    pub prefix: String,
    /// Base URL without a trailing slash (`http://10.0.0.5:8000/v1`).
    pub base_url: String,
    pub kind: CustomNodeKind,
    /// Ignored for `anthropic-compatible` nodes.
    #[serde(default)]
    pub api_type: CustomApiType,
    /// Models the user imported or typed; only used for the catalog and bare-name lookup.
    #[serde(default)]
    pub models: Vec<String>,
}

impl CustomNode {
    pub fn format(&self) -> WireFormat {
        match (self.kind, self.api_type) {
            (CustomNodeKind::AnthropicCompatible, _) => WireFormat::Anthropic,
            (CustomNodeKind::OpenaiCompatible, CustomApiType::Chat) => WireFormat::OpenAiChat,
            (CustomNodeKind::OpenaiCompatible, CustomApiType::Responses) => WireFormat::Responses,
        }
    }

    pub fn auth(&self) -> AuthStyle {
        match self.kind {
            CustomNodeKind::AnthropicCompatible => AuthStyle::XApiKey,
            CustomNodeKind::OpenaiCompatible => AuthStyle::Bearer,
        }
    }
}

/// Why a custom node cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CustomNodeError {
    #[error("prefix {0:?} must be lowercase letters, digits, '-', '.' or '_' (no '/')")]
    BadPrefix(String),
    #[error("prefix {0:?} is already used by a built-in provider")]
    PrefixTakenByBuiltin(String),
    #[error("prefix {0:?} is already used by another custom provider")]
    PrefixTakenByNode(String),
    #[error("baseUrl {url:?} {why}")]
    BadBaseUrl { url: String, why: &'static str },
}

/// Checks a node before it is stored: a slug prefix no one else uses, a usable base URL.
/// `others` are the nodes already stored (the node itself, if present, is skipped by id).
pub fn validate_custom_node(
    registry: &Registry,
    others: &[CustomNode],
    node: &CustomNode,
) -> Result<(), CustomNodeError> {
    if !is_token(&node.prefix) {
        return Err(CustomNodeError::BadPrefix(node.prefix.clone()));
    }
    if registry.is_taken(&node.prefix) {
        return Err(CustomNodeError::PrefixTakenByBuiltin(node.prefix.clone()));
    }
    if others
        .iter()
        .any(|o| o.id != node.id && o.prefix.eq_ignore_ascii_case(&node.prefix))
    {
        return Err(CustomNodeError::PrefixTakenByNode(node.prefix.clone()));
    }
    check_base_url(&node.base_url).map_err(|why| CustomNodeError::BadBaseUrl {
        url: node.base_url.clone(),
        why,
    })
}

/// Where a model string points: a built-in provider or a custom node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'a> {
    Builtin(&'a ProviderSpec),
    Custom(&'a CustomNode),
}

impl<'a> Target<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Self::Builtin(p) => p.id,
            Self::Custom(n) => &n.id,
        }
    }

    pub fn name(&self) -> &'a str {
        match self {
            Self::Builtin(p) => p.name,
            Self::Custom(n) => &n.name,
        }
    }

    pub fn prefix(&self) -> &'a str {
        match self {
            Self::Builtin(p) => p.prefix,
            Self::Custom(n) => &n.prefix,
        }
    }

    pub fn format(&self) -> WireFormat {
        match self {
            Self::Builtin(p) => p.format,
            Self::Custom(n) => n.format(),
        }
    }

    pub fn auth(&self) -> AuthStyle {
        match self {
            Self::Builtin(p) => p.auth,
            Self::Custom(n) => n.auth(),
        }
    }

    pub fn base_url(&self) -> &'a str {
        match self {
            Self::Builtin(p) => p.base_url,
            Self::Custom(n) => &n.base_url,
        }
    }
}

/// A model string resolved to one target.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedModel<'a> {
    pub target: Target<'a>,
    /// The provider-native id, sent upstream verbatim.
    pub model: String,
    /// The registry's record of the model, when it is a known one.
    pub known: Option<&'a ModelSpec>,
}

impl ResolvedModel<'_> {
    /// The canonical model string, `prefix/model`.
    pub fn qualified(&self) -> String {
        format!("{}/{}", self.target.prefix(), self.model)
    }
}

/// The outcome of [`parse_model_string`].
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    /// `prefix/model`: exactly one target.
    Exact(ResolvedModel<'a>),
    /// A bare model name (no `/`) and every usable provider that lists it, in registry order
    /// (custom nodes last). Never empty; the router picks among them.
    Candidates(Vec<ResolvedModel<'a>>),
}

/// Why a model string does not resolve. Messages are meant for API clients.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResolveError {
    #[error("model is empty")]
    Empty,
    #[error("unknown provider prefix {prefix:?} in model {model:?}; use provider/model, e.g. openai/gpt-5")]
    UnknownPrefix { prefix: String, model: String },
    #[error("model {model:?} names provider {prefix:?} but no model after the '/'")]
    MissingModel { prefix: String, model: String },
    #[error("{prefix}/ is reserved for {provider}, a subscription (OAuth) provider that is not supported yet; use an API-key provider instead")]
    ReservedOAuth { prefix: String, provider: String },
    #[error("unknown model {0:?}: no provider lists it; use provider/model, e.g. openai/gpt-5")]
    UnknownModel(String),
}

/// Resolves `prefix/model`, `provider-id/model` or a bare model name.
///
/// - The first segment (up to the first `/`) names a built-in provider by prefix or id (ASCII
///   case-insensitive), or a custom node by prefix; everything after it is the model id, kept
///   verbatim, slashes included (`groq/meta-llama/llama-4...`).
/// - Reserved subscription prefixes (`cc/`, `cx/`, ...) are refused with a message naming the
///   provider until OAuth connections exist.
/// - A bare name is looked up among the known models of the usable providers and the models
///   of the custom nodes.
pub fn parse_model_string<'a>(
    registry: &'a Registry,
    nodes: &'a [CustomNode],
    model: &str,
) -> Result<Resolution<'a>, ResolveError> {
    let model = model.trim();
    if model.is_empty() {
        return Err(ResolveError::Empty);
    }
    let Some((prefix, rest)) = model.split_once('/') else {
        return bare(registry, nodes, model);
    };
    let missing = || ResolveError::MissingModel {
        prefix: prefix.to_owned(),
        model: model.to_owned(),
    };
    if let Some(p) = registry.by_prefix(prefix) {
        if p.is_oauth() {
            return Err(ResolveError::ReservedOAuth {
                prefix: p.prefix.to_owned(),
                provider: p.name.to_owned(),
            });
        }
        if rest.is_empty() {
            return Err(missing());
        }
        return Ok(Resolution::Exact(ResolvedModel {
            target: Target::Builtin(p),
            model: rest.to_owned(),
            known: p.model(rest),
        }));
    }
    if let Some(node) = nodes.iter().find(|n| n.prefix.eq_ignore_ascii_case(prefix)) {
        if rest.is_empty() {
            return Err(missing());
        }
        return Ok(Resolution::Exact(ResolvedModel {
            target: Target::Custom(node),
            model: rest.to_owned(),
            known: None,
        }));
    }
    Err(ResolveError::UnknownPrefix {
        prefix: prefix.to_owned(),
        model: model.to_owned(),
    })
}

fn bare<'a>(
    registry: &'a Registry,
    nodes: &'a [CustomNode],
    model: &str,
) -> Result<Resolution<'a>, ResolveError> {
    let builtin = registry
        .providers()
        .iter()
        .filter(|p| !p.is_oauth())
        .filter_map(|p| {
            p.model(model).map(|m| ResolvedModel {
                target: Target::Builtin(p),
                model: m.id.to_owned(),
                known: Some(m),
            })
        });
    let custom = nodes
        .iter()
        .filter(|n| n.models.iter().any(|m| m == model))
        .map(|n| ResolvedModel {
            target: Target::Custom(n),
            model: model.to_owned(),
            known: None,
        });
    let candidates: Vec<_> = builtin.chain(custom).collect();
    if candidates.is_empty() {
        Err(ResolveError::UnknownModel(model.to_owned()))
    } else {
        Ok(Resolution::Candidates(candidates))
    }
}
