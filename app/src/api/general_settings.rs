use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings → General: `GET /api/settings/general`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneralInfo {
    pub data_dir: String,
    pub database_path: String,
    pub database_size_bytes: u64,
    pub backups_dir: String,
    pub auto_backup: bool,
    pub backups: Vec<BackupFile>,
    pub backup_count: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub name: String,
    pub size_bytes: u64,
    pub modified: String,
}

#[server(prefix = "/api/sf", endpoint = "general_settings")]
pub async fn get_general_info() -> Result<GeneralInfo, ServerFnError> {
    super::rest("GET", "/api/settings/general", None).await
}
