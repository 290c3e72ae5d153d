//! The provider registry (data, not code branches) and model-string resolution.
//!
//! - [`Registry::builtin`] is a static table of [`ProviderSpec`] rows (base URL, wire format,
//!   auth style, fixed headers, paths, known models with limits and seed prices). A provider
//!   is a row; adding one is adding a row in `data/`.
//! - [`parse_model_string`] turns `prefix/model` (or `provider-id/model`, or a bare model name)
//!   into a [`Target`] (built-in provider or user-defined [`CustomNode`]) and a model id.
//! - [`UpstreamCall`] builds the upstream URL and auth headers, with a base-URL override.
//! - [`catalog`] groups models by provider for the catalog and `/v1/models`.

mod catalog;
mod data;
mod registry;
mod resolve;
mod types;
mod upstream;

#[cfg(test)]
mod tests;

pub use catalog::{catalog, usable_models, CatalogGroup, CatalogModel};
pub use registry::Registry;
pub use resolve::{
    parse_model_string, validate_custom_node, CustomApiType, CustomNode, CustomNodeError,
    CustomNodeKind, Resolution, ResolveError, ResolvedModel, Target,
};
pub use types::{AuthStyle, Endpoints, ModelSpec, ModelType, Prices, ProviderSpec, WireFormat};
pub use upstream::{BuildError, Endpoint, UpstreamCall, UpstreamRequest};
