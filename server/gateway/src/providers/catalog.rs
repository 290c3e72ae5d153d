//! The model catalog: models grouped by provider with their type, for
//! `GET /api/models/catalog` and (flattened, usable ones only) `GET /v1/models`.

use serde::Serialize;

use super::registry::Registry;
use super::resolve::CustomNode;
use super::types::{AuthStyle, ModelType, Prices, WireFormat};

/// One provider and its models.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogGroup {
    pub provider: String,
    pub name: String,
    pub prefix: String,
    pub format: WireFormat,
    pub auth: AuthStyle,
    /// False for reserved subscription providers (OAuth not supported yet).
    pub usable: bool,
    pub local: bool,
    /// A user-defined provider node.
    pub custom: bool,
    pub models: Vec<CatalogModel>,
}

/// One model as clients see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogModel {
    /// The model string clients send: `prefix/model`.
    pub id: String,
    /// The provider-native id.
    pub model: String,
    #[serde(rename = "type")]
    pub kind: ModelType,
    pub context_length: Option<u32>,
    pub max_output_tokens: Option<u32>,
    pub prices: Prices,
}

/// Every provider (built-in in registry order, then custom nodes) with its known models.
pub fn catalog(registry: &Registry, nodes: &[CustomNode]) -> Vec<CatalogGroup> {
    let builtin = registry.providers().iter().map(|p| CatalogGroup {
        provider: p.id.to_owned(),
        name: p.name.to_owned(),
        prefix: p.prefix.to_owned(),
        format: p.format,
        auth: p.auth,
        usable: !p.is_oauth(),
        local: p.local,
        custom: false,
        models: p
            .models
            .iter()
            .map(|m| CatalogModel {
                id: format!("{}/{}", p.prefix, m.id),
                model: m.id.to_owned(),
                kind: m.kind,
                context_length: m.context_length,
                max_output_tokens: m.max_output_tokens,
                prices: m.prices,
            })
            .collect(),
    });
    let custom = nodes.iter().map(|n| CatalogGroup {
        provider: n.id.clone(),
        name: n.name.clone(),
        prefix: n.prefix.clone(),
        format: n.format(),
        auth: n.auth(),
        usable: true,
        local: false,
        custom: true,
        models: n
            .models
            .iter()
            .map(|m| CatalogModel {
                id: format!("{}/{m}", n.prefix),
                model: m.clone(),
                kind: ModelType::Chat,
                context_length: None,
                max_output_tokens: None,
                prices: Prices::UNKNOWN,
            })
            .collect(),
    });
    builtin.chain(custom).collect()
}

/// The models a client can call right now, flattened with their provider id (the `owned_by`
/// of `/v1/models`), optionally of one type only.
pub fn usable_models(
    groups: &[CatalogGroup],
    kind: Option<ModelType>,
) -> Vec<(&str, &CatalogModel)> {
    groups
        .iter()
        .filter(|g| g.usable)
        .flat_map(|g| g.models.iter().map(move |m| (g.provider.as_str(), m)))
        .filter(|(_, m)| kind.is_none_or(|k| m.kind == k))
        .collect()
}
