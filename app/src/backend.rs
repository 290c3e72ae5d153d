//! What the server provides to server functions (as Leptos context), so the app never depends
//! on the server crate. Errors are messages for the user.

use crate::api::add_connection::NewConnectionInput;
use crate::api::add_node::NewNodeInput;
use crate::api::apply_cli_config::CliApplied;
use crate::api::cli_setup::CliSetup;
use crate::api::connection_models::UpstreamModelInfo;
use crate::api::create_api_key::{IssuedKey, NewApiKeyInput};
use crate::api::endpoints_info::EndpointsInfo;
use crate::api::list_api_keys::ApiKeysOverview;
use crate::api::list_providers::{ConnectionInfo, NodeInfo, ProvidersOverview};
use crate::api::preview_cli_config::{CliConfigInput, CliPreview};
use crate::api::provider_choices::ProviderChoice;
use crate::api::system_status::SystemStatus;
use crate::api::test_connection::ConnectionTest;
use crate::api::translate::{TranslateInput, TranslateOutput};
use std::sync::Arc;

#[async_trait::async_trait]
pub trait DashboardBackend: Send + Sync + 'static {
    /// Calls the REST API (`/api/...`, management and system routes) in-process: the JSON body
    /// of a success, or the API's message of a refusal. New pages use this through
    /// `crate::api::rest` rather than adding methods here.
    async fn api_call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value, String>;

    async fn system_status(&self) -> Result<SystemStatus, String>;
    async fn change_password(&self, current: String, new: String) -> Result<(), String>;
    async fn resilience_state(
        &self,
    ) -> Result<crate::api::resilience_state::ResilienceState, String>;
    async fn reset_resilience(&self) -> Result<(), String>;
    async fn routing_settings(
        &self,
    ) -> Result<crate::api::routing_settings::RoutingSettings, String>;
    async fn save_routing_settings(
        &self,
        settings: crate::api::routing_settings::RoutingSettings,
    ) -> Result<crate::api::routing_settings::RoutingSettings, String>;

    // Providers
    async fn list_providers(&self) -> Result<ProvidersOverview, String>;
    async fn provider_choices(&self) -> Result<Vec<ProviderChoice>, String>;
    async fn add_connection(&self, input: NewConnectionInput) -> Result<ConnectionInfo, String>;
    async fn add_node(&self, input: NewNodeInput) -> Result<NodeInfo, String>;
    async fn test_connection(&self, id: String) -> Result<ConnectionTest, String>;
    async fn connection_models(&self, id: String) -> Result<Vec<UpstreamModelInfo>, String>;
    async fn set_connection_enabled(&self, id: String, enabled: bool) -> Result<(), String>;
    async fn delete_connection(&self, id: String) -> Result<(), String>;
    async fn delete_node(&self, id: String) -> Result<(), String>;

    // Translator
    async fn translate(&self, input: TranslateInput) -> Result<TranslateOutput, String>;
    /// Sends a chat through the gateway and reports each step.
    async fn chat_test(
        &self,
        input: crate::api::chat_test::ChatTestInput,
    ) -> Result<crate::api::chat_test::ChatTestOutput, String>;

    // API Manager
    async fn list_api_keys(&self) -> Result<ApiKeysOverview, String>;
    async fn create_api_key(&self, input: NewApiKeyInput) -> Result<IssuedKey, String>;
    async fn set_api_key_enabled(&self, id: String, enabled: bool) -> Result<(), String>;
    async fn revoke_api_key(&self, id: String) -> Result<(), String>;
    async fn regenerate_api_key(&self, id: String) -> Result<IssuedKey, String>;
    async fn delete_api_key(&self, id: String) -> Result<(), String>;
    async fn reveal_api_key(&self, id: String) -> Result<String, String>;

    // Endpoints and CLI Tools (they read the request: Host header, peer address)
    async fn endpoints_info(&self) -> Result<EndpointsInfo, String>;
    async fn cli_setup(&self) -> Result<CliSetup, String>;
    /// Reads and merges a tool's configuration file on this machine; writes nothing.
    async fn preview_cli_config(&self, input: CliConfigInput) -> Result<CliPreview, String>;
    /// Writes it, if the file still holds `expected_old`.
    async fn apply_cli_config(
        &self,
        input: CliConfigInput,
        expected_old: String,
    ) -> Result<CliApplied, String>;
}

#[derive(Clone)]
pub struct Backend(pub Arc<dyn DashboardBackend>);
