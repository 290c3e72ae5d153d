//! The Providers page's backend: connections and custom nodes, through the same functions as
//! the management API (`manage::{providers, nodes}`), so both validate, store, log and refresh
//! the routing snapshot alike. Keys leave this module masked only.

use crate::http::error::ApiError;
use crate::http::manage::providers::{self as rest, NewConnectionFields};
use crate::http::manage::{body, nodes, provider_name};
use crate::snapshot::Snapshot;
use crate::state::AppState;
use crate::store::providers::{self as store, api_type_str, kind_str, ConnectionPatch};
use crate::store::providers::{StoredConnection, StoredNode};
use app::api::add_connection::NewConnectionInput;
use app::api::add_node::NewNodeInput;
use app::api::connection_models::UpstreamModelInfo;
use app::api::list_providers::{ConnectionInfo, NodeInfo, ProvidersOverview};
use app::api::provider_choices::ProviderChoice;
use app::api::test_connection::ConnectionTest;
use gateway::providers::{CustomNode, Registry};

/// An error as the user reads it: the management API's message, or (for internal causes,
/// which are logged) a pointer to the server log.
fn user_error(e: ApiError) -> String {
    match e {
        ApiError::Internal(cause) => super::internal(&cause),
        other => other.to_string(),
    }
}

fn store_error(e: store::StoreError) -> String {
    user_error(ApiError::from(e))
}

fn connection_info(c: &StoredConnection, snapshot: &Snapshot) -> ConnectionInfo {
    let default_base_url = Registry::builtin()
        .get(&c.provider)
        .map(|p| p.base_url.to_string())
        .or_else(|| {
            snapshot
                .nodes
                .iter()
                .find(|n| n.id == c.provider)
                .map(|n| n.base_url.clone())
        });
    ConnectionInfo {
        id: c.id.clone(),
        provider: c.provider.clone(),
        provider_name: provider_name(snapshot, &c.provider).unwrap_or_else(|| c.provider.clone()),
        name: c.name.clone(),
        enabled: c.is_active,
        priority: c.priority,
        key_masked: c.api_key.as_deref().map(rest::mask_key),
        key_error: c
            .key_error
            .as_ref()
            .map(|e| format!("{e}; delete this connection and add the key again")),
        base_url: c.base_url.clone(),
        default_base_url,
        test_status: c.test_status.clone(),
        last_error: c.last_error.clone(),
        last_tested_at: c.last_tested_at,
    }
}

fn node_info(n: &StoredNode) -> NodeInfo {
    NodeInfo {
        id: n.node.id.clone(),
        name: n.node.name.clone(),
        prefix: n.node.prefix.clone(),
        base_url: n.node.base_url.clone(),
        kind: kind_str(n.node.kind).to_string(),
        api_type: api_type_str(n.node.api_type).to_string(),
        models: n.node.models.len(),
    }
}

pub(super) async fn list(state: &AppState) -> Result<ProvidersOverview, String> {
    let snapshot = state.snapshot();
    let connections = store::list_connections(state.db(), &rest::secrets(state))
        .await
        .map_err(store_error)?
        .iter()
        .map(|c| connection_info(c, &snapshot))
        .collect();
    let nodes = store::list_nodes(state.db())
        .await
        .map_err(store_error)?
        .iter()
        .map(node_info)
        .collect();
    Ok(ProvidersOverview { connections, nodes })
}

/// The registry's API-key providers by name, then the custom nodes.
pub(super) async fn choices(state: &AppState) -> Result<Vec<ProviderChoice>, String> {
    let mut out: Vec<ProviderChoice> = Registry::builtin()
        .providers()
        .iter()
        .filter(|p| !p.is_oauth())
        .map(|p| ProviderChoice {
            id: p.id.to_string(),
            name: p.name.to_string(),
            prefix: p.prefix.to_string(),
            needs_key: p.auth.requires_key(),
            default_base_url: p.base_url.to_string(),
            custom: false,
        })
        .collect();
    out.sort_by_key(|c| c.name.to_lowercase());
    let nodes = store::list_nodes(state.db()).await.map_err(store_error)?;
    out.extend(nodes.iter().map(|n| ProviderChoice {
        id: n.node.id.clone(),
        name: n.node.name.clone(),
        prefix: n.node.prefix.clone(),
        needs_key: false,
        default_base_url: n.node.base_url.clone(),
        custom: true,
    }));
    Ok(out)
}

pub(super) async fn add_connection(
    state: &AppState,
    input: NewConnectionInput,
) -> Result<ConnectionInfo, String> {
    let base_url = match input.base_url.as_deref() {
        Some(url) => Some(body::base_url("Base URL", url).map_err(user_error)?),
        None => None,
    };
    let fields = NewConnectionFields {
        provider: input.provider,
        name: input.name,
        api_key: input.api_key,
        base_url,
        priority: None,
        is_active: None,
    };
    let created = rest::add_connection(state, fields)
        .await
        .map_err(|e| match e {
            ApiError::BadRequest {
                code: "missing_field",
                ..
            } => "This provider needs an API key: paste it in the API key field.".to_string(),
            other => user_error(other),
        })?;
    Ok(connection_info(&created, &state.snapshot()))
}

pub(super) async fn add_node(state: &AppState, input: NewNodeInput) -> Result<NodeInfo, String> {
    let base_url = body::base_url("Base URL", &input.base_url).map_err(user_error)?;
    let kind = nodes::parse_kind(&input.kind).map_err(user_error)?;
    let api_type = nodes::parse_api_type(&input.api_type).map_err(user_error)?;
    let node = CustomNode {
        id: String::new(),
        name: input.name.unwrap_or_else(|| input.prefix.clone()),
        prefix: input.prefix,
        base_url,
        kind,
        api_type,
        models: Vec::new(),
    };
    let stored = nodes::add_node(state, node).await.map_err(user_error)?;
    Ok(node_info(&stored))
}

pub(super) async fn test_connection(state: &AppState, id: &str) -> Result<ConnectionTest, String> {
    let probe = rest::test_connection(state, id).await.map_err(user_error)?;
    Ok(ConnectionTest {
        ok: probe.ok,
        status: probe.status,
        latency_ms: probe.latency_ms,
        message: probe.message,
    })
}

pub(super) async fn connection_models(
    state: &AppState,
    id: &str,
) -> Result<Vec<UpstreamModelInfo>, String> {
    let (_, models) = rest::connection_models(state, id)
        .await
        .map_err(user_error)?;
    Ok(models
        .into_iter()
        .map(|m| UpstreamModelInfo {
            id: m.id,
            name: m.name,
        })
        .collect())
}

pub(super) async fn set_enabled(state: &AppState, id: &str, enabled: bool) -> Result<(), String> {
    let patch = ConnectionPatch {
        is_active: Some(enabled),
        ..ConnectionPatch::default()
    };
    let c = rest::update_connection(state, id, patch)
        .await
        .map_err(user_error)?;
    tracing::info!(
        "provider connection {:?} ({}) {}",
        c.name,
        c.provider,
        if enabled { "enabled" } else { "disabled" }
    );
    Ok(())
}

pub(super) async fn delete_connection(state: &AppState, id: &str) -> Result<(), String> {
    rest::delete_connection(state, id).await.map_err(user_error)
}

pub(super) async fn delete_node(state: &AppState, id: &str) -> Result<(), String> {
    nodes::delete_node(state, id)
        .await
        .map(|_| ())
        .map_err(user_error)
}
