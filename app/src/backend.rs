//! What the server provides to server functions (as Leptos context), so the app never depends
//! on the server crate. Errors are messages for the user.

use crate::api::add_connection::NewConnectionInput;
use crate::api::add_node::NewNodeInput;
use crate::api::connection_models::UpstreamModelInfo;
use crate::api::list_providers::{ConnectionInfo, NodeInfo, ProvidersOverview};
use crate::api::provider_choices::ProviderChoice;
use crate::api::system_status::SystemStatus;
use crate::api::test_connection::ConnectionTest;
use crate::api::translate::{TranslateInput, TranslateOutput};
use std::sync::Arc;

#[async_trait::async_trait]
pub trait DashboardBackend: Send + Sync + 'static {
    async fn system_status(&self) -> Result<SystemStatus, String>;
    async fn change_password(&self, current: String, new: String) -> Result<(), String>;

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
}

#[derive(Clone)]
pub struct Backend(pub Arc<dyn DashboardBackend>);
