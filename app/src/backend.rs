//! What the server provides to server functions (as Leptos context), so the app never depends
//! on the server crate.

use crate::api::system_status::SystemStatus;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait DashboardBackend: Send + Sync + 'static {
    async fn system_status(&self) -> Result<SystemStatus, String>;
    /// Errors are messages for the user.
    async fn change_password(&self, current: String, new: String) -> Result<(), String>;
}

#[derive(Clone)]
pub struct Backend(pub Arc<dyn DashboardBackend>);
